"""What a run and its company tasks report to Prefect: Completed with the result, or Failed naming what failed
and still carrying the result (no Prefect run is started here)."""

from __future__ import annotations

from prefect.states import Failed

from flows.ingest import final_state, summary_of
from flows.ingest_tasks import _failed, _raised


def test_a_company_task_fails_naming_its_documents_and_keeps_its_rows() -> None:
    assert _failed("ZZZ: documents", [], ["rows"]) == ["rows"]
    problems = [f"https://example.test/{n}.htm: HTTP 404 Not Found" for n in range(7)]
    state = _failed("ZZZ: documents", problems, ["rows"])
    assert state.is_failed()
    assert state.message.startswith("ZZZ: documents: 7 failed: https://example.test/0.htm: HTTP 404 Not Found; ")
    assert "https://example.test/4.htm" in state.message and "https://example.test/5.htm" not in state.message
    assert state.message.endswith("… 2 more (the validation-report artifact lists all)")
    assert state.result(raise_on_failure=False) == ["rows"]
    assert not _raised(None, None, state)  # its documents' failures are not retried
    assert _raised(None, None, Failed(data=OSError("disk full")))  # a task that raised is


def test_a_run_ends_failed_when_anything_failed_and_carries_its_summary() -> None:
    clean = {"exit_code": 0, "documents_failed": 0, "datasets_failed": {}, "held_back": {}}
    assert final_state(clean) == clean
    summary = {"exit_code": 2, "documents_failed": 3, "datasets_failed": {"capex": "store down"},
               "held_back": {"guidance": ["release A", "release B"]}}
    state = final_state(summary)
    assert state.is_failed()
    assert state.message == ("3 documents failed; capex not published; guidance: 2 units held back (the rest is "
                             "published; the validation-report artifact lists them)")
    assert summary_of(state) == summary
