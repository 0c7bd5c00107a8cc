"""A threaded HTTP server over a HOST/PATH folder that records request times and can script failures."""

from __future__ import annotations

import gzip
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from urllib.parse import urlsplit


@dataclass
class Scripted:
    """One canned response, served instead of the file."""

    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Hit:
    path: str
    at: float
    headers: dict[str, str]


class RecordingServer:
    def __init__(self, root: Path, latency: float = 0.0) -> None:
        self.root = root
        self.latency = latency
        self.hits: list[Hit] = []
        self.scripts: dict[str, deque[Scripted]] = defaultdict(deque)
        self.gzip_paths: set[str] = set()
        self._lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self._thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- set-up helpers -------------------------------------------------------------------------
    def add(self, url: str, body: bytes | str) -> None:
        """Serve ``body`` for https://HOST/PATH (written as HOST/PATH under the root)."""
        parts = urlsplit(url)
        path = self.root / f"{parts.hostname}{parts.path}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body.encode() if isinstance(body, str) else body)

    def script(self, url: str, *responses: Scripted) -> None:
        parts = urlsplit(url)
        self.scripts[f"/{parts.hostname}{parts.path}"].extend(responses)

    def hits_for(self, url: str) -> list[Hit]:
        parts = urlsplit(url)
        return [h for h in self.hits if h.path == f"/{parts.hostname}{parts.path}"]

    def max_in_window(self, window: float = 1.0) -> int:
        times = sorted(h.at for h in self.hits)
        best, start = 0, 0
        for end, t in enumerate(times):
            while t - times[start] >= window:
                start += 1
            best = max(best, end - start + 1)
        return best

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                return

            def _send(self, status: int, body: bytes, headers: dict[str, str]) -> None:
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urlsplit(self.path).path
                with server._lock:
                    server.hits.append(Hit(path, time.monotonic(), dict(self.headers.items())))
                    queue = server.scripts.get(path)
                    scripted = queue.popleft() if queue else None
                if server.latency:
                    time.sleep(server.latency)
                if scripted is not None:
                    self._send(scripted.status, scripted.body, scripted.headers)
                    return
                file = (server.root / path.lstrip("/")).resolve()
                if not file.is_file() or server.root.resolve() not in file.parents:
                    self._send(404, b"not found", {"Content-Type": "text/plain"})
                    return
                body = file.read_bytes()
                headers = {"Content-Type": "application/octet-stream"}
                if path in server.gzip_paths and "gzip" in self.headers.get("Accept-Encoding", ""):
                    body = gzip.compress(body)
                    headers["Content-Encoding"] = "gzip"
                self._send(200, body, headers)

        return Handler
