"""Earnings-release outlook prose → guidance rows (pure: bytes in, rows out).

Rules are written on the language of outlooks, not on companies: a forward-looking sentence names a
metric, then states a value (range, point with tolerance, approximate value, GAAP/non-GAAP pair or a
verbal level). The period is the one named before the value, or the one of the outlook heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from tasks.errors import ParseError
from tasks.fiscal import calendar_label, nominal_period_end
from tasks.guidance_values import Value, bounds, first_value, number, tolerance_text
from tasks.release_text import html_lines, sentences

ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4}
QUARTER = re.compile(r"\b(first|second|third|fourth)[- ]quarter(?:\s+of)?(?:\s+fiscal(?:\s+year)?)?\s+(\d{4})", re.I)
FULL_YEAR = re.compile(r"\bfull[- ]year(?:\s+of)?(?:\s+fiscal(?:\s+year)?)?\s+(\d{4})", re.I)
IN_YEAR = re.compile(r"\bin\s+(?:fiscal\s+)?(\d{4})\b", re.I)
BARE_FULL_YEAR = re.compile(r"\bfull[- ]year\b", re.I)
HEADING = re.compile(r"(?:outlook|guidance)\b", re.I)
FORWARD = re.compile(r"\b(?:expects?|expected|anticipates?|anticipated|guidance|outlook|forecasts?|plans? to)\b",
                     re.I)
BOILERPLATE = re.compile(r"forward-looking statements|risks and uncertainties|safe harbor", re.I)
MAX_SENTENCE = 600
COMPARISON = re.compile(r"\b(?:compared (?:with|to)|versus|vs\.|as compared)\b", re.I)
METRICS: list[tuple[str, str]] = [
    ("other_income_expense", r"other income (?:and|&) expense|other income \(expense\)"),
    ("operating_expenses", r"operating expenses"),
    ("operating_income", r"operating income"),
    ("total_expenses", r"total expenses"),
    ("gross_margin", r"gross margins?"),
    ("tax_rate", r"tax rates?"),
    ("capex", r"capital expenditures|capex"),
    ("revenue", r"(?:total )?revenues?|net sales"),
]
METRIC = re.compile("|".join(f"(?P<{name}>\\b(?:{rx})\\b)" for name, rx in METRICS), re.I)
FINANCE_LEASES = re.compile(r"including principal payments on finance leases", re.I)
MAX_METRIC_TO_VALUE = 150
GROWTH = re.compile(r"\bgrow(?:th)?\b", re.I)
EXPENSE = re.compile(r"\b(?:an? )?(?:expense|loss) of\b", re.I)
FX_BP = re.compile(rf"\b(?P<dir>favorable|unfavorable) impact of approximately (?:\$(?P<usd>{r'[0-9.,]+'})\s*"
                   r"(?P<scale>billion|million),? or )?(?P<bp>\d+) basis points,? from foreign exchange", re.I)
FX_WIND = re.compile(r"foreign currency is an?\s+(?P<approx>approximately\s+)?(?P<pct>\d+(?:\.\d+)?)%\s+"
                     r"(?P<dir>headwind|tailwind)", re.I)
GROWTH_RANGE = re.compile(r"(?:grow between\s+(?P<a>\d+(?:\.\d+)?)%\s+and\s+(?P<b>\d+(?:\.\d+)?)%"
                          r"|(?P<c>\d+(?:\.\d+)?)\s?[-–]\s?(?P<d>\d+(?:\.\d+)?)%\s+(?:year-over-year\s+)?growth"
                          r"(?P<cc> on a constant currency basis)?)", re.I)


@dataclass(frozen=True)
class Period:
    fiscal_year: int
    quarter: int | None

    @property
    def label(self) -> str:
        return f"FY{self.fiscal_year}" + (f"Q{self.quarter}" if self.quarter else "")


def subject_name(text: str) -> str:
    text = text.lower()
    return "net_sales" if "net sales" in text else "revenue" if "revenue" in text else \
        re.sub(r"[^a-z]+", "_", text).strip("_")


def periods_in(text: str) -> list[tuple[int, Period]]:
    found = [(m.start(), Period(int(m.group(2)), ORDINALS[m.group(1).lower()])) for m in QUARTER.finditer(text)]
    found += [(m.start(), Period(int(m.group(1)), None)) for m in FULL_YEAR.finditer(text)]
    return sorted(found, key=lambda item: item[0])


class GuidanceParser:
    def __init__(self, *, doc: str, issued: date, fiscal_year_end: str) -> None:
        self.doc = doc
        self.issued = issued
        self.fye = fiscal_year_end
        self.context: Period | None = None
        self.recent: Period | None = None  # the last quarter a guidance sentence was about
        self.subject = "revenue"

    def is_future(self, period: Period) -> bool:
        return nominal_period_end(period.fiscal_year, period.quarter, self.fye) >= self.issued

    def target(self, sentence: str, value_start: int) -> Period | None:
        head = COMPARISON.split(sentence)[0]
        for position, period in periods_in(head):
            if position < value_start and self.is_future(period):
                return period
        if BARE_FULL_YEAR.search(head[:value_start]) and self.context:
            return Period(self.context.fiscal_year, None)
        for match in IN_YEAR.finditer(head):
            period = Period(int(match.group(1)), None)
            if self.is_future(period):
                return period
        return self.context

    def parse(self, body: bytes) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        for line in html_lines(body, self.doc):
            if HEADING.search(line) and len(line) < 200:
                future = [p for _, p in periods_in(line) if p.quarter and self.is_future(p)]
                if future:
                    self.context = future[0]
            for sentence in sentences(line):
                if len(sentence) > MAX_SENTENCE or BOILERPLATE.search(sentence):
                    continue
                if FORWARD.search(sentence) or sentence.lower().startswith(("revenue is", "net sales are")):
                    rows.extend(self.parse_sentence(sentence))
        return rows

    def locate(self, sentence: str) -> tuple[re.Match[str], Value] | None:
        """The metric and its value: 'METRIC ... VALUE', or 'VALUE in METRIC' (e.g. '$75 billion in capex')."""
        metric = METRIC.search(sentence)
        if metric is not None:
            value = first_value(sentence, metric.end())
            if value is not None and value.start - metric.end() <= MAX_METRIC_TO_VALUE:
                return metric, value
        value = first_value(sentence)
        if value is not None:
            after = METRIC.search(sentence, value.end)
            if after is not None and sentence[value.end: after.start()].strip().lower() in ("in", "of"):
                return after, value
        return None

    def parse_sentence(self, sentence: str) -> list[dict[str, Any]]:
        rows = self.fx_rows(sentence)
        located = self.locate(sentence)
        if located is None:
            if self.recent is not None:
                rows.extend(self.growth_rows(sentence, sentence, self.recent))
            return rows
        metric, value = located
        period = self.target(sentence, min(value.start, metric.start()) if metric.start() > value.start
                             else value.start)
        if period is None or not self.is_future(period):
            return rows
        if period.quarter:
            self.recent = period
        name = str(metric.lastgroup)
        between = sentence[metric.end(): value.start]
        if name in ("revenue", "operating_expenses", "total_expenses"):
            self.subject = subject_name(metric.group(0))
        if GROWTH.search(between) and name not in ("gross_margin", "tax_rate"):
            rows.append(self.row(sentence, period, "other", f"{subject_name(metric.group(0))}_growth_yoy",
                                 None, value, value.values[0] if value.values else None))
            return rows
        bases = self.bases(sentence[: metric.start()])
        values = value.values if value.kind == "pair" else value.values[:1] * len(bases)
        detail = "incl_finance_lease_principal" if name == "capex" and FINANCE_LEASES.search(between) else None
        if value.kind == "range":
            rows.append(self.row(sentence, period, name, detail, bases[0], value, None))
        else:
            sign = Decimal(-1) if name == "other_income_expense" and EXPENSE.search(between) else Decimal(1)
            for basis, point in zip(bases, values or (None,) * len(bases), strict=False):
                rows.append(self.row(sentence, period, name, detail, basis, value,
                                     point * sign if point is not None else None))
        rows.extend(self.growth_rows(sentence, sentence[value.end:], period))
        return rows

    @staticmethod
    def bases(before: str) -> list[str | None]:
        text = before.lower()
        if "gaap and non-gaap" in text:
            return ["gaap", "non_gaap"]
        if "non-gaap" in text:
            return ["non_gaap"]
        if re.search(r"\bgaap\b", text):
            return ["gaap"]
        return [None]

    def growth_rows(self, sentence: str, tail: str, period: Period) -> list[dict[str, Any]]:
        rows = []
        for match in GROWTH_RANGE.finditer(tail):
            low, high = (match.group("a"), match.group("b")) if match.group("a") else (match.group("c"),
                                                                                       match.group("d"))
            detail = f"{self.subject}_growth_yoy" + ("_constant_currency" if match.group("cc") else "")
            value = Value("range", "percent", (number(low), number(high)), False, None, None, 0, 0)
            rows.append(self.row(sentence, period, "other", detail, None, value, None))
        return rows

    def fx_rows(self, sentence: str) -> list[dict[str, Any]]:
        period = self.context or self.recent
        rows = []
        for match in FX_BP.finditer(sentence):
            sign = Decimal(-1) if match.group("dir").lower() == "unfavorable" else Decimal(1)
            if match.group("usd"):
                usd = number(match.group("usd")) * (Decimal(10**9) if match.group("scale").lower() == "billion"
                                                   else Decimal(10**6))
                value = Value("single", "USD", (usd,), True, None, None, 0, 0)
                rows.append(self.row(sentence, period, "other", f"fx_impact_on_{self.subject}", None, value,
                                     usd * sign))
            points = number(match.group("bp")) / 100
            value = Value("single", "percent", (points,), True, None, None, 0, 0)
            rows.append(self.row(sentence, period, "other", f"fx_impact_on_{self.subject}_growth_yoy_pp", None,
                                 value, points * sign))
        for match in FX_WIND.finditer(sentence):
            sign = Decimal(-1) if match.group("dir").lower() == "headwind" else Decimal(1)
            pct = number(match.group("pct"))
            value = Value("single", "percent", (pct,), bool(match.group("approx")), None, None, 0, 0)
            rows.append(self.row(sentence, period, "other",
                                 f"fx_impact_on_{self.subject}_growth_yoy_pp", None, value, pct * sign))
        return [r for r in rows if r["fiscal_period"]]

    def row(self, sentence: str, period: Period | None, metric: str, detail: str | None, basis: str | None,
            value: Value, point: Decimal | None) -> dict[str, Any]:
        if period is None:
            return {"fiscal_period": None}
        low = high = None
        qualifier = "point"
        if value.kind == "verbal":
            qualifier, point = value.verbal or "verbal", None
        elif value.kind == "range" and point is None:
            low, high = value.values[:2]
            qualifier = "range"
        elif point is not None and value.tolerance is not None:
            low, high = bounds(point, value)
            qualifier = "plus_minus"
        elif point is not None:
            low = high = point
            qualifier = "approximately" if value.approximately else "point"
        if low is not None and high is not None and low > high:
            if point is None:
                raise ParseError(self.doc, sentence[:80], f"range low {low} > high {high}")
            low, high = high, low  # a negative point with a symmetric band
        end = nominal_period_end(period.fiscal_year, period.quarter, self.fye)
        return {
            "fiscal_period": period.label, "calendar_period": calendar_label(end) if period.quarter else
            str(end.year if end.month >= 7 else end.year - 1), "metric": metric, "metric_detail": detail,
            "basis": basis, "unit": value.unit, "low": low, "high": high, "point": point,
            "tolerance": tolerance_text(value), "qualifier": qualifier, "sentence": sentence,
        }


def parse_guidance(body: bytes, *, doc: str, issued: date, fiscal_year_end: str) -> list[dict[str, Any]]:
    """Every numeric (or verbal) outlook statement of a release as rows; none when there is no outlook."""
    return GuidanceParser(doc=doc, issued=issued, fiscal_year_end=fiscal_year_end).parse(body)
