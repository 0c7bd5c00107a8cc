"""Earnings-release HTML tables → rows of cells with their scale, header and column periods (pure).

A cell that is only '$', '%' or a parenthesis joins its neighbour; '—' is no value; '(1,264)' is negative; a
footnote marker is not a number. Rows before the first row of amounts (and rows of bare years) are the header;
its period words ('Three Months Ended', 'Twelve months', '12 Weeks Ended', '4Q24') tell which column holds the
quarter. The scale comes from the header, the caption, a label row ('(Dollars in millions)') or, failing those,
the nearest statement of units before the table ('in millions, except per share data').
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tasks.earnings.release_document import document_view
from tasks.earnings.vocabulary import vocabulary
from tasks.errors import NotANumber
from tasks.numbers import parse_decimal, scale_of

SCALE = re.compile(r"(?:\bin\s+|\(\s*|\$\s*|\bdollars\s+in\s+)(millions|thousands|billions)\b"
                   r"|\b(millions|thousands|billions)\s+of\s+(?:u\.s\.\s+)?dollars\b|\(\$?(mm|m|k)\)", re.I)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
QUARTER_YEAR = re.compile(r"\b([1-4])Q\s?['’]?(\d{2})\b|\bQ([1-4])\s?['’]?(\d{2}|\d{4})\b", re.I)
QUARTER_WORDS = re.compile(r"three months|3 months|quarters? ended|(?:first|second|third|fourth)[- ]quarter|"
                           r"\b1[236] weeks\b|\bquarter\b|\b[1-4]Q\s?\d{2}\b|\bQ[1-4]\b", re.I)
YEAR_TO_DATE_WORDS = re.compile(r"six months|nine months|twelve months|6 months|9 months|12 months|year[- ]to[- ]date|"
                                r"\bytd\b|years? ended|full[- ]year|fiscal year|\b(?:24|2[48]|3[6-9]|40|5[23]) weeks\b|"
                                r"first half|first nine", re.I)
NUMBER = re.compile(r"^\(?\s*[-−–]?\s*\$?\s*\(?\s*\d[\d,]*(?:\.\d+)?\s*\)?\s*%?\s*\)?$")
DASHES = {"—", "–", "-", "— %", "—%", "n/a", "N/A", "NM", "nm", "*", "**"}
FOOTNOTE = re.compile(r"\s*(?:\(\d{1,2}\)|\([a-z]\)|\*+|[¹²³⁴⁵⁶⁷⁸⁹])\s*$")
_MARKER_CELL = re.compile(r"\(\d\)|\([a-z]\)")
_WORD = re.compile(r"[A-Za-z]{2}")
_GLUE = re.compile(r"^(?:\$|%|\)|%\)|\(|\(\$)$")


@dataclass(frozen=True)
class Cell:
    text: str  # as printed
    value: Decimal | None  # None for a dash
    percent: bool


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]  # the amounts of the row, in column order
    texts: tuple[str, ...] = ()  # every cell after the label, as printed


@dataclass(frozen=True)
class Table:
    index: int
    caption: str  # text just before the table
    header: str  # text of the header rows
    scale: Decimal | None
    rows: tuple[TableRow, ...]
    header_rows: tuple[tuple[str, ...], ...] = ()

    def column_periods(self, columns: int) -> list[tuple[str | None, int | None]]:
        """For each of ``columns`` amount columns: its period kind ('quarter', 'ytd' or None) and year, read from
        the header's period phrases (each spanning an equal share of the columns) and its years."""
        groups = _period_groups(self.header)
        years = _header_years(self.header_rows)
        out = []
        for i in range(columns):
            kind = groups[min(len(groups) - 1, i * len(groups) // columns)] if groups else None
            year = years[i] if i < len(years) else None  # period columns come first, changes after them
            out.append((kind, year))
        return out

    @property
    def names_its_periods(self) -> bool:
        """Whether the header says which period or year a column holds; a table that does not has its first
        column taken as the reported quarter, and rows read from it say so in their source."""
        return bool(_period_groups(self.header) or _header_years(self.header_rows))

    def column_source(self) -> str:
        """How the quarter's column was chosen, for the lineage of a value read from it."""
        return ("current quarter column" if self.names_its_periods
                else "first column, taken as the quarter (the table's header names no period or year)")

    def quarter_column(self, period_year: int, columns: int) -> int | None:
        """The amount column of the reported quarter: under a quarter heading and of the quarter's year; a table
        whose columns say nothing of their period gives its first column; None when no column is the quarter."""
        if self.more_period_columns_than(columns):
            return None  # 'Q1 | Q2 | Q3 | Q4 | Q1 | …' over fewer amounts: which column is which cannot be known
        periods = self.column_periods(columns)
        kinds = {k for k, _ in periods if k}
        years = [y for _, y in periods if y is not None]
        forecasts = self.forecast_columns(columns)
        for i, (kind, year) in enumerate(periods):
            if kind == "ytd" or (kind is None and "quarter" in kinds) or i in forecasts:
                continue  # a year-to-date or forecast column ('Q1'25 Forecast') is never the quarter
            if year is None and years:
                continue
            if year is None or year == period_year:
                return i
        if not kinds and not years:
            return 0 if columns else None
        return None

    def more_period_columns_than(self, columns: int) -> bool:
        """A header row with one quarter per cell, more of them than the row has amounts."""
        return any(sum(1 for c in cells if QUARTER_WORDS.fullmatch(c.strip())) > columns for cells in self.header_rows)

    def forecast_columns(self, columns: int) -> set[int]:
        """Amount columns whose header cell says forecast, outlook or guidance (counted from the right, as the
        amounts of a row are)."""
        found: set[int] = set()
        for cells in self.header_rows:
            if len(cells) < columns:
                continue
            tail = cells[-columns:]
            found |= {i for i, cell in enumerate(tail) if vocabulary().forecast_column.search(cell)}
        return found


def _period_groups(header: str) -> list[str]:
    """Period phrases of a header in order: 'quarter' or 'ytd' for each column group."""
    found = [(m.start(), "quarter") for m in QUARTER_WORDS.finditer(header)]
    found += [(m.start(), "ytd") for m in YEAR_TO_DATE_WORDS.finditer(header)]
    groups: list[str] = []
    last = -100
    for start, kind in sorted(found):
        if start - last < 12 and groups:
            if kind == "ytd":
                groups[-1] = "ytd"  # "12 months ended" read as both: the longer period wins
            continue
        groups.append(kind)
        last = start
    return groups


def _header_years(rows: tuple[tuple[str, ...], ...]) -> list[int]:
    """The years of the header row that gives one per amount column (dates, bare years, '4Q24')."""
    best: list[int] = []
    for cells in rows:
        years = []
        for cell in cells:
            quarter = QUARTER_YEAR.search(cell)
            found = YEAR.findall(cell)
            if quarter:
                yy = quarter.group(2) or quarter.group(4)
                years.append(int(yy) + (2000 if len(yy) == 2 else 0))
            elif found:
                years.append(int(found[-1]))
        if len(years) > len(best):
            best = years
    return best


def parse_cell(text: str) -> Cell | None:
    """An amount cell, or None when the cell is not a number (a footnote marker, a word)."""
    raw = text.strip()
    if raw in DASHES:
        return Cell(raw, None, raw.endswith("%"))
    if not NUMBER.match(raw) or _MARKER_CELL.fullmatch(raw):
        return None
    try:
        value = parse_decimal(raw)
    except NotANumber:
        return None
    return Cell(raw, value, "%" in raw)


def _label(text: str) -> str:
    """A row label without its footnote marks ('Net revenue13', 'Revenues (1)') or trailing colon."""
    text = FOOTNOTE.sub("", text).rstrip(":").strip()
    return re.sub(r"(?<=[a-z])\d{1,2}$", "", text)


def _is_years_row(cells: tuple[str, ...] | list[str], read: dict[str, Cell | None] | None = None) -> bool:
    """A header row of years ('2025 | 2024 | % Change | 2025 | 2024'): every number in it is a bare year."""
    numbers = [c for c in cells if (read[c] if read is not None else parse_cell(c)) is not None]
    return bool(numbers) and all(YEAR.fullmatch(c.strip()) for c in numbers)


def scale_word(match: re.Match[str]) -> Decimal:
    """The multiplier a SCALE match names ('in millions', '(in thousands)', '($M)')."""
    return scale_of(match.group(1) or match.group(2) or match.group(3))


def _scale_of(*texts: str) -> Decimal | None:
    for text in texts:
        match = SCALE.search(text)
        if match:
            return scale_word(match)
    return None


def _scales_so_far(texts: tuple[str, ...]) -> list[Decimal | None]:
    """For each position of the document's texts, the nearest statement of units before it (short texts only)."""
    found: list[Decimal | None] = [None]
    for text in texts:
        scale = _scale_of(text) if len(text) < 300 else None
        found.append(scale if scale is not None else found[-1])
    return found


def parse_tables(body: bytes, doc: str = "document") -> list[Table]:
    view = document_view(body, doc)
    tables = []
    nearest: list[Decimal | None] | None = None  # the document's units statement before each text, read once
    for raw in view.tables:
        rows: list[TableRow] = []
        header_rows: list[tuple[str, ...]] = []
        label_rows: list[str] = []
        for cells in raw.rows:
            read = {c: parse_cell(c) for c in cells}  # each cell read once
            at = next((i for i, c in enumerate(cells) if _WORD.search(c) and read[c] is None), None)
            if at is not None and at > 0 and any(read[c] is None for c in cells[:at]):
                at = None  # words before it: a header row, not a label in the middle of amounts
            label = _label(cells[at]) if at is not None else ""
            rest = [c for i, c in enumerate(cells) if i != at]
            values = [read[c] for c in rest]
            amounts = tuple(v for v in values if v is not None)
            if _is_years_row(cells, read) or (not rows and (not amounts or not label)):
                header_rows.append(tuple(cells))
                if label and not amounts:
                    label_rows.append(label)
                continue
            if label:  # a label with no amounts after the first amounts is a section ('Revenues:')
                rows.append(TableRow(label, amounts, tuple(rest)))
        header = " ".join(" ".join(r) for r in header_rows)
        scale = _scale_of(header, " ".join(label_rows[:3]), raw.caption[-250:])
        if scale is None:
            if nearest is None:
                nearest = _scales_so_far(view.texts)
            scale = nearest[raw.start]
        tables.append(Table(raw.index, raw.caption, header, scale, tuple(rows), tuple(header_rows)))
    return tables
