"""News figures checked against the curated filings datasets (frames in, frame out; no I/O).

A claim agrees when the filing value lies within half a unit of the article's last written digit ("393億"
agrees with 39,331 $M; "25.3億" does not agree with 2,582 $M); a growth rate also within the error that the
rounding of the values it is computed from allows (0.1 point for amounts in $M; more for per-share amounts in
cents). Ranges agree when both ends do; "more than X" when the filing value is at least X; "nearly X" when it is
at most X and within 10 % below it. Outlook claims are compared with the outlook
published on or before the article's date. A claim the lake cannot check is ``unverifiable`` with the reason.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import polars as pl

from schemas.news import NEWS_FIGURES
from tasks.dates import iso_date
from tasks.fiscal import FiscalPeriod
from tasks.news.claim_checks import PER_SHARE, Filings, Found
from tasks.news.news_vocabulary import news_vocabulary
from tasks.news.other_facts import another_fact, another_range, conditional

REPORTED = {"revenue", "gross_margin", "capex", "operating_income", "net_income", "eps", "dividend"}
GROWTH = re.compile(r"(?P<measure>\w+?)_(?P<kind>growth|change)(?:_(?P<direction>yoy|qoq))?")
PERCENT_MEASURES = {"gross_margin", "tax_rate", "operating_margin"}
GROWTH_SLACK = 0.1  # a growth rate from amounts rounded to $1M may differ from the company's by this much


def _fiscal_label(period: str | None, fiscal_year_end: str | None) -> str | None:
    if not period:
        return None
    if FiscalPeriod.parse_or_none(period):
        return period
    calendar = FiscalPeriod.parse_or_none(f"FY{period}")  # 2025Q4, 2025: calendar labels
    if calendar and fiscal_year_end == "1231":
        return calendar.label  # a calendar year or quarter is the fiscal one of a December filer
    return None


def _measure(metric: str) -> tuple[str, str | None]:
    """(measure, segment flag) of a metric: segment_revenue → revenue with its segment; net sales is looked up as
    revenue (and kept only when the filing's line is called sales too, see ``_another_line``)."""
    if metric == "segment_revenue":
        return "revenue", "segment"
    return ("revenue", None) if metric == "net_sales" else (metric, None)


def check(row: dict[str, Any], filings: Filings, fiscal_year_end: str | None) -> tuple[Found | None, str | None, float]:
    """(what the filings say, why it cannot be checked, extra tolerance) for one figure row."""
    ticker, metric, unit = row["ticker"], row["metric"], row["unit"]
    if not ticker:
        return None, ("names no company" if not row["entity"] else
                      f"{row['entity']} is not a filer covered by the lake"), 0.0
    if metric.endswith("_estimate"):
        return None, "a forecast by others (market, analysts), not a statement of the company", 0.0
    if metric == "guidance_beat_streak":
        return None, "a streak with a threshold; the lake counts streaks of any beat", 0.0
    if metric.endswith("_peak"):
        return None, "a peak over past periods, not the figure of one period", 0.0
    if metric.endswith("_required"):
        return None, "a condition (what would be needed), not a claim of fact", 0.0
    period = _fiscal_label(row["period_normalized"], fiscal_year_end)
    if period is None:
        written = row["period_normalized"]
        if written and re.search(r"(?:H1|9M|YTD|TTM)$", written):
            return None, f"a part of a year ({written}); the lake holds quarters and years", 0.0
        return None, ("no period stated" if not written else
                      f"period {written} is not a fiscal period of {ticker}"), 0.0
    if unit not in ("USD", "percent"):
        return None, f"a figure in {unit}; the filings state USD and percentages", 0.0
    as_of = iso_date(row.get("published_date"))
    forward = metric.endswith("_guidance") or metric == "capex_plan"
    if not forward and as_of is not None and fiscal_year_end \
            and FiscalPeriod.parse(period).nominal_end(fiscal_year_end) > as_of:
        # a result of a period that had not ended when the article was published: the figure was read for the
        # wrong period (a later filing must never judge it)
        return None, f"{period} of {ticker} had not ended by the article's date {as_of}", 0.0
    growth = GROWTH.fullmatch(metric)
    if metric == "guidance_beat":
        return filings.beat(ticker, period), f"no guided revenue and actual for {ticker} {period} in the lake", 0.0
    if _verbal_level(row):
        if not metric.endswith("_guidance"):
            return None, "a verbal level (\"mid-70s\"), not an amount", 0.0
        measure = metric.removesuffix("_guidance")
        found = filings.verbal_outlook(ticker, measure, period, as_of,
                                       growth=unit == "percent" and measure not in PERCENT_MEASURES)
        when = f" published by {as_of}" if as_of else ""
        return found, f"no verbal {measure.replace('_', ' ')} outlook of {ticker} for {period}{when}", 0.0
    if metric.endswith("_guidance") or metric == "capex_plan":
        measure = metric.removesuffix("_guidance")
        found = filings.outlook(ticker, measure, row.get("basis"), period, as_of)
        when = f" published by {as_of}" if as_of else ""
        return found, f"no {measure.replace('_', ' ')} outlook of {ticker} for {period}{when}", 0.0
    if growth and unit == "percent":
        measure, segment = _measure(growth.group("measure"))
        direction = growth.group("direction") or ("yoy" if not FiscalPeriod.parse(period).is_quarter else None)
        points = growth.group("kind") == "change"
        if measure not in REPORTED or direction is None:
            return None, f"the lake has no {metric.replace('_', ' ')} figures", 0.0
        named = row["segment"] if segment else None
        if measure == "gross_margin" and row.get("basis") == "non_gaap":
            return None, "the lake has no non-GAAP gross margin figures", 0.0
        found = filings.growth(ticker, measure, named, period, direction, points=points, basis=row.get("basis"))
        what = f"{named} revenue" if named else measure.replace("_", " ")
        if measure == "dividend":
            return found, f"no dividend per share for {ticker} {period} and the one before in the lake", GROWTH_SLACK
        if measure == "eps":
            return found, (f"no diluted EPS and net income for {ticker} {period} and the period before in the lake, "
                           "or a share count that moved by more than 25 % but not by a whole split ratio"), GROWTH_SLACK
        return found, f"no {what} for {ticker} {period} and the period before in the lake", GROWTH_SLACK
    measure, segment = _measure(metric)
    if row.get("segment") and not segment:
        what = f"{row['segment']} {metric.replace('_', ' ')}"
        return None, f"the lake has no {what} figures (segments: revenue only)", 0.0
    if measure not in REPORTED or (unit == "percent") != (measure in PERCENT_MEASURES):
        return None, f"the lake has no {metric.replace('_', ' ')} figures", 0.0
    if segment and not row["segment"]:
        return None, "segment not named", 0.0
    if measure == "gross_margin" and row.get("basis") == "non_gaap":
        return None, "the lake has no non-GAAP gross margin figures", 0.0
    if measure in PER_SHARE and not FiscalPeriod.parse(period).is_quarter:
        return None, "the lake holds quarterly per-share figures only (they do not add up to a year)", 0.0
    # "equivalent to $0.01 per share on a post-split basis": the release's own restatement of its dividend
    split_adjusted = measure == "dividend" and bool(news_vocabulary().split_adjusted.search(row.get("quote") or ""))
    if measure in PER_SHARE and not split_adjusted and not filings.same_share_basis(ticker, period, as_of):
        return None, (f"per-share figures of {period} may be on another share basis than the article's "
                      "(a stock split since, or no share count to rule it out)"), 0.0
    basis = "split_adjusted" if split_adjusted else row.get("basis")
    found = filings.reported(ticker, measure, row["segment"] if segment else None, period, basis)
    return found, f"no {metric.replace('_', ' ')} for {ticker} {period} in the lake", 0.0


def _another_line(row: dict[str, Any], found: Found) -> str | None:
    """Why a claim that differs from the filing may measure something else: capex is defined many ways (cash capex,
    with finance leases, capital and exploration expenditures); "net sales" is not a total revenue line."""
    metric, label = row["metric"], found.text.lower()
    if metric == "capex":
        return f"capex is defined differently from filing to filing (the lake's: {found.text[:120]})"
    if metric.startswith("net_sales") and "sales" not in label:
        return f"net sales is not the filing's total revenue line ({found.text[:120]})"
    return None


def _agrees(claim: float, filed: float, rounding: float) -> bool:
    return abs(claim - filed) <= rounding / 2 + 1e-9


def _verbal_level(row: dict[str, Any]) -> str | None:
    """The level a verbal claim states, named as outlook rows name it: "mid-70% range" → verbal_mid_70s."""
    qualifier = str(row.get("qualifier") or "")
    if not qualifier.startswith("verbal_") or row.get("value") is None:
        return None
    return f"{qualifier}_{int(row['value'])}s"


def verdict(row: dict[str, Any], found: Found, slack: float) -> bool:
    if found.level is not None:
        return _verbal_level(row) == found.level
    rounding = float(row.get("rounding") or Decimal(1)) + 2 * max(slack, found.slack if slack else 0.0)
    claim, filed = float(row["value"]), float(found.value)
    if row["value_high"] is not None:
        return found.high is not None and _agrees(claim, filed, rounding) and \
            _agrees(float(row["value_high"]), float(found.high), rounding)
    if row["qualifier"] == "more_than":
        return filed >= claim - rounding / 2
    if row["qualifier"] == "nearly":
        return claim * 0.9 <= filed <= claim + rounding / 2
    return found.high is None and _agrees(claim, filed, rounding)


def _misread(row: dict[str, Any], filings: Filings, fiscal_year_end: str | None) -> str | None:
    """Why a figure that differs from the filing was probably read wrongly: a conditional case ('would have been'),
    or a value that is another fact of the company near that period."""
    if conditional(str(row.get("quote") or "")):
        return "a conditional figure ('would have been'), not a reported one"
    period = _fiscal_label(row["period_normalized"], fiscal_year_end)
    if period is None:
        return None
    tables = {"actuals": filings.actuals, "financials": filings.financials, "segments": filings.segments,
              "guidance": filings.guidance}
    rounding, as_of = float(row.get("rounding") or 1), iso_date(row.get("published_date"))
    if row["value_high"] is not None:
        match = another_range(tables, row["ticker"], period, float(row["value"]), float(row["value_high"]), rounding,
                              as_of)
    else:
        match = another_fact(tables, row["ticker"], period, row["unit"], float(row["value"]), rounding, as_of,
                             row["metric"])
    return f"matches {match}: the figure was probably read for another measure or period" if match else None


def reconcile(figures: list[dict[str, Any]], filings: Filings, fiscal_year_ends: dict[str, str]) -> pl.DataFrame:
    """Each figure row with status, filing value, difference, the filing's source, or why it is unverifiable."""
    out = []
    for row in figures:
        found, why, slack = check(row, filings, fiscal_year_ends.get(row["ticker"] or ""))
        status, reason = "unverifiable", why
        if found is not None:
            status, reason = ("agrees" if verdict(row, found, slack) else "disagrees"), None
            other_line = _another_line(row, found)
            if status == "disagrees" and other_line:  # a definition the filing does not use: not a contradiction
                found, status, reason = None, "unverifiable", other_line
            elif status == "disagrees":  # said only when no other reading of the figure fits the filings
                doubt = _misread(row, filings, fiscal_year_ends.get(row["ticker"] or ""))
                if doubt:
                    found, status, reason = None, "unverifiable", doubt
        out.append({**{k: row.get(k) for k in NEWS_FIGURES.columns}, "status": status, "reason": reason,
                    "filing_value": found.value if found and found.level is None else None,
                    "filing_value_high": found.high if found else None,
                    "difference": row["value"] - found.value if found and found.level is None else None,
                    "filing_dataset": found.dataset if found else None,
                    "filing_source": found.source if found else None, "filing_text": found.text if found else None})
    return pl.DataFrame(out, schema=NEWS_FIGURES.schema) if out else NEWS_FIGURES.empty()
