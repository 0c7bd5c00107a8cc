"""What a dataset contract is: columns and types, primary key, partitioning, lineage columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import polars as pl


@dataclass(frozen=True)
class DatasetContract:
    name: str
    version: int
    columns: Mapping[str, pl.DataType]
    primary_key: tuple[str, ...]
    partition_by: tuple[str, ...]
    lineage: tuple[str, ...]
    description: str
    not_null: tuple[str, ...] = field(default=())
    nullable_key: tuple[str, ...] = field(default=())  # key columns where null means "not applicable"
    # The unit a broken row is traced to (its release, its partition): that unit is held back, the rest publishes.
    blame_by: tuple[str, ...] = field(default=())
    # Rows of one source document are replaced together: a re-parse that yields fewer rows leaves no stale ones.
    replace_by: tuple[str, ...] = field(default=())
    # Columns derived across the rows of a partition (e.g. which of two sources is preferred), recomputed on merge.
    settle: Callable[[pl.DataFrame], pl.DataFrame] | None = field(default=None)

    def __post_init__(self) -> None:
        named = (*self.primary_key, *self.partition_by, *self.lineage, *self.blame_by, *self.replace_by)
        missing = [c for c in named if c not in self.columns]
        if missing:
            raise ValueError(f"contract {self.name}: unknown columns {missing}")

    @property
    def schema(self) -> pl.Schema:
        return pl.Schema(dict(self.columns))

    @property
    def required(self) -> tuple[str, ...]:
        """Columns that may never be null: keys, partitions and what the contract names."""
        ordered = dict.fromkeys((*self.primary_key, *self.partition_by, *self.not_null))
        return tuple(c for c in ordered if c not in self.nullable_key)

    @property
    def blame_units(self) -> tuple[str, ...]:
        """Columns naming the unit a failing row belongs to: ``blame_by``, else the partition."""
        return self.blame_by or self.partition_by

    def empty(self) -> pl.DataFrame:
        return pl.DataFrame(schema=self.schema)

    def column_docs(self) -> dict[str, dict[str, str]]:
        """Type, meaning and unit of every column (the data dictionary)."""
        from schemas.dictionary import column_doc

        out = {}
        for name, dtype in self.columns.items():
            doc = column_doc(self.name, name)
            out[name] = {"type": str(dtype), "meaning": doc.meaning if doc else "", "unit": doc.unit if doc else ""}
        return out

    def describe(self) -> dict[str, object]:
        return {
            "schema_version": self.version,
            "description": self.description,
            "columns": {name: str(dtype) for name, dtype in self.columns.items()},
            "dictionary": self.column_docs(),
            "primary_key": list(self.primary_key),
            "partition_by": list(self.partition_by),
            "lineage": list(self.lineage),
        }
