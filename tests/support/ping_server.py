"""A local healthchecks.io stand-in on 127.0.0.1: records every ping, answers a set status."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

TOKEN = "hc-TOKEN-9f3ac1d27e"  # grep-able: the secret part of the check URL


@dataclass
class Ping:
    """One request the server received."""

    method: str
    path: str
    body: str


@dataclass
class PingServer:
    """The running server: its base URL (with the token), what it received, its answer."""

    port: int
    pings: list[Ping] = field(default_factory=list)
    status: int = 200
    raw: bytes | None = None  # answer these bytes instead of HTTP (a garbled answer)
    delay: dict[str, float] = field(default_factory=dict)  # seconds to wait, by path end

    @property
    def url(self) -> str:
        """The check URL a configuration names."""
        return f"http://127.0.0.1:{self.port}/ping/{TOKEN}"

    @property
    def paths(self) -> list[str]:
        """The paths pinged, in order, without the common prefix."""
        prefix = f"/ping/{TOKEN}"
        return [p.path.removeprefix(prefix) or "/" for p in self.pings]


def _handler(server: PingServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _record(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length).decode("utf-8") if length else ""
            server.pings.append(Ping(self.command, self.path, body))
            for end, seconds in server.delay.items():
                if self.path.endswith(end):
                    time.sleep(seconds)
            if server.raw is not None:
                self.wfile.write(server.raw)
                self.close_connection = True
                return
            self.send_response(server.status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"OK")

        do_GET = do_POST = do_HEAD = _record

        def log_message(self, format: str, *args: object) -> None:
            """Quiet: the tests look at the recorded pings."""

    return Handler


@pytest.fixture(name="ping_server")
def _ping_server() -> Iterator[PingServer]:
    """A ping server for one test."""
    state = PingServer(0)
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    state.port = int(httpd.server_address[1])
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        httpd.shutdown()
        httpd.server_close()
