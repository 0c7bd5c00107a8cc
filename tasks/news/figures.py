"""Numeric claims in news text (Chinese in both scripts, and English) → figure rows (pure).

Each figure keeps its value in base units, unit, qualifier, the exact clause it came from, the company it is
about (named in its clause, else earlier in its sentence or paragraph, else the company the article is about),
its period (the period written nearest before it, else in its paragraph or the lead-in above it; see
``tasks.news.news_periods``) and what it measures (``tasks.news.figure_metrics``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from tasks.dates import iso_date
from tasks.news.entities import Entity, EntityIndex
from tasks.news.figure_metrics import Place, is_forward, measure_before, read
from tasks.news.figure_numbers import numbers_in
from tasks.news.figure_periods import BACKWARD_WORDS, ends_after, period_for, when_of
from tasks.news.news_periods import (
    Mention,
    calendar_of,
    first_quarter_end,
    label,
    mentions,
)
from tasks.news.news_text import Folded, clauses, fold, is_heading, is_lead_in, paragraphs, sentences
from tasks.news.news_vocabulary import news_vocabulary

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


class FigureExtractor:
    def __init__(self, entities: EntityIndex, *, published: str | None = None) -> None:
        self.entities = entities
        self.published = iso_date(published)

    def extract(self, text: str) -> list[Figure]:
        folded = fold(text)
        t = folded.text
        main = self._main_entity(t)
        # A results announcement names its quarter ("the fourth quarter ended January 26, 2025"): figures that
        # state no period of their own (a highlight above that sentence, too) are about that quarter.
        reported = first_quarter_end(t)
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
        if not vocab.refers_back.search(sent):  # a new sentence does not inherit what the last one measured
            state.measure, state.measures = None, []
        periods = mentions(sent)
        out: list[Figure] = []
        sentence_entity: Entity | None = None
        segment = state.segment  # a segment named in a sentence holds for that sentence; a heading's, for its section
        previous: tuple[Figure, int, bool] | None = None  # the sentence's last figure, its end, a compared value?
        for cs, ce in clauses(sent, 0, len(sent)):
            clause = sent[cs:ce]
            named_here = self._named(self.entities.mentions(_blank_parens(clause)))
            who = named_here or sentence_entity or state.entity or state.main
            segment = self.entities.segment_in(clause, who.ticker if who else None) or segment
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
                # this figure's own stretch: from the figure before it in the clause, else the clause start (else the
                # sentence start for the sentence's first figure: "高盛预测,这个数字…" names who speaks earlier)
                since = (previous[1] if previous[1] >= cs else cs) if previous else 0
                named_before = self._named(self.entities.mentions(_blank_parens(sent[max(since, cs):n.start])))
                hint, earlier = state.measure, tuple(state.measures[:-1])  # as of this figure
                entity = named_before or named_here or sentence_entity or state.entity or state.main
                # ", or 49 cents a share": another form of the figure before it (a compared value stays one)
                # "$2.160 billion, $4.86 per diluted share" / "$94 million ($0.21 per share)": the same amount again
                restated = previous is not None and bool(
                    re.fullmatch(r"\s*(?:,\s*(?:or\b)?|\(|or\b|或)\s*", sent[previous[1]:n.start]))
                apposition = restated and previous is not None and previous[2]
                # a period carried from a sentence that looked ahead does not date a sentence that does not
                inherited = state.period if not state.forward or is_forward(sent) else state.default
                when = when_of(sent, periods, cs, ce, n, inherited, apposition)
                fye = entity.fiscal_year_end if entity else None
                carried = when.mention is not None and when.mention not in periods and \
                    not (when.mention.shift and replace(when.mention, shift=0) in periods)
                forward = (state.forward and inherited is state.period) if carried else is_forward(sent[:n.start])
                normalized = label(when.mention, fye, self.published, forward=forward) \
                    if when.mention else None
                reading = read(Place(sent, cs, ce, n.start, n.end, n.unit, ends_after(normalized, fye, self.published),
                                     when.starting, hint, segment, when.compared, amount=float(n.value),
                                     earlier=earlier,
                                     product=self.entities.product_in(clause, entity.ticker if entity else None),
                                     since=since, business_line=self._business_line(sent, cs, n.start)),
                               index)
                negative = n.parenthesized or reading.negative  # "($2.33)", "an operating loss of $5 billion"
                mention, value = when.mention, -n.value if negative else n.value
                if restated and previous is not None and previous[0].metric.endswith("_change_amount") \
                        and not reading.metric.endswith("_change_amount"):  # a change, restated per share
                    reading = replace(reading, metric=f"{reading.measure or 'other'}_change_amount", segment=None)
                if reading.metric.endswith("_peak") or (carried and reading.metric.startswith("stock_price")):
                    mention = normalized = None  # a peak of some past periods; a share price move of its own day
                if reading.metric in vocab.investor_measures:  # a fund's figure: only what its own clause says
                    entity = named_before or named_here
                    mention = period_for([m for m in periods if not m.base and cs <= m.start and m.end <= ce],
                                               cs, ce, n.start, n.end)
                    normalized = label(mention, entity.fiscal_year_end if entity else None, self.published) \
                        if mention else None
                quote = folded.quote(ss + cs, ss + ce).strip().strip("「」“”\"").rstrip(",，;；:：、")
                figure = Figure(entity.name if entity else None, entity.ticker if entity else None,
                                entity.cik if entity else None, reading.metric, reading.segment, reading.basis,
                                mention.text if mention else None, normalized,
                                calendar_of(normalized, entity.fiscal_year_end if entity else None),
                                value, n.high, n.unit, qualifier,
                                None, quote, n.rounding)
                out.append(figure)
                previous = (figure, n.end, when.starting)
                if reading.measure and reading.measure != state.measure:  # "$8.00 per share": what follows is EPS
                    state.measure = reading.measure
                    state.measures.append(reading.measure)
            sentence_entity = named_here or sentence_entity
            measured = measure_before(clause)
            if measured:
                state.measure = measured[1]
                state.measures.append(measured[1])
        state.entity = sentence_entity or state.entity
        own = [m for m in periods if not m.base and m.word not in BACKWARD_WORDS]
        if own:  # "last year" / "last quarter" date what is compared, not what the next sentence reports
            state.period, state.forward = own[-1], is_forward(sent[:own[-1].end])
        return out

    def _business_line(self, sent: str, cs: int, start: int) -> bool:
        """English: the revenue word before the figure has a word of its own before it that names a line of business
        ("Paxlovid revenues", "Domestic advertising revenue", "Space & Security … revenue"), not the company."""
        vocab = news_vocabulary()
        before = sent[cs:start]
        word = None
        for m in re.finditer(r"\b(?:revenues?|sales)\b", before, re.I):
            word = m
        if word is None:
            return False
        text = before[:word.start()]
        for e in self.entities.mentions(text):  # the company itself is not a line of business
            for alias in e.aliases:
                if alias.isascii():
                    text = re.sub(rf"\b{re.escape(alias)}\b", " ", text, flags=re.I)
        tokens = re.findall(r"[A-Za-z][\w&'/-]*|&|\d+|[,;:()]", text)[-5:]
        periods = {w.lower() for w in vocab.ordinals} | set(vocab.months)
        for token in reversed(tokens):
            lower = token.lower().removesuffix("'s")
            if token in ",;:()" or token.isdigit() or token.lower() in vocab.revenue_phrase_breaks:
                return False
            if lower in vocab.plain_revenue_words or lower in periods or re.fullmatch(r"(?:19|20)\d\d", lower):
                continue
            return True
        return False

    @staticmethod
    def _named(mentioned: list[Entity]) -> Entity | None:
        """The entity a clause names; several ("谷歌、微軟、Meta總共…") make a group without a ticker."""
        names = list(dict.fromkeys(e.name for e in mentioned))
        if len(names) > 1:
            return Entity("+".join(names), None, None, None, ())
        return mentioned[-1] if mentioned else None


class _Paragraph:
    """What a paragraph carries from one sentence to the next."""

    def __init__(self, lead: Mention | None, segment: str | None, main: Entity | None) -> None:
        self.period, self.segment, self.main = lead, segment, main
        self.forward = False  # whether the sentence the period was written in looked ahead
        self.default = lead
        self.entity: Entity | None = None
        self.measure: str | None = None
        self.measures: list[str] = []  # every measure named so far in the paragraph
