"""Segment revenue in release tables (pure), in the shapes releases print it:

- a block of rows under a revenue heading, closed by its total: the rows are segments when they add up to that
  total (components that add up to the row above them are nested under it, "Parent: Child");
- sections named by segment, each with its own revenue line ("North America: Net sales ...");
- segments as columns of one revenue row, the last column the total.

A block is taken from a segment table (a caption or label that says segment, or a table titled only "Revenues"),
never from a regional breakdown, and only when it adds up to the company's total revenue. Eliminations, corporate
and reconciling lines take part in the sum but are not segments. Values are in the table's own units.
"""

from __future__ import annotations

import re
from decimal import Decimal

from tasks.earnings.release_tables import Cell, Table, TableRow
from tasks.earnings.vocabulary import table_words

Found = tuple[str, str, Decimal, Cell]  # segment name, row label, value (table units), cell

_REVENUE_HEADING = re.compile(r"^(?:segment |total )?(?:net )?(?:revenues?|sales|operating revenues?)"
                              r"(?:\s*\(\w+\))?:?$|^revenues? by\b", re.I)
_REVENUE_WORDS = re.compile(r"\b(?:revenues?|sales)\b", re.I)
_PARENTHESES = re.compile(r"\s*\([^)]*\)\s*$")


def _close(a: Decimal, b: Decimal, parts: int) -> bool:
    """Equal within rounding: one unit per part, or 0.2%."""
    return abs(a - b) <= max(Decimal(parts), abs(b) * Decimal("0.002"))


def _is_segment_table(table: Table) -> bool:
    """A caption or label that says segment, a table titled only "Revenues", or a breakdown whose names come back
    in a later section of the same table (revenue, then operating profit, by the same units)."""
    words = table_words()
    title = re.sub(r"\s+", " ", table.caption).strip()
    labels = " ".join(r.label for r in table.rows[:2] if not r.cells)
    if words.segment_words.search(f"{title[-120:]} {table.header}"):
        return True  # 'Net sales by reportable segment': the company's own segments, regions included
    if words.geography_caption.search(f"{title[-120:]} {table.header}"):
        return False  # a regional breakdown of a company whose segments are something else
    if words.segment_words.search(labels):
        return True
    if words.statement_caption.search(f"{title[-150:]} {table.header}") or sum(
            1 for r in table.rows if words.income_statement_rows.match(r.label)) >= 2:
        return False  # the income statement's revenue lines (product, services, royalties) are not segments
    trailing = re.search(r"([A-Za-z][A-Za-z &,'’()/-]*)$", title)
    heading = re.sub(r"\((?:[^)]*)\)|\b(?:unaudited|in millions|dollars|\$)\b", " ", trailing.group(1) if trailing
                     else "", flags=re.I)
    if words.revenue_title.match(re.sub(r"\s+", " ", heading).strip()):
        return True
    inside = [re.sub(r"\s*\((?:[^)]*)\)\s*", " ", cells[0]).strip() for cells in table.header_rows if cells]
    if any(words.revenue_title.match(title) for title in inside):  # the title printed inside the table
        return True
    return _names_repeat(table)


def _names_repeat(table: Table) -> bool:
    sections: list[set[str]] = [set()]
    for row in table.rows:
        if not row.cells:
            sections.append(set())
        elif not _not_segment(row.label):
            sections[-1].add(row.label.lower())
    return any(len(a & b) >= 2 for i, a in enumerate(sections) for b in sections[i + 1:])


def _not_segment(label: str) -> bool:
    words = table_words()
    return bool(words.not_segment_prefix.match(label) or words.not_segment_label.match(label))


def _value(table: Table, row: TableRow, year: int) -> tuple[Decimal, Cell] | None:
    column = table.quarter_column(year, len(row.cells))
    if column is None or column >= len(row.cells):
        return None
    cell = row.cells[column]
    if cell.percent:
        return None
    return (cell.value if cell.value is not None else Decimal(0)), cell


