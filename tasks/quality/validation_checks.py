"""The rules of a batch and the columns they read: row rules from schemas.suites, plus rules that span rows.

``with_derived`` adds the columns rules derive (named in words); ``with_checks`` adds one ``check:NAME`` column
per rule, True = holds, False = broken, null = does not apply — polars' row-by-row reading of the same checks
Great Expectations asserts, used for counts, sample rows, blame and bulk loads. Frames in, frames out; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable

import polars as pl

from schemas.checks import is_true, not_null, unique
from schemas.contract import DatasetContract
from schemas.suites import Rule, rules_for

SEGMENT_WITHIN_TOTAL = "segment revenue within the quarter's total revenue"
QUARTERS_SUM_TO_YEAR = "four quarters sum to the fiscal year"


def _segments_within_total(frame: pl.DataFrame) -> pl.DataFrame:
    totals = frame.filter((pl.col("metric") == "revenue") & pl.col("segment").is_null()).select(
        "ticker", "release_id", pl.col("value").alias("_total")).unique(["ticker", "release_id"])
    return frame.join(totals, on=["ticker", "release_id"], how="left", maintain_order="left").with_columns(
        pl.when((pl.col("metric") == "revenue") & pl.col("segment").is_not_null() & pl.col("_total").is_not_null())
        .then(pl.col("value") <= pl.col("_total")).otherwise(None).alias(SEGMENT_WITHIN_TOTAL)).drop("_total")


def _quarters_sum_to_year(frame: pl.DataFrame) -> pl.DataFrame:
    quarters = (frame.filter(pl.col("period_type") == "quarter").group_by("ticker", "fiscal_year")
                .agg(pl.col("capex").sum().alias("_q_sum"), pl.len().alias("_q_n")))
    return frame.join(quarters, on=["ticker", "fiscal_year"], how="left", maintain_order="left").with_columns(
        pl.when((pl.col("period_type") == "year") & (pl.col("_q_n") == 4))
        .then((pl.col("_q_sum") - pl.col("capex")).abs() < 0.5).otherwise(None).alias(QUARTERS_SUM_TO_YEAR)
    ).drop("_q_sum", "_q_n")


# Rules over several rows, per dataset: the rule and the frame function adding the column it checks.
ROWS_RULES: dict[str, tuple[Rule, Callable[[pl.DataFrame], pl.DataFrame]]] = {
    "actuals": (Rule("segments_within_total", "value", (is_true(SEGMENT_WITHIN_TOTAL),),
                     "no segment exceeds the quarter's total revenue", "warning"), _segments_within_total),
    "capex": (Rule("quarters_sum_to_year", "capex", (is_true(QUARTERS_SUM_TO_YEAR),),
                   "four quarters sum to the fiscal year", "warning"), _quarters_sum_to_year),
}


def key_rules(contract: DatasetContract) -> list[Rule]:
    """The contract's own rules: its primary key is unique, its required columns are filled. A list column is
    checked through its length ("number of accessions"), which is null exactly when the list is: GX fingerprints
    the frame it reads, and lists make it pickle the whole frame instead of hashing it."""
    lists = {c for c in contract.required if isinstance(contract.columns[c], pl.List)}
    counted = {c: f"number of {c}" for c in lists}
    return [Rule("primary_key_unique", contract.primary_key[0], (unique(*contract.primary_key),),
                 f"primary key ({', '.join(contract.primary_key)}) is unique"),
            Rule("required_not_null", contract.required[0] if contract.required else contract.primary_key[0],
                 tuple(not_null(counted.get(c, c)) for c in contract.required),
                 f"required columns are not null ({', '.join(contract.required)})",
                 derived={name: pl.col(c).list.len() for c, name in counted.items()})]


def all_rules(contract: DatasetContract) -> list[Rule]:
    across = [ROWS_RULES[contract.name][0]] if contract.name in ROWS_RULES else []
    return [*key_rules(contract), *across, *rules_for(contract.name)]


def with_derived(contract: DatasetContract, frame: pl.DataFrame) -> pl.DataFrame:
    """The batch plus every column its rules derive (named in words)."""
    out = ROWS_RULES[contract.name][1](frame) if contract.name in ROWS_RULES else frame
    derived = {name: expr for rule in all_rules(contract) for name, expr in rule.derived.items()
               if name not in out.columns}
    return out.with_columns(**derived) if derived else out


def applicable(rules: list[Rule], columns: list[str]) -> list[Rule]:
    """Rules whose checks read only columns the frame has."""
    have = set(columns)
    return [r for r in rules if all(set(c.reads) <= have for c in r.checks)]


def with_checks(contract: DatasetContract, frame: pl.DataFrame) -> pl.DataFrame:
    """The batch, its derived columns and one ``check:NAME`` column per rule."""
    data = with_derived(contract, frame)
    rules = applicable(all_rules(contract), data.columns)
    return data.with_columns([r.holds().alias(f"check:{r.name}") for r in rules])


def broken_rules(contract: DatasetContract, frame: pl.DataFrame, severity: str = "error") -> list[str]:
    """Names and counts of the suite's rules the batch breaks, evaluated with polars alone (for bulk loads,
    where starting GX per company would cost more than the load)."""
    data = with_checks(contract, frame)
    broken = []
    for rule in all_rules(contract):
        column = f"check:{rule.name}"
        if rule.severity == severity and column in data.columns:
            count = int(data.select((pl.col(column) == False).sum()).item() or 0)  # noqa: E712
            if count:
                broken.append(f"{column} ({rule.why}): {count} rows")
    return broken
