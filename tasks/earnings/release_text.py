"""Earnings-release HTML → text lines and sentences (pure)."""

from __future__ import annotations

import re

import charset_normalizer
from lxml import etree

from tasks.errors import ParseError
from tasks.markup import squeeze

BLOCK_TAGS = frozenset(
    {"p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "td", "th", "section"})
SKIPPED_TAGS = frozenset({"script", "style"})
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]?\s+(?=[A-Z•\"“(])")
_BULLETS = "•●▪·◦-–*"


_DECLARED = re.compile(
    rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)|<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""", re.I)
_TAG = re.compile(r"<(?:html|body|div|p|table|span|font|head|title)\b", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def decode_html(body: bytes) -> str:
    """Text of an HTML document: BOM, else the declared charset (meta or XML declaration), else UTF-8,
    else the detected encoding (charset-normalizer), else Windows-1252. Undecodable bytes become U+FFFD
    rather than failing the document."""
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(codec, "replace")
    declared = _DECLARED.search(body[:8192])
    if declared:
        name = (declared.group(1) or declared.group(2)).decode("ascii").lower()
        name = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs"}.get(name, name)
        try:
            return body.decode(name, "replace")
        except LookupError:
            pass
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(body[:200_000]).best()  # undeclared GBK, Big5, Shift-JIS, ...
    if guess is not None:
        return body.decode(guess.encoding, "replace")
    return body.decode("cp1252", "replace")


def parse_html(body: bytes, doc: str) -> etree._Element:
    """The document tree (lxml's HTML parser: no network, no entities beyond HTML's own)."""
    if not body.strip():
        raise ParseError(doc, "body", "empty document")
    text = _XML_DECLARATION.sub("", decode_html(body), count=1)
    parser = etree.HTMLParser(no_network=True, remove_comments=True, remove_pis=True, huge_tree=False)
    try:
        root = etree.fromstring(text, parser=parser)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError) as exc:
        raise ParseError(doc, "body", f"not an HTML document: {exc}") from None
    if root is None or root.find("body") is None:
        raise ParseError(doc, "body", "not an HTML document (no body)")
    deep = next((e for e in parser.error_log if "depth" in e.message.lower()), None)
    if deep is not None:
        raise ParseError(doc, "body", f"the document nests deeper than a parser reads ({deep.message.strip()}): "
                                      f"its text cannot be read completely")
    head = text[:4096].lower()
    if not _TAG.search(text[:65536]):
        raise ParseError(doc, "body", "not an HTML document (no HTML elements in its first 64 KiB)")
    if "<html" in head and "</html>" not in text[-4096:].lower() and "</body>" not in text[-4096:].lower():
        raise ParseError(doc, "body", f"the document ends before </html> after {len(body)} bytes: truncated")
    return root


def text_of(node: etree._Element) -> str:
    """All text inside ``node`` (not its tail)."""
    return str(etree.tostring(node, method="text", encoding="unicode", with_tail=False))


def block_lines(root: etree._Element) -> list[str]:
    """The text of every block element of a parsed document, one line each, whitespace-collapsed (the tree is
    changed: each block ends with a line break)."""
    for element in root.iter(*BLOCK_TAGS):
        if len(element):
            last = element[-1]
            last.tail = (last.tail or "") + "\n"
        else:
            element.text = (element.text or "") + "\n"
    lines = [squeeze(line) for line in text_of(root).split("\n")]
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
