"""The SEC budget holds through a forced lockout, a 503 storm and two processes sharing the machine: no 1-s window
of the server's own clock ever sees more than 10 requests. Retry-After is honoured beyond the backoff cap, and a
server that drips its body is cut at the request deadline."""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tasks.config import load_settings
from tasks.errors import FetchError
from tasks.fetch.governor import RateGovernor
from tasks.fetch.http_client import HttpClient
from tests.conftest import USER_AGENT
from tests.support.httpserver import RecordingServer, Scripted
from tests.support.paths import REPO

pytestmark = pytest.mark.slow
LOCKOUT_PAGE = b"<html>Request Rate Threshold Exceeded</html>"


def docs(server: RecordingServer, count: int, folder: str = "a") -> list[str]:
    urls = [f"https://www.sec.gov/Archives/edgar/data/9/{folder}{i:05d}/d.htm" for i in range(count)]
    for url in urls:
        server.add(url, b"ok")
    return urls


def client(server: RecordingServer, ledger: Path, **overrides: object) -> HttpClient:
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=server.url, backoff_base=0.01, backoff_max=0.2,
                             rate_limit=10, sec_budget_file=str(ledger), **overrides)
    return HttpClient(settings)


def test_a_forced_lockout_resumes_one_request_at_a_time(server: RecordingServer, tmp_path: Path) -> None:
    urls = docs(server, 40)
    server.script(urls[3], Scripted(403, LOCKOUT_PAGE))
    funnel = client(server, tmp_path / "budget.json", lockout_seconds=1.0)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(funnel.get, urls))
    assert funnel.stats.lockouts == 1
    assert len(server.hits) == 41
    assert server.max_in_window(1.0) <= 10
    locked = next(h.at for h in server.hits if h.path.endswith(urls[3].rsplit("/9/", 1)[1]))
    resumed = sorted(h.at for h in server.hits if h.at > locked + 0.5)
    assert resumed[0] - locked >= 0.95  # nobody sent during the pause
    gaps = [b - a for a, b in itertools.pairwise(resumed)]
    assert min(gaps[:8]) >= 0.05, gaps[:8]  # released one slot at a time, not all at once


def test_a_503_storm_slows_the_budget_and_never_exceeds_it(server: RecordingServer, tmp_path: Path) -> None:
    urls = docs(server, 30)
    for url in urls[::5]:
        server.script(url, Scripted(503, b"busy"))
    funnel = client(server, tmp_path / "budget.json")
    with ThreadPoolExecutor(6) as pool:
        list(pool.map(funnel.get, urls))
    assert len(server.hits) == 36 and funnel.stats.retries == 6
    assert server.max_in_window(1.0) <= 10


def test_retry_after_is_honoured_beyond_the_backoff_cap(server: RecordingServer, tmp_path: Path) -> None:
    [url] = docs(server, 1)
    server.script(url, Scripted(429, b"later", {"Retry-After": "2"}))
    funnel = client(server, tmp_path / "budget.json")
    assert funnel.get(url).body == b"ok"
    first, second = (h.at for h in server.hits)
    assert second - first >= 1.9  # backoff_max is 0.2 s: Retry-After wins


def test_two_processes_share_one_budget(server: RecordingServer, tmp_path: Path) -> None:
    ledger = tmp_path / "budget.json"
    script = (
        "import sys\n"
        "from tasks.config import load_settings\n"
        "from tasks.fetch.http_client import HttpClient\n"
        "from concurrent.futures import ThreadPoolExecutor\n"
        "mirror, ledger, folder = sys.argv[1:4]\n"
        f"settings = load_settings(sec_user_agent={USER_AGENT!r}, mirror=mirror, rate_limit=10,"
        " sec_budget_file=ledger)\n"
        "funnel = HttpClient(settings)\n"
        "urls = [f'https://www.sec.gov/Archives/edgar/data/9/{folder}{i:05d}/d.htm' for i in range(25)]\n"
        "with ThreadPoolExecutor(4) as pool:\n"
        "    list(pool.map(funnel.get, urls))\n"
    )
    docs(server, 25, "p")
    docs(server, 25, "q")
    runs = [subprocess.Popen([sys.executable, "-c", script, server.url, str(ledger), folder], cwd=REPO)
            for folder in ("p", "q")]
    assert [run.wait(timeout=120) for run in runs] == [0, 0]
    assert len(server.hits) == 50
    assert server.max_in_window(1.0) <= 10


def test_the_governor_is_shared_by_two_objects_on_one_ledger(tmp_path: Path) -> None:
    first, second = RateGovernor(10, ledger=tmp_path / "b.json"), RateGovernor(10, ledger=tmp_path / "b.json")
    first.pause(0.5)
    started = time.time()
    second.acquire()
    assert time.time() - started >= 0.45
    assert first.slow_down() == pytest.approx(7.5) and second.rate == pytest.approx(7.5)
    for _ in range(5):
        second.succeeded()
    assert first.rate == 10


def _drip_server(listener: socket.socket, stop: threading.Event) -> None:
    conn, _ = listener.accept()
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n")
        while not stop.is_set():
            try:
                conn.sendall(b"x")
            except OSError:
                return
            time.sleep(0.2)


def test_a_dripping_server_is_cut_at_the_request_deadline(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()
    thread = threading.Thread(target=_drip_server, args=(listener, stop), daemon=True)
    thread.start()
    mirror = f"http://127.0.0.1:{listener.getsockname()[1]}"
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=mirror, timeout=1.0, max_retries=0,
                             sec_budget_file=str(tmp_path / "budget.json"))
    started = time.monotonic()
    try:
        with pytest.raises(FetchError, match=r"no complete response within 1 s"):
            HttpClient(settings).get("https://www.sec.gov/Archives/edgar/data/9/slow.htm")
    finally:
        stop.set()
        listener.close()
    assert time.monotonic() - started < 5  # each byte came within the per-read timeout: only the deadline cuts


def _short_server(listener: socket.socket) -> None:
    for _ in range(3):  # every attempt: 40 of the 100 bytes it declares, then the connection closes
        try:
            conn, _ = listener.accept()
        except OSError:
            return
        with conn:
            conn.recv(65536)
            conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n" + b"x" * 40)


def test_a_body_shorter_than_its_content_length_is_a_fetch_error(tmp_path: Path) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    threading.Thread(target=_short_server, args=(listener,), daemon=True).start()
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=f"http://127.0.0.1:{listener.getsockname()[1]}",
                             max_retries=1, backoff_base=0.01, sec_budget_file=str(tmp_path / "budget.json"))
    try:
        with pytest.raises(FetchError, match=r"gave up after 2 attempts"):
            HttpClient(settings).get("https://www.sec.gov/Archives/edgar/data/9/short.htm")
    finally:
        listener.close()
