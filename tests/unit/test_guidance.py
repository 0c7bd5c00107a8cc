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


OUTLOOK = "<p>Outlook</p><p>Acme’s outlook for the first quarter of fiscal 2026 is as follows:</p>"


def test_plus_minus_percent_of_revenue() -> None:
    rows = guide(OUTLOOK + "<ul><li>Revenue is expected to be $43.0\u00a0billion, plus or minus 2%.</li></ul>")
    assert pick(rows, "fiscal_period", "metric", "basis", "low", "high", "point", "tolerance", "qualifier") == [
        ("FY2026Q1", "revenue", None, 42140000000, 43860000000, 43000000000, "2%", "plus_minus")]
    assert rows[0]["sentence"] == "Revenue is expected to be $43.0 billion, plus or minus 2%."


def test_gaap_non_gaap_pair_with_basis_points() -> None:
    rows = guide(OUTLOOK + "<p>• GAAP and non-GAAP gross margins are expected to be 70.6% and 71.0%, "
                           "respectively, plus or minus 50 bps.</p>")
    assert [(b, float(lo), float(hi), float(p), t)  # type: ignore[arg-type]
            for b, lo, hi, p, t in pick(rows, "basis", "low", "high", "point", "tolerance")] == [
        ("gaap", 70.1, 71.1, 70.6, "50bp"), ("non_gaap", 70.5, 71.5, 71.0, "50bp")]


def test_tax_rate_tolerance_is_percentage_points() -> None:
    rows = guide(OUTLOOK + "<p>GAAP and non-GAAP tax rates are expected to be 17.0%, plus or minus 1%, "
                           "excluding any discrete items.</p>")
    assert pick(rows, "basis", "low", "high") == [("gaap", 16, 18), ("non_gaap", 16, 18)]


def test_expense_of_is_negative_other_income() -> None:
    rows = guide(OUTLOOK + "<p>GAAP and non-GAAP other income and expense are expected to be an expense of "
                           "approximately $40 million.</p>")
    assert pick(rows, "metric", "point", "low", "qualifier") == [
        ("other_income_expense", -40000000, -40000000, "approximately")] * 2


def test_million_and_billion_spellings_agree() -> None:
    a = guide(OUTLOOK + "<p>GAAP operating expenses are expected to be approximately $1,000 million.</p>")
    b = guide(OUTLOOK + "<p>GAAP operating expenses are expected to be approximately $1.0 billion.</p>")
    assert pick(a, "point") == pick(b, "point") == [(1000000000,)]


def test_between_range_with_growth_and_historical_comparison() -> None:
    rows = guide("<p>First Quarter 2026 Guidance</p><p>•Net sales are expected to be between $151.0 billion and "
                 "$155.5 billion, or to grow between 5% and 9% compared with first quarter 2025.</p>"
                 "<p>•Operating income is expected to be between $14.0 billion and $18.0 billion, compared with "
                 "$15.3 billion in first quarter 2025.</p>", issued=date(2026, 2, 6), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "low", "high", "point", "qualifier") == [
        ("FY2026Q1", "revenue", None, 151000000000, 155500000000, None, "range"),
        ("FY2026Q1", "other", "net_sales_growth_yoy", 5, 9, None, "range"),
        ("FY2026Q1", "operating_income", None, 14000000000, 18000000000, None, "range")]


def test_en_dash_range_new_range_wins_over_prior_range() -> None:
    rows = guide("<p>We anticipate our full year 2026 capital expenditures will be in the range of $64–72 billion, "
                 "increased from our prior outlook of $60-65 billion.</p>", issued=date(2026, 4, 30), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "low", "high") == [("FY2026", "capex", 64000000000, 72000000000)]


def test_value_before_metric_inside_a_quote() -> None:
    rows = guide("<p>“Our results were strong. We are confident, and we expect to invest approximately $75 billion "
                 "in capital expenditures in 2026.”</p>", issued=date(2026, 2, 4), fye="1231")
    assert pick(rows, "fiscal_period", "metric", "point", "qualifier") == [
        ("FY2026", "capex", 75000000000, "approximately")]
    assert not str(rows[0]["sentence"]).endswith("”")


def test_verbal_levels_and_headwinds() -> None:
    rows = guide("<p>We expect second quarter 2026 total revenue to be in the range of $42.5-45.5 billion. "
                 "Our guidance assumes foreign currency is a 1% headwind to year-over-year total revenue growth. "
                 "Absent any changes, we expect our full-year 2026 tax rate to be in the mid-teens.</p>",
                 issued=date(2026, 4, 30), fye="1231")
    assert pick(rows, "metric", "metric_detail", "point", "qualifier") == [
        ("revenue", None, None, "range"),
        ("other", "fx_impact_on_revenue_growth_yoy_pp", -1, "point"),
        ("tax_rate", None, None, "verbal_mid_teens")]


def test_no_outlook_gives_no_rows() -> None:
    assert guide("<p>Microsoft will provide forward-looking guidance on its earnings call.</p>") == []
    assert guide("<p>Certain statements, including gross margins being in the mid-70% range, are "
                 "forward-looking statements that are subject to risks and uncertainties.</p>") == []


def test_inconsistent_range_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match=r"pr\.htm \[.*\]: range low 9000000000(\.0)? > high 8000000000"):
        guide(OUTLOOK + "<p>Revenue is expected to be between $9.0 billion and $8.0 billion.</p>")


def test_empty_document_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="empty document"):
        parse_guidance(b"  ", doc="https://x/pr.htm", issued=date(2025, 1, 1), fiscal_year_end="1231")
