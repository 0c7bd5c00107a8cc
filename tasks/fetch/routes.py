"""Where a request may go and where it actually goes: the host allowlist and the mirror mapping."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tasks.errors import FetchError


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


@dataclass(frozen=True)
class Routes:
    allowed_hosts: frozenset[str]
    mirror: str = ""  # "http://127.0.0.1:8765": every request goes there, as /HOST/PATH

    def check_allowed(self, url: str) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https"):
            raise FetchError(url, f"scheme {parts.scheme!r} is not fetched")
        host = (parts.hostname or "").lower()
        if host not in self.allowed_hosts:
            raise FetchError(url, f"host {host!r} is not in the allowlist")

    def wire_url(self, url: str) -> str:
        """Where a request for ``url`` actually goes (the mirror, when one is configured)."""
        if not self.mirror:
            return url
        parts = urlsplit(url)
        wire = f"{self.mirror}/{parts.hostname}{parts.path or '/'}"
        return f"{wire}?{parts.query}" if parts.query else wire

    def logical_url(self, wire: str) -> str:
        """Inverse of :meth:`wire_url` for redirect targets on the mirror."""
        mirror = self.mirror
        if mirror and wire.startswith(mirror + "/"):
            return "https://" + wire[len(mirror) + 1 :]
        return wire
