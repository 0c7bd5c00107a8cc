"""Periods as news writes them, found with their place in a sentence and turned into labels.

A mention is what the text says ("2024年Q4", "the fourth quarter ended January 26, 2025", "本季度", "fiscal 2026",
"2012年到2022年", "3月7日", "now"); ``label`` resolves it for one company and the article's date into a fiscal label
(FY2025Q4, FY2026), a calendar year or quarter (2025, 2024Q4, 2012-2022), a month (2023-03) or a day (2025-03-07).
A period written right after a comparison word ("較第三季度", "from a year ago") is a comparison base, not the
figure's own period.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date

from tasks.fiscal import FiscalPeriod, last_day_of_month, last_quarter_end_before
from tasks.news.news_vocabulary import NewsVocabulary, news_vocabulary

YEAR = r"(?:19|20)\d{2}"
CN_ORDINAL = r"[一二三四1-4]"


@dataclass(frozen=True)
class Mention:
    start: int
    end: int
    kind: str  # cal_quarter, fiscal_quarter, quarter_end, bare_quarter, fiscal_year, year, years, month, day, rel, now,
    # partial (a part of a year: word is H1, 9M, YTD or TTM)
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    day: int | None = None
    year_to: int | None = None
    word: str | None = None  # the relative word's key (this_quarter, last_year, ...)
    base: bool = False  # a comparison base ("较第三季度")
    shift: int = 0  # periods before this one (a starting value "from X" is one period earlier)
    text: str = ""  # as written


def _ordinal(text: str, vocab: NewsVocabulary) -> int:
    return vocab.ordinals.get(text.lower(), 0) or {"一": 1, "二": 2, "三": 3, "四": 4}.get(text, 0) or int(text)


def _compile(vocab: NewsVocabulary) -> list[tuple[str, re.Pattern[str]]]:
    ordinal = "|".join(sorted((re.escape(w) for w in vocab.ordinals if w.isalpha()), key=len, reverse=True))
    month = "|".join(vocab.months)
    return [
        ("years", re.compile(rf"(?P<y>{YEAR})\s*年?\s*(?:至|到|-|–|to)\s*(?P<y2>{YEAR})\s*年?", re.I)),
        ("cn_day", re.compile(rf"(?:(?P<y>{YEAR})\s*年\s*)?(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]")),
        ("cn_month", re.compile(rf"(?P<y>{YEAR})\s*年\s*(?P<m>\d{{1,2}})\s*月")),
        ("cn_fiscal_quarter", re.compile(
            rf"(?P<y>{YEAR})\s*财年\s*(?:Q(?P<q>[1-4])|第?(?P<cq>{CN_ORDINAL})(?:财季|季度|季))", re.I)),
        ("cn_cal_quarter", re.compile(rf"(?P<y>{YEAR})\s*年\s*(?:Q(?P<q>[1-4])|第?(?P<cq>{CN_ORDINAL})(?:季度|季))",
                                      re.I)),
        ("quarter_end", re.compile(
            rf"(?:(?P<o>{ordinal})[\s-]+)?(?:quarter|three\s+months|3\s+months)(?:,?\s+(?:which|that))?\s+"
            rf"(?:ended|ending|closed|to|through)\s+"
            rf"(?P<mn>{month})\s+(?P<d>\d{{1,2}})(?:,?\s+(?P<y>{YEAR}))?", re.I)),
        ("en_fiscal_quarter", re.compile(
            rf"(?:(?P<o>{ordinal})[\s-]+quarter\s+(?:of\s+)?(?:fiscal(?:\s+year)?|fy)\s*(?P<y>{YEAR}|\d{{2}})"
            rf"|Q(?P<q>[1-4])\s*(?:fiscal(?:\s+year)?\s*|fy\s*)(?P<y2>{YEAR}|\d{{2}})"
            rf"|(?:fiscal(?:\s+year)?\s*|fy\s*)(?P<y3>{YEAR}|\d{{2}})\s*(?:Q(?P<q2>[1-4])|(?P<o2>{ordinal})[\s-]+quarter))"
            rf"(?![\w])", re.I)),
        ("en_cal_quarter", re.compile(
            rf"(?:(?P<o>{ordinal})[\s-]+quarter\s+(?:of\s+)?(?P<y>{YEAR})|Q(?P<q>[1-4])\s*(?P<y2>{YEAR}))", re.I)),
        ("cn_fiscal_year", re.compile(rf"(?P<y>{YEAR})\s*(?:财年|财政年度)", re.I)),
        ("en_fiscal_year", re.compile(rf"(?:fiscal(?:\s+year)?\s+|fy\s?)(?P<y>{YEAR}|\d{{2}})(?![\w])", re.I)),
        ("en_day", re.compile(rf"(?P<mn>{month})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>{YEAR})", re.I)),
        ("bare_quarter", re.compile(
            rf"(?:(?<![上下前后每这该本])第?(?P<cq>{CN_ORDINAL})(?:财季|季度)|(?<![A-Za-z])Q(?P<q>[1-4])(?![\w])"
            rf"|(?P<o>{ordinal})[\s-]+quarter)", re.I)),
        ("year", re.compile(rf"(?P<y>{YEAR})\s*年|(?<![\w$.,]){'(?:in|for|by|of|during)'}\s+(?P<y2>{YEAR})(?![\w%])",
                            re.I)),
    ]


_PATTERNS: list[tuple[str, re.Pattern[str]]] = []


def _year(text: str | None) -> int | None:
    if not text:
        return None
    return int(text) + 2000 if len(text) == 2 else int(text)


def _mention(kind: str, m: re.Match[str], vocab: NewsVocabulary) -> Mention:
    g = m.groupdict()
    q = g.get("q") or g.get("q2") or g.get("cq")
    o = g.get("o") or g.get("o2")
    quarter = int(q) if q and q.isdigit() else (_ordinal(q, vocab) if q else (_ordinal(o, vocab) if o else None))
    year = _year(g.get("y") or g.get("y2") or g.get("y3"))
    if kind == "years":
        return Mention(m.start(), m.end(), "years", year=year, year_to=_year(g["y2"]))
    if kind in ("cn_day", "en_day"):
        month = int(g["m"]) if g.get("m") else vocab.months[g["mn"].lower()]
        return Mention(m.start(), m.end(), "day", year=_year(g.get("y")), month=month, day=int(g["d"]))
    if kind == "cn_month":
        return Mention(m.start(), m.end(), "month", year=year, month=int(g["m"]))
    if kind == "quarter_end":  # without a year: the latest such day on or before the article (see ``label``)
        return Mention(m.start(), m.end(), "quarter_end", year=_year(g.get("y")), month=vocab.months[g["mn"].lower()],
                       day=int(g["d"]))
    if kind.endswith("fiscal_quarter"):
        return Mention(m.start(), m.end(), "fiscal_quarter", year=year, quarter=quarter)
    if kind.endswith("cal_quarter"):
        return Mention(m.start(), m.end(), "cal_quarter", year=year, quarter=quarter)
    if kind.endswith("fiscal_year"):
        return Mention(m.start(), m.end(), "fiscal_year", year=year)
    if kind == "bare_quarter":
        return Mention(m.start(), m.end(), "bare_quarter", quarter=quarter)
    return Mention(m.start(), m.end(), "year", year=year)


def _patterns() -> list[tuple[str, re.Pattern[str]]]:
    if not _PATTERNS:
        _PATTERNS.extend(_compile(news_vocabulary()))
    return _PATTERNS


def first_quarter_end(text: str) -> Mention | None:
    """The first "quarter ended <date>" of a text (a results announcement names the quarter it reports)."""
    rx = dict(_patterns())["quarter_end"]
    found = rx.search(text)
    return replace(_mention("quarter_end", found, news_vocabulary()), text=found.group(0)) if found else None


def mentions(text: str) -> list[Mention]:
    """Every period the text names, left to right, the longest reading where two overlap."""
    vocab = news_vocabulary()
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= s or a >= e for s, e in taken)

    for code, rx in vocab.partial:  # first: "2025年前三季度" is nine months, not the year or the third quarter
        for m in rx.finditer(text):
            if re.match(r"\s*(?:前|后|以前|以后|ago|later|from now)", text[m.end():], re.I):
                continue  # "六个月前" / "six months ago": a moment, not a span of results
            start, end, year = m.start(), m.end(), None
            year_before = re.search(rf"(?P<y>{YEAR})\s*年?\s*$", text[:start])
            year_after = re.match(rf"\s*(?:of\s+)?(?:fiscal\s+)?(?P<y>{YEAR})(?![\d%])", text[end:])
            if year_before and start - year_before.start() <= 6:
                start, year = year_before.start(), int(year_before.group("y"))
            elif year_after:
                end, year = end + year_after.end(), int(year_after.group("y"))
            if free(start, end):
                found.append(Mention(start, end, "partial", year=year, word=code))
                taken.append((start, end))
    for kind, rx in _patterns():
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                found.append(_mention(kind, m, vocab))
                taken.append((m.start(), m.end()))
    for key, rx in vocab.period_words.items():
        if key in ("quarter_words", "fiscal_words"):
            continue
        for m in rx.finditer(text):
            if free(m.start(), m.end()):
                found.append(Mention(m.start(), m.end(), "rel", word=key))
                taken.append((m.start(), m.end()))
    for m in vocab.now.finditer(text):
        if free(m.start(), m.end()):
            found.append(Mention(m.start(), m.end(), "now"))
            taken.append((m.start(), m.end()))
    marked = []
    for mention in found:
        before = text[max(0, mention.start - 12):mention.start]
        tail = re.search(rf"(?:{vocab.comparison.pattern})\s*(?:the\s+|上年|去年)?$", before, re.I)
        # "上一季度展望" / "the prior quarter's outlook": when an outlook was given, not the figure's period
        outlook_of = re.match(rf"\s*(?:的|'s)?\s*(?:{vocab.outlook_nouns.pattern})", text[mention.end:mention.end + 8],
                              re.I)
        marked.append(replace(mention, base=bool(tail or outlook_of), text=text[mention.start:mention.end]))
    return sorted(marked, key=lambda x: x.start)


QUARTER_KINDS = {"bare_quarter", "cal_quarter", "fiscal_quarter", "quarter_end"}
QUARTER_WORDS = {"this_quarter", "last_quarter", "next_quarter"}


def comparison_of(mention: Mention, text: str) -> str | None:
    """yoy/qoq for a comparison-base mention: "较第三季度" → qoq, "较去年同期" → yoy."""
    if mention.kind in QUARTER_KINDS or mention.word == "last_quarter":
        return "yoy" if text[mention.end:mention.end + 2] == "同期" else "qoq"
    if mention.kind in ("year", "fiscal_year") or mention.word in ("last_year", "this_year"):
        return "yoy"
    return None


def _latest_quarter(published: date, fye: str | None, quarter: int | None = None) -> FiscalPeriod:
    """The latest quarter closed before publication (the latest of number ``quarter`` if given)."""
    fye = fye or "1231"
    latest = FiscalPeriod.quarter_ending(last_quarter_end_before(published, fye), fye)
    while quarter is not None and latest.quarter != quarter:
        latest = latest.shifted(-1)
    return latest


def _quarter_label(period: FiscalPeriod, fye: str | None) -> str:
    """FY2025Q4 on a known fiscal calendar; 2025Q4 (a calendar quarter) for a company whose calendar is unknown."""
    return period.label if fye else f"{period.fiscal_year}Q{period.quarter}"


def label(mention: Mention, fye: str | None, published: date | None, *, forward: bool = False) -> str | None:
    """The period a mention names, for a company with fiscal year end ``fye`` (MMDD, None: calendar)."""
    kind, year, q, shift = mention.kind, mention.year, mention.quarter, mention.shift
    if kind == "now":
        return None
    if kind == "partial":  # nine months, a half, year to date, trailing twelve months: never a fiscal period
        return f"{year}-{mention.word}" if year else mention.word
    if kind == "years" and year and mention.year_to:
        return f"{year}-{mention.year_to}"
    if kind == "day" and mention.month and mention.day:
        year = year or (published.year if published else None)
        return f"{year}-{mention.month:02d}-{mention.day:02d}" if year else None
    if kind == "month" and year and mention.month:
        return f"{year}-{mention.month:02d}"
    if kind == "quarter_end" and mention.month and mention.day and (year or published):
        if year is None and published is not None:
            year = published.year if (mention.month, mention.day) <= (published.month, published.day) \
                else published.year - 1
        end = date(year or 1, mention.month, mention.day)
        return _quarter_label(FiscalPeriod.quarter_ending(end, fye or "1231").shifted(-shift), fye)
    if kind == "fiscal_quarter" and year and q:
        return _quarter_label(FiscalPeriod(year, q).shifted(-shift), fye or "1231")
    if kind == "cal_quarter" and year and q:
        if not fye:
            return _quarter_label(FiscalPeriod(year, q).shifted(-shift), None)
        end = last_day_of_month(year, 3 * q)  # the calendar quarter's last day
        nearest = min((FiscalPeriod(fy, fq).nominal_end(fye) for fy in (year, year + 1) for fq in (1, 2, 3, 4)),
                      key=lambda d: abs((d - end).days))
        return _quarter_label(FiscalPeriod.quarter_ending(nearest, fye).shifted(-shift), fye)
    if kind == "fiscal_year" and year:
        return FiscalPeriod(year - shift).label
    if kind == "year" and year:
        return str(year - shift)
    if published is None:
        return None
    if kind == "bare_quarter" and q:
        if forward:  # "expects third-quarter revenue": the next quarter of that number, not the last one
            ahead = _latest_quarter(published, fye).shifted(1)
            while ahead.quarter != q:
                ahead = ahead.shifted(1)
            return _quarter_label(ahead.shifted(-shift), fye)
        return _quarter_label(_latest_quarter(published, fye, q).shifted(-shift), fye)
    word = mention.word
    if word in ("this_quarter", "last_quarter", "next_quarter"):
        by = {"this_quarter": 0, "last_quarter": 1, "next_quarter": -1}[word] + shift
        return _quarter_label(_latest_quarter(published, fye).shifted(-by), fye)
    if word in ("this_year", "last_year", "next_year"):
        return str(published.year - {"this_year": 0, "last_year": 1, "next_year": -1}[word] - shift)
    if word in ("this_fiscal_year", "full_year") and fye:
        current = FiscalPeriod.year_containing(published, fye).fiscal_year
        if word == "full_year" and not forward:
            current = _latest_quarter(published, fye).fiscal_year  # the year whose results are being reported
        return FiscalPeriod(current - shift).label
    if word in ("this_fiscal_year", "full_year"):
        return str(published.year - shift)
    return None


def calendar_of(period: str | None, fye: str | None) -> str | None:
    """The calendar quarter or year a normalised period mostly covers (FY2025Q4 of NVIDIA → 2024Q4)."""
    if not period:
        return None
    fiscal = FiscalPeriod.parse_or_none(period)
    if fiscal and fye:
        return fiscal.calendar_label(fiscal.nominal_end(fye))
    return period if re.fullmatch(r"\d{4}(?:Q[1-4])?", period) else None
