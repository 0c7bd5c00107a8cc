"""Prefect flows ``ingest`` and ``reprocess``: thin task wrappers around plain functions, composed."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
from prefect import flow, task, unmapped
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NONE
from prefect.client.schemas.objects import State
from prefect.events import emit_event
from prefect.states import Completed, Failed
from prefect.task_runners import ThreadPoolTaskRunner

from schemas.contract import DatasetContract
from schemas.filings import FILINGS, PARSE_ISSUES
from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks import edgar
from tasks.beats import guidance_vs_actual
from tasks.errors import EtlError
from tasks.filings import (
    FilingOutcome,
    FilingRef,
    fetch_filing,
    filings_frame,
    list_filings,
    resolve_companies,
)
from tasks.ingest_log import IngestRecord, read_ingests, record_ingest
from tasks.release_pages import PageOutcome, PageRef, fetch_page, parse_release_page
from tasks.releases import ReleaseRows, crashed_release, frame, is_release, parse_release
from tasks.report import write_lake_report
from tasks.runtime import Runtime, build_runtime, forget_runtime
from tasks.steps import (
    changed_rows,
    parse_issues_frame,
    publish_dataset,
    publish_docs,
    published_part,
    record_outcomes,
    record_page_outcomes,
    record_parse_issues,
    release_pages_of,
    validation_table,
)
from tasks.xbrl_steps import XbrlFrames, company_xbrl


@task(cache_policy=NONE, name="resolve-companies")
def resolve_task(rt: Runtime, tickers: list[str]) -> list[tuple[str, str]]:
    unknown: list[str] = []
    found = resolve_companies(rt.source, tickers, unknown)
    for ticker in unknown:
        rt.summary.add_failure(url=edgar.TICKERS_URL, reason=f"unknown ticker {ticker!r}", stage="resolve",
                               ticker=ticker.upper())
    return found


@task(cache_policy=NONE, name="list-filings", task_run_name="list-filings-{ticker}")
def list_filings_task(
    rt: Runtime, ticker: str, cik: str, since: date | None, until: date | None, forms: tuple[str, ...]
) -> list[FilingRef]:
    try:
        return list_filings(rt.source, ticker, cik, since=since, until=until, forms=forms)
    except EtlError as exc:
        rt.summary.add_failure(url=edgar.submissions_url(cik), reason=str(exc), stage="list", ticker=ticker)
        return []


@task(cache_policy=NONE, name="fetch-filing", task_run_name="fetch-{ref.accession}")
def fetch_filing_task(rt: Runtime, ref: FilingRef) -> FilingOutcome:
    return fetch_filing(rt.source, ref)


@task(cache_policy=NONE, name="list-release-pages", task_run_name="list-release-pages-{ticker}")
def list_release_pages_task(
    rt: Runtime, ticker: str, cik: str, refs: list[FilingRef], since: date | None, until: date | None
) -> list[PageRef]:
    return release_pages_of(rt, ticker, cik, refs, since, until)


@task(cache_policy=NONE, name="fetch-release-page")
def fetch_page_task(rt: Runtime, ref: PageRef) -> PageOutcome:
    return fetch_page(rt.source, ref)


@task(cache_policy=NONE, name="parse-release", task_run_name="parse-{label}")
def parse_release_task(item: FilingOutcome | PageOutcome, label: str) -> ReleaseRows:
    """One release per task run: a parser crash fails this document's task run only."""
    if isinstance(item, FilingOutcome):
        return parse_release(item)
    return parse_release_page(item)


def parse_releases(items: list[FilingOutcome | PageOutcome]) -> list[ReleaseRows]:
    """Rows of every release; a release whose parser raised becomes a parse issue naming its document."""
    labels = [i.ref.accession if isinstance(i, FilingOutcome) else i.ref.url.rsplit("/", 1)[-1] for i in items]
    futures = parse_release_task.map(items, labels) if items else []
    results = []
    for item, future in zip(items, futures, strict=True):
        future.wait()
        state = future.state
        results.append(state.result() if state.is_completed() else
                       crashed_release(item, state.result(raise_on_failure=False)))
    return results


