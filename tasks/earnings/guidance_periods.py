"""FiscalPeriod phrases of outlook prose → fiscal periods (pure).

"fourth quarter of fiscal 2026", "Q1'25", "1Q25", "Q4 FY26", "first-quarter 2025", "fiscal 2026", "FY26",
"full-year 2025", "2025 guidance", "by the end of 2030", "this year", "next year", "the full year", and a bare
"Q1" (in the year of its heading). Years are fiscal years named by the calendar year they end in; relative words
resolve against the issue date and the company's fiscal year end (52/53-week years included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cache

from tasks.earnings.vocabulary import vocabulary
from tasks.fiscal import FiscalPeriod, last_quarter_end_before

_ORDINAL = r"(?P<ord>first|second|third|fourth|1st|2nd|3rd|4th)"
_YEAR = r"['’]?(?P<year>(?:19|20)\d{2}|\d{2})\b"
_FISCAL = r"(?:(?:fiscal|FY)\s?(?:year\s+)?)"
_PATTERNS: list[tuple[str, re.Pattern[str] | None]] = [
    ("quarter", re.compile(rf"\b{_ORDINAL}[- ]quarters?(?:\s+of)?(?:\s+the)?(?:\s+|(?=fiscal)){_FISCAL}?{_YEAR}",
                           re.I)),
    ("quarter", re.compile(rf"\bQ(?P<q>[1-4])\s*(?:of\s+)?{_FISCAL}?{_YEAR}", re.I)),
    ("quarter", re.compile(rf"\b(?P<q>[1-4])Q\s?{_YEAR}", re.I)),
    ("quarter", re.compile(rf"\b{_FISCAL}{_YEAR}\s+Q(?P<q>[1-4])\b", re.I)),
    ("year", re.compile(rf"\bfull[- ]year(?:\s+of)?\s+{_FISCAL}?(?P<year>(?:19|20)\d{{2}})\b", re.I)),
    ("year", re.compile(r"\b(?P<year>(?:19|20)\d{2})\s+(?:full[- ]year|fiscal year)\b", re.I)),
    ("year", re.compile(rf"\b{_FISCAL}{_YEAR}", re.I)),
    ("year", re.compile(r"\b(?:by|through|until|to)\s+(?:the\s+)?(?:end\s+of\s+)?(?P<year>(?:19|20)\d{2})\b", re.I)),
    ("year", re.compile(r"\b(?:in|for|during|of)\s+(?P<year>(?:19|20)\d{2})\b", re.I)),
    ("year", re.compile(r"(?:^|\s)(?P<year>(?:19|20)\d{2})\s+(?:[a-z]+\s+)?(?:guidance|outlook|targets?|"
                        r"expectations|forecast)\b", re.I)),
    ("year_before_measure", None),  # '2025 revenue', '2025 capital expenditures' (built from the vocabulary)
    ("quarter_only", re.compile(rf"\b(?:the\s+)?(?:{_ORDINAL}[- ]quarter|Q(?P<q>[1-4]))\b(?!\s*(?:of\s+)?"
                                rf"(?:{_FISCAL}|['’]?\d))", re.I)),
]


_BARE_YEAR = re.compile(r"\b(?:19|20)\d{2}\s+[A-Za-z]")


@cache
def _year_before_measure() -> re.Pattern[str]:
    """A bare year right before what it measures ('2025 revenue', '2025 adjusted EPS'), not a date's year."""
    words = vocabulary()
    measures = f"(?:{words.any_metric.pattern}|{words.measure_noun.pattern})"
    return re.compile(rf"(?<!\d, )(?<![\w/-])(?P<year>(?:19|20)\d{{2}})\s+(?=(?:[\w/-]+\s+){{0,2}}?{measures})", re.I)


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    period: FiscalPeriod


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


class PeriodResolver:
    """FiscalPeriod phrases of one release, resolved with its issue date and fiscal year end."""

    def __init__(self, issued: date, fiscal_year_end: str) -> None:
        self.issued = issued
        self.fye = fiscal_year_end
        closed = FiscalPeriod.quarter_ending(last_quarter_end_before(issued, fiscal_year_end), fiscal_year_end)
        self.current = closed.shifted(1)  # the quarter in progress when the release came out ("this year" is its)

    def end(self, period: FiscalPeriod) -> date:
        return period.nominal_end(self.fye)

    def is_future(self, period: FiscalPeriod) -> bool:
        """A period that had not closed when the release was issued."""
        return self.end(period) >= self.issued

    def mentions(self, text: str, context_year: int | None = None) -> list[Mention]:
        """Every period phrase of ``text`` in order (overlaps resolved: earliest, then longest)."""
        words = vocabulary()
        found: list[Mention] = []
        for stated in re.finditer(r"\b(?:19|20)\d{2}\b", text):
            if not words.comparison.search(text[max(0, stated.start() - 30):stated.start()]):
                context_year = int(stated.group(0))  # "full-year 2024 ... the first quarter": Q1 of 2024
                break
        bare_years = _BARE_YEAR.search(text) is not None
        for kind, listed in _PATTERNS:
            if listed is None and not bare_years:
                continue  # no year followed by a word: '2025 revenue' cannot be there
            pattern = listed or _year_before_measure()
            for match in pattern.finditer(text):
                groups = match.groupdict()
                quarter = int(groups["q"]) if groups.get("q") else (
                    words.ordinals[groups["ord"].lower()] if groups.get("ord") else None)
                if kind == "quarter_only":
                    year = context_year or self._year_of_next(quarter or 1)
                    found.append(Mention(match.start(), match.end(), FiscalPeriod(year, quarter)))
                    continue
                period = FiscalPeriod(_year(groups["year"]), quarter if kind == "quarter" else None)  # a year kind
                found.append(Mention(match.start(), match.end(), period))
        for match in words.next_year.finditer(text):
            found.append(Mention(match.start(), match.end(), FiscalPeriod(self.current.fiscal_year + 1, None)))
        for match in words.year_exit.finditer(text):  # 'exit the year with margins in the mid-70s': its last quarter
            year = context_year or self.current.fiscal_year
            found.append(Mention(match.start(), match.end(), FiscalPeriod(year, 4)))
        for match in words.this_year.finditer(text):
            year = context_year or self.current.fiscal_year
            found.append(Mention(match.start(), match.end(), FiscalPeriod(year, None)))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[Mention] = []
        for mention in found:
            if kept and mention.start < kept[-1].end:
                continue
            kept.append(mention)
        return kept

    def _year_of_next(self, quarter: int) -> int:
        """The fiscal year of a bare 'Q1' in running text: the quarter just reported when it is that quarter (a
        release speaks of it most), else the next occurrence of that quarter."""
        current = self.current.quarter or 1
        if quarter == (current - 1 if current > 1 else 4):
            return self.current.fiscal_year if current > 1 else self.current.fiscal_year - 1
        if quarter >= current:
            return self.current.fiscal_year
        return self.current.fiscal_year + 1
