"""XBRL facts → ``financials_quarterly`` rows: a concept crosswalk per metric, quarters per tasks.quarters.

For each metric the concepts are tried in order, per fiscal quarter: the first concept that gives the quarter
wins (so a company that changed its tag keeps a continuous series), and one quarter never mixes concepts.
"""

from __future__ import annotations

from typing import Any

import polars as pl

from schemas.financials import FINANCIALS_QUARTERLY
from tasks.fiscal import FiscalPeriod
from tasks.quarters import Derived, derive_periods, facts_of, periodic_facts

METRIC_CONCEPTS: dict[str, tuple[str, ...]] = {
    "revenue": ("Revenues", "RevenueFromContractWithCustomerExcludingAssessedTax", "SalesRevenueNet",
                "RevenueFromContractWithCustomerIncludingAssessedTax", "SalesRevenueGoodsNet"),
    "cost_of_revenue": ("CostOfRevenue", "CostOfGoodsAndServicesSold", "CostOfGoodsSold"),
    "gross_profit": ("GrossProfit",),
    "operating_income": ("OperatingIncomeLoss",),
    "net_income": ("NetIncomeLoss",),
    "research_and_development": ("ResearchAndDevelopmentExpense",
                                 "ResearchAndDevelopmentExpenseExcludingAcquiredInProcessCost"),
    "capex": ("PaymentsToAcquireProductiveAssets", "PaymentsToAcquirePropertyPlantAndEquipment"),
    "finance_lease_principal": ("FinanceLeasePrincipalPayments",),
    "depreciation": ("DepreciationDepletionAndAmortization", "DepreciationAmortizationAndAccretionNet",
                     "DepreciationAndAmortization", "Depreciation"),
}
ALL_CONCEPTS = frozenset(c for concepts in METRIC_CONCEPTS.values() for c in concepts)
UNIT = "USD"


def fiscal_year_end_of(facts: pl.DataFrame) -> str | None:
    """MMDD of the latest fiscal-year fact's end (for filers whose submissions JSON is not at hand)."""
    years = periodic_facts(facts).filter(((pl.col("end") - pl.col("start")).dt.total_days()).is_between(357, 372))
    if years.is_empty():
        return None
    end = years["end"].max()
    return f"{end.month:02d}{end.day:02d}"  # type: ignore[union-attr]


def metric_periods(
    facts: pl.DataFrame, concepts: tuple[str, ...], fiscal_year_end: str, *, years: bool = False,
    dimensioned: bool = False,
) -> dict[str, tuple[str, Derived]]:
    """Fiscal period label → (concept, derived value) for one metric in USD: facts without dimensions, or
    with ``dimensioned`` all the given facts (the caller has selected one segment)."""
    usable = periodic_facts(facts).filter((pl.col("unit") == UNIT) & pl.col("concept").is_in(list(concepts)))
    if not dimensioned:
        usable = usable.filter(pl.col("axis").is_null())
    by_concept = {name: frame for (name,), frame in usable.partition_by("concept", as_dict=True).items()}
    chosen: dict[str, tuple[str, Derived]] = {}
    for concept in concepts:
        if concept not in by_concept:
            continue
        for derived in derive_periods(facts_of(by_concept[concept]), years=years):
            label = period_label(derived, fiscal_year_end)
            chosen.setdefault(label, (concept, derived))
    return chosen


def period_label(derived: Derived, fiscal_year_end: str) -> str:
    if derived.derivation == "reported_fy":
        return FiscalPeriod.year_containing(derived.end, fiscal_year_end).label
    return FiscalPeriod.quarter_ending(derived.end, fiscal_year_end).label


def period_row(ticker: str, cik: str, label: str, derived: Derived) -> dict[str, Any]:
    period = FiscalPeriod.parse(label)
    return {"ticker": ticker, "cik": cik, "fiscal_year": period.fiscal_year, "fiscal_period": label,
            "calendar_period": period.calendar_label(derived.end), "period_start": derived.start,
            "period_end": derived.end}


def financials_quarterly(facts: pl.DataFrame, *, ticker: str, cik: str, fiscal_year_end: str) -> pl.DataFrame:
    """One row per metric × fiscal quarter that the facts support; nothing is guessed."""
    rows = []
    for metric, concepts in METRIC_CONCEPTS.items():
        for label, (concept, derived) in metric_periods(facts, concepts, fiscal_year_end).items():
            rows.append({**period_row(ticker, cik, label, derived), "metric": metric, "concept": concept,
                         "value": derived.value, "unit": UNIT, "derivation": derived.derivation,
                         "accessions": list(derived.accessions), "source": derived.note})
    if not rows:
        return FINANCIALS_QUARTERLY.empty()
    return pl.DataFrame(rows, schema=FINANCIALS_QUARTERLY.schema).sort("ticker", "metric", "period_end")
