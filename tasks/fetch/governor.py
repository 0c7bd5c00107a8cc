"""The SEC request budget: pacing claimed at the moment of sending, shared by every thread of a process and,
through a small ledger file under an OS lock, by every earnings-lake process of the machine.

Why claim-at-send: a slot handed out in advance is spent late when the caller was held (a lockout pause, a CPU
stall), and every held caller then sends at once. Here a caller sends only after it recorded its send under the
lock, at most one every ``interval`` and never more than ``rate`` within any second, so whatever woke them, callers
leave one by one. 429/503 answers cut the rate (shared), each success adds a little back (AIMD); a lockout or a
Retry-After pauses every caller of every process until its end.
"""

from __future__ import annotations

import json
import math
import os
import random
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: the budget is per process there
    fcntl = None  # type: ignore[assignment]

WINDOW = 1.0  # seconds: SEC counts requests per second
MIN_RATE = 0.5  # the floor multiplicative decrease stops at
DECREASE = 0.75  # rate factor after a 429/503 answer
LOCKOUT_DECREASE = 0.5  # rate factor after a lockout page
INCREASE = 0.5  # requests/s added back per successful request


@dataclass
class _State:
    sends: list[float] = field(default_factory=list)  # wall-clock send times of the last window or so
    paused_until: float = 0.0
    rate: float | None = None  # current rate after slow-downs (None: the configured ceiling)

    @classmethod
    def load(cls, raw: bytes) -> _State:
        try:
            data = json.loads(raw or b"{}")
            return cls([float(t) for t in data.get("sends", [])], float(data.get("paused_until", 0.0)),
                       None if data.get("rate") is None else float(data["rate"]))
        except (ValueError, TypeError, AttributeError):
            return cls()  # a torn or foreign ledger is reset, never fatal

    def dump(self) -> bytes:
        return json.dumps({"sends": self.sends, "paused_until": self.paused_until, "rate": self.rate}).encode()


def default_ledger() -> Path:
    """Where the machine's shared SEC budget lives (one per user)."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "earnings-lake" / "sec-budget.json"


class RateGovernor:
    """Thread-safe (and, with ``ledger``, process-safe) sliding-window pacing at ``rate`` requests per second."""

    def __init__(self, rate: float, margin: float = 0.05, ledger: Path | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.ceiling = rate
        self.margin = margin
        self.ledger = ledger if fcntl is not None else None
        self._lock = threading.Lock()
        self._local = _State()  # used when there is no ledger
        if self.ledger is not None:
            self.ledger.parent.mkdir(parents=True, exist_ok=True)

    # -- the shared state ------------------------------------------------------------------------
    @contextmanager
    def _state(self) -> Iterator[_State]:
        with self._lock:
            if self.ledger is None:
                yield self._local
                return
            with open(self.ledger, "a+b") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    handle.seek(0)
                    before = handle.read()
                    state = _State.load(before)
                    yield state
                    after = state.dump()
                    if after != before:  # most successes change nothing: no write
                        handle.seek(0)
                        handle.truncate()
                        handle.write(after)
                        handle.flush()
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

    def current_rate(self, state: _State) -> float:
        return min(self.ceiling, state.rate) if state.rate is not None else self.ceiling

    @property
    def rate(self) -> float:
        with self._state() as state:
            return self.current_rate(state)

    # -- callers -----------------------------------------------------------------------------------
    def _claim(self) -> float:
        """Record a send now and return 0, or return how long to wait before trying again."""
        with self._state() as state:
            now = time.time()
            if state.paused_until > now:
                return state.paused_until - now
            rate = self.current_rate(state)
            interval = (1.0 + self.margin) / rate
            recent = [t for t in state.sends if now - t < 2 * WINDOW]
            earliest = recent[-1] + interval if recent else now
            allowed = max(1, math.floor(rate))
            if len(recent) >= allowed:
                earliest = max(earliest, recent[-allowed] + WINDOW * (1.0 + self.margin))
            if now < earliest:
                state.sends = recent
                return earliest - now
            state.sends = [*recent, now][-(allowed + 1):]
            return 0.0

    def acquire(self) -> float:
        """Block until this caller may send; returns the wall-clock time of its send."""
        while True:
            wait = self._claim()
            if wait <= 0:
                return time.time()
            # A little jitter so that callers woken together do not all retry the lock at one instant.
            time.sleep(wait + random.uniform(0, min(0.02, wait / 4)))

    def pause(self, seconds: float) -> None:
        """Hold every caller (of every process sharing the ledger) for ``seconds`` from now."""
        with self._state() as state:
            state.paused_until = max(state.paused_until, time.time() + seconds)

    def slow_down(self, factor: float = DECREASE) -> float:
        """Multiplicative decrease after a 429/503 (or, harder, a lockout); the new rate."""
        with self._state() as state:
            state.rate = max(MIN_RATE, self.current_rate(state) * factor)
            return state.rate

    def succeeded(self) -> None:
        """Additive increase after a successful request, back up to the configured rate."""
        with self._state() as state:
            if state.rate is not None:
                raised = state.rate + INCREASE
                state.rate = None if raised >= self.ceiling else raised
