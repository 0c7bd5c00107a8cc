"""The single publish step: contract check, validation suites, upsert, catalog."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence

import polars as pl

from schemas.contract import DatasetContract
from tasks.storage.contract_check import conform
from tasks.storage.lake import Lake, UpsertInterrupted, UpsertResult

Validator = Callable[[DatasetContract, pl.DataFrame], None]


def publish(
    lake: Lake,
    contract: DatasetContract,
    frame: pl.DataFrame,
    *,
    validators: Sequence[Validator] = (),
    record_catalog: bool = True,
) -> UpsertResult:
    """Conform, validate (a validator raises ValidationFailed to hold the batch back), then upsert."""
    conformed = conform(frame, contract)
    for validate in validators:
        validate(contract, conformed)
    try:
        result = lake.upsert(contract, conformed)
    except UpsertInterrupted as exc:
        if record_catalog:  # the catalog lists what landed before the store failed (best effort: it may be down)
            with contextlib.suppress(Exception):
                lake.record_in_catalog(contract, exc.partial)
        raise
    if record_catalog:  # bulk loads record many upserts in the catalog once, at the end
        lake.record_in_catalog(contract, result)
    return result
