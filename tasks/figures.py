"""Numeric claims in news text (Chinese in both scripts, and English) → figure rows (pure).

Each figure keeps its value in base units, unit, qualifier, the exact clause it came from, the company it is
about (named in its clause, else earlier in its sentence or paragraph, else the company the article is about),
its period (the period written nearest before it, else in its paragraph or the lead-in above it; see
``tasks.news_periods``) and what it measures (``tasks.figure_metrics``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.entities import Entity, EntityIndex
from tasks.figure_metrics import Place, is_forward, measure_before, read
from tasks.figure_numbers import Number, numbers_in
from tasks.fiscal import nominal_period_end
from tasks.news_periods import Mention, calendar_of, comparison_of, label, mentions
from tasks.news_text import Folded, clauses, fold, is_heading, is_lead_in, paragraphs, sentences
from tasks.news_vocabulary import news_vocabulary

PARENS = re.compile(r"\([^()]*\)|（[^（）]*）")


@dataclass(frozen=True)
class Figure:
    entity: str | None
    ticker: str | None
    cik: str | None
    metric: str
    segment: str | None
    basis: str | None
    period: str | None
    period_normalized: str | None
    calendar_period: str | None
    value: Decimal
    value_high: Decimal | None
    unit: str
    qualifier: str | None
    tolerance: str | None
    quote: str
    rounding: Decimal  # place value of the last digit as written: "25.3億" → 1e7 (a claim agrees within half)

    def as_row(self) -> dict[str, Any]:
        return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def _blank_parens(text: str) -> str:
    return PARENS.sub(lambda m: " " * len(m.group(0)), text)


def _after(period: str | None, fye: str | None, published: date | None) -> bool:
    """The period ends after the article's date (the figure is about the future)."""
    if not period or not published:
        return False
    fiscal = re.fullmatch(r"FY(\d{4})(?:Q([1-4]))?", period)
    if fiscal and fye:
        return nominal_period_end(int(fiscal.group(1)), int(fiscal.group(2)) if fiscal.group(2) else None,
                                  fye) > published
    year = re.match(r"(\d{4})", period)
    return bool(year) and int(year.group(1)) > published.year if year else False


