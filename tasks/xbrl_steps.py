"""Per company: companyfacts and the fetched 10-Q/10-K inline XBRL → financials_quarterly, segment_revenue, capex.

One company's bad document is recorded in the run summary and never stops the other companies.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import polars as pl

from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from tasks import edgar
from tasks.capex import capex_frame
from tasks.errors import EtlError
from tasks.filings import FilingOutcome, company_of
from tasks.financials import ALL_CONCEPTS, financials_quarterly
from tasks.inline_xbrl import parse_inline_xbrl
from tasks.runtime import Runtime
from tasks.segments import SEGMENT_AXES, segment_revenue
from tasks.xbrl_facts import FACT_SCHEMA, parse_companyfacts

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


def inline_facts(rt: Runtime, outcomes: list[FilingOutcome]) -> pl.DataFrame:
    """Facts (with segment dimensions) of the fetched 10-Q/10-K primary documents of one company."""
    frames = []
    for outcome in outcomes:
        ref = outcome.ref
        if ref.form not in edgar.PERIODIC_FORMS:
            continue
        for doc in outcome.documents:
            if doc.body is None or doc.doc.name != ref.primary_document:
                continue
            if INLINE_NAMESPACE not in doc.body[:500_000]:
                continue  # not inline XBRL (older filings): companyfacts covers them
            try:
                frames.append(parse_inline_xbrl(doc.body, doc.doc.url, accession=ref.accession, form=ref.form,
                                                filed=ref.filed_date, concepts=ALL_CONCEPTS,
                                                axes=frozenset(SEGMENT_AXES)))
            except EtlError as exc:
                rt.summary.add_failure(url=exc.document or doc.doc.url, reason=exc.why, stage="parse",
                                       ticker=ref.ticker, accession=ref.accession,
                                       locator=getattr(exc, "locator", ""))
    return pl.concat(frames) if frames else pl.DataFrame(schema=FACT_SCHEMA)


def company_xbrl(
    rt: Runtime, ticker: str, cik: str, outcomes: list[FilingOutcome], guidance: pl.DataFrame
) -> XbrlFrames:
    """The three XBRL datasets' rows for one company."""
    out = XbrlFrames()
    mine = [o for o in outcomes if o.ref.cik == cik]
    ticker = mine[0].ref.ticker if mine else ticker
    try:
        fye = mine[0].ref.fiscal_year_end if mine else company_of(rt.source, cik).fiscal_year_end
    except EtlError as exc:
        rt.summary.add_failure(url=exc.document, reason=exc.why, stage="list", ticker=ticker)
        return out
    url = edgar.companyfacts_url(cik)
    facts = None
    try:
        _entity, facts = parse_companyfacts(rt.source.get(url).data, url, concepts=ALL_CONCEPTS)
    except EtlError as exc:
        rt.summary.add_failure(url=url, reason=exc.why, stage="fetch" if "HTTP" in exc.why else "parse",
                               ticker=ticker, locator=getattr(exc, "locator", ""))
    inline = inline_facts(rt, mine)
    # companyfacts is the complete history; without it, the inline documents' own facts are used.
    basis = facts if facts is not None and not facts.is_empty() else inline.filter(pl.col("axis").is_null())
    out.financials.append(financials_quarterly(basis, ticker=ticker, cik=cik, fiscal_year_end=fye))
    out.capex.append(capex_frame(basis, ticker=ticker, cik=cik, fiscal_year_end=fye,
                                 guidance=guidance.filter(pl.col("ticker") == ticker)))
    out.segments.append(segment_revenue(inline, ticker=ticker, cik=cik, fiscal_year_end=fye))
    return out
