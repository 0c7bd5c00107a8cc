"""Conform a frame to its dataset contract: exact columns, castable types, non-null keys, unique key."""

from __future__ import annotations

import polars as pl

from schemas.contract import DatasetContract
from tasks.errors import ContractError


def conform(frame: pl.DataFrame, contract: DatasetContract) -> pl.DataFrame:
    """The frame with the contract's columns, order and types, or a ContractError saying what is off."""
    conformed = cast_to_contract(frame, contract)
    nulls = {c: n for c in contract.required if (n := conformed[c].null_count())}
    if nulls:
        raise ContractError(contract.name, f"null values in required columns: {nulls}")
    if conformed.height:
        duplicated = conformed.filter(conformed.select(contract.primary_key).is_duplicated())
        if duplicated.height:
            sample = duplicated.select(contract.primary_key).head(3).to_dicts()
            raise ContractError(
                contract.name,
                f"{duplicated.height} rows share a primary key {list(contract.primary_key)}, e.g. {sample}",
            )
    return conformed


def cast_to_contract(frame: pl.DataFrame, contract: DatasetContract) -> pl.DataFrame:
    """The contract's columns in its order and types (a schema-level ContractError otherwise); rows unchecked."""
    expected = list(contract.columns)
    missing = [c for c in expected if c not in frame.columns]
    extra = [c for c in frame.columns if c not in contract.columns]
    if missing or extra:
        raise ContractError(contract.name, f"missing columns {missing}, unexpected columns {extra}")
    try:
        conformed = frame.select(
            [pl.col(name).cast(dtype, strict=True) for name, dtype in contract.columns.items()]
        )
    except (pl.exceptions.InvalidOperationError, pl.exceptions.ComputeError) as exc:
        raise ContractError(contract.name, f"a column does not have its contract type: {exc}") from None
    return conformed
