"""What ``earnings-lake datasets [DATASET]`` prints: the catalog, or one dataset's dictionary and coverage."""

from __future__ import annotations

from typing import Any

import polars as pl

from schemas.registry import contract_for
from tasks.storage.lake import Lake
from tasks.storage.object_store import open_store

NEWEST = ("fiscal_period", "filed_date", "published_at", "published_year")


def dataset_list(lake: str) -> dict[str, Any]:
    catalog = Lake(open_store(lake)).catalog()
    entries = catalog.get("datasets", {})
    lines = [f"no curated datasets in {lake}"] if not entries else []
    for name, entry in entries.items():
        lines.append(f"{name:<22} {entry['row_count']:>8} rows  v{entry['schema_version']}  "
                     f"key={','.join(entry['primary_key'])}  partitions={','.join(entry['partition_by'])}  "
                     f"updated {entry.get('last_update', '-')}")
    lines.append("`earnings-lake datasets NAME` shows a dataset's columns, meaning and unit.")
    return {"catalog": catalog, "text": "\n".join(lines)}


def dataset_detail(lake: str, name: str) -> dict[str, Any]:
    contract = contract_for(name)
    store = Lake(open_store(lake))
    entry = store.catalog().get("datasets", {}).get(name, {})
    frame = store.read_dataset(contract)
    newest_column = next((c for c in NEWEST if c in contract.columns), None)
    newest: dict[str, str] = {}
    if newest_column and "ticker" in frame.columns and frame.height:
        by_ticker = frame.filter(pl.col("ticker").is_not_null()).group_by("ticker").agg(
            pl.col(newest_column).max()).sort("ticker")
        newest = {t: str(v) for t, v in by_ticker.iter_rows()}
    docs = contract.column_docs()
    lines = [f"{name} (schema v{contract.version}): {contract.description}",
             f"key: {', '.join(contract.primary_key)}    partitions: {'/'.join(contract.partition_by)}    "
             f"rows: {frame.height}    updated: {entry.get('last_update', '-')}", ""]
    width = max(len(c) for c in docs)
    for column, doc in docs.items():
        lines.append(f"  {column:<{width}}  {doc['type']:<12.12}  {doc['unit']:<14.14}  {doc['meaning']}")
    if newest:
        lines += ["", f"newest {newest_column} per ticker: " + ", ".join(f"{t} {v}" for t, v in newest.items())]
    return {"dataset": name, "schema_version": contract.version, "description": contract.description,
            "primary_key": list(contract.primary_key), "partition_by": list(contract.partition_by),
            "row_count": frame.height, "last_update": entry.get("last_update"), "columns": docs,
            "newest": {"column": newest_column, "by_ticker": newest}, "text": "\n".join(lines)}
