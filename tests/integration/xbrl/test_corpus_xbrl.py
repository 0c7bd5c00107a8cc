"""The corpus ingest's XBRL datasets against ../shared/corpus/expected (exact), plus Meta's 10-K capex."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from schemas.financials import CAPEX, FINANCIALS_QUARTERLY, SEGMENT_REVENUE
from schemas.releases import ACTUALS, GUIDANCE
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.xbrl.capex import capex_frame
from tasks.xbrl.financials import ALL_CONCEPTS
from tasks.xbrl.inline_xbrl import parse_inline_xbrl
from tests.conftest import CORPUS, expected_rows

pytestmark = pytest.mark.corpus


def lake_of(corpus_ingest: dict[str, object]) -> Lake:
    return Lake(LocalStore(corpus_ingest["lake_dir"]))  # type: ignore[arg-type]


@pytest.mark.prefect
@pytest.mark.parametrize(("name", "metric"), [("revenue_quarterly.jsonl", "revenue"),
                                              ("capex_quarterly.jsonl", "capex")])
def test_quarterly_series_match_expected_exactly(corpus_ingest: dict[str, object], name: str, metric: str) -> None:
    """NVIDIA's series (expected/) and Alphabet's (expected/later/, from its companyfacts), each exactly."""
    series = lake_of(corpus_ingest).read_dataset(FINANCIALS_QUARTERLY).filter(pl.col("metric") == metric)
    labelled = expected_rows(name)
    assert {r["ticker"] for r in labelled} == {"NVDA", "GOOGL"}
    for ticker in ("NVDA", "GOOGL"):
        got = series.filter(pl.col("ticker") == ticker)
        expected = [r for r in labelled if r["ticker"] == ticker]
        periods = [fy(str(r["fiscal_period"])) for r in expected]
        mine = {r["fiscal_period"]: r for r in got.filter(
            pl.col("fiscal_period").is_between(pl.lit(min(periods)), pl.lit(max(periods)))).iter_rows(named=True)}
        for row, period in zip(expected, periods, strict=True):
            have = mine.get(period)
            assert have is not None, f"missing {ticker} {metric} {period}"
            assert (have["concept"], have["value"], str(have["period_start"]), str(have["period_end"]),
                    have["derivation"], have["accessions"]) == (
                row["concept"], float(row["value"]), row["start"], row["end"], row["derivation"], row["accns"])
        assert set(mine) == set(periods)  # NVIDIA's FY2023Q1–Q3 capex stay absent
        assert got.filter(pl.col("derivation").is_null() | (pl.col("accessions").list.len() == 0)).is_empty()


def fy(label: str) -> str:
    return label if label.startswith("FY") else f"FY{label}"


@pytest.mark.prefect
def test_nvidia_segments_match_the_releases(corpus_ingest: dict[str, object]) -> None:
    segments = lake_of(corpus_ingest).read_dataset(SEGMENT_REVENUE).filter(pl.col("ticker") == "NVDA")
    mine = {(r["fiscal_period"], r["label"]): r for r in segments.iter_rows(named=True)}
    compared = 0
    for row in expected_rows("actuals.jsonl"):
        if row["ticker"] != "NVDA" or not row["segment"] or not row.get("accession"):
            continue
        label = str(row["segment"]).replace(" & ", " and ")
        have = mine.get((str(row["fiscal_period"]), label))
        assert have is not None, f"no XBRL segment {label} {row['fiscal_period']}"
        assert have["value"] == float(row["value"]), (label, row["fiscal_period"])
        assert have["sums_to_total"] is True
        compared += 1
    assert compared == 68  # the 8-Ks of expected/ (50) and expected/later/ (18)
    data_center = segments.filter(pl.col("label") == "Data Center").sort("period_end")
    q4 = data_center.filter(pl.col("fiscal_period") == "FY2025Q4").row(0, named=True)
    assert (q4["value"], q4["derivation"]) == (35_580_000_000, "fy_minus_9m")


@pytest.mark.prefect
def test_capex_dataset_has_lineage_and_ttm(corpus_ingest: dict[str, object]) -> None:
    capex = lake_of(corpus_ingest).read_dataset(CAPEX).filter(pl.col("ticker") == "NVDA")
    fy2025 = capex.filter(pl.col("fiscal_year") == 2025).sort("period_end")
    quarters = fy2025.filter(pl.col("period_type") == "quarter")
    assert quarters["capex"].to_list() == [369e6, 977e6, 813e6, 1077e6]
    assert quarters["ttm"][-1] == 3236e6
    assert fy2025.filter(pl.col("period_type") == "year")["capex"].to_list() == [3236e6]


def test_meta_fy2024_capex_includes_finance_leases() -> None:
    path = CORPUS / "xbrl" / "META" / "meta-10-k-2025-01-30.html"
    facts = parse_inline_xbrl(path.read_bytes(), str(path), accession="unknown", form="10-K",
                              filed=date(2025, 1, 30), concepts=ALL_CONCEPTS)
    meta_guidance = pl.DataFrame([{"ticker": "META", "metric": "capex",
                                   "metric_detail": "incl_finance_lease_principal"}])
    capex = capex_frame(facts, ticker="META", cik="0001326801", fiscal_year_end="1231",
                        guidance=meta_guidance.with_columns(**{c: pl.lit(None).cast(t) for c, t in
                                                               GUIDANCE.schema.items() if c not in meta_guidance.columns}))
    fy2024 = capex.filter(pl.col("fiscal_period") == "FY2024").row(0, named=True)
    assert fy2024["capex"] == 39_225_000_000 and round(fy2024["capex"] / 1e9, 2) == 39.23
    assert {c["metric"]: c["value"] for c in fy2024["components"]} == {
        "purchases_of_property_and_equipment": 37_256_000_000, "finance_lease_principal": 1_969_000_000}


@pytest.mark.prefect
def test_nvidia_release_values_agree_with_its_xbrl(corpus_ingest: dict[str, object]) -> None:
    """Every NVIDIA revenue, segment, capex and GAAP gross margin row XBRL also reports agrees with it."""
    actuals = lake_of(corpus_ingest).read_dataset(ACTUALS).filter(pl.col("ticker") == "NVDA")
    checked = actuals.filter(pl.col("metric").is_in(["revenue", "capex", "gross_margin"]))
    counts = dict(checked.group_by("xbrl_check").len().iter_rows())
    print(f"\nNVDA actuals vs XBRL: {counts}")
    assert set(counts) == {"agrees"} and counts["agrees"] >= 100, counts
    assert checked.filter(pl.col("segment").is_not_null()).height >= 60
    row = checked.filter((pl.col("fiscal_period") == "FY2025Q4") & (pl.col("metric") == "revenue")
                         & pl.col("segment").is_null() & (pl.col("release_id") == "0001045810-25-000021")).row(
        0, named=True)
    assert (row["value"], row["xbrl_value"]) == (39_331_000_000, 39_331_000_000)
    assert row["xbrl_fact"].startswith("Revenues (fy_minus_9m; ")  # concept, derivation, accessions