@task(cache_policy=NONE, name="company-xbrl", task_run_name="xbrl-{ticker}")
def company_xbrl_task(rt: Runtime, ticker: str, cik: str, outcomes: list[FilingOutcome]) -> XbrlFrames:
    return company_xbrl(rt, ticker, cik, outcomes, rt.lake.read_dataset(GUIDANCE))


@task(cache_policy=NONE, name="validation-report")
def validation_report_task(rt: Runtime) -> None:
    """Data Docs into the lake, a markdown artifact of the run's validations, an event per held-back dataset."""
    docs = publish_docs(rt)
    rt.summary.places["lake"] = rt.lake.url
    if docs:
        rt.summary.places["data docs"] = docs
    create_markdown_artifact(validation_table(rt, docs), key="validation-report",
                             description="Great Expectations results of this run")
    for dataset, reason in rt.summary.datasets_failed.items():
        emit_event(event="earnings-lake.validation.failed",
                   resource={"prefect.resource.id": f"earnings-lake.dataset.{dataset}", "dataset": dataset,
                             "run": rt.run_id},
                   payload={"reason": reason[:2000], "quarantine": rt.summary.quarantined.get(dataset)})


@task(cache_policy=NONE, name="lake-report")
def lake_report_task(rt: Runtime) -> str:
    """The lake's HTML report (report/index.html), linked from the run as an artifact."""
    where = write_lake_report(rt)
    rt.summary.places["report"] = where
    return where


@task(cache_policy=NONE, name="emit-events")
def emit_events_task(outcomes: list[FilingOutcome], guidance: pl.DataFrame) -> int:
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


@task(cache_policy=NONE, name="guidance-vs-actual")
def guidance_vs_actual_task(rt: Runtime) -> pl.DataFrame:
    return guidance_vs_actual(rt.lake.read_dataset(GUIDANCE), rt.lake.read_dataset(ACTUALS))


@task(cache_policy=NONE, name="publish", task_run_name="publish-{contract.name}")
def publish_task(rt: Runtime, contract: DatasetContract, frame: pl.DataFrame) -> State:
    """Completed, or Failed naming the broken expectation (the batch is quarantined, the run goes on)."""
    if publish_dataset(rt, contract, frame):
        return Completed(message=f"{contract.name}: {rt.summary.rows_written.get(contract.name, 0)} rows")
    if contract.name in rt.summary.datasets_failed:
        return Failed(message=f"{contract.name} held back: {rt.summary.datasets_failed[contract.name]}"[:4000])
    held = rt.summary.held_back[contract.name]
    return Failed(message=f"{contract.name}: {rt.summary.rows_written.get(contract.name, 0)} rows published, "
                          f"{len(held)} units held back: {' | '.join(held)}"[:4000])


def publish(rt: Runtime, contract: DatasetContract, frame: pl.DataFrame) -> State:
    return publish_task(rt, contract, frame, return_state=True)  # a failed dataset does not stop the others


def _threads() -> Any:
    """The default task runner (typed Any: Prefect's generic runner types do not line up under mypy)."""
    return ThreadPoolTaskRunner(max_workers=4)


