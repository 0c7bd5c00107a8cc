"""Periods as news writes them → fiscal labels: '2024年Q4' of NVIDIA is FY2025Q4, Microsoft's '2024年第四季度'
is FY2025Q2 (the fiscal quarter whose end is nearest the calendar quarter's end)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING

from tasks.fiscal import fiscal_quarter_of, fiscal_year_of, last_quarter_end_before, nominal_period_end

if TYPE_CHECKING:
    from tasks.entities import Entity

CN_Q = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
CAL_QUARTER = re.compile(r"(?P<y>20\d{2})\s?年\s?(?:Q(?P<q>[1-4])|第(?P<cq>[一二三四1-4])(?:季度|季))")
FISCAL_YEAR = re.compile(r"(?P<y>20\d{2})\s?財年|(?P<y2>20\d{2})\s?财年|fiscal (?P<y3>20\d{2})", re.I)
YEAR = re.compile(r"(?P<y>20\d{2})\s?年")


def period_in(clause: str) -> str | None:
    for rx in (CAL_QUARTER, FISCAL_YEAR, YEAR):
        match = rx.search(clause)
        if match:
            return match.group(0)
    for word in ("今年", "本季度", "本财年", "本財年"):  # "次日" (the next day) depends on an event: not kept
        if word in clause:
            return word
    return None


def normalise_period(period: str, entity: Entity | None, published: str | None) -> str | None:
    """A fiscal label (FY2025Q4, FY2025), a calendar year ('2025') or a date; None when unknown."""
    fye = entity.fiscal_year_end if entity else None
    quarter = CAL_QUARTER.search(period)
    if quarter:
        year = int(quarter.group("y"))
        q = CN_Q[quarter.group("q") or quarter.group("cq")]
        if not fye:
            return f"{year}Q{q}"
        end = date(year, 3 * q, 28) + timedelta(days=4)
        end = end - timedelta(days=end.day)  # last day of the calendar quarter
        candidates = [nominal_period_end(fy, fq, fye) for fy in (year, year + 1) for fq in (1, 2, 3, 4)]
        nearest = min(candidates, key=lambda d: abs((d - end).days))
        fy, fq = fiscal_quarter_of(nearest, fye)
        return f"FY{fy}Q{fq}"
    fiscal = FISCAL_YEAR.search(period)
    if fiscal:
        return f"FY{fiscal.group('y') or fiscal.group('y2') or fiscal.group('y3')}"
    calendar_year = YEAR.search(period)
    if calendar_year:
        return str(calendar_year.group("y"))
    if published and fye and period == "本季度":  # the latest quarter reported before publication
        fy, fq = fiscal_quarter_of(last_quarter_end_before(date.fromisoformat(published[:10]), fye), fye)
        return f"FY{fy}Q{fq}"
    if published and fye and period in ("本財年", "本财年"):
        return f"FY{fiscal_year_of(date.fromisoformat(published[:10]), fye)}"
    if published and period == "今年":
        return published[:4]
    return None
