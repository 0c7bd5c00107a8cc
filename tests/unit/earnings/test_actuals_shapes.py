"""Results tables in the shapes releases print them, written for these tests (a made-up company, Northwind)."""

from __future__ import annotations

from datetime import date
from typing import Any

from tasks.earnings.actuals import parse_actuals_with_issues
from tasks.earnings.releases import quarter_end
from tasks.fiscal import fiscal_quarter_of


def read(html: str, period_end: date = date(2026, 9, 30)) -> tuple[dict[tuple[Any, ...], float], list[str]]:
    rows, issues = parse_actuals_with_issues(f"<html><body>{html}</body></html>".encode(), doc="https://x/nw.htm",
                                             exhibit="EX-99.1", period_end=period_end)
    return {(r["metric"], r["metric_detail"], r["segment"]): float(r["value"]) for r in rows}, [i.reason for i in issues]


def tr(*cells: str) -> str:
    return "<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"


INCOME = ("<p>(Dollars in thousands)</p><table>" + tr("", "Third Quarter", "Nine Months") + tr("", "2026", "2025", "2026", "2025")
          + tr("Sales and other operating revenue", "900", "800", "2,700", "2,400")
          + tr("Income from equity affiliates", "100", "90", "300", "270")
          + tr("Total revenues and other income", "1,000", "890", "3,000", "2,670")
          + tr("Cost of products sold", "(600)", "(500)", "(1,800)", "(1,500)")
          + tr("Net income (1)", "150", "140", "450", "420") + "</table>")


def test_the_income_statement_is_found_by_its_rows_and_its_total_line_wins() -> None:
    got, issues = read(INCOME)
    assert got == {("revenue", None, None): 1_000_000.0} and issues == []


def test_a_label_between_the_amounts_and_quarter_labels_in_the_header() -> None:
    table = ("<p>CAPITAL SPENDING</p><table>" + tr("3Q26", "2Q26", "Dollars in millions", "YTD 2026", "YTD 2025")
             + tr("77", "70", "Additions to property, plant and equipment", "210", "190") + "</table>")
    got, _ = read(INCOME + table)
    assert got[("capex", None, None)] == 77_000_000.0


def test_segments_as_columns_add_up_to_the_total() -> None:
    table = ("<p>Revenue by Division (dollars in thousands)</p><table>" + tr("", "Tools", "Garden", "Corporate", "Total")
             + tr("Reported revenue", "$600", "$380", "$20", "$1,000")
             + tr("Operating profit", "$90", "$50", "$(10)", "$130") + "</table>")
    got, _ = read(INCOME + table)
    assert {k[2]: v for k, v in got.items() if k[2]} == {"Tools": 600_000.0, "Garden": 380_000.0}


def test_one_table_per_segment_counts_when_the_tables_add_up() -> None:
    def segment(name: str, revenue: str) -> str:
        return (f"<table>{tr(f'Results for {name}', '2Q26')}{tr('($ thousands)', '3Q26', '2Q26')}"
                f"{tr('Net revenue', revenue, '1')}{tr('Noninterest expense', '5', '4')}</table>")
    got, _ = read(INCOME + segment("Retail", "$700") + segment("Wholesale", "$280") + segment("Corporate", "$20"))
    assert {k[2]: v for k, v in got.items() if k[2]} == {"Retail": 700_000.0, "Wholesale": 280_000.0}


def test_a_segment_block_with_eliminations_and_components_and_no_regional_table() -> None:
    table = ("<p>Segment Results (in thousands)</p><table>" + tr("", "Three Months Ended", "Nine Months Ended")
             + tr("", "2026", "2025", "2026", "2025") + tr("Revenues:")
             + tr("Tools", "620", "600", "1,860", "1,800") + tr("Hand tools", "400", "1", "1", "1")
             + tr("Power tools", "220", "1", "1", "1") + tr("Garden", "400", "300", "1,200", "900")
             + tr("Eliminations", "(20)", "(10)", "(60)", "(30)") + tr("Total revenues", "1,000", "890", "3,000", "2,670")
             + "</table><p>Revenue by geographic area (in thousands)</p><table>" + tr("", "2026")
             + tr("United States", "700") + tr("International", "300") + tr("Total", "1,000") + "</table>")
    got, _ = read(INCOME + table)
    assert {k[2]: v for k, v in got.items() if k[2]} == {
        "Tools": 620_000.0, "Tools: Hand tools": 400_000.0, "Tools: Power tools": 220_000.0, "Garden": 400_000.0}


