"""Contracts of the XBRL datasets: quarterly financials, segment revenue, capex."""

from __future__ import annotations

import polars as pl

from schemas.contract import DatasetContract

# derivation values: reported_3m (a three-month fact), ytd_difference (year-to-date minus the previous
# year-to-date of the same fiscal year), fy_minus_9m (fiscal year minus nine months), reported_fy (a
# fiscal-year fact; capex and segment years only).
DERIVATIONS = ("reported_3m", "ytd_difference", "fy_minus_9m", "reported_fy")

_PERIOD = {
    "ticker": pl.String(),
    "cik": pl.String(),
    "fiscal_year": pl.Int32(),
    "fiscal_period": pl.String(),
    "calendar_period": pl.String(),
    "period_start": pl.Date(),
    "period_end": pl.Date(),
}

FINANCIALS_QUARTERLY = DatasetContract(
    name="financials_quarterly",
    version=1,
    columns={
        **_PERIOD,
        "metric": pl.String(),
        "concept": pl.String(),
        "value": pl.Float64(),
        "unit": pl.String(),
        "derivation": pl.String(),
        "accessions": pl.List(pl.String()),
        "source": pl.String(),
    },
    primary_key=("ticker", "fiscal_period", "metric"),
    partition_by=("ticker",),  # one file per company: the whole market is ~19k partitions
    lineage=("concept", "derivation", "accessions"),
    not_null=("cik", "period_start", "period_end", "concept", "value", "unit", "derivation", "accessions"),
    description="One value per company, metric and fiscal quarter from XBRL facts (three-month facts, "
                "year-to-date differences, fiscal year minus nine months), with the facts' accessions.",
)

SEGMENT_REVENUE = DatasetContract(
    name="segment_revenue",
    version=1,
    columns={
        **_PERIOD,
        "axis": pl.String(),
        "member": pl.String(),
        "label": pl.String(),
        "concept": pl.String(),
        "value": pl.Float64(),
        "unit": pl.String(),
        "derivation": pl.String(),
        "accessions": pl.List(pl.String()),
        "total_revenue": pl.Float64(),
        "members_sum": pl.Float64(),
        "sums_to_total": pl.Boolean(),
    },
    primary_key=("ticker", "fiscal_period", "axis", "member"),
    partition_by=("ticker", "fiscal_year"),
    lineage=("concept", "derivation", "accessions"),
    not_null=("cik", "period_start", "period_end", "label", "value", "unit", "derivation", "accessions"),
    description="Revenue per fiscal quarter (and fiscal year) by segment axis and member from inline XBRL, "
                "with the members' sum checked against total revenue.",
)

CAPEX = DatasetContract(
    name="capex",
    version=1,
    columns={
        **_PERIOD,
        "period_type": pl.String(),  # quarter | year
        "capex": pl.Float64(),
        "components": pl.List(pl.Struct({"metric": pl.String, "concept": pl.String, "value": pl.Float64,
                                         "derivation": pl.String})),
        "ttm": pl.Float64(),
        "yoy_growth": pl.Float64(),
        "concepts": pl.List(pl.String()),
        "derivation": pl.String(),
        "accessions": pl.List(pl.String()),
        "guided_low": pl.Float64(),
        "guided_high": pl.Float64(),
        "guidance_release": pl.String(),
        "guidance_sentence": pl.String(),
    },
    primary_key=("ticker", "fiscal_period"),
    partition_by=("ticker", "fiscal_year"),
    lineage=("concepts", "derivation", "accessions"),
    not_null=("cik", "period_type", "period_start", "period_end", "capex", "components", "concepts", "derivation",
              "accessions"),
    description="Company-defined capital expenditure per fiscal quarter and year (purchases of property and "
                "equipment, plus finance-lease principal where the company counts it), TTM, YoY, and the "
                "latest full-year capex guidance for the year.",
)
