"""Expectation suites per dataset, defined next to the contracts.

Every rule is a polars expression that is True where the rule holds, False where it is broken and null
where it does not apply. The gate (tasks.quality.validation) computes them as ``check:NAME`` columns — polars is
fast on millions of rows — and Great Expectations asserts each one (values in {True}) plus the contract's
columns and not-null columns, so results, severities and Data Docs come from GX.
``error`` holds the batch back (quarantine); ``warning`` publishes and reports.
Rules that span rows (sums, keys) are frame functions in tasks.quality.validation_checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import polars as pl

from schemas.contract import DatasetContract
from schemas.registry import CONTRACTS

TICKER = r"^(?:[A-Z][A-Z0-9.\-]{0,9}|CIK\d{10})$"
CIK = r"^\d{10}$"
FISCAL_PERIOD = r"^FY\d{4}(?:Q[1-4])?$"
ACCESSION = r"^\d{10}-\d{2}-\d{6}$"


@dataclass(frozen=True)
class Rule:
    name: str  # the check column is "check:NAME"
    column: str  # the data column the rule is about (for messages and sample values)
    expr: pl.Expr
    why: str
    severity: str = "error"  # error | warning


def _applies(condition: pl.Expr, holds: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(holds).otherwise(None)


def _between(column: str, low: float | None, high: float | None) -> pl.Expr:
    value = pl.col(column)
    holds = pl.lit(True)
    if low is not None:
        holds = holds & (value >= low)
    if high is not None:
        holds = holds & (value <= high)
    return _applies(value.is_not_null(), holds)


def _regex(column: str, pattern: str) -> pl.Expr:
    return _applies(pl.col(column).is_not_null(), pl.col(column).str.contains(pattern))


def _in(column: str, values: list[str]) -> pl.Expr:
    return _applies(pl.col(column).is_not_null(), pl.col(column).is_in(values))


def _not_future(column: str) -> pl.Expr:
    return _applies(pl.col(column).is_not_null(), pl.col(column).cast(pl.Date) <= pl.lit(date.today()))


def _filled(*columns: str) -> pl.Expr:
    return pl.all_horizontal([pl.col(c).is_not_null() & (pl.col(c).cast(pl.String) != "") for c in columns])


def contract_rules(contract: DatasetContract) -> list[Rule]:
    rules = []
    if "ticker" in contract.columns:
        rules.append(Rule("ticker_format", "ticker", _regex("ticker", TICKER), "tickers are symbols or CIK##########"))
    if "cik" in contract.columns:
        rules.append(Rule("cik_format", "cik", _regex("cik", CIK), "CIKs have ten digits"))
    if "fiscal_period" in contract.columns:
        rules.append(Rule("fiscal_period_format", "fiscal_period", _regex("fiscal_period", FISCAL_PERIOD),
                          "fiscal periods look like FY2026Q1 or FY2025"))
    return rules


PERCENT = pl.col("unit") == "percent"
MARGIN = pl.col("metric") == "gross_margin"
NON_NEGATIVE = pl.col("metric").is_in(["revenue", "capex"])

DATASET_RULES: dict[str, list[Rule]] = {
    "filings": [
        Rule("accession_format", "accession", _regex("accession", ACCESSION),
             "accessions look like 0001045810-25-000021"),
        Rule("filed_not_in_future", "filed_date", _not_future("filed_date"), "filing dates are not in the future"),
    ],
    "parse_issues": [
        Rule("stage_known", "stage", _in("stage", ["list", "fetch", "parse"]), "stage is list, fetch or parse")],
    "guidance": [
        Rule("unit_allowed", "unit", _in("unit", ["USD", "percent"]), "units are USD or percent"),
        Rule("low_le_high", "low", _applies(pl.col("low").is_not_null() & pl.col("high").is_not_null(),
                                            pl.col("low") <= pl.col("high")), "guided low ≤ high"),
        Rule("point_within_range", "point", _applies(pl.col("point").is_not_null() & pl.col("low").is_not_null(),
                                                     pl.col("point").is_between(pl.col("low"), pl.col("high"))),
             "guided point lies within low..high"),
        Rule("percent_within_100", "low", _applies(PERCENT, _between("low", -100, 100).fill_null(True)
                                                   & _between("high", -100, 100).fill_null(True)),
             "percentages within -100..100"),
        Rule("gross_margin_within_100", "low", _applies(MARGIN, _between("low", 0, 100).fill_null(True)),
             "gross margin within 0..100"),
        Rule("amount_not_negative", "low", _applies(NON_NEGATIVE, _between("low", 0, None).fill_null(True)),
             "revenue and capex guidance are not negative"),
        Rule("issued_not_in_future", "issued_date", _not_future("issued_date"), "issue dates are not in the future"),
        Rule("period_after_issue", "fiscal_period",
             pl.when(pl.col("period_end").is_not_null()).then(pl.col("period_end") > pl.col("issued_date"))
             .otherwise(pl.col("fiscal_year") >= pl.col("issued_date").dt.year()),
             "the guided period ends after the guidance was issued"),
        Rule("has_lineage", "release_id", _filled("release_id", "source_url", "sentence"),
             "every row has its release (accession or URL) and sentence"),
    ],
    "actuals": [
        Rule("unit_allowed", "unit", _in("unit", ["USD", "percent", "USD/share"]),
             "units are USD, percent or USD/share"),
        Rule("gross_margin_within_100", "value", _applies(MARGIN, _between("value", -100, 100)),
             "gross margin within -100..100"),
        Rule("amount_not_negative", "value", _applies(NON_NEGATIVE, _between("value", 0, None)),
             "revenue and capex are not negative (outflows stored positive)"),
        Rule("period_not_in_future", "period_end", _not_future("period_end"), "reported periods are not in the future"),
        Rule("has_lineage", "release_id", _filled("release_id", "source_url", "source"),
             "every row has its release and source cell"),
    ],
    "guidance_vs_actual": [
        Rule("beat_is_actual_minus_point", "beat",
             ((pl.col("actual") - pl.col("guided_point") - pl.col("beat")).abs() < 1e-6),
             "beat = actual − guided point"),
        Rule("position_known", "position", _in("position", ["below", "inside", "above"]), "below, inside or above"),
        Rule("streak_not_negative", "beat_streak", _between("beat_streak", 0, None), "streaks are not negative"),
    ],
    "financials_quarterly": [
        Rule("derivation_known", "derivation", _in("derivation", ["reported_3m", "ytd_difference", "fy_minus_9m"]),
             "derivation is reported_3m, ytd_difference or fy_minus_9m"),
        Rule("has_accessions", "accessions", pl.col("accessions").list.len() > 0, "every value names its facts"),
        Rule("quarter_length", "period_end", (pl.col("period_end") - pl.col("period_start")).dt.total_days()
             .is_between(84, 99), "a quarter is 84-99 days"),
        Rule("amount_not_negative", "value", _applies(pl.col("metric").is_in(["revenue", "capex", "cost_of_revenue"]),
                                                      _between("value", 0, None)),
             "revenue, capex and cost of revenue are not negative", "warning"),
    ],
    "segment_revenue": [
        Rule("has_accessions", "accessions", pl.col("accessions").list.len() > 0, "every value names its facts"),
        Rule("members_sum_to_total", "sums_to_total", pl.col("sums_to_total"),
             "segment members sum to total revenue", "warning"),
    ],
    "capex": [
        Rule("capex_not_negative", "capex", _between("capex", 0, None), "capex is not negative"),
        Rule("has_accessions", "accessions", pl.col("accessions").list.len() > 0, "every value names its facts"),
    ],
    "news_articles": [
        Rule("text_hash_format", "text_sha256", _regex("text_sha256", r"^[0-9a-f]{64}$"), "text hashes are sha256"),
        Rule("published_not_in_future", "published_at", _not_future("published_at"),
             "publication times are not in the future"),
    ],
    "news_figures": [
        Rule("unit_allowed", "unit", _in("unit", ["USD", "CNY", "percent", "count", "multiple"]),
             "units are USD, CNY, percent, count or multiple"),
        Rule("has_lineage", "url", _filled("url", "quote"), "every figure has its article URL and exact quote"),
        Rule("status_known", "status", _in("status", ["agrees", "disagrees", "unverifiable"]),
             "reconciliation status is agrees, disagrees or unverifiable"),
    ],
}


def rules_for(name: str) -> list[Rule]:
    """Row rules of a dataset (contract rules first); cross-row rules are in tasks.quality.validation_checks."""
    return contract_rules(CONTRACTS[name]) + DATASET_RULES.get(name, [])
