"""One SEC budget for workers on several machines: with ``EARNINGS_LAKE_SEC_SHARED_LIMIT=true`` and a Prefect
server, each SEC request also takes a slot of a Prefect global concurrency limit used as a rate limit (slots decay at
the configured rate). Processes on one machine already share the budget through its ledger file (tasks.fetch.governor);
this costs one Prefect API call per request, so it is for fleets, not the default."""

from __future__ import annotations

import os
import threading

from tasks.config import SEC_HOSTS

LIMIT_NAME = "sec-edgar"


class SecSlots:
    """``before_request`` hook of the HTTP client."""

    def __init__(self, rate: float, name: str = LIMIT_NAME) -> None:
        self.rate = rate
        self.name = name
        self._ready = False
        self._lock = threading.Lock()

    def ensure_limit(self) -> None:
        """Create the limit on first use (slot decay = requests per second)."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
        from prefect.exceptions import ObjectNotFound

        with self._lock:
            if self._ready:
                return
            with get_client(sync_client=True) as client:
                try:
                    client.read_global_concurrency_limit_by_name(self.name)
                except ObjectNotFound:
                    # One slot that frees every 1/rate s: never more than rate (+1) requests in any second.
                    client.create_global_concurrency_limit(GlobalConcurrencyLimitCreate(
                        name=self.name, limit=1, slot_decay_per_second=self.rate))
            self._ready = True

    def __call__(self, host: str) -> None:
        if host not in SEC_HOSTS:
            return
        from prefect.concurrency.sync import rate_limit

        self.ensure_limit()
        rate_limit(self.name, occupy=1)


def shared_limit(rate: float, enabled: bool) -> SecSlots | None:
    """The fleet-wide SEC budget when asked for and a Prefect server is configured (PREFECT_API_URL), else None."""
    if not enabled:
        return None
    from prefect.settings import PREFECT_API_URL

    return SecSlots(rate) if (PREFECT_API_URL.value() or os.environ.get("PREFECT_API_URL")) else None
