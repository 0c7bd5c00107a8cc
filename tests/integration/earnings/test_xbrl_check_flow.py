"""The after-earnings path: a release read before its 10-Q is `pending`, and the run that ingests the 10-Q's XBRL
settles it (flows.xbrl_steps.checked_actuals over a real lake folder; frames written for these tests)."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import polars as pl

from flows.summary import RunSummary
from flows.xbrl_steps import checked_actuals
from schemas.financials import FINANCIALS_QUARTERLY
from schemas.releases import ACTUALS
from tasks.storage.lake import Lake
from tasks.storage.object_store import LocalStore
from tests.unit.earnings.test_xbrl_check import FINANCIALS, Q3, Q4, actual, fact, frame


def test_a_pending_release_is_settled_by_the_run_that_brings_its_quarter(tmp_path: Path) -> None:
    lake = Lake(LocalStore(tmp_path / "lake"))
    rt = SimpleNamespace(lake=lake, summary=RunSummary())
    lake.upsert(FINANCIALS_QUARTERLY, FINANCIALS)  # the 10-Qs filed so far: through the third quarter
    q4_release = frame(ACTUALS, [actual("FY2026Q4", Q4, "revenue", 1_300_000_000),
                                 actual("FY2026Q4", Q4, "capex", 90_000_000)])
    first = checked_actuals(rt, q4_release)  # type: ignore[arg-type]
    assert first["xbrl_check"].to_list() == ["pending", "pending"]
    lake.upsert(ACTUALS, first)

    # a later run: the 10-K brings the fourth quarter, and another release of the company is read
    lake.upsert(FINANCIALS_QUARTERLY, frame(FINANCIALS_QUARTERLY, [fact("FY2026Q4", Q4, "revenue", 1_300_000_000),
                                                                   fact("FY2026Q4", Q4, "capex", 93_000_000)]))
    q3_release = frame(ACTUALS, [actual("FY2026Q3", Q3, "revenue", 1_204_000_000)])
    again = checked_actuals(rt, q3_release)  # type: ignore[arg-type]
    got = {(r["fiscal_period"], r["metric"]): r["xbrl_check"] for r in again.iter_rows(named=True)}
    assert got == {("FY2026Q3", "revenue"): "agrees", ("FY2026Q4", "revenue"): "agrees",
                   ("FY2026Q4", "capex"): "disagrees"}  # the whole pending release comes back, checked
    [note] = rt.summary.notes
    assert (note["stage"], note["url"]) == ("xbrl_check", "https://x/FY2026Q4.htm")
    assert "90,000,000 USD but XBRL files 93,000,000 USD" in note["reason"]
    assert rt.summary.exit_code == 0  # a contradicted value is a parse issue to read, not a failed document
    lake.upsert(ACTUALS, again)
    assert lake.read_dataset(ACTUALS).filter(pl.col("xbrl_check") == "pending").is_empty()
