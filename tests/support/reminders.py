"""Trackers shaped for the reminders: real .xlsx workbooks with IDs, owners, due dates, a
History tab of earlier syncs and a People tab as people keep one (a title row above the
header, extra columns, blank rows, a name typed twice)."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, Envelope, Session

from tests.support.smtp import Capture, Certificates, Server, authenticator, free_port
from tests.support.workbooks import write_workbook

AS_OF = dt.date(2026, 11, 30)  # a Monday
HEADER = ["ID", "Type", "Title", "Owner", "Team", "Start", "Target", "Current", "Unit", "Due"]
HISTORY_HEADER = ["Date", "ID", "Title", "Current", "Progress", "Score", "Health"]


def plan_rows(team: str = "Growth") -> list[list[Any]]:
    """One objective and five key results: Lee has one unchanged for three syncs (KR-2) and
    one due in three days (KR-4), Kim one without a check-in (KR-3), Dana one moving well
    (KR-1), and KR-5 has no owner and no check-in."""
    return [
        HEADER,
        ["O-1", "Objective", f"Grow {team}", "Sam", team],
        ["KR-1", "Key Result", f"Grow {team} visits from 20 to 30", "Dana", None, 20, 30, 27],
        ["KR-2", "Key Result", f"Win 10 {team} deals", "Lee", None, 0, 10, 4],
        ["KR-3", "Key Result", f"Reach 40 {team} MQLs", "Kim", None, 0, 40, None, "MQLs"],
        ["KR-4", "Key Result", f"Launch the {team} webinar", " lee ", None, 0, 100, 60, "%",
         dt.date(2026, 12, 3)],
        ["KR-5", "Key Result", f"Sign 3 {team} partners", None, None, 0, 3, None],
    ]  # fmt: skip


def history_rows(ids: tuple[str, ...] = ("KR-1", "KR-2")) -> list[list[Any]]:
    """Three weekly syncs before AS_OF: KR-2 stayed at 4, KR-1 moved."""
    rows: list[list[Any]] = [HISTORY_HEADER]
    for week, current in ((3, 21), (2, 24), (1, 27)):
        date = AS_OF - dt.timedelta(weeks=week)
        if "KR-1" in ids:
            rows.append([date, "KR-1", "visits", current, 0.5, 0.5, "On track"])
        if "KR-2" in ids:
            rows.append([date, "KR-2", "deals", 4, 0.4, 0.4, "At risk"])
    return rows


def people_rows() -> list[list[Any]]:
    """A People tab as a team keeps one: a title, a blank row, extra columns, a blank row
    between people, and Lee typed twice (other case and spaces, the same address)."""
    return [
        ["Marketing team directory"],
        [],
        ["Name", "Role", "Email", "Phone"],
        ["Lee", "Demand gen", "lee@example.com", "010-1234-5678"],
        [],
        ["Dana", "Sales", "dana@example.com", None],
        ["  LEE ", "Demand gen (again)", "Lee@Example.com", None],
        ["Sam", "Head of marketing", None, None],
    ]


def tracker(path: Path, team: str = "Growth", people: list[list[Any]] | None = None) -> Path:
    """A tracker with its plan on 2026-Q4, its History and (unless None) a People tab."""
    tabs: dict[str, list[list[Any]]] = {"2026-Q4": plan_rows(team), "History": history_rows()}
    if people is not None:
        tabs["People"] = people
    return write_workbook(path, tabs)


def body(message: EmailMessage, kind: str = "plain") -> str:
    """A message's text or HTML part, decoded."""
    part = message.get_body(preferencelist=(kind,))
    assert isinstance(part, EmailMessage)
    return str(part.get_content())


@dataclass
class Refusing(Capture):
    """The test server's handler, refusing the recipients in `refuse` (550), and keeping
    the connections that tried to log in, in order, with whether each got in."""

    refuse: tuple[str, ...] = ()
    logins: dict[int, bool] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        """Refuse the listed addresses; accept the others."""
        if address in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def authenticate(
        self, server: SMTP, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        """The test server's USER / PASSWORD check, kept by connection (smtplib tries each
        mechanism the server offers, so one login may be several attempts)."""
        result = authenticator(server, session, envelope, mechanism, data)
        self.logins[id(session)] = self.logins.get(id(session), False) or bool(result.success)
        return result


@contextlib.contextmanager
def refusing_server(certs: Certificates, *refuse: str) -> Iterator[tuple[Server, Refusing]]:
    """aiosmtpd on 127.0.0.1 as the `smtp` fixture (STARTTLS, then AUTH) that refuses
    `refuse` and counts logins."""
    handler = Refusing(refuse=refuse)
    port = free_port()
    controller = Controller(
        handler, hostname="127.0.0.1", port=port, authenticator=handler.authenticate,
        auth_required=True, tls_context=certs.server, require_starttls=True,
    )  # fmt: skip
    controller.start()
    try:
        yield Server(port, handler), handler
    finally:
        controller.stop()
