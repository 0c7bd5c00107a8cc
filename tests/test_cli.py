from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from flows.cli import main
from tasks.lake import Lake
from tasks.object_store import LocalStore
from tasks.publish import publish
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.test_lake import PRICES, rows


def test_missing_user_agent_fails_before_any_request(server: RecordingServer, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    fakeedgar.install(server)
    code = main(["ingest", "ACME", "--mirror", server.url, "--lake", str(tmp_path / "lake")])
    assert code == 1
    assert "SEC_USER_AGENT is not set" in capsys.readouterr().err
    assert server.hits == []


def test_user_agent_without_email_fails(server: RecordingServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "ACME", "--mirror", server.url, "--user-agent", "Jane Doe"]) == 1
    assert "has no e-mail address" in capsys.readouterr().err
    assert server.hits == []


def test_rate_limit_above_ten_is_a_configuration_error(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "ACME", "--user-agent", "J j@example.com", "--rate-limit", "12"]) == 1
    assert "at most 10 requests/s" in capsys.readouterr().err


def test_datasets_lists_the_catalog(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lake = Lake(LocalStore(tmp_path / "lake"))
    publish(lake, PRICES, rows(("NVDA", 2025, "Q1", 1), ("NVDA", 2025, "Q2", 2)))
    assert main(["datasets", "--lake", str(tmp_path / "lake")]) == 0
    out = capsys.readouterr().out
    assert "prices" in out and "2 rows" in out and "key=ticker,period" in out
    assert pl.read_parquet(next((tmp_path / "lake/curated/prices").rglob("*.parquet"))).height == 2
