"""What a dataset contract is: columns and types, primary key, partitioning, lineage columns."""

from __future__ import annotations

from collections.abc import Mapping
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

    def describe(self) -> dict[str, object]:
        return {
            "schema_version": self.version,
            "description": self.description,
            "columns": {name: str(dtype) for name, dtype in self.columns.items()},
            "primary_key": list(self.primary_key),
            "partition_by": list(self.partition_by),
            "lineage": list(self.lineage),
        }
