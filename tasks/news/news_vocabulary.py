"""The reviewed vocabulary of news figures (schemas/news_vocabulary.yaml), compiled once.

Patterns match folded text (Simplified script, see ``tasks.news.news_text``); English phrases match as whole words,
Chinese phrases anywhere (Chinese has no spaces between words).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from tasks.config_files import schema_yaml
from tasks.errors import ConfigError

_FILE = "news_vocabulary.yaml"


def _is_cjk(text: str) -> bool:
    return all("\u4e00" <= c <= "\u9fff" for c in text)


def with_dropped_characters(phrases: list[str]) -> list[str]:
    """Each Chinese word also with one character after its first dropped to a space ("收入" → "收 ")."""
    out = list(phrases)
    for phrase in phrases:
        if len(phrase) >= 2 and _is_cjk(phrase):
            out.extend(phrase[:i] + " " + phrase[i + 1:] for i in range(1, len(phrase)))
    return out


def phrase_pattern(phrases: list[str]) -> re.Pattern[str]:
    """Any of ``phrases``, longest first; Latin words only at word boundaries, case-insensitive."""
    parts = []
    for phrase in sorted({str(p) for p in phrases}, key=len, reverse=True):
        if phrase.endswith(" ") and _is_cjk(phrase.strip()):  # a dropped last character: a space, then more text
            parts.append(re.escape(phrase[:-1]) + r" (?=\S)")
            continue
        body = re.escape(phrase).replace(r"\ ", r"\s+")
        if phrase[:1].isascii() and phrase[:1].isalnum():
            body = rf"(?<![A-Za-z0-9]){body}"
        if phrase[-1:].isascii() and phrase[-1:].isalnum():
            body = rf"{body}(?![A-Za-z0-9])"
        parts.append(body)
    return re.compile("|".join(parts) or r"(?!)", re.I)


@dataclass(frozen=True)
class NewsVocabulary:
    measures: tuple[tuple[str, re.Pattern[str]], ...]
    not_measures: re.Pattern[str]
    unmodified: frozenset[str]
    stock_moves: re.Pattern[str]
    guidance_exceptions: re.Pattern[str]
    outlook_nouns: re.Pattern[str]
    issuer_measures: frozenset[str]
    investor_measures: frozenset[str]
    levels: frozenset[str]
    yoy: re.Pattern[str]
    qoq: re.Pattern[str]
    growth: re.Pattern[str]
    points: re.Pattern[str]
    comparison: re.Pattern[str]
    starting_value: re.Pattern[str]
    guidance: re.Pattern[str]
    estimate: re.Pattern[str]
    beat: re.Pattern[str]
    miss: re.Pattern[str]
    streak: re.Pattern[str]
    requirement: re.Pattern[str]
    peaks: re.Pattern[str]
    losses: re.Pattern[str]
    per_share: re.Pattern[str]
    refers_back: re.Pattern[str]
    change_amounts: re.Pattern[str]
    plain_revenue_words: frozenset[str]
    revenue_phrase_breaks: frozenset[str]
    adjusted_words: re.Pattern[str]
    from_previous: frozenset[str]
    split_adjusted: re.Pattern[str]
    conditional: re.Pattern[str]
    year_ago: re.Pattern[str]
    share: re.Pattern[str]
    products: re.Pattern[str]
    now: re.Pattern[str]
    gaap: re.Pattern[str]
    non_gaap: re.Pattern[str]
    respectively: re.Pattern[str]
    plus_minus: re.Pattern[str]
    period_words: dict[str, re.Pattern[str]]
    ordinals: dict[str, int]
    months: dict[str, int]
    partial: tuple[tuple[str, re.Pattern[str]], ...]  # (H1 / 9M / YTD / TTM, its words)


def _list(raw: dict[str, Any], key: str) -> list[str]:
    value = raw.get(key)
    if not isinstance(value, list) or not value:
        raise ConfigError(f"schemas/{_FILE}: '{key}' must be a non-empty list")
    return [str(v) for v in value]


@cache
def news_vocabulary() -> NewsVocabulary:
    raw = schema_yaml(_FILE, "the news vocabulary")
    measures = raw.get("measures") or {}
    growth, bases, periods = raw.get("growth") or {}, raw.get("bases") or {}, raw.get("periods") or {}
    if not measures or not growth or not bases or not periods:
        raise ConfigError(f"schemas/{_FILE}: needs measures, growth, bases and periods")
    ordinals = {str(word).lower(): int(n) for n, words in (periods.get("ordinals") or {}).items() for word in words}
    months = {str(m).lower(): i for i, m in enumerate(_list(periods, "months"), start=1)}
    return NewsVocabulary(
        measures=tuple((str(name), phrase_pattern(with_dropped_characters([str(w) for w in words])))
                       for name, words in measures.items()),
        not_measures=phrase_pattern(_list(raw, "not_measures")), unmodified=frozenset(_list(raw, "unmodified")),
        stock_moves=phrase_pattern(_list(raw, "stock_moves")),
        guidance_exceptions=phrase_pattern(_list(raw, "guidance_exceptions")),
        outlook_nouns=phrase_pattern(_list(raw, "outlook_nouns")),
        issuer_measures=frozenset(_list(raw, "issuer_measures")),
        investor_measures=frozenset(_list(raw, "investor_measures")),
        levels=frozenset(_list(raw, "levels")),
        yoy=phrase_pattern(_list(growth, "yoy")), qoq=phrase_pattern(_list(growth, "qoq")),
        growth=phrase_pattern(with_dropped_characters(_list(growth, "words"))),
        points=phrase_pattern(_list(growth, "points")),
        comparison=phrase_pattern(_list(raw, "comparison_markers")),
        starting_value=phrase_pattern(_list(raw, "starting_value_markers")),
        guidance=phrase_pattern(_list(raw, "guidance")), estimate=phrase_pattern(_list(raw, "estimate")),
        beat=phrase_pattern(_list(raw, "beat")), miss=phrase_pattern(_list(raw, "miss")),
        streak=phrase_pattern(_list(raw, "streak")), requirement=phrase_pattern(_list(raw, "requirement")),
        peaks=phrase_pattern(_list(raw, "peaks")), losses=phrase_pattern(_list(raw, "losses")),
        per_share=phrase_pattern(_list(raw, "per_share")), refers_back=phrase_pattern(_list(raw, "refers_back")),
        change_amounts=phrase_pattern(_list(raw, "change_amounts")),
        plain_revenue_words=frozenset(w.lower() for w in _list(raw, "plain_revenue_words")),
        revenue_phrase_breaks=frozenset(w.lower() for w in _list(raw, "revenue_phrase_breaks")),
        adjusted_words=phrase_pattern(_list(raw, "adjusted_words")),
        from_previous=frozenset(_list(raw, "from_previous")),
        split_adjusted=phrase_pattern(_list(raw, "split_adjusted")),
        conditional=phrase_pattern(_list(raw, "conditional")),
        year_ago=phrase_pattern(_list(raw, "year_ago")), share=phrase_pattern(_list(raw, "share")),
        products=phrase_pattern(_list(raw, "products")), now=phrase_pattern(_list(raw, "now")),
        gaap=phrase_pattern(_list(bases, "gaap")), non_gaap=phrase_pattern(_list(bases, "non_gaap")),
        respectively=phrase_pattern(_list(raw, "respectively")),
        plus_minus=phrase_pattern(_list(raw, "plus_minus")),
        period_words={key: phrase_pattern(_list(periods, key)) for key in
                      ("this_quarter", "last_quarter", "next_quarter", "this_year", "last_year", "next_year",
                       "this_fiscal_year", "full_year", "quarter_words", "fiscal_words")},
        ordinals=ordinals, months=months,
        partial=tuple((str(code), phrase_pattern([str(w) for w in words]))
                      for code, words in (periods.get("partial") or {}).items()),
    )
