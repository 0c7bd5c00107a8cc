"""The ``check:…`` columns of a batch: row rules from schemas.suites, plus rules that span rows.

True = holds, False = broken, null = does not apply. Frames in, frames out; no I/O.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import polars as pl

from schemas.contract import DatasetContract
from schemas.suites import Rule, rules_for


@dataclass(frozen=True)
class CrossRule:
    name: str
    column: str
    why: str
    severity: str
    add: Callable[[pl.DataFrame, str], pl.DataFrame]  # adds the column named by its second argument


def _unique_key(contract: DatasetContract) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    def add(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        key = pl.struct([pl.col(c) for c in contract.primary_key])
        return frame.with_columns((~key.is_duplicated()).alias(name))
    return add


def _required(contract: DatasetContract) -> Callable[[pl.DataFrame, str], pl.DataFrame]:
    def add(frame: pl.DataFrame, name: str) -> pl.DataFrame:
        present = [c for c in contract.required if c in frame.columns]
        return frame.with_columns(pl.all_horizontal([pl.col(c).is_not_null() for c in present]).alias(name))
    return add


def _segments_within_total(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    totals = frame.filter((pl.col("metric") == "revenue") & pl.col("segment").is_null()).select(
        "ticker", "release_id", pl.col("value").alias("_total")).unique(["ticker", "release_id"])
    return frame.join(totals, on=["ticker", "release_id"], how="left", maintain_order="left").with_columns(
        pl.when((pl.col("metric") == "revenue") & pl.col("segment").is_not_null() & pl.col("_total").is_not_null())
        .then(pl.col("value") <= pl.col("_total")).otherwise(None).alias(name)).drop("_total")


def _quarters_sum_to_year(frame: pl.DataFrame, name: str) -> pl.DataFrame:
    quarters = (frame.filter(pl.col("period_type") == "quarter").group_by("ticker", "fiscal_year")
                .agg(pl.col("capex").sum().alias("_q_sum"), pl.len().alias("_q_n")))
    return frame.join(quarters, on=["ticker", "fiscal_year"], how="left", maintain_order="left").with_columns(
        pl.when((pl.col("period_type") == "year") & (pl.col("_q_n") == 4))
        .then((pl.col("_q_sum") - pl.col("capex")).abs() < 0.5).otherwise(None).alias(name)).drop("_q_sum", "_q_n")


def cross_rules(contract: DatasetContract) -> list[CrossRule]:
    rules = [CrossRule("primary_key_unique", contract.primary_key[0],
                       f"primary key ({', '.join(contract.primary_key)}) is unique", "error", _unique_key(contract)),
             CrossRule("required_not_null", contract.required[0] if contract.required else contract.primary_key[0],
                       f"required columns are not null ({', '.join(contract.required)})", "error",
                       _required(contract))]
    if contract.name == "actuals":
        rules.append(CrossRule("segments_within_total", "value", "no segment exceeds the quarter's total revenue",
                               "warning", _segments_within_total))
    if contract.name == "capex":
        rules.append(CrossRule("quarters_sum_to_year", "capex", "four quarters sum to the fiscal year", "warning",
                               _quarters_sum_to_year))
    return rules


def all_rules(contract: DatasetContract) -> list[Rule | CrossRule]:
    return [*cross_rules(contract), *rules_for(contract.name)]


def with_checks(contract: DatasetContract, frame: pl.DataFrame) -> pl.DataFrame:
    """The batch plus one ``check:NAME`` column per rule."""
    out = frame
    for cross in cross_rules(contract):
        out = cross.add(out, f"check:{cross.name}")
    row_rules = [r for r in rules_for(contract.name) if r.column in frame.columns]
    return out.with_columns([r.expr.alias(f"check:{r.name}") for r in row_rules])


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
