"""Contracts of the news datasets: articles and the numeric claims in them, checked against the filings."""

from __future__ import annotations

import polars as pl

from schemas.contract import DatasetContract

NEWS_ARTICLES = DatasetContract(
    name="news_articles",
    version=1,
    columns={
        "url": pl.String(),
        "canonical_url": pl.String(),
        "source": pl.String(),  # the feed's host
        "feed": pl.String(),
        "published_at": pl.Datetime("us", "UTC"),
        "published_year": pl.Int32(),
        "lang": pl.String(),
        "title": pl.String(),
        "author": pl.String(),
        "text_sha256": pl.String(),
        "paragraphs": pl.Int32(),
        "tickers": pl.List(pl.String()),
    },
    primary_key=("canonical_url",),
    partition_by=("source", "published_year"),
    lineage=("url", "feed", "text_sha256"),
    not_null=("url", "lang", "title", "text_sha256"),
    description="News articles from the configured feeds: metadata, language, main-text hash, tickers named.",
)

NEWS_FIGURES = DatasetContract(
    name="news_figures",
    version=3,
    columns={
        "url": pl.String(),
        "source": pl.String(),
        "published_year": pl.Int32(),
        "seq": pl.Int32(),  # order of the figure in the article
        "entity": pl.String(),
        "ticker": pl.String(),
        "cik": pl.String(),
        "metric": pl.String(),
        "segment": pl.String(),
        "basis": pl.String(),  # gaap | non_gaap when the text says
        "period": pl.String(),
        "period_normalized": pl.String(),
        "calendar_period": pl.String(),
        "value": pl.Float64(),
        "value_high": pl.Float64(),
        "unit": pl.String(),
        "qualifier": pl.String(),  # range | approximately | more_than | nearly | plus_minus
        "tolerance": pl.String(),  # "2%" of "plus or minus 2%"
        "quote": pl.String(),
        "status": pl.String(),  # agrees | disagrees | unverifiable
        "reason": pl.String(),  # why a claim is unverifiable
        "filing_value": pl.Float64(),
        "filing_value_high": pl.Float64(),
        "difference": pl.Float64(),
        "filing_dataset": pl.String(),
        "filing_source": pl.String(),  # accession or URL of the release
        "filing_text": pl.String(),  # the sentence or table cell
    },
    primary_key=("url", "seq"),
    partition_by=("source", "published_year"),
    lineage=("url", "quote", "filing_source"),
    replace_by=("url",),
    not_null=("value", "unit", "quote", "status"),
    nullable_key=(),
    description="Every numeric claim of a news article (what it measures, company, segment, period, value in "
                "base units, exact quote) and whether the filings agree, disagree (with the filing value, "
                "difference and source; outlooks as published by the article's date) or cannot tell (and why).",
)
