"""Fiscal calendars and the fiscal period type: which fiscal year and quarter a period end falls in.

A company's fiscal year end is given as ``MMDD`` (EDGAR's ``fiscalYearEnd``). 52/53-week years end on a
weekday near that date (NVIDIA: last Sunday of January), so periods are matched by day counts with a
tolerance, never by calendar months alone. ``FiscalPeriod`` is the one value type for "FY2026Q1" and "FY2025":
parse labels with it, never by slicing strings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_LABEL = re.compile(r"FY(?P<year>\d{4})(?:Q(?P<quarter>[1-4]))?")
_HALF_YEAR = timedelta(days=182)

# A 52/53-week year may end up to a week either side of its nominal month-end.
_TOLERANCE = timedelta(days=10)
_WEEK = timedelta(days=7)


def _nominal_end(year: int, fye: str) -> date:
    month, day = int(fye[:2]), int(fye[2:])
    while True:
        try:
            return date(year, month, day)
        except ValueError:  # 0229 in a common year
            day -= 1


def fiscal_year_of(period_end: date, fye: str) -> int:
    """The fiscal year (named by the calendar year in which it ends) that contains ``period_end``."""
    year = period_end.year
    if period_end > _nominal_end(year, fye) + _TOLERANCE:
        return year + 1
    if period_end <= _nominal_end(year - 1, fye) + _TOLERANCE:
        return year - 1
    return year


def fiscal_quarter_of(period_end: date, fye: str) -> tuple[int, int]:
    """(fiscal year, quarter 1-4) of a quarter ending on ``period_end``."""
    fiscal_year = fiscal_year_of(period_end, fye)
    year_start = _nominal_end(fiscal_year - 1, fye)
    days = (period_end - year_start).days
    quarter = min(4, max(1, round(days / 91.3125)))
    return fiscal_year, quarter


def last_quarter_end_before(day: date, fye: str) -> date:
    """The nominal end of the last fiscal quarter that closed before ``day`` (for an earnings release)."""
    month, dd = int(fye[:2]), int(fye[2:])
    month_end = _nominal_end(2001, fye) == last_day_of_month(2001, month)
    candidates = []
    for year in (day.year - 2, day.year - 1, day.year):
        for shift in range(4):
            m = (month - 1 + 3 * shift) % 12 + 1
            y = year + (month - 1 + 3 * shift) // 12
            candidates.append(last_day_of_month(y, m) if month_end else _nominal_end(y, f"{m:02d}{dd:02d}"))
    # Month-end calendars close exactly on the nominal day; a 52/53-week quarter may close up to a week after it.
    margin = timedelta(days=0) if month_end else _WEEK
    return max(c for c in candidates if c + margin < day)


def last_day_of_month(year: int, month: int) -> date:
    following = date(year + month // 12, month % 12 + 1, 1)
    return following - timedelta(days=1)


def nominal_period_end(fiscal_year: int, quarter: int | None, fye: str) -> date:
    """Nominal last day of a fiscal quarter (or of the year when ``quarter`` is None)."""
    year_end = _nominal_end(fiscal_year, fye)
    if quarter is None or quarter == 4:
        return year_end
    month = (year_end.month - 1 - 3 * (4 - quarter)) % 12 + 1
    year = year_end.year - (1 if month > year_end.month else 0)
    return last_day_of_month(year, month) if _nominal_end(2001, fye) == last_day_of_month(2001, int(fye[:2])) else \
        _nominal_end(year, f"{month:02d}{fye[2:]}")


def calendar_label(period_end: date, *, quarter: bool = True) -> str:
    """Calendar quarter (or year) a period mostly covers: a quarter ending 2025-01-26 is 2024Q4, a fiscal year
    ending 2025-01-26 is 2024, one ending 2025-09-27 is 2025."""
    if not quarter:
        return str((period_end - _HALF_YEAR).year)
    shifted = period_end - timedelta(days=45)
    return f"{shifted.year}Q{(shifted.month - 1) // 3 + 1}"


@dataclass(frozen=True, order=True)
class FiscalPeriod:
    """A fiscal quarter (``quarter`` 1-4) or a whole fiscal year (``quarter`` None) on a company's calendar."""

    fiscal_year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError(f"fiscal quarter {self.quarter} is not 1-4")

    @classmethod
    def parse(cls, label: str) -> FiscalPeriod:
        """``FY2026Q1`` or ``FY2025``; ValueError for anything else."""
        period = cls.parse_or_none(label)
        if period is None:
            raise ValueError(f"not a fiscal period label: {label!r}")
        return period

    @classmethod
    def parse_or_none(cls, label: str | None) -> FiscalPeriod | None:
        match = _LABEL.fullmatch(label.strip()) if label else None
        if match is None:
            return None
        quarter = match.group("quarter")
        return cls(int(match.group("year")), int(quarter) if quarter else None)

    @classmethod
    def quarter_ending(cls, period_end: date, fye: str) -> FiscalPeriod:
        """The fiscal quarter that ends on (or within a 52/53-week calendar's tolerance of) ``period_end``."""
        return cls(*fiscal_quarter_of(period_end, fye))

    @classmethod
    def year_containing(cls, day: date, fye: str) -> FiscalPeriod:
        return cls(fiscal_year_of(day, fye))

    @property
    def label(self) -> str:
        return f"FY{self.fiscal_year}" + (f"Q{self.quarter}" if self.quarter else "")

    @property
    def is_quarter(self) -> bool:
        return self.quarter is not None

    def __str__(self) -> str:
        return self.label

    def shifted(self, count: int) -> FiscalPeriod:
        """``count`` quarters later (earlier when negative); for a year, ``count`` years."""
        if self.quarter is None:
            return FiscalPeriod(self.fiscal_year + count)
        index = self.fiscal_year * 4 + self.quarter - 1 + count
        return FiscalPeriod(index // 4, index % 4 + 1)

    def quarters(self) -> list[FiscalPeriod]:
        """A year's four quarters in order; a quarter is its own."""
        if self.quarter is not None:
            return [self]
        return [FiscalPeriod(self.fiscal_year, q) for q in (1, 2, 3, 4)]

    def nominal_end(self, fye: str) -> date:
        """The nominal last day (a 52/53-week period ends on a weekday near it)."""
        return nominal_period_end(self.fiscal_year, self.quarter, fye)

    def calendar_label(self, period_end: date) -> str:
        """The calendar quarter or year it mostly covers, given the day it ends (actual or nominal)."""
        return calendar_label(period_end, quarter=self.is_quarter)
