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
_HAS_VALUE = re.compile(r"\$\s?\d|\d\s?%|\d\s?percent|basis points")
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
    table_header: tuple[str, ...] = ()  # the last header row of an outlook table (its columns' periods, bases)


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
            if not re.search(r"[A-Za-z]", bare):
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
            if self._heading(line, context):
                continue
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

    def _heading(self, line: str, context: Context) -> bool:
        """An outlook heading opens a section (with its period); another heading closes it."""
        words = vocabulary()
        bare = _BULLET.sub("", line).strip()
        short = (len(bare.split()) <= 8 or (bare.endswith(":") and len(bare.split()) <= 12)) \
            and not bare.endswith(".") and not _HAS_VALUE.search(bare)
        if not short:
            return False
        future = self.future(self.periods.mentions(bare), bare)
        if words.outlook_heading.search(bare) and not words.boilerplate.search(bare):
            context.in_section = True
            context.section_period = context.period = future[0].period if future else None
            context.segment = None
            return True
        if context.in_section and not _BULLET.match(line) and title_case(bare) and not future \
                and not words.forward.search(bare):
            context.in_section = False
            context.period = context.section_period = None
            context.segment = None
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
        elif len(bare.split()) <= 4 and not vocabulary().forward.search(bare):
            context.segment, context.segment_mark = bare.rstrip(":").strip(), bullet_of(line)
        return True

    def _row(self, line: str, context: Context, index: int) -> list[Statement]:
        """An outlook-table row: one statement, or one per column when the table's header names each column's
        period or basis ('| Q1 FY27 | FY27', '| GAAP | Non-GAAP')."""
        cells = tuple(c.strip() for c in line.split(CELL_SEPARATOR))
        label = cells[0]
        if not context.in_section:
            return []
        if not any(_HAS_VALUE.search(c) for c in cells):
            context.table_header = cells if len(cells) >= 2 else ()
            return []
        if not any(_HAS_VALUE.search(c) for c in cells[1:]) or _HAS_VALUE.search(label):
            return []
        values = cells[1:]
        header = context.table_header[-len(values):] if len(values) >= 2 and len(context.table_header) in (
            len(values), len(cells)) else ()
        if not header:
            return [Statement(" | ".join(cells), True, context.period, context.segment, label=clean_sentence(label),
                              cells=cells, line_index=index, scale=context.table_scale)]
        found = []
        for heading, cell in zip(header, values, strict=True):
            future = self.future(self.periods.mentions(heading, context.period.fiscal_year if context.period
                                                        else None), heading)
            found.append(Statement(f"{label} | {cell}", True, future[0].period if future else context.period,
                                   context.segment, label=clean_sentence(label), cells=(label, cell),
                                   line_index=index, scale=context.table_scale, basis=basis_of(heading)))
        return found

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
