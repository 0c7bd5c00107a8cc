"""Releases of companies the parsers were not written on (../shared/corpus/expected/breadth): guidance and actuals
recall, precision and wrong values, printed and held to the targets."""

from __future__ import annotations

from collections import defaultdict

import pytest

from tests.conftest import CORPUS
from tests.support import breadth

pytestmark = pytest.mark.corpus


@pytest.fixture(scope="module")
def parsed() -> dict[str, list[dict[str, object]]]:
    rows: dict[str, list[dict[str, object]]] = defaultdict(list)
    for source in breadth.sources(CORPUS):
        result = breadth.parse_source(CORPUS, source)
        rows["guidance"].extend(result.guidance)
        rows["actuals"].extend(result.actuals)
        rows["issues"].extend({"doc": i.doc, "reason": i.reason} for i in result.issues)
    return rows


def test_guidance_of_other_companies(parsed: dict[str, list[dict[str, object]]]) -> None:
    labels = breadth.labels(CORPUS, "guidance.jsonl")
    score = breadth.score_guidance(parsed["guidance"], labels)
    print("\n" + score.line("breadth guidance (numeric rows, unit USD/percent)"))
    assert score.recall >= 0.90, [(m["ticker"], m["issued"], m["sentence"][:80]) for m in score.missed]
    assert score.precision >= 0.95, [(r["accession"], r["sentence"][:80]) for r in score.unmatched]
    assert score.wrong_core == []


def test_releases_without_an_outlook_emit_no_guidance(parsed: dict[str, list[dict[str, object]]]) -> None:
    labelled = {label["accession"] for label in breadth.labels(CORPUS, "guidance.jsonl")}
    negatives = {s["accession"] for s in breadth.sources(CORPUS)} - labelled
    assert len(negatives) == 7  # COST x3, JPM x2, CVX 2025-10-31, BA 2025-01-28
    assert [r for r in parsed["guidance"] if r["accession"] in negatives] == []


def test_actuals_of_other_companies(parsed: dict[str, list[dict[str, object]]]) -> None:
    labels = breadth.labels(CORPUS, "actuals.jsonl")
    labelled = {str(label["metric"]) for label in labels}  # EPS rows are not labelled there
    score = breadth.score_actuals([r for r in parsed["actuals"] if r["metric"] in labelled], labels)
    print("\n" + score.line("breadth actuals"))
    assert score.recall >= 0.90, [(m["ticker"], m["fiscal_period"], m["segment"], m["value"]) for m in score.missed]
    assert score.precision >= 0.95, [(r["accession"], r["segment"], r["value"]) for r in score.unmatched]
    assert score.wrong_core == []  # no wrong total revenue


def test_every_total_has_the_labelled_fiscal_period(parsed: dict[str, list[dict[str, object]]]) -> None:
    """12- and 16-week quarters and 52/53-week years: the period of each total is the labelled one."""
    periods = {(r["accession"], str(r["fiscal_period"]).removeprefix("FY")) for r in parsed["actuals"]
               if r["metric"] == "revenue" and r["segment"] is None}
    wanted = {(r["accession"], str(r["fiscal_period"]).removeprefix("FY"))
              for r in breadth.labels(CORPUS, "actuals.jsonl") if r["metric"] == "revenue" and r["segment"] is None}
    assert wanted <= periods
