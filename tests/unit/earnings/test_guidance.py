"""Outlook phrasings written for these tests (and their nasty variants)."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.earnings.guidance import parse_guidance
from tasks.errors import ParseError


def guide(html: str, issued: date = date(2025, 2, 26), fye: str = "0131") -> list[dict[str, object]]:
    return parse_guidance(f"<html><body>{html}</body></html>".encode(), doc="https://x/pr.htm", issued=issued,
                          fiscal_year_end=fye)


def pick(rows: list[dict[str, object]], *fields: str) -> list[tuple[object, ...]]:
    return [tuple(r[f] for f in fields) for r in rows]


OUTLOOK = "<p>Business Outlook</p><p>For the first quarter of fiscal 2026, Acme projects:</p>"


def test_plus_minus_percent_of_revenue() -> None:
    rows = guide(OUTLOOK + "<ul><li>Revenue of $43.0\u00a0billion, plus or minus 2%.</li></ul>")
    assert pick(rows, "fiscal_period", "metric", "basis", "low", "high", "point", "tolerance", "qualifier") == [
        ("FY2026Q1", "revenue", None, 42140000000, 43860000000, 43000000000, "2%", "plus_minus")]
    assert rows[0]["sentence"] == "Revenue of $43.0 billion, plus or minus 2%."


def test_gaap_non_gaap_pair_with_basis_points() -> None:
    rows = guide(OUTLOOK + "<p>• Gross margins on a GAAP and non-GAAP basis of 70.6% and 71.0%, "
                           "respectively, each plus or minus 50 bps.</p>")
    assert [(b, float(lo), float(hi), float(p), t)  # type: ignore[arg-type]
            for b, lo, hi, p, t in pick(rows, "basis", "low", "high", "point", "tolerance")] == [
        ("gaap", 70.1, 71.1, 70.6, "50bp"), ("non_gaap", 70.5, 71.5, 71.0, "50bp")]


def test_tax_rate_tolerance_is_percentage_points() -> None:
    rows = guide(OUTLOOK + "<p>Both GAAP and non-GAAP tax rates near 17.0%, plus or minus 1%, before one-time "
                           "tax items.</p>")
    assert pick(rows, "basis", "low", "high") == [("gaap", 16, 18), ("non_gaap", 16, 18)]


def test_expense_of_is_negative_other_income() -> None:
    rows = guide(OUTLOOK + "<p>For GAAP and non-GAAP other income and expense, a net expense of about "
                           "$40 million.</p>")
    assert pick(rows, "metric", "point", "low", "qualifier") == [
        ("other_income_expense", -40000000, -40000000, "approximately")] * 2


def test_million_and_billion_spellings_agree() -> None:
    a = guide(OUTLOOK + "<p>GAAP operating expenses of roughly $1,000 million.</p>")
    b = guide(OUTLOOK + "<p>GAAP operating expenses of roughly $1.0 billion.</p>")
    assert pick(a, "point") == pick(b, "point") == [(1000000000,)]


def test_between_range_with_growth_and_historical_comparison() -> None:
    rows = guide("<p>Guidance for Q1 2026</p><p>•We see net sales between $151.0 billion and $155.5 billion, "
                 "which would be growth of between 5% and 9% against first quarter 2025.</p>"
                 "<p>•We see operating income between $14.0 billion and $18.0 billion, against $15.3 billion "
                 "in first quarter 2025.</p>", issued=date(2026, 2, 6), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "low", "high", "point", "qualifier") == [
        ("FY2026Q1", "revenue", None, 151000000000, 155500000000, None, "range"),
        ("FY2026Q1", "other", "net_sales_growth_yoy", 5, 9, None, "range"),
        ("FY2026Q1", "operating_income", None, 14000000000, 18000000000, None, "range")]


def test_en_dash_range_new_range_wins_over_prior_range() -> None:
    rows = guide("<p>We now project 2026 capital spending of $64–72 billion for the full year, up from the "
                 "$60-65 billion we guided before.</p>", issued=date(2026, 4, 30), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "low", "high") == [("FY2026", "capex", 64000000000, 72000000000)]


def test_value_before_metric_inside_a_quote() -> None:
    rows = guide("<p>“It was a good year for us. Looking ahead, we plan to put roughly $75 billion "
                 "into capital expenditures in 2026.”</p>", issued=date(2026, 2, 4), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "point", "qualifier") == [
        ("FY2026", "capex", 75000000000, "approximately")]
    assert not str(rows[0]["sentence"]).endswith("”")


def test_verbal_levels_and_headwinds() -> None:
    rows = guide("<p>For second quarter 2026 we project total revenue of $42.5-45.5 billion. "
                 "That projection assumes exchange rates are a 1% headwind to year-over-year total revenue growth. "
                 "Under current rules our full-year 2026 tax rate should be in the mid-teens.</p>",
                 issued=date(2026, 4, 30), fye="1231")
    assert pick(rows, "metric", "metric_detail", "point", "qualifier") == [
        ("revenue", None, None, "range"),
        ("other", "fx_impact_on_revenue_growth_yoy_pp", -1, "point"),
        ("tax_rate", None, None, "verbal_mid_teens")]


def test_no_outlook_gives_no_rows() -> None:
    assert guide("<p>Acme will discuss its outlook on the conference call this afternoon.</p>") == []
    assert guide("<p>Remarks here about margins holding in the mid-70% range are forward-looking statements; "
                 "actual results may differ.</p>") == []


def test_inconsistent_range_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"pr\.htm \[.*\]: range low 9000000000(\.0)? > high 8000000000"):
        guide(OUTLOOK + "<p>Revenue between $9.0 billion and $8.0 billion.</p>")


def test_empty_document_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="empty document"):
        parse_guidance(b"  ", doc="https://x/pr.htm", issued=date(2025, 1, 1), fiscal_year_end="1231")


@pytest.mark.parametrize(("html", "issued", "fye", "expected"), [
    ("<p>Adjusted EBITDA for 2026 is expected to be between $1.2 billion and $1.3 billion.</p>", date(2026, 2, 10),
     "1231", [("FY2026", "other", "adjusted_ebitda", 1.2e9, 1.3e9)]),
    ("<p>Business Outlook</p><p>Third quarter revenue is projected to be $2.45 billion ± 1%.</p>", date(2025, 7, 30),
     "1231", [("FY2025Q3", "revenue", None, 2.4255e9, 2.4745e9)]),
    ("<p>Q4 FY26 guidance</p><table><tr><td>Revenue</td><td>$1.80B–$1.85B</td></tr></table>", date(2025, 11, 20),
     "0131", [("FY2026Q4", "revenue", None, 1.80e9, 1.85e9)]),
    ("<p>Outlook</p><p>For the second quarter of fiscal 2026, we expect: total revenue between $850 million and "
     "$860 million; non-GAAP operating income between $95 million and $100 million.</p>", date(2025, 6, 3), "0131",
     [("FY2026Q2", "revenue", None, 8.5e8, 8.6e8), ("FY2026Q2", "operating_income", None, 9.5e7, 1e8)]),
    ("<p>We reaffirm our full-year view: net sales of $7.4 billion to $7.6 billion and adjusted operating margin of 14.0% "
     "to 14.5%.</p>", date(2025, 7, 24), "1231",
     [("FY2025", "revenue", None, 7.4e9, 7.6e9), ("FY2025", "other", "adjusted_operating_margin", 14.0, 14.5)]),
    ("<p>For Q2, we are guiding to revenue of $410M-$420M and non-GAAP EPS of $0.45-$0.47.</p>", date(2026, 5, 5),
     "1231", [("FY2026Q2", "revenue", None, 4.1e8, 4.2e8), ("FY2026Q2", "other", "eps_diluted", 0.45, 0.47)]),
    ("<p>The company expects third-quarter revenue of about $5.0 billion, a decrease of 4% from a year earlier.</p>",
     date(2025, 8, 5), "1231", [("FY2025Q3", "revenue", None, 5e9, 5e9),
                                ("FY2025Q3", "other", "revenue_growth_yoy", -4.0, -4.0)]),
    ("<p>Acme is providing the following guidance for its fiscal fourth quarter ending December 31, 2025:</p>"
     "<ul><li>Revenue of $610 million to $625 million</li><li>Non-GAAP diluted EPS of $0.80 to $0.84</li></ul>",
     date(2025, 10, 30), "1231", [("FY2025Q4", "revenue", None, 6.1e8, 6.25e8),
                                  ("FY2025Q4", "other", "eps_diluted", 0.80, 0.84)]),
    ("<p>Outlook</p><table><tr><td></td><td>Q3 FY2026</td><td>FY2026</td></tr><tr><td>Revenue</td>"
     "<td>$1.20B - $1.25B</td><td>$4.8B - $4.9B</td></tr></table>", date(2025, 8, 20), "0131",
     [("FY2026Q3", "revenue", None, 1.2e9, 1.25e9), ("FY2026", "revenue", None, 4.8e9, 4.9e9)]),
    ("<p>Capital expenditures should be approximately $12 billion in fiscal 2026, up from $10 billion in fiscal "
     "2025.</p>", date(2025, 9, 10), "1031", [("FY2026", "capex", None, 1.2e10, 1.2e10)]),
])
def test_outlooks_as_other_companies_write_them(html: str, issued: date, fye: str,
                                                expected: list[tuple[object, ...]]) -> None:
    rows = guide(html, issued=issued, fye=fye)
    assert [(p, m, d, float(lo), float(hi)) for p, m, d, lo, hi  # type: ignore[arg-type]
            in pick(rows, "fiscal_period", "metric", "metric_detail", "low", "high")] == expected
