"""daily-sweep keeps a watermark per ticker; after-earnings polls until the Item 2.02 8-K appears (fake EDGAR)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from flows.operations import after_earnings, daily_sweep
from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer

pytestmark = pytest.mark.prefect


@pytest.fixture
def edgar_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "10")
    monkeypatch.setenv("EARNINGS_LAKE_BACKOFF_BASE", "0")


def test_daily_sweep_advances_the_watermark(server: RecordingServer, tmp_path: Path, edgar_env: None) -> None:
    fakeedgar.install(server)
    lake = tmp_path / "lake"
    first = daily_sweep(lake=str(lake), mirror=server.url, default_since=date(2024, 1, 1), tickers=["ACME"],
                        read_news=False)
    assert first["ACME"]["filings_found"] == 4
    marks = json.loads((lake / "state" / "watermarks.json").read_text())
    assert marks == {"ACME": (datetime.now(UTC).date() - timedelta(days=1)).isoformat()}
    server.hits.clear()
    second = daily_sweep(lake=str(lake), mirror=server.url, tickers=["ACME"], read_news=False)
    assert second["ACME"]["filings_found"] == 0  # nothing filed since the watermark
    assert not [h for h in server.hits if "/Archives/" in h.path]


def test_after_earnings_polls_with_bounds_then_ingests_the_release(server: RecordingServer, tmp_path: Path,
                                                                   edgar_env: None) -> None:
    fakeedgar.install(server)  # nothing filed today
    quiet = after_earnings(ticker="ACME", lake=str(tmp_path / "quiet"), mirror=server.url, poll_seconds=0.2,
                           max_hours=1.5 / 3600)
    assert quiet["found"] is False
    polls = server.hits_for(f"https://data.sec.gov/submissions/CIK{fakeedgar.CIK}.json")
    assert 2 <= len(polls) <= 12  # polled again, backing off, and stopped at the deadline

    today = datetime.now(UTC).date().isoformat()
    release = fakeedgar.FakeFiling("0001234567-26-000099", "8-K", "2.02,9.01", today, today, "acme-today.htm",
                                   (("EX-99.1", "todaypr.htm"),))
    fakeedgar.install(server, (*fakeedgar.FILINGS, release))
    summary = after_earnings(ticker="ACME", lake=str(tmp_path / "lake"), mirror=server.url, poll_seconds=0.1,
                             max_hours=0.01)
    assert summary["filings_found"] == 1 and summary["documents_fetched"] >= 2
