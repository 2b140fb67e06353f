"""Healthcheck pings: healthchecks.io's paths, a report as the body, never failing the run."""

from __future__ import annotations

import logging
import socket

import pytest

from sheets_okr.deliver.healthcheck import Healthcheck, redacted
from tests.support.ping_server import (
    TOKEN,
    PingServer,
)


def test_start_success_and_failure_use_healthchecks_paths(ping_server: PingServer) -> None:
    """/start, then the URL itself for success, /<exit status> for a failure."""
    check = Healthcheck(ping_server.url, timeout=5)
    assert check.start()
    assert check.finish(0, "ok: Growth")
    assert check.finish(75, "failed: Brand: locked")
    assert ping_server.paths == ["/start", "/", "/75"]
    assert [p.body for p in ping_server.pings] == ["", "ok: Growth", "failed: Brand: locked"]
    assert {p.method for p in ping_server.pings} == {"POST"}


def test_a_query_string_stays_at_the_end(ping_server: PingServer) -> None:
    """A URL with ?rid=... keeps it after the added path."""
    check = Healthcheck(ping_server.url + "/?rid=abc", timeout=5)
    check.start()
    assert ping_server.pings[0].path == f"/ping/{TOKEN}/start?rid=abc"


def test_an_unreachable_healthcheck_is_logged_without_its_token(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Nobody listening: the ping returns False, the log names the host only."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    check = Healthcheck(f"http://127.0.0.1:{port}/ping/{TOKEN}", timeout=2)
    with caplog.at_level(logging.DEBUG):
        assert not check.start()
        assert not check.finish(1, "report")
    assert "cannot ping the healthcheck http://127.0.0.1/…" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN not in repr(check)


def test_an_error_answer_is_logged_and_ignored(
    ping_server: PingServer, caplog: pytest.LogCaptureFixture
) -> None:
    """HTTP 500 from the service: False and a warning, no exception."""
    ping_server.status = 500
    check = Healthcheck(ping_server.url, timeout=5)
    with caplog.at_level(logging.WARNING):
        assert not check.finish(0)
    assert "answered HTTP 500" in caplog.text
    assert TOKEN not in caplog.text


def test_redacted_keeps_only_scheme_and_host() -> None:
    """The token in the path (and any query) is gone."""
    assert redacted("https://hc-ping.com/uuid-secret?rid=1") == "https://hc-ping.com/…"


@pytest.mark.parametrize(
    "answer",
    [b"garbage\r\n\r\n", b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort", b"",
     b"HTTP/1.1 200 OK\r\nX: " + b"x" * 70_000 + b"\r\n\r\n"],
    ids=["bad status line", "incomplete read", "remote disconnected", "line too long"],
)  # fmt: skip
def test_a_garbled_answer_is_logged_by_type_and_ignored(
    ping_server: PingServer, caplog: pytest.LogCaptureFixture, answer: bytes
) -> None:
    """http.client's own errors (not OSError): False and one warning naming only the error's
    type and the host, never an exception."""
    ping_server.raw = answer
    check = Healthcheck(ping_server.url, timeout=5)
    with caplog.at_level(logging.WARNING):
        assert not check.start()
        assert not check.finish(1, "report")
    (first, _) = caplog.records
    assert first.getMessage().startswith("cannot ping the healthcheck http://127.0.0.1/… (")
    kind = first.getMessage().split("(")[1].split(")")[0]
    assert kind.isidentifier(), kind
    assert TOKEN not in caplog.text
    assert "garbage" not in caplog.text


def test_a_bad_url_is_logged_without_it(caplog: pytest.LogCaptureFixture) -> None:
    """A URL urllib cannot even parse: no exception, and neither the URL nor its token."""
    check = Healthcheck(f"http://[::1/ping/{TOKEN}", timeout=1)
    with caplog.at_level(logging.WARNING):
        assert not check.start()
    assert "cannot ping the healthcheck the configured URL (ValueError)" in caplog.text
    assert TOKEN not in caplog.text
