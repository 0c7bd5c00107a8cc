"""What one HTTP exchange gives the client: the fetched body, its size cap and time cap, Retry-After, counts."""

from __future__ import annotations

import contextlib
import socket
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime

import requests

from tasks.dates import timestamp
from tasks.errors import FetchError, NotADate


@dataclass(frozen=True)
class Fetched:
    """A response body with what the raw archive records about it."""

    url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime = field(default_factory=lambda: datetime.now(UTC))


class Deadline:
    """Shuts a response's socket down when the whole request has run past its time."""

    def __init__(self, response: requests.Response, seconds: float) -> None:
        self.cut = False
        self._response = response
        self._timer = threading.Timer(max(0.0, seconds), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        self.cut = True
        connection = getattr(self._response.raw, "connection", None)
        sock = getattr(connection, "sock", None)
        if sock is not None:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)

    def cancel(self) -> None:
        self._timer.cancel()


@dataclass
class FetchStats:
    requests: int = 0
    retries: int = 0
    lockouts: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, *, requests_: int = 0, retries: int = 0, lockouts: int = 0) -> None:
        with self._lock:
            self.requests += requests_
            self.retries += retries
            self.lockouts += lockouts


def read_capped(url: str, response: requests.Response, *, limit: int) -> bytes:
    """The body, refused past ``limit`` bytes (an error body is cut there instead)."""
    declared = response.headers.get("Content-Length")
    if declared and declared.isdigit() and int(declared) > limit and response.status_code < 400:
        raise FetchError(url, f"response of {int(declared)} bytes exceeds the cap of {limit} bytes")
    chunks: list[bytes] = []
    total = 0
    for chunk in response.iter_content(chunk_size=65536):
        total += len(chunk)
        if total > limit:
            if response.status_code >= 400:
                break
            raise FetchError(url, f"response exceeds the cap of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = timestamp(value)
    except NotADate:
        return None  # an unreadable Retry-After: the client's own backoff applies
    return max(0.0, (when - datetime.now(UTC)).total_seconds()) if when else None
