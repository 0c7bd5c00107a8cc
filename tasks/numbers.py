"""Numbers as filings and news write them — the one parser for releases, their tables, inline XBRL and news.

Digits may be ASCII or full-width, grouped with commas (or, with ``decimal_comma``, dots), signed with a hyphen, a
unicode minus or an en dash, or negative in parentheses; currency signs, percent signs and spaces around them are
not part of the number. Scale words (thousand … trillion, k/M/B/T, 千/万/亿/万亿) and Chinese numerals
(三, 十二, 一百) are read here too. Text in, Decimal out; ``NotANumber`` for anything else.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from tasks.errors import NotANumber

# Upper-case single letters are scales only right after a number ("$44.5B"); callers decide that.
SCALE_WORDS: dict[str, Decimal] = {
    "thousand": Decimal(10**3), "thousands": Decimal(10**3), "k": Decimal(10**3), "千": Decimal(10**3),
    "million": Decimal(10**6), "millions": Decimal(10**6), "m": Decimal(10**6), "mm": Decimal(10**6),
    "mn": Decimal(10**6), "mln": Decimal(10**6),
    "billion": Decimal(10**9), "billions": Decimal(10**9), "b": Decimal(10**9), "bn": Decimal(10**9),
    "bln": Decimal(10**9),
    "trillion": Decimal(10**12), "trillions": Decimal(10**12), "t": Decimal(10**12), "tn": Decimal(10**12),
    "万": Decimal(10**4), "亿": Decimal(10**8), "万亿": Decimal(10**12),
}
CHINESE_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8,
                  "九": 9}
CHINESE_UNITS = {"十": 10, "百": 100}
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)}, "．": ".", "，": ",", "−": "-", "–": "-",
                       "－": "-", "﹣": "-", "\u00a0": " ", "\u202f": " "})
_AROUND = re.compile(r"^[\s$€£¥%]*|[\s$€£¥%]*$")
_DIGITS = re.compile(r"^-?\d+(?:\.\d+)?$")


def fold_digits(text: str) -> str:
    """Full-width digits and separators as ASCII, every minus sign as '-', no-break spaces as spaces."""
    return text.translate(_FOLD)


def parse_decimal(text: str, *, decimal_comma: bool = False) -> Decimal:
    """'1,234.5' → 1234.5; '(12)' and '−12' → -12; '$ 3.10' → 3.10; '１２３' → 123; with ``decimal_comma``
    '1.234,5' → 1234.5."""
    folded = _AROUND.sub("", fold_digits(text))
    negative = folded.startswith("(")  # a table may split '(12' and ')' into two cells
    core = _AROUND.sub("", folded.strip("()"))
    if core.startswith("-"):
        negative, core = True, _AROUND.sub("", core[1:])
    core = core.replace(".", "").replace(",", ".") if decimal_comma else core.replace(",", "")
    core = core.replace(" ", "")
    if not _DIGITS.match(core):
        raise NotANumber(text)
    try:
        value = Decimal(core)
    except InvalidOperation:
        raise NotANumber(text) from None
    return -value if negative else value


def chinese_numeral(text: str) -> Decimal:
    """三 → 3, 十二 → 12, 一百 → 100, 两百五十 → 250 (numbers news writes in characters)."""
    if not text or any(c not in CHINESE_DIGITS and c not in CHINESE_UNITS for c in text):
        raise NotANumber(text)
    total, current = 0, 0
    for char in text:
        if char in CHINESE_DIGITS:
            current = CHINESE_DIGITS[char]
        else:
            total += (current or 1) * CHINESE_UNITS[char]
            current = 0
    return Decimal(total + current)


def parse_number(text: str) -> Decimal:
    """Digits (any of the forms above) or Chinese numerals."""
    folded = fold_digits(text).strip()
    return parse_decimal(folded) if folded[:1].isdigit() or folded[:1] in "-($" else chinese_numeral(folded)


def scale_of(word: str | None) -> Decimal:
    """The multiplier of a scale word ('billion', 'bn', 'M', '亿'); 1 for none."""
    return SCALE_WORDS.get((word or "").strip().lower(), Decimal(1))
