"""Inline XBRL (10-Q/10-K primary documents) → facts with one explicit dimension (pure, hardened).

Parsing never touches the network, never loads a DTD and never expands entities; documents over the size limit
are refused. Contexts give the period and the explicit members; ``ix:nonFraction`` gives value, scale, sign and
format. Only facts with no dimension or exactly one explicit member are kept (segment breakdowns).
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import polars as pl
from lxml import etree

from tasks.dates import iso_date
from tasks.errors import NotADate, NotANumber, ParseError
from tasks.markup import element_text, parse_xml
from tasks.numbers import parse_decimal
from tasks.xbrl.xbrl_facts import FACT_SCHEMA

XBRLI = "http://www.xbrl.org/2003/instance"
XBRLDI = "http://xbrl.org/2006/xbrldi"
IX = "http://www.xbrl.org/2013/inlineXBRL"
MAX_BYTES = 50_000_000
CONSOLIDATION_AXIS = "srt:ConsolidationItemsAxis"
OPERATING_SEGMENTS = "us-gaap:OperatingSegmentsMember"
ZERO_FORMATS = ("fixed-zero", "zerodash", "numwordsen")  # "—", "-", "no", "none" shown for zero


def _contexts(root: etree._Element, doc: str) -> dict[str, tuple[date | None, date, dict[str, str]]]:
    found = {}
    for ctx in root.iter(f"{{{XBRLI}}}context"):
        period = ctx.find(f"{{{XBRLI}}}period")
        where = f"context {ctx.get('id')}"
        if period is None:
            raise ParseError(doc, where, "unreadable period: no period")
        try:
            instant = period.find(f"{{{XBRLI}}}instant")
            if instant is not None:
                start, end = None, iso_date(element_text(instant))
            else:
                start = iso_date(element_text(period.find(f"{{{XBRLI}}}startDate")))
                end = iso_date(element_text(period.find(f"{{{XBRLI}}}endDate")))
        except NotADate as exc:
            raise ParseError(doc, where, f"unreadable period: {exc}") from None
        if end is None:
            raise ParseError(doc, where, "unreadable period: no end date")
        dims = {m.get("dimension", ""): element_text(m) for m in ctx.iter(f"{{{XBRLDI}}}explicitMember")}
        typed = any(True for _ in ctx.iter(f"{{{XBRLDI}}}typedMember"))
        if not typed:
            found[str(ctx.get("id"))] = (start, end, dims)
    return found


def fact_value(node: etree._Element, doc: str) -> float:
    """The value of an ``ix:nonFraction``: displayed number × 10^scale, negated when sign="-"."""
    shown = element_text(node)
    fmt = (node.get("format") or "").rsplit(":", 1)[-1]
    if fmt in ZERO_FORMATS or (shown in ("—", "–", "-") and node.get("format")):
        number = Decimal(0)
    else:
        european = "numcommadecimal" in fmt or "num-comma-decimal" in fmt  # 1.234,5
        try:  # the displayed number is a magnitude: its sign is the ``sign`` attribute
            number = abs(parse_decimal(shown, decimal_comma=european))
        except NotANumber:
            raise ParseError(doc, f"fact {node.get('name')} ({node.get('contextRef')})",
                             f"not a number: {shown!r}") from None
    scale = int(node.get("scale") or 0)
    value = number.scaleb(scale)
    return float(-value if node.get("sign") == "-" else value)


def parse_inline_xbrl(
    body: bytes, doc: str, *, accession: str, form: str, filed: date, concepts: frozenset[str] | None = None,
    axes: frozenset[str] | None = None,
) -> pl.DataFrame:
    """Numeric facts of an inline XBRL document as FACT_SCHEMA rows (axis/member set for segment facts)."""
    root = parse_xml(body, doc, "document", max_bytes=MAX_BYTES, malformed="not well-formed inline XBRL (XHTML)")
    contexts = _contexts(root, doc)
    units = {str(u.get("id")): element_text(u.find(f"{{{XBRLI}}}measure")).rsplit(":", 1)[-1]
             for u in root.iter(f"{{{XBRLI}}}unit") if u.find(f"{{{XBRLI}}}measure") is not None}
    if not contexts:
        raise ParseError(doc, "xbrli:context", "no XBRL contexts: not an inline XBRL document")
    rows: dict[tuple[Any, ...], dict[str, Any]] = {}
    for node in root.iter(f"{{{IX}}}nonFraction"):
        name = node.get("name") or ""
        prefix, _, concept = name.partition(":")
        if concepts is not None and concept not in concepts:
            continue
        context = contexts.get(node.get("contextRef") or "")
        if context is None or node.get(f"{{{'http://www.w3.org/2001/XMLSchema-instance'}}}nil") == "true":
            continue
        start, end, dims = context
        if len(dims) == 2 and dims.get(CONSOLIDATION_AXIS) == OPERATING_SEGMENTS:
            dims = {k: v for k, v in dims.items() if k != CONSOLIDATION_AXIS}  # "segment X, operating segments"
        if len(dims) > 1:
            continue
        axis, member = next(iter(dims.items())) if dims else (None, None)
        if axes is not None and axis is not None and axis not in axes:
            continue
        value = fact_value(node, doc)
        key = (concept, start, end, axis, member, node.get("unitRef"))
        rows[key] = {"taxonomy": prefix, "concept": concept, "unit": units.get(node.get("unitRef") or "", ""),
                     "start": start, "end": end, "value": value, "accn": accession, "fy": None, "fp": None,
                     "form": form, "filed": filed, "frame": None, "axis": axis, "member": member}
    return pl.DataFrame(list(rows.values()), schema=FACT_SCHEMA) if rows else pl.DataFrame(schema=FACT_SCHEMA)


def member_label(member: str) -> str:
    """'nvda:ProfessionalVisualizationMember' → 'Professional Visualization'; 'OEMAndOtherMember' → 'OEM and Other'."""
    local = member.rsplit(":", 1)[-1].removesuffix("Member").removesuffix("Segment")
    words = re.findall(r"[A-Z]+(?=[A-Z][a-z]|\d|$)|[A-Z]?[a-z]+|\d+", local)
    return " ".join(w.lower() if w in ("And", "Of", "The", "For") and i else w for i, w in enumerate(words))
