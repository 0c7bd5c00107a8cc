"""Before a claim is called wrong: is its value another fact of the company near that period? (pure)

A figure that differs from the fact it was compared with but equals another filed value of the same company — a
segment's fiscal-year revenue read as its quarter, a product line's growth read as the segment's, last year's
figure — was read wrongly, not printed wrongly. The search covers every USD value the lake holds for the company in
the fiscal years around the claim, of the measure the claim is about (revenue: actuals of every segment, XBRL
quarters, segment members, years as the sum of their quarters, revenue outlooks published by the article's date;
capex likewise), a claimed range against the outlook ranges published by then, and for a percentage the margins and
the year-on-year and sequential growth of every revenue series in its period and the quarter after. Facts of another
measure are not looked at: an equal value there is a coincidence.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import polars as pl

from tasks.fiscal import FiscalPeriod
from tasks.news.news_text import fold
from tasks.news.news_vocabulary import news_vocabulary


def conditional(quote: str) -> bool:
    """'non-GAAP EPS would have been $1.04' (excluding a charge): a figure of a case that did not happen."""
    return bool(news_vocabulary().conditional.search(fold(quote).text))


def _published(guidance: pl.DataFrame, as_of: date | None) -> pl.DataFrame:
    """Outlooks an article of ``as_of`` could have known (none published after it)."""
    return guidance if as_of is None else guidance.filter(pl.col("issued_date") <= as_of)


def _years(period: str) -> set[int]:
    parsed = FiscalPeriod.parse_or_none(period)
    return set() if parsed is None else {parsed.fiscal_year - 1, parsed.fiscal_year, parsed.fiscal_year + 1}


_EMPTY = pl.DataFrame(schema={"ticker": pl.String, "fiscal_period": pl.String, "metric": pl.String,
                              "metric_detail": pl.String, "segment": pl.String, "label": pl.String,
                              "basis": pl.String, "issued_date": pl.Date,
                              "value": pl.Float64, "unit": pl.String, "low": pl.Float64, "high": pl.Float64,
                              "point": pl.Float64})


def _near(frame: pl.DataFrame, ticker: str, years: set[int]) -> pl.DataFrame:
    """The company's rows of the fiscal years around the claim (an empty frame of the columns read, when the lake
    has no such dataset)."""
    if frame.is_empty() or "ticker" not in frame.columns or "fiscal_period" not in frame.columns:
        return _EMPTY
    picked = frame.filter(pl.col("ticker") == ticker)
    picked = picked.filter(pl.col("fiscal_period").str.extract(r"FY(\d{4})").cast(pl.Int32).is_in(list(years)))
    missing = [c for c in _EMPTY.columns if c not in picked.columns]
    return picked.with_columns(pl.lit(None, _EMPTY.schema[c]).alias(c) for c in missing)


_FAMILIES = {"revenue": ("revenue", "segment_revenue", "product_revenue", "net_sales", "guidance_beat",
                         "revenue_adjusted"),
             "capex": ("capex", "capex_plan", "spending")}


def family(metric: str) -> str:
    """The measure a claim's metric is about, as the lake names it ('segment_revenue_guidance' → revenue): another
    reading of a figure is looked for among facts of that measure only (an unrelated amount is a coincidence)."""
    base = metric.removesuffix("_guidance")
    for name, members in _FAMILIES.items():
        if base in members:
            return name
    return base


def _amounts(tables: dict[str, pl.DataFrame], ticker: str, years: set[int], as_of: date | None,
             measure: str) -> Iterator[tuple[float, str]]:
    actuals = _near(tables["actuals"], ticker, years).filter(pl.col("metric") == measure)
    for r in actuals.filter(pl.col("unit") == "USD").iter_rows(named=True):
        name = " ".join(str(p) for p in (r["segment"], r["metric"], r["metric_detail"]) if p)
        yield float(r["value"]), f"{name} {r['fiscal_period']} in actuals"
    for r in _near(tables["financials"], ticker, years).filter(pl.col("metric") == measure).iter_rows(named=True):
        yield float(r["value"]), f"{r['metric']} {r['fiscal_period']} in financials_quarterly"
    if measure == "revenue":
        for r in _near(tables["segments"], ticker, years).iter_rows(named=True):
            yield float(r["value"]), f"{r['label']} revenue {r['fiscal_period']} in segment_revenue"
        for name, values in _series(tables, ticker, years).items():  # a year is the sum of its quarters
            for year in years:
                quarters = [values.get(q.label) for q in FiscalPeriod(year, None).quarters()]
                if all(q is not None for q in quarters):
                    yield sum(q for q in quarters if q is not None), f"{name} FY{year} (its four quarters)"
    guidance = _published(_near(tables["guidance"], ticker, years), as_of).filter(pl.col("metric") == measure)
    for r in guidance.filter(pl.col("unit") == "USD").iter_rows(named=True):
        for key in ("low", "high", "point"):
            if r[key] is not None:
                yield float(r[key]), f"{r['metric']} outlook {r['fiscal_period']} ({key}) in guidance"


def _series(tables: dict[str, pl.DataFrame], ticker: str, years: set[int]) -> dict[str, dict[str, float]]:
    """Quarterly revenue series by name (total, and each segment as releases and XBRL name it)."""
    series: dict[str, dict[str, float]] = {}
    actuals = _near(tables["actuals"], ticker, years | {min(years, default=0) - 1})
    for r in actuals.filter((pl.col("metric") == "revenue") & pl.col("fiscal_period").str.contains("Q")).iter_rows(
            named=True):
        series.setdefault(r["segment"] or "total revenue", {})[r["fiscal_period"]] = float(r["value"])
    financials = _near(tables["financials"], ticker, years | {min(years, default=0) - 1})
    for r in financials.filter((pl.col("metric") == "revenue") & pl.col("fiscal_period").str.contains("Q")).iter_rows(
            named=True):
        series.setdefault("total revenue", {}).setdefault(r["fiscal_period"], float(r["value"]))
    segments = _near(tables["segments"], ticker, years | {min(years, default=0) - 1})
    for r in segments.filter(pl.col("fiscal_period").str.contains("Q")).iter_rows(named=True):
        series.setdefault(str(r["label"]), {}).setdefault(r["fiscal_period"], float(r["value"]))
    return series


def _rates(tables: dict[str, pl.DataFrame], ticker: str, period: str) -> Iterator[tuple[float, str]]:
    """Percentages of the claim's period and of the quarter after it (a 'this quarter' resolved one quarter early):
    margins, and every revenue series' growth in both directions."""
    years = _years(period)
    parsed = FiscalPeriod.parse(period)
    periods = {period, parsed.shifted(1).label} if parsed.is_quarter else {period}
    actuals = _near(tables["actuals"], ticker, years)
    for r in actuals.filter((pl.col("unit") == "percent") & pl.col("fiscal_period").is_in(list(periods))).iter_rows(
            named=True):
        yield float(r["value"]), f"{r['metric']} {r['fiscal_period']} in actuals"
    for name, values in _series(tables, ticker, years).items():
        for period_of, value in values.items():
            if period_of not in periods:
                continue
            here = FiscalPeriod.parse(period_of)
            for back, kind in ((4, "year on year"), (1, "sequential")):
                before = values.get(here.shifted(-back).label)
                if before:
                    yield (value / before - 1) * 100, f"{name} growth {kind} {period_of}"


