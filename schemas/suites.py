"""Expectation suites per dataset, defined next to the contracts.

A rule is one or more native checks (schemas.checks: not null, in set, regex, between, ...) that Great
Expectations asserts on the batch, with the reason in words and a severity. Where a rule needs other columns, it
first derives a column named in words ("low where unit is percent", "point lies within low..high") and checks that.
``error`` holds the batch back (quarantine); ``warning`` publishes and reports.
Rules that span rows (compound keys, sums over rows) are in tasks.quality.validation_checks.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from schemas.checks import Check, at_least, between, in_set, is_true, not_after_today, not_empty, not_null, regex
from schemas.contract import DatasetContract
from schemas.registry import CONTRACTS

TICKER = r"^(?:[A-Z][A-Z0-9.\-]{0,9}|CIK\d{10})$"
CIK = r"^\d{10}$"
FISCAL_PERIOD = r"^FY\d{4}(?:Q[1-4])?$"
ACCESSION = r"^\d{10}-\d{2}-\d{6}$"


@dataclass(frozen=True)
class Rule:
    name: str  # named in messages as "check:NAME"
    column: str  # the data column the rule is about (for messages and sample rows)
    checks: tuple[Check, ...]
    why: str
    severity: str = "error"  # error | warning
    derived: Mapping[str, pl.Expr] = field(default_factory=dict)  # columns the checks read, named in words

    def holds(self) -> pl.Expr:
        """True where every check passes, False where one breaks, null where none applies."""
        return pl.all_horizontal([c.holds() for c in self.checks])


def _where(column: str, condition: pl.Expr) -> pl.Expr:
    return pl.when(condition).then(pl.col(column)).otherwise(None)


def _between_where(name: str, column: str, condition: pl.Expr, words: str, low: float | None, high: float | None,
                   why: str, severity: str = "error") -> Rule:
    """A range rule on the rows meeting a condition: checks the derived column "COLUMN where WORDS"."""
    derived = f"{column} where {words}"
    return Rule(name, column, (between(derived, low, high),), why, severity,
                derived={derived: _where(column, condition)})


def _filled(*columns: str) -> tuple[Check, ...]:
    return tuple(c for column in columns for c in (not_null(column), not_empty(column)))


def contract_rules(contract: DatasetContract) -> list[Rule]:
    rules = []
    if "ticker" in contract.columns:
        rules.append(Rule("ticker_format", "ticker", (regex("ticker", TICKER),),
                          "tickers are symbols or CIK##########"))
    if "cik" in contract.columns:
        rules.append(Rule("cik_format", "cik", (regex("cik", CIK),), "CIKs have ten digits"))
    if "fiscal_period" in contract.columns:
        rules.append(Rule("fiscal_period_format", "fiscal_period", (regex("fiscal_period", FISCAL_PERIOD),),
                          "fiscal periods look like FY2026Q1 or FY2025"))
    return rules


PERCENT = pl.col("unit") == "percent"
MARGIN = pl.col("metric") == "gross_margin"
AMOUNT = pl.col("metric").is_in(["revenue", "capex"])
ACCESSION_COUNT = {"number of accessions": pl.col("accessions").list.len()}


def _has_accessions() -> Rule:
    return Rule("has_accessions", "accessions", (between("number of accessions", 1),), "every value names its facts",
                derived=ACCESSION_COUNT)


DATASET_RULES: dict[str, list[Rule]] = {
    "filings": [
        Rule("accession_format", "accession", (regex("accession", ACCESSION),),
             "accessions look like 0001045810-25-000021"),
        Rule("filed_not_in_future", "filed_date", (not_after_today("filed_date"),),
             "filing dates are not in the future"),
    ],
    "parse_issues": [
        Rule("stage_known", "stage", (in_set("stage", "list", "fetch", "parse", "guidance", "xbrl_check"),),
             "stage is list, fetch, parse, guidance or xbrl_check")],
    "guidance": [
        Rule("unit_allowed", "unit", (in_set("unit", "USD", "percent"),), "units are USD or percent"),
        Rule("low_le_high", "low", (at_least("high", "low"),), "guided low ≤ high"),
        Rule("point_within_range", "point", (is_true("point lies within low..high"),),
             "guided point lies within low..high", derived={"point lies within low..high": pl.when(
                 pl.col("point").is_not_null() & pl.col("low").is_not_null())
                 .then(pl.col("point").is_between(pl.col("low"), pl.col("high")))}),
        Rule("percent_within_100", "low", (between("low where unit is percent", -100, 100),
                                           between("high where unit is percent", -100, 100)),
             "percentages within -100..100", derived={"low where unit is percent": _where("low", PERCENT),
                                                      "high where unit is percent": _where("high", PERCENT)}),
        _between_where("gross_margin_within_100", "low", MARGIN, "metric is gross_margin", 0, 100,
                       "gross margin within 0..100"),
        _between_where("amount_not_negative", "low", AMOUNT, "metric is revenue or capex", 0, None,
                       "revenue and capex guidance are not negative"),
        Rule("issued_not_in_future", "issued_date", (not_after_today("issued_date"),),
             "issue dates are not in the future"),
        Rule("period_after_issue", "fiscal_period", (is_true("guided period ends after the issue date"),),
             "the guided period ends after the guidance was issued", derived={
                 "guided period ends after the issue date": pl.when(pl.col("period_end").is_not_null())
                 .then(pl.col("period_end") > pl.col("issued_date"))
                 .otherwise(pl.col("fiscal_year") >= pl.col("issued_date").dt.year())}),
        Rule("has_lineage", "release_id", _filled("release_id", "source_url", "sentence"),
             "every row has its release (accession or URL) and sentence"),
    ],
    "actuals": [
        Rule("unit_allowed", "unit", (in_set("unit", "USD", "percent", "USD/share"),),
             "units are USD, percent or USD/share"),
        _between_where("gross_margin_within_100", "value", MARGIN, "metric is gross_margin", -100, 100,
                       "gross margin within -100..100"),
        _between_where("amount_not_negative", "value", AMOUNT, "metric is revenue or capex", 0, None,
                       "revenue and capex are not negative (outflows stored positive)"),
        Rule("period_not_in_future", "period_end", (not_after_today("period_end"),),
             "reported periods are not in the future"),
        Rule("has_lineage", "release_id", _filled("release_id", "source_url", "source"),
             "every row has its release and source cell"),
        Rule("xbrl_check_known", "xbrl_check", (in_set("xbrl_check", "agrees", "disagrees", "pending", "none"),),
             "xbrl_check is agrees, disagrees, pending or none"),
    ],
    "guidance_vs_actual": [
        Rule("beat_is_actual_minus_point", "beat", (is_true("beat equals actual minus guided point"),),
             "beat = actual − guided point", derived={"beat equals actual minus guided point": (
                 pl.col("actual") - pl.col("guided_point") - pl.col("beat")).abs() < 1e-6}),
        Rule("position_known", "position", (in_set("position", "below", "inside", "above"),),
             "below, inside or above"),
        Rule("streak_not_negative", "beat_streak", (between("beat_streak", 0),), "streaks are not negative"),
    ],
    "financials_quarterly": [
        Rule("derivation_known", "derivation",
             (in_set("derivation", "reported_3m", "ytd_difference", "fy_minus_9m"),),
             "derivation is reported_3m, ytd_difference or fy_minus_9m"),
        _has_accessions(),
        Rule("quarter_length", "period_end", (between("quarter length in days", 84, 99),), "a quarter is 84-99 days",
             derived={"quarter length in days": (pl.col("period_end") - pl.col("period_start")).dt.total_days()}),
        _between_where("amount_not_negative", "value", pl.col("metric").is_in(["revenue", "capex", "cost_of_revenue"]),
                       "metric is revenue, capex or cost of revenue", 0, None,
                       "revenue, capex and cost of revenue are not negative", "warning"),
    ],
    "segment_revenue": [
        _has_accessions(),
        Rule("members_sum_to_total", "sums_to_total", (is_true("sums_to_total"),),
             "segment members sum to total revenue", "warning"),
    ],
    "capex": [
        Rule("capex_not_negative", "capex", (between("capex", 0),), "capex is not negative"),
        _has_accessions(),
    ],
    "news_articles": [
        Rule("text_hash_format", "text_sha256", (regex("text_sha256", r"^[0-9a-f]{64}$"),),
             "text hashes are sha256"),
        Rule("published_not_in_future", "published_at", (not_after_today("published_at"),),
             "publication times are not in the future"),
    ],
    "news_figures": [
        Rule("unit_allowed", "unit", (in_set("unit", "USD", "CNY", "percent", "count", "multiple"),),
             "units are USD, CNY, percent, count or multiple"),
        Rule("has_lineage", "url", _filled("url", "quote"), "every figure has its article URL and exact quote"),
        Rule("status_known", "status", (in_set("status", "agrees", "disagrees", "unverifiable"),),
             "reconciliation status is agrees, disagrees or unverifiable"),
    ],
}


def rules_for(name: str) -> list[Rule]:
    """Row rules of a dataset (contract rules first); cross-row rules are in tasks.quality.validation_checks."""
    return contract_rules(CONTRACTS[name]) + DATASET_RULES.get(name, [])
