"""Prefect flows ``ingest`` and ``reprocess``: compose the tasks of flows.ingest_tasks.

Final states: a run ends **Completed** when every document was fetched and parsed and every dataset published;
it ends **Failed** when any document failed or any dataset (or unit of one) was held back. The datasets of
everything else are published either way. The failed documents are named in the state message, in the Failed
company tasks, and listed in the ``validation-report`` artifact; the state's data is the run summary.
"""

from __future__ import annotations

import logging
from datetime import date
from typing import Any

import polars as pl
from prefect import flow, unmapped
from prefect.client.schemas.objects import State
from prefect.states import Failed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.ingest_tasks import (
    company_xbrl_task,
    emit_events,
    fetch_company_task,
    parse_company_task,
    publish_task,
    reports_task,
    resolve,
    state_data,
)
from flows.runtime import Runtime, build_runtime, forget_runtime
from flows.steps import (
    CompanyDocuments,
    changed_rows,
    parse_issues_frame,
    published_part,
    record_outcomes,
    record_page_outcomes,
    record_parse_issues,
)
from flows.xbrl_steps import XbrlFrames, checked_actuals
from schemas.contract import DatasetContract
from schemas.filings import FILINGS, PARSE_ISSUES
from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.earnings.beats import guidance_vs_actual
from tasks.earnings.release_pages import PageOutcome
from tasks.earnings.releases import ReleaseRows, crashed_release, frame, is_release
from tasks.forms import DEFAULT_FORMS
from tasks.progress import progress
from tasks.sec import edgar
from tasks.sec.filings import FilingOutcome, filings_frame
from tasks.storage.ingest_log import IngestRecord, read_ingests, record_ingest

log = logging.getLogger("earnings_lake.ingest")
INGEST_DATASETS = (FILINGS, GUIDANCE, ACTUALS, GUIDANCE_VS_ACTUAL, FINANCIALS_QUARTERLY, SEGMENT_REVENUE, CAPEX,
                   PARSE_ISSUES)


def publish(rt: Runtime, contract: DatasetContract, frame_: Any) -> State:
    return publish_task(rt, contract, frame_, return_state=True)  # a failed dataset does not stop the others


def _threads() -> Any:
    """The default task runner (typed Any: Prefect's generic runner types do not line up under mypy)."""
    return ThreadPoolTaskRunner(max_workers=4)


def _fetched(rt: Runtime, companies: list[tuple[str, str]], since: date | None, until: date | None,
             forms: tuple[str, ...]) -> list[CompanyDocuments]:
    futures = fetch_company_task.map(unmapped(rt), [t for t, _ in companies], [c for _, c in companies],
                                     unmapped(since), unmapped(until), unmapped(forms)) if companies else []
    done = []
    for (ticker, cik), future in zip(companies, futures, strict=True):
        future.wait()
        docs = state_data(future.state, None)
        if docs is None:  # the company's task crashed past its retry: said, the other companies go on
            error = future.state.result(raise_on_failure=False)
            rt.summary.add_failure(url=edgar.submissions_url(cik), stage="fetch", ticker=ticker,
                                   reason=f"fetch crashed: {type(error).__name__}: {error}"[:2000])
            docs = CompanyDocuments()
        done.append(docs)
    return done


def _parsed(rt: Runtime, fetched: list[tuple[str, list[FilingOutcome | PageOutcome]]]) -> list[ReleaseRows]:
    """Rows of every release, in the order of ``fetched``; a company task that crashed past its per-document
    isolation gives each of its releases one issue naming it."""
    progress().expect("parsed", sum(len(items) for _t, items in fetched))
    futures = parse_company_task.map(unmapped(rt), [t for t, _ in fetched], [i for _, i in fetched])
    rows: list[ReleaseRows] = []
    for (_ticker, items), future in zip(fetched, futures, strict=True):
        future.wait()
        parsed = state_data(future.state, None)
        if parsed is None:
            error = future.state.result(raise_on_failure=False)
            parsed = [crashed_release(item, error) for item in items]
        rows += parsed
    return rows


def _xbrl(rt: Runtime, companies: list[tuple[str, str]], outcomes: list[FilingOutcome],
          guidance: pl.DataFrame) -> XbrlFrames:
    futures = company_xbrl_task.map(unmapped(rt), [t for t, _ in companies], [c for _, c in companies],
                                    unmapped(outcomes), unmapped(guidance)) if companies else []
    xbrl = XbrlFrames()
    for (ticker, cik), future in zip(companies, futures, strict=True):
        future.wait()
        done = state_data(future.state, None)
        if done is None:  # one company's XBRL that no rule expected: its issue, the others go on
            error = future.state.result(raise_on_failure=False)
            rt.summary.add_failure(url=edgar.companyfacts_url(cik), stage="parse", ticker=ticker,
                                   reason=f"XBRL parser crashed: {type(error).__name__}: {error}"[:2000])
            continue
        xbrl.financials += done.financials
        xbrl.segments += done.segments
        xbrl.capex += done.capex
    return xbrl


