"""Text out of markup, the one way: whitespace of every kind (zero-width spaces too) squeezed to single spaces.

Two parsers read markup here — lxml for XML (feeds, inline XBRL) and BeautifulSoup for HTML pages (EDGAR index
pages, articles) — and both give their text through these helpers.
"""

from __future__ import annotations

from typing import Any

from lxml import etree


def squeeze(text: str) -> str:
    """Every run of whitespace (including zero-width spaces) as one space, no space at either end."""
    return " ".join(text.replace("\u200b", " ").split())


def element_text(node: etree._Element | None) -> str:
    """All text inside an XML element, squeezed; "" for no element."""
    return squeeze("".join(node.itertext())) if node is not None else ""


def tag_text(node: Any) -> str:
    """All text inside a BeautifulSoup tag (words of adjacent tags kept apart), squeezed; "" for no tag."""
    return squeeze(node.get_text(" ")) if node is not None else ""
