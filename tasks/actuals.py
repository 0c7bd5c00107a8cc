"""Reported quarter results from earnings-release tables → actuals rows (pure).

Tables are recognised by their caption and row labels, not by company: the income statement's total
revenue line, the cash-flow statement's property-and-equipment purchases, a 'Segment' table's revenue
block, 'Revenue by ...' tables, and the GAAP summary's gross margin. Only the current three-month column
is used, chosen from the header's years.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.errors import ParseError
from tasks.release_tables import Cell, Table, TableRow, parse_tables

INCOME = re.compile(r"statements? of (?:operations|income)|income statements?", re.I)
CASH_FLOW = re.compile(r"statements? of cash flows|cash flows? statements?", re.I)
TOTAL_REVENUE = re.compile(r"^(?:total net sales|total revenues?|revenues?)$", re.I)
CAPEX = re.compile(r"^(?:purchases of property and equipment(?:, net)?|additions to property and equipment)$",
                   re.I)
FINANCE_LEASES = re.compile(r"^principal payments on finance leases$", re.I)
SEGMENT_TABLE = re.compile(
    r"segment (?:information|results|revenue)|revenue by (?:reportable segments|market platform)", re.I)
REVENUE_SECTION = re.compile(r"^(?:revenues?|net sales|segment revenues?)$", re.I)
STOP_SECTION = re.compile(r"operating income|operating (?:loss|expenses)|costs? and expenses|income \(loss\)",
                          re.I)
TOTAL_LABEL = re.compile(r"^total\b|hedging|consolidated|corporate", re.I)
SUB_PLATFORM = re.compile(r"^(?:compute|networking)$", re.I)


def _value(table: Table, row: TableRow, column: int, doc: str) -> tuple[Decimal, Cell]:
    money = [c for c in row.cells if not c.percent]
    if column >= len(money) or money[column].value is None:
        raise ParseError(doc, f"table {table.index} row {row.label!r}", "no value in the current column")
    if table.scale is None:
        raise ParseError(doc, f"table {table.index} row {row.label!r}", "the table's scale cannot be determined")
    cell = money[column]
    assert cell.value is not None
    return cell.value * table.scale, cell


def _caption(table: Table) -> str:
    first_labels = " ".join(r.label for r in table.rows[:3] if not r.cells)
    return f"{table.caption[-120:]} {table.header} {first_labels}"


def parse_actuals(body: bytes, *, doc: str, exhibit: str, period_end: date) -> list[dict[str, Any]]:
    """Total revenue, segment revenue, capex (and finance-lease principal) of the release's quarter."""
    tables = parse_tables(body, doc)
    rows: list[dict[str, Any]] = []
    seen: set[tuple[str, str | None, str | None]] = set()

    def emit(table: Table, metric: str, detail: str | None, segment: str | None, row: TableRow,
             value: Decimal, cell: Cell, positive: bool = False) -> None:
        key = (metric, detail, segment)
        if key in seen:
            return
        seen.add(key)
        name = re.sub(r"\s+", " ", _caption(table)).strip()[-80:]
        rows.append({"metric": metric, "metric_detail": detail, "segment": segment,
                     "value": abs(value) if positive else value, "unit": "USD",
                     "source": f"{exhibit} table {table.index} ({name}), {row.label!r}, current three-month "
                               f"column ({cell.text})"})

    for table in tables:
        caption = _caption(table)
        column = table.current_column(period_end.year)
        if INCOME.search(caption):
            row = next((r for r in table.rows if TOTAL_REVENUE.match(r.label) and r.cells), None)
            if row is not None:
                value, cell = _value(table, row, column, doc)
                emit(table, "revenue", None, None, row, value, cell)
        if CASH_FLOW.search(caption):
            for row in table.rows:
                if CAPEX.match(row.label) and row.cells:
                    value, cell = _value(table, row, column, doc)
                    emit(table, "capex", None, None, row, value, cell, positive=True)
                elif FINANCE_LEASES.match(row.label) and row.cells:
                    value, cell = _value(table, row, column, doc)
                    emit(table, "other", "finance_lease_principal", None, row, value, cell, positive=True)
        if SEGMENT_TABLE.search(caption):
            _segments(table, column, doc, emit)
        basis = _basis(" ".join([table.header, *(r.label for r in table.rows[:2] if not r.cells)]))
        margin = table.find("Gross margin")
        if margin is None or not margin.cells or not (margin.cells[0].percent and margin.cells[0].value):
            continue
        if basis == "gaap" and ("gross_margin", basis, None) not in seen:
            seen.add(("gross_margin", basis, None))
            rows.append({"metric": "gross_margin", "metric_detail": basis, "segment": None,
                         "value": margin.cells[0].value, "unit": "percent",
                         "source": f"{exhibit} table {table.index} ({basis.upper()} summary), 'Gross margin', "
                                   f"current quarter column ({margin.cells[0].text})"})
    return rows


def _basis(header: str) -> str | None:
    """GAAP summary tables name their basis in the header ('GAAP' or 'Non-GAAP')."""
    text = header.strip().lower()
    if re.search(r"\bnon-gaap\b", text):
        return "non_gaap"
    if re.search(r"\bgaap\b", text):
        return "gaap"
    return None


def _segments(table: Table, column: int, doc: str, emit: Any) -> None:
    candidates: list[tuple[str, TableRow, Decimal, Cell]] = []
    revenue_block = bool(re.search(r"revenue by", _caption(table), re.I))
    section: str | None = None
    parent: str | None = None
    for row in table.rows:
        if STOP_SECTION.search(row.label) and revenue_block:
            break
        if not row.cells:
            section = row.label
            revenue_block = revenue_block or bool(REVENUE_SECTION.match(row.label))
            continue
        if REVENUE_SECTION.match(row.label) and section and not REVENUE_SECTION.match(section) \
                and not TOTAL_LABEL.search(section):
            candidates.append((section, row, *_value(table, row, column, doc)))
            continue
        if not revenue_block or TOTAL_LABEL.search(row.label):
            continue
        segment = f"{parent}: {row.label}" if parent and SUB_PLATFORM.match(row.label) else row.label
        if not SUB_PLATFORM.match(row.label):
            parent = row.label
        candidates.append((segment, row, *_value(table, row, column, doc)))
    for segment, row, value, cell in _drop_components(candidates):
        emit(table, "revenue", None, segment, row, value, cell)


def _drop_components(
    candidates: list[tuple[str, TableRow, Decimal, Cell]],
) -> list[tuple[str, TableRow, Decimal, Cell]]:
    """Rows that are parts of the next row (revenue types that sum to a segment) are not segments."""
    dropped: set[int] = set()
    for j, (_, _, total, _) in enumerate(candidates):
        running = Decimal(0)
        for i in range(j - 1, -1, -1):
            running += candidates[i][2]
            if running == total and j - i >= 2 and ":" not in candidates[j][0]:
                dropped.update(range(i, j))
                break
    return [c for k, c in enumerate(candidates) if k not in dropped]
