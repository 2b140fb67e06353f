"""A real SMTP server for tests: aiosmtpd on 127.0.0.1 with TLS from a private trustme CA,
accepting one user (USER / PASSWORD); registered as a plugin for its `certs` fixture."""

from __future__ import annotations

import contextlib
import os
import socket
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
import trustme
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session

USER = "okr-bot"
PASSWORD = "pw-Zq8s3cret-7241"  # grep-able: must never be printed or saved


@dataclass
class Certificates:
    """A private CA and its certificate for 127.0.0.1 and localhost."""

    ca_file: Path
    server: ssl.SSLContext


@pytest.fixture(scope="module", name="certs")
def _certs(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    """trustme CA and server certificate; the client trusts only the CA file."""
    ca = trustme.CA()
    issued = ca.issue_cert("127.0.0.1", "localhost")
    ca_file = tmp_path_factory.mktemp("ca") / "ca.pem"
    ca.cert_pem.write_to_path(str(ca_file))
    server = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    issued.configure_cert(server)
    return Certificates(ca_file, server)


def free_port() -> int:
    """A port nobody listens on (Controller(port=0) cannot probe its own readiness)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Capture:
    """An aiosmtpd handler keeping every delivered message."""

    messages: list[tuple[str, list[str], EmailMessage]] = field(default_factory=list)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        """Parse and keep the message."""
        data = envelope.original_content or envelope.content
        assert isinstance(data, bytes)
        message = message_from_bytes(data, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append((str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 OK"


def authenticator(
    server: SMTP, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    """Accept only USER / PASSWORD; handled=False so a refusal answers 535 at once."""
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == USER.encode()
        and auth_data.password == PASSWORD.encode()
    )
    return AuthResult(success=ok, handled=False)


@dataclass
class Server:
    """A running test SMTP server."""

    port: int
    capture: Capture


def serve(**options: Any) -> Iterator[Server]:
    capture = Capture()
    port = free_port()
    controller = Controller(
        capture, hostname="127.0.0.1", port=port, authenticator=authenticator,
        auth_required=True, **options,
    )  # fmt: skip
    controller.start()
    try:
        yield Server(port, capture)
    finally:
        controller.stop()


def parse_eml(path: Path) -> EmailMessage:
    """An .eml file parsed back with the modern policy."""
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


@pytest.fixture(name="smtp")
def _smtp(certs: Certificates) -> Iterator[Server]:
    """aiosmtpd requiring STARTTLS, then AUTH (port 587 style)."""
    yield from serve(tls_context=certs.server, require_starttls=True)


@contextlib.contextmanager
def cron_environment(state: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """What a cron job gives a sending command: the state folder `state` (not made yet), no
    SMTP settings from the environment but the password, and the usual umask (022, under
    which a folder made the ordinary way is 0755)."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(state))
    for name in ("HOST", "PORT", "SECURITY", "USER", "FROM", "CA_FILE"):
        monkeypatch.delenv(f"SHEETS_OKR_SMTP_{name}", raising=False)
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)