def test_capex_from_a_free_cash_flow_reconciliation_never_from_a_year_to_date_column() -> None:
    cash_flow = ("<p>Condensed Statements of Cash Flows (in thousands)</p><table>" + tr("", "Nine Months Ended")
                 + tr("", "2026", "2025") + tr("Purchases of property and equipment", "(240)", "(200)") + "</table>")
    free_cash_flow = ("<p>Free cash flow (in thousands)</p><table>" + tr("", "Quarter Ended", "Nine Months Ended")
                      + tr("", "2026", "2025", "2026", "2025") + tr("Cash provided by operations", "300", "250", "800", "700")
                      + tr("Investments in stores and plants", "(85)", "(70)", "(240)", "(200)")
                      + tr("Free cash flow", "215", "180", "560", "500") + "</table>")
    got, _ = read(INCOME + cash_flow + free_cash_flow)
    assert got[("capex", None, None)] == 85_000.0


def test_a_sixteen_week_quarter_ends_where_the_release_says() -> None:
    body = (b"<html><body><p>Results for the 16 weeks ended August 30, 2026</p><table><tr><td></td>"
            b"<td>16 Weeks Ended August 30, 2026</td></tr></table></body></html>")
    end = quarter_end(body, date(2026, 5, 31), issued=date(2026, 9, 24))
    assert end == date(2026, 8, 30)
    assert fiscal_quarter_of(end, "0830") == (2026, 4)


def test_a_forecast_column_is_never_the_quarter_and_a_later_date_is_not_its_end() -> None:
    summary = ("<p>Our results and our forecast for next quarter follow.</p><table>"
               + tr("(in millions)", "Q3'26", "Q4'26", "Q1'27 Forecast")
               + tr("Revenue", "$410", "$432", "$455") + tr("Operating income", "$60", "$66", "$70")
               + tr("Net income", "$40", "$45", "$48") + "</table>")
    got, _ = read(summary, period_end=date(2027, 1, 2))  # a 53-week year ending in January
    assert ("revenue", None, None) not in got  # the only 2027 column is a forecast: no quarter, no wrong total
    body = (b"<html><body><p>Our outlook uses exchange rates of October 1, 2026 and October 2, 2026.</p>"
            b"<p>Three Months Ended September 30,2026</p></body></html>")
    assert quarter_end(body, date(2026, 9, 30), date(2026, 10, 20)) == date(2026, 9, 30)


def test_segments_declared_inside_the_statement_may_be_regions_and_its_margin_percent_is_gaap() -> None:
    statement = ("<p>CONDENSED STATEMENTS OF OPERATIONS (In millions)</p><table>" + tr("", "Three Months Ended")
                 + tr("", "September 30,2026", "September 30,2025")
                 + tr("Net sales", "$1,000", "$900") + tr("Cost of sales", "600", "560")
                 + tr("Gross margin", "400", "340") + tr("Gross margin percentage", "40.0 %", "37.8 %")
                 + tr("Operating income", "150", "120") + tr("Net income", "110", "90")
                 + tr("Net sales by reportable segment:") + tr("Northern Region", "$620", "$560")
                 + tr("Southern Region", "380", "340") + tr("Total net sales", "$1,000", "$900")
                 + tr("Net sales by category:") + tr("Kettles", "$700", "$610") + tr("Spares", "300", "290")
                 + tr("Total net sales", "$1,000", "$900") + "</table>")
    got, issues = read(statement)
    assert got == {("revenue", None, None): 1e9, ("gross_margin", "gaap", None): 40.0,
                   ("revenue", None, "Northern Region"): 620e6, ("revenue", None, "Southern Region"): 380e6}
    assert issues == []


