"""Two concurrent flow runs against a real local Prefect server share one SEC budget (global rate limit)."""

from __future__ import annotations

import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer

pytestmark = [pytest.mark.prefect, pytest.mark.server]


FILINGS = tuple(
    fakeedgar.FakeFiling(f"0001234567-24-{n:06d}", "8-K", "2.02,9.01", f"2024-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}",
                         f"2024-{(n % 12) + 1:02d}-{(n % 27) + 1:02d}", f"acme-{n}.htm",
                         (("EX-99.1", f"pr{n}.htm"), ("EX-99.2", f"cfo{n}.htm")))
    for n in range(1, 25))


def test_two_concurrent_runs_stay_under_one_sec_limit(prefect_server: str, server: RecordingServer,
                                                      tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from tests.support.runs import run_ingest

    fakeedgar.install(server, FILINGS)
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "9")
    monkeypatch.setenv("EARNINGS_LAKE_SEC_SHARED_LIMIT", "true")  # the fleet path: a Prefect slot per request
    results: dict[int, Any] = {}

    def run(i: int) -> None:
        with temporary_settings(updates={PREFECT_API_URL: prefect_server}):  # settings are per thread
            results[i] = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / f"lake{i}"),
                                mirror=server.url)

    threads = [threading.Thread(target=run, args=(i,)) for i in (1, 2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=600)
    sec = [h for h in server.hits if h.path.startswith(("/www.sec.gov", "/data.sec.gov"))]
    assert len(sec) >= 2 * 70, len(sec)  # both runs fetched everything themselves
    assert all(r["documents_fetched"] >= 70 for r in results.values())
    assert server.max_in_window(1.0) <= 10  # one budget: 9/s plus at most one slot in flight
