"""Contracts of what earnings releases give: guidance, actuals, guidance vs actual."""

from __future__ import annotations

import polars as pl

from schemas.contract import DatasetContract

# release_id: the 8-K accession, or the URL of a newsroom release page (which has no accession).
_SOURCE = {"ticker": pl.String(), "cik": pl.String(), "release_id": pl.String(), "accession": pl.String(),
           "source_url": pl.String()}

GUIDANCE = DatasetContract(
    name="guidance",
    version=2,
    columns={
        **_SOURCE,
        "issued_date": pl.Date(),
        "fiscal_year": pl.Int32(),
        "fiscal_period": pl.String(),
        "calendar_period": pl.String(),
        "period_end": pl.Date(),
        "metric": pl.String(),
        "metric_detail": pl.String(),
        "basis": pl.String(),
        "unit": pl.String(),
        "low": pl.Float64(),
        "high": pl.Float64(),
        "point": pl.Float64(),
        "tolerance": pl.String(),
        "qualifier": pl.String(),
        "sentence": pl.String(),
    },
    primary_key=("ticker", "release_id", "fiscal_period", "metric", "metric_detail", "basis"),
    replace_by=("release_id",),
    partition_by=("ticker", "fiscal_year"),
    lineage=("release_id", "source_url", "sentence"),
    not_null=("cik", "source_url", "issued_date", "unit", "qualifier", "sentence"),
    nullable_key=("metric_detail", "basis"),
    blame_by=("ticker", "release_id"),
    description="Outlook statements of earnings releases, one row per metric and basis, for the period guided.",
)

def mark_preferred(frame: pl.DataFrame) -> pl.DataFrame:
    """``preferred`` on one row per company × quarter × measure × segment: the 8-K's, else the newsroom page's."""
    fact = ["ticker", "fiscal_period", "metric", "metric_detail", "segment"]
    rank = pl.struct(pl.col("accession").is_null(), "release_id").rank("ordinal").over(fact)
    return frame.with_columns(preferred=(rank == 1))


ACTUALS = DatasetContract(
    name="actuals",
    version=4,
    columns={
        **_SOURCE,
        "fiscal_year": pl.Int32(),
        "fiscal_period": pl.String(),
        "calendar_period": pl.String(),
        "period_end": pl.Date(),
        "metric": pl.String(),
        "metric_detail": pl.String(),
        "segment": pl.String(),
        "value": pl.Float64(),
        "unit": pl.String(),
        "source": pl.String(),
        "preferred": pl.Boolean(),
        "xbrl_check": pl.String(),
        "xbrl_value": pl.Float64(),
        "xbrl_fact": pl.String(),
    },
    primary_key=("ticker", "release_id", "fiscal_period", "metric", "metric_detail", "segment"),
    settle=mark_preferred,
    replace_by=("release_id",),
    partition_by=("ticker", "fiscal_year"),
    lineage=("release_id", "source_url", "source"),
    not_null=("cik", "source_url", "value", "unit", "source"),
    nullable_key=("metric_detail", "segment"),
    blame_by=("ticker", "release_id"),
    description="Reported quarter results from earnings-release tables (total and segment revenue, margin, capex).",
)

GUIDANCE_VS_ACTUAL = DatasetContract(
    name="guidance_vs_actual",
    version=3,
    columns={
        "ticker": pl.String(),
        "fiscal_year": pl.Int32(),
        "fiscal_period": pl.String(),
        "calendar_period": pl.String(),
        "metric": pl.String(),
        "basis": pl.String(),
        "unit": pl.String(),
        "guided_low": pl.Float64(),
        "guided_point": pl.Float64(),
        "guided_high": pl.Float64(),
        "actual": pl.Float64(),
        "beat": pl.Float64(),
        "beat_pct": pl.Float64(),
        "position": pl.String(),
        "beat_streak": pl.Int32(),
        "guidance_release": pl.String(),
        "guidance_sentence": pl.String(),
        "actual_release": pl.String(),
        "actual_source": pl.String(),
    },
    primary_key=("ticker", "fiscal_period", "metric", "basis"),
    partition_by=("ticker", "fiscal_year"),
    lineage=("guidance_release", "actual_release", "guidance_sentence", "actual_source"),
    not_null=("actual", "beat", "position", "guidance_release", "actual_release"),
    nullable_key=("basis",),
    description="Each guided quarter set against the reported actual: beat, beat %, position and beat streak.",
)
