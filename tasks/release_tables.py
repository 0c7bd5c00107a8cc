"""Earnings-release HTML tables → labelled rows of numbers with their scale and header (pure)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bs4 import BeautifulSoup, Tag

from tasks.release_text import normalise

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


def _row_label_and_text(tr: Tag) -> tuple[str, str]:
    cells = [normalise(td.get_text(" ")) for td in tr.find_all(["td", "th"])]
    cells = [c for c in cells if c]
    if not cells:
        return "", ""
    label = FOOTNOTE.sub("", cells[0]).rstrip(":").strip()
    if TOKEN.fullmatch(cells[0]):
        return "", " ".join(cells)
    return label, " ".join(cells[1:])


def _preceding_text(table: Tag, limit: int = 400) -> str:
    texts: list[str] = []
    node = table
    while len(" ".join(texts)) < limit:
        node = node.find_previous(string=True)
        if node is None:
            break
        text = normalise(str(node))
        if text:
            texts.insert(0, text)
    return " ".join(texts)[-limit:]


def parse_tables(body: bytes) -> list[Table]:
    soup = BeautifulSoup(body, "lxml")
    tables = []
    for index, table in enumerate(soup.find_all("table")):
        if table.find("table") is not None:
            continue  # a layout table around other tables
        rows: list[TableRow] = []
        header_parts: list[str] = []
        for tr in table.find_all("tr"):
            label, text = _row_label_and_text(tr)
            if not label or HEADER_LABEL.search(label):
                header_parts.append(normalise(f"{label} {text}"))
                continue
            tokens = [parse_cell(t) for t in TOKEN.findall(text)]
            if label:
                rows.append(TableRow(label, tuple(tokens)))
        caption = _preceding_text(table)
        scale_match = SCALE.search(" ".join(header_parts)) or SCALE.search(caption[-250:])
        scale = SCALES[scale_match.group(1).lower()] if scale_match else None
        tables.append(Table(index, caption, " ".join(header_parts), scale, tuple(rows)))
    return tables
