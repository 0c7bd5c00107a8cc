"""Quarter derivation from hand-made XBRL facts: restatements, 53-week years, gaps, amendments, bad forms."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl
import pytest

from schemas.releases import GUIDANCE
from tasks.errors import ParseError
from tasks.quarters import span_kind
from tasks.xbrl.capex import capex_frame
from tasks.xbrl.financials import financials_quarterly, fiscal_year_end_of
from tasks.xbrl.xbrl_facts import FACT_SCHEMA, parse_companyfacts

D = date.fromisoformat


def fact(concept: str, start: str, end: str, value: float, accn: str, filed: str, form: str = "10-Q",
         **extra: Any) -> dict[str, Any]:
    return {"taxonomy": "us-gaap", "concept": concept, "unit": "USD", "start": D(start), "end": D(end),
            "value": value, "accn": accn, "fy": None, "fp": None, "form": form, "filed": D(filed), "frame": None,
            "axis": None, "member": None, **extra}


def frame(*facts: dict[str, Any]) -> pl.DataFrame:
    return pl.DataFrame(list(facts), schema=FACT_SCHEMA)


def quarters(facts: pl.DataFrame, metric: str = "revenue", fye: str = "1231") -> dict[str, tuple[Any, ...]]:
    out = financials_quarterly(facts, ticker="ACME", cik="0001234567", fiscal_year_end=fye)
    return {r["fiscal_period"]: (r["value"], r["derivation"], r["accessions"], r["period_start"], r["period_end"])
            for r in out.filter(pl.col("metric") == metric).iter_rows(named=True)}


CALENDAR_2024 = [
    fact("Revenues", "2024-01-01", "2024-03-31", 100, "q1", "2024-05-01"),
    fact("Revenues", "2024-04-01", "2024-06-30", 110, "q2", "2024-08-01"),
    fact("Revenues", "2024-01-01", "2024-06-30", 210, "q2", "2024-08-01"),
    fact("Revenues", "2024-07-01", "2024-09-30", 120, "q3", "2024-11-01"),
    fact("Revenues", "2024-01-01", "2024-09-30", 330, "q3", "2024-11-01"),
    fact("Revenues", "2024-01-01", "2024-12-31", 460, "k", "2025-02-01", form="10-K"),
]


def test_three_month_facts_and_q4_from_the_year() -> None:
    got = quarters(frame(*CALENDAR_2024))
    assert got["FY2024Q1"] == (100, "reported_3m", ["q1"], D("2024-01-01"), D("2024-03-31"))
    assert got["FY2024Q3"][:3] == (120, "reported_3m", ["q3"])
    assert got["FY2024Q4"] == (130, "fy_minus_9m", ["k", "q3"], D("2024-10-01"), D("2024-12-31"))


def test_restated_value_from_the_latest_periodic_filing_wins() -> None:
    restated = fact("Revenues", "2024-01-01", "2024-03-31", 95, "q1-2025", "2025-05-01")
    got = quarters(frame(*CALENDAR_2024, restated))
    assert got["FY2024Q1"][:3] == (95, "reported_3m", ["q1-2025"])


def test_an_amended_10k_wins_and_a_proxy_statement_never_counts() -> None:
    amended = fact("Revenues", "2024-01-01", "2024-12-31", 470, "k-a", "2025-03-01", form="10-K/A")
    proxy = fact("Revenues", "2024-01-01", "2024-12-31", 460_000, "def14a", "2025-04-01", form="DEF 14A")
    got = quarters(frame(*CALENDAR_2024, amended, proxy))
    assert got["FY2024Q4"][:3] == (140, "fy_minus_9m", ["k-a", "q3"])


def test_ytd_only_cash_flow_concept_gives_differences() -> None:
    facts = frame(
        fact("PaymentsToAcquirePropertyPlantAndEquipment", "2024-01-01", "2024-03-31", 10, "q1", "2024-05-01"),
        fact("PaymentsToAcquirePropertyPlantAndEquipment", "2024-01-01", "2024-06-30", 25, "q2", "2024-08-01"),
        fact("PaymentsToAcquirePropertyPlantAndEquipment", "2024-01-01", "2024-09-30", 45, "q3", "2024-11-01"),
        fact("PaymentsToAcquirePropertyPlantAndEquipment", "2024-01-01", "2024-12-31", 70, "k", "2025-02-01",
             form="10-K"),
    )
    got = quarters(facts, "capex")
    assert {k: v[:3] for k, v in got.items()} == {
        "FY2024Q1": (10, "reported_3m", ["q1"]), "FY2024Q2": (15, "ytd_difference", ["q2", "q1"]),
        "FY2024Q3": (20, "ytd_difference", ["q3", "q2"]), "FY2024Q4": (25, "fy_minus_9m", ["k", "q3"])}


def test_missing_q2_stays_absent_and_is_not_guessed() -> None:
    facts = frame(*(f for f in CALENDAR_2024 if f["accn"] != "q2"))
    got = quarters(facts)
    assert "FY2024Q2" not in got
    assert got["FY2024Q3"][1] == "reported_3m"  # a three-month fact needs no year-to-date
    assert got["FY2024Q4"][:2] == (130, "fy_minus_9m")


def test_53_week_year_with_a_14_week_fourth_quarter() -> None:
    # Fiscal 2023 of a last-Sunday-of-January filer: 2022-01-31 .. 2023-01-29 is 52 weeks; 2023-01-30 ..
    # 2024-02-04 is a 53-week year whose Q4 has 14 weeks (98 days).
    facts = frame(
        fact("Revenues", "2023-01-30", "2023-04-30", 7, "q1", "2023-05-30"),
        fact("Revenues", "2023-01-30", "2023-07-30", 15, "q2", "2023-08-30"),
        fact("Revenues", "2023-01-30", "2023-10-29", 24, "q3", "2023-11-30"),
        fact("Revenues", "2023-01-30", "2024-02-04", 36, "k", "2024-03-01", form="10-K"),
    )
    got = quarters(facts, fye="0131")
    assert got["FY2024Q4"] == (12, "fy_minus_9m", ["k", "q3"], D("2023-10-30"), D("2024-02-04"))
    assert got["FY2024Q2"][:2] == (8, "ytd_difference")
    assert span_kind(D("2023-10-30"), D("2024-02-04")) == 1


def test_concept_crosswalk_keeps_a_series_through_a_tag_change() -> None:
    facts = frame(
        fact("RevenueFromContractWithCustomerExcludingAssessedTax", "2023-01-01", "2023-03-31", 90, "a", "2023-05-01"),
        fact("Revenues", "2024-01-01", "2024-03-31", 100, "b", "2024-05-01"),
    )
    out = financials_quarterly(facts, ticker="ACME", cik="0001234567", fiscal_year_end="1231")
    assert out.select("fiscal_period", "concept").rows() == [
        ("FY2023Q1", "RevenueFromContractWithCustomerExcludingAssessedTax"), ("FY2024Q1", "Revenues")]
    assert fiscal_year_end_of(frame(*CALENDAR_2024)) == "1231"


def test_capex_with_finance_leases_ttm_yoy_and_guidance() -> None:
    rows = []
    for year, base in ((2023, 10), (2024, 20)):
        for q, (start, end) in enumerate((("01-01", "03-31"), ("04-01", "06-30"), ("07-01", "09-30"),
                                          ("10-01", "12-31")), 1):
            rows.append(fact("PaymentsToAcquirePropertyPlantAndEquipment", f"{year}-{start}", f"{year}-{end}",
                             base + q, f"p{year}{q}", f"{year + 1}-02-01"))
            rows.append(fact("FinanceLeasePrincipalPayments", f"{year}-{start}", f"{year}-{end}", 1,
                             f"p{year}{q}", f"{year + 1}-02-01"))
    guidance = pl.DataFrame([{"ticker": "ACME", "metric": "capex", "metric_detail": "incl_finance_lease_principal",
                              "fiscal_period": "FY2024", "fiscal_year": 2024, "low": 80.0, "high": 100.0,
                              "issued_date": D("2024-02-01"), "release_id": "g1", "sentence": "s"}],
                            schema_overrides={c: GUIDANCE.schema[c] for c in ("fiscal_year",)})
    out = capex_frame(frame(*rows), ticker="ACME", cik="0001234567", fiscal_year_end="1231", guidance=guidance)
    q4 = out.filter(pl.col("fiscal_period") == "FY2024Q4").row(0, named=True)
    assert (q4["capex"], q4["ttm"], q4["yoy_growth"], q4["guided_low"], q4["guided_high"]) == (
        25.0, 22 + 23 + 24 + 25, round((25 / 15 - 1) * 100, 4), 80.0, 100.0)
    assert [c["metric"] for c in q4["components"]] == ["purchases_of_property_and_equipment",
                                                       "finance_lease_principal"]
    without = capex_frame(frame(*rows), ticker="ACME", cik="0001234567", fiscal_year_end="1231",
                          guidance=GUIDANCE.empty())
    assert without.filter(pl.col("fiscal_period") == "FY2024Q4")["capex"].item() == 24.0


def test_malformed_companyfacts_name_the_document_and_fact() -> None:
    with pytest.raises(ParseError, match=r"CIK1\.json \[json\]: not valid JSON"):
        parse_companyfacts(b"{", "CIK1.json")
    bad = b'{"cik": 1, "facts": {"us-gaap": {"Revenues": {"units": {"USD": [{"end": "2024-13-01", "val": 1}]}}}}}'
    with pytest.raises(ParseError, match=r"facts\.us-gaap\.Revenues\.units\.USD\[0\]"):
        parse_companyfacts(bad, "CIK1.json")
