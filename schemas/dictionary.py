"""The data dictionary (schemas/dictionary.yaml): meaning and unit of every column of every curated dataset.

It is written into each Parquet file's field metadata, ``_catalog.json``, ``earnings-lake datasets DATASET`` and
docs/datasets.md (``python -m schemas.dictionary`` prints it; a test keeps the file current).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

_FILE = "dictionary.yaml"


@dataclass(frozen=True)
class ColumnDoc:
    meaning: str
    unit: str


@cache
def _raw() -> dict[str, Any]:
    data = yaml.safe_load(resources.files("schemas").joinpath(_FILE).read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def column_doc(dataset: str, column: str) -> ColumnDoc | None:
    raw = _raw()
    entry = (raw.get("datasets", {}).get(dataset) or {}).get(column) or raw.get("common", {}).get(column)
    if not entry:
        return None
    meaning, _, unit = str(entry).rpartition(" | ")
    return ColumnDoc(meaning.strip(), unit.strip()) if meaning else ColumnDoc(unit.strip(), "")


def undocumented(dataset: str, columns: list[str]) -> list[str]:
    return [c for c in columns if column_doc(dataset, c) is None]


def markdown() -> str:
    """docs/datasets.md: every dataset, its key, partitions and columns with type, meaning and unit."""
    from schemas.registry import CONTRACTS  # the registry imports the contracts, which import this module

    lines = ["# Datasets", "", "Generated from `schemas/` by `uv run python -m schemas.dictionary > docs/datasets.md`;",
             "a test fails when this file is not current. Values are in base units: USD in dollars, percentages as",
             "73.0 (not 0.73), EPS in USD per share.", ""]
    for name, contract in CONTRACTS.items():
        lines += [f"## `{name}`", "", contract.description, "",
                  f"- key: {', '.join(f'`{c}`' for c in contract.primary_key)}",
                  f"- partitions: {'/'.join(f'{c}=…' for c in contract.partition_by)}",
                  f"- lineage: {', '.join(f'`{c}`' for c in contract.lineage)}", "",
                  "| column | type | unit | meaning |", "|---|---|---|---|"]
        for column, dtype in contract.columns.items():
            doc = column_doc(name, column) or ColumnDoc("", "")
            lines.append(f"| `{column}` | {dtype} | {doc.unit} | {doc.meaning} |")
        lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(markdown())
