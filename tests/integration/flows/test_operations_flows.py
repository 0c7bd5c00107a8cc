"""daily-sweep keeps a watermark per ticker; after-earnings polls until the Item 2.02 8-K appears (fake EDGAR)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from flows.ingest import summary_of
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
    state = daily_sweep(lake=str(lake), mirror=server.url, default_since=date(2024, 1, 1), tickers=["ACME"],
                        read_news=False, return_state=True)
    assert state.is_failed() and "ACME" in str(state.message)  # the fake EDGAR has 404s and parse issues
    first = summary_of(state)
    assert first["ACME"]["filings_found"] == 4
    marks = json.loads((lake / "state" / "watermarks.json").read_text())
    assert marks == {"ACME": (datetime.now(UTC).date() - timedelta(days=1)).isoformat()}
    server.hits.clear()
    second = summary_of(daily_sweep(lake=str(lake), mirror=server.url, tickers=["ACME"], read_news=False,
                                    return_state=True))
    assert second["ACME"]["filings_found"] == 0  # nothing filed since the watermark
    assert not [h for h in server.hits if "/Archives/" in h.path]


def test_after_earnings_polls_once_and_ingests_a_new_release_once(server: RecordingServer, tmp_path: Path,
                                                                  edgar_env: None) -> None:
    fakeedgar.install(server)  # nothing filed today
    quiet = after_earnings(ticker="ACME", lake=str(tmp_path / "lake"), mirror=server.url)
    assert quiet["found"] is False
    polls = server.hits_for(f"https://data.sec.gov/submissions/CIK{fakeedgar.CIK}.json")
    assert len(polls) == 1  # one short poll: the run ends instead of sleeping
    assert not [h for h in server.hits if "/Archives/" in h.path]

    today = datetime.now(UTC).date().isoformat()
    release = fakeedgar.FakeFiling("0001234567-26-000099", "8-K", "2.02,9.01", today, today, "acme-today.htm",
                                   (("EX-99.1", "todaypr.htm"),))
    fakeedgar.install(server, (*fakeedgar.FILINGS, release))
    state = after_earnings(ticker="ACME", lake=str(tmp_path / "lake"), mirror=server.url, return_state=True)
    summary = summary_of(state)
    assert summary["found"] is True and summary["filings_found"] == 1 and summary["documents_fetched"] >= 2
    again = after_earnings(ticker="ACME", lake=str(tmp_path / "lake"), mirror=server.url)
    assert again["found"] is False  # the next poll sees the release is in the lake: nothing ingested twice
