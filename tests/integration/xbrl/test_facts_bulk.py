"""facts-bulk: a small companyfacts.zip with a good, an empty and a broken company."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import polars as pl
import pytest

from flows.cli import main
from schemas.financials import FINANCIALS_QUARTERLY
from tasks.errors import ParseError
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.xbrl.facts_bulk import run_facts_bulk


def companyfacts(cik: int) -> bytes:
    def fact(start: str, end: str, val: int, accn: str, form: str, filed: str) -> dict[str, object]:
        return {"start": start, "end": end, "val": val, "accn": accn, "form": form, "filed": filed}

    revenue = [fact("2024-01-01", "2024-03-31", 100, "a-1", "10-Q", "2024-05-01"),
               fact("2024-01-01", "2024-06-30", 230, "a-2", "10-Q", "2024-08-01"),
               fact("2024-01-01", "2024-09-30", 360, "a-3", "10-Q", "2024-11-01"),
               fact("2024-01-01", "2024-12-31", 500, "a-4", "10-K", "2025-02-01")]
    return json.dumps({"cik": cik, "entityName": "X", "facts": {"us-gaap": {
        "Revenues": {"units": {"USD": revenue}}, "Other": {"units": {"USD": revenue}}}}}).encode()


def archive(tmp_path: Path) -> Path:
    path = tmp_path / "companyfacts.zip"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("CIK0000000001.json", companyfacts(1))
        zf.writestr("CIK0000000002.json", json.dumps({"cik": 2, "entityName": "Empty", "facts": {}}))
        zf.writestr("CIK0000000003.json", b'{"cik": 3, "facts": ')
    return path


def test_bulk_load_reports_the_bad_entry_and_keeps_the_rest(tmp_path: Path) -> None:
    summary = run_facts_bulk(str(archive(tmp_path)), str(tmp_path / "lake"), workers=2, window=2)
    assert (summary.companies, summary.companies_with_rows, summary.rows_written) == (3, 1, 4)
    [failure] = summary.failures
    assert failure["url"] == "companyfacts.zip:CIK0000000003.json" and "not valid JSON" in failure["reason"]
    lake = Lake(LocalStore(tmp_path / "lake"))
    got = lake.read_dataset(FINANCIALS_QUARTERLY)
    assert got.select("ticker", "fiscal_period", "value", "derivation").rows() == [
        ("CIK0000000001", "FY2024Q1", 100.0, "reported_3m"), ("CIK0000000001", "FY2024Q2", 130.0, "ytd_difference"),
        ("CIK0000000001", "FY2024Q3", 130.0, "ytd_difference"), ("CIK0000000001", "FY2024Q4", 140.0, "fy_minus_9m")]
    assert lake.catalog()["datasets"]["financials_quarterly"]["row_count"] == 4
    assert got.filter(pl.col("accessions").list.len() == 0).is_empty()


def test_not_a_zip_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "companyfacts.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(ParseError, match=r"companyfacts\.zip \[archive\]: not a zip archive"):
        run_facts_bulk(str(bad), str(tmp_path / "lake"))


@pytest.mark.prefect
def test_cli_facts_bulk(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["facts-bulk", str(archive(tmp_path)), "--lake", str(tmp_path / "lake"), "--workers", "1"])
    out = capsys.readouterr().out
    assert code == 2
    assert "companies: 3 (1 with rows), rows: 4, partitions: 1, failed: 1" in out
    assert "FAILED companyfacts.zip:CIK0000000003.json" in out


def test_a_company_breaking_the_suite_is_held_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "companyfacts.zip"
    bad = json.loads(companyfacts(4))
    bad["cik"] = 12345678901
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("CIK12345678901.json", json.dumps(bad))
        zf.writestr("CIK0000000001.json", companyfacts(1))
    summary = run_facts_bulk(str(path), str(tmp_path / "lake"), workers=1)
    [failure] = summary.failures
    assert "check:cik_format" in failure["reason"] and summary.companies_with_rows == 1
