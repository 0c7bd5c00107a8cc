"""News figures checked against the curated filings datasets (frames in, frame out; no I/O).

A claim agrees when the filing value lies within half a unit of the article's last written digit ("393億"
agrees with 39,331 $M; "25.3億" does not agree with 2,582 $M). Ranges agree when both ends do. A claim the
datasets cannot check (no ticker, no period, a metric the filings do not state) is ``unverifiable``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl

from schemas.news import NEWS_FIGURES

CHECKABLE = {"revenue", "revenue_guidance", "guidance_beat", "segment_revenue", "gross_margin", "capex_plan"}


def _fiscal_label(period: str | None, fiscal_year_end: str | None) -> str | None:
    if not period:
        return None
    if period.startswith("FY"):
        return period
    if period.isdigit() and fiscal_year_end == "1231":
        return f"FY{period}"  # a calendar year is the fiscal year of a December filer
    return None


class Filings:
    """The curated datasets a claim can be checked against."""

    def __init__(self, guidance: pl.DataFrame, actuals: pl.DataFrame, beats: pl.DataFrame) -> None:
        self.guidance, self.actuals, self.beats = guidance, actuals, beats

    def lookup(self, row: dict[str, Any], fiscal_year_end: str | None) -> dict[str, Any] | None:
        period = _fiscal_label(row["period_normalized"], fiscal_year_end)
        ticker, metric = row["ticker"], row["metric"]
        if not ticker or not period or metric not in CHECKABLE:
            return None
        if row["unit"] != ("percent" if metric == "gross_margin" else "USD"):
            return None  # a count or a growth rate next to a dollar metric is not that metric
        if metric in ("revenue", "segment_revenue", "gross_margin") and not self.actuals.is_empty():
            wanted = (pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
            if metric == "gross_margin":
                wanted &= (pl.col("metric") == "gross_margin") & (pl.col("metric_detail") == "gaap")
            else:
                wanted &= pl.col("metric") == "revenue"
                wanted &= (pl.col("segment") == row["segment"]) if metric == "segment_revenue" else \
                    pl.col("segment").is_null()
            hit = self.actuals.filter(wanted).sort(pl.col("accession").is_null())
            if hit.height:
                r = hit.row(0, named=True)
                return {"value": r["value"], "high": None, "dataset": "actuals", "source": r["release_id"],
                        "text": r["source"]}
        if metric in ("revenue_guidance", "capex_plan") and not self.guidance.is_empty():
            guided = "revenue" if metric == "revenue_guidance" else "capex"
            hit = self.guidance.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                       & (pl.col("metric") == guided) & pl.col("low").is_not_null()
                                       ).sort(["issued_date", pl.col("accession").is_not_null()])
            if hit.height:
                r = hit.row(-1, named=True)  # the latest outlook for the period
                single = r["low"] == r["high"]
                return {"value": r["point"] if r["point"] is not None else r["low"],
                        "high": None if single or r["point"] is not None else r["high"],
                        "dataset": "guidance", "source": r["release_id"], "text": r["sentence"]}
        if metric == "guidance_beat" and not self.beats.is_empty():
            hit = self.beats.filter((pl.col("ticker") == ticker) & (pl.col("fiscal_period") == period)
                                    & (pl.col("metric") == "revenue"))
            if hit.height:
                r = hit.row(0, named=True)
                return {"value": r["beat"], "high": None, "dataset": "guidance_vs_actual",
                        "source": r["actual_release"],
                        "text": f"actual {r['actual']:,.0f} minus guided point {r['guided_point']:,.0f}"}
        return None


def _agrees(claim: float, filed: float, rounding: float) -> bool:
    return abs(claim - filed) <= rounding / 2 + 1e-9


def reconcile(figures: list[dict[str, Any]], filings: Filings, fiscal_year_ends: dict[str, str]) -> pl.DataFrame:
    """Each figure row with status, filing value, difference and the filing's source."""
    out = []
    for row in figures:
        fye = fiscal_year_ends.get(row["ticker"] or "")
        found = filings.lookup(row, fye) if row["qualifier"] in (None, "approximately", "range") else None
        status, filed, high, diff = "unverifiable", None, None, None
        if found is not None and found["value"] is not None:
            filed, high = float(found["value"]), found["high"]
            rounding = float(row.get("rounding") or Decimal(1))
            if row["value_high"] is not None:
                ok = high is not None and _agrees(row["value"], filed, rounding) and \
                    _agrees(row["value_high"], float(high), rounding)
            else:
                ok = high is None and _agrees(row["value"], filed, rounding)
            status = "agrees" if ok else "disagrees"
            diff = row["value"] - filed
        out.append({**{k: row.get(k) for k in NEWS_FIGURES.columns}, "status": status, "filing_value": filed,
                    "filing_value_high": float(high) if high is not None else None, "difference": diff,
                    "filing_dataset": found["dataset"] if found else None,
                    "filing_source": found["source"] if found else None,
                    "filing_text": found["text"] if found else None})
    return pl.DataFrame(out, schema=NEWS_FIGURES.schema) if out else NEWS_FIGURES.empty()