def another_range(tables: dict[str, pl.DataFrame], ticker: str, period: str, low: float, high: float,
                  rounding: float, as_of: date | None = None) -> str | None:  # any measure: ranges rarely coincide
    """A published outlook range of the company near ``period`` that a claimed range equals: an earlier outlook
    the sentence revises, another measure's range, or the same range under another period."""
    guidance = _published(_near(tables["guidance"], ticker, _years(period)), as_of)
    for r in guidance.filter(pl.col("low").is_not_null() & pl.col("high").is_not_null()).iter_rows(named=True):
        if abs(float(r["low"]) - low) <= rounding / 2 and abs(float(r["high"]) - high) <= rounding / 2:
            name = " ".join(str(p) for p in (r["metric"], r["metric_detail"], r["basis"]) if p)
            return f"the {name} outlook for {r['fiscal_period']} issued {r.get('issued_date') or 'earlier'}"
    return None


def another_fact(tables: dict[str, pl.DataFrame], ticker: str, period: str, unit: str, value: float,
                 rounding: float, as_of: date | None = None, metric: str = "revenue") -> str | None:
    """The first other filed fact of the company near ``period``, of the measure ``metric`` is about, that
    ``value`` equals within ``rounding``."""
    years = _years(period)
    if not years:
        return None
    measure = family(metric)
    candidates = _amounts(tables, ticker, years, as_of, measure) if unit == "USD" else _rates(tables, ticker, period)
    for filed, what in candidates:
        if abs(filed - value) <= max(rounding / 2, abs(value) * 1e-9):
            return what
    return None
