"""The ingest flow's Prefect tasks: thin wrappers around plain functions (tasks/), one task run per company and
stage (fetch, parse, XBRL) and per dataset (publish). A document that fails makes its company's task end Failed,
naming it, while the company's other documents go on (the rows travel in the Failed state's data)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import polars as pl
from prefect import task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import State
from prefect.events import emit_event
from prefect.states import Completed, Failed

from flows.runtime import Runtime
from flows.steps import (
    fetch_company,
    parse_company_releases,
    publish_dataset,
    publish_docs,
    release_pages_of,
    validation_table,
)
from flows.xbrl_steps import XbrlFrames, company_xbrl
from schemas.contract import DatasetContract
from tasks.earnings.release_pages import PageOutcome
from tasks.errors import EtlError
from tasks.progress import progress
from tasks.sec import edgar
from tasks.sec.filings import FilingOutcome, list_filings, resolve_companies

MAX_LISTED = 5  # failed documents named in a task's state message (the run's artifact and summary list them all)


def _raised(_task: Any, _run: Any, state: State) -> bool:
    """Retry a task that raised (a store or network outage), not one that returned its documents' failures."""
    return isinstance(state.data, BaseException)


def _failed(what: str, problems: list[str], data: Any) -> Any:
    """The task's result, or a Failed state naming the problems and carrying the result."""
    if not problems:
        return data
    more = len(problems) - MAX_LISTED
    shown = "; ".join(problems[:MAX_LISTED]) + (f"; … {more} more (the validation-report artifact lists all)"
                                                 if more > 0 else "")
    return Failed(message=f"{what}: {len(problems)} failed: {shown}"[:4000], data=data)


def resolve(rt: Runtime, tickers: list[str]) -> list[tuple[str, str]]:
    unknown: list[str] = []
    found = resolve_companies(rt.source, tickers, unknown)
    for ticker in unknown:
        rt.summary.add_failure(url=edgar.TICKERS_URL, reason=f"unknown ticker {ticker!r}", stage="resolve",
                               ticker=ticker.upper())
    return found


@task(cache_policy=NONE, name="fetch-documents", task_run_name="fetch-{ticker}", retries=1, retry_delay_seconds=5,
      retry_condition_fn=_raised)
def fetch_company_task(
    rt: Runtime, ticker: str, cik: str, since: date | None, until: date | None, forms: tuple[str, ...]
) -> Any:
    """One company's filings (submissions API) and newsroom release pages (its feed, when configured), then every
    document of them (archived ones are read from raw/); Failed naming any document that failed."""
    try:
        refs = list_filings(rt.source, ticker, cik, since=since, until=until, forms=forms)
    except EtlError as exc:
        rt.summary.add_failure(url=edgar.submissions_url(cik), reason=exc.why, stage="list", ticker=ticker)
        refs = []
    pages = release_pages_of(rt, ticker, cik, refs, since, until)
    progress().expect("fetched", len(refs) + len(pages))
    fetched = fetch_company(rt, refs, pages)
    return _failed(f"{ticker}: documents", fetched.failed(), fetched)


@task(cache_policy=NONE, name="parse-releases", task_run_name="parse-{ticker}")
def parse_company_task(rt: Runtime, ticker: str, items: list[FilingOutcome | PageOutcome]) -> Any:
    """Guidance and actuals of each of one company's releases; Failed naming any document with parse issues."""
    rows, reused = parse_company_releases(rt, items)
    rt.summary.count_releases(len(rows), reused)
    problems = [f"{issue.doc} [{issue.locator}]: {issue.reason}" for r in rows for issue in r.issues]
    return _failed(f"{ticker}: releases", problems, rows)


@task(cache_policy=NONE, name="company-xbrl", task_run_name="xbrl-{ticker}", retries=1, retry_delay_seconds=5,
      retry_condition_fn=_raised)
def company_xbrl_task(
    rt: Runtime, ticker: str, cik: str, outcomes: list[FilingOutcome], guidance: pl.DataFrame
) -> XbrlFrames:
    return company_xbrl(rt, ticker, cik, outcomes, guidance)


