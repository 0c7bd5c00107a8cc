from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tasks.config import load_settings
from tasks.errors import FetchError, NotFound
from tasks.fetch.governor import RateGovernor
from tasks.fetch.http_client import HttpClient
from tests.conftest import USER_AGENT
from tests.support.httpserver import RecordingServer, Scripted

DOC = "https://www.sec.gov/Archives/edgar/data/1/000000000125000001/doc.htm"
LOCKOUT_PAGE = b"<html><h1>Your Request Originates from an Undeclared Automated Tool</h1>" \
               b"Request Rate Threshold Exceeded</html>"


def client_for(server: RecordingServer, **overrides: object) -> HttpClient:
    settings = load_settings(sec_user_agent=USER_AGENT, mirror=server.url, backoff_base=0.01,
                             lockout_seconds=0.3, sec_budget_file=str(server.root.parent / "budget.json"),
                             **overrides)
    return HttpClient(settings, extra_hosts=("news.example.com",))


def test_mirror_mapping_user_agent_and_body(server: RecordingServer) -> None:
    server.add(DOC, "<p>hello</p>")
    fetched = client_for(server).get(DOC + "?a=1")
    assert fetched.body == b"<p>hello</p>" and fetched.status == 200 and fetched.url == DOC + "?a=1"
    (hit,) = server.hits
    assert hit.path == "/www.sec.gov/Archives/edgar/data/1/000000000125000001/doc.htm"
    assert hit.headers["User-Agent"] == USER_AGENT


def test_gzip_body_is_decoded(server: RecordingServer) -> None:
    server.add(DOC, "x" * 5000)
    server.gzip_paths.add("/www.sec.gov/Archives/edgar/data/1/000000000125000001/doc.htm")
    assert client_for(server).get(DOC).body == b"x" * 5000


@pytest.mark.slow
def test_governor_never_exceeds_rate_in_any_second(server: RecordingServer) -> None:
    server.add(DOC, "ok")
    client = client_for(server, rate_limit=10)
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda _: client.get(DOC), range(35)))
    assert len(server.hits) == 35
    assert server.max_in_window(1.0) <= 10


@pytest.mark.slow
def test_governor_is_shared_across_sec_hosts() -> None:
    governor = RateGovernor(20)
    stamps: list[float] = []
    lock = threading.Lock()

    def take() -> None:
        sent = governor.acquire()  # the moment the budget recorded the send (a late thread cannot compress it)
        with lock:
            stamps.append(sent)

    with ThreadPoolExecutor(6) as pool:
        list(pool.map(lambda _: take(), range(30)))
    stamps.sort()
    assert all(stamps[i + 20] - stamps[i] >= 1.0 for i in range(len(stamps) - 20))


@pytest.mark.slow
def test_429_storm_is_survived(server: RecordingServer) -> None:
    server.add(DOC, "finally")
    server.script(DOC, *[Scripted(429, b"slow down", {"Retry-After": "0"})] * 4)
    client = client_for(server)
    assert client.get(DOC).body == b"finally"
    assert len(server.hits_for(DOC)) == 5 and client.stats.retries == 4


def test_lockout_page_pauses_every_sec_request(server: RecordingServer) -> None:
    other = DOC.replace("doc.htm", "other.htm")
    server.add(DOC, "after lockout")
    server.add(other, "other")
    server.script(DOC, Scripted(403, LOCKOUT_PAGE))
    client = client_for(server)
    started = time.monotonic()
    assert client.get(DOC).body == b"after lockout"
    assert client.get(other).body == b"other"
    assert time.monotonic() - started >= 0.3
    assert client.stats.lockouts == 1
    locked, retried = server.hits_for(DOC)
    assert retried.at - locked.at >= 0.3


def test_404_is_not_found_and_not_retried(server: RecordingServer) -> None:
    client = client_for(server)
    with pytest.raises(NotFound, match=r"doc\.htm: HTTP 404"):
        client.get(DOC)
    assert len(server.hits) == 1


def test_persistent_5xx_names_url_after_last_retry(server: RecordingServer) -> None:
    server.script(DOC, *[Scripted(503, b"down")] * 3)
    with pytest.raises(FetchError, match=r"doc\.htm: HTTP 503 .*gave up after 3 attempts"):
        client_for(server, max_retries=2).get(DOC)


def test_plain_403_is_not_a_lockout(server: RecordingServer) -> None:
    server.script(DOC, Scripted(403, b"forbidden"))
    with pytest.raises(FetchError, match="HTTP 403 Forbidden"):
        client_for(server).get(DOC)


def test_host_outside_allowlist_is_refused_without_a_request(server: RecordingServer) -> None:
    with pytest.raises(FetchError, match=r"'evil\.example\.org' is not in the allowlist"):
        client_for(server).get("https://evil.example.org/x")
    assert server.hits == []


def test_redirect_to_foreign_host_is_refused(server: RecordingServer) -> None:
    server.script(DOC, Scripted(302, b"", {"Location": "https://evil.example.org/steal"}))
    with pytest.raises(FetchError, match=r"evil\.example\.org"):
        client_for(server).get(DOC)


def test_redirect_within_mirror_is_followed(server: RecordingServer) -> None:
    target = "https://www.sec.gov/Archives/edgar/data/1/000000000125000001/moved.htm"
    server.add(target, "moved here")
    server.script(DOC, Scripted(301, b"", {"Location": f"{server.url}/www.sec.gov/Archives/edgar/data/1/"
                                           "000000000125000001/moved.htm"}))
    assert client_for(server).get(DOC).body == b"moved here"


def test_size_cap_is_enforced_while_streaming(server: RecordingServer) -> None:
    server.add(DOC, b"y" * 2000)
    with pytest.raises(FetchError, match="exceeds the cap of 1000 bytes"):
        client_for(server, max_bytes=1000).get(DOC)


def test_connection_errors_are_retried_then_reported() -> None:
    settings = load_settings(sec_user_agent=USER_AGENT, mirror="http://127.0.0.1:9", backoff_base=0.0,
                             max_retries=1, timeout=2)
    with pytest.raises(FetchError, match=r"doc\.htm: ConnectionError.*gave up after 2 attempts"):
        HttpClient(settings).get(DOC)
