"""Fetch through the raw archive: every body is kept under raw/, Archives documents are never fetched twice.

With no HTTP client (``earnings-lake reprocess``) everything is read from raw/ and nothing touches the network.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from tasks.dates import timestamp
from tasks.errors import NOT_ARCHIVED, FetchError, NotFound
from tasks.fetch.http_client import HttpClient
from tasks.storage.lake import Lake
from tasks.storage.layout import is_immutable


@dataclass(frozen=True)
class Body:
    url: str
    data: bytes
    content_type: str
    fetched_at: datetime
    reused: bool  # served from the raw archive rather than the network


MISSING_RETRY_FIRST = timedelta(minutes=10)
MISSING_RETRY_LONGEST = timedelta(days=7)


def recent_miss(note: dict[str, Any], now: datetime | None = None) -> str | None:
    """The remembered reason while an archived document's 404 is recent: asked again 10 minutes after the
    first miss, then after twice as long each time it is still missing (at most a week). EDGAR's limit is
    spent on documents that may be there now, not on the same 404s every run."""
    if not note or "noted_at" not in note:
        return None
    misses = int(note.get("misses", 1))
    wait = min(MISSING_RETRY_FIRST * 2 ** max(0, min(misses - 1, 20)), MISSING_RETRY_LONGEST)
    noted = timestamp(note["noted_at"])
    if noted is None:
        return None
    retry_at = noted + wait
    if (now or datetime.now(UTC)) >= retry_at:
        return None
    return str(note.get("reason") or "HTTP 404 Not Found")  # the same reason: the run's records stay the same


class Source:
    def __init__(self, lake: Lake, client: HttpClient | None, *, force: bool = False) -> None:
        self.lake = lake
        self.client = client
        self.force = force  # fetch Archives documents again even when archived

    @property
    def offline(self) -> bool:
        return self.client is None

    def get(self, url: str, *, immutable: bool | None = None) -> Body:
        """The body of ``url``: archived copy for immutable documents (or offline), else the network.

        ``immutable`` overrides the URL rule (EDGAR Archives) for documents known not to change once
        published, such as a company's earnings-release page.
        """
        fixed = is_immutable(url) if immutable is None else immutable
        missed: dict[str, Any] = {}  # the archived document's last 404, when there is one
        if self.client is None or (fixed and not self.force):
            archived = self.lake.raw_read(url)
            if archived is not None:
                data, meta = archived
                archived_at = timestamp(meta.get("fetched_at"))
                if archived_at is None:
                    raise FetchError(url, "the archived copy has no fetch time (its .meta.json is damaged)")
                return Body(url, data, str(meta.get("content_type", "")), archived_at, reused=True)
            if self.client is None:
                raise NotFound(url, self.lake.raw_missing(url) or NOT_ARCHIVED)
            missed = self.lake.raw_missing_note(url)
            remembered = recent_miss(missed)
            if remembered is not None:  # a document that was not there a moment ago is not asked for again yet
                raise NotFound(url, remembered)
        try:
            fetched = self.client.get(url)
        except NotFound as exc:
            with contextlib.suppress(Exception):  # best effort: a lake that cannot be written fails elsewhere
                self.lake.raw_note_missing(url, exc.reason, misses=int(missed.get("misses", 0)) + 1)
            raise
        try:
            self.lake.raw_write(
                url, fetched.body, status=fetched.status, content_type=fetched.content_type,
                fetched_at=fetched.fetched_at,
            )
        except Exception as exc:  # disk full, S3 unreachable: the document fails visibly, nothing half-archived
            raise FetchError(url, f"fetched, but the raw archive could not keep it: {type(exc).__name__}: "
                                  f"{exc}") from None
        return Body(url, fetched.body, fetched.content_type, fetched.fetched_at, reused=False)
