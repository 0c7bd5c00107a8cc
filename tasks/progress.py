"""Run progress for a terminal: what a run expects to do and what it has done, by stage ("fetched", "parsed").

Plain functions report through ``progress()``; nothing is shown unless a front end installed a reporter
(``earnings-lake ingest`` on a terminal installs a progress bar, flows.progress_bar).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Reporter(Protocol):
    def expect(self, stage: str, total: int) -> None: ...
    def advance(self, stage: str, done: int = 1) -> None: ...


class Silent:
    """The reporter when no one watches."""

    def expect(self, stage: str, total: int) -> None:
        return None

    def advance(self, stage: str, done: int = 1) -> None:
        return None


_current: list[Reporter] = [Silent()]


def progress() -> Reporter:
    return _current[-1]


@contextmanager
def reporting(reporter: Reporter) -> Iterator[Reporter]:
    """Install ``reporter`` for the duration of a run."""
    _current.append(reporter)
    try:
        yield reporter
    finally:
        _current.remove(reporter)
