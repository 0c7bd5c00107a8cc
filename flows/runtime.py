"""What one run needs, built once: settings, lake, HTTP client and fetch-through source."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from flows.summary import RunSummary
from tasks.config import Settings, load_settings
from tasks.earnings.release_pages import ReleaseFeed, feed_hosts, load_release_feeds
from tasks.fetch.global_limit import shared_limit
from tasks.fetch.http_client import HttpClient
from tasks.fetch.source import Source
from tasks.quality.validation import GxGate
from tasks.storage.lake import Lake
from tasks.storage.object_store import open_store


def current_run_id() -> str:
    """The Prefect flow run id when inside a flow run, else a fresh id."""
    from prefect.runtime import flow_run

    run = flow_run.id  # None outside a flow run
    return str(run) if run else uuid.uuid4().hex


@dataclass
class Runtime:
    settings: Settings
    lake: Lake
    source: Source
    release_feeds: dict[str, ReleaseFeed] = field(default_factory=dict)
    summary: RunSummary = field(default_factory=RunSummary)
    gate: GxGate | None = None  # the Great Expectations gate every dataset passes before publishing
    run_id: str = field(default_factory=current_run_id)
    spec: dict[str, Any] = field(default_factory=dict)  # how it was built: rebuilt from this on a remote worker

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickled for a Dask worker as its recipe: the worker's process builds (once) or reuses its own."""
        return runtime_for, (self.run_id, self.spec)


_RUNTIMES: dict[str, Runtime] = {}


def forget_runtime(runtime: Runtime) -> None:
    """Drop a finished run's Runtime from the process registry (long-lived `serve` processes)."""
    _RUNTIMES.pop(runtime.run_id, None)


def runtime_for(run_id: str, spec: dict[str, Any]) -> Runtime:
    """The run's Runtime in this process (the same object in the process that built it)."""
    found = _RUNTIMES.get(run_id)
    if found is None:
        found = build_runtime(**{**spec, "validate": False})
        found.run_id = run_id
        _RUNTIMES[run_id] = found
    return found


def build_runtime(
    *, offline: bool = False, force: bool = False, validate: bool = True, host_rates: dict[str, float] | None = None,
    **overrides: Any,
) -> Runtime:
    """Settings (env + overrides) → lake and source. Configuration errors surface before any request."""
    settings = load_settings(**overrides)
    feeds = load_release_feeds(settings.release_pages)
    lake = Lake(open_store(settings.lake))
    client = None if offline else HttpClient(settings, extra_hosts=feed_hosts(feeds), host_rates=host_rates,
                                             before_request=shared_limit(settings.rate_limit,
                                                                        settings.sec_shared_limit))
    gate = GxGate(docs=True) if validate else None
    spec = {"offline": offline, "force": force, "host_rates": host_rates, **overrides}
    runtime = Runtime(settings, lake, Source(lake, client, force=force), release_feeds=feeds, gate=gate, spec=spec)
    _RUNTIMES[runtime.run_id] = runtime
    return runtime
