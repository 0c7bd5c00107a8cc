"""Actuals against the company's own XBRL (tasks.earnings.xbrl_check), on frames written for these tests (a made-up
company, Larkspur Freight, whose 10-Q XBRL runs through its third quarter of 2026)."""

from __future__ import annotations

from datetime import date
from typing import Any

import polars as pl

from schemas.financials import FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS
from tasks.earnings.xbrl_check import check_against_xbrl, disagreements


def frame(contract: Any, rows: list[dict[str, Any]]) -> pl.DataFrame:
    return pl.DataFrame([{c: r.get(c) for c in contract.columns} for r in rows], schema=contract.schema)


def actual(period: str, end: date, metric: str, value: float, *, segment: str | None = None,
           detail: str | None = None, unit: str = "USD") -> dict[str, Any]:
    return {"ticker": "LARK", "cik": "0000000001", "release_id": f"0000000001-26-{period}",
            "accession": f"0000000001-26-{period}", "source_url": f"https://x/{period}.htm", "fiscal_year": end.year,
            "fiscal_period": period, "period_end": end, "metric": metric, "metric_detail": detail,
            "segment": segment, "value": value, "unit": unit, "source": "EX-99.1 table 1 (…)", "preferred": True}


def fact(period: str, end: date, metric: str, value: float) -> dict[str, Any]:
    return {"ticker": "LARK", "cik": "0000000001", "fiscal_year": end.year, "fiscal_period": period,
            "period_end": end, "metric": metric, "concept": f"us-gaap:{metric}", "value": value, "unit": "USD",
            "derivation": "reported_3m", "accessions": ["0000000001-26-000010"]}


def member(period: str, end: date, label: str, value: float) -> dict[str, Any]:
    return {"ticker": "LARK", "fiscal_year": end.year, "fiscal_period": period, "period_end": end,
            "axis": "us-gaap:StatementBusinessSegmentsAxis", "member": f"lark:{label.replace(' ', '')}Member",
            "label": label, "concept": "us-gaap:Revenues", "value": value, "unit": "USD",
            "derivation": "reported_3m", "accessions": ["0000000001-26-000010"]}


Q3, Q4 = date(2026, 9, 30), date(2026, 12, 31)
FINANCIALS = frame(FINANCIALS_QUARTERLY, [fact("FY2026Q3", Q3, "revenue", 1_204_000_000),
                                          fact("FY2026Q3", Q3, "gross_profit", 481_600_000),
                                          fact("FY2026Q3", Q3, "capex", 77_000_000)])
SEGMENTS = frame(SEGMENT_REVENUE, [member("FY2026Q3", Q3, "Lanes & Docks", 704_000_000)])


def test_each_row_is_checked_against_the_fact_xbrl_files_for_it() -> None:
    rows = frame(ACTUALS, [
        actual("FY2026Q3", Q3, "revenue", 1_204_000_000),  # as filed
        actual("FY2026Q3", Q3, "capex", 78_000_000),  # one million off: rounding of a three-month column
        actual("FY2026Q3", Q3, "revenue", 704_000_000, segment="Lanes and Docks"),
        actual("FY2026Q3", Q3, "revenue", 510_000_000, segment="Pallets"),  # no member of that name
        actual("FY2026Q3", Q3, "gross_margin", 40.0, detail="gaap", unit="percent"),
        actual("FY2026Q3", Q3, "eps", 1.12, detail="gaap", unit="USD/share"),
        actual("FY2026Q4", Q4, "revenue", 1_300_000_000)])  # its 10-Q is not filed yet
    checked = check_against_xbrl(rows, FINANCIALS, SEGMENTS)
    assert checked.columns == list(ACTUALS.columns)
    assert checked["xbrl_check"].to_list() == ["agrees", "agrees", "agrees", "none", "agrees", "none", "pending"]
    assert checked["xbrl_value"].to_list()[:3] == [1_204_000_000, 77_000_000, 704_000_000]
    assert checked["xbrl_fact"][0] == "us-gaap:revenue (reported_3m; 0000000001-26-000010)"
    assert checked.filter(pl.col("xbrl_check") == "pending")["xbrl_value"].to_list() == [None]


def test_a_value_xbrl_contradicts_keeps_the_release_value_and_says_both() -> None:
    shifted = frame(ACTUALS, [actual("FY2026Q3", Q3, "revenue", 1_180_000_000)])  # last year's column, say
    checked = check_against_xbrl(shifted, FINANCIALS, SEGMENTS)
    assert (checked["xbrl_check"][0], checked["value"][0], checked["xbrl_value"][0]) == (
        "disagrees", 1_180_000_000, 1_204_000_000)
    [issue] = disagreements(checked)
    assert issue["url"] == "https://x/FY2026Q3.htm" and issue["locator"] == "xbrl_check revenue FY2026Q3"
    assert "1,180,000,000 USD but XBRL files 1,204,000,000 USD (us-gaap:revenue" in issue["reason"]


def test_pending_rows_settle_when_the_quarter_is_filed() -> None:
    later = pl.concat([FINANCIALS, frame(FINANCIALS_QUARTERLY, [fact("FY2026Q4", Q4, "revenue", 1_300_000_000)])])
    rows = frame(ACTUALS, [actual("FY2026Q4", Q4, "revenue", 1_300_000_000)])
    assert check_against_xbrl(rows, FINANCIALS, SEGMENTS)["xbrl_check"].to_list() == ["pending"]
    assert check_against_xbrl(rows, later, SEGMENTS)["xbrl_check"].to_list() == ["agrees"]
    empty = check_against_xbrl(rows, FINANCIALS_QUARTERLY.empty(), SEGMENT_REVENUE.empty())
    assert empty["xbrl_check"].to_list() == ["none"]  # a company with no XBRL in the lake
