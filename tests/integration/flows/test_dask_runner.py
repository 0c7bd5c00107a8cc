"""The Dask task runner (a local cluster) produces exactly the datasets of the default thread runner."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pytest

from flows.ingest import ingest, summary_of
from flows.runners import task_runner
from tasks.errors import ConfigError
from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.support.runs import run_ingest

pytestmark = pytest.mark.prefect


def curated(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "curated").rglob("*.parquet"))}


def test_dask_runner_gives_identical_datasets(server: RecordingServer, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    fakeedgar.install(server)
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "10")
    threads = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "threads"), mirror=server.url)
    on_dask = summary_of(ingest.with_options(task_runner=task_runner("dask"))(
        tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "dask"), mirror=server.url, return_state=True))
    assert on_dask["documents_fetched"] == threads["documents_fetched"] > 0
    assert curated(tmp_path / "dask") == curated(tmp_path / "threads")
    with pytest.raises(ConfigError, match="unknown task runner"):
        task_runner("ray")
    assert task_runner("threads") is None  # the flow's own default
    assert task_runner("threads", 2)._max_workers == 2  # EARNINGS_LAKE_WORKERS (Prefect keeps it private)
