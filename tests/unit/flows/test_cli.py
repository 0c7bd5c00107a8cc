from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from flows.cli import main
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.storage.publish import publish
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.support.sample_frames import PRICES, rows


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


def test_parse_prints_the_rows_of_one_release_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    release = tmp_path / "release.htm"
    release.write_text("<html><body><p>Condensed Statements of Income (in millions)</p><table>"
                       "<tr><td></td><td>Three Months Ended</td></tr><tr><td></td><td>2026</td><td>2025</td></tr>"
                       "<tr><td>Total revenue</td><td>$ 410</td><td>$ 380</td></tr>"
                       "<tr><td>Cost of revenue</td><td>200</td><td>190</td></tr>"
                       "<tr><td>Net income</td><td>50</td><td>45</td></tr></table>"
                       "<p>Outlook</p><p>For the fourth quarter of 2026 we expect revenue of $420 million to "
                       "$440 million.</p></body></html>")
    assert main(["parse", str(release), "--ticker", "nwt", "--filed", "2026-10-27", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["fiscal_period"], r["metric"], r["low"], r["high"]) for r in out["guidance"]] == [
        ("FY2026Q4", "revenue", 420e6, 440e6)]
    assert [(r["ticker"], r["fiscal_period"], r["metric"], r["value"]) for r in out["actuals"]] == [
        ("NWT", "FY2026Q3", "revenue", 410e6)]
    assert main(["parse", str(release), "--ticker", "NWT", "--fiscal-year-end", "1331"]) == 1
    assert "--fiscal-year-end must be MMDD" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "message"), [
    (["--since", "2025-02-01", "--until", "2025-01-01"], "--until 2025-01-01 is before --since 2025-02-01"),
    (["--lake", "/"], "is the filesystem root"),
    (["--lake", "{file}"], "is a file, not a folder"),
    (["--lake", "{outer}/curated/guidance"], "is inside another lake's curated/"),
])
def test_bad_arguments_are_one_line_before_any_request(
    args: list[str], message: str, server: RecordingServer, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("x")
    (tmp_path / "outer" / "curated" / "guidance").mkdir(parents=True)
    (tmp_path / "outer" / "raw").mkdir()
    args = [a.replace("{file}", str(tmp_path / "a-file")).replace("{outer}", str(tmp_path / "outer")) for a in args]
    if "--lake" not in args:
        args += ["--lake", str(tmp_path / "lake")]
    code = main(["ingest", "ACME", "--user-agent", "J j@example.com", "--mirror", server.url, *args])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 1 and len(err) == 1 and message in err[0], err
    assert server.hits == []


def test_a_ticker_that_cannot_be_one_is_refused(server: RecordingServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["ingest", "NVDA", "²", "--user-agent", "J j@example.com", "--mirror", server.url]) == 1
    assert "not a ticker or CIK: '²'" in capsys.readouterr().err
    assert server.hits == []
