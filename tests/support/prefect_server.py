"""A local `prefect server` for tests that need a real one (not the ephemeral in-process API)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from tests.support.lakes import drain_prefect_workers


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def local_prefect_server(home: Path, startup_seconds: float = 300) -> Iterator[str]:
    """Start `prefect server start` with its own PREFECT_HOME; the API URL while it runs, stopped after."""
    port = free_port()
    env = {**os.environ, "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "PREFECT_UI_ENABLED": "false", "PREFECT_API_URL": ""}
    prefect = shutil.which("prefect") or str(Path(sys.executable).parent / "prefect")
    proc = subprocess.Popen([prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                if requests.get(f"{url}/health", timeout=1).ok:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or proc.poll() is not None:
                raise RuntimeError(f"prefect server did not start within {startup_seconds} s")
            time.sleep(0.5)
        yield url
    finally:
        drain_prefect_workers()
        proc.terminate()
        proc.wait(timeout=30)
