"""The built wheel works outside the checkout: installed into a fresh virtualenv, run from another folder, it has
its command, its default configuration (deployments/ as package data) and ingests from a mirror."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import USER_AGENT
from tests.support import fakeedgar
from tests.support.httpserver import RecordingServer
from tests.support.paths import REPO

ROOT = REPO
pytestmark = [pytest.mark.slow, pytest.mark.server]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The `earnings-lake` command of a fresh virtualenv holding only the wheel and its dependencies. The
    dependencies come from the project's lockfile (what `uv sync` installed, so uv has them whatever else its cache
    holds: no network), the project itself only from the wheel."""
    uv = shutil.which("uv")
    if uv is None:
        pytest.skip("uv is not on PATH (.ci/run installs it)")
    work = tmp_path_factory.mktemp("wheel")
    built = subprocess.run([uv, "build", "--wheel", "--offline", "-o", str(work / "dist"), str(ROOT)],
                           capture_output=True, text=True, timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    [wheel] = (work / "dist").glob("earnings_lake-*.whl")
    venv = work / "venv"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "UV_COMPILE_BYTECODE")}
    deps = subprocess.run([uv, "sync", "-q", "--frozen", "--offline", "--no-dev", "--no-install-project",
                           "--python", sys.executable], cwd=ROOT, capture_output=True, text=True, timeout=600,
                          env={**env, "UV_PROJECT_ENVIRONMENT": str(venv)})
    assert deps.returncode == 0, deps.stderr[-2000:]
    done = subprocess.run([uv, "pip", "install", "-q", "--offline", "--no-deps", "--python",
                           str(venv / "bin" / "python"), str(wheel)], capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    checked = subprocess.run([uv, "pip", "check", "--python", str(venv / "bin" / "python")], capture_output=True,
                             text=True, timeout=120)
    assert checked.returncode == 0, checked.stdout[-2000:] + checked.stderr[-2000:]  # the wheel's requirements hold
    return venv / "bin" / "earnings-lake"


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EARNINGS_LAKE_", "VIRTUAL_ENV", "PYTHONPATH"))}
    return {**env, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", **extra}


def test_the_wheel_has_its_command_and_its_configuration(installed: Path, tmp_path: Path) -> None:
    helped = subprocess.run([str(installed), "--help"], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                            env=_env())
    assert helped.returncode == 0 and "ingest" in helped.stdout
    listed = subprocess.run([str(installed), "serve", "--list", "--lake", str(tmp_path / "lake")], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120, env=_env())
    assert listed.returncode == 0, listed.stderr[-2000:]
    assert "after-earnings-nvda" in listed.stdout  # the watchlist came with the wheel, not from a checkout


def test_the_wheel_ingests_from_a_mirror(installed: Path, tmp_path: Path, server: RecordingServer,
                                         prefect_server: str) -> None:
    fakeedgar.install(server)
    lake = tmp_path / "lake"
    run = subprocess.run([str(installed), "ingest", "ACME", "--since", "2024-01-01", "--mirror", server.url,
                          "--lake", str(lake)], cwd=tmp_path, capture_output=True, text=True, timeout=600,
                         env=_env(EARNINGS_LAKE_SEC_USER_AGENT=USER_AGENT, PREFECT_API_URL=prefect_server,
                                  PREFECT_HOME=str(tmp_path / "prefect")))
    assert run.returncode == 2, run.stderr[-3000:]  # the fake EDGAR lacks some documents: reported, not fatal
    assert "filings found:       4" in run.stdout
    assert list((lake / "curated" / "guidance").rglob("*.parquet"))
    assert not (tmp_path / "deployments").exists()  # nothing was read from or written to a checkout layout
