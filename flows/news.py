"""Prefect flow ``news``: configured (or given) feeds → news_articles and news_figures, checked against filings."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NONE

from flows.runtime import Runtime, build_runtime
from flows.steps import publish_dataset, publish_docs
from schemas.financials import FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.news import NEWS_ARTICLES, NEWS_FIGURES
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.news.claim_checks import Filings
from tasks.news.entities import load_entities
from tasks.news.news_rows import articles_frame, figures_frame
from tasks.news.reading import NewsHarvest, harvest, load_news_sources
from tasks.storage.report import write_lake_report


@task(cache_policy=NONE, name="harvest-news")
def harvest_task(rt: Runtime, feeds: list[Any]) -> NewsHarvest:
    found = harvest(rt.source, feeds)
    for url, stage, reason in found.problems:
        rt.summary.add_failure(url=url, reason=reason, stage=stage)
    rt.summary.articles_found = len(found.articles)
    for _ in found.articles:
        rt.summary.count_document(reused=False)
    return found


@task(cache_policy=NONE, name="publish-news")
def publish_news_task(rt: Runtime, found: NewsHarvest) -> None:
    entities = load_entities()
    filings = Filings(rt.lake.read_dataset(GUIDANCE), rt.lake.read_dataset(ACTUALS),
                      rt.lake.read_dataset(GUIDANCE_VS_ACTUAL), rt.lake.read_dataset(FINANCIALS_QUARTERLY),
                      rt.lake.read_dataset(SEGMENT_REVENUE))
    publish_dataset(rt, NEWS_ARTICLES, articles_frame(found.articles, entities))
    publish_dataset(rt, NEWS_FIGURES, figures_frame(found.articles, entities, filings))
    docs = publish_docs(rt)
    rt.summary.places.update({"lake": rt.lake.url, **({"data docs": docs} if docs else {}),
                              "report": write_lake_report(rt)})


@flow(name="news", log_prints=True)
def news(feeds: list[str] | None = None, lake: str | None = None, mirror: str | None = None,
         options: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read the news feeds (configured, or ``feeds``), extract articles and figures, check them against filings."""
    sources = load_news_sources(only=feeds)
    rt = build_runtime(host_rates={f.host: f.rate for f in sources},
                       **{**(options or {}), "lake": lake, "mirror": mirror})
    publish_news_task(rt, harvest_task(rt, sources))
    return rt.summary.as_dict()
