"""A progress bar on the terminal for ``earnings-lake ingest``: documents fetched, releases parsed (rich)."""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from tasks.progress import reporting

LABELS = {"fetched": "documents fetched", "parsed": "releases parsed"}


class BarReporter:
    """One bar per stage, counts shown as done/total; safe to call from task threads."""

    def __init__(self, bars: Any) -> None:
        self._bars = bars
        self._ids: dict[str, Any] = {}
        self._totals: dict[str, int] = {}
        self._lock = threading.Lock()

    def _bar(self, stage: str) -> Any:
        if stage not in self._ids:
            self._ids[stage] = self._bars.add_task(LABELS.get(stage, stage), total=None)
        return self._ids[stage]

    def expect(self, stage: str, total: int) -> None:
        with self._lock:
            self._totals[stage] = self._totals.get(stage, 0) + total  # each company adds what it listed
            self._bars.update(self._bar(stage), total=self._totals[stage])

    def advance(self, stage: str, done: int = 1) -> None:
        with self._lock:
            self._bars.advance(self._bar(stage), done)


@contextmanager
def progress_bar(enabled: bool) -> Iterator[None]:
    """Show the bar while the block runs, when ``enabled`` and stderr is a terminal; otherwise do nothing."""
    if not (enabled and sys.stderr.isatty()):
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bars = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                    console=Console(stderr=True), transient=False)
    with bars, reporting(BarReporter(bars)):
        yield
