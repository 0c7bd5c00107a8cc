"""XBRL duration facts → one value per fiscal quarter (and fiscal year), with how it was derived.

Periods are recognised by day counts, never by calendar months, so 52/53-week years and 14-week quarters
work: a quarter is 84–99 days, a half 175–190, nine months 266–281, a year 357–372 (end − start).
``fy``/``fp`` of a fact describe the filing that carried it, not the period, and are not used.
When several filings carry the same period, the most recently filed one wins (restatements, amendments).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from tasks.forms import PERIODIC_FORMS

SPANS = {1: range(84, 100), 2: range(175, 191), 3: range(266, 282), 4: range(357, 373)}
ONE_DAY = timedelta(days=1)


def span_kind(start: date, end: date) -> int | None:
    """1, 2, 3 or 4 quarters' worth of days; None for anything else (a month, an instant, 18 months)."""
    days = (end - start).days
    return next((k for k, span in SPANS.items() if days in span), None)


@dataclass(frozen=True)
class Fact:
    start: date
    end: date
    value: float
    accn: str
    filed: date


@dataclass(frozen=True)
class Derived:
    start: date
    end: date
    value: float
    derivation: str  # reported_3m | ytd_difference | fy_minus_9m | reported_fy
    accessions: tuple[str, ...]
    note: str


def latest_by_span(facts: Iterable[Fact]) -> dict[tuple[date, date], Fact]:
    """One fact per (start, end): the most recently filed (ties: the larger accession)."""
    chosen: dict[tuple[date, date], Fact] = {}
    for fact in facts:
        key = (fact.start, fact.end)
        held = chosen.get(key)
        if held is None or (fact.filed, fact.accn) > (held.filed, held.accn):
            chosen[key] = fact
    return chosen


def _money(value: float) -> str:
    return f"{value:,.0f}"


def derive_periods(facts: Iterable[Fact], *, years: bool = False) -> list[Derived]:
    """Quarters (and with ``years`` fiscal years) from one concept's duration facts in one unit."""
    spans = latest_by_span(f for f in facts if span_kind(f.start, f.end) is not None)
    out: dict[tuple[date, date], Derived] = {}
    for (start, end), fact in spans.items():
        kind = span_kind(start, end)
        if kind == 1:
            out[(start, end)] = Derived(start, end, fact.value, "reported_3m", (fact.accn,),
                                        f"3M {start}..{end} = {_money(fact.value)} ({fact.accn})")
        elif kind == 4 and years:
            out[(start, end)] = Derived(start, end, fact.value, "reported_fy", (fact.accn,),
                                        f"FY {start}..{end} = {_money(fact.value)} ({fact.accn})")
    year_starts = {start for (start, end) in spans if (span_kind(start, end) or 0) >= 2}
    for year_start in year_starts:
        to_date = {span_kind(s, e): (e, f) for (s, e), f in spans.items() if s == year_start}
        for k in (2, 3, 4):
            if k not in to_date or k - 1 not in to_date:
                continue  # a missing year-to-date: the quarter stays absent unless reported on its own
            (end, cur), (prev_end, prev) = to_date[k], to_date[k - 1]
            start = prev_end + ONE_DAY
            if (start, end) in out or span_kind(start, end) != 1:
                continue
            derivation = "fy_minus_9m" if k == 4 else "ytd_difference"
            label = "FY" if k == 4 else f"{3 * k}M"
            note = (f"{label} {year_start}..{end} = {_money(cur.value)} ({cur.accn}) minus "
                    f"{3 * (k - 1)}M {year_start}..{prev_end} = {_money(prev.value)} ({prev.accn})")
            out[(start, end)] = Derived(start, end, cur.value - prev.value, derivation, (cur.accn, prev.accn), note)
    return sorted(out.values(), key=lambda d: (d.end, d.start))


def periodic_facts(facts: pl.DataFrame) -> pl.DataFrame:
    """Duration facts from periodic reports only (10-Q, 10-K, amendments, 20-F/40-F)."""
    return facts.filter(pl.col("form").is_in(list(PERIODIC_FORMS)) & pl.col("start").is_not_null()
                        & pl.col("filed").is_not_null() & pl.col("accn").is_not_null())


def facts_of(frame: pl.DataFrame) -> list[Fact]:
    return [Fact(s, e, v, a, f) for s, e, v, a, f in
            frame.select("start", "end", "value", "accn", "filed").iter_rows()]
