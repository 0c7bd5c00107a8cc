"""Earnings-release HTML tables → labelled rows of numbers with their scale and header (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from lxml import etree

from tasks.release_text import SKIPPED_TAGS, normalise, parse_html

TOKEN = re.compile(r"\(\s*\$?\s*\d[\d,]*(?:\.\d+)?\s*\)?\s*%?|\$?\s*\d[\d,]*(?:\.\d+)?\s*%?|(?<!\w)[—–-](?!\w)")
SCALE = re.compile(r"in (millions|thousands|billions)", re.I)
SCALES = {"millions": Decimal(10**6), "thousands": Decimal(10**3), "billions": Decimal(10**9)}
HEADER_LABEL = re.compile(r"\bended\b|^(?:Q[1-4]\s*FY|fiscal|\(\$?\s*in |\(unaudited)", re.I)
YEAR = re.compile(r"\b(?:19|20)\d{2}\b")
FOOTNOTE = re.compile(r"\s*(?:\(\d\)|\*+|[¹²³⁴⁵⁶⁷⁸⁹])\s*$")


@dataclass(frozen=True)
class Cell:
    text: str  # as printed
    value: Decimal | None  # None for a dash
    percent: bool


@dataclass(frozen=True)
class TableRow:
    label: str
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class Table:
    index: int
    caption: str  # text just before the table
    header: str  # text of the rows before the first numeric row
    scale: Decimal | None
    rows: tuple[TableRow, ...]

    def current_column(self, period_year: int) -> int:
        """Index of the current quarter's column: the first header year equal to the quarter-end year."""
        years = [int(y) for y in YEAR.findall(self.header)]
        return years.index(period_year) if period_year in years else 0

    def find(self, label: str) -> TableRow | None:
        wanted = label.lower()
        return next((r for r in self.rows if r.label.lower() == wanted), None)


def parse_cell(text: str) -> Cell:
    raw = text.strip()
    if raw in ("—", "–", "-"):
        return Cell(raw, None, False)
    negative = raw.startswith("(")
    digits = re.sub(r"[^\d.]", "", raw)
    value = Decimal(digits)
    return Cell(raw, -value if negative else value, raw.endswith("%"))


def _cell_text(node: etree._Element) -> str:
    return normalise(" ".join(node.itertext()))


def _row_label_and_text(tr: etree._Element) -> tuple[str, str]:
    cells = [_cell_text(td) for td in tr.iter("td", "th")]
    cells = [c for c in cells if c]
    if not cells:
        return "", ""
    label = FOOTNOTE.sub("", cells[0]).rstrip(":").strip()
    if TOKEN.fullmatch(cells[0]):
        return "", " ".join(cells)
    return label, " ".join(cells[1:])


def _texts_before_tables(root: etree._Element) -> tuple[list[str], dict[etree._Element, int]]:
    """Every non-empty text of the document in order, and for each table how many texts precede it."""
    texts: list[str] = []
    starts: dict[etree._Element, int] = {}
    for event, node in etree.iterwalk(root, events=("start", "end")):
        name = node.tag
        if event == "start":
            if name == "table":
                starts[node] = len(texts)
            if name and node.text and name not in SKIPPED_TAGS:
                text = normalise(node.text)
                if text:
                    texts.append(text)
        elif node.tail and node is not root:
            text = normalise(node.tail)
            if text:
                texts.append(text)
    return texts, starts


def _preceding_text(texts: list[str], end: int, limit: int = 400) -> str:
    taken: list[str] = []
    index = end
    while len(" ".join(taken)) < limit and index > 0:
        index -= 1
        taken.insert(0, texts[index])
    return " ".join(taken)[-limit:]


def parse_tables(body: bytes, doc: str = "document") -> list[Table]:
    root = parse_html(body, doc)
    texts, starts = _texts_before_tables(root)
    tables = []
    for index, table in enumerate(root.iter("table")):
        if table.find(".//table") is not None:
            continue  # a layout table around other tables
        rows: list[TableRow] = []
        header_parts: list[str] = []
        for tr in table.iter("tr"):
            label, text = _row_label_and_text(tr)
            if not label or HEADER_LABEL.search(label):
                header_parts.append(normalise(f"{label} {text}"))
                continue
            tokens = [parse_cell(t) for t in TOKEN.findall(text)]
            if label:
                rows.append(TableRow(label, tuple(tokens)))
        caption = _preceding_text(texts, starts[table])
        scale_match = SCALE.search(" ".join(header_parts)) or SCALE.search(caption[-250:])
        scale = SCALES[scale_match.group(1).lower()] if scale_match else None
        tables.append(Table(index, caption, " ".join(header_parts), scale, tuple(rows)))
    return tables
