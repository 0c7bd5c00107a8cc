"""What the curated datasets say about a claim's company, measure and period (frames in, answers out; no I/O).

Reported values come from ``actuals`` (an 8-K before a newsroom page), else from the XBRL datasets
(``financials_quarterly``, ``segment_revenue``); a fiscal year is the sum of its four quarters when no annual row
exists. Growth rates and margin changes are computed from those values (yoy: the same quarter a year before, or the
previous year; qoq: the quarter before). Outlooks come from ``guidance`` as published **on or before** the
article's date: the latest release issued by then.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl

from tasks.fiscal import FiscalPeriod

ADDITIVE = {"revenue", "capex", "operating_income", "net_income"}
FINANCIALS = {"revenue": "revenue", "capex": "capex", "operating_income": "operating_income",
              "net_income": "net_income"}
PER_SHARE = {"eps", "dividend"}  # amounts per share: printed to the cent, never summed, restated by splits
GUIDED = {"revenue": "revenue", "gross_margin": "gross_margin", "operating_expenses": "operating_expenses",
          "other_income_expense": "other_income_expense", "tax_rate": "tax_rate", "capex_plan": "capex",
          "operating_income": "operating_income", "eps": "eps"}


@dataclass(frozen=True)
class Found:
    value: float
    high: float | None
    dataset: str
    source: str
    text: str
    slack: float = 0.0  # how far the value itself may be off: a rate computed from rounded amounts
    level: str | None = None  # a verbal outlook level ("verbal_mid_70s") instead of an amount


SPLIT_TOLERANCE = 0.02  # a share count that moved to within 2 % of a whole multiple (or fraction) moved by a split


def split_factor(ratio: float) -> int | float | None:
    """How many new shares one old share became, from the ratio of two diluted share counts: 1 for a count that
    moved less than 25 % (buybacks, issuance), k for a k-for-1 split (1/k for a 1-for-k reverse split) when the
    ratio lies within 2 % of it, None for anything else (the per-share amounts cannot be compared)."""
    if 0.8 <= ratio <= 1.25:
        return 1
    whole = round(ratio) if ratio > 1 else round(1 / ratio)
    if whole < 2:
        return None
    factor = whole if ratio > 1 else 1 / whole
    return factor if abs(ratio / factor - 1) <= SPLIT_TOLERANCE else None


def _previous(period: str, by: int) -> str | None:
    """The period ``by`` quarters before (a year only a year before, by = 4)."""
    fiscal = FiscalPeriod.parse_or_none(period)
    if fiscal is None or (not fiscal.is_quarter and by != 4):
        return None
    return fiscal.shifted(-by if fiscal.is_quarter else -1).label


class Filings:
    """The curated datasets a claim can be checked against."""

    def __init__(self, guidance: pl.DataFrame, actuals: pl.DataFrame, beats: pl.DataFrame,
                 financials: pl.DataFrame | None = None, segments: pl.DataFrame | None = None) -> None:
        self.guidance, self.actuals, self.beats = guidance, actuals, beats
        self.financials = financials if financials is not None else pl.DataFrame()
        self.segments = segments if segments is not None else pl.DataFrame()

    def segment_names(self) -> dict[str, list[str]]:
        """Segment names by ticker as the filings write them: release segment rows and XBRL member labels."""
        names: dict[str, list[str]] = {}
        if not self.actuals.is_empty():
            for ticker, segment in self.actuals.filter(pl.col("segment").is_not_null()).select(
                    "ticker", "segment").unique().sort("segment").iter_rows():
                names.setdefault(ticker, []).append(segment)
        if not self.segments.is_empty():
            product_axes = pl.col("axis").str.contains("(?i)ProductOrService|BusinessSegments")
            for ticker, segment in self.segments.filter(product_axes).select("ticker", "label").unique().sort(
                    "label").iter_rows():
                if segment not in names.get(ticker, []):
                    names.setdefault(ticker, []).append(segment)
        return names

    # -- reported values ---------------------------------------------------------------------------------------
    def reported(self, ticker: str, measure: str, segment: str | None, period: str,
                 basis: str | None = None) -> Found | None:
        if measure == "gross_margin":
            return self._gross_margin(ticker, period)
        if measure == "eps":
            return self._eps(ticker, period, basis or "gaap")
        if measure == "dividend":
            return self._dividend(ticker, period, split_adjusted=basis == "split_adjusted")
        found = self._reported_row(ticker, measure, segment, period)
        year = FiscalPeriod.parse_or_none(period)
        if found is None and year and not year.is_quarter and measure in ADDITIVE:
            quarters = [self._reported_row(ticker, measure, segment, q.label) for q in year.quarters()]
            if all(quarters):
                parts = [q for q in quarters if q is not None]
                return Found(sum(p.value for p in parts), None, parts[-1].dataset,
                             ", ".join(dict.fromkeys(p.source for p in parts)),
                             "sum of the four quarters: " + " + ".join(f"{p.value:,.0f}" for p in parts))
        return found

    def _reported_row(self, ticker: str, measure: str, segment: str | None, period: str) -> Found | None:
        if not self.actuals.is_empty():
            wanted = (pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period) & (pl.col("metric") == measure)
            wanted &= (pl.col("segment") == segment) if segment else pl.col("segment").is_null()
            hit = self.actuals.filter(wanted).sort(pl.col("accession").is_null())
            if hit.height:
                r = hit.row(0, named=True)
                return Found(r["value"], None, "actuals", r["release_id"], r["source"])
        if segment and not self.segments.is_empty():
            hit = self.segments.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                       & (pl.col("label") == segment))
            if hit.height:
                r = hit.row(0, named=True)
                return Found(r["value"], None, "segment_revenue", ", ".join(r["accessions"] or []),
                             f"{r['concept']} [{r['member']}] {r['derivation']}")
        if not segment and measure in FINANCIALS and not self.financials.is_empty():
            hit = self.financials.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                         & (pl.col("metric") == FINANCIALS[measure]))
            if hit.height:
                r = hit.row(0, named=True)
                return Found(r["value"], None, "financials_quarterly", ", ".join(r["accessions"] or []), r["source"])
        return None

    def _printed(self, ticker: str, period: str, metric: str, detail: str | None) -> Found | None:
        """One ``actuals`` value of a quarter as its release printed it (an 8-K before a newsroom page); ``detail``
        None means the row without one."""
        if self.actuals.is_empty():
            return None
        variant = pl.col("metric_detail").is_null() if detail is None else pl.col("metric_detail") == detail
        hit = self.actuals.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                  & (pl.col("metric") == metric) & variant).sort(pl.col("accession").is_null())
        if not hit.height:
            return None
        r = hit.row(0, named=True)
        return Found(r["value"], None, "actuals", r["release_id"], r["source"])

    def _eps(self, ticker: str, period: str, basis: str) -> Found | None:
        """Diluted EPS of a quarter as its release printed it (per-share amounts are never summed)."""
        return self._printed(ticker, period, "eps", basis)

    def _dividend(self, ticker: str, period: str, *, split_adjusted: bool) -> Found | None:
        """The regular dividend per share announced with a quarter's results (or its post-split restatement)."""
        return self._printed(ticker, period, "dividend", "split_adjusted" if split_adjusted else None)

    def _shares(self, ticker: str, period: str) -> float | None:
        """Diluted shares implied by GAAP net income / GAAP diluted EPS of a quarter (None when unknown)."""
        eps = self._eps(ticker, period, "gaap")
        income = self._reported_row(ticker, "net_income", None, period)
        if eps is None or income is None or not eps.value:
            return None
        return income.value / eps.value

    def latest_quarter(self, ticker: str, as_of: date | None) -> str | None:
        """The latest quarter the lake has results of, ended on or before ``as_of``."""
        if self.actuals.is_empty():
            return None
        rows = self.actuals.filter((pl.col("ticker") == ticker) & pl.col("fiscal_period").str.contains("Q"))
        if as_of is not None:
            rows = rows.filter(pl.col("period_end") <= as_of)
        return str(rows["fiscal_period"].max()) if rows.height else None

    def same_share_basis(self, ticker: str, period: str, as_of: date | None) -> bool:
        """Per-share amounts of ``period`` are on the share basis of the article's date: the share count implied by
        net income / EPS moved less than 25 % since (no stock split in between), or ``period`` is the latest."""
        latest = self.latest_quarter(ticker, as_of)
        if latest is None or latest == period:
            return True
        then, now = self._shares(ticker, period), self._shares(ticker, latest)
        return bool(then and now and 0.8 <= now / then <= 1.25)

    def _gross_margin(self, ticker: str, period: str) -> Found | None:
        printed = self._printed(ticker, period, "gross_margin", "gaap")
        if printed is not None:
            return printed
        if self.financials.is_empty():
            return None
        quarters = [q.label for q in FiscalPeriod.parse(period).quarters()]
        rows = self.financials.filter((pl.col("ticker") == ticker) & pl.col("fiscal_period").is_in(quarters)
                                      & pl.col("metric").is_in(["gross_profit", "revenue"]))
        sums = {m: rows.filter(pl.col("metric") == m) for m in ("gross_profit", "revenue")}
        if any(f.height != len(quarters) for f in sums.values()):
            return None
        profit, revenue = (float(sums[m]["value"].sum()) for m in ("gross_profit", "revenue"))
        accessions = sorted({a for acc in rows["accessions"].to_list() for a in (acc or [])})
        return Found(round(profit / revenue * 100, 4), None, "financials_quarterly", ", ".join(accessions),
                     f"gross profit {profit:,.0f} / revenue {revenue:,.0f}")

    def growth(self, ticker: str, measure: str, segment: str | None, period: str, direction: str,
               *, points: bool, basis: str | None = None) -> Found | None:
        """Growth (percent) or change (percentage points) of a measure against the period before.

        Per-share amounts are compared on one share basis: two releases on either side of a stock split print them on
        different bases, so when the diluted share count implied by net income / EPS moved by a whole split ratio
        (within 2 %), the earlier amount is divided by it; any other move of more than 25 % leaves the rate
        unchecked."""
        prev = _previous(period, 4 if direction == "yoy" else 1)
        now = self.reported(ticker, measure, segment, period, basis)
        then = self.reported(ticker, measure, segment, prev, basis) if prev else None
        if now is None or then is None or (not points and not then.value):
            return None
        then_value, adjusted = then.value, ""
        if measure in PER_SHARE:  # on one share basis: a split between the two periods divides the earlier amount
            shares_now, shares_then = self._shares(ticker, period), self._shares(ticker, prev or "")
            split = split_factor(shares_now / shares_then) if shares_now and shares_then else None
            if split is None:
                return None
            if split != 1:
                then_value = then.value / split
                adjusted = (f" (÷ {split:g}: diluted shares implied by net income / EPS went from "
                            f"{shares_then:,.0f} to {shares_now:,.0f}, a {split:g}-for-1 split)")
        value = now.value - then_value if points else (now.value / then_value - 1) * 100
        how = "change in points" if points else "growth"
        # per-share amounts are printed to the cent (a split-adjusted one was restated to the cent): the rate they
        # give is only that exact
        slack = 100 * abs(now.value / then_value) * (0.005 / abs(now.value) + 0.005 / abs(then_value)) \
            if measure in PER_SHARE and now.value and not points else 0.1
        return Found(round(value, 4), None, now.dataset, f"{now.source}; {then.source}",
                     f"{how} {period} {now.value:,.4g} vs {prev} {then_value:,.4g}{adjusted}", slack)

    # -- outlooks and beats ------------------------------------------------------------------------------------
    def outlook(self, ticker: str, measure: str, basis: str | None, period: str, as_of: date | None) -> Found | None:
        if self.guidance.is_empty() or measure not in GUIDED:
            return None
        wanted = (pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period) \
            & (pl.col("metric") == GUIDED[measure]) & pl.col("low").is_not_null()
        if basis:
            wanted &= pl.col("basis").is_null() | (pl.col("basis") == basis)
        if measure == "capex_plan":
            wanted &= pl.col("metric_detail").is_null() | (pl.col("metric_detail") != "capex_outlook_high_end_raised")
        r = self._latest_outlook(wanted, as_of)
        if r is None:
            return None
        single = r["low"] == r["high"]
        return Found(r["point"] if r["point"] is not None else r["low"],
                     None if single or r["point"] is not None else r["high"], "guidance", r["release_id"],
                     f"{r['sentence']} (issued {r['issued_date']})")

    def _latest_outlook(self, wanted: pl.Expr, as_of: date | None) -> dict[str, Any] | None:
        """The latest ``guidance`` row matching ``wanted`` that was published on or before ``as_of``."""
        if as_of is not None:
            wanted &= pl.col("issued_date") <= as_of
        hit = self.guidance.filter(wanted).sort(["issued_date", pl.col("accession").is_not_null()])
        return hit.row(-1, named=True) if hit.height else None

    def verbal_outlook(self, ticker: str, measure: str, period: str, as_of: date | None, *,
                       growth: bool) -> Found | None:
        """The latest verbal outlook level ("verbal_mid_70s") published by ``as_of``: of the measure itself, or with
        ``growth`` of its year-over-year growth (the 'other' row named ``<measure>_growth_yoy``)."""
        if self.guidance.is_empty() or measure not in GUIDED:
            return None
        named = (pl.col("metric") == "other") & (pl.col("metric_detail") == f"{GUIDED[measure]}_growth_yoy") \
            if growth else (pl.col("metric") == GUIDED[measure])
        wanted = named & (pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period) \
            & pl.col("qualifier").str.starts_with("verbal_")
        r = self._latest_outlook(wanted, as_of)
        if r is None:
            return None
        return Found(0.0, None, "guidance", r["release_id"], f"{r['sentence']} (issued {r['issued_date']})",
                     level=r["qualifier"])

    def beat(self, ticker: str, period: str) -> Found | None:
        if self.beats.is_empty():
            return None
        hit = self.beats.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                & (pl.col("metric") == "revenue"))
        if not hit.height:
            return None
        r = hit.row(0, named=True)
        return Found(r["beat"], None, "guidance_vs_actual", r["actual_release"],
                     f"actual {r['actual']:,.0f} minus guided point {r['guided_point']:,.0f}")
