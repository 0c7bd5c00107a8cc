"""Earnings-release HTML → text lines and sentences (pure)."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from tasks.errors import ParseError

BLOCK_TAGS = ("p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th", "section")
_SPACE = re.compile(r"[\s\u00a0\u2002\u2003\u2009\u200b\u202f]+")
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z•\"“(])")
_BULLETS = "•●▪·◦-–*"


def normalise(text: str) -> str:
    """Collapse every kind of whitespace to one space."""
    return _SPACE.sub(" ", text).strip()


def html_lines(body: bytes, doc: str) -> list[str]:
    """The text of every block element, one line each, whitespace-collapsed."""
    if not body.strip():
        raise ParseError(doc, "body", "empty document")
    soup = BeautifulSoup(body, "lxml")
    if soup.body is None and soup.find("html") is None:
        raise ParseError(doc, "body", "not an HTML document")
    for tag in soup(["script", "style"]):
        tag.decompose()
    for tag in soup.find_all(BLOCK_TAGS):
        tag.append("\n")
    lines = [normalise(line) for line in soup.get_text().split("\n")]
    return [line for line in lines if line]


def clean_sentence(text: str) -> str:
    """Drop a leading bullet and an unbalanced quotation mark at either end."""
    text = text.strip().lstrip(_BULLETS).strip()
    if text.endswith("”") and text.count("”") > text.count("“"):
        text = text[:-1].rstrip()
    if text.startswith("“") and text.count("“") > text.count("”"):
        text = text[1:].lstrip()
    if text.count('"') % 2 == 1:
        text = text.strip('"').strip()
    return text


def sentences(line: str) -> list[str]:
    return [s for s in (clean_sentence(p) for p in _SENTENCE_END.split(line)) if s]
