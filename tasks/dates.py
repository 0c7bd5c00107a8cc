"""Dates and times as SEC, feeds and releases write them — one reader for each form.

- ``iso_date``: "2025-02-26" (or the date part of an ISO timestamp), as in EDGAR JSON, index pages and XBRL.
- ``timestamp``: ISO 8601 ("2025-02-26T16:20:34.000Z") or RFC 2822 ("Wed, 26 Feb 2025 21:20:34 GMT"), as in
  EDGAR, RSS/Atom, article metadata and HTTP headers; always time-zone aware (UTC when none is written).
- ``month_day_year``: "January 26, 2025" / "Jan. 26 2025" in prose and table headers.
Blank input is None; anything else unreadable raises ``NotADate`` — callers decide whether that loses the
document or only the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import TypeVar

from tasks.errors import NotADate, ParseError

T = TypeVar("T")

MONTHS = {m: i + 1 for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
_MONTH_DAY_YEAR = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+(\d{1,2})"
                             r"(?:,\s*|\s+)(\d{4})\b")


def _blank(value: object) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def iso_date(value: object) -> date | None:
    """The calendar day of "2025-02-26" or "2025-02-26T…"; None for blank."""
    text = _blank(value)
    if text is None:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise NotADate(text) from None


def timestamp(value: object) -> datetime | None:
    """An aware datetime from ISO 8601 or RFC 2822 text; None for blank."""
    text = _blank(value)
    if text is None:
        return None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            raise NotADate(text) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def in_document(read: Callable[[object], T], value: object, doc: str, locator: str) -> T:
    """``read(value)`` for a field of a document: an unreadable date is that document's ParseError at ``locator``."""
    try:
        return read(value)
    except NotADate as exc:
        raise ParseError(doc, locator, str(exc)) from None


def month_day_year(text: str) -> Iterator[tuple[re.Match[str], date]]:
    """Every "Month D, YYYY" date written in ``text``, with its match (impossible days are skipped)."""
    for match in _MONTH_DAY_YEAR.finditer(text):
        try:
            yield match, date(int(match.group(3)), MONTHS[match.group(1).lower()], int(match.group(2)))
        except ValueError:
            continue  # "February 30, 2025" names no day
