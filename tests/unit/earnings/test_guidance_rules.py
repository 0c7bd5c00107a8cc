"""General outlook rules on releases written for these tests (a made-up company, Northwind Tools)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tasks.earnings.guidance import parse_guidance, parse_guidance_with_issues


def guide(html: str, issued: date = date(2026, 10, 28), fye: str = "1231") -> list[dict[str, Any]]:
    return parse_guidance(f"<html><body>{html}</body></html>".encode(), doc="https://x/nw.htm", issued=issued,
                          fiscal_year_end=fye)


def pick(rows: list[dict[str, Any]], *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(float(r[f]) if f in ("low", "high", "point") and r[f] is not None else r[f] for f in fields)
            for r in rows]


def test_an_outlook_table_gives_one_row_per_line_and_ignores_the_previous_figures() -> None:
    rows = guide("<p>2027 FINANCIAL TARGETS(2)</p><table>"
                 "<tr><td>Net sales</td><td>$12.0 to $12.5 billion</td></tr>"
                 "<tr><td>(previously $11.8 to $12.4 billion)</td></tr>"
                 "<tr><td>Adjusted(1) EPS</td><td>$4.10 - $4.30</td></tr>"
                 "<tr><td>Effective tax rate on adjusted income</td><td>Approximately 21%</td></tr></table>"
                 "<p>LIQUIDITY</p><p>We repaid $1 billion of notes.</p>", issued=date(2027, 2, 9))
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "low", "high", "qualifier") == [
        ("FY2027", "revenue", None, None, 12.0e9, 12.5e9, "range"),
        ("FY2027", "other", "eps_diluted", "non_gaap", 4.10, 4.30, "range"),
        ("FY2027", "tax_rate", None, "non_gaap", 21.0, 21.0, "approximately")]
    assert rows[0]["sentence"] == "Net sales | $12.0 to $12.5 billion"


def test_bullets_inherit_the_period_of_their_lead_in_and_name_their_segment() -> None:
    rows = guide("<p>Business Outlook</p><ul><li>•Full Year 2027:</li><li>◦Capital spending of about $2.2 billion</li>"
                 "<li>◦Low-single digit growth in adjusted EPS</li><li>•Q2 2027:</li><li>◦Tools:</li>"
                 "<li>▪Cloud revenue of $900 million</li></ul><p>Conference Call</p>", issued=date(2027, 2, 9))
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "point", "qualifier") == [
        ("FY2027", "capex", None, None, 2.2e9, "approximately"),
        ("FY2027", "other", "eps_growth_yoy", "non_gaap", None, "verbal_low_single_digit"),
        ("FY2027Q2", "other", "tools_cloud_revenue", None, 900e6, "point")]  # a product's revenue is not revenue


def test_dividends_buybacks_share_counts_and_past_figures_are_not_outlook() -> None:
    rows = guide("<p>Outlook</p><p>For 2027, Northwind expects:</p><ul>"
                 "<li>•Dividends of approximately $1.2 billion and share repurchases of $2 billion;</li>"
                 "<li>•Diluted weighted-average shares outstanding of about 310 million;</li>"
                 "<li>•Revenue growth of 4% to 6%.</li></ul>"
                 "<p>Revenue was $5.0 billion in the third quarter, and we delivered $0.9 billion of savings.</p>",
                 issued=date(2027, 2, 9))
    assert pick(rows, "fiscal_period", "metric_detail", "low", "high") == [("FY2027", "revenue_growth_yoy", 4.0, 6.0)]


def test_a_raised_outlook_keeps_the_new_range_only() -> None:
    rows = guide("<p>We now expect full-year 2026 capital expenditures of $3.1 billion to $3.3 billion, up from "
                 "our prior outlook of $2.9 billion to $3.1 billion.</p>")
    assert pick(rows, "fiscal_period", "metric", "low", "high") == [("FY2026", "capex", 3.1e9, 3.3e9)]


def test_a_currency_headwind_on_two_measures_is_one_negative_row_each() -> None:
    rows = guide("<p>Guidance</p><p>We expect currency to be a headwind of about 2 percentage points to reported "
                 "revenue and adjusted EPS growth in fiscal 2027.</p>", issued=date(2027, 2, 9))
    assert pick(rows, "fiscal_period", "metric_detail", "basis", "point") == [
        ("FY2027", "fx_impact_on_revenue_growth_yoy_pp", "gaap", -2.0),
        ("FY2027", "fx_impact_on_eps_growth_yoy_pp", "non_gaap", -2.0)]


def test_floors_relative_years_and_multi_year_targets() -> None:
    rows = guide("<p>Northwind remains on track to deliver more than $1 billion of cost savings by the end of 2029. "
                 "We expect sales growth in the mid-single digits next year.</p>")
    assert pick(rows, "fiscal_period", "low", "high", "qualifier") == [
        ("FY2029", 1e9, None, "more_than"), ("FY2027", None, None, "verbal_mid_single_digit")]


def test_a_footnote_counts_only_when_the_outlook_refers_to_it_and_can_make_a_measure_non_gaap() -> None:
    rows = guide("<p>Outlook</p><ul><li>•Fiscal 2027:</li><li>◦Free cash flow of $1.4 billion(3)</li></ul>"
                 "<p>(3) Free cash flow is a non-GAAP financial measure.</p>"
                 "<p>(4) We expect $9 billion of synergies by 2030.</p>", issued=date(2026, 11, 3), fye="0930")
    assert pick(rows, "fiscal_period", "metric_detail", "basis", "point") == [
        ("FY2027", "free_cash_flow", "non_gaap", 1.4e9)]


def test_a_headline_repeating_the_outlook_is_not_read_twice() -> None:
    rows = guide("<p>▪Raises Full-Year 2026 Revenue Guidance To A Range Of $8.1 To $8.3 Billion</p>"
                 "<p>Outlook</p><p>Revenue for full-year 2026 is now expected to be $8.1 billion to $8.3 billion.</p>")
    assert pick(rows, "metric", "low", "high") == [("revenue", 8.1e9, 8.3e9)]
    assert rows[0]["sentence"].startswith("Revenue for full-year 2026")


def test_two_statements_with_one_key_keep_the_first_and_say_so() -> None:
    body = ("<html><body><p>Outlook</p><p>Revenue for the fourth quarter of 2026 is expected to be $2.0 billion.</p>"
            "<p>Revenue for the fourth quarter of 2026 is expected to be $2.4 billion.</p></body></html>")
    rows, issues = parse_guidance_with_issues(body.encode(), doc="https://x/nw.htm", issued=date(2026, 10, 28),
                                              fiscal_year_end="1231")
    assert pick(rows, "fiscal_period", "point") == [("FY2026Q4", 2.0e9)]
    assert len(issues) == 1 and "kept 'Revenue for the fourth quarter of 2026 is expected to be $2.0 billion.'" \
        in issues[0].reason and "$2.4 billion" in issues[0].reason


def test_a_release_of_early_january_resolves_its_periods() -> None:
    rows = guide("<p>Outlook</p><p>For the first quarter of 2027, we expect revenue of $1.9 billion to $2.0 billion."
                 "</p>", issued=date(2027, 1, 6))
    assert pick(rows, "fiscal_period", "calendar_period", "low") == [("FY2027Q1", "2027Q1", 1.9e9)]


def test_an_outlook_table_with_columns_of_bases_and_of_periods() -> None:
    rows = guide("<p>Fiscal 2027 Outlook</p><table><tr><td></td><td>GAAP</td><td>Non-GAAP</td></tr>"
                 "<tr><td>Operating margin</td><td>18% - 19%</td><td>21% - 22%</td></tr>"
                 "<tr><td>Diluted EPS</td><td>$3.10 - $3.25</td><td>$3.90 - $4.05</td></tr></table>"
                 "<p>Quarter and year</p><table><tr><td>($ in millions)</td><td>Q1 FY27</td><td>FY27</td></tr>"
                 "<tr><td>Revenue</td><td>$2,100</td><td>$9,000</td></tr></table>",
                 issued=date(2026, 11, 18), fye="0930")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "low", "high") == [
        ("FY2027", "other", "operating_margin", "gaap", 18.0, 19.0),
        ("FY2027", "other", "operating_margin", "non_gaap", 21.0, 22.0),
        ("FY2027", "other", "eps_diluted", "gaap", 3.10, 3.25),
        ("FY2027", "other", "eps_diluted", "non_gaap", 3.90, 4.05),
        ("FY2027Q1", "revenue", None, None, 2.1e9, 2.1e9),
        ("FY2027", "revenue", None, None, 9.0e9, 9.0e9)]
