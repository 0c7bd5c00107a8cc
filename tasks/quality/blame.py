"""Trace rows that break an error rule to the unit they came from (a release, a partition), so that unit is
held back and every other unit publishes. Frames in, frames out; no I/O."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from schemas.contract import DatasetContract
from tasks.quality.validation_checks import all_rules, with_checks


@dataclass(frozen=True)
class HeldUnit:
    """One unit (e.g. ticker and release) whose rows are held back, and the rules its rows break."""

    unit: dict[str, object]
    rows: int
    reasons: tuple[str, ...]  # each rule broken, with its count and sample bad values

    def describe(self) -> str:
        where = ", ".join(f"{k}={v}" for k, v in self.unit.items())
        return f"{where}: {self.rows} rows held ({'; '.join(self.reasons)})"


@dataclass(frozen=True)
class BlameSplit:
    clean: pl.DataFrame
    held: pl.DataFrame
    units: tuple[HeldUnit, ...]


def split_blamed(contract: DatasetContract, frame: pl.DataFrame) -> BlameSplit:
    """Rows of the units none of whose rows breaks an ``error`` rule, and the rows of the units that do.

    ``frame`` has the contract's columns and types (rows unchecked)."""
    if frame.is_empty():
        return BlameSplit(frame, frame.clear(), ())
    data = with_checks(contract, frame)
    errors = [r for r in all_rules(contract) if r.severity == "error" and f"check:{r.name}" in data.columns]
    if not errors:
        return BlameSplit(frame, frame.clear(), ())
    broken_any = pl.any_horizontal([pl.col(f"check:{r.name}") == False for r in errors])  # noqa: E712
    data = data.with_columns(broken_any.fill_null(False).alias("_broken"))
    units = list(contract.blame_units)
    bad = data.filter(pl.col("_broken"))
    if bad.is_empty():
        return BlameSplit(frame, frame.clear(), ())
    held_units: list[HeldUnit] = []
    for key, group in bad.group_by(units, maintain_order=True):
        reasons = []
        for rule in errors:
            count = int(group.select((pl.col(f"check:{rule.name}") == False).sum()).item() or 0)  # noqa: E712
            if count:
                samples = group.filter(pl.col(f"check:{rule.name}") == False)  # noqa: E712
                shown = list(dict.fromkeys([*contract.primary_key, rule.column]))
                sample = samples.head(2).select([c for c in shown if c in samples.columns]).to_dicts()
                reasons.append(f"check:{rule.name} ({rule.why}): {count} rows; sample bad rows {sample!r}")
        unit = dict(zip(units, key, strict=True))
        size = frame.join(pl.DataFrame([unit], schema={u: frame.schema[u] for u in units}), on=units,
                          how="semi", nulls_equal=True).height
        held_units.append(HeldUnit(unit, size, tuple(reasons)))
    blamed = bad.select(units).unique()
    clean = frame.join(blamed, on=units, how="anti", nulls_equal=True)
    held = frame.join(blamed, on=units, how="semi", nulls_equal=True)
    return BlameSplit(clean, held, tuple(held_units))
