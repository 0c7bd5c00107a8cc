"""The one HTTP funnel: rate governor, User-Agent, retries, SEC lockout, mirror, host allowlist, size cap.

No other module imports ``requests``.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

from tasks.config import SEC_HOSTS, Settings
from tasks.errors import FetchError, NotFound
from tasks.fetch.governor import LOCKOUT_DECREASE, RateGovernor, default_ledger
from tasks.fetch.responses import Deadline, Fetched, FetchStats, read_capped, retry_after_seconds
from tasks.fetch.routes import Routes, host_of

log = logging.getLogger("earnings_lake.http")

LOCKOUT_MARKERS = ("request rate threshold exceeded", "exceeded the sec's traffic limit")
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class _Redirect:
    location: str


def budget_ledger(settings: Settings) -> Path | None:
    """The machine-wide SEC budget file (``sec_budget_file``; 'off' keeps the budget to this process)."""
    if settings.sec_budget_file.strip().lower() == "off":
        return None
    return Path(settings.sec_budget_file) if settings.sec_budget_file.strip() else default_ledger()


class HttpClient:
    """GET with every rule of the project. Thread-safe; share one per process."""

    def __init__(
        self,
        settings: Settings,
        *,
        extra_hosts: Iterable[str] = (),
        before_request: Callable[[str], None] | None = None,
        host_rates: dict[str, float] | None = None,
    ) -> None:
        self.settings = settings
        self.user_agent = settings.require_sec_user_agent()
        self.routes = Routes(frozenset(
            {*SEC_HOSTS, *(h.lower() for h in settings.news_hosts), *(h.lower() for h in extra_hosts),
             *(h.lower() for h in (host_rates or {}))}), settings.mirror or "")
        self.sec_governor = RateGovernor(settings.rate_limit, ledger=budget_ledger(settings))
        self._host_governors: dict[str, RateGovernor] = {}
        self._governor_lock = threading.Lock()
        self._local = threading.local()
        self.before_request = before_request
        self.stats = FetchStats()
        self.host_rates = {h.lower(): r for h, r in (host_rates or {}).items()}  # politeness per news host

    # -- plumbing -------------------------------------------------------------------------------
    def _session(self) -> requests.Session:
        session: requests.Session | None = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {"User-Agent": self.user_agent, "Accept-Encoding": "gzip, deflate"}
            )
            session.trust_env = False  # never route through a proxy the environment happens to name
            self._local.session = session
        return session

    def governor_for(self, host: str) -> RateGovernor:
        if host in SEC_HOSTS:
            return self.sec_governor
        with self._governor_lock:
            governor = self._host_governors.get(host)
            if governor is None:
                governor = RateGovernor(self.host_rates.get(host, self.settings.news_rate_limit))
                self._host_governors[host] = governor
            return governor

    # -- the one GET ------------------------------------------------------------------------------
    def get(self, url: str) -> Fetched:
        """Fetch ``url``; 404 → NotFound; other failures after the last retry → FetchError."""
        self.routes.check_allowed(url)
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._get_with_retries(current)
            if isinstance(response, _Redirect):
                target = self.routes.logical_url(urljoin(self.routes.wire_url(current), response.location))
                self.routes.check_allowed(target)
                current = target
                continue
            return response
        raise FetchError(url, f"more than {MAX_REDIRECTS} redirects")

    def _get_with_retries(self, url: str) -> Fetched | _Redirect:
        host = host_of(url)
        governor = self.governor_for(host)
        attempt = 0
        while True:
            governor.acquire()
            if self.before_request is not None:
                self.before_request(host)
            self.stats.add(requests_=1)
            outcome: Fetched | _Redirect | requests.Response | Exception
            try:
                outcome = self._attempt(url)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                outcome = exc
            if isinstance(outcome, Fetched | _Redirect):
                if host in SEC_HOSTS:
                    governor.succeeded()
                return outcome
            reason, wait = self._classify(url, host, governor, outcome, attempt)
            if attempt >= self.settings.max_retries:
                raise FetchError(url, f"{reason} (gave up after {attempt + 1} attempts)")
            attempt += 1
            self.stats.add(retries=1)
            log.warning("retrying %s in %.2fs (attempt %d): %s", url, wait, attempt + 1, reason)
            time.sleep(wait)

    def _attempt(self, url: str) -> Fetched | _Redirect | requests.Response:
        """One request, cut at ``timeout`` seconds for the whole exchange (not per read: a server dripping a
        byte at a time never holds a worker longer). Returns Fetched, or the Response needing a decision."""
        started = time.monotonic()
        with self._session().get(
            self.routes.wire_url(url), timeout=self.settings.timeout, stream=True, allow_redirects=False
        ) as response:
            deadline = Deadline(response, self.settings.timeout - (time.monotonic() - started))
            try:
                outcome = self._answer(url, response)
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                if deadline.cut:
                    raise requests.Timeout(f"no complete response within {self.settings.timeout:g} s") from None
                raise
            finally:
                deadline.cancel()
            if deadline.cut:
                raise requests.Timeout(f"no complete response within {self.settings.timeout:g} s")
            return outcome

    def _answer(self, url: str, response: requests.Response) -> Fetched | _Redirect | requests.Response:
        """The decision on one response: done, redirect, or a response that needs a retry decision."""
        status = response.status_code
        if status in (301, 302, 303, 307, 308):
            return _Redirect(response.headers.get("Location", ""))
        if status == 404:
            raise NotFound(url, "HTTP 404 Not Found")
        if status in RETRY_STATUSES or status == 403:
            response._content = read_capped(url, response, limit=1_000_000)
            return response
        if status >= 400:
            raise FetchError(url, f"HTTP {status} {response.reason}")
        body = read_capped(url, response, limit=self.settings.max_bytes)
        return Fetched(url, status, response.headers.get("Content-Type", ""), body)

    def _classify(
        self,
        url: str,
        host: str,
        governor: RateGovernor,
        outcome: Exception | requests.Response,
        attempt: int,
    ) -> tuple[str, float]:
        """Why an attempt failed and how long to wait before the next one."""
        backoff = min(self.settings.backoff_max, self.settings.backoff_base * (2**attempt))
        backoff += random.uniform(0, backoff / 2) if backoff else 0.0
        if isinstance(outcome, Exception):
            return f"{type(outcome).__name__}: {outcome}", backoff
        status = outcome.status_code
        text = outcome.content[:1_000_000].decode("utf-8", "replace").lower()
        if status in (403, 429) and host in SEC_HOSTS and any(m in text for m in LOCKOUT_MARKERS):
            seconds = self.settings.lockout_seconds
            log.error(
                "SEC RATE-LIMIT LOCKOUT on %s (HTTP %d): pausing all SEC requests for %.0f s", url, status, seconds
            )
            self.stats.add(lockouts=1)
            governor.pause(seconds)
            governor.slow_down(LOCKOUT_DECREASE)
            return f"HTTP {status} SEC rate-limit lockout", 0.0
        if status == 403:
            raise FetchError(url, "HTTP 403 Forbidden")
        after = retry_after_seconds(outcome.headers.get("Retry-After"))
        if host in SEC_HOSTS and status in (429, 503):
            rate = governor.slow_down()
            log.warning("SEC answered HTTP %d: SEC rate now %.2f req/s", status, rate)
        if after is not None and host in SEC_HOSTS:
            governor.pause(after)  # Retry-After holds every SEC caller, however long it is
            return f"HTTP {status} {outcome.reason} (Retry-After {after:.0f} s)", 0.0
        wait = max(backoff, after) if after is not None else backoff
        return f"HTTP {status} {outcome.reason}", wait
