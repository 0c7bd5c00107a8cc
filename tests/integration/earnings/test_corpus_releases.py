"""The corpus ingest against ../shared/corpus/expected: guidance, actuals, NVIDIA's beat history."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from schemas.releases import ACTUALS, GUIDANCE, GUIDANCE_VS_ACTUAL
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.conftest import CORPUS_SINCE, expected_rows

pytestmark = [pytest.mark.corpus, pytest.mark.prefect]
CORE = {"revenue", "gross_margin", "operating_expenses", "other_income_expense", "tax_rate", "operating_income",
        "total_expenses", "capex"}


def fy(label: str) -> str:
    return label if label.startswith("FY") else f"FY{label}"


def num(value: Any) -> float | None:
    return None if value is None else float(value)


def lake_of(corpus_ingest: dict[str, object]) -> Lake:
    return Lake(LocalStore(corpus_ingest["lake_dir"]))  # type: ignore[arg-type]


def ingested(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The labelled rows of documents the corpus ingest reads: those issued since its start date (the labels of
    NVIDIA's fiscal-2023 newsroom pages, issued in 2022, lie before it). A row without its own issue date takes
    its document's, from the guidance labels."""
    issued = {str(r.get("accession") or r["url"]): str(r["issued"]) for r in expected_rows("guidance.jsonl")}
    since = CORPUS_SINCE.isoformat()
    return [r for r in rows if str(r.get("issued") or issued.get(str(r.get("accession") or r["url"]), since)) >= since]


def test_guidance_core_metrics_match_expected_exactly(corpus_ingest: dict[str, object]) -> None:
    got = lake_of(corpus_ingest).read_dataset(GUIDANCE)
    mine = {(r["ticker"], r["release_id"], r["fiscal_period"], r["metric"], r["basis"]): r
            for r in got.filter(pl.col("metric").is_in(list(CORE)) & pl.col("metric_detail").is_null()
                                ).iter_rows(named=True)}
    expected = [r for r in ingested(expected_rows("guidance.jsonl")) if r["metric"] in CORE]
    wanted = {}
    for r in expected:
        detail = r["metric_detail"]
        key = (r["ticker"], r.get("accession") or r["url"], fy(str(r["target_period"])), r["metric"], r["basis"])
        if detail is None:
            wanted[key] = r
    assert len(wanted) >= 230  # expected/ and expected/later/
    assert sum(1 for key in wanted if key[1].startswith("https://nvidianews.nvidia.com/")) >= 60
    for key, row in wanted.items():
        assert key in mine, f"missing guidance row {key}: {row['sentence']}"
        have = mine[key]
        assert (num(have["low"]), num(have["high"]), num(have["point"])) == (
            num(row["low"]), num(row["high"]), num(row["point"])), key
        assert (have["tolerance"], have["qualifier"], have["unit"], have["sentence"], str(have["issued_date"])) == (
            row["tolerance"], row["qualifier"], row["unit"], row["sentence"], row["issued"]), key
    # No core-metric row the expected file lacks (8-Ks and newsroom pages).
    assert set(mine) <= set(wanted)


def test_actuals_match_expected_exactly(corpus_ingest: dict[str, object]) -> None:
    got = lake_of(corpus_ingest).read_dataset(ACTUALS)
    labelled = {str(r["metric"]) for r in expected_rows("actuals.jsonl")}  # EPS is not labelled there
    mine = {(r["ticker"], r["release_id"], r["metric"], r["metric_detail"], r["segment"]): r
            for r in got.iter_rows(named=True) if r["metric"] in labelled}
    wanted = {}
    for r in ingested(expected_rows("actuals.jsonl")):
        wanted[(r["ticker"], r.get("accession") or r["url"], r["metric"], r["metric_detail"], r["segment"])] = r
    assert len(wanted) == 191 + 72  # expected/, and expected/later/ but for the six rows of fiscal-2023 pages
    for key, row in wanted.items():
        assert key in mine, f"missing actual {key}"
        assert num(mine[key]["value"]) == num(row["value"]), key
        assert mine[key]["fiscal_period"] == fy(str(row["fiscal_period"])), key
        assert str(mine[key]["period_end"]) == row["period_end"], key
    assert set(mine) == set(wanted)


def test_nvidia_beat_history(corpus_ingest: dict[str, object]) -> None:
    gva = lake_of(corpus_ingest).read_dataset(GUIDANCE_VS_ACTUAL)
    revenue = gva.filter((pl.col("ticker") == "NVDA") & (pl.col("metric") == "revenue")).sort("fiscal_period")
    q4 = revenue.filter(pl.col("fiscal_period") == "FY2025Q4").row(0, named=True)
    assert (q4["actual"], q4["guided_point"], q4["guided_low"], q4["guided_high"]) == (
        39331000000, 37500000000, 36750000000, 38250000000)
    assert (q4["beat"], q4["position"], q4["guidance_release"], q4["actual_release"]) == (
        1831000000, "above", "0001045810-24-000315", "0001045810-25-000021")
    # FY2024Q1 (guided by the fiscal-2023 Q4 page) through FY2026Q3 (actual from the newsroom page): eleven beats
    assert revenue["fiscal_period"].to_list()[0] == "FY2024Q1" and revenue["fiscal_period"].to_list()[-1] == "FY2026Q3"
    assert revenue["beat_streak"].to_list() == list(range(1, 12))
    assert revenue["position"].to_list() == ["above"] * 11
    # the later documents' beats (expected/later/news_claims_vs_filings.md: FY2024Q2 $2,507 M, FY2024Q3 $2,120 M)
    beats = dict(zip(revenue["fiscal_period"], revenue["beat"], strict=True))
    assert (beats["FY2024Q1"], beats["FY2024Q2"], beats["FY2024Q3"]) == (692e6, 2507e6, 2120e6)


def test_corpus_ingest_passes_every_suite(corpus_ingest: dict[str, object]) -> None:
    summary: dict[str, Any] = corpus_ingest["summary"]  # type: ignore[assignment]
    assert summary["datasets_failed"] == {} and summary["quarantined"] == {}
    validated = summary["validations"]
    assert set(validated) == {"filings", "guidance", "actuals", "guidance_vs_actual", "financials_quarterly",
                              "segment_revenue", "capex", "parse_issues"}
    assert all(report["errors"] == [] for report in validated.values())
    lake_dir = corpus_ingest["lake_dir"]
    assert (lake_dir / "docs" / "index.html").exists()  # type: ignore[operator]
