"""Run the flows as a test needs them: the run summary whether the run ended Completed or Failed."""

from __future__ import annotations

from typing import Any

from flows.ingest import ingest, reprocess, summary_of


def run_ingest(**parameters: Any) -> dict[str, Any]:
    return summary_of(ingest(**parameters, return_state=True))


def run_reprocess(**parameters: Any) -> dict[str, Any]:
    return summary_of(reprocess(**parameters, return_state=True))