def _nest(members: list[tuple[TableRow, Decimal, Cell]]) -> list[tuple[str, TableRow, Decimal, Cell, bool]]:
    """Rows that add up to the row just above them are its components, named "Parent: Child"; rows that add up
    to the row just below them (revenue types of a segment) are left out: (name, row, value, cell, top-level)."""
    members = _without_parts_above(members)
    out: list[tuple[str, TableRow, Decimal, Cell, bool]] = []
    i = 0
    while i < len(members):
        row, value, cell = members[i]
        out.append((row.label, row, value, cell, True))
        running, j = Decimal(0), i + 1
        while j < len(members) and running < value:
            running += members[j][1]
            j += 1
        if j - i > 2 and _close(running, value, j - i - 1):
            for child, child_value, child_cell in members[i + 1:j]:
                out.append((f"{row.label}: {child.label}", child, child_value, child_cell, False))
            i = j
            continue
        i += 1
    return out


def _without_parts_above(members: list[tuple[TableRow, Decimal, Cell]]) -> list[tuple[TableRow, Decimal, Cell]]:
    dropped: set[int] = set()
    for j, (_, total, _) in enumerate(members):
        running = Decimal(0)
        for i in range(j - 1, -1, -1):
            running += members[i][1]
            if running == total and j - i >= 2:
                dropped.update(range(i, j))
                break
            if running > total:
                break
    return [m for k, m in enumerate(members) if k not in dropped]


def row_segments(table: Table, year: int, total: Decimal | None) -> list[Found]:
    """Segments of a block of rows (or of per-segment sections) that adds up to the company's total revenue."""
    if total is None or table.scale is None:
        return []
    segment_table = _is_segment_table(table)
    if not (segment_table or any(not r.cells and table_words().segment_words.search(r.label) for r in table.rows)):
        return []
    company = total / table.scale
    found = _blocks(table, year, company, segment_table) or _sections(table, year, company)
    if not found and any(not r.cells for r in table.rows):  # sections closed by their own total line
        found = _section_totals(table, year, company)
    return found


def _blocks(table: Table, year: int, company: Decimal, segment_table: bool) -> list[Found]:
    words = table_words()
    rows = list(table.rows)
    # a heading that names segments ('Net sales by reportable segment:') opens a block even inside a statement, and
    # its rows are the company's segments whether they are business lines or regions
    declared = {i for i, r in enumerate(rows) if not r.cells and words.segment_words.search(r.label)
                and _REVENUE_WORDS.search(r.label)}
    starts = [i for i, r in enumerate(rows) if not r.cells and (_REVENUE_HEADING.match(r.label) or i in declared)]
    if rows and rows[0].cells and segment_table:
        starts.insert(0, -1)  # a table whose first rows are the breakdown (its heading in the caption or header)
    for start in starts:
        members: list[tuple[TableRow, Decimal, Cell]] = []
        for row in rows[start + 1:]:
            if not row.cells:
                break
            value = _value(table, row, year)
            if value is None:  # a line printed for another period only (a blank cell): nothing this quarter
                if _not_segment(row.label):
                    continue
                break
            if row.label.lower().startswith(("total", "consolidated")) or any(
                    p.match(row.label) for p in words.revenue_totals):
                if members and _close(value[0], company, len(members) + 1):
                    nested = _nest(members)
                    top = sum((v for _, _, v, _, is_top in nested if is_top), Decimal(0))
                    if _close(top, value[0], len(members)) and (start in declared or not all(
                            words.geography.match(_PARENTHESES.sub("", r.label)) for r, _, _ in members)):
                        return [(_name(name), row.label, v, cell) for name, row, v, cell, _ in nested
                                if not _not_segment(row.label) and cell.value is not None]
                break
            members.append((row, *value))
    return []


def _sections(table: Table, year: int, company: Decimal) -> list[Found]:
    """'North America' / 'Net sales' / ..., 'International' / 'Net sales' / ...: one revenue line per section."""
    found: list[Found] = []
    last = table.header_rows[-1] if table.header_rows else ()
    section: str | None = last[0] if len(last) == 1 and not re.search(r"\d", last[0]) else None
    for row in table.rows:
        if not row.cells:
            section = row.label
            continue
        if section and _REVENUE_HEADING.match(row.label) and not _not_segment(section):
            value = _value(table, row, year)
            if value is not None:
                found.append((_name(section), row.label, *value))
            section = None
    if len(found) >= 2 and _close(sum((v for _, _, v, _ in found), Decimal(0)), company, len(found)):
        return found
    return []


