"""Earnings 8-Ks → guidance and actuals frames (parsing fetched bodies; no I/O)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import polars as pl

from schemas.releases import ACTUALS, GUIDANCE
from tasks.dates import month_day_year
from tasks.earnings.actuals import parse_actuals_with_issues
from tasks.earnings.guidance import read_guidance
from tasks.earnings.release_document import release_lines
from tasks.errors import ParseError
from tasks.fiscal import FiscalPeriod, last_day_of_month, last_quarter_end_before
from tasks.forms import is_earnings_release
from tasks.sec import edgar
from tasks.sec.filings import FilingOutcome


class PageOutcomeLike(Protocol):
    """A newsroom release page outcome (tasks.earnings.release_pages.PageOutcome; typed here without importing it)."""

    @property
    def ref(self) -> Any: ...


@dataclass
class ReleaseRows:
    guidance: list[dict[str, Any]] = field(default_factory=list)
    actuals: list[dict[str, Any]] = field(default_factory=list)
    issues: list[ParseError] = field(default_factory=list)
    unread: list[ParseError] = field(default_factory=list)  # outlook statements that gave no row (not failures)

    def __repr__(self) -> str:  # task states show it
        return (f"ReleaseRows({len(self.guidance)} guidance, {len(self.actuals)} actuals, {len(self.issues)} issues, "
                f"{len(self.unread)} outlook statements unread)")

    def stored(self) -> dict[str, Any]:
        """Plain values for the parse cache (tasks.storage.incremental)."""
        return {"guidance": self.guidance, "actuals": self.actuals,
                "issues": [[i.doc, i.locator, i.reason] for i in self.issues],
                "unread": [[i.doc, i.locator, i.reason] for i in self.unread]}

    @classmethod
    def from_stored(cls, stored: dict[str, Any]) -> ReleaseRows:
        return cls(list(stored["guidance"]), list(stored["actuals"]),
                   [ParseError(doc, locator, reason) for doc, locator, reason in stored["issues"]],
                   [ParseError(doc, locator, reason) for doc, locator, reason in stored.get("unread", [])])


def quarter_end(body: bytes, nominal: date, issued: date | None = None) -> date:
    """The exact end of the reported quarter: the latest 'ended <date>' of the release before it was issued (its
    statements' column headers: 12- and 16-week quarters end far from month ends), else the date near the nominal
    end that the release prints most often, else the nominal end."""
    try:
        text = "\x00".join(release_lines(body, "release"))
    except ParseError:
        return nominal
    counts: dict[date, int] = {}
    ended: list[date] = []
    for match, found in month_day_year(text):
        lead = text[max(0, match.start() - 40):match.start()].lower()
        if issued is not None and re.search(r"\bend(?:ed|ing)\b", lead) and 0 < (issued - found).days <= 100:
            ended.append(found)
        after_nominal = found > nominal and not re.search(r"\b(?:end(?:ed|ing)?|as of)\b", lead)
        if -10 <= (found - nominal).days <= 3 and not after_nominal:  # 52/53-week quarters end a few days either
            counts[found] = counts.get(found, 0) + 1  # side; a later date counts when it is said to end a period
    if ended:
        latest = max(ended)
        if not counts or abs((latest - nominal).days) > 10:
            return latest
    return max(counts, key=lambda d: (counts[d], d <= nominal, -abs((d - nominal).days))) if counts else nominal


@dataclass(frozen=True, order=True)
class ReleaseDoc:
    kind: str  # "EX-99.1", "EX-99.2", "newsroom page"
    url: str
    body: bytes


def is_release(outcome: FilingOutcome) -> bool:
    """An earnings 8-K (Item 2.02) with at least one fetched document."""
    ref = outcome.ref
    return is_earnings_release(ref.form, ref.items) and any(d.body is not None for d in outcome.documents)


def parse_release(outcome: FilingOutcome) -> ReleaseRows:
    """Guidance (EX-99 / EX-99.1, else EX-99.2) and actuals (all of them) of one earnings 8-K."""
    ref = outcome.ref
    if not is_earnings_release(ref.form, ref.items):
        return ReleaseRows()
    docs = sorted(ReleaseDoc(kind, d.doc.url, d.body) for d in outcome.documents
                  if d.body is not None and (kind := edgar.release_exhibit(d.doc.type)))
    base = {"ticker": ref.ticker, "cik": ref.cik, "accession": ref.accession, "release_id": ref.accession}
    return parse_release_documents(base, docs, issued=ref.filed_date, fiscal_year_end=ref.fiscal_year_end)


def guided_period_end(fiscal_period: str, reported_end: date, fiscal_year_end: str) -> date | None:
    """The end of a guided period when it is knowable: for companies whose quarters end on month ends
    (the reported quarter's end shows it). 52/53-week years (a reported end mid-month) give None."""
    if reported_end != last_day_of_month(reported_end.year, reported_end.month):
        return None
    return FiscalPeriod.parse(fiscal_period).nominal_end(fiscal_year_end)


def parse_release_documents(
    base: dict[str, Any], docs: list[ReleaseDoc], *, issued: date, fiscal_year_end: str
) -> ReleaseRows:
    """Rows of one release: guidance from the first document that has any, actuals from all of them
    (a metric already found is not taken again). The first document's statements date the quarter."""
    result = ReleaseRows()
    nominal = last_quarter_end_before(issued, fiscal_year_end)
    end = quarter_end(docs[0].body, nominal, issued) if docs else nominal
    reported = FiscalPeriod.quarter_ending(end, fiscal_year_end)
    for doc in docs:
        try:
            if not result.guidance:
                guided, decisions, unread = read_guidance(doc.body, doc=doc.url, issued=issued,
                                                          fiscal_year_end=fiscal_year_end)
                result.issues.extend(decisions)
                result.unread.extend(unread)
                for row in guided:
                    result.guidance.append({**base, "source_url": doc.url, "issued_date": issued,
                                            "fiscal_year": FiscalPeriod.parse(row["fiscal_period"]).fiscal_year,
                                            "period_end": guided_period_end(row["fiscal_period"], end,
                                                                            fiscal_year_end), **row})
            known = {(r["metric"], r["metric_detail"], r["segment"]) for r in result.actuals}
            found, unreadable = parse_actuals_with_issues(doc.body, doc=doc.url, exhibit=doc.kind, period_end=end)
            result.issues.extend(unreadable)
            for row in found:
                if (row["metric"], row["metric_detail"], row["segment"]) in known:
                    continue
                result.actuals.append({**base, "source_url": doc.url, "fiscal_year": reported.fiscal_year,
                                       "fiscal_period": reported.label,
                                       "calendar_period": reported.calendar_label(end),
                                       "period_end": end, **row})
        except ParseError as exc:
            result.issues.append(exc)
    if docs and not any(r["metric"] == "revenue" and r["segment"] is None for r in result.actuals):
        result.issues.append(ParseError(docs[0].url, "actuals", "no total revenue line in any table of the release"))
    return result


def frame(rows: list[dict[str, Any]], contract_name: str) -> pl.DataFrame:
    contract = GUIDANCE if contract_name == "guidance" else ACTUALS
    if not rows:
        return contract.empty()
    data = [{c: (float(r[c]) if c in ("low", "high", "point", "value") and r.get(c) is not None else r.get(c))
             for c in contract.columns} for r in rows]
    built = pl.DataFrame(data, schema=contract.schema)
    return contract.settle(built) if contract.settle else built


def release_document(item: FilingOutcome | PageOutcomeLike) -> str:
    """The URL a release's problems are reported under: its first release exhibit, else the filing index."""
    if isinstance(item, FilingOutcome):
        exhibits = sorted((kind, d.doc.url) for d in item.documents if (kind := edgar.release_exhibit(d.doc.type)))
        return exhibits[0][1] if exhibits else item.index_url
    return str(getattr(item.ref, "url", ""))


def crashed_release(item: FilingOutcome | PageOutcomeLike, exc: BaseException) -> ReleaseRows:
    """A release whose parser raised something unexpected: one issue naming the document, no rows."""
    reason = f"parser crashed: {type(exc).__name__}: {exc}"[:2000]
    return ReleaseRows(issues=[ParseError(release_document(item), "release", reason)])
