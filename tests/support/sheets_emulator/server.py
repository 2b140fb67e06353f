"""The HTTP side: a stdlib threading server on 127.0.0.1 and the request log entries."""

from __future__ import annotations

import gzip
import json
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.sheets_emulator import jsontext
from tests.support.sheets_emulator.errors import ApiError

Answer = tuple[int, dict[str, str], bytes]


@dataclass
class LoggedRequest:
    """One request as the emulator saw it; status is filled in once it is answered."""

    method: str
    path: str  # percent-decoded
    query: dict[str, list[str]]
    body: Any  # parsed JSON, a form dict, the raw text when it was not JSON, or None
    status: int = 0


@dataclass(frozen=True)
class InvalidJson:
    """A request body that did not parse as JSON."""

    text: str


def json_answer(
    status: int, body: Any, headers: dict[str, str] | None = None, *, pretty: bool = True
) -> Answer:
    """A JSON answer as Google sends it (Fragments in `body` stand for their values):
    indented by two spaces unless the request said prettyPrint=false (see pretty_print)."""
    content = jsontext.dumps(body, pretty=pretty).encode()
    return status, {"Content-Type": "application/json; charset=UTF-8", **(headers or {})}, content


def error_answer(
    error: ApiError, headers: dict[str, str] | None = None, *, pretty: bool = True
) -> Answer:
    """Google's error envelope."""
    return json_answer(error.code, error.envelope(), headers, pretty=pretty)


def pretty_print(query: dict[str, list[str]]) -> bool:
    """Whether a request's answer is indented: Google's default, unless prettyPrint=false."""
    values = query.get("prettyPrint")
    return not values or values[0].lower() != "false"


# Google compresses an answer when the client accepts gzip (requests asks by default); a
# tiny one is not worth it. zlib's default level: Google's own is not known.
GZIP_MIN_BYTES = 1024
GZIP_LEVEL = 6


def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether an Accept-Encoding header allows gzip (not refused with q=0)."""
    for item in (accept_encoding or "").split(","):
        name, _, params = item.partition(";")
        if name.strip().lower() not in ("gzip", "*"):
            continue
        quality = params.strip().lower()
        if quality.startswith("q="):
            try:
                return float(quality[2:]) > 0
            except ValueError:
                return False
        return True
    return False


def compressed(answer: Answer, accept_encoding: str | None) -> Answer:
    """The answer gzipped (Content-Encoding: gzip) when the client accepts it and it is
    large enough; otherwise as it is."""
    status, headers, content = answer
    if len(content) < GZIP_MIN_BYTES or "Content-Encoding" in headers:
        return answer
    if not accepts_gzip(accept_encoding):
        return answer
    packed = gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0)
    return status, {**headers, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}, packed


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as requests' pooled connections expect
    server: EmulatorServer
    timeout = 60  # an idle kept-alive connection frees its thread after a minute
    # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and the
    # client's delayed ACK hold each answer back by ~40 ms.
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the emulator keeps its own log."""

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if not raw:
            return None
        if self.headers.get("Content-Type", "").startswith("application/x-www-form-urlencoded"):
            form = urllib.parse.parse_qs(raw.decode(), keep_blank_values=True)
            return {name: values[0] for name, values in form.items()}
        try:
            return json.loads(raw)
        except ValueError:
            return InvalidJson(raw.decode(errors="replace"))

    def _handle(self) -> None:
        parsed = urllib.parse.urlsplit(self.path)
        body = self._body()
        logged = LoggedRequest(
            self.command,
            urllib.parse.unquote(parsed.path),
            urllib.parse.parse_qs(parsed.query, keep_blank_values=True),
            body.text if isinstance(body, InvalidJson) else body,
        )
        status, headers, content = compressed(
            self.server.answer(logged, parsed.path, self.headers.get("Authorization"), body),
            self.headers.get("Accept-Encoding"),
        )
        logged.status = status
        try:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up (a timeout): nobody to tell

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle


class EmulatorServer(ThreadingHTTPServer):
    """ThreadingHTTPServer bound to a free port of 127.0.0.1, serving from a daemon thread."""

    daemon_threads = True

    def __init__(self, answer: Callable[[LoggedRequest, str, str | None, Any], Answer]) -> None:
        # answer(logged request, raw path, Authorization header, parsed body)
        self.answer = answer
        super().__init__(("127.0.0.1", 0), _Handler)
        # A short poll interval: stop() waits for the loop to notice, 0.5 s by default.
        self._thread = threading.Thread(
            target=self.serve_forever, args=(0.02,), name="sheets-emulator", daemon=True
        )
        self._thread.start()

    @property
    def base_url(self) -> str:
        """http://127.0.0.1:PORT"""
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        """Stop serving and close the listening socket."""
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=5)
