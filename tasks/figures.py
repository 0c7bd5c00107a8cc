"""Numeric claims in news text (Chinese in both scripts, and English) → figure rows (pure).

A figure is a number with its magnitude (億/亿 1e8, 萬/万 1e4, 萬億/万亿 1e12, billion, million, trillion) and unit
(美元 USD, 元/人民幣/人民币 CNY, % percent, 個百分點/bps, 倍 multiple, counts), ranges ("1000億-1190億美元"), a
qualifier (more_than, approximately, nearly) and a sign (a decline verb makes a percentage negative). Each row
keeps the exact clause it came from, the entity named nearest before it, and a metric read from keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tasks.entities import Entity, EntityIndex
from tasks.periods import normalise_period, period_in

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "兩": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9}
MAGNITUDE = {"萬億": Decimal(10**12), "万亿": Decimal(10**12), "億": Decimal(10**8), "亿": Decimal(10**8),
             "萬": Decimal(10**4), "万": Decimal(10**4), "千": Decimal(1000),
             "trillion": Decimal(10**12), "billion": Decimal(10**9), "million": Decimal(10**6), "bn": Decimal(10**9),
             "k": Decimal(1000)}
NUM = r"(?:\d[\d,]*(?:\.\d+)?|[零〇一二兩两三四五六七八九十百]+)"
MAG = r"(?:萬億|万亿|億|亿|萬|万|\s?(?:trillion|billion|million|bn))"
UNIT = (r"(?:美元|美金|人民幣|人民币|元|%|個百分點|个百分点|percentage points?|basis points|bps|倍|份合約|份合约|份|"
        r"名|人|個季度|个季度|quarters)")
FIGURE = re.compile(
    rf"(?P<cur>\$|US\$|¥)?\s?(?P<num>{NUM})\s?(?P<mag>{MAG})?"
    rf"(?:\s?(?:[-–~至到]|to)\s?(?P<cur2>\$)?(?P<num2>{NUM})\s?(?P<mag2>{MAG})?)?\s?(?P<unit>{UNIT})?", re.I)
GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")  # pinyin glosses a conversion left in the text


def unglossed(text: str) -> str:
    return GLOSS.sub("", text)


SENTENCE_SPLIT = re.compile(r"(?<=[。！？!?])|\n")
CLAUSE_SPLIT = re.compile(r"(?<=[。；;！？!?…])|(?<=[，,])(?!\d)|\n")
MORE_THAN = re.compile(r"(?:超過|超过|突破|超|以上|more than|over|above)\s?$")
APPROX = re.compile(r"(?:約|约|左右|大約|大约|接近|approximately|about|around|roughly)\s?$")
NEARLY = re.compile(r"(?:近|幾乎|几乎|nearly|almost)\s?$")
DECLINE = re.compile(r"(?:下降|下跌|暴跌|重挫|跌|降低|減少|减少|下滑|down|declined?|fell|drop(?:ped)?)"
                     r"(?:了|約|约|近|大約|大约|超過|超过)*\s?$", re.I)
CN_SMALL = r"[一二三四五六七八九十]|\d+"
FRACTION = re.compile(rf"(?P<near>近|幾乎|几乎)?(?P<den>{CN_SMALL})分之(?P<num>{CN_SMALL})")
DOUBLED = re.compile(r"翻倍|翻了一番|翻番")
HALVED = re.compile(r"減半|减半")
NEARLY_HALVED = re.compile(r"(?:幾乎|几乎|近)[^，,。]{0,10}?(?:減半|减半)")
METRICS: list[tuple[str, re.Pattern[str]]] = [
    ("guidance_beat", re.compile(r"高出|超出|高於|高于|只高了|beat")),
    ("revenue_guidance", re.compile(r"指引|展望|outlook|guidance")),
    ("gross_margin", re.compile(r"毛利率|毛利潤率|毛利润率|gross margin", re.I)),
    ("capex_plan", re.compile(r"資本支出|资本支出|投入|投資|投资|花費|花费|capex|capital expenditure", re.I)),
    ("market_cap", re.compile(r"市值|market cap", re.I)),
    ("valuation", re.compile(r"估值|valuation", re.I)),
    ("stock_price_change", re.compile(r"股價|股价|暴跌|重挫|shares? (?:fell|rose)", re.I)),
    ("revenue", re.compile(r"收入|營收|营收|revenue|sales", re.I)),
]
GROWTH = re.compile(r"增長|增长|增速|同比|環比|环比|較|较|growth|up|year over year", re.I)


@dataclass(frozen=True)
class Figure:
    entity: str | None
    ticker: str | None
    cik: str | None
    metric: str
    segment: str | None
    period: str | None
    period_normalized: str | None
    value: Decimal
    value_high: Decimal | None
    unit: str
    qualifier: str | None
    quote: str
    rounding: Decimal  # place value of the last digit as written: "25.3億" → 1e7 (a claim agrees within half)

    def as_row(self) -> dict[str, Any]:
        return {k: (float(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def cn_number(text: str) -> Decimal:
    """Arabic or Chinese numerals: '1,000.5' → 1000.5, '三' → 3, '十二' → 12, '一百' → 100."""
    if text[0].isdigit():
        return Decimal(text.replace(",", ""))
    total, current = 0, 0
    for char in text:
        if char in CN_DIGITS:
            current = CN_DIGITS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
    return Decimal(total + current)


def clauses(text: str) -> list[str]:
    out = []
    for part in CLAUSE_SPLIT.split(text):
        part = part.strip().strip("「」“”\"")
        if part:
            out.append(part)
    return out


def _unit(match: re.Match[str]) -> str | None:
    unit = (match.group("unit") or "").lower()
    if match.group("cur") in ("$", "US$") or unit in ("美元", "美金"):
        return "USD"
    if match.group("cur") == "¥" or unit in ("人民幣", "人民币", "元"):
        return "CNY"
    if unit in ("%", "個百分點", "个百分点") or unit.startswith("percentage point"):
        return "percent"
    if unit in ("basis points", "bps"):
        return "bps"
    if unit == "倍":
        return "multiple"
    if unit in ("份合約", "份合约", "份", "名", "人", "個季度", "个季度", "quarters"):
        return "count"
    return None


def _qualifier(before: str, after: str) -> str | None:
    near = before[-12:]
    if MORE_THAN.search(near) or re.match(r"\s?(?:以上|多)", after):
        return "more_than"
    if APPROX.search(near) or re.match(r"\s?左右", after):
        return "approximately"
    if NEARLY.search(near):
        return "nearly"
    return None


class FigureExtractor:
    def __init__(self, entities: EntityIndex, *, published: str | None = None) -> None:
        self.entities = entities
        self.published = published  # ISO date of the article, for "本季度", "今年"
        self._period: str | None = None
        self._segment: str | None = None
        # The metric words, with the configured companies' segment names as segment revenue (before revenue).
        segments = [rx.pattern for _, rx in entities.segments]
        self.metrics = [*METRICS[:-1], *([("segment_revenue", re.compile("|".join(segments), re.I))] if segments
                                         else []), METRICS[-1]]
        self._metric_hint: str | None = None

    def extract(self, text: str) -> list[Figure]:
        figures: list[Figure] = []
        seen: set[tuple[str, Decimal, str]] = set()
        context: Entity | None = None
        for sentence in SENTENCE_SPLIT.split(text):
            self._period, self._segment, self._metric_hint = None, None, None  # carried within a sentence
            for clause in clauses(sentence):
                context = self._named(self.entities.mentions(clause)) or context
                for figure in self._clause(clause, context):
                    key = (figure.quote, figure.value, figure.unit)
                    if key not in seen:  # the same clause printed twice (a page repeating its body)
                        seen.add(key)
                        figures.append(figure)
        return figures

    def _clause(self, clause: str, context: Entity | None) -> list[Figure]:
        found: list[Figure] = []
        period = period_in(clause) or self._period
        self._period = period
        plain = unglossed(clause)
        self._segment = self.entities.segment_in(plain) or self._segment
        for match in FIGURE.finditer(clause):
            unit = _unit(match)
            if unit is None:
                continue
            if unit == "count" and match.group("num") == "一":
                continue  # 一份 / 一名: an article ("a report", "a student"), not a count
            if _is_date_or_time(clause, match):
                continue
            value = cn_number(match.group("num")) * MAGNITUDE.get((match.group("mag") or "").strip().lower()
                                                                  or "", Decimal(1))
            high = None
            if match.group("num2"):
                mag2 = (match.group("mag2") or match.group("mag") or "").strip().lower()
                high = cn_number(match.group("num2")) * MAGNITUDE.get(mag2, Decimal(1))
                if match.group("mag2") and not match.group("mag"):
                    value = cn_number(match.group("num")) * MAGNITUDE[mag2]
            if unit == "bps":
                unit, value = "percent", value / 100
            before, after = clause[:match.start()], clause[match.end():]
            qualifier = "range" if high is not None else _qualifier(before, after)
            if unit == "percent" and DECLINE.search(before[-8:]):
                value = -value
            entity = self._named(self.entities.mentions(before)) or context
            found.append(self._figure(clause, context, unit, value, high, qualifier, period, entity, before,
                                      _place(match.group("num"), match.group("mag"))))
        found.extend(self._words(clause, context, period))
        keywords = [(m.end(), name) for name, rx in self.metrics for m in rx.finditer(unglossed(clause))]
        if keywords:
            self._metric_hint = max(keywords)[1]  # what the sentence is about, for the clauses that follow
        return found

    @staticmethod
    def _named(mentioned: list[Entity]) -> Entity | None:
        """The entity a clause names; several ("谷歌、微軟、Meta總共…") make a group without a ticker."""
        names = list(dict.fromkeys(e.name for e in mentioned))
        if len(names) > 1:
            return Entity("+".join(names), None, None, None, ())
        return mentioned[-1] if mentioned else None

    def _words(self, clause: str, context: Entity | None, period: str | None) -> list[Figure]:
        """Figures written in words: 翻倍 (+100%), 減半 (−50%), N分之M (percent)."""
        out = []
        for match in FRACTION.finditer(clause):
            share = (cn_number(match.group("num")) / cn_number(match.group("den")) * 100).quantize(Decimal("0.01"))
            qualifier = "nearly" if match.group("near") else None
            out.append(self._figure(clause, context, "percent", share, None, qualifier, period, context))
        if DOUBLED.search(clause):
            out.append(self._figure(clause, context, "percent", Decimal(100), None, None, period, context))
        halved = HALVED.search(clause)
        if halved:
            qualifier = "nearly" if NEARLY_HALVED.search(clause) else None
            out.append(self._figure(clause, context, "percent", Decimal(-50), None, qualifier, period, context))
        return out

    def _figure(self, clause: str, context: Entity | None, unit: str, value: Decimal, high: Decimal | None,
                qualifier: str | None, period: str | None, entity: Entity | None, before: str = "",
                rounding: Decimal = Decimal(1)) -> Figure:
        metric, segment = self._classify(before or clause, clause, unit)
        who = entity or context
        normalized = normalise_period(period, who, self.published) if period else None
        return Figure(who.name if who else None, who.ticker if who else None, who.cik if who else None, metric,
                      segment, period, normalized, value, high, unit, qualifier, clause, rounding)

    def _classify(self, before: str, clause: str, unit: str) -> tuple[str, str | None]:
        """The metric named nearest before the figure in its clause, else earlier in the sentence."""
        best: tuple[int, str] | None = None
        before, clause = unglossed(before), unglossed(clause)
        for name, rx in self.metrics:
            for match in rx.finditer(before):
                if best is None or match.end() > best[0]:
                    best = (match.end(), name)
        if best is None:  # "393億美元收入": the metric may follow the number
            after = [(m.start(), name) for name, rx in self.metrics for m in rx.finditer(clause[len(before):])]
            best = (0, min(after)[1]) if after else None
        metric = best[1] if best else self._metric_hint
        if metric == "revenue_guidance" and METRICS[0][1].search(before):
            metric = "guidance_beat"  # "exceeded the outlook by X": X is the beat, not the outlook
        segment = self._segment
        growth = unit == "percent" and bool(GROWTH.search(clause))
        if metric in ("revenue", "segment_revenue", None) and segment and unit in ("USD", "CNY") and not growth:
            return "segment_revenue", segment
        if growth and metric in ("revenue", "segment_revenue", None):
            return ("segment_revenue_growth", segment) if segment else ("revenue_growth", None)
        if metric == "gross_margin" and unit == "percent" and GROWTH.search(clause):
            return "gross_margin_change", None
        return metric or ("growth" if growth else "other"), None


def _place(number: str, magnitude: str | None) -> Decimal:
    """Place value of the last written digit, in base units: '393' 億 → 1e8, '25.3' 億 → 1e7, '1,000' → 1."""
    decimals = len(number.split(".")[1]) if "." in number and number[0].isdigit() else 0
    scale = MAGNITUDE.get((magnitude or "").strip().lower(), Decimal(1))
    return scale / Decimal(10) ** decimals


def _is_date_or_time(clause: str, match: re.Match[str]) -> bool:
    """Years, dates and clock times are not figures: '2025年', '3月7日', '2:00', 'Q4'."""
    end = match.end("num")
    following = clause[end:end + 1]
    preceding = clause[max(0, match.start("num") - 1):match.start("num")]
    if match.group("unit") or match.group("mag") or match.group("cur"):
        return False
    return following in "年月日時时:：號号" or preceding in "Q:：" or bool(re.match(r"\d{4}$", match.group("num")))