class FigureExtractor:
    def __init__(self, entities: EntityIndex, *, published: str | None = None) -> None:
        self.entities = entities
        self.published = date.fromisoformat(published[:10]) if published else None

    def extract(self, text: str) -> list[Figure]:
        folded = fold(text)
        t = folded.text
        main = self._main_entity(t)
        # A results announcement names its quarter ("the fourth quarter ended January 26, 2025"): figures that
        # state no period of their own (a highlight above that sentence, too) are about that quarter.
        reported = next((m for m in mentions(t) if m.kind == "quarter_end"), None)
        figures: list[Figure] = []
        seen: set[tuple[str, Decimal, str]] = set()
        section_segment: str | None = None
        lead: Mention | None = None
        for ps, pe in paragraphs(t):
            line = t[ps:pe]
            if is_heading(line):
                section_segment, lead = self.entities.segment_in(line), None
                continue
            state = _Paragraph(lead or reported, section_segment, main)
            for ss, se in sentences(t, ps, pe):
                for figure in self._sentence(folded, ss, se, state):
                    key = (figure.quote, figure.value, figure.unit)
                    if key not in seen:  # the same clause printed twice (a page repeating its body)
                        seen.add(key)
                        figures.append(figure)
            if is_lead_in(line):
                lead = state.period
        return figures

    def _main_entity(self, text: str) -> Entity | None:
        counts = Counter(e.name for e in self.entities.mentions(text))
        ranked = counts.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[0][1] < 2 * ranked[1][1]):
            return None
        return next(e for e in self.entities.entities if e.name == ranked[0][0])

    def _sentence(self, folded: Folded, ss: int, se: int, state: _Paragraph) -> list[Figure]:
        vocab = news_vocabulary()
        sent = folded.text[ss:se]
        periods = mentions(sent)
        out: list[Figure] = []
        sentence_entity: Entity | None = None
        previous: tuple[Figure, int] | None = None  # the sentence's last figure and where it ends
        for cs, ce in clauses(sent, 0, len(sent)):
            clause = sent[cs:ce]
            hint = state.measure
            named_here = self._named(self.entities.mentions(_blank_parens(clause)))
            who = named_here or sentence_entity or state.entity or state.main
            state.segment = self.entities.segment_in(clause, who.ticker if who else None) or state.segment
            for index, n in enumerate(numbers_in(sent, cs, ce)):
                qualifier = n.qualifier
                if previous is not None:
                    between = sent[previous[1]:n.start]
                    if vocab.plus_minus.search(between):  # "$43.0 billion, plus or minus 2%"
                        out[-1] = replace(out[-1], qualifier="plus_minus",
                                          tolerance=folded.quote(ss + n.start, ss + n.end).strip())
                        previous = None
                        continue
                    if qualifier is None and re.fullmatch(r"\s*(?:and|和|与|及)\s*", between):
                        qualifier = previous[0].qualifier  # "approximately $5.2 billion and $3.6 billion"
                named_before = self._named(self.entities.mentions(_blank_parens(sent[cs:n.start])))
                entity = named_before or named_here or sentence_entity or state.entity or state.main
                when = self._when(sent, periods, cs, ce, n, state.period)
                fye = entity.fiscal_year_end if entity else None
                normalized = label(when.mention, fye, self.published, forward=is_forward(sent[:n.start])) \
                    if when.mention else None
                reading = read(Place(sent, cs, ce, n.start, n.end, n.unit, _after(normalized, fye, self.published),
                                     when.starting, hint, state.segment, when.compared), index)
                mention = when.mention
                if reading.metric.endswith("_peak"):  # the best of some past periods, none in particular
                    mention = normalized = None
                if reading.metric in vocab.investor_measures:  # a fund's figure: only what its own clause says
                    entity = named_before or named_here
                    mention = self._period_for([m for m in periods if not m.base and cs <= m.start and m.end <= ce],
                                               cs, ce, n.start, n.end)
                    normalized = label(mention, entity.fiscal_year_end if entity else None, self.published) \
                        if mention else None
                quote = folded.quote(ss + cs, ss + ce).strip().strip("「」“”\"").rstrip(",，;；:：、")
                figure = Figure(entity.name if entity else None, entity.ticker if entity else None,
                                entity.cik if entity else None, reading.metric, reading.segment, reading.basis,
                                mention.text if mention else None, normalized,
                                calendar_of(normalized, entity.fiscal_year_end if entity else None),
                                n.value, n.high, n.unit, qualifier,
                                None, quote, n.rounding)
                out.append(figure)
                previous = (figure, n.end)
            sentence_entity = named_here or sentence_entity
            measured = measure_before(clause)
            state.measure = measured[1] if measured else state.measure
        state.entity = sentence_entity or state.entity
        own = [m for m in periods if not m.base]
        if own:
            state.period = own[-1]
        return out

    def _when(self, sent: str, periods: list[Mention], cs: int, ce: int, n: Number,
              carried: Mention | None) -> _When:
        """The figure's period, whether it is a starting value, and what a change in it is measured against."""
        vocab = news_vocabulary()
        bases = [m for m in periods if m.base and cs <= m.start and m.end <= n.start]
        own = [m for m in periods if not m.base]
        if bases and bases[-1].kind == "now":
            mention = None  # "比现在…下跌12%": a change from now, no period of its own
        else:
            mention = self._period_for(own, cs, ce, n.start, n.end) or carried
        starting = bool(re.search(rf"(?:{vocab.starting_value.pattern})\s*$", sent[cs:n.start][-6:], re.I))
        if mention is not None and starting:
            mention = replace(mention, shift=1)  # "from $3.7 billion (to ...)": the period before
        # what a change is measured from: written just after it ("up 15% from Q1"), else before it
        following = [m for m in periods if m.base and n.end <= m.start <= n.end + 20 and m.end <= ce]
        compared = comparison_of(following[0], sent) if following else \
            (comparison_of(bases[-1], sent) if bases else None)
        return _When(mention, starting, compared)

    @staticmethod
    def _period_for(own: list[Mention], cs: int, ce: int, start: int, end: int) -> Mention | None:
        before_in_clause = [m for m in own if cs <= m.start and m.end <= start]
        if before_in_clause:
            return before_in_clause[-1]
        after_in_clause = [m for m in own if m.start >= end and m.end <= ce]
        if after_in_clause:
            return after_in_clause[0]
        before = [m for m in own if m.end <= start]
        return before[-1] if before else None

    @staticmethod
    def _named(mentioned: list[Entity]) -> Entity | None:
        """The entity a clause names; several ("谷歌、微軟、Meta總共…") make a group without a ticker."""
        names = list(dict.fromkeys(e.name for e in mentioned))
        if len(names) > 1:
            return Entity("+".join(names), None, None, None, ())
        return mentioned[-1] if mentioned else None


@dataclass(frozen=True)
class _When:
    mention: Mention | None
    starting: bool
    compared: str | None


class _Paragraph:
    """What a paragraph carries from one sentence to the next."""

    def __init__(self, lead: Mention | None, segment: str | None, main: Entity | None) -> None:
        self.period, self.segment, self.main = lead, segment, main
        self.entity: Entity | None = None
        self.measure: str | None = None
