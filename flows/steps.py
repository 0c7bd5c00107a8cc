"""Run-level steps the flows compose: record fetch outcomes, publish a dataset into the run summary."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date
from functools import partial

import polars as pl

from flows.runtime import Runtime
from schemas.contract import DatasetContract
from schemas.filings import PARSE_ISSUES
from tasks.earnings.release_pages import PageOutcome, PageRef, fetch_page, list_release_pages, parse_release_page
from tasks.earnings.releases import ReleaseRows, crashed_release, parse_release
from tasks.errors import ContractError, EtlError, ValidationFailed
from tasks.progress import progress
from tasks.quality.blame import split_blamed
from tasks.quality.validation import describe
from tasks.sec.filings import FilingOutcome, FilingRef, company_of, failures_of, fetch_filing
from tasks.storage.contract_check import cast_to_contract
from tasks.storage.incremental import batch_fingerprint, cached_or_computed, catalog_state, content_key
from tasks.storage.publish import Validator, publish
from tasks.storage.quarantine import hold

log = logging.getLogger("earnings_lake.steps")
MAX_ARTIFACT_ROWS = 500


@dataclass
class CompanyDocuments:
    """What one company's fetch gave: its filings (each with its documents) and its newsroom pages."""

    outcomes: list[FilingOutcome] = field(default_factory=list)
    pages: list[PageOutcome] = field(default_factory=list)

    def __repr__(self) -> str:  # task states show it: counts, never the bodies
        return f"CompanyDocuments({len(self.outcomes)} filings, {len(self.pages)} pages)"

    def failed(self) -> list[str]:
        """'URL: reason' of every document that could not be fetched."""
        found = [f"{f.url}: {f.reason}" for o in self.outcomes for f in failures_of(o)]
        return found + [f"{p.ref.url}: {p.error or 'not fetched'}" for p in self.pages if p.body is None]


def fetch_company(rt: Runtime, refs: list[FilingRef], page_refs: list[PageRef]) -> CompanyDocuments:
    """Every filing and newsroom page of one company; a document that fails is recorded in its outcome."""
    fetched = CompanyDocuments()
    for ref in refs:
        fetched.outcomes.append(fetch_filing(rt.source, ref))
        progress().advance("fetched")
    for page in page_refs:
        fetched.pages.append(fetch_page(rt.source, page))
        progress().advance("fetched")
    return fetched


def _parse_one(item: FilingOutcome | PageOutcome) -> ReleaseRows:
    return parse_release(item) if isinstance(item, FilingOutcome) else parse_release_page(item)


def parse_company_releases(rt: Runtime, items: list[FilingOutcome | PageOutcome]) -> tuple[list[ReleaseRows], int]:
    """Rows of each release (a parser crash becomes one issue naming the document; the others go on), and how
    many came from the parse cache: a release whose documents and parser are unchanged is not parsed again."""
    results: list[ReleaseRows] = []
    reused = 0
    for item in items:
        if isinstance(item, FilingOutcome):
            bodies = [d.body for d in item.documents if d.body is not None]
            described: object = (item.ref, [(d.doc.type, d.doc.url) for d in item.documents if d.body is not None])
        else:
            bodies, described = [item.body or b""], item.ref
        try:
            rows, hit = cached_or_computed(rt.lake, "releases", content_key("release", described, bodies),
                                           partial(_parse_one, item), ReleaseRows.stored, ReleaseRows.from_stored,
                                           refresh=rt.source.force)
        except Exception as exc:  # a parser crash is this document's issue, never the run's
            rows, hit = crashed_release(item, exc), False
        results.append(rows)
        reused += hit
        progress().advance("parsed")
    return results, reused


def record_outcomes(rt: Runtime, outcomes: list[FilingOutcome]) -> None:
    for outcome in outcomes:
        for doc in outcome.documents:
            if doc.body is not None:
                rt.summary.count_document(reused=doc.reused)
        for failure in failures_of(outcome):
            rt.summary.add_failure(url=failure.url, reason=failure.reason, stage=failure.stage,
                                   ticker=failure.ticker, accession=failure.accession)


def record_parse_issues(
    rt: Runtime, owners: list[tuple[str, str | None]], releases: list[ReleaseRows]
) -> None:
    """Parse errors of each release, under its (ticker, accession or None)."""
    for (ticker, accession), release in zip(owners, releases, strict=True):
        for issue in release.issues:
            reason = issue.reason
            if issue.locator == "body" and not rt.source.offline:  # a torn or unreadable body: fetch it again
                rt.lake.raw_forget(issue.doc)
                reason += " (withdrawn from the raw archive: fetched again next run)"
            rt.summary.add_failure(url=issue.doc, reason=reason, stage="parse", locator=issue.locator,
                                   ticker=ticker, accession=accession or "")
        for issue in release.unread:
            rt.summary.add_note(url=issue.doc, reason=issue.reason, stage="guidance", locator=issue.locator,
                                ticker=ticker, accession=accession or "")


