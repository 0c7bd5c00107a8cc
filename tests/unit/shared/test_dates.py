"""The one date reader: ISO days, ISO and RFC 2822 timestamps, and dates written in prose."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from tasks.dates import iso_date, month_day_year, timestamp
from tasks.errors import NotADate


def test_iso_days() -> None:
    assert iso_date("2024-08-30") == date(2024, 8, 30)
    assert iso_date(" 2024-08-30T17:05:00.000Z ") == date(2024, 8, 30)
    assert iso_date("") is None and iso_date(None) is None
    with pytest.raises(NotADate, match="not a date: '30/08/2024'"):
        iso_date("30/08/2024")


def test_timestamps_are_aware() -> None:
    assert timestamp("2024-08-30T17:05:00.000Z") == datetime(2024, 8, 30, 17, 5, tzinfo=UTC)
    assert timestamp("2024-08-30 17:05:00") == datetime(2024, 8, 30, 17, 5, tzinfo=UTC)  # none written: UTC
    eight = timezone(timedelta(hours=8))
    assert timestamp("2024-08-30T09:00:00+08:00") == datetime(2024, 8, 30, 9, tzinfo=eight)
    assert timestamp("Fri, 30 Aug 2024 17:05:00 GMT") == datetime(2024, 8, 30, 17, 5, tzinfo=UTC)
    assert timestamp("  ") is None
    with pytest.raises(NotADate, match="not a date: 'next Tuesday'"):
        timestamp("next Tuesday")


def test_dates_in_prose_skip_impossible_days() -> None:
    text = "For the period ended Aug. 30, 2024 (not February 30, 2024), versus September 1 2023."
    assert [found for _, found in month_day_year(text)] == [date(2024, 8, 30), date(2023, 9, 1)]
