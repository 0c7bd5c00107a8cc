"""Numbers in outlook prose: money and percent values, ranges, 'respectively' pairs, tolerances (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

SCALES = {"thousand": Decimal(10**3), "million": Decimal(10**6), "billion": Decimal(10**9),
          "trillion": Decimal(10**12)}
N = r"\d[\d,]*(?:\.\d+)?"
SCALE = r"(?:thousand|million|billion|trillion)"
DASH = r"\s*[-–—]\s*"
MONEY = rf"\$\s?(?P<{{g}}>{N})(?:\s*(?P<{{g}}s>{SCALE}))?"
PCT = rf"(?P<{{g}}>{N})\s?(?:%|percent\b)"


def _money(g: str) -> str:
    return MONEY.replace("{g}", g)


def _pct(g: str) -> str:
    return PCT.replace("{g}", g)


APPROX = r"(?P<approx>(?:approximately|about|roughly|around)\s+)?"
PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("between_money", re.compile(rf"between\s+{_money('a')}\s+and\s+{_money('b')}", re.I)),
    ("between_pct", re.compile(rf"between\s+{_pct('a')}\s+and\s+{_pct('b')}", re.I)),
    ("pair_money", re.compile(rf"{APPROX}{_money('a')}\s+and\s+{_money('b')},?\s+respectively", re.I)),
    ("pair_pct", re.compile(rf"{APPROX}{_pct('a')}\s+and\s+{_pct('b')},?\s+respectively", re.I)),
    ("dash_money", re.compile(rf"\$\s?(?P<a>{N}){DASH}\$?\s?(?P<b>{N})\s*(?P<bs>{SCALE})", re.I)),
    ("dash_pct", re.compile(rf"(?P<a>{N})\s?%?{DASH}(?P<b>{N})\s?%", re.I)),
    ("single_money", re.compile(rf"{APPROX}{_money('a')}", re.I)),
    ("single_pct", re.compile(rf"{APPROX}(?:an?\s+)?{_pct('a')}", re.I)),
]
TOLERANCE = re.compile(rf"^,?\s*plus or minus\s+(?P<t>{N})\s*(?P<u>%|percent|basis points?|bps|bp)", re.I)
VERBAL = re.compile(
    r"in the (?P<level>(?:low|mid|high|upper)-?\s?(?:to\s(?:low|mid|high|upper)-?\s?)?)"
    r"(?:(?P<n>\d+)%?\s*range|(?P<teens>teens))",
    re.I,
)


@dataclass(frozen=True)
class Value:
    kind: str  # range | pair | single | verbal
    unit: str  # USD | percent
    values: tuple[Decimal, ...]
    approximately: bool
    tolerance: Decimal | None  # in the tolerance's own unit
    tolerance_unit: str | None  # '%' (relative for USD, points for percent) or 'bp'
    start: int
    end: int
    verbal: str | None = None


def number(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _scaled(value: str, scale: str | None, fallback: str | None) -> Decimal:
    factor = SCALES.get((scale or fallback or "").lower(), Decimal(1))
    return number(value) * factor


def first_value(text: str, start: int = 0) -> Value | None:
    """The earliest value expression in ``text`` at or after ``start``."""
    best: tuple[int, int, str, re.Match[str]] | None = None
    for order, (name, pattern) in enumerate(PATTERNS):
        match = pattern.search(text, start)
        if match and (best is None or (match.start(), order) < (best[0], best[1])):
            best = (match.start(), order, name, match)
    verbal = VERBAL.search(text, start)
    if verbal and (best is None or verbal.start() < best[0]):
        level = re.sub(r"[^a-z0-9]+", "_", verbal.group("level").lower()).strip("_")
        tail = "teens" if verbal.group("teens") else f"{verbal.group('n')}s"
        return Value("verbal", "percent", (), False, None, None, verbal.start(), verbal.end(),
                     verbal=f"verbal_{level}_{tail}")
    if best is None:
        return None
    _, _, name, match = best
    groups = match.groupdict()
    unit = "USD" if name.endswith("money") else "percent"
    shared_scale = groups.get("bs")
    if name.endswith("money"):
        values = tuple(_scaled(groups[g], groups.get(f"{g}s"), shared_scale) for g in ("a", "b") if groups.get(g))
    else:
        values = tuple(number(groups[g]) for g in ("a", "b") if groups.get(g))
    kind = name.split("_")[0]
    kind = {"between": "range", "dash": "range"}.get(kind, kind)
    end = match.end()
    tolerance = tolerance_unit = None
    tol = TOLERANCE.search(text[end:])
    if tol:
        tolerance = number(tol.group("t"))
        tolerance_unit = "%" if tol.group("u").lower() in ("%", "percent") else "bp"
        end += tol.end()
    return Value(kind, unit, values, bool(groups.get("approx")), tolerance, tolerance_unit, match.start(), end)


def bounds(point: Decimal, value: Value) -> tuple[Decimal, Decimal]:
    """Low and high implied by a stated tolerance."""
    assert value.tolerance is not None
    if value.tolerance_unit == "bp":
        delta = value.tolerance / 100
    elif value.unit == "percent":
        delta = value.tolerance  # "17.0%, plus or minus 1%" on a rate means ±1 percentage point
    else:
        delta = point * value.tolerance / 100
    return point - delta, point + delta


def tolerance_text(value: Value) -> str | None:
    if value.tolerance is None:
        return None
    return f"{value.tolerance.normalize():f}{'bp' if value.tolerance_unit == 'bp' else '%'}"
