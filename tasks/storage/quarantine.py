"""Batches held back by the validation gate: ``quarantine/DATASET/run=RUN_ID/`` in the lake.

Each holds the rows (``rows.parquet``, every contract column, partition columns included), the GX validation
result (``validation.json``) and why (``reason.json``). ``release`` publishes a reviewed batch without the gate
and marks it released; nothing under curated/ changes until then.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import polars as pl

from schemas.registry import contract_for
from tasks.errors import NothingHeld
from tasks.storage.lake import Lake, UpsertResult
from tasks.storage.publish import publish

ROOT = "quarantine/"


@dataclass(frozen=True)
class Held:
    dataset: str
    run_id: str
    rows: int
    reason: str
    held_at: str
    released_at: str | None


def _prefix(dataset: str, run_id: str) -> str:
    return f"{ROOT}{dataset}/run={run_id}/"


def hold(lake: Lake, dataset: str, run_id: str, frame: pl.DataFrame, reason: str,
         validation: dict[str, Any]) -> str:
    """Write the batch and its validation result; the reason file is written last (it marks completeness)."""
    prefix = _prefix(dataset, run_id)
    buffer = io.BytesIO()
    frame.write_parquet(buffer)
    lake.store.put(prefix + "rows.parquet", buffer.getvalue())
    lake.store.put(prefix + "validation.json", json.dumps(validation, indent=1, default=str).encode())
    info = {"dataset": dataset, "run_id": run_id, "rows": frame.height, "reason": reason,
            "held_at": datetime.now(UTC).isoformat(timespec="seconds"), "released_at": None}
    lake.store.put(prefix + "reason.json", json.dumps(info, indent=1).encode())
    return prefix


def held(lake: Lake, run_id: str | None = None) -> list[Held]:
    out = []
    for key in lake.store.list(ROOT):
        if not key.endswith("/reason.json") or (run_id and f"/run={run_id}/" not in key):
            continue
        blob = lake.store.read(key)
        if blob is None:
            continue
        info = json.loads(blob.data)
        out.append(Held(info["dataset"], info["run_id"], int(info["rows"]), info["reason"], info["held_at"],
                        info.get("released_at")))
    return sorted(out, key=lambda h: (h.held_at, h.dataset))


def rows_of(lake: Lake, dataset: str, run_id: str) -> pl.DataFrame:
    blob = lake.store.read(_prefix(dataset, run_id) + "rows.parquet")
    if blob is None:
        raise NothingHeld(f"no quarantined batch of {dataset} for run {run_id}")
    return pl.read_parquet(io.BytesIO(blob.data))


def release(lake: Lake, run_id: str) -> list[UpsertResult]:
    """Publish every batch the run held back (reviewed by a person: the gate is not applied again)."""
    batches = [h for h in held(lake, run_id) if h.released_at is None]
    if not batches:
        raise NothingHeld(f"nothing held back for run {run_id} (see `earnings-lake quarantine list`)")
    results = []
    for batch in batches:
        results.append(publish(lake, contract_for(batch.dataset), rows_of(lake, batch.dataset, run_id)))
        key = _prefix(batch.dataset, run_id) + "reason.json"
        blob = lake.store.read(key)
        info = json.loads(blob.data) if blob else {}
        info["released_at"] = datetime.now(UTC).isoformat(timespec="seconds")
        lake.store.put(key, json.dumps(info, indent=1).encode())
    return results
