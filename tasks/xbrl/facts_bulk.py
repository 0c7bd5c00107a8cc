"""SEC's nightly companyfacts.zip (every filer) → ``financials_quarterly``, streamed with bounded memory.

Worker processes each open the archive and take one entry at a time by name: parse (only the crosswalk's
concepts are kept), derive quarters, publish that company's partition. Memory per worker is one company's
JSON; the parent holds only names and per-company results. The catalog is updated once at the end.
A bad entry is reported by name and never stops the others.
"""

from __future__ import annotations

import logging
import os
import zipfile
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from multiprocessing import get_context
from typing import Any

from schemas.financials import FINANCIALS_QUARTERLY
from tasks.errors import EtlError, ParseError
from tasks.quality.validation_checks import broken_rules
from tasks.sec import edgar
from tasks.storage.lake import Lake, UpsertResult
from tasks.storage.object_store import open_store
from tasks.storage.publish import publish
from tasks.xbrl.financials import ALL_CONCEPTS, financials_quarterly, fiscal_year_end_of
from tasks.xbrl.xbrl_facts import parse_companyfacts

log = logging.getLogger("earnings_lake.facts_bulk")


@dataclass
class BulkSummary:
    companies: int = 0
    companies_with_rows: int = 0
    rows_written: int = 0
    partitions: int = 0  # partitions holding the companies' rows
    failures: list[dict[str, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 2 if self.failures else 0

    def as_dict(self) -> dict[str, Any]:
        return {"companies": self.companies, "companies_with_rows": self.companies_with_rows,
                "rows_written": self.rows_written, "partitions": self.partitions,
                "documents_failed": len(self.failures), "failures": self.failures, "exit_code": self.exit_code}


_state: dict[str, Any] = {}


def _init_worker(zip_path: str, lake_url: str, tickers: dict[str, str]) -> None:
    _state["zip"] = zipfile.ZipFile(zip_path)
    _state["lake"] = Lake(open_store(lake_url))
    _state["tickers"] = tickers


def company_from_entry(name: str) -> tuple[str, dict[str, int], str | None]:
    """Parse, derive and publish one archive entry: (name, partition → rows, error or None)."""
    zip_: zipfile.ZipFile = _state["zip"]
    lake: Lake = _state["lake"]
    where = f"companyfacts.zip:{name}"
    try:
        with zip_.open(name) as handle:
            body = handle.read()
        entity, facts = parse_companyfacts(body, where, concepts=ALL_CONCEPTS)
        cik = entity["cik"]
        ticker = _state["tickers"].get(cik, f"CIK{cik}")
        rows = financials_quarterly(facts, ticker=ticker, cik=cik, fiscal_year_end=fiscal_year_end_of(facts) or "1231")
        if rows.is_empty():
            return name, {}, None
        broken = broken_rules(FINANCIALS_QUARTERLY, rows)  # the dataset's suite, evaluated with polars
        if broken:
            return name, {}, f"{where}: held back by the financials_quarterly suite: {'; '.join(broken)}"
        result = publish(lake, FINANCIALS_QUARTERLY, rows, record_catalog=False)
    except (EtlError, zipfile.BadZipFile, OSError) as exc:
        return name, {}, str(exc) if isinstance(exc, EtlError) else f"{where}: {exc}"
    return name, dict(result.partition_rows), None


def entries(zip_path: str) -> Iterator[str]:
    with zipfile.ZipFile(zip_path) as archive:
        for info in archive.infolist():
            if info.filename.endswith(".json") and not info.is_dir():
                yield info.filename


def ticker_map(lake: Lake) -> dict[str, str]:
    """CIK → its first listed ticker (the map lists a company's main class first), from the company_tickers.json
    an earlier ingest archived; empty without one, and then rows are named by CIK."""
    archived = lake.raw_read(edgar.TICKERS_URL)
    if archived is None:
        return {}
    try:
        tickers = edgar.parse_ticker_map(archived[0])
    except ParseError as exc:
        log.warning("bulk load names companies by CIK: the archived ticker map is unreadable (%s)", exc)
        return {}
    by_cik: dict[str, str] = {}
    for ticker, (cik, _) in tickers.items():
        by_cik.setdefault(cik, ticker)
    return by_cik


def run_facts_bulk(zip_path: str, lake_url: str, *, workers: int | None = None, window: int = 64) -> BulkSummary:
    """Every company of the archive into ``financials_quarterly``; at most ``window`` entries in flight."""
    if not zipfile.is_zipfile(zip_path):
        raise ParseError(zip_path, "archive", "not a zip archive")
    lake = Lake(open_store(lake_url))
    summary = BulkSummary()
    written: dict[str, int] = {}
    names = entries(zip_path)
    # spawn, not fork: forking a process that runs Prefect's threads can copy a held lock into the child.
    with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1, mp_context=get_context("spawn"),
                             initializer=_init_worker,
                             initargs=(zip_path, lake_url, ticker_map(lake))) as pool:
        pending: set[Future[tuple[str, dict[str, int], str | None]]] = set()
        for name in names:
            pending.add(pool.submit(company_from_entry, name))
            if len(pending) >= window:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                _collect(done, summary, written)
        _collect(pending, summary, written)
    result = UpsertResult(FINANCIALS_QUARTERLY.name, rows_in=summary.rows_written)
    result.partition_rows.update(written)
    result.partitions_written.extend(written)
    lake.record_in_catalog(FINANCIALS_QUARTERLY, result)
    summary.partitions = len(written)
    summary.failures.sort(key=lambda f: f["url"])
    return summary


def _collect(done: Any, summary: BulkSummary, written: dict[str, int]) -> None:
    for future in done:
        name, partitions, error = future.result()
        summary.companies += 1
        if error:
            summary.failures.append({"url": f"companyfacts.zip:{name}", "stage": "parse", "reason": error})
            continue
        if partitions:
            summary.companies_with_rows += 1
            summary.rows_written += sum(partitions.values())
            written.update(partitions)
