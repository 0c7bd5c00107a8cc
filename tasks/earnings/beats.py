"""Guidance vs actual: beat, beat %, position in the range, and beat streaks (polars in, polars out)."""

from __future__ import annotations

import polars as pl

from schemas.releases import GUIDANCE_VS_ACTUAL

# Which actual answers which guided metric: (guidance metric, guidance basis) → (actual metric, detail).
COMPARABLE = {("revenue", None): ("revenue", None), ("gross_margin", "gaap"): ("gross_margin", "gaap")}


def guidance_vs_actual(guidance: pl.DataFrame, actuals: pl.DataFrame, beat_threshold: float = 0.0) -> pl.DataFrame:
    """One row per ticker × fiscal quarter × metric × basis that has both a guided value and an actual."""
    if guidance.is_empty() or actuals.is_empty():
        return GUIDANCE_VS_ACTUAL.empty()
    keys = pl.DataFrame(
        [{"metric": g[0], "basis": g[1], "actual_metric": a[0], "actual_detail": a[1]} for g, a in COMPARABLE.items()],
        schema={"metric": pl.String, "basis": pl.String, "actual_metric": pl.String, "actual_detail": pl.String},
    )
    guided = (
        guidance.filter(pl.col("low").is_not_null() & pl.col("fiscal_period").str.contains("Q")
                        & pl.col("metric_detail").is_null())
        # The 8-K wins over a newsroom page for the same quarter (sorted last, kept last).
        .sort(["issued_date", pl.col("accession").is_not_null()])
        .unique(subset=["ticker", "fiscal_period", "metric", "basis"], keep="last", maintain_order=True)
        .join(keys, on=["metric", "basis"], how="inner", nulls_equal=True)
    )
    reported = actuals.filter(pl.col("segment").is_null()).sort(
        pl.col("accession").is_null(), maintain_order=True).select(
        "ticker", "fiscal_period", pl.col("metric").alias("actual_metric"),
        pl.col("metric_detail").alias("actual_detail"), pl.col("value").alias("actual"),
        (pl.col("calendar_period") if "calendar_period" in actuals.columns else pl.lit(None, pl.String))
        .alias("actual_calendar_period"),
        pl.col("release_id").alias("actual_release"), pl.col("source").alias("actual_source"),
    ).unique(subset=["ticker", "fiscal_period", "actual_metric", "actual_detail"], keep="first", maintain_order=True)
    joined = guided.join(reported, on=["ticker", "fiscal_period", "actual_metric", "actual_detail"], how="inner",
                         nulls_equal=True)
    if joined.is_empty():
        return GUIDANCE_VS_ACTUAL.empty()
    centre = pl.coalesce("point", (pl.col("low") + pl.col("high")) / 2)
    out = joined.with_columns(
        guided_point=centre,
        beat=(pl.col("actual") - centre).round(6),
    ).with_columns(
        beat_pct=(pl.col("beat") / pl.col("guided_point") * 100).round(4),
        position=pl.when(pl.col("actual") < pl.col("low")).then(pl.lit("below"))
        .when(pl.col("actual") > pl.col("high")).then(pl.lit("above")).otherwise(pl.lit("inside")),
    ).sort(["ticker", "metric", "basis", "fiscal_period"], nulls_last=True)
    beat = (pl.col("beat") > beat_threshold)
    run_id = (~beat).cum_sum().over(["ticker", "metric", "basis"])
    out = out.with_columns(
        beat_streak=pl.when(beat).then(beat.cast(pl.Int32).cum_sum().over(["ticker", "metric", "basis", run_id]))
        .otherwise(0).cast(pl.Int32)
    )
    return out.select(
        "ticker", "fiscal_year", "fiscal_period", pl.col("actual_calendar_period").alias("calendar_period"),
        "metric", "basis", "unit",
        pl.col("low").alias("guided_low"), "guided_point", pl.col("high").alias("guided_high"), "actual", "beat",
        "beat_pct", "position", "beat_streak", pl.col("release_id").alias("guidance_release"),
        pl.col("sentence").alias("guidance_sentence"), "actual_release", "actual_source",
    )
