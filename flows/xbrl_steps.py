"""Per company: companyfacts and the fetched 10-Q/10-K inline XBRL → financials_quarterly, segment_revenue, capex.

One company's bad document is recorded in the run summary and never stops the other companies.
"""

from __future__ import annotations

import base64
import io
import logging
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from flows.runtime import Runtime
from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE
from tasks.earnings.xbrl_check import check_against_xbrl, disagreements
from tasks.errors import EtlError, FetchError
from tasks.forms import PERIODIC_FORMS
from tasks.sec import edgar
from tasks.sec.filings import DocOutcome, FilingOutcome, company_of
from tasks.storage.incremental import batch_fingerprint, cached_or_computed, content_key
from tasks.xbrl.capex import capex_frame
from tasks.xbrl.financials import ALL_CONCEPTS, financials_quarterly
from tasks.xbrl.inline_xbrl import parse_inline_xbrl
from tasks.xbrl.segments import SEGMENT_AXES, segment_revenue
from tasks.xbrl.xbrl_facts import FACT_SCHEMA, parse_companyfacts

log = logging.getLogger("earnings_lake.xbrl")
INLINE_NAMESPACE = b"http://www.xbrl.org/2013/inlineXBRL"


@dataclass
class XbrlFrames:
    financials: list[pl.DataFrame] = field(default_factory=list)
    segments: list[pl.DataFrame] = field(default_factory=list)
    capex: list[pl.DataFrame] = field(default_factory=list)

    def frame(self, name: str) -> pl.DataFrame:
        parts, contract = {"financials": (self.financials, FINANCIALS_QUARTERLY),
                           "segments": (self.segments, SEGMENT_REVENUE), "capex": (self.capex, CAPEX)}[name]
        frames = [p for p in parts if not p.is_empty()]
        return pl.concat(frames) if frames else contract.empty()


def inline_facts(outcomes: list[FilingOutcome]) -> tuple[pl.DataFrame, list[dict[str, str]]]:
    """Facts (with segment dimensions) of the fetched 10-Q/10-K primary documents of one company, and the
    documents that could not be read (as run-summary failures)."""
    frames, failures = [], []
    for outcome in outcomes:
        ref = outcome.ref
        for doc in _inline_documents(outcome):
            try:
                frames.append(parse_inline_xbrl(doc.body or b"", doc.doc.url, accession=ref.accession, form=ref.form,
                                                filed=ref.filed_date, concepts=ALL_CONCEPTS,
                                                axes=frozenset(SEGMENT_AXES)))
            except EtlError as exc:
                failures.append({"url": exc.document or doc.doc.url, "reason": exc.why, "stage": "parse",
                                 "ticker": ref.ticker, "accession": ref.accession,
                                 "locator": str(getattr(exc, "locator", ""))})
    return (pl.concat(frames) if frames else pl.DataFrame(schema=FACT_SCHEMA)), failures


def _inline_documents(outcome: FilingOutcome) -> list[DocOutcome]:
    """The 10-Q/10-K primary document when it is inline XBRL (older filings are covered by companyfacts)."""
    ref = outcome.ref
    if ref.form not in PERIODIC_FORMS:
        return []
    return [d for d in outcome.documents if d.body is not None and d.doc.name == ref.primary_document
            and INLINE_NAMESPACE in d.body[:500_000]]


def company_xbrl(
    rt: Runtime, ticker: str, cik: str, outcomes: list[FilingOutcome], guidance: pl.DataFrame
) -> XbrlFrames:
    """The three XBRL datasets' rows for one company. The result is kept under the sha256 of everything it is
    computed from (companyfacts, the inline documents, the company's guidance, the parser): a rerun over the same
    inputs reuses it."""
    mine = [o for o in outcomes if o.ref.cik == cik]
    ticker = mine[0].ref.ticker if mine else ticker
    try:
        fye = mine[0].ref.fiscal_year_end if mine else company_of(rt.source, cik).fiscal_year_end
    except EtlError as exc:
        rt.summary.add_failure(url=exc.document, reason=exc.why, stage="list", ticker=ticker)
        return XbrlFrames()
    url = edgar.companyfacts_url(cik)
    body, failures = b"", []
    try:
        body = rt.source.get(url).data
    except FetchError as exc:
        failures.append({"url": url, "reason": exc.why, "stage": "fetch", "ticker": ticker, "accession": "",
                         "locator": ""})
    guided = guidance.filter(pl.col("ticker") == ticker)
    inline_docs = [d.body or b"" for o in mine for d in _inline_documents(o)]
    key = content_key("xbrl", (ticker, cik, fye, url, batch_fingerprint(GUIDANCE, guided)), [body, *inline_docs])

    (frames, found), _reused = cached_or_computed(
        rt.lake, "xbrl", key, lambda: _company_frames(ticker, cik, fye, url, body, mine, guided), _stored,
        _from_stored, refresh=rt.source.force)
    for failure in [*failures, *found]:
        rt.summary.add_failure(**failure)
    done: XbrlFrames = frames
    return done


