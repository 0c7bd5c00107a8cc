"""The real corpus: every earnings 8-K of the five companies listed, EX-99.1/99.2 archived, reruns idempotent."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from schemas.filings import FILINGS
from tasks.storage.lake import Lake
from tasks.storage.layout import raw_key
from tasks.storage.object_store import LocalStore
from tests.conftest import CORPUS_TICKERS, USER_AGENT, expected_rows
from tests.support.runs import run_ingest

pytestmark = [pytest.mark.corpus, pytest.mark.prefect]


def test_every_expected_earnings_8k_is_listed_with_exhibits(corpus_ingest: dict[str, object]) -> None:
    lake = Lake(LocalStore(corpus_ingest["lake_dir"]))  # type: ignore[arg-type]
    filings = lake.read_dataset(FILINGS)
    expected = {(r["ticker"], r["accession"]) for r in expected_rows("actuals.jsonl") if r.get("accession")}
    earnings = filings.filter(pl.col("items").list.contains("2.02"))
    listed = set(zip(earnings["ticker"], earnings["accession"], strict=True))
    assert expected <= listed
    for _ticker, accession in expected:
        row = earnings.filter(pl.col("accession") == accession).row(0, named=True)
        exhibits = {d["type"]: d for d in row["documents"] if d["type"].startswith("EX-99")}
        assert "EX-99.1" in exhibits, accession
        for doc in exhibits.values():
            assert doc["archived"], doc["url"]
            assert lake.raw_read(doc["url"]) is not None
    nvda_q4 = earnings.filter(pl.col("accession") == "0001045810-25-000021").row(0, named=True)
    assert (nvda_q4["fiscal_period"], str(nvda_q4["accepted_at"])) == ("FY2025Q4", "2025-02-26 21:21:32+00:00")


def test_missing_documents_are_reported_with_their_url(corpus_ingest: dict[str, object]) -> None:
    summary = corpus_ingest["summary"]
    failures = summary["failures"]  # type: ignore[index]
    assert summary["exit_code"] == 2  # type: ignore[index]
    urls = {f["url"] for f in failures}
    # listed in NVIDIA's submissions, absent from the corpus: its FY2026Q3 8-K (the Q1 and Q2 FY2026 8-Ks are there)
    assert "https://www.sec.gov/Archives/edgar/data/1045810/000104581025000228/nvda-20251119.htm" in urls
    assert "https://www.sec.gov/Archives/edgar/data/1045810/000104581025000115/nvda-20250528.htm" not in urls
    assert all(f["reason"] == "HTTP 404 Not Found" for f in failures)


def test_second_run_downloads_no_archived_document(corpus_ingest: dict[str, object],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    lake_dir: Path = corpus_ingest["lake_dir"]  # type: ignore[assignment]
    server = corpus_ingest["server"]
    before = {p: hashlib.sha256(p.read_bytes()).digest() for p in (lake_dir / "curated").rglob("*") if p.is_file()}
    failed = {raw_key(f["url"]) for f in corpus_ingest["summary"]["failures"]}  # type: ignore[index]
    server.hits.clear()  # type: ignore[attr-defined]
    monkeypatch.setenv("EARNINGS_LAKE_SEC_USER_AGENT", USER_AGENT)
    monkeypatch.setenv("EARNINGS_LAKE_RATE_LIMIT", "10")
    summary = run_ingest(tickers=CORPUS_TICKERS, since=date(2023, 1, 1), lake=str(lake_dir), mirror=server.url)  # type: ignore[attr-defined]
    refetched = {h.path for h in server.hits if "/Archives/" in h.path}  # type: ignore[attr-defined]
    assert {raw_key("https:/" + p) for p in refetched} <= failed
    assert summary["documents_fetched"] == 0
    after = {p: hashlib.sha256(p.read_bytes()).digest() for p in (lake_dir / "curated").rglob("*") if p.is_file()}
    assert after == before
