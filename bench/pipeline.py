"""Benchmark the runs a user makes: the five corpus tickers ingested from a local mirror, then the same ingest
again (nothing changed), `earnings-lake --help`, the latency from a new earnings 8-K to its published
partitions, and where a full run's CPU goes (orchestration vs the product's own work).

Every run is the installed CLI in a process of its own, as a user starts it. Prefect runs against a local
`prefect server` started once (its start is reported apart); `--ephemeral` also measures the CLI's temporary server
mode (each run starts its own). The CPU split needs py-spy (a dev dependency); `--no-profile` skips it.

Run: uv run python bench/pipeline.py [--ephemeral] [--no-profile]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TICKERS = ["NVDA", "MSFT", "GOOGL", "AMZN", "META"]
SINCE = "2023-10-01"
NVDA_CIK = "0001045810"
CLI = [sys.executable, "-m", "flows.cli"]
# Who owns a sampled stack: the innermost frame of the product's code or of Prefect's (client, server and the
# server's own libraries) decides; shared libraries (pydantic, anyio, jinja2, asyncio, ...) decide nothing.
ORCHESTRATION = ("prefect", "uvicorn", "starlette", "fastapi", "sqlalchemy", "aiosqlite", "alembic", "websockets")
PRODUCT = ("tasks/", "flows/", "schemas/")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_http(url: str, timeout: float) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return time.monotonic() - started
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"{url} did not answer within {timeout} s")


def run(args: list[str], env: dict[str, str], wrap: list[str] | None = None) -> tuple[float, int, int]:
    """(wall seconds, peak RSS in MiB of the run's processes, exit code) of one CLI run."""
    started = time.monotonic()
    proc = subprocess.Popen([*(wrap or []), *CLI, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.monotonic() - started, usage.ru_maxrss // 1024, proc.returncode


def ingest_args(lake: Path, mirror: str, *extra: str) -> list[str]:
    return ["ingest", *TICKERS, "--since", SINCE, "--mirror", mirror, "--lake", str(lake), *extra]


def newest_release_date() -> date:
    """The filing date of NVIDIA's newest earnings 8-K (Item 2.02) whose documents the corpus holds."""
    data = json.loads((CORPUS / "data.sec.gov" / "submissions" / f"CIK{NVDA_CIK}.json").read_bytes())
    recent = data["filings"]["recent"]
    folder = CORPUS / "www.sec.gov" / "Archives" / "edgar" / "data" / NVDA_CIK.lstrip("0")
    dates = [date.fromisoformat(d) for f, items, d, accession in zip(
        recent["form"], recent["items"], recent["filingDate"], recent["accessionNumber"], strict=True)
        if f == "8-K" and "2.02" in items and (folder / accession.replace("-", "")).is_dir()]
    return max(dates)


def partition_times(lake: Path, datasets: tuple[str, ...]) -> dict[str, float]:
    return {str(p): p.stat().st_mtime for d in datasets for p in (lake / "curated" / d).rglob("*.parquet")}


def event_latency(mirror: str, env: dict[str, str], work: Path) -> dict[str, float]:
    """A lake holding NVIDIA's history up to the day before its newest release; then the run that sees the
    release: seconds from the process start to its guidance, actuals and guidance_vs_actual partitions."""
    lake = work / "event-lake"
    released = newest_release_date()
    run(["ingest", "NVDA", "--since", SINCE, "--until", (released - timedelta(days=1)).isoformat(),
         "--mirror", mirror, "--lake", str(lake)], env)
    datasets = ("guidance", "actuals", "guidance_vs_actual")
    before = partition_times(lake, datasets)
    started = time.time()
    wall, _rss, _code = run(["ingest", "NVDA", "--since", released.isoformat(), "--mirror", mirror,
                             "--lake", str(lake)], env)
    after = partition_times(lake, datasets)
    fresh = {d: max((t for p, t in after.items() if f"/curated/{d}/" in p and before.get(p) != t), default=None)
             for d in datasets}
    missing = [d for d, t in fresh.items() if t is None]
    if missing:
        raise SystemExit(f"event latency: {', '.join(missing)} not published by the run for {released}")
    return {"release": released.toordinal(), "published_s": max(t for t in fresh.values() if t) - started,
            "run_s": wall}


def _owner(frame: str) -> str | None:
    where = frame.rsplit("(", 1)[-1]
    if where.startswith(PRODUCT) or (str(ROOT) in where and "site-packages" not in where):
        return "product"
    for name in ORCHESTRATION:
        if f"/{name}/" in where or where.startswith(f"{name}/"):
            return "orchestration"
    return None


def cpu_split(raw: Path, default: str) -> Counter[str]:
    """Samples by owner. A stack is owned by its innermost product or Prefect frame; an import by the package
    whose module is being loaded (the innermost such frame again); a stack with neither (the interpreter, a bare
    library thread) by ``default``: orchestration in the server's process, product in the run's."""
    split: Counter[str] = Counter()
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not count.isdigit():
            continue
        frames = [f for f in stack.split(";") if f and "importlib._bootstrap" not in f]
        owner = next((o for o in map(_owner, reversed(frames)) if o is not None), default)
        split[owner] += int(count)
    return split


def profile_full(mirror: str, env: dict[str, str], work: Path, server_pid: int | None) -> Counter[str] | None:
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy not found (uv sync installs it with the dev group): CPU split skipped")
        return None
    client_raw, server_raw = work / "client.raw", work / "server.raw"
    time.sleep(5)  # the server finishes with the runs before (events, logs) before sampling starts
    attached = None
    if server_pid is not None:
        attached = subprocess.Popen([spy, "record", "--pid", str(server_pid), "--subprocesses", "-r", "50",
                                     "-f", "raw", "-o", str(server_raw)], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)
        time.sleep(1.0)
    run(ingest_args(work / "profiled-lake", mirror), env,
        wrap=[spy, "record", "--subprocesses", "-r", "50", "-f", "raw", "-o", str(client_raw), "--"])
    if attached is not None:
        attached.send_signal(2)
        attached.wait(timeout=60)
    split = cpu_split(client_raw, "product") if client_raw.exists() else Counter()
    if server_raw.exists():
        split["server"] = sum(cpu_split(server_raw, "orchestration").values())
    return split


def server_idle(server_pid: int, seconds: float, work: Path) -> float:
    """CPU seconds the Prefect server spends on its own (background services) over ``seconds`` with no run."""
    spy = shutil.which("py-spy")
    if spy is None:
        return 0.0
    raw = work / "idle.raw"
    subprocess.run([spy, "record", "--pid", str(server_pid), "--subprocesses", "-r", "50", "-d", str(int(seconds)),
                    "-f", "raw", "-o", str(raw)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return sum(cpu_split(raw, "orchestration").values()) / 50 if raw.exists() else 0.0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ephemeral", action="store_true", help="also measure the temporary-server mode")
    parser.add_argument("--no-profile", action="store_true", help="skip the CPU split (py-spy)")
    args = parser.parse_args()
    if not CORPUS.is_dir():
        raise SystemExit(f"the corpus is not at {CORPUS}")
    work = Path(tempfile.mkdtemp(prefix="bench-pipeline-"))
    mirror_port, api_port = free_port(), free_port()
    base = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "PREFECT_HOME": str(work / "prefect"),
            "EARNINGS_LAKE_SEC_USER_AGENT": "Bench Runner bench@example.com",
            "EARNINGS_LAKE_SEC_BUDGET_FILE": str(work / "sec-budget.json"),
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "300"}
    base.pop("PREFECT_API_URL", None)
    mirror = f"http://127.0.0.1:{mirror_port}"
    children = [subprocess.Popen([sys.executable, "-m", "http.server", str(mirror_port), "--bind", "127.0.0.1",
                                  "-d", str(CORPUS)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        wait_http(mirror + "/", 30)
        started = time.monotonic()
        children.append(subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                          "--port", str(api_port)], env=base, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.DEVNULL, start_new_session=True))
        api = f"http://127.0.0.1:{api_port}/api"
        wait_http(api + "/health", 300)
        print(f"prefect server start (apart):        {time.monotonic() - started:6.1f} s")
        env = {**base, "PREFECT_API_URL": api}
        help_times = [run(["--help"], env)[0] for _ in range(3)]
        print(f"earnings-lake --help:                {min(help_times):6.2f} s (best of 3)")
        full, full_rss, code = run(ingest_args(work / "lake", mirror), env)
        print(f"full ingest, 5 tickers:              {full:6.1f} s, peak RSS {full_rss} MiB (exit {code})")
        noop, noop_rss, code = run(ingest_args(work / "lake", mirror), env)
        print(f"same ingest again, nothing changed:  {noop:6.1f} s, peak RSS {noop_rss} MiB (exit {code}): "
              f"{100 * noop / full:.0f} % of the full run")
        latency = event_latency(mirror, env, work)
        print(f"new 8-K ({date.fromordinal(int(latency['release']))}) to published partitions: "
              f"{latency['published_s']:6.1f} s from the run's start (run ended after {latency['run_s']:.1f} s)")
        if args.ephemeral:
            eph = {**base, "PREFECT_HOME": str(work / "prefect-ephemeral")}
            full_e, rss_e, _ = run(ingest_args(work / "lake-ephemeral", mirror), eph)
            noop_e, _rss, _ = run(ingest_args(work / "lake-ephemeral", mirror), eph)
            print(f"temporary-server mode: full {full_e:.1f} s (peak RSS {rss_e} MiB), again {noop_e:.1f} s "
                  f"({100 * noop_e / full_e:.0f} %; each run starts its own Prefect server)")
        if not args.no_profile:
            split = profile_full(mirror, env, work, children[1].pid)
            if split:
                run_cpu = split["product"] + split["orchestration"]
                total = run_cpu + split["server"]
                print(f"full run CPU, sampled at 50/s: the run's process {run_cpu / 50:.1f} s "
                      f"(orchestration {100 * split['orchestration'] / run_cpu:.1f} %, product "
                      f"{100 * split['product'] / run_cpu:.1f} %); with the Prefect server's "
                      f"{split['server'] / 50:.1f} s: orchestration "
                      f"{100 * (split['orchestration'] + split['server']) / total:.1f} % of {total / 50:.1f} s")
                idle = server_idle(children[1].pid, 30, work)
                print(f"Prefect server idle (its own services, no run): {idle:.1f} s CPU per 30 s")
    finally:
        for child in children:
            with contextlib.suppress(ProcessLookupError):
                if child is children[0]:
                    child.terminate()
                else:  # the Prefect server and the processes it started
                    os.killpg(child.pid, signal.SIGTERM)
        for child in children:
            child.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
