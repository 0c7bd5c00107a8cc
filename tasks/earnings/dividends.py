"""The regular dividend per share that an earnings release announces in its text → actuals rows (pure).

Releases announce the quarter's dividend in prose, never in the results tables: "will pay its next quarterly cash
dividend of $0.25 per share on ...", "declared a quarterly dividend of ... ($1.63) per share", "is raising its
quarterly dividend from $0.40 per share to $0.44 per share". The row belongs to the release's quarter (the dividend
announced with that quarter's results; it is usually paid in the next one). Only a regular dividend counts: special,
annual(ized) and year-to-date amounts are not a quarter's dividend. A restatement on the share basis after a stock
split ("equivalent to $0.01 per share on a post-split basis") is a second row, detail ``split_adjusted``. The words
are vocabulary (schemas/release_vocabulary.yaml, ``dividends``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from tasks.earnings.release_document import release_lines
from tasks.earnings.release_text import sentences
from tasks.earnings.vocabulary import raw_section, words
from tasks.errors import ConfigError

# "$0.25 per share", "($1.63) per share", "$0.10 a share", "25 cents per share"
_PER_SHARE = re.compile(
    r"(?:\(?\$\s?(?P<usd>\d+(?:\.\d+)?)\)?|(?P<cents>\d+(?:\.\d+)?)\s+cents)\s+(?:per|a)\s+(?:common\s+)?share", re.I)
# "a quarterly cash dividend of $0.21": an amount right after the dividend's name, "per share" left unsaid
_OF_AMOUNT = re.compile(
    r"\s+of\s+\$\s?(?P<usd>\d+(?:\.\d+)?)(?![\d.,]?\d|\s*(?:billion|million|thousand|[bmk]\b))", re.I)
_FROM = re.compile(r"\bfrom\s*$", re.I)


@dataclass(frozen=True)
class DividendWords:
    regular: re.Pattern[str]
    earlier: re.Pattern[str]
    not_regular: re.Pattern[str]
    change: re.Pattern[str]
    split_adjusted: re.Pattern[str]
    any: re.Pattern[str]


@cache
def dividend_words() -> DividendWords:
    section = raw_section("dividends")
    try:
        return DividendWords(**{name: words(section[name]) for name in DividendWords.__dataclass_fields__})
    except (KeyError, TypeError, re.error) as exc:
        raise ConfigError(f"schemas/release_vocabulary.yaml: malformed `dividends` entry: {exc!r}") from None


def _amounts(text: str) -> list[tuple[Decimal, int]]:
    """(dollars per share, start) of every per-share amount in ``text``."""
    out = []
    for m in _PER_SHARE.finditer(text):
        value = Decimal(m.group("usd")) if m.group("usd") else Decimal(m.group("cents")) / 100
        out.append((value, m.start()))
    return out


def regular_dividend(sentence: str) -> Decimal | None:
    """The regular dividend per share a sentence announces, or None: the first per-share amount after the
    dividend's name (or a dollar amount right after "... dividend of"), or the new amount of a change written
    "from $A ... to $B"."""
    w = dividend_words()
    if w.not_regular.search(sentence):
        return None
    named = next((m for m in w.regular.finditer(sentence)
                  if not re.search(rf"(?:{w.earlier.pattern})\s*$", sentence[max(0, m.start() - 40):m.start()])),
                 None)
    if named is None:
        return None
    amounts = [(value, at) for value, at in _amounts(sentence) if at > named.start()]
    if not amounts:
        unsaid = _OF_AMOUNT.match(sentence, named.end())
        return Decimal(unsaid.group("usd")) if unsaid else None
    first_value, first_at = amounts[0]
    if len(amounts) > 1 and w.change.search(sentence) and _FROM.search(sentence[:first_at]):
        return amounts[1][0]
    return first_value


def split_adjusted_dividend(sentence: str) -> Decimal | None:
    """The dividend per share restated on a post-split share basis, or None."""
    w = dividend_words()
    if not (w.any.search(sentence) and w.split_adjusted.search(sentence)) or w.not_regular.search(sentence):
        return None
    amounts = _amounts(sentence)
    return amounts[-1][0] if amounts else None


def announced_dividends(body: bytes, *, doc: str, exhibit: str) -> list[dict[str, Any]]:
    """At most two rows: the regular dividend per share, and its post-split equivalent when the release gives one.
    Each row's source quotes the sentence."""
    found: dict[str | None, dict[str, Any]] = {}
    named = dividend_words().any
    for line in release_lines(body, doc):
        if not named.search(line):
            continue  # most lines name no dividend: not split into sentences
        for sentence in sentences(line):
            detail: str | None = "split_adjusted"
            value = split_adjusted_dividend(sentence)
            if value is None:
                detail, value = None, regular_dividend(sentence)
            if value is None or detail in found:
                continue
            found[detail] = {"metric": "dividend", "metric_detail": detail, "segment": None, "value": value,
                             "unit": "USD/share", "source": f"{exhibit} text: {sentence!r}"}
    if None not in found:
        return []  # a post-split amount alone is not the release's announcement of its dividend
    return list(found.values())
