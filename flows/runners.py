"""Task runners: threads by default, or a Dask cluster for backfills over many tickers (prefect-dask).

``dask`` starts a local cluster (threads in this process); ``dask://HOST:PORT`` (or ``tcp://…``) uses an existing
scheduler. Per-filing work (fetch, archive) runs on the cluster; the datasets are the same either way.
"""

from __future__ import annotations

from typing import Any

from tasks.errors import ConfigError


def task_runner(spec: str | None, workers: int | None = None) -> Any:
    """A task runner for ``flow.with_options(task_runner=…)``; None keeps the flow's default (4 threads).
    ``workers`` sets the threads (EARNINGS_LAKE_WORKERS: companies fetched, parsed and read at once)."""
    if not spec or spec == "threads":
        if workers is None:
            return None
        from prefect.task_runners import ThreadPoolTaskRunner

        return ThreadPoolTaskRunner(max_workers=workers)
    from prefect_dask.task_runners import DaskTaskRunner

    if spec == "dask":
        return DaskTaskRunner(cluster_kwargs={"processes": False, "n_workers": 1, "threads_per_worker": 4,
                                              "dashboard_address": None})
    if spec.startswith(("dask://", "tcp://")):
        return DaskTaskRunner(address="tcp://" + spec.split("://", 1)[1])
    raise ConfigError(f"unknown task runner {spec!r}: use threads, dask or dask://HOST:PORT")
