"""Prefect's API for a CLI run: the user's server (PREFECT_API_URL), else Prefect's temporary local server,
started up front with a generous timeout so a busy machine does not kill the run before its first request."""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from tasks.errors import ConfigError

STARTUP_TIMEOUT_VARIABLE = "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"
DEFAULT_STARTUP_TIMEOUT = "180"  # Prefect's own default (20 s) is often too short on a loaded 2-core machine


class PrefectUnavailable(ConfigError):
    """Prefect's API could not be reached or started."""


def prefect_defaults() -> None:
    """Environment defaults for Prefect (the user's own settings win: only unset variables are filled). The
    logging ones are set by importing ``flows`` itself, before any flow module imports Prefect."""
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault(STARTUP_TIMEOUT_VARIABLE, DEFAULT_STARTUP_TIMEOUT)


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(128 + signum)  # unwinds: atexit stops the temporary server


def start_prefect_api() -> None:
    """Make sure a Prefect API answers before any work: a configured one is used as it is; otherwise the
    temporary server starts now. Raises PrefectUnavailable with one line a user can act on."""
    from prefect.settings import get_current_settings

    settings = get_current_settings()
    if settings.api.url or not settings.server.ephemeral.enabled:
        return
    from prefect.server.api.server import SubprocessASGIServer

    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # a terminated CLI leaves no server behind
    timeout = settings.server.ephemeral.startup_timeout_seconds
    server = SubprocessASGIServer()
    import prefect.server.api.server as server_module

    try:
        setattr(server_module, "subprocess", _ChildDiesWithUs())  # noqa: B010 (a module global, on purpose)
        server.start(timeout=timeout or None)
    except Exception as exc:
        server.stop()
        first = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise PrefectUnavailable(
            f"Prefect's temporary API server did not start within {timeout} s ({first}); raise "
            f"{STARTUP_TIMEOUT_VARIABLE}, or start one with `prefect server start --host 127.0.0.1` and set "
            f"PREFECT_API_URL=http://127.0.0.1:4200/api") from None
    finally:
        setattr(server_module, "subprocess", subprocess)  # noqa: B010


def _die_with_parent() -> None:
    """In the server's process, before it runs: the kernel stops it when the CLI dies, even by SIGKILL (Linux)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: SIGTERM and atexit still stop it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class _ChildDiesWithUs:
    """``subprocess`` as Prefect's temporary-server starter sees it: its Popen ties the server to this process."""

    def __getattr__(self, name: str) -> Any:
        return getattr(subprocess, name)

    @staticmethod
    def Popen(*args: Any, **kwargs: Any) -> subprocess.Popen[Any]:
        if sys.platform.startswith("linux"):
            kwargs.setdefault("preexec_fn", _die_with_parent)
        return subprocess.Popen(*args, **kwargs)

