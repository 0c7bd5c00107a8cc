"""End to end over real HTTP: fake EDGAR served locally, the real client with --mirror, the Prefect flow."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import polars as pl
import pytest
from polars.testing import assert_frame_equal

from schemas.filings import FILINGS, PARSE_ISSUES
from schemas.releases import ACTUALS, GUIDANCE
from tasks.sec import edgar as edgar_urls
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.support.lakes import moto_endpoint, new_bucket, s3_store
from tests.support.runs import run_ingest, run_reprocess

pytestmark = pytest.mark.prefect


def curated_digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "curated").rglob("*")) if p.is_file()}


@pytest.fixture
def edgar(server: RecordingServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingServer]:
    fakeedgar.install(server)
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "10")
    monkeypatch.setenv("EARNINGS_LAKE_BACKOFF_BASE", "0")
    yield server


def test_ingest_twice_then_reprocess(edgar: RecordingServer, tmp_path: Path) -> None:
    lake_dir = tmp_path / "lake"
    first = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(lake_dir), mirror=edgar.url)

    assert first["filings_found"] == 4  # three earnings 8-Ks and the 10-K; the Item 5.02 8-K is not earnings
    assert first["documents_fetched"] == 6 and first["documents_reused"] == 0
    missing = fakeedgar.FILINGS[3]
    assert {f["url"] for f in first["failures"] if f["stage"] == "fetch"} == {
        missing.folder + f"{missing.accession}-index.htm", missing.folder + missing.primary,
        edgar_urls.companyfacts_url(fakeedgar.CIK)}  # the fake EDGAR serves no companyfacts
    assert {f["reason"] for f in first["failures"] if f["stage"] == "fetch"} == {"HTTP 404 Not Found"}
    assert first["exit_code"] == 2
    q3 = fakeedgar.FILINGS[4]
    parse_failures = [f for f in first["failures"] if f["stage"] == "parse"]
    [bad_table] = [f for f in parse_failures if f["locator"].startswith("table")]
    # and each release without a readable total revenue line says so (never silence)
    assert {(f["accession"], f["reason"]) for f in parse_failures if f["locator"] == "actuals"} == {
        (q3.accession, "no total revenue line in any table of the release"),
        (fakeedgar.FILINGS[0].accession, "no total revenue line in any table of the release")}
    assert (bad_table["accession"], bad_table["url"], bad_table["locator"]) == (
        q3.accession, q3.folder + "q3pr.htm", "table 0 row 'Revenue'")
    assert "scale cannot be determined" in bad_table["reason"]

    lake = Lake(LocalStore(lake_dir))
    filings = lake.read_dataset(FILINGS)
    assert filings["accession"].to_list() == sorted(f.accession for f in fakeedgar.FILINGS
                                                    if f.filed >= "2024-01-01" and f.items != "5.02")
    q4 = filings.filter(pl.col("accession") == "0001234567-25-000010").row(0, named=True)
    assert (q4["fiscal_period"], q4["fiscal_year"], q4["ticker"], q4["cik"]) == ("FY2025Q4", 2025, "ACME",
                                                                                fakeedgar.CIK)
    assert [d["type"] for d in q4["documents"]] == ["8-K", "EX-99.1", "EX-99.2"]
    assert all(d["archived"] for d in q4["documents"])
    ten_k = filings.filter(pl.col("form") == "10-K").row(0, named=True)
    assert ten_k["fiscal_period"] == "FY2025"
    assert (lake_dir / "raw/sec/1234567/000123456725000010/q4pr.htm").read_bytes().startswith(b"<html>")
    # The bad table is a parse_issues record; the same release's outlook still publishes, and no actual
    # is invented for it.
    issues = lake.read_dataset(PARSE_ISSUES).filter(pl.col("stage") == "parse")
    assert ("ACME", q3.accession, "table 0 row 'Revenue'") in issues.select("ticker", "accession", "locator").rows()
    guided = lake.read_dataset(GUIDANCE).row(0, named=True)
    assert (guided["release_id"], guided["fiscal_period"], guided["low"], guided["point"], guided["high"]) == (
        q3.accession, "FY2025Q4", 1176000000.0, 1200000000.0, 1224000000.0)
    assert lake.read_dataset(ACTUALS).is_empty()

    digest = curated_digest(lake_dir)
    edgar.hits.clear()
    second = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(lake_dir), mirror=edgar.url)
    archives_hits = [h.path for h in edgar.hits if "/Archives/" in h.path]
    # Nothing archived is downloaded twice, and the two documents missing a moment ago are not asked for yet:
    # they are reported again with the same reason.
    assert archives_hits == []
    assert {(f["url"], f["reason"]) for f in second["failures"] if f["stage"] == "fetch"} == {
        (f["url"], f["reason"]) for f in first["failures"] if f["stage"] == "fetch"}
    assert second["documents_reused"] == 6 and second["documents_fetched"] == 0
    assert curated_digest(lake_dir) == digest

    for path in list((lake_dir / "curated").rglob("*.parquet")):
        path.unlink()
    edgar.hits.clear()
    rebuilt = run_reprocess(lake=str(lake_dir))
    assert edgar.hits == []
    assert rebuilt["filings_found"] >= 4
    assert_frame_equal(lake.read_dataset(FILINGS).filter(pl.col("filed_date") >= date(2024, 1, 1)), filings)


@pytest.mark.s3
def test_ingest_into_s3_matches_local(edgar: RecordingServer, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with moto_endpoint() as endpoint:
        bucket = new_bucket(endpoint)
        monkeypatch.setenv("AWS_ENDPOINT_URL", endpoint)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        summary = run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=f"s3://{bucket}/lake", mirror=edgar.url)
        assert summary["rows_written"]["filings"] == 4
        run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "lake"), mirror=edgar.url)
        remote = Lake(s3_store(endpoint, bucket, "lake"))
        local = Lake(LocalStore(tmp_path / "lake"))
        assert_frame_equal(remote.read_dataset(FILINGS), local.read_dataset(FILINGS))
        assert remote.store.exists("raw/sec/1234567/000123456725000010/q4pr.htm.meta.json")


def test_reprocess_rebuilds_byte_identical_curated_files(edgar: RecordingServer, tmp_path: Path) -> None:
    import shutil

    first = tmp_path / "first"
    run_ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(first), mirror=edgar.url)
    rebuilt = tmp_path / "rebuilt"
    shutil.copytree(first / "raw", rebuilt / "raw")
    shutil.copytree(first / "state", rebuilt / "state")
    edgar.hits.clear()
    run_reprocess(lake=str(rebuilt))
    assert edgar.hits == []

    def parquet(root: Path) -> dict[str, str]:
        return {k: v for k, v in curated_digest(root).items() if k.endswith(".parquet")}

    assert parquet(rebuilt) == parquet(first) != {}
    ticker_dirs = {p.name for p in (rebuilt / "curated" / "filings").iterdir()}
    assert ticker_dirs == {"ticker=ACME"}  # tickers, not CIKs


def test_the_run_page_shows_the_package_logs_and_a_failed_state(edgar: RecordingServer, tmp_path: Path) -> None:
    import time

    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId

    from flows.ingest import ingest

    state = ingest(tickers=["ACME"], since=date(2024, 1, 1), lake=str(tmp_path / "lake"), mirror=edgar.url,
                   return_state=True)
    assert state.is_failed() and state.message.startswith("6 documents failed")
    run_id = state.state_details.flow_run_id
    messages: list[str] = []
    for _ in range(40):
        with get_client(sync_client=True) as client:
            messages = [r.message for r in client.read_logs(LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id])))]
        if any("documents fetched" in m for m in messages):
            break
        time.sleep(0.25)
    assert any(m.startswith("4 filings: 6 documents fetched, 0 reused, 6 failed") for m in messages), messages

