"""Which period a news figure is about (pure): the period written for it, a year back for "a year earlier", the
period before for a starting value ("from $3.7 billion"), what a change is measured against, and whether the
period lies after the article's date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from tasks.fiscal import FiscalPeriod
from tasks.news.figure_numbers import Number
from tasks.news.news_periods import QUARTER_KINDS, QUARTER_WORDS, Mention, comparison_of
from tasks.news.news_vocabulary import news_vocabulary

BACKWARD_WORDS = {"last_year", "last_quarter"}  # they date what is compared, not what is reported


@dataclass(frozen=True)
class When:
    """A figure's period, whether it is a starting value, and what a change in it is measured against."""

    mention: Mention | None
    starting: bool
    compared: str | None


def ends_after(period: str | None, fye: str | None, published: date | None) -> bool:
    """The period ends after the article's date (the figure is about the future)."""
    if not period or not published:
        return False
    fiscal = FiscalPeriod.parse_or_none(period)
    if fiscal and fye:
        return fiscal.nominal_end(fye) > published
    year = re.match(r"(\d{4})", period)
    return bool(year) and int(year.group(1)) > published.year if year else False


def period_for(own: list[Mention], cs: int, ce: int, start: int, end: int, sent: str = "") -> Mention | None:
    """The period written for a figure at start..end: before it in its clause, else right after it in its own
    words, else anywhere before it."""
    before_in_clause = [m for m in own if cs <= m.start and m.end <= start]
    if before_in_clause:
        return before_in_clause[-1]
    # after it, only within its own words: "to $30.5 billion from $29.3 billion last year" dates the second
    stop = end + len(re.split(r"\d", sent[end:ce], maxsplit=1)[0]) if sent else ce
    after_in_clause = [m for m in own if m.start >= end and m.end <= ce and m.start < stop
                       and m.word not in BACKWARD_WORDS]
    if after_in_clause:
        return after_in_clause[0]
    before = [m for m in own if m.end <= start]
    return before[-1] if before else None


def when_of(sent: str, periods: list[Mention], cs: int, ce: int, n: Number,
          carried: Mention | None, apposition: bool = False) -> When:
    """The figure's period, whether it is a starting value, and what a change in it is measured against."""
    vocab = news_vocabulary()
    # "较上季度的35%": a period written right before a figure with 的 / 's is that figure's own period
    possessive = [replace(m, base=False) for m in periods if m.base and
                  re.fullmatch(r"\s*(?:的|'s)\s*", sent[m.end:n.start])]
    bases = [m for m in periods if m.base and cs <= m.start and m.end <= n.start and
             not any(p.start == m.start for p in possessive)]
    own = sorted([m for m in periods if not m.base] + possessive, key=lambda m: m.start)
    now = bool(bases) and bases[-1].kind == "now"  # "比现在…下跌12%": a change from now, no period of its own
    mention = None if now else period_for(own, cs, ce, n.start, n.end, sent) or carried
    starting = bool(re.search(rf"(?:{vocab.starting_value.pattern})\s*$", sent[:n.start][-16:], re.I)) \
        or apposition
    following_text = re.split(r"\d", sent[n.end:ce], maxsplit=1)[0]
    # "$5.33 a year earlier"; a compared value takes "a year earlier" written later in its sentence too
    year_ago = n.unit in ("USD", "CNY", "count") and bool(
        re.match(rf"\s*(?:,\s*)?(?:in\s+)?(?:{vocab.year_ago.pattern})", following_text, re.I)
        or (starting and vocab.year_ago.search(sent[n.end:])))
    written_after = [m for m in own if n.end <= m.start <= n.end + 12 and m.end <= ce
                     and m.word not in BACKWARD_WORDS]  # "from $29.3 billion last year": a year back, below
    if starting and written_after:  # "from $23.2 billion in Q3 fiscal 2024": its own period is written
        mention, year_ago, starting = written_after[0], False, False
    if mention is not None and year_ago:  # "$5.33 a year earlier": the same period a year before
        mention = replace(mention, shift=4 if mention.kind in QUARTER_KINDS or mention.word in QUARTER_WORDS
                          else 1)
    elif mention is not None and starting:
        mention = replace(mention, shift=1)  # "from $3.7 billion (to ...)": the period before
    # what a change is measured from: written just after it ("up 15% from Q1"), else before it
    following = [m for m in periods if m.base and n.end <= m.start <= n.end + 20 and m.end <= ce]
    compared = comparison_of(following[0], sent) if following else \
        (comparison_of(bases[-1], sent) if bases else None)
    return When(mention, starting, compared)