def _section_totals(table: Table, year: int, company: Decimal) -> list[Found]:
    """Sections named by segment, each closed by its own "Total" line (a segment's product lines above it), then
    segment rows at the top level, up to the company's total: 'North America' / Footwear / Apparel / Total, …,
    'Other Brand', 'Total Brand' (a group: the rows above add up to it), 'Corporate', 'Total revenues'."""
    last = table.header_rows[-1] if table.header_rows else ()
    section: str | None = last[0] if len(last) == 1 and not re.search(r"\d", last[0]) else None
    members: list[tuple[str, TableRow, Decimal, Cell]] = []
    for row in table.rows:
        if not row.cells:
            section = row.label
            continue
        value = _value(table, row, year)
        if value is None:
            continue
        closing = row.label.lower().startswith("total")
        if section is not None:
            if closing and row.label.strip().lower() in ("total", "total revenues", "total net sales"):
                members.append((section, row, *value))
                section = None
            continue
        if closing and members and _close(value[0], company, len(members)):
            break
        members.append((row.label, row, *value))
    else:
        return []
    kept: list[tuple[str, TableRow, Decimal, Cell]] = []
    running, groups = Decimal(0), 0
    for name, row, amount, cell in members:
        if len(kept) - groups >= 2 and _close(running, amount, len(kept)) and row.label.lower().startswith("total"):
            kept.append((re.sub(r"^total\s+", "", name, flags=re.I), row, amount, cell))  # a group of the rows above
            groups += 1
            continue
        kept.append((name, row, amount, cell))
        running += amount
    if len(kept) - groups < 2 or sum(1 for n, *_ in kept if not _not_segment(n)) < 3 \
            or not _close(running, company, len(kept)):
        return []
    return [(_name(name), row.label, amount, cell) for name, row, amount, cell in kept if not _not_segment(name)]


def column_segments(table: Table, total: Decimal | None) -> list[Found]:
    """One revenue row whose columns are segments and whose last column is their total (named by a header row)."""
    if total is None or table.scale is None or (not _is_segment_table(table) and not table_words().column_table.search(
            f"{table.caption[-200:]} {table.header}")):
        return []
    company = total / table.scale
    for row in table.rows:
        if not re.search(r"\b(?:net )?revenues?\b|\bnet sales\b", row.label, re.I) or len(row.cells) < 3:
            continue
        values = [c.value for c in row.cells]
        if any(v is None for v in values) or any(c.percent for c in row.cells):
            continue
        *parts, last = [v for v in values if v is not None]
        if not (_close(sum(parts, Decimal(0)), last, len(parts)) and _close(last, company, len(parts))):
            continue
        names = _column_names(table, len(row.cells))
        if names is None:
            continue
        return [(_name(name), row.label, value, cell) for name, value, cell in
                zip(names[:-1], parts, row.cells[:-1], strict=True) if not _not_segment(name)]
    return []


def _column_names(table: Table, columns: int) -> list[str] | None:
    for cells in table.header_rows:
        names = [c for c in cells if re.search(r"[A-Za-z]", c) and not re.search(r"\b(?:19|20)\d{2}\b", c)]
        if len(names) == columns + 1 and re.search(r"millions|thousands|\$", names[0], re.I):
            names = names[1:]
        if len(names) == columns and _not_segment(names[-1]):
            return names
    return None


def _name(label: str) -> str:
    """A segment name as printed, without a trailing footnote mark."""
    return re.sub(r"\s*(?:\(\d{1,2}\)|\([a-z]\)|\*+)\s*$", "", label).strip()


def table_segments(tables: list[Table], year: int, totals: list[Decimal]) -> list[tuple[Table, Found]]:
    """One table per segment ("Results for Retail", with its own revenue line): the segments, when those tables'
    revenue lines add up to one of the company's totals (reported or managed)."""
    words = table_words()
    found: list[tuple[Table, Found]] = []
    for table in tables:
        if not table.header_rows or table.scale is None:
            continue
        titled = words.segment_table_title.match(table.header_rows[0][0])
        row = next((r for r in table.rows if _REVENUE_HEADING.match(r.label)), None)
        if titled is None or row is None:
            continue
        value = _value(table, row, year)
        if value is not None:
            found.append((table, (_name(titled.group("name")), row.label, value[0] * table.scale, value[1])))
    amounts = sum((f[2] for _, f in found), Decimal(0))
    if len(found) >= 2 and any(_close(amounts, total, len(found) * 10**6) for total in totals):
        return [(t, f) for t, f in found if not _not_segment(f[0])]
    return []