def release_pages_of(
    rt: Runtime, ticker: str, cik: str, refs: list[FilingRef], since: date | None, until: date | None
) -> list[PageRef]:
    """Newsroom release pages of a company with a configured feed; listing problems go to the summary."""
    ticker = next((r.ticker for r in refs if r.cik == cik), ticker)
    feed = rt.release_feeds.get(ticker)
    if feed is None:
        return []
    try:
        fye = next((r.fiscal_year_end for r in refs if r.cik == cik), None)
        fye = fye or company_of(rt.source, cik).fiscal_year_end
        listing = list_release_pages(rt.source, feed, cik=cik, fiscal_year_end=fye, since=since, until=until)
    except EtlError as exc:
        rt.summary.add_failure(url=exc.document or feed.feed, reason=exc.why, stage="list", ticker=ticker)
        return []
    for problem in listing.problems:
        rt.summary.add_failure(url=problem.doc, reason=problem.reason, stage="list", ticker=ticker,
                               locator=problem.locator)
    return listing.pages


def record_page_outcomes(rt: Runtime, outcomes: list[PageOutcome]) -> None:
    for outcome in outcomes:
        if outcome.body is not None:
            rt.summary.count_document(reused=outcome.reused)
        else:
            rt.summary.add_failure(url=outcome.ref.url, reason=outcome.error or "not fetched", stage="fetch",
                                   ticker=outcome.ref.ticker)


def parse_issues_frame(rt: Runtime) -> pl.DataFrame:
    rows = [
        {"ticker": f["ticker"] or "-", "accession": f["accession"] or None, "doc": f["url"],
         "stage": f["stage"], "locator": f.get("locator", "") or "-", "reason": f["reason"]}
        for f in [*rt.summary.failures, *rt.summary.notes]
    ]
    if not rows:
        return PARSE_ISSUES.empty()
    frame = pl.DataFrame(rows, schema=PARSE_ISSUES.schema)
    return frame.unique(subset=list(PARSE_ISSUES.primary_key), keep="last", maintain_order=True)


def publish_dataset(
    rt: Runtime, contract: DatasetContract, frame: pl.DataFrame, validators: tuple[Validator, ...] = ()
) -> bool:
    """Publish one dataset through the gate. The units (releases, partitions) whose rows break an error rule are
    held back in quarantine and the rest publishes; a failure no unit can be blamed for (schema, store) holds
    the dataset. Everything is recorded in the run summary; True when all of it was published."""
    batch = frame
    try:
        batch = cast_to_contract(frame, contract)
        fingerprint = batch_fingerprint(contract, batch)
        if not rt.source.force and unchanged_since_published(rt, contract, fingerprint):
            rt.summary.unchanged.append(contract.name)
            return True
        # Great Expectations validates the whole batch (its results and Data Docs show every failure); the rows
        # that break an error rule are traced to their units, which are held back, and the rest is published.
        report = rt.gate.report(contract, batch) if rt.gate else None
        clean = hold_blamed_units(rt, contract, batch)
        if clean.is_empty() and contract.name in rt.summary.held_back:
            return False  # every unit held back: nothing to publish
        if report is not None and report.errors and contract.name not in rt.summary.held_back:
            raise ValidationFailed(contract.name, "; ".join(describe(o) for o in report.errors))
        result = publish(rt.lake, contract, clean, validators=validators)
    except ContractError as exc:  # a schema-level failure no release can be blamed for: the whole batch
        log.error("dataset %s not published: %s", contract.name, exc)
        rt.summary.datasets_failed[contract.name] = str(exc)
        rt.summary.quarantined[contract.name] = hold(rt.lake, contract.name, rt.run_id, batch, str(exc), {})
        return False
    except ValidationFailed as exc:
        log.error("dataset %s not published: %s", contract.name, exc)
        rt.summary.datasets_failed[contract.name] = str(exc)
        report = rt.gate.results.get(contract.name) if rt.gate else None
        rt.summary.quarantined[contract.name] = hold(
            rt.lake, contract.name, rt.run_id, batch, str(exc), report.result_json if report else {})
        return False
    except Exception as exc:  # the store failed (disk full, S3 outage, timeout): reported, never silent
        reason = f"not written: {type(exc).__name__}: {exc}"
        log.error("dataset %s %s", contract.name, reason)
        rt.summary.datasets_failed[contract.name] = reason[:2000]
        return False
    finally:
        record_validation(rt, contract.name)
    rt.summary.rows_written[contract.name] = result.rows_in
    rt.summary.partitions_written[contract.name] = len(result.partitions_written)
    if contract.name in rt.summary.held_back:
        return False
    rt.lake.set_batch_marker(contract.name, {"fingerprint": fingerprint, "run": rt.run_id,
                                             "catalog": dataset_state(rt, contract)})
    return True


