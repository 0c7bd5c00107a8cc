"""Incremental runs: parse results reused by content, unchanged batches skipped, recent 404s not asked again."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest

from flows import steps
from flows.runtime import Runtime, build_runtime, forget_runtime
from schemas.filings import PARSE_ISSUES
from tasks.earnings.releases import ReleaseRows
from tasks.errors import ParseError
from tasks.fetch.source import recent_miss
from tasks.progress import reporting
from tasks.sec.filings import DocOutcome, FilingOutcome, FilingRef
from tasks.storage.incremental import batch_fingerprint, content_key, dumps, loads


@pytest.fixture
def rt(tmp_path: Path) -> Runtime:
    built = build_runtime(offline=True, validate=False, lake=str(tmp_path / "lake"))
    yield built  # type: ignore[misc]
    forget_runtime(built)


def _filing(accession: str, body: bytes) -> FilingOutcome:
    from tasks.sec.edgar import Document

    ref = FilingRef("ZZZ", "0000000042", "ZZZ INC", "1231", accession, "8-K", ("2.02", "9.01"), date(2025, 2, 3),
                    None, date(2025, 2, 3), "main.htm", "https://data.sec.gov/submissions/CIK0000000042.json")
    url = f"https://www.sec.gov/Archives/edgar/data/42/{accession.replace('-', '')}/release.htm"
    return FilingOutcome(ref, url + "-index", [DocOutcome(Document("2", "EX-99.1", "release.htm", "EX-99.1", 10, url),
                                                           body=body)])


def test_stored_values_come_back_as_they_were() -> None:
    value = {"d": date(2025, 1, 31), "t": datetime(2025, 1, 31, 21, 5, tzinfo=UTC), "x": Decimal("1.10"),
             "k": ("a", "b"), "f": 0.1 + 0.2, "n": None}
    assert loads(dumps(value)) == value
    rows = ReleaseRows([{"low": Decimal("5"), "issued_date": date(2024, 5, 1)}], [{"value": 2.5}],
                       [ParseError("https://example.test/a.htm", "table 1", "no year in the header")])
    back = ReleaseRows.from_stored(loads(dumps(rows.stored())))
    assert (back.guidance, back.actuals) == (rows.guidance, rows.actuals)
    assert [(i.doc, i.locator, i.reason) for i in back.issues] == [("https://example.test/a.htm", "table 1",
                                                                     "no year in the header")]


def test_content_key_follows_bodies_and_listing() -> None:
    first = content_key("release", ("ref", 1), [b"body one"])
    assert first == content_key("release", ("ref", 1), [b"body one"])
    assert first != content_key("release", ("ref", 1), [b"body two"])
    assert first != content_key("release", ("ref", 2), [b"body one"])
    assert first != content_key("page", ("ref", 1), [b"body one"])


def test_a_release_is_parsed_once_and_a_crash_stays_with_its_document(rt: Runtime,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []

    def fake_parse(item: FilingOutcome) -> ReleaseRows:
        calls.append(item.ref.accession)
        if b"broken" in (item.documents[0].body or b""):
            raise ZeroDivisionError("a rule divided by zero")
        return ReleaseRows(guidance=[{"issued_date": item.ref.filed_date, "point": Decimal("7.5")}])

    monkeypatch.setattr(steps, "_parse_one", fake_parse)
    good, bad = _filing("0000000042-25-000001", b"fine"), _filing("0000000042-25-000002", b"broken")
    seen = Counted()
    with reporting(seen):
        rows, reused = steps.parse_company_releases(rt, [good, bad])
    assert seen.done == {"parsed": 2}  # the progress bar's count, crash included
    assert reused == 0 and calls == [good.ref.accession, bad.ref.accession]
    assert rows[0].guidance == [{"issued_date": date(2025, 2, 3), "point": Decimal("7.5")}]
    [crash] = rows[1].issues
    assert crash.doc.endswith("/000000004225000002/release.htm")
    assert crash.reason == "parser crashed: ZeroDivisionError: a rule divided by zero"

    again, reused = steps.parse_company_releases(rt, [good, bad])
    assert reused == 1 and calls[2:] == [bad.ref.accession]  # the crash is not remembered: tried again
    assert again[0].guidance == rows[0].guidance
    changed = _filing("0000000042-25-000001", b"fine, with a restated table")
    steps.parse_company_releases(rt, [changed])
    assert calls[-1] == good.ref.accession  # another body: parsed again


class Counted:
    def __init__(self) -> None:
        self.done: dict[str, int] = {}

    def expect(self, stage: str, total: int) -> None:
        return None

    def advance(self, stage: str, done: int = 1) -> None:
        self.done[stage] = self.done.get(stage, 0) + done


def _issues(*reasons: str) -> pl.DataFrame:
    return pl.DataFrame([{"ticker": "ZZZ", "accession": None, "doc": f"https://example.test/{i}.htm",
                          "stage": "fetch", "locator": "-", "reason": r} for i, r in enumerate(reasons)],
                        schema=PARSE_ISSUES.schema)


def test_batch_fingerprint_ignores_row_order_only() -> None:
    batch = _issues("HTTP 404 Not Found", "HTTP 410 Gone")
    assert batch_fingerprint(PARSE_ISSUES, batch) == batch_fingerprint(PARSE_ISSUES, batch.reverse())
    assert batch_fingerprint(PARSE_ISSUES, batch) != batch_fingerprint(PARSE_ISSUES, _issues("HTTP 404 Not Found",
                                                                                             "HTTP 500"))


def test_an_unchanged_batch_is_not_validated_or_written_again(rt: Runtime, tmp_path: Path) -> None:
    batch = _issues("HTTP 404 Not Found")
    assert steps.publish_dataset(rt, PARSE_ISSUES, batch)
    assert rt.summary.unchanged == [] and rt.summary.rows_written["parse_issues"] == 1
    part = next((tmp_path / "lake" / "curated" / "parse_issues").rglob("*.parquet"))
    written = part.stat().st_mtime_ns
    assert steps.publish_dataset(rt, PARSE_ISSUES, batch.reverse())
    assert rt.summary.unchanged == ["parse_issues"] and part.stat().st_mtime_ns == written

    part.unlink()  # the dataset changed behind the run's back: the same batch is published again
    assert steps.publish_dataset(rt, PARSE_ISSUES, batch)
    assert rt.summary.unchanged == ["parse_issues"] and part.exists()


def test_a_missing_document_is_asked_for_again_later_and_later() -> None:
    noted = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
    note = {"url": "u", "reason": "HTTP 404 Not Found", "noted_at": noted.isoformat(), "misses": 1}
    assert recent_miss(note, noted + timedelta(minutes=9)) == "HTTP 404 Not Found"
    assert recent_miss(note, noted + timedelta(minutes=10)) is None
    assert recent_miss({**note, "misses": 3}, noted + timedelta(minutes=39)) == "HTTP 404 Not Found"
    assert recent_miss({**note, "misses": 3}, noted + timedelta(minutes=40)) is None
    assert recent_miss({**note, "misses": 40}, noted + timedelta(days=7)) is None  # at most a week
    assert recent_miss({}, noted) is None
