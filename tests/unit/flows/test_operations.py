"""Operations: backfill parameters, the earnings calendar and its RRULE, the watchlist, the shared SEC budget."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from pydantic import ValidationError

from flows.operations import BackfillParams
from tasks.errors import ConfigError
from tasks.fetch import global_limit
from tasks.sec.earnings_calendar import load_overrides, load_watchlist, predict_next, rrule_text, schedule_for


def test_backfill_parameters_are_validated() -> None:
    params = BackfillParams(tickers=[" nvda", "1045810"], since=date(2024, 1, 1))
    assert params.tickers == ["NVDA", "1045810"] and params.force is False
    with pytest.raises(ValidationError, match="until"):
        BackfillParams(tickers=["NVDA"], since=date(2024, 1, 1), until=date(2023, 1, 1))
    with pytest.raises(ValidationError, match="should match pattern"):
        BackfillParams(tickers=["NV DA!"], since=date(2024, 1, 1))
    with pytest.raises(ValidationError, match="at least 1 item"):
        BackfillParams(tickers=[], since=date(2024, 1, 1))
    schema = BackfillParams.model_json_schema()
    assert schema["properties"]["since"]["description"] == "First filing date to load"
    # The form itself refuses a bad ticker: the pattern is in the schema the Prefect UI validates against.
    pattern = schema["properties"]["tickers"]["items"]["pattern"]
    assert [bool(re.match(pattern, t)) for t in ("NVDA", "BRK.B", "BF-B", "0001045810", "NVDA!", "NV DA", "")] == \
        [True, True, True, True, False, False, False]


def releases(start: datetime, count: int, gap_days: int = 91) -> list[datetime]:
    return [start + timedelta(days=gap_days * i, minutes=(i % 3) - 1) for i in range(count)]


def test_prediction_keeps_cadence_weekday_and_time() -> None:
    past = releases(datetime(2024, 2, 21, 21, 20, tzinfo=UTC), 6)  # Wednesdays, 13 weeks apart
    [nxt, after] = predict_next("ACME", past, count=2)
    assert nxt.at.weekday() == 2 and (nxt.at.hour, nxt.at.minute) == (21, 20)
    assert abs((nxt.at - past[-1]).days - 91) <= 3 and abs((after.at - nxt.at).days - 91) <= 3
    assert "every ~91 days" in nxt.basis
    assert predict_next("ACME", past[:1]) == []


def test_calendar_file_overrides_and_rrule(tmp_path: Path) -> None:
    calendar = tmp_path / "calendar.yaml"
    calendar.write_text('ACME: ["2026-12-02T21:20:00Z", "2026-03-01T21:20:00Z"]\n')
    overrides = load_overrides(calendar)
    now = datetime(2026, 11, 28, tzinfo=UTC)
    upcoming, rule = schedule_for("ACME", [], overrides, now)
    assert [p.basis for p in upcoming] == ["calendar file"]
    assert rule is not None and rule.startswith("DTSTART:20261202T212000Z\nRDATE:20261202T212000Z,20261202T213000Z,")
    polls = rule.split("RDATE:")[1].split(",")
    assert len(polls) == 19 and polls[-1] == "20261203T002000Z"  # every 10 minutes for 3 hours
    assert rrule_text([]) is None


def test_watchlist(tmp_path: Path) -> None:
    assert load_watchlist() == ["NVDA", "MSFT", "GOOGL", "AMZN", "META"]
    empty = tmp_path / "watch.yaml"
    empty.write_text("tickers: []\n")
    with pytest.raises(ConfigError, match="non-empty 'tickers'"):
        load_watchlist(empty)


def test_sec_requests_take_a_shared_slot(monkeypatch: pytest.MonkeyPatch) -> None:
    taken: list[str] = []
    monkeypatch.setattr("prefect.concurrency.sync.rate_limit", lambda name, occupy=1: taken.append(name))
    slots = global_limit.SecSlots(9.0)
    monkeypatch.setattr(slots, "ensure_limit", lambda: None)
    slots("www.sec.gov")
    slots("data.sec.gov")
    slots("nvidianews.nvidia.com")
    assert taken == ["sec-edgar", "sec-edgar"]
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    assert global_limit.shared_limit(9.0, enabled=True) is None
    monkeypatch.setenv("PREFECT_API_URL", "http://127.0.0.1:4200/api")
    assert isinstance(global_limit.shared_limit(9.0, enabled=True), global_limit.SecSlots)
    assert global_limit.shared_limit(9.0, enabled=False) is None  # a fleet's choice: one API call per request
