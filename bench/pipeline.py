"""Benchmark the runs a user makes: the five corpus tickers ingested from a local mirror, then the same ingest
again (nothing changed), `earnings-lake --help`, the latency from a new earnings 8-K to its published
partitions, and where a full run's CPU goes (orchestration vs the product's own work).

Every run is the installed CLI in a process of its own, as a user starts it. Prefect runs against a local
`prefect server` started once (its start is reported apart); `--ephemeral` also measures the CLI's temporary server
mode (each run starts its own). CPU: the run's process from its rusage, the Prefect server's from /proc during the
run minus what it spends idle (its own services, measured for 30 s before); the share of the run's process spent in
Prefect's code comes from a py-spy profile of a second full run (py-spy is a dev dependency; `--no-profile` skips
it): orchestration = that share of the run's CPU + the server's CPU for the run.

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
from typing import NamedTuple

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
TICKERS = ["NVDA", "MSFT", "GOOGL", "AMZN", "META"]
SINCE = "2023-10-01"
NVDA_CIK = "0001045810"
CLI = [sys.executable, "-m", "flows.cli"]
# Who owns a sampled stack: the innermost frame of the product's code or of Prefect's decides; shared libraries
# (pydantic, httpx, anyio, jinja2, asyncio, ...) decide nothing.
ORCHESTRATION = ("prefect",)  # the run's process only (the server's CPU is read from /proc)
# py-spy counts a thread blocked in these (a selector's poll, a condition, a sleep) as active: waiting, not CPU.
WAITING = ("Selector.select", "Condition.wait", "Event.wait", "sleep", "acquire", "Thread.join",
           "_wait_for_tstate_lock", "Queue.get", "poll")
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


class Run(NamedTuple):
    wall: float  # seconds
    rss: int  # peak RSS of the run's processes, MiB
    code: int  # exit code
    cpu: float  # CPU seconds (user + system) of the run's processes


def run(args: list[str], env: dict[str, str], wrap: list[str] | None = None) -> Run:
    """One CLI run, in a process of its own."""
    started = time.monotonic()
    proc = subprocess.Popen([*(wrap or []), *CLI, *args], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _pid, status, usage = os.wait4(proc.pid, 0)
    return Run(time.monotonic() - started, usage.ru_maxrss // 1024, os.waitstatus_to_exitcode(status),
               usage.ru_utime + usage.ru_stime)


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
    wall = run(["ingest", "NVDA", "--since", released.isoformat(), "--mirror", mirror, "--lake", str(lake)],
               env).wall
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
        if frames and frames[-1].split(" (", 1)[0].endswith(WAITING):
            continue
        owner = next((o for o in map(_owner, reversed(frames)) if o is not None), default)
        split[owner] += int(count)
    return split


def process_cpu(pid: int) -> float:
    """CPU seconds a process (and the children it waited for) has used, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(f) for f in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def orchestration_share(mirror: str, env: dict[str, str], work: Path) -> float | None:
    """The share of the run's own CPU that sampling puts in Prefect's code (client side), from a py-spy profile of
    a full run into a fresh lake."""
    spy = shutil.which("py-spy")
    if spy is None:
        print("py-spy not found (uv sync installs it with the dev group): CPU split skipped")
        return None
    raw = work / "client.raw"
    time.sleep(5)  # the server finishes with the runs before (events, logs)
    run(ingest_args(work / "profiled-lake", mirror), env,
        wrap=[spy, "record", "--subprocesses", "-r", "50", "-f", "raw", "-o", str(raw), "--"])
    split = cpu_split(raw, "product") if raw.exists() else Counter()
    total = split["product"] + split["orchestration"]
    return split["orchestration"] / total if total else None


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
        help_times = [run(["--help"], env).wall for _ in range(3)]
        print(f"earnings-lake --help:                {min(help_times):6.2f} s (best of 3)")
        server_pid = children[1].pid
        idle_from = process_cpu(server_pid)
        time.sleep(30)
        idle_rate = (process_cpu(server_pid) - idle_from) / 30  # the server's own services, no run
        server_from = process_cpu(server_pid)
        full, full_rss, code, client_cpu = run(ingest_args(work / "lake", mirror), env)
        time.sleep(3)  # events and logs of the run still reaching the server
        server_cpu = max(0.0, process_cpu(server_pid) - server_from - idle_rate * (full + 3))
        print(f"full ingest, 5 tickers:              {full:6.1f} s, peak RSS {full_rss} MiB (exit {code})")
        noop, noop_rss, code, _cpu = run(ingest_args(work / "lake", mirror), env)
        print(f"same ingest again, nothing changed:  {noop:6.1f} s, peak RSS {noop_rss} MiB (exit {code}): "
              f"{100 * noop / full:.0f} % of the full run")
        latency = event_latency(mirror, env, work)
        print(f"new 8-K ({date.fromordinal(int(latency['release']))}) to published partitions: "
              f"{latency['published_s']:6.1f} s from the run's start (run ended after {latency['run_s']:.1f} s)")
        if args.ephemeral:
            eph = {**base, "PREFECT_HOME": str(work / "prefect-ephemeral")}
            full_e, rss_e, *_ = run(ingest_args(work / "lake-ephemeral", mirror), eph)
            noop_e, *_ = run(ingest_args(work / "lake-ephemeral", mirror), eph)
            print(f"temporary-server mode: full {full_e:.1f} s (peak RSS {rss_e} MiB), again {noop_e:.1f} s "
                  f"({100 * noop_e / full_e:.0f} %; each run starts its own Prefect server)")
        if not args.no_profile:
            share = orchestration_share(mirror, env, work)
            if share is not None:
                orchestration = client_cpu * share + server_cpu
                total = client_cpu + server_cpu
                print(f"full run CPU: the run's process {client_cpu:.1f} s ({100 * share:.1f} % in Prefect's code, "
                      f"sampled), the Prefect server {server_cpu:.1f} s for the run (beyond its idle "
                      f"{idle_rate * 60:.1f} s/min): orchestration {orchestration:.1f} s = "
                      f"{100 * orchestration / total:.1f} % of {total:.1f} s")
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
