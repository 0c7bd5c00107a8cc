"""Earnings-release outlook → guidance rows (pure: bytes in, rows out).

Rules describe how releases are written, not how one company writes: an outlook section (a short heading naming
outlook or guidance) holds statements — sentences, bullets, outlook-table rows — whose period is their own, else
their lead-in's ("For 2025, the Company expects:", "•Fiscal 2026:"), else the heading's. Outside a section a
sentence counts when it is forward-looking and states a value for a future period. Each value becomes a row:
its metric from the subject it states (vocabulary in schemas/release_vocabulary.yaml), its basis, sign and
qualifier. Comparisons, earlier figures, dividends, buybacks and share counts are not rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.earnings.guidance_periods import Mention, PeriodResolver
from tasks.earnings.guidance_statements import MARKER, Statement, StatementReader, title_case
from tasks.earnings.guidance_subjects import (
    Subject,
    after_comparison,
    bases_in_order,
    basis_of,
    clause_of,
    clauses,
    is_historical,
    is_negative,
    subjects_of,
)
from tasks.earnings.guidance_values import Value, bounds, find_values, tolerance_text
from tasks.earnings.vocabulary import vocabulary
from tasks.errors import ParseError
from tasks.fiscal import FiscalPeriod

MAX_SENTENCE = 700


@dataclass
class GuidanceParser:
    doc: str
    issued: date
    fiscal_year_end: str
    periods: PeriodResolver = field(init=False)
    issues: list[ParseError] = field(default_factory=list)
    reader: StatementReader = field(init=False)
    quarter_stated: FiscalPeriod | None = None  # the first quarter the statement being read gave a row for
    unread: list[ParseError] = field(default_factory=list)  # outlook statements that gave no row, and why not
    undecided: int = 0  # values of the statement being read that no rule placed (no period, no subject)

    def __post_init__(self) -> None:
        self.periods = PeriodResolver(self.issued, self.fiscal_year_end)
        self.reader = StatementReader(self.doc, self.periods)

    # -- statements to rows ---------------------------------------------------------------------------------
    def rows(self, statement: Statement) -> list[dict[str, Any]]:
        words = vocabulary()
        text = analysed(statement.text)  # same length: offsets into it are offsets into the sentence
        if len(text) > MAX_SENTENCE or words.boilerplate.search(text):
            return []
        if not statement.in_section and (not words.forward.search(text) or title_case(text)):
            return []
        spans = clauses(text)
        mentions = self.periods.mentions(text, statement.period.fiscal_year if statement.period else None)
        rows: list[dict[str, Any]] = []
        values = find_values(text)
        previous: Subject | None = None
        skip_next = False
        for number, value in enumerate(values):
            if skip_next:
                skip_next = False
                continue
            clause = clause_of(spans, value.start)
            if value.verbal and value.verbal.startswith("verbal_slightly"):
                skip_next = True  # "slightly below the low end of the $27 to $29 billion range": a reference
            if _excluded(text, clause, values, number) \
                    or after_comparison(text, clause, value.start) or is_historical(text, value.start):
                continue  # decided: not an outlook value
            paired = self._paired_periods(text, clause, value, mentions)
            if paired:  # 'For 2026 and 2025, ... 12% and 13%, respectively': one value per period
                for each_period, each in paired:
                    rows.extend(self._value_rows(statement, text, clause, replace(value, kind="single",
                                                 values=(each,)), subjects_of(text, clause, value, None, previous)[0],
                                                 each_period))
                continue
            period = self._period_for(text, clause, value, mentions, statement)
            if period is None and not any(clause.start <= m.start < clause.end for m in mentions):
                self.undecided += 1  # no period anywhere: a parse issue, not a guess
            if period is None or not self.periods.is_future(period):
                continue
            found = subjects_of(text, clause, value, statement.label and without_footnote_marks(statement.label),
                                previous)
            self.undecided += 0 if found else 1
            for subject in found:
                if statement.basis is not None:  # the basis its column or cell names ('GAAP: $1.05 to $1.15')
                    subject = Subject(subject.metric, subject.detail, statement.basis, subject.phrase)
                if subject.basis is None and subject.metric == "other" and value.unit == "percent" \
                        and _IMPACT_WORDS.search(text[value.end:value.end + 40]):
                    # 'Comparable EPS (non-GAAP) growth is expected to include ... a 2% headwind from structural
                    # changes': an impact on the measure the sentence is about has that measure's basis
                    subject = Subject(subject.metric, subject.detail, basis_of(text[:values[0].start]), subject.phrase)
                if subject.basis is None and self._footnote_says_non_gaap(statement, subject,
                                                                          text[value.end - 1:clause.end]):
                    subject = Subject(subject.metric, subject.detail, "non_gaap", subject.phrase)
                if statement.segment and subject.metric == "other" and not str(subject.detail).startswith(
                        _slug(statement.segment)):
                    subject = Subject("other", f"{_slug(statement.segment)}_{subject.detail}", subject.basis,
                                      subject.phrase)
                rows.extend(self._value_rows(statement, text, clause, value, subject, period))
                if period.quarter and self.quarter_stated is None:
                    self.quarter_stated = period
            previous = found[0] if found else previous
        return rows

    def _paired_periods(self, text: str, clause: Any, value: Value,
                        mentions: list[Mention]) -> list[tuple[FiscalPeriod, Decimal]]:
        """The future periods a 'respectively' pair is distributed over, each with its value, when the clause names
        two periods before it and not two bases."""
        head = text[clause.start:value.start]
        if value.kind != "pair" or len(bases_in_order(head)) == 2:  # 'GAAP and non-GAAP … respectively': the bases
            return []
        named = list(dict.fromkeys(m.period for m in mentions if clause.start <= m.start < value.start))
        if len(named) == 1 and named[0].quarter is None:  # 'For 2026 and 2025': the second year written bare
            listed = [FiscalPeriod(int(y), None) for y in re.findall(r"(?<![\d,] )\b((?:19|20)\d{2})\b", head)]
            named = list(dict.fromkeys(listed)) if named[0] in listed else named
        if len(named) != 2 or not subjects_of(text, clause, value, None, None):
            return []
        return [(period, each) for period, each in zip(named, value.values, strict=False)
                if self.periods.is_future(period)]

    def _footnote_says_non_gaap(self, statement: Statement, subject: Subject, tail: str) -> bool:
        """A marker on the measure — in its subject words, or after the value before any other measure or verb —
        whose footnote (the next one of that number) calls the measure non-GAAP."""
        words = vocabulary()
        cut = min((m.start() for m in (words.forward.search(tail), words.any_metric.search(tail)) if m), default=None)
        near = f"{subject.phrase} {tail[:cut]}"
        for marker in (a or b for a, b in MARKER.findall(near)):
            note = next((t for i, n, t in self.reader.footnotes if n == marker and i > statement.line_index), None)
            if note is not None and re.search(r"\bnon-gaap\b", note, re.I):
                return True
        return False

    def _period_for(self, text: str, clause: Any, value: Value, mentions: list[Mention],
                    statement: Statement) -> FiscalPeriod | None:
        """The period named nearest the value in its clause (a past one makes the value historical: None), else the
        inherited period, else the sentence's first future period. A past period separated from the value by a
        forward verb ('fiscal 2024 results, operating income is expected to ...') does not govern it."""
        spans = clauses(text)
        words = vocabulary()
        governing = []
        for mention in mentions:
            if not clause.start <= mention.start < clause.end or after_comparison(text, clause, mention.start):
                continue
            between = text[min(mention.end, value.end):max(mention.start, value.start)]
            if not self.periods.is_future(mention.period) and words.forward.search(between):
                continue
            governing.append(mention)
        if governing:
            right_after = [m for m in governing if 0 <= m.start - value.end <= 3]  # '$16 billion in 2026'
            nearest = right_after[0] if right_after else min(
                governing, key=lambda m: (m.end > value.start, abs(m.start - value.start)))
            return nearest.period if self.periods.is_future(nearest.period) else None
        if statement.period is not None:
            return statement.period
        usable = [m for m in mentions if self.periods.is_future(m.period)
                  and not after_comparison(text, clause_of(spans, m.start), m.start)]
        return usable[0].period if usable and statement.label is None else None

    def _value_rows(self, statement: Statement, text: str, clause: Any, value: Value, subject: Subject,
                    period: FiscalPeriod) -> list[dict[str, Any]]:
        """The rows of one value (``text``: the statement as the rules read it)."""
        bases: list[str | None] = [subject.basis]
        head = text[clause.start:value.start].lower()
        if re.search(r"\bgaap and non-gaap\b", head) and statement.label is None:
            bases = ["gaap", "non_gaap"]
        if value.kind == "pair" and len(bases) != 2:  # 'adjusted and reported margins of 14% and 12%, respectively'
            named = bases_in_order(head)
            bases = named if len(named) == 2 else (["gaap", "non_gaap"] if basis_of(head) else [subject.basis] * 2)
        sign = Decimal(-1) if is_negative(text, clause, value, value.start, subject.metric) else Decimal(1)
        if statement.scale is not None and value.unit == "USD" and not value.scaled and subject.detail != "eps_diluted":
            sign *= statement.scale  # an outlook table "(in millions)": $5,150 is 5.15 billion
        rows = []
        if value.kind == "pair":
            for basis, each in zip(bases, value.values, strict=False):
                rows.append(self._row_dict(statement, period, subject, basis, value, each * sign))
        elif value.kind == "range":
            low, high = (v * sign for v in value.values[:2])
            rows.extend(self._row_dict(statement, period, subject, b, value, None, (min(low, high), max(low, high)))
                        for b in bases)
        else:
            point = value.values[0] * sign if value.values else None
            rows.extend(self._row_dict(statement, period, subject, b, value, point) for b in bases)
        return rows

    def _row_dict(self, statement: Statement, period: FiscalPeriod, subject: Subject, basis: str | None, value: Value,
                  point: Decimal | None, span: tuple[Decimal, Decimal] | None = None) -> dict[str, Any]:
        low = high = None
        if value.kind == "verbal":
            qualifier, point = value.verbal or "verbal", None
        elif span is not None:
            low, high = span
            qualifier = "range"
            if value.values[0] > value.values[1]:
                raise ParseError(self.doc, statement.text[:80], f"range low {value.values[0]} > high "
                                                                 f"{value.values[1]}")
        elif value.bound is not None and point is not None:
            low, qualifier, point = point, value.bound, None
        elif point is not None and value.tolerance is not None:
            low, high = bounds(point, value)
            qualifier = "plus_minus"
        elif point is not None:
            low = high = point
            qualifier = "approximately" if value.approximately else "point"
        else:
            qualifier = "point"
        end = self.periods.end(period)
        return {
            "fiscal_period": period.label, "fiscal_year": period.fiscal_year,
            "calendar_period": period.calendar_label(end),
            "metric": subject.metric, "metric_detail": subject.detail, "basis": basis, "unit": value.unit,
            "low": low, "high": high, "point": point, "tolerance": tolerance_text(value), "qualifier": qualifier,
            "sentence": statement.text,
        }

    # -- the whole document ---------------------------------------------------------------------------------
    def parse(self, body: bytes) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []
        recent: tuple[int, FiscalPeriod] | None = None  # the line and quarter of the last statement that gave rows
        for statement in self.reader.read(body):
            if statement.period is None and recent is not None and statement.line_index - recent[0] <= 1:
                statement.period = recent[1]  # "Our guidance assumes ...": the period the paragraph is about
            self.quarter_stated, self.undecided = None, 0
            rows = self.rows(statement)
            found.extend(rows)
            if not rows and self.undecided and (statement.in_section or any(
                    self.periods.is_future(m.period) for m in self.periods.mentions(statement.text))):
                self.unread.append(ParseError(
                    self.doc, f"guidance line {statement.line_index}: {statement.text[:60]}",
                    f"outlook statement produced no row (no period or measure read): {statement.text[:300]!r}"))
            if self.quarter_stated is not None:
                recent = (statement.line_index, self.quarter_stated)
        return self._one_per_key(found)

    def _one_per_key(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """One row per key: repeats of a statement (a headline, a table row and its prose) collapse; two different
        values for one key keep the first and record a parse issue naming both statements."""
        kept: dict[tuple[Any, ...], dict[str, Any]] = {}
        for row in rows:
            key = (row["fiscal_period"], row["metric"], row["metric_detail"], row["basis"])
            first = kept.get(key)
            values = (row["low"], row["high"], row["point"], row["qualifier"])
            if first is not None and row["metric"] == "other" and first["sentence"] != row["sentence"] \
                    and (first["low"], first["high"], first["point"], first["qualifier"]) != values:
                # another statement about a measure of the same name: named more specifically by its sentence
                lead = _slug(" ".join(row["sentence"].split()[:4]))
                row = {**row, "metric_detail": f"{row['metric_detail']}__{lead}"}
                key = (row["fiscal_period"], row["metric"], row["metric_detail"], row["basis"])
                first = kept.get(key)
            if first is None:
                kept[key] = row
            elif _same_figure(first, row) and _spread(first) == 0 < _spread(row):
                kept[key] = row  # a headline's '$11.0 billion' gives way to the outlook's '…, plus or minus 2%'
            elif (first["low"], first["high"], first["point"], first["qualifier"]) != values \
                    and not _same_figure(first, row):
                self.issues.append(ParseError(
                    self.doc, f"guidance {'/'.join(str(k) for k in key if k)}",
                    f"two statements give this key different values; kept {first['sentence'][:160]!r}, "
                    f"left out {row['sentence'][:160]!r}"))
        return _with_stated_basis(list(kept.values()))


def _with_stated_basis(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A figure stated once without its basis and again with it (a prose summary and the outlook table's GAAP
    column) is one figure: the row that names the basis stays."""
    based = {(r["fiscal_period"], r["metric"], r["metric_detail"], r["low"], r["high"], r["point"])
             for r in rows if r["basis"] is not None}
    return [r for r in rows if r["basis"] is not None
            or (r["fiscal_period"], r["metric"], r["metric_detail"], r["low"], r["high"], r["point"]) not in based]