@task(cache_policy=NONE, name="publish", task_run_name="publish-{contract.name}")
def publish_task(rt: Runtime, contract: DatasetContract, frame: pl.DataFrame) -> State:
    """Completed, or Failed naming the broken expectation (the batch is quarantined, the run goes on)."""
    if publish_dataset(rt, contract, frame):
        if contract.name in rt.summary.unchanged:
            return Completed(message=f"{contract.name}: unchanged since its last publish")
        return Completed(message=f"{contract.name}: {rt.summary.rows_written.get(contract.name, 0)} rows")
    if contract.name in rt.summary.datasets_failed:
        return Failed(message=f"{contract.name} held back: {rt.summary.datasets_failed[contract.name]}"[:4000])
    held = rt.summary.held_back[contract.name]
    return Failed(message=f"{contract.name}: {rt.summary.rows_written.get(contract.name, 0)} rows published, "
                          f"{len(held)} units held back: {' | '.join(held)}"[:4000])


def emit_events(outcomes: list[FilingOutcome], guidance: pl.DataFrame) -> int:
    """Events users can automate on: a filing ingested (fetched by this run), guidance published (new or changed
    rows only, so a backfill or reprocess of unchanged guidance sends none; ticker and period in the resource)."""
    sent = 0
    for outcome in outcomes:
        ref = outcome.ref
        if any(d.body is not None and not d.reused for d in outcome.documents):  # fetched now, not re-read
            emit_event(event="earnings-lake.filing.ingested",
                       resource={"prefect.resource.id": f"earnings-lake.filing.{ref.accession}",
                                 "ticker": ref.ticker, "form": ref.form, "accession": ref.accession,
                                 "filed": ref.filed_date.isoformat()})
            sent += 1
    for ticker, period, release in guidance.select("ticker", "fiscal_period", "release_id").unique().rows():
        emit_event(event="earnings-lake.guidance.published",
                   resource={"prefect.resource.id": f"earnings-lake.guidance.{ticker}.{period}", "ticker": ticker,
                             "period": period, "release": release})
        sent += 1
    return sent


def _validation_report(rt: Runtime) -> None:
    """Data Docs into the lake, a markdown artifact of the run's validations and failed documents, an event per
    held-back dataset."""
    docs = publish_docs(rt)
    rt.summary.places["lake"] = rt.lake.url
    if docs:
        rt.summary.places["data docs"] = docs
    create_markdown_artifact(validation_table(rt, docs), key="validation-report",
                             description="Great Expectations results and failed documents of this run")
    for dataset, reason in rt.summary.datasets_failed.items():
        emit_event(event="earnings-lake.validation.failed",
                   resource={"prefect.resource.id": f"earnings-lake.dataset.{dataset}", "dataset": dataset,
                             "run": rt.run_id},
                   payload={"reason": reason[:2000], "quarantine": rt.summary.quarantined.get(dataset)})


def _lake_report(rt: Runtime, datasets: set[str]) -> None:
    """The lake's HTML report (report/index.html), linked from the run as an artifact; a lake whose datasets all
    stood still keeps the report it has."""
    if set(rt.summary.unchanged) >= datasets and rt.lake.store.exists("report/index.html"):
        rt.summary.places["report"] = f"{rt.lake.url.rstrip('/')}/report/index.html"
        return
    from tasks.storage.report import write_lake_report  # DuckDB and Plotly: loaded only when a report is written

    rt.summary.places["report"] = write_lake_report(rt)


@task(cache_policy=NONE, name="reports")
def reports_task(rt: Runtime, datasets: set[str]) -> None:
    """Data Docs, the run's artifact and the lake report. One that cannot be written is the run's failure, said
    with its reason; the other is still written."""
    _written(rt, "docs/", lambda: _validation_report(rt))
    _written(rt, "report/", lambda: _lake_report(rt, datasets))


def _written(rt: Runtime, where: str, write: Callable[[], None]) -> None:
    try:
        write()
    except Exception as exc:  # a store or renderer failure: recorded in the run summary, the run goes on
        rt.summary.add_failure(url=f"{rt.lake.url.rstrip('/')}/{where}", stage="publish",
                               reason=f"{where.rstrip('/')} not written: {type(exc).__name__}: {exc}"[:2000])


def state_data(state: State, default: Any) -> Any:
    """What a task returned, also when it ended Failed with its result as data; ``default`` when it crashed."""
    result = state.result(raise_on_failure=False)
    return default if isinstance(result, BaseException) else result