def unchanged_since_published(rt: Runtime, contract: DatasetContract, fingerprint: str) -> bool:
    """The batch is the one this dataset last published in full, and nothing has changed the dataset since."""
    marker = rt.lake.batch_marker(contract.name)
    return (marker.get("fingerprint") == fingerprint
            and marker.get("catalog") == dataset_state(rt, contract))


def dataset_state(rt: Runtime, contract: DatasetContract) -> str:
    return catalog_state(rt.lake.catalog(), contract.name, rt.lake.partition_keys(contract))


def published_part(rt: Runtime, contract: DatasetContract, frame: pl.DataFrame) -> pl.DataFrame:
    """The rows of ``frame`` that were published: none when the dataset failed, else all but the held units."""
    if contract.name in rt.summary.datasets_failed:
        return frame.clear()
    units = rt.summary.held_units.get(contract.name)
    if not units:
        return frame
    keys = pl.DataFrame(units, schema={c: frame.schema[c] for c in contract.blame_units})
    return frame.join(keys, on=list(contract.blame_units), how="anti", nulls_equal=True)


def changed_rows(before: pl.DataFrame, after: pl.DataFrame) -> pl.DataFrame:
    """Rows of ``after`` that ``before`` does not hold identically (new, or changed in any column)."""
    if before.is_empty() or after.is_empty():
        return after
    return after.join(before.select(after.columns), on=after.columns, how="anti", nulls_equal=True)


def hold_blamed_units(rt: Runtime, contract: DatasetContract, frame: pl.DataFrame) -> pl.DataFrame:
    """Hold back the units (releases, partitions) whose rows break an error rule; the rest goes on."""
    split = split_blamed(contract, frame)
    if not split.units:
        return frame
    reason = " | ".join(unit.describe() for unit in split.units)
    log.error("dataset %s: %d rows held back: %s", contract.name, split.held.height, reason)
    rt.summary.hold_rows(contract.name, [unit.unit for unit in split.units], [unit.describe() for unit in split.units],
                         hold(rt.lake, contract.name, rt.run_id, split.held, reason, {}))
    return split.clean


def record_validation(rt: Runtime, dataset: str) -> None:
    report = rt.gate.results.get(dataset) if rt.gate else None
    if report is None:
        return
    rt.summary.validations[dataset] = {
        "rows": report.rows, "expectations": len(report.outcomes), "passed": report.passed,
        "errors": [describe(o) for o in report.errors], "warnings": [describe(o) for o in report.warnings]}


def publish_docs(rt: Runtime) -> str | None:
    """Copy this run's Data Docs into the lake's docs/ (local folder or S3); the index's location."""
    built = rt.gate.build_docs() if rt.gate else None
    if built is None:  # nothing validated this run (every batch unchanged): the docs already there still hold
        return f"{rt.lake.url.rstrip('/')}/docs/index.html" if rt.lake.store.exists("docs/index.html") else None
    for path in sorted(p for p in built.rglob("*") if p.is_file()):
        rt.lake.store.put("docs/" + path.relative_to(built).as_posix(), path.read_bytes())
    return f"{rt.lake.url.rstrip('/')}/docs/index.html"


def validation_table(rt: Runtime, docs: str | None) -> str:
    """Markdown: one row per dataset of this run, for the Prefect artifact."""
    lines = ["| dataset | rows | expectations passed | failed (error) | warnings | published |",
             "|---|---|---|---|---|---|"]
    for name, report in sorted(rt.summary.validations.items()):
        published = "no: quarantined" if name in rt.summary.quarantined else "yes"
        lines.append(f"| {name} | {report['rows']} | {report['passed']}/{report['expectations']} | "
                     f"{len(report['errors'])} | {len(report['warnings'])} | {published} |")
    for name, reason in sorted(rt.summary.datasets_failed.items()):
        lines.append(f"\n**{name}** held back: {reason}")
    missing = [f for f in rt.summary.failures if f["reason"].startswith("HTTP 404")]
    others = [f for f in rt.summary.failures if not f["reason"].startswith("HTTP 404")]
    if rt.summary.failures:  # the run ends Failed: every document is named, other failures first, then the 404s
        lines.append(f"\n**Documents that failed: {len(rt.summary.failures)}** "
                     f"({len(others)} failed to fetch or parse, {len(missing)} not found, HTTP 404)")
        lines += ["", "| ticker | stage | document | reason |", "|---|---|---|---|"]
        listed = sorted(others, key=lambda f: (f["ticker"], f["url"])) + sorted(
            missing, key=lambda f: (f["ticker"], f["url"]))
        lines += [f"| {f['ticker']} | {f['stage']} | {f['url']} | {f['reason'][:300].replace('|', '/')} |"
                  for f in listed[:MAX_ARTIFACT_ROWS]]
        if len(listed) > MAX_ARTIFACT_ROWS:
            lines.append(f"\n… and {len(listed) - MAX_ARTIFACT_ROWS} more (the run's parse_issues dataset has all)")
    if docs:
        lines.append(f"\nData Docs: [{docs}]({docs})")
    return "\n".join(lines)
