"""What one data-quality check is: a column-level condition Great Expectations asserts natively.

A check names its kind, the column it reads and its parameters; the gate turns it into the matching GX
expectation (tasks.quality.validation) and polars evaluates the same condition row by row for counts, sample rows
and blame (tasks.quality.validation_checks). Conditions that need other columns or other rows are first written
as a derived column named in words (e.g. "low where unit is percent"), and the check reads that column.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import polars as pl

CheckKind = Literal["not_null", "not_empty", "in_set", "regex", "between", "not_after_today", "at_least",
                    "is_true", "unique"]


@dataclass(frozen=True)
class Check:
    kind: CheckKind
    column: str  # the column read; for "unique", the first key column
    values: tuple[str, ...] = ()  # in_set
    pattern: str = ""  # regex (anchored)
    low: float | None = None  # between
    high: float | None = None
    other: str = ""  # at_least: column ≥ other
    columns: tuple[str, ...] = ()  # unique: the compound key

    @property
    def reads(self) -> tuple[str, ...]:
        if self.kind == "unique":
            return self.columns
        return (self.column, self.other) if self.other else (self.column,)

    def holds(self) -> pl.Expr:
        """True where the row passes, False where it breaks the check, null where the check does not apply."""
        value = pl.col(self.column)
        present = value.is_not_null()
        if self.kind == "not_null":
            return present
        if self.kind == "unique":
            return ~pl.struct([pl.col(c) for c in self.columns]).is_duplicated()
        if self.kind == "at_least":
            other = pl.col(self.other)
            return pl.when(present & other.is_not_null()).then(value >= other).otherwise(None)
        passes: pl.Expr
        if self.kind == "not_empty":
            passes = value.cast(pl.String).str.len_chars() > 0
        elif self.kind == "in_set":
            passes = value.is_in(list(self.values))
        elif self.kind == "regex":
            passes = value.str.contains(self.pattern)
        elif self.kind == "between":
            passes = pl.lit(True)
            if self.low is not None:
                passes = passes & (value >= self.low)
            if self.high is not None:
                passes = passes & (value <= self.high)
        elif self.kind == "not_after_today":
            passes = value.cast(pl.Date) <= pl.lit(date.today())
        else:  # is_true
            passes = value
        return pl.when(present).then(passes).otherwise(None)


def not_null(column: str) -> Check:
    return Check("not_null", column)


def not_empty(column: str) -> Check:
    return Check("not_empty", column)


def in_set(column: str, *values: str) -> Check:
    return Check("in_set", column, values=values)


def regex(column: str, pattern: str) -> Check:
    return Check("regex", column, pattern=pattern)


def between(column: str, low: float | None = None, high: float | None = None) -> Check:
    return Check("between", column, low=low, high=high)


def not_after_today(column: str) -> Check:
    return Check("not_after_today", column)


def at_least(column: str, other: str) -> Check:
    return Check("at_least", column, other=other)


def is_true(column: str) -> Check:
    return Check("is_true", column)


def unique(*columns: str) -> Check:
    return Check("unique", columns[0], columns=columns)
