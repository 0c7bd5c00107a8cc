"""One parse of a release document (pure): its text lines — a table row is one line, its cells joined by ' | ' —
and its tables as rows of cells, with the text before each table. The guidance parser, the actuals parser and the
quarter-end reader all read the same document: the last few documents' views are kept."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from lxml import etree

from tasks.earnings.release_text import SKIPPED_TAGS, block_lines, parse_html, text_of
from tasks.errors import ParseError
from tasks.markup import squeeze

CELL_SEPARATOR = " | "
_MARK = "\ue000"  # a private-use character: where a table starts in the text walk
_MARKED = re.compile(f"{_MARK}(\\d+){_MARK}")
_GLUE = re.compile(r"^(?:\$|%|\)|%\)|\(|\(\$)$")


@dataclass(frozen=True)
class RawTable:
    index: int  # position among the document's tables
    start: int  # how many texts of the document come before it
    caption: str  # up to 400 characters of text just before it
    rows: tuple[tuple[str, ...], ...]  # non-empty cells of each row


@dataclass(frozen=True)
class DocumentView:
    lines: tuple[str, ...]
    texts: tuple[str, ...]  # every text node, in order (for the nearest statement of units before a table)
    tables: tuple[RawTable, ...]  # innermost tables only (a layout table around others is left out)


def row_cells(tr: etree._Element) -> list[str]:
    """A table row's non-empty cells; a cell that is only '$', '%' or a parenthesis joins its neighbour."""
    cells: list[str] = []
    for cell in tr:
        if cell.tag not in ("td", "th"):
            continue
        text = squeeze(text_of(cell))
        if not text:
            continue
        if cells and ((len(text) <= 2 and _GLUE.match(text) and not text.startswith(("$", "("))) or
                      (len(cells[-1]) <= 2 and _GLUE.match(cells[-1]) and cells[-1].startswith(("$", "(")))):
            cells[-1] = f"{cells[-1]}{text}" if cells[-1].endswith(("$", "(")) else f"{cells[-1]} {text}"
            continue
        cells.append(text)
    return cells


def document_view(body: bytes, doc: str) -> DocumentView:
    try:
        return _view(body)
    except _Unparsable as exc:
        raise ParseError(doc, exc.locator, exc.reason) from None


def release_lines(body: bytes, doc: str) -> list[str]:
    """The document's lines (table rows as one line each)."""
    return list(document_view(body, doc).lines)


class _Unparsable(Exception):
    def __init__(self, locator: str, reason: str) -> None:
        super().__init__(reason)
        self.locator, self.reason = locator, reason


@functools.lru_cache(maxsize=4)
def _view(body: bytes) -> DocumentView:
    try:
        root = parse_html(body, "document")
    except ParseError as exc:
        raise _Unparsable(exc.locator, exc.reason) from None
    etree.strip_elements(root, *SKIPPED_TAGS, with_tail=False)
    texts, starts = _texts_before_tables(root)
    tables = []
    read: dict[etree._Element, list[str]] = {}  # each row's cells, read once for the tables and the lines
    for index, table in enumerate(root.iter("table")):
        if table.find(".//table") is not None:
            continue
        for tr in table.iter("tr"):
            read[tr] = row_cells(tr)
        rows = tuple(tuple(read[tr]) for tr in table.iter("tr") if read[tr])
        tables.append(RawTable(index, starts[table], _preceding_text(texts, starts[table]), rows))
    for tr in list(root.iter("tr")):
        if tr.find(".//table") is not None:
            continue  # a layout row around other tables
        cells = read[tr] if tr in read else row_cells(tr)
        tail = tr.tail
        tr.clear()
        tr.text, tr.tail = CELL_SEPARATOR.join(cells) + "\n", tail
    return DocumentView(tuple(block_lines(root)), tuple(texts), tuple(tables))


def _texts_before_tables(root: etree._Element) -> tuple[list[str], dict[etree._Element, int]]:
    """Every non-empty text of the document in order, and for each table how many texts precede it: lxml's own
    text walk, with a mark at the start of each table that is taken out again (a document that already holds
    such a mark is walked node by node)."""
    tables = list(root.iter("table"))
    kept = [table.text for table in tables]
    for number, table in enumerate(tables):
        table.text = f"{_MARK}{number}{_MARK}{table.text or ''}"
    texts: list[str] = []
    starts: dict[etree._Element, int] = {}
    try:
        for raw in root.itertext():
            marked = _MARKED.match(raw)
            if marked:
                starts[tables[int(marked.group(1))]] = len(texts)
                raw = raw[marked.end():]
            text = squeeze(raw)
            if text:
                texts.append(text)
    finally:
        for table, text in zip(tables, kept, strict=True):
            table.text = text
    if len(starts) != len(tables) or any(_MARK in t for t in texts):
        return _texts_node_by_node(root)
    return texts, starts


def _texts_node_by_node(root: etree._Element) -> tuple[list[str], dict[etree._Element, int]]:
    texts: list[str] = []
    starts: dict[etree._Element, int] = {}
    for event, node in etree.iterwalk(root, events=("start", "end")):
        if event == "start":
            if node.tag == "table":
                starts[node] = len(texts)
            if isinstance(node.tag, str) and node.text:
                text = squeeze(node.text)
                if text:
                    texts.append(text)
        elif node.tail and node is not root:
            text = squeeze(node.tail)
            if text:
                texts.append(text)
    return texts, starts


def _preceding_text(texts: list[str], end: int, limit: int = 400) -> str:
    taken: list[str] = []
    index = end
    size = 0
    while size < limit and index > 0:
        index -= 1
        taken.insert(0, texts[index])
        size += len(texts[index]) + 1
    return " ".join(taken)[-limit:]
