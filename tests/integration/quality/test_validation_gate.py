"""The Great Expectations gate: each suite passes a correct batch and quarantines a corrupted one, naming the
rule, while curated/ stays byte-identical; warnings publish; reviewed batches can be released."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from flows.cli import main
from flows.runtime import Runtime
from flows.steps import publish_dataset, validation_table
from schemas.registry import contract_for
from tasks.config import load_settings
from tasks.fetch.source import Source
from tasks.quality.validation import GxGate
from tasks.quality.validation_checks import with_checks
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
    "news_articles": ("text_sha256", "not-a-hash", "check:text_hash_format"),
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


FUTURE = date.today() + timedelta(days=3)
# dataset → rows changed from its good batch, and the rule (and native expectation) that must fail
BREAKS: list[tuple[str, Callable[[list[dict[str, Any]]], list[dict[str, Any]]], str, str]] = [
    *((n, lambda rows, c=c, v=v: [{**rows[0], c: v}, *rows[1:]], rule, "")
      for n, (c, v, rule) in CORRUPTIONS.items()),
    ("guidance", lambda rows: [rows[0], rows[0]], "check:primary_key_unique", "expect_compound_columns_to_be_unique"),
    ("guidance", lambda rows: [{**rows[1], "low": 9e9, "high": 1e9, "point": None}],
     "check:low_le_high", "expect_column_pair_values_a_to_be_greater_than_b"),
    ("guidance", lambda rows: [{**rows[0], "sentence": ""}], "check:has_lineage",
     "expect_column_value_lengths_to_be_between"),
    ("guidance", lambda rows: [{**rows[0], "issued_date": FUTURE}], "check:issued_not_in_future",
     "expect_column_max_to_be_between"),
    ("actuals", lambda rows: [{**rows[0], "cik": None}], "check:required_not_null",
     "expect_column_values_to_not_be_null"),
    ("actuals", lambda rows: [rows[0], {**rows[1], "value": 2e9}], "check:segments_within_total",
     "expect_column_values_to_be_in_set"),
    ("news_articles", lambda rows: [{**rows[0], "published_at": datetime.now(UTC) + timedelta(days=2)}],
     "check:published_not_in_future", "expect_column_max_to_be_between"),
]


@pytest.mark.parametrize(("name", "change", "rule", "expectation"), BREAKS)
def test_native_expectations_and_row_counts_agree(
    name: str, change: Callable[[list[dict[str, Any]]], list[dict[str, Any]]], rule: str, expectation: str,
    gate: GxGate,
) -> None:
    """GX's verdict on each rule (native expectations) matches polars' count of rows breaking it."""
    contract = contract_for(name)
    good = gate.report(contract, frame(name, GOOD[name]))
    bad = gate.report(contract, frame(name, change(GOOD[name])))
    assert good is not None and bad is not None
    for report, rows in ((good, GOOD[name]), (bad, change(GOOD[name]))):
        checked = with_checks(contract, frame(name, rows))
        for o in report.outcomes:  # polars' own row-by-row reading of the rule, apart from the gate
            broken = checked.filter(pl.col(o.expectation) == False).height  # noqa: E712
            assert o.success == (broken == 0) and o.unexpected_count == broken, (report.dataset, o, broken)
    assert all(o.success for o in good.outcomes)
    [broken] = [o for o in bad.outcomes if o.expectation == rule]
    assert not broken.success and broken.unexpected_count >= 1 and broken.samples
    failed = [r["expectation_config"]["type"] for r in bad.result_json["results"] if not r["success"]]
    assert failed and (expectation in failed or not expectation)
    checked = {r["expectation_config"]["type"] for r in good.result_json["results"]}
    assert "expect_column_min_to_be_between" not in checked  # rules are native, not 0/1 columns


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


def test_a_rule_gx_fails_without_a_broken_row_says_what_gx_found(gate: GxGate,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    import great_expectations.expectations as gxe

    import tasks.quality.validation as validation

    real = validation.native

    def broken_for_units(check: Any, rules: Any, index: int) -> Any:
        if check.column == "unit":  # a numeric range on a text column: GX raises comparing them
            return gxe.ExpectColumnValuesToBeBetween(column="unit", min_value=0, max_value=1,  # type: ignore[attr-defined]
                                                     meta={"check": index})
        return real(check, rules, index)

    monkeypatch.setattr(validation, "native", broken_for_units)
    report = gate.report(contract_for("guidance"), frame("guidance", GOOD["guidance"]))
    assert report is not None
    [unit] = [o for o in report.outcomes if o.expectation == "check:unit_allowed"]
    assert not unit.success and unit.unexpected_count == 0 and "in_set on 'unit': GX " in unit.why, unit
