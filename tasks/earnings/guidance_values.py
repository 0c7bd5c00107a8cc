"""Every value expression of an outlook statement (pure): money and percent values, ranges, 'respectively' pairs,
tolerances, bounds ('more than', 'at least'), basis and percentage points, and verbal levels. Scale words are
never lost: '$61.0 to $64.0 billion' is 61e9 to 64e9."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from tasks.earnings.vocabulary import vocabulary
from tasks.numbers import parse_decimal, scale_of

N = r"\d[\d,]*(?:\.\d+)?"
SCALE = r"(?:thousand|million|billion|trillion|bn|mm|(?-i:[KMBT]))(?![\w])"
TO = r"\s*(?:to|-|–|—)\s*"
PCT_UNIT = r"\s?(?:%|percent\b|[- ]?percentage[- ]points?\b|pp\b)"
BP_UNIT = r"\s?(?:basis[- ]points?|bps?)\b"
APPROX = r"(?P<approx>(?:approximately|about|roughly|around|an approximate|approx\.)\s+|~\s?)?"
BOUND = r"(?P<bound>(?:more than|at least|in excess of|upwards of|exceeding|exceed|top|above)\s+)?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("range_money", re.compile(rf"between\s+\$\s?(?P<a>{N})(?:\s*(?P<as>{SCALE}))?\s+and\s+\$?\s?(?P<b>{N})"
                               rf"(?:\s*(?P<bs>{SCALE}))?", re.I)),
    ("range_pct", re.compile(rf"between\s+(?P<a>{N}){PCT_UNIT}?\s+and\s+(?P<b>{N}){PCT_UNIT}", re.I)),
    ("pair_money", re.compile(rf"{APPROX}\$\s?(?P<a>{N})(?:\s*(?P<as>{SCALE}))?\s+and\s+\$\s?(?P<b>{N})"
                              rf"(?:\s*(?P<bs>{SCALE}))?,?\s+respectively", re.I)),
    ("pair_pct", re.compile(rf"{APPROX}(?P<a>{N}){PCT_UNIT}\s+and\s+(?P<b>{N}){PCT_UNIT},?\s+respectively", re.I)),
    ("range_money", re.compile(rf"{APPROX}\$\s?(?P<paren>\()(?P<a>{N})\)(?:\s*(?P<as>{SCALE}))?{TO}\$?\s?\((?P<b>{N})\)"
                               rf"(?:\s*(?P<bs>{SCALE}))?", re.I)),  # '$(45) million to $(40) million': negative
    ("range_money", re.compile(rf"{APPROX}\$\s?(?P<a>{N})(?:\s*(?P<as>{SCALE}))?{TO}\$?\s?(?P<b>{N})"
                               rf"(?:\s*(?P<bs>{SCALE}))?", re.I)),
    ("range_pct", re.compile(rf"{APPROX}(?:an?\s+)?(?P<a>-?{N}){PCT_UNIT}?{TO}(?P<b>-?{N}){PCT_UNIT}", re.I)),
    ("single_bp", re.compile(rf"{APPROX}{BOUND}(?P<a>{N}){BP_UNIT}", re.I)),
    ("single_money", re.compile(rf"{APPROX}\$\s?(?P<paren>\()(?P<a>{N})\)(?:\s*(?P<as>{SCALE}))?", re.I)),
    ("single_pct", re.compile(rf"{APPROX}(?P<paren>\()(?P<a>{N})\)\s?(?:%|percent\b)", re.I)),
    ("single_money", re.compile(rf"{APPROX}{BOUND}(?P<neg>[-−])?\$\s?(?P<a>{N})"
                                rf"(?:\s*(?P<as>{SCALE}))?", re.I)),
    ("single_pct", re.compile(rf"{APPROX}{BOUND}(?:an?\s+)?(?P<neg>[-−])?(?P<a>{N}){PCT_UNIT}", re.I)),
]
_TOLERANCE = re.compile(rf"^,?\s*(?:each\s+)?(?:plus or minus|\+/-|±)\s*(?P<t>{N})\s*"
                        rf"(?P<u>%|percent|basis points?|bps?)", re.I)
_IN_RANGE = re.compile(
    r"in the (?P<level>(?:low|mid|high|upper)-?\s?(?:to\s(?:low|mid|high|upper)-?\s?)?)"
    r"(?:(?P<n>\d+)%?\s*range|(?P<teens>teens))", re.I)


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
    bound: str | None = None  # more_than | at_least: the value is a floor
    scaled: bool = False  # a scale word was written ('billion', 'M'): the amount is in dollars already


def _scaled(value: str, scale: str | None, fallback: str | None) -> Decimal:
    word = (scale or fallback or "").strip()
    if len(word) == 1 and not word.isupper():
        return parse_decimal(value)  # '5 m' is not a scale; 'B', 'M' as in '$44.5B' are
    return parse_decimal(value) * scale_of(word)


def _bound(word: str | None) -> str | None:
    if not word:
        return None
    return "at_least" if word.strip().lower() == "at least" else "more_than"


def _from_match(name: str, match: re.Match[str], text: str) -> Value:
    groups = match.groupdict()
    kind, unit_name = name.split("_")
    unit = "USD" if unit_name == "money" else "percent"
    if unit_name == "money":
        shared = groups.get("bs")
        values = tuple(_scaled(groups[g], groups.get(f"{g}s"), shared) for g in ("a", "b") if groups.get(g))
    elif unit_name == "bp":
        values = (parse_decimal(groups["a"]) / 100,)
    else:
        values = tuple(parse_decimal(groups[g]) for g in ("a", "b") if groups.get(g))
    if groups.get("neg") or groups.get("paren"):  # '-$5', '$(0.25)', '(43)%': a negative amount
        values = tuple(-v for v in values)
    end = match.end()
    tolerance = tolerance_unit = None
    tol = _TOLERANCE.search(text[end:])
    if tol:
        tolerance = parse_decimal(tol.group("t"))
        tolerance_unit = "%" if tol.group("u").lower() in ("%", "percent") else "bp"
        end += tol.end()
    approximately = bool(groups.get("approx"))
    return Value(kind, unit, values, approximately, tolerance, tolerance_unit, match.start(), end,
                 bound=_bound(groups.get("bound")), scaled=bool(groups.get("as") or groups.get("bs")))


def _verbal(text: str) -> list[Value]:
    found = []
    for match in _IN_RANGE.finditer(text):
        level = re.sub(r"[^a-z0-9]+", "_", match.group("level").lower()).strip("_")
        tail = "teens" if match.group("teens") else f"{match.group('n')}s"
        found.append(Value("verbal", "percent", (), False, None, None, match.start(), match.end(),
                           verbal=f"verbal_{level}_{tail}"))
    for qualifier, pattern in vocabulary().verbal:
        for match in pattern.finditer(text):
            found.append(Value("verbal", "percent", (), False, None, None, match.start(), match.end(),
                               verbal=qualifier))
    return found


def find_values(text: str) -> list[Value]:
    """Every value expression of ``text``, in order, none overlapping (the earliest, then the longest, wins)."""
    candidates: list[tuple[int, int, int, Value]] = []
    for order, (name, pattern) in enumerate(_PATTERNS):
        for match in pattern.finditer(text):
            value = _from_match(name, match, text)
            if value.kind == "range" and len(value.values) == 2 and value.values[0] > value.values[1] \
                    and not text[match.start():match.end()].lower().startswith("between"):
                continue  # '2024-2025' and the like: not a range of values
            candidates.append((value.start, -(value.end - value.start), order, value))
    for value in _verbal(text):
        candidates.append((value.start, -(value.end - value.start), -1, value))
    chosen: list[Value] = []
    for _, _, _, value in sorted(candidates, key=lambda c: (c[0], c[1], c[2])):
        if chosen and value.start < chosen[-1].end:
            continue
        chosen.append(value)
    return chosen


def with_approximately(value: Value) -> Value:
    return replace(value, approximately=True)


def bounds(point: Decimal, value: Value) -> tuple[Decimal, Decimal]:
    """Low and high implied by a stated tolerance."""
    if value.tolerance is None:
        return point, point
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
