"""Every dataset contract by name."""

from __future__ import annotations

from schemas.contract import DatasetContract
from schemas.filings import FILINGS, PARSE_ISSUES
from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.news import NEWS_ARTICLES, NEWS_FIGURES
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL

CONTRACTS: dict[str, DatasetContract] = {
    c.name: c for c in (FILINGS, PARSE_ISSUES, GUIDANCE, ACTUALS, GUIDANCE_VS_ACTUAL, FINANCIALS_QUARTERLY,
                        SEGMENT_REVENUE, CAPEX, NEWS_ARTICLES, NEWS_FIGURES)
}


def contract_for(name: str) -> DatasetContract:
    try:
        return CONTRACTS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {', '.join(sorted(CONTRACTS))}") from None