def run_pipeline(
    rt: Runtime, tickers: list[str], since: date | None, until: date | None, forms: tuple[str, ...]
) -> dict[str, Any]:
    companies = resolve_task(rt, tickers)
    refs = [ref for ticker, cik in companies for ref in list_filings_task(rt, ticker, cik, since, until, forms)]
    rt.summary.filings_found = len(refs)
    page_refs = [p for ticker, cik in companies for p in list_release_pages_task(rt, ticker, cik, refs, since, until)]
    outcomes = fetch_filing_task.map(unmapped(rt), refs).result() if refs else []
    pages = fetch_page_task.map(unmapped(rt), page_refs).result() if page_refs else []
    record_outcomes(rt, outcomes)
    record_page_outcomes(rt, pages)
    items: list[FilingOutcome | PageOutcome] = [o for o in outcomes if is_release(o)]
    items += [p for p in pages if p.body is not None]
    releases = parse_releases(items)
    owners = [(i.ref.ticker, i.ref.accession if isinstance(i, FilingOutcome) else None) for i in items]
    record_parse_issues(rt, owners, releases)
    publish(rt, FILINGS, filings_frame(outcomes))
    guidance = frame([row for r in releases for row in r.guidance], "guidance")
    before = rt.lake.read_dataset(GUIDANCE)
    publish(rt, GUIDANCE, guidance)
    emit_events_task(outcomes, changed_rows(before, published_part(rt, GUIDANCE, guidance)))
    publish(rt, ACTUALS, frame([row for r in releases for row in r.actuals], "actuals"))
    publish(rt, GUIDANCE_VS_ACTUAL, guidance_vs_actual_task(rt))
    xbrl = XbrlFrames()
    for ticker, cik in companies:
        state = company_xbrl_task(rt, ticker, cik, outcomes, return_state=True)
        if not state.is_completed():  # one company's XBRL that no rule expected: its issue, the others go on
            error = state.result(raise_on_failure=False)
            rt.summary.add_failure(url=edgar.companyfacts_url(cik), stage="parse", ticker=ticker,
                                   reason=f"XBRL parser crashed: {type(error).__name__}: {error}"[:2000])
            continue
        done = state.result()
        xbrl.financials += done.financials
        xbrl.segments += done.segments
        xbrl.capex += done.capex
    publish(rt, FINANCIALS_QUARTERLY, xbrl.frame("financials"))
    publish(rt, SEGMENT_REVENUE, xbrl.frame("segments"))
    publish(rt, CAPEX, xbrl.frame("capex"))
    publish(rt, PARSE_ISSUES, parse_issues_frame(rt))
    report = validation_report_task(rt, return_state=True)
    if not report.is_completed():  # Data Docs or the artifact could not be written: said, not fatal
        failure = report.result(raise_on_failure=False)
        rt.summary.add_failure(url=f"{rt.lake.url.rstrip('/')}/docs/", stage="publish",
                               reason=f"validation report not written: {type(failure).__name__}: {failure}"[:2000])
    lake_report = lake_report_task(rt, return_state=True)
    if not lake_report.is_completed():
        problem = lake_report.result(raise_on_failure=False)
        rt.summary.add_failure(url=f"{rt.lake.url.rstrip('/')}/report/", stage="publish",
                               reason=f"lake report not written: {type(problem).__name__}: {problem}"[:2000])
    return rt.summary.as_dict()


@flow(name="ingest", task_runner=_threads(), log_prints=True)
def ingest(
    tickers: list[str],
    since: date | None = None,
    until: date | None = None,
    forms: list[str] | None = None,
    force: bool = False,
    lake: str | None = None,
    mirror: str | None = None,
    options: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Fetch the tickers' filings in [since, until] from EDGAR and publish the curated datasets.

    ``options`` overrides further settings (rate_limit, timeout, ...) for this run.
    """
    rt = build_runtime(force=force, **{**(options or {}), "lake": lake, "mirror": mirror})
    chosen = tuple(forms or edgar.DEFAULT_FORMS)
    try:
        record_ingest(rt.lake, IngestRecord(tuple(t.upper() for t in tickers), since.isoformat() if since else None,
                                            until.isoformat() if until else None, chosen))
        return run_pipeline(rt, tickers, since, until, chosen)
    finally:
        forget_runtime(rt)


@flow(name="reprocess", task_runner=_threads())
def reprocess(lake: str | None = None) -> dict[str, Any]:
    """Rebuild every curated dataset from raw/ alone: no network."""
    rt = build_runtime(offline=True, lake=lake)
    try:
        runs = read_ingests(rt.lake)  # replay what the ingests asked for: the same tickers, dates and forms
        if not runs:  # a lake from before ingests were recorded: every archived company, every filing
            ciks = sorted({url.rsplit("CIK", 1)[1][:10] for url in rt.lake.raw_urls("raw/sec/submissions/")
                           if "/CIK" in url and "-submissions-" not in url})
            runs = [IngestRecord(tuple(ciks), None, None, edgar.DEFAULT_FORMS)]
        summary: dict[str, Any] = {}
        for run in runs:
            since, until = run.dates()
            summary = run_pipeline(rt, list(run.tickers), since, until, run.forms)
        return summary
    finally:
        forget_runtime(rt)
