"""Prefect flow ``facts-bulk``: SEC's companyfacts.zip into financials_quarterly for every filer."""

from __future__ import annotations

from typing import Any

from prefect import flow, task
from prefect.cache_policies import NONE

from tasks.config import load_settings
from tasks.xbrl.facts_bulk import run_facts_bulk


@task(cache_policy=NONE, name="facts-bulk-load")
def facts_bulk_task(path: str, lake: str, workers: int | None) -> dict[str, Any]:
    return run_facts_bulk(path, lake, workers=workers).as_dict()


@flow(name="facts-bulk", log_prints=True)
def facts_bulk(path: str, lake: str | None = None, workers: int | None = None) -> dict[str, Any]:
    """Stream every company of ``path`` (companyfacts.zip) into the lake's financials_quarterly."""
    return facts_bulk_task(path, load_settings(lake=lake).lake, workers)
