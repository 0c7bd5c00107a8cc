"""Shared fixtures. Every test is offline: a socket guard refuses connections outside 127.0.0.1."""

from __future__ import annotations

import ipaddress
import os
import socket
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
# Prefect-run tests share the one temporary server of this pytest process; on a loaded 2-core machine its first
# start (a fresh PREFECT_HOME builds its database) can take minutes, not Prefect's default 20 s.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "300")
os.environ.setdefault("PREFECT_HOME", tempfile.mkdtemp(prefix="earnings-lake-tests-prefect-"))
# The tests' SEC budget is their own (the machine-wide one would pace them against a user's ingest).
os.environ["EARNINGS_LAKE_SEC_BUDGET_FILE"] = os.path.join(tempfile.mkdtemp(prefix="earnings-lake-tests-"),
                                                           "sec-budget.json")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
for _name in ("EARNINGS_LAKE_SEC_USER_AGENT", "EARNINGS_LAKE_LAKE", "EARNINGS_LAKE_MIRROR"):
    os.environ.pop(_name, None)

from tests.support.httpserver import RecordingServer  # noqa: E402

CORPUS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus"
USER_AGENT = "Earnings Lake Tests tests@example.com"

_real_connect = socket.socket.connect


def _guarded_connect(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
        host = str(address[0])
        try:
            loopback = ipaddress.ip_address(host).is_loopback
        except ValueError:
            loopback = host == "localhost"
        if not loopback:
            raise ConnectionRefusedError(f"test tried to reach {host}: tests stay on 127.0.0.1")
    _real_connect(self, address)  # type: ignore[arg-type]


socket.socket.connect = _guarded_connect  # type: ignore[method-assign]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if CORPUS.is_dir():
        return
    skip = pytest.mark.skip(reason=f"real corpus not found at {CORPUS} (needs ../shared/corpus beside the repo)")
    for item in items:
        if "corpus" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RecordingServer]:
    """A local HTTP server over a HOST/PATH folder that records every request."""
    root = tmp_path / "www"
    root.mkdir()
    with RecordingServer(root) as srv:
        yield srv


@pytest.fixture(scope="session")
def corpus_server() -> Iterator[RecordingServer]:
    if not CORPUS.is_dir():
        pytest.skip(f"real corpus not found at {CORPUS}")
    with RecordingServer(CORPUS) as srv:
        yield srv


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The API URL of a local `prefect server` shared by the tests that need a real one."""
    from tests.support.prefect_server import local_prefect_server

    with local_prefect_server(tmp_path_factory.mktemp("prefect-home")) as url:
        yield url


CORPUS_TICKERS = ["NVDA", "MSFT", "GOOGL", "AMZN", "META"]
CORPUS_SINCE = date(2023, 1, 1)  # the corpus ingest's --since


@pytest.fixture(scope="session")
def corpus_ingest(corpus_server: RecordingServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """One ingest of the five companies from the served corpus, shared by every corpus test."""
    from tests.support.runs import run_ingest

    lake_dir = tmp_path_factory.mktemp("corpus") / "lake"
    mp = pytest.MonkeyPatch()
    mp.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    mp.setenv("EARNINGS_LAKE_RATE_LIMIT", "10")
    try:
        summary = run_ingest(tickers=CORPUS_TICKERS, since=CORPUS_SINCE, lake=str(lake_dir),
                         mirror=corpus_server.url)
    finally:
        mp.undo()
    return {"lake_dir": lake_dir, "summary": summary, "server": corpus_server}


def expected_rows(name: str) -> list[dict[str, object]]:
    """The labelled rows of ``name``: the corpus' first documents (expected/) and the five companies' later filings
    (expected/later/, when it has that file): the corpus ingest reads both."""
    import json

    rows: list[dict[str, object]] = []
    for folder in (CORPUS / "expected", CORPUS / "expected" / "later"):
        if (folder / name).is_file():
            with open(folder / name, encoding="utf-8") as handle:
                rows.extend(json.loads(line) for line in handle if line.strip())
    return rows
