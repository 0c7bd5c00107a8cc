"""Native Great Expectations for the checks of schemas.checks: what Data Docs list, by name, for each rule.

Imported by the validation gate only when a batch is validated (GX's import costs ≈4 s).
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

import great_expectations.expectations as gx_expectations

from schemas.checks import Check
from schemas.suites import Rule

gxe: Any = gx_expectations  # GX's stubs do not export the expectation classes


def native(check: Check, rules: list[Rule], index: int) -> Any:
    """The GX expectation asserting ``check``; ``meta`` ties its result back to the check and its rules."""
    serving = "; ".join(f"{r.name}: {r.why} ({r.severity})" for r in rules)
    common: dict[str, Any] = {"meta": {"check": index, "rules": [r.name for r in rules]}, "notes": serving}
    if check.kind == "not_null":
        return gxe.ExpectColumnValuesToNotBeNull(column=check.column, **common)
    if check.kind == "not_empty":
        return gxe.ExpectColumnValueLengthsToBeBetween(column=check.column, min_value=1, **common)
    if check.kind == "in_set":
        return gxe.ExpectColumnValuesToBeInSet(column=check.column, value_set=list(check.values), **common)
    if check.kind == "is_true":
        return gxe.ExpectColumnValuesToBeInSet(column=check.column, value_set=[True], **common)
    if check.kind == "regex":
        return gxe.ExpectColumnValuesToMatchRegex(column=check.column, regex=check.pattern, **common)
    if check.kind == "between":
        return gxe.ExpectColumnValuesToBeBetween(column=check.column, min_value=check.low, max_value=check.high,
                                                 **common)
    if check.kind == "not_after_today":  # the latest value is today or earlier: no row lies in the future
        end_of_today = datetime.combine(date.today(), time.max)
        return gxe.ExpectColumnMaxToBeBetween(column=check.column, max_value=end_of_today, **common)
    if check.kind == "at_least":
        return gxe.ExpectColumnPairValuesAToBeGreaterThanB(column_A=check.column, column_B=check.other,
                                                           or_equal=True, ignore_row_if="either_value_is_missing",
                                                           **common)
    if len(check.columns) == 1:
        return gxe.ExpectColumnValuesToBeUnique(column=check.column, **common)
    return gxe.ExpectCompoundColumnsToBeUnique(column_list=list(check.columns), **common)