def _center(row: dict[str, Any]) -> Decimal | None:
    if row["point"] is not None:
        return Decimal(row["point"])
    if row["low"] is not None and row["high"] is not None:
        return (Decimal(row["low"]) + Decimal(row["high"])) / 2
    return None


_IMPACT_WORDS = re.compile(r"^\W*(?:[A-Za-z/&-]+\s+){0,2}(?:headwinds?|tailwinds?|impacts?)\b", re.I)
_GLUED_MARK = re.compile(r"(?<=[A-Za-z]{3})\d(?=[\s,;:.)]|$)|^\d(?=[A-Z][a-z])")


def without_footnote_marks(text: str) -> str:
    """``text`` with footnote digits glued to a word blanked ('non-GAAP1 operating expenses', '1Targets assume'),
    keeping every other character where it was."""
    return _GLUED_MARK.sub(" ", text)


def _excluded(text: str, clause: Any, values: list[Value], number: int) -> bool:
    """A value about dividends, buybacks, share counts or people: its own words (from the value before it to the
    value after it) name one, or its clause does and its own words name no measure of their own ('..., non-GAAP tax
    rate of ~18% and diluted share count of ~400 million': only the last value is a share count)."""
    words = vocabulary()
    start = max(clause.start, values[number - 1].end if number else clause.start)
    end = min(clause.end, values[number + 1].start if number + 1 < len(values) else clause.end)
    own = text[start:end]
    if words.excluded_subject.search(own):
        return True
    return bool(words.excluded_subject.search(text[clause.start:clause.end])) and not (
        words.measure_noun.search(own) or words.any_metric.search(own))


