from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from tasks.earnings.actuals import parse_actuals, parse_actuals_with_issues
from tasks.earnings.beats import guidance_vs_actual

STATEMENT = """<html><body><p>ACME CORP. Consolidated Statements of Operations (in millions)</p><table>
<tr><td></td><td>Three Months Ended December 31,</td><td>Twelve Months Ended December 31,</td></tr>
<tr><td></td><td>2024</td><td>2025</td><td>2024</td><td>2025</td></tr>
<tr><td>Total net sales<sup>(1)</sup></td><td>$</td><td>1,000</td><td>$</td><td>1,250</td><td>4,000</td><td>5,000</td></tr>
</table><p>Consolidated Statements of Cash Flows (in millions)</p><table>
<tr><td></td><td>Three Months Ended December 31,</td></tr><tr><td></td><td>2024</td><td>2025</td></tr>
<tr><td>Purchases of property and equipment</td><td>(300)</td><td>(450)</td></tr></table>
<p>Segment Information (in millions)</p><table><tr><td></td><td>Three Months Ended December 31,</td></tr>
<tr><td></td><td>2024</td><td>2025</td></tr><tr><td>Revenue:</td></tr>
<tr><td>Ads</td><td>700</td><td>900</td></tr><tr><td>Other revenue</td><td>100</td><td>150</td></tr>
<tr><td>Apps</td><td>800</td><td>1,050</td></tr><tr><td>Labs</td><td>200</td><td>200</td></tr>
<tr><td>Total revenue</td><td>1,000</td><td>1,250</td></tr><tr><td>Income from operations:</td></tr>
<tr><td>Apps</td><td>50</td><td>60</td></tr></table></body></html>"""


def test_current_quarter_column_scale_parentheses_and_segments() -> None:
    rows = parse_actuals(STATEMENT.encode(), doc="https://x/ex991.htm", exhibit="EX-99.1",
                         period_end=date(2025, 12, 31))
    got = {(r["metric"], r["segment"]): r["value"] for r in rows}
    assert got == {("revenue", None): 1250000000, ("capex", None): 450000000,
                   ("revenue", "Apps"): 1050000000, ("revenue", "Labs"): 200000000}
    assert all("current quarter column" in r["source"] for r in rows)


def test_a_table_naming_no_period_is_read_from_its_first_column_and_says_so() -> None:
    body = """<html><body><p>Widget Co. income statement, unaudited (in millions)</p><table>
<tr><td>Total revenues</td><td>612</td><td>598</td></tr></table></body></html>"""
    rows = parse_actuals(body.encode(), doc="https://x/ex991.htm", exhibit="EX-99.1", period_end=date(2025, 6, 30))
    assert [(r["metric"], r["value"]) for r in rows] == [("revenue", 612000000)]
    assert rows[0]["source"] == ("EX-99.1 table 0 (Widget Co. income statement, unaudited (in millions)), 'Total "
                                 "revenues', first column, taken as the quarter (the table's header names no period "
                                 "or year) (612)")


def test_a_table_without_scale_is_one_issue_and_the_other_tables_still_read() -> None:
    body = STATEMENT.replace("Consolidated Statements of Operations (in millions)",
                             "Consolidated Statements of Operations").encode()
    rows, issues = parse_actuals_with_issues(body, doc="https://x/ex991.htm", exhibit="EX-99.1",
                                             period_end=date(2025, 12, 31))
    assert [(i.doc, i.locator, i.reason) for i in issues] == [
        ("https://x/ex991.htm", "table 0 row 'Total net sales'", "the table's scale cannot be determined")]
    assert {(r["metric"], r["segment"]) for r in rows} == {("capex", None)}  # segments need the total to add up


def test_beat_position_and_streak() -> None:
    guidance = pl.DataFrame({
        "ticker": ["ACME"] * 3, "fiscal_period": ["FY2025Q1", "FY2025Q2", "FY2025Q3"], "metric": ["revenue"] * 3,
        "metric_detail": [None] * 3, "basis": [None] * 3, "unit": ["USD"] * 3, "fiscal_year": [2025] * 3,
        "low": [98.0, 196.0, 294.0], "high": [102.0, 204.0, 306.0], "point": [100.0, 200.0, 300.0],
        "issued_date": [date(2024, 5, 1), date(2024, 8, 1), date(2024, 11, 1)], "accession": ["a1", "a2", "a3"],
        "release_id": ["a1", "a2", "a3"], "sentence": ["s1", "s2", "s3"]}, schema_overrides={"metric_detail": pl.String, "basis": pl.String})
    actuals = pl.DataFrame({
        "ticker": ["ACME"] * 3, "fiscal_period": ["FY2025Q1", "FY2025Q2", "FY2025Q3"], "metric": ["revenue"] * 3,
        "metric_detail": [None] * 3, "segment": [None] * 3, "value": [110.0, 201.0, 290.0],
        "accession": ["b1", "b2", "b3"], "release_id": ["b1", "b2", "b3"], "source": ["t"] * 3},
        schema_overrides={"metric_detail": pl.String, "segment": pl.String})
    out = guidance_vs_actual(guidance, actuals).sort("fiscal_period")
    assert out["beat"].to_list() == [10.0, 1.0, -10.0]
    assert out["position"].to_list() == ["above", "inside", "below"]
    assert out["beat_streak"].to_list() == [1, 2, 0]
    assert out["beat_pct"].to_list() == [10.0, 0.5, pytest.approx(-3.3333, abs=1e-4)]


def test_an_8k_wins_over_a_newsroom_page_for_the_same_quarter() -> None:
    page = "https://news.example.com/acme-q1"
    guidance = pl.DataFrame({
        "ticker": ["ACME"] * 2, "fiscal_period": ["FY2025Q1"] * 2, "metric": ["revenue"] * 2,
        "metric_detail": [None] * 2, "basis": [None] * 2, "unit": ["USD"] * 2, "fiscal_year": [2025] * 2,
        "low": [98.0, 97.0], "high": [102.0, 103.0], "point": [100.0, 100.0],
        "issued_date": [date(2024, 5, 1)] * 2, "accession": ["a1", None], "release_id": ["a1", page],
        "sentence": ["filing", "page"]}, schema_overrides={"metric_detail": pl.String, "basis": pl.String})
    actuals = pl.DataFrame({
        "ticker": ["ACME"] * 2, "fiscal_period": ["FY2025Q1"] * 2, "metric": ["revenue"] * 2,
        "metric_detail": [None] * 2, "segment": [None] * 2, "value": [111.0, 110.0],
        "accession": [None, "b1"], "release_id": [page, "b1"], "source": ["page", "filing"]},
        schema_overrides={"metric_detail": pl.String, "segment": pl.String, "accession": pl.String})
    for order in (guidance, guidance.reverse()):
        row = guidance_vs_actual(order, actuals).row(0, named=True)
        assert (row["guidance_release"], row["guidance_sentence"], row["guided_low"]) == ("a1", "filing", 98.0)
        assert (row["actual_release"], row["actual"], row["beat"]) == ("b1", 110.0, 10.0)
