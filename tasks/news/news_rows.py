"""Harvested articles → ``news_articles`` and ``news_figures`` frames (figures reconciled with the filings)."""

from __future__ import annotations

from datetime import UTC
from typing import Any
from urllib.parse import urlsplit

import polars as pl

from schemas.news import NEWS_ARTICLES
from tasks.news.claim_checks import Filings
from tasks.news.entities import EntityIndex
from tasks.news.figures import FigureExtractor
from tasks.news.news_text import fold
from tasks.news.reading import FetchedArticle
from tasks.news.reconcile import reconcile


def _published(fetched: FetchedArticle) -> Any:
    when = fetched.article.published_at or fetched.item.published
    return when.astimezone(UTC) if when else None


def articles_frame(fetched: list[FetchedArticle], entities: EntityIndex) -> pl.DataFrame:
    rows = []
    for f in fetched:
        a, when = f.article, _published(f)
        named = entities.mentions(fold(a.title + "\n" + a.text).text)  # either script, glosses dropped
        tickers = sorted({e.ticker for e in named if e.ticker})
        rows.append({"url": f.item.link, "canonical_url": a.canonical_url, "source": f.feed.host, "feed": f.feed.url,
                     "published_at": when, "published_year": when.year if when else 0, "lang": a.lang or f.feed.lang,
                     "title": a.title, "author": a.author, "text_sha256": a.text_sha256,
                     "paragraphs": len(a.paragraphs), "tickers": tickers})
    return pl.DataFrame(rows, schema=NEWS_ARTICLES.schema) if rows else NEWS_ARTICLES.empty()


def figures_frame(fetched: list[FetchedArticle], entities: EntityIndex, filings: Filings) -> pl.DataFrame:
    rows: list[dict[str, Any]] = []
    entities = entities.with_segments(filings.segment_names())
    for f in fetched:
        when = _published(f)
        local = (f.article.published_at or f.item.published)
        extractor = FigureExtractor(entities, published=local.date().isoformat() if local else None)
        for seq, figure in enumerate(extractor.extract(f.article.text)):
            rows.append({**figure.as_row(), "rounding": figure.rounding, "url": f.item.link,
                         "source": (urlsplit(f.item.link).hostname or "").lower(),
                         "published_year": when.year if when else 0, "seq": seq,
                         "published_date": local.date() if local else None})
    fyes = {e.ticker: e.fiscal_year_end for e in entities.entities if e.ticker and e.fiscal_year_end}
    return reconcile(rows, filings, fyes)
