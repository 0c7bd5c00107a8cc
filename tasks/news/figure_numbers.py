"""Numbers as news writes them (pure): digits or Chinese numerals, magnitudes (億/亿 1e8, 萬/万 1e4, 萬億/万亿
1e12, billion, million), units (美元 USD, 元/人民币 CNY, %, 个百分点/bps, 倍, counts), ranges, qualifiers, signs, and
figures written in words (翻倍 +100%, 减半 −50%, N分之M). Text is folded (Simplified) before it gets here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from tasks.numbers import parse_number, scale_of

NUM = r"(?:\d[\d,]*(?:\.\d+)?|[零〇一二两三四五六七八九十百]+)"
# "$39.3B", "$500M", "$1.2T": a capital letter right after the number is a magnitude too
MAG = r"(?:万亿|亿|万|\s?(?:trillion|billion|million|bn|bln|mn|mln|tn)(?![A-Za-z])|(?-i:[BMT])(?![A-Za-z&]))"
UNIT = (r"(?:美元|美金|美分|cents?(?![A-Za-z])|人民币|元|%"
        r"|个百分点|percentage points?|percent(?![A-Za-z])|basis points|bps|倍|份合约|份|名|人|个季度|quarters"
        r"|(?-i:x)(?![A-Za-z]))")
FIGURE = re.compile(
    rf"(?P<cur>\$|US\$|¥)?\s?(?P<num>{NUM})\s?(?P<mag>{MAG})?"
    rf"(?:\s?(?:[-–~至到]|to)\s?(?P<cur2>\$)?(?P<num2>{NUM})\s?(?P<mag2>{MAG})?)?\s?(?P<unit>{UNIT})?", re.I)
MORE_THAN = re.compile(r"(?:超过|突破|超|以上|more than|over|above|at least)\s?$", re.I)
APPROX = re.compile(r"(?:约|左右|大约|接近|approximately|about|around|roughly|~)\s?$", re.I)
NEARLY = re.compile(r"(?:近|几乎|nearly|almost)\s?$", re.I)
DECLINE = re.compile(r"(?:下降|下跌|暴跌|重挫|跌|降低|减少|下滑|收窄|缩小|down|declined?|fell|drop(?:ped)?|decreased?|"
                     r"narrowed|contracted|shrank|slipped)"
                     r"(?:了|约|近|大约|超过)*\s?$", re.I)
CN_SMALL = r"[一二三四五六七八九十]|\d+"
FRACTION = re.compile(rf"(?P<near>近|几乎)?(?P<den>{CN_SMALL})分之(?P<num>{CN_SMALL})")
DOUBLED = re.compile(r"翻倍|翻了一番|翻番")
HALVED = re.compile(r"减半")
NEARLY_HALVED = re.compile(r"(?:几乎|近)[^，,。]{0,10}?减半")
COUNT_UNITS = {"份合约", "份", "名", "人", "个季度", "quarters"}


def unit_of(match: re.Match[str]) -> str | None:
    unit = (match.group("unit") or "").lower()
    if match.group("cur") in ("$", "US$") or unit in ("美元", "美金", "美分", "cent", "cents"):
        return "USD"
    if match.group("cur") == "¥" or unit in ("人民币", "元"):
        return "CNY"
    if unit in ("%", "个百分点", "percent") or unit.startswith("percentage point"):
        return "percent"
    if unit in ("basis points", "bps"):
        return "bps"
    if unit in ("倍", "x"):
        return "multiple"
    if unit in COUNT_UNITS:
        return "count"
    return None


def value_of(match: re.Match[str]) -> tuple[Decimal, Decimal | None]:
    """(value, upper end of a range or None) in base units."""
    value = parse_number(match.group("num")) * scale_of(match.group("mag"))
    high = None
    if match.group("num2"):
        mag2 = match.group("mag2") or match.group("mag")
        high = parse_number(match.group("num2")) * scale_of(mag2)
        if match.group("mag2") and not match.group("mag"):  # "1000-1190亿": the magnitude is written once
            value = parse_number(match.group("num")) * scale_of(mag2)
    return value, high


VERBAL = re.compile(r"\b(?:(low|mid|high|upper|lower)-?\s+to\s+)?(low|mid|high|upper|lower)[- ]?$", re.I)


def qualifier_of(before: str, after: str) -> str | None:
    verbal = VERBAL.search(before[-24:])
    if verbal:  # "in the mid-70% range", "mid- to upper-40%": a level, not the number printed
        levels = [g.lower() for g in verbal.groups() if g]
        return "verbal_" + "_to_".join(levels)
    near = before[-16:]
    if MORE_THAN.search(near) or re.match(r"\s?(?:以上|多)", after):
        return "more_than"
    if APPROX.search(near) or re.match(r"\s?左右", after):
        return "approximately"
    if NEARLY.search(near):
        return "nearly"
    return None


def place_value(number: str, magnitude: str | None) -> Decimal:
    """Place value of the last written digit, in base units: '393' 亿 → 1e8, '25.3' 亿 → 1e7, '1,000' → 1."""
    decimals = len(number.split(".")[1]) if "." in number and number[0].isdigit() else 0
    scale = scale_of(magnitude)
    return scale / Decimal(10) ** decimals


def is_date_or_time(text: str, match: re.Match[str]) -> bool:
    """Years, dates and clock times are not figures: '2025年', '3月7日', '2:00', 'Q4', 'January 26, 2025'."""
    end = match.end("num")
    following = text[end:end + 1]
    preceding = text[max(0, match.start("num") - 1):match.start("num")]
    if match.group("unit") or match.group("mag") or match.group("cur"):
        return False
    if re.search(r"[A-Za-z]{3,}\.?\s$", text[max(0, match.start("num") - 12):match.start("num")]) and \
            re.match(r"\d{1,2}$", match.group("num")) and re.match(r",?\s\d{4}", text[end:end + 6]):
        return True  # the day of "January 26, 2025"
    return following in "年月日时:：号" or preceding in "Qq:：" or bool(re.match(r"\d{4}$", match.group("num")))


def word_figures(text: str) -> list[tuple[int, int, str, Decimal, str | None]]:
    """(start, end, unit, value, qualifier) of figures written in words in ``text``."""
    out = []
    for match in FRACTION.finditer(text):
        share = (parse_number(match.group("num")) / parse_number(match.group("den")) * 100).quantize(Decimal("0.01"))
        out.append((match.start(), match.end(), "percent", share, "nearly" if match.group("near") else None))
    for match in DOUBLED.finditer(text):
        out.append((match.start(), match.end(), "percent", Decimal(100), None))
    for match in HALVED.finditer(text):
        nearly = NEARLY_HALVED.search(text[:match.end()])
        out.append((match.start(), match.end(), "percent", Decimal(-50), "nearly" if nearly else None))
    return out


@dataclass(frozen=True)
class Number:
    """A figure as written: where it is in its sentence, its value in base units, unit and qualifier."""

    start: int
    end: int
    unit: str
    value: Decimal
    high: Decimal | None
    qualifier: str | None
    rounding: Decimal  # place value of the last written digit
    parenthesized: bool = False  # "($2.33)": a negative amount as accounts print it


def numbers_in(sentence: str, start: int, stop: int) -> list[Number]:
    """The figures of sentence[start:stop] (a clause), in order: digits and numerals, then words."""
    out = []
    for match in FIGURE.finditer(sentence, start, stop):
        unit = unit_of(match)
        if unit is None or (unit == "count" and match.group("num") == "一") or is_date_or_time(sentence, match):
            continue  # 一份 / 一名: an article ("a report"), not a count
        value, high = value_of(match)
        rounding = place_value(match.group("num"), match.group("mag"))
        if (match.group("unit") or "").lower() in ("美分", "cent", "cents"):  # "89 cents" is $0.89
            value, high, rounding = value / 100, high / 100 if high is not None else None, rounding / 100
        if unit == "bps":
            unit, value, rounding = "percent", value / 100, rounding / 100
        before, after = sentence[start:match.start()], sentence[match.end():stop]
        qualifier = "range" if high is not None else qualifier_of(before, after)
        if unit == "percent" and DECLINE.search(before[-8:]):
            value = -value
        wrapped = bool(match.group("cur")) and sentence[match.start() - 1:match.start()] == "(" \
            and sentence[match.end():match.end() + 1] == ")"  # "($2.33)"; a Chinese aside "(375亿美元)" is not
        out.append(Number(match.start(), match.end(), unit, value, high, qualifier, rounding, wrapped))
    out = _between(sentence, out)
    for a, b, unit, value, qualifier in word_figures(sentence[start:stop]):
        out.append(Number(start + a, start + b, unit, value, None, qualifier,
                          Decimal("0.01") if value % 1 else Decimal(1)))
    return sorted(out, key=lambda n: n.start)


RANGE_JOIN = re.compile(r"^\s*(?:-|–|~|to|至|到)\s*$", re.I)
AND = re.compile(r"^\s*and\s*$", re.I)


def _between(sentence: str, numbers: list[Number]) -> list[Number]:
    """"9% to 11%" and "between $67.7 billion and $68.7 billion" are one range (two amounts of one unit)."""
    out: list[Number] = []
    for n in numbers:
        last = out[-1] if out else None
        if last is not None and last.high is None and n.high is None and last.unit == n.unit:
            joint = sentence[last.end:n.start]
            percent_range = last.unit == "percent" and RANGE_JOIN.match(joint)
            between = AND.match(joint) and sentence[:last.start].rstrip().lower().endswith("between")
            if percent_range or between:
                out[-1] = Number(last.start, n.end, last.unit, last.value, n.value, "range",
                                 min(last.rounding, n.rounding))
                continue
        out.append(n)
    return out
