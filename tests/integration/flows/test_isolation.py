"""One document never stops the run: a parser crash is that release's parse issue, rows that break a rule hold
back their own release (or partition) only, and a Prefect API that cannot start is one line and exit 1."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from flows.runtime import Runtime
from flows.steps import publish_dataset, published_part
from schemas.financials import FINANCIALS_QUARTERLY
from schemas.registry import contract_for
from schemas.releases import GUIDANCE
from tasks.config import load_settings
from tasks.fetch.source import Source
from tasks.fiscal import last_quarter_end_before
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.storage.quarantine import rows_of
from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.support.paths import REPO
from tests.support.sample_frames import guidance_row


def offline_runtime(tmp_path: Path) -> Runtime:
    lake = Lake(LocalStore(tmp_path / "lake"))
    return Runtime(load_settings(lake=str(tmp_path / "lake")), lake, Source(lake, None), run_id="run-7")


def test_two_rows_of_one_release_with_one_key_hold_back_that_release_only(tmp_path: Path) -> None:
    rt = offline_runtime(tmp_path)
    rows = [guidance_row("0001234567-25-000001", "revenue", 5e8), guidance_row("0001234567-25-000001", "revenue", 6e8),
            guidance_row("0001234567-25-000001", "capex", 1e7), guidance_row("0001234567-25-000002", "revenue", 7e8)]
    batch = pl.DataFrame([{c: r.get(c) for c in GUIDANCE.columns} for r in rows], schema=GUIDANCE.schema)

    assert publish_dataset(rt, GUIDANCE, batch) is False
    published = rt.lake.read_dataset(GUIDANCE)
    assert published["release_id"].to_list() == ["0001234567-25-000002"]
    held = rows_of(rt.lake, "guidance", "run-7")
    assert sorted(held["metric"].to_list()) == ["capex", "revenue", "revenue"]  # the whole release, not just the pair
    [why] = rt.summary.held_back["guidance"]
    assert why.startswith("ticker=ACME, release_id=0001234567-25-000001: 3 rows held (check:primary_key_unique")
    assert rt.summary.exit_code == 2 and "guidance" not in rt.summary.datasets_failed
    assert published_part(rt, GUIDANCE, batch)["release_id"].to_list() == ["0001234567-25-000002"]


def test_a_company_breaking_a_cross_row_rule_is_held_back_and_the_others_publish(tmp_path: Path) -> None:
    rt = offline_runtime(tmp_path)
    contract = contract_for("financials_quarterly")

    def fact(ticker: str, value: float) -> dict[str, Any]:
        return {"ticker": ticker, "cik": "0000000001" if ticker == "AAA" else "0000000002", "fiscal_year": 2025,
                "fiscal_period": "FY2025Q1", "metric": "revenue", "value": value, "unit": "USD",
                "period_start": date(2024, 10, 1), "period_end": date(2024, 12, 31), "derivation": "reported_3m",
                "concept": "us-gaap:Revenues", "accessions": ["0000000001-25-000001"]}

    rows = [fact("AAA", 1.0), fact("AAA", 2.0), fact("BBB", 3.0)]
    batch = pl.DataFrame([{c: r.get(c) for c in contract.columns} for r in rows], schema=contract.schema)
    assert publish_dataset(rt, FINANCIALS_QUARTERLY, batch) is False
    assert rt.lake.read_dataset(FINANCIALS_QUARTERLY)["ticker"].to_list() == ["BBB"]
    assert rt.summary.held_units["financials_quarterly"] == [{"ticker": "AAA"}]


def test_a_release_filed_in_the_first_days_of_january_has_a_quarter() -> None:
    assert last_quarter_end_before(date(2025, 1, 2), "1231") == date(2024, 12, 31)
    assert last_quarter_end_before(date(2026, 1, 5), "0930") == date(2025, 12, 31)
    assert last_quarter_end_before(date(2025, 1, 3), "0131") == date(2024, 10, 31)  # 52/53 weeks: not yet closed


@pytest.fixture
def edgar(server: RecordingServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    fakeedgar.install(server)
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_BACKOFF_BASE", "0")
    yield server


@pytest.mark.prefect
def test_a_parser_crash_in_one_release_is_its_parse_issue_and_the_others_publish(
    edgar: RecordingServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tasks.earnings.releases
    from tests.support.runs import run_ingest

    real = tasks.earnings.releases.read_guidance

    def hostile(body: bytes, *, doc: str, **kwargs: Any) -> Any:
        if doc.endswith("q4pr.htm"):
            raise KeyError("an input no parser rule expected")
        return real(body, doc=doc, **kwargs)

    monkeypatch.setattr(tasks.earnings.releases, "read_guidance", hostile)
    summary = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "lake"), mirror=edgar.url)

    q4 = fakeedgar.FILINGS[0]
    crashed = [f for f in summary["failures"] if f["stage"] == "parse" and f["accession"] == q4.accession]
    assert [(f["url"], f["locator"]) for f in crashed] == [(q4.folder + "q4pr.htm", "release")]
    assert crashed[0]["reason"].startswith("parser crashed: KeyError")
    assert summary["exit_code"] == 2
    lake = Lake(LocalStore(tmp_path / "lake"))
    assert lake.read_dataset(GUIDANCE)["release_id"].unique().to_list() == [fakeedgar.FILINGS[4].accession]
    assert summary["rows_written"]["filings"] == 4


@pytest.mark.slow
def test_prefect_that_cannot_start_is_one_line_and_exit_1(tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "0", "PREFECT_API_URL": "",
           "PREFECT_HOME": str(tmp_path / "prefect"), "EARNINGS_LAKE_SEC_USER_AGENT": USER_AGENT}
    done = subprocess.run([sys.executable, "-m", "flows.cli", "ingest", "ACME", "--lake", str(tmp_path / "lake"),
                           "--mirror", "http://127.0.0.1:9"], cwd=REPO, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in done.stderr, done.stderr
    assert lines[0].startswith("earnings-lake: Prefect's temporary API server did not start within 0 s")
    assert "PREFECT_API_URL" in lines[0]


@pytest.mark.parametrize(("body", "reason"), [
    (b"<html><body><p>Condensed Statements of Income (in millions)</p><table><tr><td>Revenue</td><td>1,0",
     "truncated"),
    (bytes(range(7, 256)) * 40, "not an HTML document"),
    (b"<html><body>" + b"<div>" * 100_000 + b"Revenue $1" + b"</div>" * 100_000 + b"</body></html>",
     "nests deeper than a parser reads"),
])
def test_an_unreadable_body_is_a_parse_issue(body: bytes, reason: str) -> None:
    from tasks.earnings.release_document import document_view
    from tasks.errors import ParseError

    with pytest.raises(ParseError, match=reason):
        document_view(body, "https://x/pr.htm")


@pytest.mark.prefect
def test_a_truncated_release_is_reported_and_fetched_again_next_run(
    edgar: RecordingServer, tmp_path: Path
) -> None:
    from tests.support.runs import run_ingest

    q4 = fakeedgar.FILINGS[0]
    edgar.add(q4.folder + "q4pr.htm", "<html><body><p>Revenue for the quarter was $1.4 billion, up")
    first = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "lake"), mirror=edgar.url)
    [torn] = [f for f in first["failures"] if f["url"] == q4.folder + "q4pr.htm" and f["locator"] == "body"]
    assert "truncated" in torn["reason"] and "fetched again next run" in torn["reason"]
    edgar.hits.clear()
    run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "lake"), mirror=edgar.url)
    assert edgar.hits_for(q4.folder + "q4pr.htm"), "the torn body was not fetched again"


@pytest.mark.slow
def test_a_killed_cli_leaves_no_prefect_server_behind(tmp_path: Path) -> None:
    import signal
    import time

    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": ""}
    script = ("import time\nfrom flows.prefect_api import start_prefect_api\n"
              "from prefect.server.api.server import SubprocessASGIServer\nstart_prefect_api()\n"
              "print(SubprocessASGIServer().server_process.pid, flush=True)\ntime.sleep(300)\n")
    cli = subprocess.Popen([sys.executable, "-c", script], cwd=REPO, env=env, stdout=subprocess.PIPE, text=True)
    try:
        server_pid = int(cli.stdout.readline())  # type: ignore[union-attr]
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait(timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                os.kill(server_pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.2)
        else:
            os.kill(server_pid, signal.SIGTERM)
            pytest.fail("the temporary Prefect server outlived the killed CLI")
    finally:
        if cli.poll() is None:
            cli.kill()


def test_only_new_or_changed_guidance_rows_are_announced() -> None:
    from flows.steps import changed_rows

    before = pl.DataFrame({"ticker": ["A", "A"], "fiscal_period": ["FY2025Q1", "FY2025Q2"], "low": [1.0, 2.0]})
    after = pl.DataFrame({"ticker": ["A", "A", "B"], "fiscal_period": ["FY2025Q1", "FY2025Q2", "FY2025Q1"],
                          "low": [1.0, 2.5, 3.0]})
    assert changed_rows(before, after).rows() == [("A", "FY2025Q2", 2.5), ("B", "FY2025Q1", 3.0)]
    assert changed_rows(after, after).is_empty()  # a rerun of the same guidance announces nothing


def test_the_run_artifact_lists_the_documents_that_failed() -> None:
    from types import SimpleNamespace

    from flows.steps import validation_table
    from flows.summary import RunSummary

    summary = RunSummary()
    summary.add_failure(url="https://www.sec.gov/a.htm", reason="HTTP 404 Not Found", stage="fetch", ticker="AAA")
    summary.add_failure(url="https://www.sec.gov/b.htm", reason="no total revenue line", stage="parse", ticker="BBB")
    table = validation_table(SimpleNamespace(summary=summary), None)  # type: ignore[arg-type]
    assert "**Documents that failed: 2** (1 failed to fetch or parse, 1 not found, HTTP 404)" in table
    other = table.index("| BBB | parse | https://www.sec.gov/b.htm | no total revenue line |")
    assert other < table.index("| AAA | fetch | https://www.sec.gov/a.htm | HTTP 404 Not Found |")  # 404s after


def test_the_summary_counts_missing_documents_and_lists_the_rest() -> None:
    from flows.summary import RunSummary

    summary = RunSummary(places={"lake": "/data/lake", "report": "/data/lake/report/index.html"})
    for n in range(3):
        summary.add_failure(url=f"https://www.sec.gov/{n}.htm", reason="HTTP 404 Not Found", stage="fetch",
                            ticker="AAA")
    summary.add_failure(url="https://www.sec.gov/x.htm", reason="truncated body", stage="parse", ticker="BBB")
    text = summary.render()
    assert "  3 not found (HTTP 404): AAA 3 (--json lists them)" in text
    assert "  FAILED https://www.sec.gov/x.htm: truncated body" in text and "0.htm" not in text
    assert text.endswith("report:              /data/lake/report/index.html")
    assert len(summary.as_dict()["failures"]) == 4  # --json keeps every one
