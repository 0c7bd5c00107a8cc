"""Scoring of release parsing against the corpus breadth labels (../shared/corpus/expected/breadth/ and
breadth2/: each set is a folder of SOURCES.tsv, guidance.jsonl and actuals.jsonl).

Guidance: a numeric label (unit USD or percent) is found when an emitted row of its release has its target
period, unit, low/high/point and basis (``alt_basis`` accepted); core metrics must also have its metric name,
``other`` labels match by value. Verbal labels match on period and qualifier. Precision counts the emitted rows
of the labelled releases that match any label. Actuals: a label is found when a row of its release has its
fiscal period, metric and value (``alt_values`` accepted); segment rows match by value within the release.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tasks.earnings.releases import ReleaseDoc, ReleaseRows, parse_release_documents

CORE = {"revenue", "gross_margin", "operating_expenses", "operating_income", "capex", "tax_rate", "total_expenses",
        "other_income_expense"}


SETS = ("breadth", "breadth2")


def sources(corpus: Path, labelled: str = "breadth") -> list[dict[str, str]]:
    with open(corpus / "expected" / labelled / "SOURCES.tsv", encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def labels(corpus: Path, name: str, labelled: str = "breadth") -> list[dict[str, Any]]:
    with open(corpus / "expected" / labelled / name, encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def parse_source(corpus: Path, source: dict[str, str]) -> ReleaseRows:
    url = "https://" + source["corpus_path"]
    body = (corpus / source["corpus_path"]).read_bytes()
    base = {"ticker": source["ticker"], "cik": source["cik"], "accession": source["accession"],
            "release_id": source["accession"]}
    return parse_release_documents(base, [ReleaseDoc(source["document_type"], url, body)],
                                   issued=date.fromisoformat(source["filing_date"]),
                                   fiscal_year_end=source["fiscal_year_end"])


def _period(label: str | None) -> str:
    return (label or "").removeprefix("FY")


def _same(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-9 * max(1.0, abs(float(b)))


def guidance_match(row: dict[str, Any], label: dict[str, Any]) -> bool:
    if row["accession"] != label["accession"] or _period(row["fiscal_period"]) != _period(label["target_period"]):
        return False
    if str(label["qualifier"]).startswith("verbal_"):
        return row["qualifier"] == label["qualifier"]
    if row["unit"] != label["unit"] or not all(_same(row[k], label[k]) for k in ("low", "high", "point")):
        return False
    if row["basis"] != label["basis"] and row["basis"] not in (label.get("alt_basis") or []):
        return False
    return label["metric"] == "other" or row["metric"] == label["metric"]


def actual_match(row: dict[str, Any], label: dict[str, Any]) -> bool:
    if row["accession"] != label["accession"] or row["metric"] != label["metric"]:
        return False
    values = [label["value"], *(label.get("alt_values") or [])]
    if not any(_same(row["value"], v) for v in values):
        return False
    if label["segment"] is not None:
        return row["segment"] is not None
    return row["segment"] is None and _period(row["fiscal_period"]) == _period(label["fiscal_period"])


@dataclass
class Score:
    labelled: int = 0
    found: int = 0
    emitted: int = 0
    matching: int = 0
    wrong_core: list[str] = field(default_factory=list)
    missed: list[dict[str, Any]] = field(default_factory=list)
    unmatched: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def precision(self) -> float:
        return self.matching / self.emitted if self.emitted else 1.0

    def line(self, name: str) -> str:
        return (f"{name}: recall {self.found}/{self.labelled} = {100 * self.recall:.1f}%, precision "
                f"{self.matching}/{self.emitted} = {100 * self.precision:.1f}%, wrong core values "
                f"{len(self.wrong_core)}")


def _score(rows: list[dict[str, Any]], wanted: list[dict[str, Any]], every: list[dict[str, Any]],
           match: Any, numeric: Any) -> Score:
    score = Score(labelled=sum(1 for w in wanted if numeric(w)), emitted=len(rows))
    taken: set[int] = set()
    for label in wanted:
        hit = next((i for i, r in enumerate(rows) if i not in taken and match(r, label)), None)
        if hit is None:
            if numeric(label):
                score.missed.append(label)
            continue
        taken.add(hit)
        score.found += 1 if numeric(label) else 0
    for i, row in enumerate(rows):
        if i in taken or any(match(row, label) for label in every):
            score.matching += 1
        else:
            score.unmatched.append(row)
    return score


def score_guidance(rows: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> Score:
    def numeric(label: dict[str, Any]) -> bool:
        return label["unit"] in ("USD", "percent") and not str(label["qualifier"]).startswith("verbal_")

    score = _score(rows, wanted, wanted, guidance_match, numeric)
    for row in score.unmatched:
        if row["metric"] in CORE and any(
                label["accession"] == row["accession"] and label["metric"] == row["metric"]
                and _period(label["target_period"]) == _period(row["fiscal_period"])
                and label["basis"] == row["basis"] for label in wanted):
            score.wrong_core.append(f"{row['accession']} {row['fiscal_period']} {row['metric']}: {row['sentence']}")
    return score


def score_actuals(rows: list[dict[str, Any]], wanted: list[dict[str, Any]]) -> Score:
    score = _score(rows, wanted, wanted, actual_match, lambda label: True)
    for row in score.unmatched:
        if row["metric"] == "revenue" and row["segment"] is None:
            score.wrong_core.append(f"{row['accession']} {row['fiscal_period']} total {row['value']}")
    return score
