"""Article text as the figure extractor reads it: folded to one script, cut into paragraphs, sentences, clauses.

``fold`` turns Traditional characters into Simplified ones (zhconv) and drops the pinyin glosses a conversion can
leave behind ("英偉達(dá)" → "英伟达"); it keeps a map from every folded character back to the original text, so a
figure found in folded text is quoted from the article exactly as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import zhconv

GLOSS = re.compile(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùüǖǘǚǜ]+\)")
SENTENCE_END = re.compile(r"[。！？!?…]+[”」\"’]?|(?<![A-Z][a-z])(?<!\b[A-Z])\.(?=\s+[A-Z“\"(\u4e00-\u9fff])")
CLAUSE_END = re.compile(r"[；;]|[，,](?!\d)|[：:](?=\s*\D)")
HEADING_MAX_WORDS = 6
HEADING_MAX_CJK = 14


@lru_cache(maxsize=4096)
def _simplified_char(char: str) -> str:
    converted = str(zhconv.convert(char, "zh-hans"))
    return converted if len(converted) == 1 else char


@dataclass(frozen=True)
class Folded:
    """Folded text and, for each of its characters, the index of the original character it came from."""

    text: str
    origin: tuple[int, ...]
    original: str

    def quote(self, start: int, end: int) -> str:
        """The original text behind folded[start:end]."""
        if start >= end:
            return ""
        return self.original[self.origin[start]:self.origin[end - 1] + 1]


def fold(text: str) -> Folded:
    keep: list[int] = []
    cursor = 0
    for gloss in GLOSS.finditer(text):
        keep.extend(range(cursor, gloss.start()))
        cursor = gloss.end()
    keep.extend(range(cursor, len(text)))
    plain = "".join(text[i] for i in keep)
    converted = str(zhconv.convert(plain, "zh-hans"))
    if len(converted) != len(plain):  # a phrase conversion changed the length: convert character by character
        converted = "".join(_simplified_char(c) for c in plain)
    return Folded(converted, tuple(keep), text)


def spans(text: str, ends: re.Pattern[str], start: int = 0, stop: int | None = None) -> list[tuple[int, int]]:
    """(start, end) of the pieces of text[start:stop] cut after each match of ``ends``, stripped, non-empty."""
    stop = len(text) if stop is None else stop
    out, cursor = [], start
    for match in ends.finditer(text, start, stop):
        out.append((cursor, match.end()))
        cursor = match.end()
    out.append((cursor, stop))
    stripped = []
    for a, b in out:
        while a < b and text[a] in " \t「“\"":
            a += 1
        while b > a and text[b - 1] in " \t":
            b -= 1
        if a < b:
            stripped.append((a, b))
    return stripped


def paragraphs(text: str) -> list[tuple[int, int]]:
    out, cursor = [], 0
    for line in text.split("\n"):
        if line.strip():
            out.append((cursor, cursor + len(line)))
        cursor += len(line) + 1
    return out


def sentences(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    return spans(text, SENTENCE_END, start, stop)


def clauses(text: str, start: int, stop: int) -> list[tuple[int, int]]:
    return spans(text, CLAUSE_END, start, stop)


def is_heading(line: str) -> bool:
    """A short line without figures or closing punctuation: a section heading ("Data Center", "業績展望")."""
    line = line.strip()
    if not line or any(c.isdigit() for c in line) or line[-1] in "。.!?！？:：,，;；":
        return False
    cjk = sum(1 for c in line if "\u4e00" <= c <= "\u9fff")
    return cjk <= HEADING_MAX_CJK if cjk else len(line.split()) <= HEADING_MAX_WORDS


def is_lead_in(line: str) -> bool:
    """A paragraph that introduces the ones below it ("Outlook for the first quarter is as follows:")."""
    return line.rstrip().endswith((":", "："))