# A relative clause inserted between a measure and its verb: 'capital expenditures, which include X, to be'.
_INSERTED = re.compile(r",\s+(?:which|that|who)\s+[^,.;$%]{1,80},(?=\s+(?:to|is|are|was|were|will|should|would|"
                       r"remains?|continues?)\b)", re.I)


def analysed(text: str) -> str:
    """The text the rules read: footnote marks and inserted relative clauses blanked, every other character where
    it was (offsets into it are offsets into the sentence as printed)."""
    return _INSERTED.sub(lambda m: " " * len(m.group(0)), without_footnote_marks(text))


def _spread(row: dict[str, Any]) -> Decimal:
    """How wide a row's stated range is (0 for a point)."""
    if row["low"] is None or row["high"] is None:
        return Decimal(0)
    return Decimal(row["high"]) - Decimal(row["low"])


def _same_figure(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """One figure stated twice, once rounded ('approximately $5.2 billion' and a table's '$5,150' million)."""
    x, y = _center(a), _center(b)
    return x is not None and y is not None and abs(x - y) <= abs(max(x, y, key=abs)) * Decimal("0.02")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def parse_guidance_with_issues(body: bytes, *, doc: str, issued: date,
                               fiscal_year_end: str) -> tuple[list[dict[str, Any]], list[ParseError]]:
    """Every numeric (or verbal) outlook statement of a release as rows, and the parser's decisions on conflicts."""
    rows, issues, _unread = read_guidance(body, doc=doc, issued=issued, fiscal_year_end=fiscal_year_end)
    return rows, issues


def read_guidance(body: bytes, *, doc: str, issued: date,
                  fiscal_year_end: str) -> tuple[list[dict[str, Any]], list[ParseError], list[ParseError]]:
    """Rows, the parser's decisions on conflicts, and the outlook statements it could not read (each with its
    text: a statement in an outlook context, or a forward-looking one, whose values got no period or measure)."""
    parser = GuidanceParser(doc, issued, fiscal_year_end)
    rows = parser.parse(body)
    return rows, parser.issues, parser.unread


def parse_guidance(body: bytes, *, doc: str, issued: date, fiscal_year_end: str) -> list[dict[str, Any]]:
    """Every numeric (or verbal) outlook statement of a release as rows; none when there is no outlook."""
    return parse_guidance_with_issues(body, doc=doc, issued=issued, fiscal_year_end=fiscal_year_end)[0]