def test_capex_lines_as_other_companies_label_them_and_a_row_shorter_than_its_quarters() -> None:
    cash = ("<p>CASH FLOWS (in millions)</p><table>" + tr("", "Three Months Ended September 30,")
            + tr("", "2026", "2025") + tr("Net cash provided by operating activities", "300", "250")
            + tr("Payments for acquisition of property, plant and equipment", "(77)", "(70)") + "</table>")
    got, _ = read(INCOME + cash)
    assert got[("capex", None, None)] == 77_000_000.0
    trailing = ("<p>FREE CASH FLOW - TRAILING QUARTERS ($ in millions)</p><table>" + tr("Fiscal 2026", "Fiscal 2027")
                + tr("Q1", "Q2", "Q3", "Q4", "Q1", "Q2", "Q3", "Q4")
                + tr("Operating cash flow", "$40", "$41", "$42", "$43", "$44", "$45")
                + tr("Capital expenditures", "(9)", "(8)", "(7)", "(6)", "(5)", "(4)") + "</table>")
    got, _ = read(INCOME + trailing)
    assert ("capex", None, None) not in got  # which of the six amounts is the quarter cannot be known


IN_MILLIONS = ("<p>STATEMENTS OF OPERATIONS (In millions)</p><table>" + tr("", "Three Months Ended")
               + tr("", "September 30,2026", "September 30,2025") + tr("Total revenues", "$1,000", "$960")
               + tr("Cost of sales", "600", "580") + tr("Operating income", "150", "120")
               + tr("Net income", "110", "90") + "</table>")


def test_segment_sections_closed_by_their_own_total_and_a_group_of_them() -> None:
    divisions = ("<p>LARKSPUR, INC. DIVISIONAL REVENUES (Dollars in millions)</p><table>"
                 + tr("", "THREE MONTHS ENDED", "%") + tr("", "9/30/2026", "9/30/2025", "Change") + tr("Inland")
                 + tr("Pallets", "$300", "$280", "7 %") + tr("Crates", "200", "190", "5 %")
                 + tr("Total", "500", "470", "6 %") + tr("Coastal")
                 + tr("Pallets", "250", "240", "4 %") + tr("Crates", "150", "150", "0 %")
                 + tr("Total", "400", "390", "3 %") + tr("Brand Services", "20", "18", "11 %")
                 + tr("TOTAL LARKSPUR BRAND", "920", "878", "5 %") + tr("Ferry Lines", "90", "80", "13 %")
                 + tr("Corporate", "(10)", "2", "—") + tr("TOTAL LARKSPUR, INC. REVENUES", "$1,000", "$960", "4 %")
                 + "</table>")
    got, _ = read(IN_MILLIONS + divisions)
    assert {k[2]: v for k, v in got.items() if k[2]} == {
        "Inland": 500e6, "Coastal": 400e6, "Brand Services": 20e6, "LARKSPUR BRAND": 920e6, "Ferry Lines": 90e6}


def test_a_segment_block_closed_by_its_consolidated_line() -> None:
    segments = ("<p>Operating Segments and Corporate (In millions)</p><table>" + tr("", "Three Months Ended")
                + tr("", "September 30, 2026", "September 30, 2025")
                + tr("Harbour Services", "$600", "$560") + tr("Rail Freight", "420", "350")
                + tr("Corporate", "10", "8") + tr("Eliminations", "(30)", "(28)")
                + tr("Consolidated", "$1,000", "$890") + "</table>")
    got, _ = read(IN_MILLIONS + segments)
    assert {k[2]: v for k, v in got.items() if k[2]} == {"Harbour Services": 600e6, "Rail Freight": 420e6}
