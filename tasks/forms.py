"""SEC form types and 8-K items: which filings are periodic reports, which are earnings releases.

The one place these sets live; EDGAR listing, the fiscal labels of filings and the XBRL stages all read them.
"""

from __future__ import annotations

EARNINGS_ITEM = "2.02"  # 8-K Item 2.02, Results of Operations and Financial Condition
CURRENT_REPORTS = frozenset({"8-K", "8-K/A"})
QUARTERLY_REPORTS = frozenset({"10-Q", "10-Q/A", "10-QT", "10-QT/A"})
ANNUAL_REPORTS = frozenset({"10-K", "10-K/A", "10-KT", "10-KT/A", "20-F", "20-F/A", "40-F", "40-F/A"})
PERIODIC_FORMS = QUARTERLY_REPORTS | ANNUAL_REPORTS  # reports whose XBRL facts describe fiscal periods
DEFAULT_FORMS = ("8-K", "8-K/A", "10-Q", "10-Q/A", "10-K", "10-K/A")  # what an ingest lists unless told


def is_earnings_release(form: str, items: tuple[str, ...]) -> bool:
    return form in CURRENT_REPORTS and EARNINGS_ITEM in items


def wanted(form: str, items: tuple[str, ...], forms: tuple[str, ...]) -> bool:
    """8-Ks count only when they carry Item 2.02 (results of operations); other forms by name."""
    if form not in forms:
        return False
    return EARNINGS_ITEM in items if form in CURRENT_REPORTS else True