def _company_frames(
    ticker: str, cik: str, fye: str, url: str, body: bytes, mine: list[FilingOutcome],
    guidance: pl.DataFrame,
) -> tuple[XbrlFrames, list[dict[str, str]]]:
    out, failures = XbrlFrames(), []
    facts = None
    if body:
        try:
            _entity, facts = parse_companyfacts(body, url, concepts=ALL_CONCEPTS)
        except EtlError as exc:
            failures.append({"url": url, "reason": exc.why, "stage": "parse", "ticker": ticker, "accession": "",
                             "locator": str(getattr(exc, "locator", ""))})
    inline, unreadable = inline_facts(mine)
    failures += unreadable
    # companyfacts is the complete history; without it, the inline documents' own facts are used.
    basis = facts if facts is not None and not facts.is_empty() else inline.filter(pl.col("axis").is_null())
    out.financials.append(financials_quarterly(basis, ticker=ticker, cik=cik, fiscal_year_end=fye))
    out.capex.append(capex_frame(basis, ticker=ticker, cik=cik, fiscal_year_end=fye, guidance=guidance))
    out.segments.append(segment_revenue(inline, ticker=ticker, cik=cik, fiscal_year_end=fye))
    return out, failures


def _ipc(frame: pl.DataFrame) -> str:
    buffer = io.BytesIO()
    frame.write_ipc(buffer)
    return base64.b64encode(buffer.getvalue()).decode()


def _frame(text: str) -> pl.DataFrame:
    return pl.read_ipc(io.BytesIO(base64.b64decode(text)))


def _stored(result: tuple[XbrlFrames, list[dict[str, str]]]) -> dict[str, Any]:
    frames, failures = result
    return {"financials": _ipc(frames.frame("financials")), "segments": _ipc(frames.frame("segments")),
            "capex": _ipc(frames.frame("capex")), "failures": failures}


def _from_stored(stored: dict[str, Any]) -> tuple[XbrlFrames, list[dict[str, str]]]:
    frames = XbrlFrames([_frame(stored["financials"])], [_frame(stored["segments"])], [_frame(stored["capex"])])
    return frames, [dict(f) for f in stored["failures"]]


def checked_actuals(rt: Runtime, batch: pl.DataFrame) -> pl.DataFrame:
    """The run's actuals checked against the lake's XBRL — with the lake's releases of the same companies that were
    still pending (their 10-Q had not been filed) or never checked, so a run that ingests a 10-Q settles them.
    Each value XBRL contradicts is a parse issue (stage xbrl_check) naming both values."""
    if batch.is_empty():
        return batch
    held = rt.lake.read_dataset(ACTUALS).filter(
        pl.col("ticker").is_in(batch["ticker"].unique().to_list())
        & ~pl.col("release_id").is_in(batch["release_id"].unique().to_list()))
    waiting = held.filter(pl.col("xbrl_check").is_null() | (pl.col("xbrl_check") == "pending"))["release_id"]
    again = held.filter(pl.col("release_id").is_in(waiting.unique().to_list()))  # whole releases: they are replaced
    checked = check_against_xbrl(pl.concat([batch, again.select(batch.columns)], how="vertical_relaxed"),
                                 rt.lake.read_dataset(FINANCIALS_QUARTERLY), rt.lake.read_dataset(SEGMENT_REVENUE))
    for issue in disagreements(checked):
        rt.summary.add_note(stage="xbrl_check", **issue)
    return checked
