"""Text out of markup, the one way: whitespace of every kind (zero-width spaces too) squeezed to single spaces.

Two parsers read markup here — lxml for XML (feeds, inline XBRL) and BeautifulSoup for HTML pages (EDGAR index
pages, articles) — and both give their text through these helpers.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from tasks.errors import ParseError


def parse_xml(body: bytes, doc: str, locator: str, *, max_bytes: int, malformed: str) -> etree._Element:
    """An XML document parsed without entities, DTDs or network access, and refused past ``max_bytes``;
    ``malformed`` says what the document should have been when it does not parse."""
    if len(body) > max_bytes:
        raise ParseError(doc, locator, f"{len(body)} bytes is over the {max_bytes}-byte limit")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                             remove_comments=True)
    try:
        root = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as exc:
        raise ParseError(doc, locator, f"{malformed}: {exc}") from None
    if root is None:
        raise ParseError(doc, locator, "empty document")
    return root


def squeeze(text: str) -> str:
    """Every run of whitespace (including zero-width spaces) as one space, no space at either end."""
    return " ".join((text.replace("\u200b", " ") if "\u200b" in text else text).split())


def element_text(node: etree._Element | None) -> str:
    """All text inside an XML element, squeezed; "" for no element."""
    return squeeze("".join(node.itertext())) if node is not None else ""


def tag_text(node: Any) -> str:
    """All text inside a BeautifulSoup tag (words of adjacent tags kept apart), squeezed; "" for no tag."""
    return squeeze(node.get_text(" ")) if node is not None else ""
