"""Company-defined capex per fiscal quarter and year, with TTM, YoY and the year's capex guidance.

Capex is the purchases-of-property-and-equipment line (concept crosswalk in tasks.xbrl.financials), plus principal
payments on finance leases for companies that define capex that way. Whether a company does is read from
its own capex guidance ("including principal payments on finance leases"), not from a list of tickers.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from schemas.financials import CAPEX
from tasks.fiscal import FiscalPeriod
from tasks.quarters import ONE_DAY, Derived
from tasks.xbrl.financials import METRIC_CONCEPTS, metric_periods, period_row

FINANCE_LEASE_DETAIL = "incl_finance_lease_principal"


def counts_finance_leases(guidance: pl.DataFrame, ticker: str) -> bool:
    """True when the company's capex guidance says capex includes finance-lease principal payments."""
    if guidance.is_empty():
        return False
    return not guidance.filter((pl.col("ticker") == ticker) & (pl.col("metric") == "capex")
                               & (pl.col("metric_detail") == FINANCE_LEASE_DETAIL)).is_empty()


def capex_frame(
    facts: pl.DataFrame, *, ticker: str, cik: str, fiscal_year_end: str, guidance: pl.DataFrame,
    include_finance_leases: bool | None = None,
) -> pl.DataFrame:
    """Quarter and year rows; a period lacking a component the company counts is absent, not understated."""
    with_leases = counts_finance_leases(guidance, ticker) if include_finance_leases is None else include_finance_leases
    purchases = metric_periods(facts, METRIC_CONCEPTS["capex"], fiscal_year_end, years=True)
    leases = (metric_periods(facts, METRIC_CONCEPTS["finance_lease_principal"], fiscal_year_end, years=True)
              if with_leases else {})
    rows: list[dict[str, Any]] = []
    for label, (concept, bought) in purchases.items():
        parts: list[tuple[str, str, Derived]] = [("purchases_of_property_and_equipment", concept, bought)]
        if with_leases:
            if label not in leases or (leases[label][1].start, leases[label][1].end) != (bought.start, bought.end):
                continue
            parts.append(("finance_lease_principal", leases[label][0], leases[label][1]))
        rows.append({
            **period_row(ticker, cik, label, bought),
            "period_type": "quarter" if FiscalPeriod.parse(label).is_quarter else "year",
            "capex": sum(p[2].value for p in parts),
            "components": [{"metric": m, "concept": c, "value": d.value, "derivation": d.derivation}
                           for m, c, d in parts],
            "concepts": [c for _m, c, _d in parts],
            "derivation": bought.derivation if len({d.derivation for *_x, d in parts}) == 1 else "mixed",
            "accessions": list(dict.fromkeys(a for *_x, d in parts for a in d.accessions)),
        })
    if not rows:
        return CAPEX.empty()
    frame = pl.DataFrame(rows).with_columns(pl.lit(None, pl.Float64).alias("ttm"))
    return with_guidance(with_ttm_and_yoy(frame), guidance).select(list(CAPEX.columns)).cast(CAPEX.schema)


def with_ttm_and_yoy(frame: pl.DataFrame) -> pl.DataFrame:
    """TTM over four consecutive quarters (each starting the day after the previous ends); YoY in percent
    against the same fiscal quarter (or year) a year earlier."""
    quarters = frame.filter(pl.col("period_type") == "quarter").sort("period_end")
    ttm: dict[str, float] = {}
    rows = quarters.select("fiscal_period", "period_start", "period_end", "capex").rows()
    for i in range(3, len(rows)):
        window = rows[i - 3: i + 1]
        if all(window[j][1] == window[j - 1][2] + ONE_DAY for j in range(1, 4)):
            ttm[rows[i][0]] = sum(r[3] for r in window)
    prior = pl.col("fiscal_period").str.replace(r"^FY(\d{4})", "").alias("suffix")
    keyed = frame.with_columns(prior, pl.col("fiscal_year").alias("year"))
    previous = keyed.select(pl.col("suffix"), (pl.col("year") + 1).alias("year"), pl.col("capex").alias("prev"))
    return (keyed.join(previous, on=["suffix", "year"], how="left")
            .with_columns(pl.col("fiscal_period").replace_strict(ttm, default=None, return_dtype=pl.Float64)
                          .alias("ttm"),
                          ((pl.col("capex") / pl.col("prev") - 1) * 100).round(4).alias("yoy_growth"))
            .drop("suffix", "year", "prev"))


def with_guidance(frame: pl.DataFrame, guidance: pl.DataFrame) -> pl.DataFrame:
    """The latest full-year capex guidance (by issue date) for each row's fiscal year."""
    empty = frame.with_columns(pl.lit(None, pl.Float64).alias("guided_low"),
                               pl.lit(None, pl.Float64).alias("guided_high"),
                               pl.lit(None, pl.String).alias("guidance_release"),
                               pl.lit(None, pl.String).alias("guidance_sentence"))
    if guidance.is_empty():
        return empty
    plans = (guidance.filter((pl.col("metric") == "capex") & ~pl.col("fiscal_period").str.contains("Q")
                             & pl.col("low").is_not_null())
             .sort("issued_date").unique(subset=["ticker", "fiscal_year"], keep="last")
             .select("ticker", "fiscal_year", pl.col("low").alias("guided_low"), pl.col("high").alias("guided_high"),
                     pl.col("release_id").alias("guidance_release"), pl.col("sentence").alias("guidance_sentence")))
    if plans.is_empty():
        return empty
    return frame.join(plans.cast({"fiscal_year": pl.Int32}), on=["ticker", "fiscal_year"], how="left")
