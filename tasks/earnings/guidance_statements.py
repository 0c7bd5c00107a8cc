"""Earnings-release lines → outlook statements (pure): sentences, bullets and outlook-table rows, each with the
period and segment it inherits from its lead-in ("For 2025, the Company expects:", "•Fiscal 2026:") or from the
outlook heading above it, and the footnotes outlook statements refer to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from tasks.earnings.guidance_periods import Mention, PeriodResolver
from tasks.earnings.guidance_subjects import after_comparison, basis_of, clause_of, clauses
from tasks.earnings.release_document import CELL_SEPARATOR, release_lines
from tasks.earnings.release_tables import SCALE as _SCALE
from tasks.earnings.release_tables import scale_word
from tasks.earnings.release_text import clean_sentence, sentences
from tasks.earnings.vocabulary import vocabulary
from tasks.fiscal import FiscalPeriod

_BULLET = re.compile(r"^[•●▪■◦○·\-–*►❖]\s*")
_LEAD_SEGMENT = re.compile(r"^(?P<seg>[A-Z][\w&'’/\- ]{1,40}?)(?:\(\d\))?:\s+(?=\S)")
_HAS_VALUE = re.compile(r"\$\s?\(?\d|\d\)?\s?%|\d\s?percent|basis points")
_PERIOD_ONLY = re.compile(r"[\s:()\-–—,]*(?:(?:ending|ended|for|the|of|outlook|targets?|guidance)\b[\s:()\-–—,]*)*",
                          re.I)
_TABLES_BELOW = re.compile(r"\b(?:following|below)\b.{0,40}\btables?\b|\btables?\b.{0,40}\b(?:following|below)\b", re.I)
_PLAIN_NUMBER = re.compile(r"\(?-?\$?\s?\d[\d,]*(?:\.\d+)?\s?\)?\s?%?")
_YEAR_CELL = re.compile(r"(?:19|20)\d{2}")
_CELL_PREFIX = re.compile(r"^(?P<prefix>[^:$%\d|]{1,30}):\s*(?=\S)")
_FOOTNOTE_LINE = re.compile(r"^\((\d{1,2}|[a-z])\)\s*(\S.*)$")
MARKER = re.compile(r"(?<=\w)\((\d{1,2}|[a-z])\)|\)\((\d{1,2}|[a-z])\)")


@dataclass
class Context:
    """Where the walk is: inside an outlook section or not, and the period and segment statements inherit."""

    in_section: bool = False
    section_period: FiscalPeriod | None = None
    period: FiscalPeriod | None = None
    segment: str | None = None
    segment_mark: str = ""  # the bullet of the segment's lead-in: a sibling bullet leaves the segment
    table_scale: Decimal | None = None  # the last '(in millions)' stated: the scale of the tables below it
    table_header: tuple[str, ...] = ()  # the last header row of a table (its columns' periods, bases, forecasts)
    header_above: tuple[str, ...] = ()  # the header row above that one (a two-row header: 'Projected …' over '2025')
    table_period: FiscalPeriod | None = None  # the one future period a table's header or title line names
    reconciliation: bool = False  # below a line that names an outlook reconciliation: reconciling items are no rows
    reconciliation_line: int = -10  # the line of the last reconciliation heading
    period_line: int = -10  # the line of the last period sub-heading ('Fiscal Year 2025', 'Q4 FY2024')


@dataclass
class Statement:
    text: str
    in_section: bool
    period: FiscalPeriod | None
    segment: str | None
    label: str | None = None  # an outlook-table row's label cell
    cells: tuple[str, ...] = ()
    line_index: int = 0
    scale: Decimal | None = None  # the '(in millions)' of the outlook table a row belongs to
    basis: str | None = None  # the basis its table column names ('GAAP', 'Non-GAAP')


@dataclass
class StatementReader:
    doc: str
    periods: PeriodResolver
    footnotes: list[tuple[int, str, str]] = field(default_factory=list)  # (line, marker, text)
    plans: dict[tuple[tuple[str, ...], str], list[tuple[int, FiscalPeriod, str | None]]] = field(default_factory=dict)

    def read(self, body: bytes) -> list[Statement]:
        """The statements of a release, in document order, each with the period and segment it inherits."""
        found: list[Statement] = []
        context = Context()
        lines = release_lines(body, self.doc)
        self.footnotes = [(i, m.group(1), m.group(2)) for i, line in enumerate(lines)
                          if (m := _FOOTNOTE_LINE.match(line))]
        referenced: dict[str, Context] = {}  # footnote markers used by outlook statements, with their context
        note_bullets = False
        for index, line in enumerate(lines):
            bare = _BULLET.sub("", line).strip()
            if not re.search(r"[A-Za-z]", bare) and CELL_SEPARATOR not in line:
                note_bullets = False  # a page number ends a footnote
                continue
            note = _FOOTNOTE_LINE.match(line)
            if note is not None:  # a footnote is outlook only when an outlook statement refers to it
                where = referenced.pop(note.group(1), None)  # the next footnote of that number, once
                if where is not None:
                    found.extend(Statement(s, True, where.period, where.segment, line_index=index)
                                 for s in sentences(note.group(2)))
                note_bullets = where is None
                continue
            if note_bullets and _BULLET.match(line):
                continue  # the bullets of a footnote that is not about the outlook
            note_bullets = False
            if context.in_section:
                for marker in (a or b for a, b in MARKER.findall(line)):
                    referenced.setdefault(marker, Context(True, context.section_period, context.period,
                                                          context.segment))
            stated = _SCALE.search(line)
            if CELL_SEPARATOR in line:
                if stated:
                    context.table_scale = scale_word(stated)
                found.extend(self._row(line, context, index))
                continue
            if stated and len(bare) < 120:  # '($ in millions)' above the tables that follow
                context.table_scale = scale_word(stated)
                if len(bare) < 60:
                    continue
            if self._heading(line, context, index):
                continue
            if context.in_section and vocabulary().reconciliation.search(bare) and _TABLES_BELOW.search(bare):
                context.reconciliation = True
                future = {m.period for m in self.future(self.periods.mentions(bare), bare)}
                context.table_period = future.pop() if len(future) == 1 else None
            if self._lead_in(bare, line, context):
                continue
            mark = bullet_of(line)
            if context.segment and mark and mark == context.segment_mark:
                context.segment = None  # a bullet at the level of the segment's lead-in: out of that segment
            segment = context.segment
            lead = _LEAD_SEGMENT.match(bare) if context.in_section else None
            if lead and not self.periods.mentions(lead.group("seg")):
                segment, bare = lead.group("seg").strip(), bare
            for sentence in sentences(bare):
                found.append(Statement(sentence, context.in_section, context.period, segment, line_index=index))
        return found

    def _heading(self, line: str, context: Context, index: int) -> bool:
        """An outlook heading opens a section (with its period); another heading closes it."""
        words = vocabulary()
        bare = _BULLET.sub("", line).strip()
        titled = bare.endswith(":") or (title_case(bare) and bool(words.reconciliation.search(bare)))
        short = (len(bare.split()) <= 8 or (titled and len(bare.split()) <= 12)) \
            and not bare.endswith(".") and not _HAS_VALUE.search(bare)
        if not short:
            return False
        future = self.future(self.periods.mentions(bare), bare)
        if words.outlook_heading.search(bare) and not words.boilerplate.search(bare):
            context.in_section = True
            kept = context.table_period if index - context.period_line <= 1 else None  # 'Q4 FY2024' / 'Outlook'
            context.section_period = context.period = future[0].period if future else kept
            context.segment, context.table_period = None, (None if future else kept)
            if words.reconciliation.search(bare):
                context.reconciliation, context.reconciliation_line = True, index
            elif index - context.reconciliation_line > 2:  # 'Q2 FY2024 Outlook' right under its reconciliation title
                context.reconciliation = False
            return True
        if context.in_section and not _BULLET.match(line) and title_case(bare) and not future \
                and not words.forward.search(bare):
            context.in_section = context.reconciliation = False
            context.period = context.section_period = context.table_period = None
            context.segment = None
            return True
        if context.in_section and future and not bare.endswith(":") and not _BULLET.match(line) \
                and len({m.period for m in future}) == 1 \
                and (_PERIOD_ONLY.fullmatch(_without_mentions(bare, future)) or title_case(bare)):
            # 'Fiscal Year 2025' above a table, 'First Quarter 2025 Considerations' above sentences: their period
            context.table_period = context.period = future[0].period
            context.segment, context.period_line = None, index
            return True
        return False

    def _lead_in(self, bare: str, line: str, context: Context) -> bool:
        """'For 2025, the Company expects:', '•Fiscal 2026:', '◦Entertainment:' set what follows inherits. Outside
        a section, a forward-looking lead-in naming a future period opens one ('The Company is providing the
        following guidance for its fiscal fourth quarter ending December 31, 2025:')."""
        if not bare.endswith(":") or _HAS_VALUE.search(bare):
            return False
        future = self.future(self.periods.mentions(bare), bare)
        if not context.in_section:
            if not (future and vocabulary().forward.search(bare)) or vocabulary().boilerplate.search(bare):
                return False
            context.in_section = True
            context.section_period = context.period = future[0].period
            context.segment = None
            return True
        if future:
            context.period, context.segment = future[0].period, None
        elif vocabulary().any_metric.search(bare) or vocabulary().measure_noun.search(bare):
            context.segment = None  # 'Operating margin:' above its rows: a measure, not a segment
        elif len(bare.split()) <= 4 and not vocabulary().forward.search(bare):
            context.segment, context.segment_mark = bare.rstrip(":").strip(), bullet_of(line)
        return True

    def _row(self, line: str, context: Context, index: int) -> list[Statement]:
        """A table row: one statement, or one per column when the table's header names each column's period or
        basis ('| Q1 FY27 | FY27', '| GAAP | Non-GAAP', '| Low | High') or a cell names its own basis ('GAAP: ~18%').
        Outside an outlook section only a column headed as a forecast of a period still to come is read."""
        cells = tuple(c.strip() for c in line.split(CELL_SEPARATOR))
        label = cells[0]
        if not any(_HAS_VALUE.search(c) for c in cells):
            if not any(_PLAIN_NUMBER.fullmatch(c) and not _YEAR_CELL.fullmatch(c) for c in cells[1:]):
                self._header(cells, context)  # 'Stock-based compensation | 4.33 | 4.33' is a row, not a header
            return []
        if not any(_HAS_VALUE.search(c) for c in cells[1:]) or _HAS_VALUE.search(label):
            return []
        if context.reconciliation and basis_of(label) is None:
            return []  # a reconciling item between the GAAP and the non-GAAP measure
        values = cells[1:]
        header = context.table_header[-len(values):] if len(values) >= 2 and len(context.table_header) in (
            len(values), len(cells)) else ()
        name = clean_sentence(label)
        base = context.table_period or context.period
        if not context.in_section:
            return self._forecast_columns(name, values, header, context, index) if header else []
        if len(header) == 2 and [h.lower() for h in header] == ["low", "high"]:
            text = f"{label} | {values[0]} to {values[1]}" if values[0] != values[1] else f"{label} | {values[0]}"
            return [Statement(text, True, base, context.segment, label=name, cells=cells, line_index=index,
                              scale=context.table_scale)]
        named = [_cell_basis(v) for v in values]
        if not header and len(values) >= 2 and all(
                n for n, v in zip(named, values, strict=True) if _HAS_VALUE.search(v)):
            header = tuple(n or "" for n in named)  # 'GAAP: $13.45 to $13.85 | Non-GAAP: $17.60 to $18.00'

        if not header:
            return [Statement(" | ".join(cells), True, base, context.segment, label=name,
                              cells=cells, line_index=index, scale=context.table_scale)]
        found = []
        for heading, cell in zip(header, values, strict=True):
            if not _HAS_VALUE.search(cell):
                continue
            future = self.future(self.periods.mentions(heading, base.fiscal_year if base else None), heading)
            found.append(Statement(f"{label} | {cell}", True, future[0].period if future else base,
                                   context.segment, label=name, cells=(label, cell), line_index=index,
                                   scale=context.table_scale, basis=basis_of(heading)))
        return found

    def _header(self, cells: tuple[str, ...], context: Context) -> None:
        """A row without values: the header of the table below (its columns); the one future period it names, in
        a table of one period, is the period of every row."""
        if len(cells) < 2:
            return
        context.header_above, context.table_header = context.table_header, cells
        if not context.in_section:
            return  # outside a section only forecast columns are read, from their own heading
        periods = [self.future(self._cell_periods(c), c) for c in cells]
        named = {m.period for found in periods for m in found}
        if len(named) == 1 and sum(1 for found in periods if found) == 1:
            context.table_period = named.pop()

    def _cell_periods(self, cell: str) -> list[Mention]:
        """The periods a header cell names; a cell that is only a year names that fiscal year."""
        if _YEAR_CELL.fullmatch(cell.strip()):
            return [Mention(0, len(cell), FiscalPeriod(int(cell.strip()), None))]
        return self.periods.mentions(cell)

    def _forecast_columns(self, name: str, values: tuple[str, ...], header: tuple[str, ...], context: Context,
                          index: int) -> list[Statement]:
        """The cells of a results table's forecast column: its header names a period still to come and says
        forecast, outlook or guidance ("Q1'25 Forecast")."""
        above = context.header_above[-1] if context.header_above else ""  # 'Projected …' over the last column
        plan = self._forecast_plan(header, above)
        return [Statement(f"{name} | {values[number]}", True, period, None, label=name, cells=(name, values[number]),
                          line_index=index, scale=context.table_scale, basis=basis)
                for number, period, basis in plan if _HAS_VALUE.search(values[number])]

    def _forecast_plan(self, header: tuple[str, ...], above: str) -> list[tuple[int, FiscalPeriod, str | None]]:
        """The forecast columns of a header, each with its period and basis (read once per header)."""
        key = (header, above)
        if key not in self.plans:
            words = vocabulary()
            plan = []
            for number, heading in enumerate(header):
                forecast = words.forecast_column.search(heading) or (
                    number == len(header) - 1 and words.forecast_column.search(above))
                future = self.future(self._cell_periods(heading), heading) if forecast else []
                if future:
                    plan.append((number, future[0].period, basis_of(heading)))
            self.plans[key] = plan
        return self.plans[key]

    def future(self, mentions: list[Mention], text: str) -> list[Mention]:
        """Mentions of periods still to come, not the base of a comparison ('up from Q3')."""
        spans = clauses(text)
        return [m for m in mentions if self.periods.is_future(m.period)
                and not after_comparison(text, clause_of(spans, m.start), m.start)]


def bullet_of(line: str) -> str:
    found = _BULLET.match(line)
    return found.group(0).strip() if found else ""


def title_case(text: str) -> bool:
    """A headline or heading: most of its longer words capitalised."""
    long_words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’\-]{3,}", text)]
    if not long_words:
        return False
    capitalised = sum(1 for w in long_words if w[0].isupper())
    return capitalised / len(long_words) >= 0.7


def _cell_basis(cell: str) -> str | None:
    """The words before a cell's colon when they name a basis ('GAAP: ~18.0%', 'Non-GAAP: $4.35 to $4.40')."""
    prefix = _CELL_PREFIX.match(cell)
    return prefix.group("prefix") if prefix and basis_of(prefix.group("prefix")) else None


def _without_mentions(text: str, mentions: list[Mention]) -> str:
    """``text`` with its period phrases cut out (what else a short line says besides its period)."""
    kept, start = [], 0
    for mention in mentions:
        kept.append(text[start:mention.start])
        start = mention.end
    kept.append(text[start:])
    return " ".join(kept)
