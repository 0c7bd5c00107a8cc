"""Actuals checked against the company's own XBRL (pure: frames in, frames out).

Every US issuer files each quarter again in XBRL (10-Q/10-K, companyfacts). A release row whose measure XBRL also
reports — total revenue, capex, GAAP gross margin (gross profit ÷ revenue), segment revenue by member label — gets
``xbrl_check``:

- ``agrees``: the filed value, within the release's rounding (one unit of $1 million, or 0.01 %; 0.05 points for a
  margin printed to one decimal);
- ``disagrees``: another value is filed; the row keeps the release's value, ``xbrl_value`` and ``xbrl_fact`` say what
  XBRL holds, and a parse issue names both;
- ``pending``: the company's XBRL in the lake ends before the quarter (its 10-Q is not filed yet): checked again
  when a later run ingests it;
- ``none``: XBRL has no fact for this measure (EPS, dividends, a segment XBRL does not name, a company without XBRL
  in the lake).
"""

from __future__ import annotations

import re

import polars as pl

CHECKED = ("agrees", "disagrees", "pending", "none")
_MARGIN_POINTS = 0.05


def _label_key(column: str) -> pl.Expr:
    """A segment name compared loosely: case, '&'/'and', punctuation and spacing aside."""
    return (pl.col(column).str.to_lowercase().str.replace_all("&", " and ").str.replace_all(r"[^a-z0-9]+", " ")
            .str.strip_chars())


def _fact(name: pl.Expr) -> pl.Expr:
    """Lineage of an XBRL value: its concept or member, derivation and accessions."""
    return pl.concat_str([name, pl.lit(" ("), pl.col("derivation"), pl.lit("; "),
                          pl.col("accessions").list.join(", "), pl.lit(")")])


def _facts(financials: pl.DataFrame, segments: pl.DataFrame) -> pl.DataFrame:
    """One XBRL value per (ticker, fiscal period, metric, segment key), with the fact it comes from."""
    totals = financials.filter(pl.col("metric").is_in(["revenue", "capex"])).select(
        "ticker", "fiscal_period", "metric", pl.lit(None, pl.String).alias("segment_key"),
        pl.col("value").alias("xbrl_value"), _fact(pl.col("concept")).alias("xbrl_fact"))
    wide = financials.filter(pl.col("metric").is_in(["revenue", "gross_profit"])).pivot(
        on="metric", index=["ticker", "fiscal_period"], values="value", aggregate_function="first")
    margins = pl.DataFrame(schema=totals.schema)
    if {"revenue", "gross_profit"} <= set(wide.columns):
        margins = wide.filter(pl.col("revenue") > 0).select(
            "ticker", "fiscal_period", pl.lit("gross_margin").alias("metric"),
            pl.lit(None, pl.String).alias("segment_key"),
            (pl.col("gross_profit") / pl.col("revenue") * 100).alias("xbrl_value"),
            pl.lit("gross profit ÷ revenue (financials_quarterly)").alias("xbrl_fact"))
    members = segments.filter(pl.col("fiscal_period").str.contains("Q")).select(
        "ticker", "fiscal_period", pl.lit("revenue").alias("metric"), _label_key("label").alias("segment_key"),
        pl.col("value").alias("xbrl_value"),
        _fact(pl.concat_str([pl.col("axis"), pl.lit(" "), pl.col("member")])).alias("xbrl_fact"))
    found = pl.concat([totals, margins.select(totals.columns), members], how="vertical_relaxed")
    # a member name on two axes with two values cannot decide: keep only names XBRL gives one value
    return found.unique(subset=["ticker", "fiscal_period", "metric", "segment_key", "xbrl_value"]).filter(
        pl.len().over(["ticker", "fiscal_period", "metric", "segment_key"]) == 1)


def check_against_xbrl(actuals: pl.DataFrame, financials: pl.DataFrame, segments: pl.DataFrame) -> pl.DataFrame:
    """``actuals`` with ``xbrl_check``, ``xbrl_value`` and ``xbrl_fact`` set from the lake's XBRL datasets."""
    if actuals.is_empty():
        return actuals
    facts = _facts(financials, segments)
    covered = financials.group_by("ticker").agg(pl.col("period_end").max().alias("xbrl_through"))
    keyed = actuals.drop("xbrl_check", "xbrl_value", "xbrl_fact", strict=False).with_columns(
        pl.when(pl.col("segment").is_not_null()).then(_label_key("segment")).alias("segment_key"))
    joined = keyed.join(facts, on=["ticker", "fiscal_period", "metric", "segment_key"], how="left",
                        nulls_equal=True).join(covered, on="ticker", how="left")
    comparable = ((pl.col("metric").is_in(["revenue", "capex"]) & (pl.col("unit") == "USD")
                   & pl.col("metric_detail").is_null())
                  | ((pl.col("metric") == "gross_margin") & (pl.col("metric_detail") == "gaap")
                     & pl.col("segment").is_null()))
    tolerance = pl.when(pl.col("unit") == "percent").then(pl.lit(_MARGIN_POINTS)).otherwise(
        pl.max_horizontal(pl.lit(1_000_000.0), pl.col("xbrl_value").abs() * 1e-4))
    check = (pl.when(~comparable).then(pl.lit("none"))
             .when(pl.col("xbrl_value").is_not_null())
             .then(pl.when((pl.col("value") - pl.col("xbrl_value")).abs() <= tolerance)
                   .then(pl.lit("agrees")).otherwise(pl.lit("disagrees")))
             .when(pl.col("xbrl_through").is_not_null() & (pl.col("period_end") > pl.col("xbrl_through")))
             .then(pl.lit("pending"))
             .otherwise(pl.lit("none")))
    return joined.with_columns(check.alias("xbrl_check")).with_columns(
        pl.when(pl.col("xbrl_check").is_in(["agrees", "disagrees"])).then(pl.col("xbrl_value")).alias("xbrl_value"),
        pl.when(pl.col("xbrl_check").is_in(["agrees", "disagrees"])).then(pl.col("xbrl_fact")).alias("xbrl_fact"),
    ).select(*actuals.drop("xbrl_check", "xbrl_value", "xbrl_fact", strict=False).columns,
             "xbrl_check", "xbrl_value", "xbrl_fact")


def disagreements(checked: pl.DataFrame) -> list[dict[str, str]]:
    """One parse issue per row XBRL contradicts: the document, where, and both values."""
    issues = []
    for row in checked.filter(pl.col("xbrl_check") == "disagrees").iter_rows(named=True):
        what = f"{row['metric']}{' ' + row['segment'] if row['segment'] else ''} {row['fiscal_period']}"
        cell = re.sub(r"\s+", " ", str(row["source"]))[:200]
        issues.append({
            "ticker": row["ticker"], "accession": row["accession"] or "", "url": row["source_url"],
            "locator": f"xbrl_check {what}",
            "reason": (f"the release's {what} is {_amount(row['value'], row['unit'])} but XBRL files "
                       f"{_amount(row['xbrl_value'], row['unit'])} ({row['xbrl_fact']}); read from "
                       f"{cell}"),
        })
    return issues


def _amount(value: float, unit: str) -> str:
    return f"{value:.2f} %" if unit == "percent" else f"{value:,.0f} {unit}"
