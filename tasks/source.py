"""Fetch through the raw archive: every body is kept under raw/, Archives documents are never fetched twice.

With no HTTP client (``earnings-lake reprocess``) everything is read from raw/ and nothing touches the network.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from tasks.errors import NOT_ARCHIVED, FetchError, NotFound
from tasks.http_client import HttpClient
from tasks.lake import Lake, is_immutable


@dataclass(frozen=True)
class Body:
    url: str
    data: bytes
    content_type: str
    fetched_at: datetime
    reused: bool  # served from the raw archive rather than the network


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
        if self.client is None or (fixed and not self.force):
            archived = self.lake.raw_read(url)
            if archived is not None:
                data, meta = archived
                return Body(url, data, str(meta.get("content_type", "")),
                            datetime.fromisoformat(str(meta["fetched_at"])), reused=True)
            if self.client is None:
                raise NotFound(url, self.lake.raw_missing(url) or NOT_ARCHIVED)
        try:
            fetched = self.client.get(url)
        except NotFound as exc:
            with contextlib.suppress(Exception):  # best effort: a lake that cannot be written fails elsewhere
                self.lake.raw_note_missing(url, exc.reason)
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
