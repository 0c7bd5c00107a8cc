"""The Great Expectations gate: each suite passes a correct batch and quarantines a corrupted one, naming the
rule, while curated/ stays byte-identical; warnings publish; reviewed batches can be released."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

import pytest

from flows.cli import main
from flows.runtime import Runtime
from flows.steps import publish_dataset, validation_table
from schemas.registry import contract_for
from tasks.config import load_settings
from tasks.fetch.source import Source
from tasks.quality.validation import GxGate
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tasks.storage.quarantine import held, release, rows_of
from tests.support.sample_frames import GOOD, frame

CORRUPTIONS: dict[str, tuple[str, Any, str]] = {
    "filings": ("accession", "12-34", "check:accession_format"),
    "parse_issues": ("stage", "guess", "check:stage_known"),
    "guidance": ("low", 730.0, "check:percent_within_100"),
    "actuals": ("unit", "EUR", "check:unit_allowed"),
    "guidance_vs_actual": ("beat", 1.0, "check:beat_is_actual_minus_point"),
    "financials_quarterly": ("accessions", [], "check:has_accessions"),
    "segment_revenue": ("ticker", "acme corp", "check:ticker_format"),
    "capex": ("capex", -5.0, "check:capex_not_negative"),
}


@pytest.fixture(scope="module")
def gate() -> GxGate:
    return GxGate(docs=True)


def runtime(tmp_path: Path, gate: GxGate) -> Runtime:
    settings = load_settings(lake=str(tmp_path / "lake"))
    lake = Lake(LocalStore(tmp_path / "lake"))
    gate.results.clear()
    return Runtime(settings, lake, Source(lake, None), gate=gate, run_id="run-1")




def failure(rt: Runtime, name: str) -> str:
    """Why a dataset (or some of its units) was held back."""
    return rt.summary.datasets_failed.get(name) or " | ".join(rt.summary.held_back.get(name, []))


def digest(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted((root / "curated").rglob("*")) if p.is_file()}


@pytest.mark.parametrize("name", sorted(GOOD))
def test_suite_passes_a_correct_batch_and_quarantines_a_corrupted_one(
    name: str, tmp_path: Path, gate: GxGate
) -> None:
    rt = runtime(tmp_path, gate)
    good = frame(name, GOOD[name])
    assert publish_dataset(rt, contract_for(name), good), rt.summary.datasets_failed
    assert rt.summary.validations[name]["errors"] == []
    before = digest(tmp_path / "lake")

    column, bad_value, rule = CORRUPTIONS[name]
    bad = frame(name, [{**GOOD[name][0], column: bad_value}, *GOOD[name][1:]])
    assert not publish_dataset(rt, contract_for(name), bad)
    assert digest(tmp_path / "lake") == before  # curated/ byte-identical
    message = failure(rt, name)
    assert rule in message and "sample bad rows" in message, message
    [batch] = held(rt.lake, "run-1")
    assert (batch.dataset, batch.rows) == (name, bad.height)
    assert rows_of(rt.lake, name, "run-1").height == bad.height
    assert (tmp_path / "lake" / f"quarantine/{name}/run=run-1/validation.json").exists()


def test_duplicate_key_and_low_above_high_are_named(tmp_path: Path, gate: GxGate) -> None:
    rt = runtime(tmp_path, gate)
    row = GOOD["guidance"][0]
    inverted = frame("guidance", [row, {**row, "metric": "capex", "unit": "USD", "low": 9.0, "high": 1.0,
                                        "point": None}])
    assert not publish_dataset(rt, contract_for("guidance"), inverted)
    assert "check:low_le_high" in failure(rt, "guidance")
    rt.summary.held_back.clear()
    duplicated = frame("guidance", [row, row])
    assert not publish_dataset(rt, contract_for("guidance"), duplicated)
    assert "check:primary_key_unique" in failure(rt, "guidance")
    assert not (tmp_path / "lake" / "curated").exists()
    assert [b.dataset for b in held(rt.lake, "run-1")] == ["guidance"]


def test_gross_margin_730_and_missing_lineage_are_named(tmp_path: Path, gate: GxGate) -> None:
    rt = runtime(tmp_path, gate)
    margin = frame("actuals", [*GOOD["actuals"][:2], {**GOOD["actuals"][2], "value": 730.0}])
    assert not publish_dataset(rt, contract_for("actuals"), margin)
    assert "check:gross_margin_within_100" in failure(rt, "actuals")
    unsourced = frame("guidance", [{**GOOD["guidance"][0], "sentence": ""}])
    assert not publish_dataset(rt, contract_for("guidance"), unsourced)
    assert "check:has_lineage" in failure(rt, "guidance")


def test_contract_violations_are_held_back_too(tmp_path: Path, gate: GxGate) -> None:
    rt = runtime(tmp_path, gate)
    keyless = frame("actuals", [{**GOOD["actuals"][0], "release_id": None}])
    assert not publish_dataset(rt, contract_for("actuals"), keyless)
    assert "check:required_not_null" in failure(rt, "actuals")
    assert [b.dataset for b in held(rt.lake, "run-1")] == ["actuals"]


def test_warnings_publish_and_are_reported(tmp_path: Path, gate: GxGate) -> None:
    rt = runtime(tmp_path, gate)
    off = frame("segment_revenue", [{**GOOD["segment_revenue"][0], "sums_to_total": False}])
    assert publish_dataset(rt, contract_for("segment_revenue"), off)
    report = rt.summary.validations["segment_revenue"]
    assert report["errors"] == [] and "check:members_sum_to_total" in report["warnings"][0]
    table = validation_table(rt, "file:///lake/docs/index.html")
    assert "| segment_revenue | 1 | " in table and "| 1 | yes |" in table


def test_release_publishes_a_reviewed_batch(tmp_path: Path, gate: GxGate, capsys: pytest.CaptureFixture[str]) -> None:
    rt = runtime(tmp_path, gate)
    bad = frame("capex", [{**GOOD["capex"][0], "capex": -5.0}])
    assert not publish_dataset(rt, contract_for("capex"), bad)
    lake_arg = ["--lake", str(tmp_path / "lake")]
    assert main(["quarantine", "list", *lake_arg]) == 0
    assert "run=run-1  capex" in capsys.readouterr().out
    assert main(["quarantine", "release", "run-1", *lake_arg]) == 1  # --force is required
    assert main(["quarantine", "release", "run-1", "--force", *lake_arg]) == 0
    assert rt.lake.read_dataset(contract_for("capex"))["capex"].to_list() == [-5.0]
    assert held(rt.lake, "run-1")[0].released_at is not None
    with pytest.raises(Exception, match="nothing held back for run run-1"):
        release(rt.lake, "run-1")


@pytest.mark.prefect
def test_in_a_flow_the_held_back_dataset_fails_and_the_others_publish(tmp_path: Path, gate: GxGate) -> None:
    from prefect import flow

    from flows.ingest import publish

    rt = runtime(tmp_path, gate)

    @flow
    def two_datasets() -> list[tuple[str, str]]:
        bad = publish(rt, contract_for("capex"), frame("capex", [{**GOOD["capex"][0], "capex": -5.0}]))
        good = publish(rt, contract_for("filings"), frame("filings", GOOD["filings"]))
        return [(bad.type.value, bad.message or ""), (good.type.value, good.message or "")]

    (bad_type, bad_message), (good_type, _) = two_datasets()
    assert (bad_type, good_type) == ("FAILED", "COMPLETED")
    assert "capex: 0 rows published, 1 units held back" in bad_message and "check:capex_not_negative" in bad_message
    assert rt.lake.read_dataset(contract_for("filings")).height == 1
