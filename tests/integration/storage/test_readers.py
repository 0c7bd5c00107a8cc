"""The lake for its readers: data dictionary, docs/datasets.md, Parquet field metadata, SQL views, DDL, report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import polars as pl
import pyarrow.parquet as pq
import pytest
import sqlglot

from flows.cli import main
from schemas.dictionary import markdown, undocumented
from schemas.financials import CAPEX
from schemas.registry import CONTRACTS
from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.storage.publish import publish
from tasks.storage.sql_views import athena_ddl, connect, duckdb_ddl, query
from tests.support.paths import REPO

DOCS = REPO / "docs" / "datasets.md"


def test_every_column_has_a_meaning_and_unit_and_docs_are_current() -> None:
    assert {name: undocumented(name, list(c.columns)) for name, c in CONTRACTS.items()} == \
        {name: [] for name in CONTRACTS}
    assert DOCS.read_text(encoding="utf-8") == markdown(), \
        "docs/datasets.md is stale: uv run python -m schemas.dictionary > docs/datasets.md"


def _rows(contract: Any, rows: list[dict[str, Any]]) -> pl.DataFrame:
    frame = pl.DataFrame(rows, schema=contract.schema)
    return contract.settle(frame) if contract.settle else frame


def actual(release: str, accession: str | None, period: str, metric: str, value: float,
           segment: str | None = None) -> dict[str, Any]:
    return {"ticker": "ACME", "cik": "0000000042", "release_id": release, "accession": accession,
            "source_url": f"https://example.com/{release}", "fiscal_year": int(period[2:6]), "fiscal_period": period,
            "calendar_period": period[2:], "period_end": date(int(period[2:6]), 3 * int(period[-1]), 28),
            "metric": metric, "metric_detail": None, "segment": segment, "value": value, "unit": "USD",
            "source": f"table 1, {metric}"}


@pytest.fixture
def lake(tmp_path: Path) -> str:
    where = tmp_path / "lake"
    store = Lake(LocalStore(where))
    page, filing = "https://news.example.com/q4", "0000000042-25-000009"
    quarters = [actual(f"0000000042-25-00000{q}", f"0000000042-25-00000{q}", f"FY2025Q{q}", "capex", 1e9 * q)
                for q in (1, 2, 3)]
    publish(store, ACTUALS, _rows(ACTUALS, [actual(page, None, "FY2025Q3", "revenue", 10e9),
                                            actual(page, None, "FY2025Q4", "revenue", 12e9), *quarters]))
    publish(store, ACTUALS, _rows(ACTUALS, [actual(filing, filing, "FY2025Q3", "revenue", 10e9),
                                            actual("0000000042-26-000001", "0000000042-26-000001", "FY2025Q4",
                                                   "capex", 4e9)]))
    guide = {"ticker": "ACME", "cik": "0000000042", "source_url": "https://example.com/g", "fiscal_year": 2025,
             "fiscal_period": "FY2025", "metric": "capex", "unit": "USD", "qualifier": "range"}
    publish(store, GUIDANCE, _rows(GUIDANCE, [
        {**guide, "release_id": "0000000042-25-000001", "accession": "0000000042-25-000001",
         "issued_date": date(2025, 2, 1), "low": 9e9, "high": 11e9, "sentence": "Capex of $9 to $11 billion."},
        {**guide, "release_id": "0000000042-25-000002", "accession": "0000000042-25-000002",
         "issued_date": date(2025, 5, 1), "low": 10e9, "high": 12e9, "sentence": "Capex of $10 to $12 billion."}]))
    publish(store, GUIDANCE_VS_ACTUAL, _rows(GUIDANCE_VS_ACTUAL, [
        {"ticker": "ACME", "fiscal_year": 2025, "fiscal_period": f"FY2025Q{q}", "calendar_period": f"2025Q{q}",
         "metric": "revenue", "unit": "USD", "guided_low": 9e9, "guided_point": 10e9, "guided_high": 11e9,
         "actual": 10e9 + q * 1e8, "beat": q * 1e8, "beat_pct": q, "position": "inside", "beat_streak": q,
         "guidance_release": "0000000042-25-000001", "actual_release": "0000000042-25-000002"} for q in (1, 2)]))
    return str(where)


def test_one_preferred_row_per_fact_and_field_metadata(lake: str) -> None:
    actuals = Lake(LocalStore(Path(lake))).read_dataset(ACTUALS).filter(pl.col("metric") == "revenue")
    preferred = actuals.filter(pl.col("preferred")).select("fiscal_period", "release_id").sort("fiscal_period")
    assert preferred.rows() == [("FY2025Q3", "0000000042-25-000009"), ("FY2025Q4", "https://news.example.com/q4")]
    [part] = list(Path(lake).glob("curated/actuals/ticker=ACME/fiscal_year=2025/*.parquet"))
    field = pq.read_schema(part).field("value")
    assert field.metadata[b"unit"] and b"value" in field.metadata[b"description"].lower()


def test_sql_views_and_the_cli(lake: str, capsys: pytest.CaptureFixture[str]) -> None:
    con = connect(lake)
    beats = query(con, "SELECT fiscal_period, beat, beat_streak FROM beats ORDER BY fiscal_period")
    assert beats.rows() == [("FY2025Q1", 1e8, 1), ("FY2025Q2", 2e8, 2)]
    plan = query(con, "SELECT * FROM capex_plans WHERE ticker = 'ACME'").row(0, named=True)
    assert (plan["reported"], plan["ttm"], plan["ttm_through"]) == (10e9, 10e9, "FY2025Q4")
    assert (plan["guided_low"], plan["guided_high"], plan["change_vs_prior_guide"]) == (10e9, 12e9, 1e9)
    assert query(con, "SELECT count(*) AS n FROM claims").item() == 0  # no news yet: an empty, typed view
    assert main(["sql", "--lake", lake, "--query", "SELECT fiscal_period, beat FROM beats ORDER BY 1", "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == ["fiscal_period,beat", "FY2025Q1,100000000.0",
                                                    "FY2025Q2,200000000.0"]
    assert main(["sql", "--lake", lake, "--query", "SELECT nope FROM beats"]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["datasets", "actuals", "--lake", lake]) == 0
    out = capsys.readouterr().out
    assert "preferred" in out and "USD/share" in out and "newest fiscal_period per ticker: ACME FY2025Q4" in out


def test_ddl_is_accepted_by_duckdb_and_round_trips_through_athena(lake: str) -> None:
    con = duckdb.connect()
    con.execute(duckdb_ddl(lake))
    assert con.sql("SELECT count(*) FROM actuals").fetchall() == [(7,)]
    assert con.sql("SELECT count(*) FROM beats").fetchall() == [(2,)]
    statements = [s for s in sqlglot.parse(athena_ddl("s3://bucket/prefix"), read="athena") if s is not None]
    assert len(statements) == len(CONTRACTS)
    for parsed in statements:
        again = sqlglot.parse_one(parsed.sql(dialect="athena"), read="athena")
        assert again == parsed
    assert "PARTITIONED BY (`ticker` string, `fiscal_year` int)" in athena_ddl("s3://b/p")



@pytest.mark.server
@pytest.mark.s3
def test_sql_and_report_over_an_s3_lake(lake: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Through boto3's credential chain and endpoint settings (moto over HTTP here), no DuckDB extension."""
    from tasks.storage.report import write_report
    from tests.support.lakes import moto_endpoint, new_bucket, s3_client, s3_store

    with moto_endpoint() as endpoint:
        bucket = new_bucket(endpoint)
        store = Lake(s3_store(endpoint, bucket))
        for contract in (ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL, CAPEX):
            publish(store, contract, Lake(LocalStore(Path(lake))).read_dataset(contract))
        for name, value in {"AWS_ENDPOINT_URL": endpoint, "AWS_ACCESS_KEY_ID": "testing",
                            "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}.items():
            monkeypatch.setenv(name, value)
        con = connect(f"s3://{bucket}/lake")
        assert query(con, "SELECT count(*) AS n FROM beats").item() == 2
        where = write_report(f"s3://{bucket}/lake")
        assert where == f"s3://{bucket}/lake/report/index.html"
        body = s3_client(endpoint).get_object(Bucket=bucket, Key="lake/report/index.html")["Body"].read()
        assert b"ACME revenue vs its own outlook" in body
        assert not re.search(rb"<(?:script|link|img)[^>]+(?:src|href)=[\"']https?://", body)  # assets embedded
