"""Run-level steps the flows compose: record fetch outcomes, publish a dataset into the run summary."""

from __future__ import annotations

import logging

import polars as pl

from schemas.contract import DatasetContract
from schemas.filings import PARSE_ISSUES
from tasks.errors import ContractError, ValidationFailed
from tasks.filings import FilingOutcome, failures_of
from tasks.publish import Validator, publish
from tasks.releases import ReleaseRows
from tasks.runtime import Runtime

log = logging.getLogger("earnings_lake.steps")


def record_outcomes(rt: Runtime, outcomes: list[FilingOutcome]) -> None:
    for outcome in outcomes:
        for doc in outcome.documents:
            if doc.body is not None:
                rt.summary.count_document(reused=doc.reused)
        for failure in failures_of(outcome):
            rt.summary.add_failure(url=failure.url, reason=failure.reason, stage=failure.stage,
                                   ticker=failure.ticker, accession=failure.accession)


def record_parse_issues(rt: Runtime, outcomes: list[FilingOutcome], releases: list[ReleaseRows]) -> None:
    for outcome, release in zip(outcomes, releases, strict=True):
        for issue in release.issues:
            rt.summary.add_failure(url=issue.doc, reason=issue.reason, stage="parse", locator=issue.locator,
                                   ticker=outcome.ref.ticker, accession=outcome.ref.accession)


def parse_issues_frame(rt: Runtime) -> pl.DataFrame:
    rows = [
        {"ticker": f["ticker"] or "-", "accession": f["accession"] or None, "doc": f["url"],
         "stage": f["stage"], "locator": f.get("locator", "") or "-", "reason": f["reason"]}
        for f in rt.summary.failures
    ]
    if not rows:
        return PARSE_ISSUES.empty()
    frame = pl.DataFrame(rows, schema=PARSE_ISSUES.schema)
    return frame.unique(subset=list(PARSE_ISSUES.primary_key), keep="last", maintain_order=True)


def publish_dataset(
    rt: Runtime, contract: DatasetContract, frame: pl.DataFrame, validators: tuple[Validator, ...] = ()
) -> bool:
    """Publish one dataset; a contract or validation failure is recorded and does not stop the others."""
    try:
        result = publish(rt.lake, contract, frame, validators=validators)
    except (ContractError, ValidationFailed) as exc:
        log.error("dataset %s not published: %s", contract.name, exc)
        rt.summary.datasets_failed[contract.name] = str(exc)
        return False
    rt.summary.rows_written[contract.name] = result.rows_in
    rt.summary.partitions_written[contract.name] = len(result.partitions_written)
    return True
