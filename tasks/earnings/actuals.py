"""Reported quarter results from earnings-release tables → actuals rows (pure).

Statements are found by their rows, not their captions: the income statement is the table with a revenue line and
income-statement lines (cost of sales, operating income, net income, EPS); capex is a purchase-of-property line
(or the line between operating cash flow and free cash flow in a reconciliation); segments are a block of rows,
or a row of columns, that sums to the company's total revenue in a segment table. Only the reported quarter's
column is read (its heading and year, never a year-to-date column), every value exactly as printed times the scale.
Row labels and captions are vocabulary (schemas/release_vocabulary.yaml); a table that cannot be read is one
parse issue, the rest of the release goes on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.earnings.dividends import announced_dividends
from tasks.earnings.release_document import release_lines
from tasks.earnings.release_tables import Cell, Table, TableRow, parse_tables
from tasks.earnings.segment_tables import column_segments, row_segments, table_segments
from tasks.earnings.vocabulary import table_words, vocabulary
from tasks.errors import ParseError


@dataclass
class ActualsReader:
    doc: str
    exhibit: str
    period_end: date
    rows: list[dict[str, Any]] = field(default_factory=list)
    issues: list[ParseError] = field(default_factory=list)
    seen: set[tuple[str, str | None, str | None]] = field(default_factory=set)
    capex_includes_leases: bool = False  # the release defines its capex as including finance-lease principal
    breakdowns: list[list[Decimal]] = field(default_factory=list)  # segment values already taken, per table

    def amount(self, table: Table, row: TableRow, *, percent: bool = False,
               per_share: bool = False) -> tuple[Decimal, Cell] | None:
        """The row's value in the reported quarter's column (times the table's scale), or None."""
        column = table.quarter_column(self.period_end.year, len(row.cells))
        if column is None or column >= len(row.cells):
            return None
        cell = row.cells[column]
        if cell.value is None or cell.percent != percent:
            return None
        if percent or per_share:  # percentages and per-share amounts are printed as they are
            return cell.value, cell
        if table.scale is None:
            self.issues.append(ParseError(self.doc, f"table {table.index} row {row.label!r}",
                                          "the table's scale cannot be determined"))
            return None
        return cell.value * table.scale, cell

    def emit(self, table: Table, metric: str, detail: str | None, segment: str | None, label: str,
             value: Decimal, cell: Cell, *, unit: str = "USD", positive: bool = False) -> None:
        key = (metric, detail, segment)
        if key in self.seen:
            return
        self.seen.add(key)
        name = _title(table)
        self.rows.append({"metric": metric, "metric_detail": detail, "segment": segment,
                          "value": abs(value) if positive else value, "unit": unit,
                          "source": f"{self.exhibit} table {table.index} ({name}), {label!r}, "
                                    f"{table.column_source()} ({cell.text})"})

    # -- the statements -------------------------------------------------------------------------------
    def total_revenue(self, tables: list[Table]) -> Decimal | None:
        words = table_words()
        statements = [t for t in tables if words.statement_caption.search(_caption(t))]
        looks_like = [t for t in tables if t not in statements
                      and sum(1 for r in t.rows if words.income_statement_rows.match(r.label)) >= 2]
        for table in [*statements, *looks_like]:
            row = _revenue_row(table)
            found = self.amount(table, row) if row is not None else None
            if found is None:
                continue
            self.emit(table, "revenue", None, None, row.label, *found)  # type: ignore[union-attr]
            for other in table.rows:  # a managed / adjusted revenue beside the reported one
                kind = words.revenue_not_reported.search(other.label) if other is not row else None
                if kind is not None and _revenue_like(other.label):
                    extra = self.amount(table, other)
                    if extra is not None:
                        self.emit(table, "revenue", _slug(kind.group(0)), None, other.label, *extra)
            return found[0]
        return None

    def capex(self, tables: list[Table]) -> None:
        words = table_words()
        # The most precise print first (millions before billions), cash-flow statements before other tables.
        ordered = sorted(tables, key=lambda t: (t.scale or Decimal(10**12), not words.cash_flow_caption.search(
            _caption(t))))
        for table in ordered:
            for row in table.rows:
                if words.capex_rows.match(row.label) and ("capex", None, None) not in self.seen:
                    found = self.amount(table, row)
                    if found is not None:
                        self.emit(table, "capex", None, None, row.label, *found, positive=True)
                elif self.capex_includes_leases and words.finance_lease_rows.match(row.label):
                    found = self.amount(table, row)
                    if found is not None:
                        self.emit(table, "other", "finance_lease_principal", None, row.label, *found, positive=True)
        if ("capex", None, None) in self.seen:
            return
        for table in tables:  # a free-cash-flow reconciliation: operating cash flow, less capex, = free cash flow
            labels = [r.label for r in table.rows]
            start = next((i for i, label in enumerate(labels) if words.operating_cash_flow_rows.match(label)), None)
            end = next((i for i, label in enumerate(labels) if words.free_cash_flow_rows.match(label)), None)
            if start is None or end is None or end - start != 2:
                continue
            row = table.rows[start + 1]
            found = self.amount(table, row)
            if found is not None and found[0] < 0:
                self.emit(table, "capex", None, None, row.label, *found, positive=True)
                return

    def gross_margin(self, tables: list[Table]) -> None:
        """The GAAP gross margin printed as a percentage: in a table headed GAAP, or in a statement or results
        summary (reported figures, GAAP unless a label or header says otherwise); a row that names its basis
        ('GAAP gross margin percentage') is of that basis. Only GAAP rows are kept."""
        words = table_words()
        for table in tables:
            basis = _basis(" ".join([table.header, *(r.label for r in table.rows[:2] if not r.cells)]))
            reported = basis is None and sum(1 for r in table.rows if words.income_statement_rows.match(r.label)) >= 2
            for row in table.rows:
                named = _basis(row.label)
                if not words.gross_margin_rows.match(_ROW_BASIS.sub("", row.label)):
                    continue
                if (named or basis or ("gaap" if reported else None)) != "gaap":
                    continue
                found = self.amount(table, row, percent=True)
                if found is not None:
                    self.emit(table, "gross_margin", "gaap", None, row.label, *found, unit="percent")

    def diluted_eps(self, tables: list[Table]) -> None:
        """Diluted EPS: GAAP from the income statement (or a GAAP summary), non-GAAP from a non-GAAP summary."""
        words = table_words()
        statements = {t.index for t in tables if words.statement_caption.search(_caption(t))
                      or sum(1 for r in t.rows if words.income_statement_rows.match(r.label)) >= 2}
        ordered = sorted(tables, key=lambda t: t.index not in statements)
        for table in ordered:
            basis = _basis(" ".join([table.header, *(r.label for r in table.rows[:2] if not r.cells)])) or \
                ("gaap" if table.index in statements else None)
            if basis is None:
                continue
            heading = False
            for row in table.rows:
                if not row.cells:
                    heading = bool(words.per_share_headings.match(row.label))
                    continue
                if words.diluted_eps_rows.match(row.label) or (heading and words.diluted_labels.match(row.label)):
                    found = self.amount(table, row, per_share=True)
                    if found is not None:
                        self.emit(table, "eps", basis, None, row.label, *found, unit="USD/share")
                    break

    def segments(self, tables: list[Table], total: Decimal | None) -> None:
        if total is not None:
            totals = [Decimal(r["value"]) for r in self.rows if r["metric"] == "revenue" and r["segment"] is None]
            for table, (segment, label, value, cell) in table_segments(tables, self.period_end.year, totals):
                self.emit(table, "revenue", None, segment, label, value, cell)
        for table in tables:
            found = row_segments(table, self.period_end.year, total) or column_segments(table, total)
            values = sorted(value for _, _, value, _ in found)
            if not found or values in self.breakdowns:
                continue  # the same breakdown printed again (a supplemental table)
            self.breakdowns.append(values)
            for segment, label, value, cell in found:
                if table.scale is None:
                    self.issues.append(ParseError(self.doc, f"table {table.index} row {label!r}",
                                                  "the table's scale cannot be determined"))
                    break
                self.emit(table, "revenue", None, segment, label, value * table.scale, cell)


def _capex_includes_leases(body: bytes) -> bool:
    """'capital expenditures, including principal payments on finance leases, were ...': the company's own capex
    definition adds finance-lease principal, so that line is read too."""
    words = vocabulary()
    leases = next(pattern for detail, pattern in words.scopes if detail == "finance_lease_principal")
    capex = next(name.pattern for name in words.metrics if name.metric == "capex")
    text = " ".join(release_lines(body, "release"))
    return any(leases.match(text, m.end()) for m in re.finditer(rf"(?:{capex.pattern}),?\s+including\s+", text, re.I))


def _title(table: Table, size: int = 100) -> str:
    """The words right above a table (its title), whole words only; its header when nothing stands above it."""
    text = " ".join(table.caption.split()) or " ".join(table.header.split())
    if len(text) <= size:
        return text
    tail = text[-size:]
    return tail[tail.find(" ") + 1:] if " " in tail else tail


def _caption(table: Table) -> str:
    first_labels = " ".join(r.label for r in table.rows[:3] if not r.cells)
    return f"{table.caption[-120:]} {table.header} {first_labels}"


def _revenue_like(label: str) -> bool:
    return bool(re.search(r"\b(?:revenues?|sales)\b", label, re.I))


def _revenue_row(table: Table) -> TableRow | None:
    """The reported total revenue line: the most preferred label the table has."""
    words = table_words()
    for pattern in words.revenue_totals:
        for row in table.rows:
            if row.cells and pattern.match(row.label) and not words.revenue_not_reported.search(row.label):
                return row
    return None


_ROW_BASIS = re.compile(r"^\s*(?:non-gaap|gaap|reported)\s+|\s+\((?:gaap|reported)\)", re.I)


def _basis(header: str) -> str | None:
    """GAAP summary tables name their basis in the header ('GAAP' or 'Non-GAAP')."""
    text = header.strip().lower()
    if re.search(r"\bnon-gaap\b", text):
        return "non_gaap"
    if re.search(r"\bgaap\b", text):
        return "gaap"
    return None


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def parse_actuals_with_issues(body: bytes, *, doc: str, exhibit: str,
                              period_end: date) -> tuple[list[dict[str, Any]], list[ParseError]]:
    """Total revenue, segment revenue, GAAP gross margin, capex (and finance-lease principal), diluted EPS (GAAP
    and non-GAAP) of the quarter, the dividend per share the text announces, and the tables that could not be
    read."""
    tables = parse_tables(body, doc)
    reader = ActualsReader(doc, exhibit, period_end, capex_includes_leases=_capex_includes_leases(body))
    total = reader.total_revenue(tables)
    reader.segments(tables, total)
    reader.capex(tables)
    reader.gross_margin(tables)
    reader.diluted_eps(tables)
    return reader.rows + announced_dividends(body, doc=doc, exhibit=exhibit), reader.issues


def parse_actuals(body: bytes, *, doc: str, exhibit: str, period_end: date) -> list[dict[str, Any]]:
    return parse_actuals_with_issues(body, doc=doc, exhibit=exhibit, period_end=period_end)[0]
