"""Benchmark the HTTP funnel: achieved requests/s against the configured SEC rate, and limit violations.

A local server adds latency (default 80 ms) and records the arrival time of every request, so the
busiest one-second window is measured on the server's clock, as SEC's limiter sees it.
Run: uv run python bench/fetch.py [--faults]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.config import load_settings
from tasks.fetch.http_client import HttpClient
from tests.support.httpserver import RecordingServer, Scripted


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--rate", type=float, default=9.0)
    parser.add_argument("--latency", type=float, default=0.08)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--faults", action="store_true",
                        help="every 5th document answers 503 once, and one answers SEC's lockout page (5 s pause)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as root, RecordingServer(Path(root), latency=args.latency) as server:
        urls = [f"https://www.sec.gov/Archives/edgar/data/1/{i:018d}/doc.htm" for i in range(args.documents)]
        for url in urls:
            server.add(url, b"x" * 20_000)
        if args.faults:
            for url in urls[::5]:
                server.script(url, Scripted(503, b"busy"))
            server.script(urls[len(urls) // 2], Scripted(403, b"Request Rate Threshold Exceeded"))
        settings = load_settings(sec_user_agent="Bench bench@example.com", mirror=server.url,
                                 rate_limit=args.rate, lockout_seconds=5, sec_budget_file=str(Path(root) / "b.json"))
        client = HttpClient(settings)
        started = time.monotonic()
        with ThreadPoolExecutor(args.workers) as pool:
            list(pool.map(client.get, urls))
        elapsed = time.monotonic() - started
        achieved = args.documents / elapsed
        print(f"documents: {args.documents}  latency: {args.latency * 1000:.0f} ms  workers: {args.workers}  "
              f"faults: {'503 on every 5th document, one lockout page' if args.faults else 'none'}  "
              f"requests sent: {len(server.hits)}")
        print(f"configured rate: {args.rate:.2f} req/s  achieved: {achieved:.2f} req/s "
              f"({100 * achieved / args.rate:.1f}% of configured)  elapsed: {elapsed:.1f} s")
        print(f"max requests in any 1-s window (server clock): {server.max_in_window(1.0)}  "
              f"violations of the configured rate: {int(server.max_in_window(1.0) > args.rate)}  "
              f"retries: {client.stats.retries}  lockouts: {client.stats.lockouts}")


if __name__ == "__main__":
    main()
