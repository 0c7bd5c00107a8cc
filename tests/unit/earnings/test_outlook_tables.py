"""Outlook tables and prose of releases never seen, written for these tests (a made-up company, Larkspur Freight,
whose measures — pallet yield, lane revenue, adjusted FFO per unit — no vocabulary lists)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tasks.earnings.guidance import parse_guidance, parse_guidance_with_issues, without_footnote_marks

ISSUED = date(2027, 2, 3)


def guide(html: str, issued: date = ISSUED, fye: str = "1231") -> list[dict[str, Any]]:
    return parse_guidance(f"<html><body>{html}</body></html>".encode(), doc="https://x/lf.htm", issued=issued,
                          fiscal_year_end=fye)


def table(*rows: tuple[str, ...]) -> str:
    return "<table>" + "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows) + "</table>"


def pick(rows: list[dict[str, Any]], *fields: str) -> list[tuple[Any, ...]]:
    return [tuple(float(r[f]) if f in ("low", "high", "point") and r[f] is not None else r[f] for f in fields)
            for r in rows]


def test_a_basis_table_reads_its_period_from_the_corner_cell_and_signs_from_parentheses() -> None:
    rows = guide("<p>Business Outlook</p>" + table(
        ("Q1 2027", "GAAP", "Non-GAAP"),
        ("Pallet yield", "31.5%", "33.0%"),
        ("Tax Rate", "(12)%", "16%"),
        ("Net Earnings (Loss) Per Unit—Diluted", "$(0.40)", "$0.22")) + "<p>Webcast</p>")
    assert pick(rows, "fiscal_period", "metric", "basis", "point") == [
        ("FY2027Q1", "other", "gaap", 31.5), ("FY2027Q1", "other", "non_gaap", 33.0),
        ("FY2027Q1", "tax_rate", "gaap", -12.0), ("FY2027Q1", "tax_rate", "non_gaap", 16.0),
        ("FY2027Q1", "other", "gaap", -0.40), ("FY2027Q1", "other", "non_gaap", 0.22)]  # '(Loss)' is no sign
    assert rows[0]["metric_detail"] == "pallet_yield" and rows[0]["sentence"] == "Pallet yield | 31.5%"


def test_cells_that_name_their_own_basis_and_a_footnoted_label() -> None:
    rows = guide("<p>Financial Targets</p><p>Full year 2027</p>" + table(
        ("Lane revenue", "$4.10 billion to $4.25 billion"),
        ("Adjusted FFO per unit2", "GAAP: $1.05 to $1.15 | Non-GAAP: $1.60 to $1.70".replace(" | ", "</td><td>")),
        ("Tax rate", "GAAP: ~19.0%", "Non-GAAP: ~17.5%")) + "<p>About Larkspur</p>")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "low", "high") == [
        ("FY2027", "other", "lane_revenue", None, 4.10e9, 4.25e9),
        ("FY2027", "other", "adjusted_ffo_per_unit", "gaap", 1.05, 1.15),
        ("FY2027", "other", "adjusted_ffo_per_unit", "non_gaap", 1.60, 1.70),
        ("FY2027", "tax_rate", None, "gaap", 19.0, 19.0), ("FY2027", "tax_rate", None, "non_gaap", 17.5, 17.5)]


def test_an_outlook_reconciliation_gives_its_headline_measures_never_its_reconciling_items() -> None:
    rows = guide("<p>Reconciliation of GAAP to Non-GAAP Outlook Measures</p>"
                 "<p>The following table shows the full year 2027 targets reconciled to non-GAAP targets.</p>"
                 + table(("(in millions)", "Full Year 2027"), ("Low", "High"),
                         ("GAAP operating margin", "18.0 %", "19.0 %"),
                         ("Amortization of acquired routes", "2.1", "2.1"),
                         ("Integration costs", "0.9 %", "0.9 %"),
                         ("Non-GAAP operating margin", "21.0 %", "22.0 %")) + "<p>About Larkspur</p>")
    assert pick(rows, "fiscal_period", "metric_detail", "basis", "low", "high") == [
        ("FY2027", "operating_margin", "gaap", 18.0, 19.0), ("FY2027", "operating_margin", "non_gaap", 21.0, 22.0)]


def test_a_forecast_column_of_a_results_table_is_outlook_and_the_past_columns_are_not() -> None:
    rows = guide("<p>Quarterly summary</p>" + table(
        ("(in millions except per unit data)", "Q3'26", "Q4'26", "Q1'27 Forecast"),
        ("Lane revenue", "$1,210", "$1,260", "$1,305"),
        ("Operating margin", "11.0 %", "12.4 %", "12.9 %"),
        ("Free cash flow", "$140", "$155")))
    assert pick(rows, "fiscal_period", "metric_detail", "point") == [
        ("FY2027Q1", "lane_revenue", 1_305e6), ("FY2027Q1", "operating_margin", 12.9)]


def test_a_projected_column_under_a_two_row_header_is_read_in_its_tables_scale() -> None:
    rows = guide("<p>RECONCILIATION OF NON-GAAP MEASURES</p><p>(in millions)</p>" + table(
        ("Year Ended December 31,", "Projected Year Ended December 31,"),
        ("2026", "2025", "2027"),
        ("Net earnings", "$812", "$790", "$860 - $900"),
        ("Route amortization", "41", "39", "~40")))
    assert pick(rows, "fiscal_period", "metric_detail", "low", "high") == [("FY2027", "net_earnings", 860e6, 900e6)]


def test_period_sub_headings_inside_an_outlook_section() -> None:
    rows = guide("<p>Outlook</p><p>Full Year 2027</p><p>The company expects adjusted FFO per unit growth of 4% to "
                 "5%.</p><p>First Quarter 2027 Considerations</p><p>Lane revenue is expected to include a 1% to 2% "
                 "currency headwind, in addition to a 2% headwind from route exits.</p><p>Leadership</p>")
    assert pick(rows, "fiscal_period", "metric_detail", "low", "high")[:2] == [
        ("FY2027", "adjusted_ffo_per_unit_growth_yoy", 4.0, 5.0),
        ("FY2027Q1", "fx_impact_on_revenue_growth_yoy_pp", -2.0, -1.0)]
    # the second headwind is a measure of its own (not a second currency impact), negative too
    assert pick(rows[2:], "fiscal_period", "metric", "low", "high") == [("FY2027Q1", "other", -2.0, -2.0)]
    assert not rows[2]["metric_detail"].startswith("fx_impact")


def test_prose_statements_of_unseen_shapes() -> None:
    rows = guide("<p>Larkspur affirmed the 2027 operating outlook issued in December 2026, including revenues of "
                 "$9.0 billion to $9.4 billion and adjusted net earnings of $3.10 to $3.30 per unit.</p>"
                 "<p>This fiscal year, pallet revenue should top $2 billion.</p>"
                 "<p>We continue to target $600 million of non-GAAP1 overhead in 2027 and $550 million in 2028; "
                 "$700 million in gross capital expenditures for 2027.</p>"
                 "<p>We now project 2027 revenue of $9.1-$9.3B. In Q1'27, we expect revenue growth of 6% "
                 "(8% F/X neutral).</p>"
                 "<p>During 2027, we expect to pay down $0.5B in bonds that mature this year.</p>")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "low", "high", "qualifier") == [
        ("FY2027", "revenue", None, None, 9.0e9, 9.4e9, "range"),
        ("FY2027", "other", "adjusted_net_earnings", "non_gaap", 3.10, 3.30, "range"),
        ("FY2027", "other", "pallet_revenue", None, 2e9, None, "more_than"),
        ("FY2027", "other", "overhead", "non_gaap", 600e6, 600e6, "point"),
        ("FY2028", "other", "overhead", "non_gaap", 550e6, 550e6, "point"),
        ("FY2027", "capex", None, None, 700e6, 700e6, "point"),
        ("FY2027Q1", "other", "revenue_growth_yoy", None, 6.0, 6.0, "point"),
        ("FY2027Q1", "other", "revenue_growth_yoy_constant_currency", None, 8.0, 8.0, "point")]


def test_a_respectively_pair_over_two_years_keeps_the_future_one() -> None:
    rows = guide("<p>For 2027 and 2026, we determined the projected non-GAAP tax rate to be 15% and 14%, "
                 "respectively.</p>")
    assert pick(rows, "fiscal_period", "metric", "basis", "point") == [("FY2027", "tax_rate", "non_gaap", 15.0)]


def test_a_headline_figure_gives_way_to_the_same_figure_with_its_tolerance() -> None:
    rows, issues = parse_guidance_with_issues(
        b"<html><body><p>Fourth quarter fiscal 2028 revenue outlook of $3.00 billion</p><p>Outlook</p>"
        b"<p>Larkspur's outlook for the fourth quarter of fiscal 2028 is as follows:</p>"
        b"<p>Revenue is expected to be $3.00 billion, plus or minus 2%.</p></body></html>",
        doc="https://x/lf.htm", issued=date(2027, 11, 20), fiscal_year_end="0131")
    assert pick(rows, "fiscal_period", "low", "high", "point", "qualifier") == [
        ("FY2028Q4", 2.94e9, 3.06e9, 3.0e9, "plus_minus")]
    assert issues == []


def test_the_same_figure_with_and_without_its_basis_is_one_row() -> None:
    rows = guide("<p>Forecasting first-quarter 2027 pallet yield of 30%.</p><p>Business Outlook</p>" + table(
        ("Q1 2027", "GAAP", "Non-GAAP"), ("Pallet yield", "30%", "32%")) + "<p>Webcast</p>")
    assert pick(rows, "basis", "point") == [("gaap", 30.0), ("non_gaap", 32.0)]


def test_footnote_marks_are_blanked_in_place() -> None:
    text = "1Targets assume non-GAAP2 overhead of $5 million for Q3 2027 and 42% yield"
    cleaned = without_footnote_marks(text)
    assert len(cleaned) == len(text)
    assert cleaned == " Targets assume non-GAAP  overhead of $5 million for Q3 2027 and 42% yield"


def test_expense_ranges_in_parentheses_bases_in_the_order_written_and_an_inserted_clause() -> None:
    rows = guide("<p>2027 Outlook</p><p>For the full year, Larkspur expects:</p><ul>"
                 "<li>Interest expense (net) of $(45) million to $(40) million</li>"
                 "<li>Adjusted and reported operating margins of 14% and 12%, respectively</li></ul>"
                 "<p>About Larkspur</p>"
                 "<p>Larkspur now expects fiscal 2027 capital expenditures, which include leased trucks, to be "
                 "between $1.1 billion and $1.2 billion, up from $0.9 billion to $1.0 billion previously.</p>")
    assert pick(rows, "fiscal_period", "metric", "metric_detail", "basis", "low", "high") == [
        ("FY2027", "other", "interest_expense_net", None, -45e6, -40e6),
        ("FY2027", "other", "operating_margins", "non_gaap", 14.0, 14.0),
        ("FY2027", "other", "operating_margins", "gaap", 12.0, 12.0),
        ("FY2027", "capex", None, None, 1.1e9, 1.2e9)]  # the new range, not the one it replaced


def test_outlook_rows_from_a_results_bullet_and_unread_statements_are_reported() -> None:
    from tasks.earnings.guidance import read_guidance

    html = (b"<html><body><p>Highlights</p><ul><li>Revenue grew 12% to $2.0 billion; full-year 2027 capital "
            b"expenditures now expected to be $800 million to $850 million, raised from $700 million to $750 million"
            b"</li></ul><p>Outlook</p><p>Larkspur expects dock throughput of 4% to 6% ahead of plan.</p>"
            b"<p>About Larkspur</p></body></html>")
    rows, issues, unread = read_guidance(html, doc="https://x/lf.htm", issued=ISSUED, fiscal_year_end="1231")
    assert pick(rows, "fiscal_period", "metric", "low", "high") == [("FY2027", "capex", 800e6, 850e6)]
    assert issues == []
    # a section statement with a value but no period anywhere: said, with its text, not guessed
    assert [(u.doc, u.reason) for u in unread] == [
        ("https://x/lf.htm", "outlook statement produced no row (no period or measure read): "
                             "'Larkspur expects dock throughput of 4% to 6% ahead of plan.'")]