def run_pipeline(
    rt: Runtime, tickers: list[str], since: date | None, until: date | None, forms: tuple[str, ...]
) -> dict[str, Any]:
    companies = resolve(rt, tickers)
    fetched = _fetched(rt, companies, since, until, forms)
    outcomes = [o for docs in fetched for o in docs.outcomes]
    rt.summary.filings_found = len(outcomes)
    record_outcomes(rt, outcomes)
    record_page_outcomes(rt, [p for docs in fetched for p in docs.pages])
    per_company: list[tuple[str, list[FilingOutcome | PageOutcome]]] = [
        (ticker, [*(o for o in docs.outcomes if is_release(o)), *(p for p in docs.pages if p.body is not None)])
        for (ticker, _cik), docs in zip(companies, fetched, strict=True)]
    releases = _parsed(rt, per_company)
    items = [i for _t, company_items in per_company for i in company_items]
    owners = [(i.ref.ticker, i.ref.accession if isinstance(i, FilingOutcome) else None) for i in items]
    record_parse_issues(rt, owners, releases)
    publish(rt, FILINGS, filings_frame(outcomes))
    guidance = frame([row for r in releases for row in r.guidance], "guidance")
    before = rt.lake.read_dataset(GUIDANCE)
    publish(rt, GUIDANCE, guidance)
    emit_events(outcomes, changed_rows(before, published_part(rt, GUIDANCE, guidance)))
    guided = rt.lake.read_dataset(GUIDANCE)  # as published: the comparison and capex plans read it
    xbrl = _xbrl(rt, companies, outcomes, guided)
    publish(rt, FINANCIALS_QUARTERLY, xbrl.frame("financials"))
    publish(rt, SEGMENT_REVENUE, xbrl.frame("segments"))
    publish(rt, CAPEX, xbrl.frame("capex"))
    # actuals after the XBRL they are checked against (the lake's, this run's included)
    publish(rt, ACTUALS, checked_actuals(rt, frame([row for r in releases for row in r.actuals], "actuals")))
    publish(rt, GUIDANCE_VS_ACTUAL, guidance_vs_actual(guided, rt.lake.read_dataset(ACTUALS)))
    publish(rt, PARSE_ISSUES, parse_issues_frame(rt))
    reports_task(rt, {c.name for c in INGEST_DATASETS})
    summary = rt.summary.as_dict()
    written = ", ".join(f"{k} {v} rows" for k, v in summary["rows_written"].items()) or "none"
    log.log(logging.WARNING if summary["exit_code"] else logging.INFO,
            "%d filings: %d documents fetched, %d reused, %d failed; %d releases parsed (%d reused); datasets "
            "written: %s; unchanged: %s", summary["filings_found"], summary["documents_fetched"],
            summary["documents_reused"], summary["documents_failed"], summary["releases_parsed"],
            summary["releases_reused"], written, ", ".join(summary["unchanged"]) or "none")
    return summary


def final_state(summary: dict[str, Any]) -> dict[str, Any] | State:
    """The run's summary when everything was done, else a Failed state that says what failed and carries it."""
    if summary["exit_code"] == 0:
        return summary
    parts = [f"{summary['documents_failed']} documents failed"] if summary.get("documents_failed") else []
    parts += [f"{name} not published" for name in summary.get("datasets_failed", {})]
    parts += [f"{name}: {len(units)} units held back" for name, units in summary.get("held_back", {}).items()]
    return Failed(message="; ".join(parts) + " (the rest is published; the validation-report artifact lists them)",
                  data=summary)


def summary_of(state: Any) -> dict[str, Any]:
    """The run summary of an ingest, reprocess or backfill state, Completed or Failed; a crash is raised."""
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return dict(result)


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
) -> Any:
    """Fetch the tickers' filings in [since, until] from EDGAR and publish the curated datasets.

    ``options`` overrides further settings (rate_limit, timeout, ...) for this run. Ends Failed when any document
    failed or any dataset was held back (see the module docstring); call with ``return_state=True`` and read the
    summary with ``summary_of``.
    """
    rt = build_runtime(force=force, **{**(options or {}), "lake": lake, "mirror": mirror})
    chosen = tuple(forms or DEFAULT_FORMS)
    try:
        record_ingest(rt.lake, IngestRecord(tuple(t.upper() for t in tickers), since.isoformat() if since else None,
                                            until.isoformat() if until else None, chosen))
        return final_state(run_pipeline(rt, tickers, since, until, chosen))
    finally:
        forget_runtime(rt)


@flow(name="reprocess", task_runner=_threads())
def reprocess(lake: str | None = None) -> Any:
    """Rebuild every curated dataset from raw/ alone: no network. Final states as for ``ingest``."""
    rt = build_runtime(offline=True, lake=lake)
    try:
        runs = read_ingests(rt.lake)  # replay what the ingests asked for: the same tickers, dates and forms
        if not runs:  # a lake from before ingests were recorded: every archived company, every filing
            ciks = sorted({url.rsplit("CIK", 1)[1][:10] for url in rt.lake.raw_urls("raw/sec/submissions/")
                           if "/CIK" in url and "-submissions-" not in url})
            runs = [IngestRecord(tuple(ciks), None, None, DEFAULT_FORMS)]
        summary: dict[str, Any] = {}
        for run in runs:
            since, until = run.dates()
            summary = run_pipeline(rt, list(run.tickers), since, until, run.forms)
        return final_state(summary)
    finally:
        forget_runtime(rt)
