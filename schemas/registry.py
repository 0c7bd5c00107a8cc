"""Every dataset contract by name."""

from __future__ import annotations

from schemas.contract import DatasetContract
from schemas.filings import FILINGS, PARSE_ISSUES

CONTRACTS: dict[str, DatasetContract] = {c.name: c for c in (FILINGS, PARSE_ISSUES)}


def contract_for(name: str) -> DatasetContract:
    try:
        return CONTRACTS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(CONTRACTS))}") from None
