"""`sheets-okr remind` end to end: real workbooks, aiosmtpd with TLS on 127.0.0.1, the
sent-log in a private state folder, and a dry run's .eml files read back."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sheets_okr.actions.remind import eml_name
from sheets_okr.cli import cli
from sheets_okr.deliver.lock import run_lock
from tests.support.reminders import AS_OF, body, people_rows, refusing_server, tracker
from tests.support.run_configs import received
from tests.support.smtp import (
    PASSWORD,
    USER,
    Certificates,
    Server,
    cron_environment,
    free_port,
    parse_eml,
)

SENDER = "okr-bot@example.com"


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The state folder in tmp_path, the SMTP password and umask a cron job gives."""
    with cron_environment(tmp_path / "state", monkeypatch):
        yield


def remind(source: Path, port: int, *args: str, as_of: str = AS_OF.isoformat()) -> Result:
    """`sheets-okr remind SOURCE` to the SMTP server on `port`, as of AS_OF."""
    argv = ["remind", str(source), "--as-of", as_of, "--from", SENDER,
            "--smtp-host", "127.0.0.1", "--smtp-port", str(port), "--smtp-user", USER,
            *args]  # fmt: skip
    return CliRunner().invoke(cli, argv, prog_name="sheets-okr")


@pytest.fixture(name="trusted")
def _trusted(certs: Certificates, monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server's private CA is trusted."""
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(certs.ca_file))


def test_each_owner_gets_one_email_and_the_unreached_are_named(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """Lee gets one email of KR-2 and KR-4, Kim (no address) is named once on stderr, exit 0."""
    result = remind(tracker(tmp_path / "okrs.xlsx", people=people_rows()), smtp.port)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    messages = received(smtp)
    assert [str(m["To"]) for m in messages] == ["Lee <lee@example.com>"]
    text = body(messages[0])
    assert "Win 10 Growth deals" in text
    assert "Launch the Growth webinar" in text
    assert "Reach 40 Growth MQLs" not in text  # Kim's
    assert "Update '2026-Q4'!H4" in text
    assert result.stderr.count("no email address for Kim") == 1
    assert PASSWORD not in result.output + "".join(str(m) for m in messages)


def test_a_second_run_on_the_same_day_sends_nothing(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """The sent-log remembers each owner for the as-of date; --force sends again."""
    source = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    assert remind(source, smtp.port).exit_code == 0
    again = remind(source, smtp.port)
    assert again.exit_code == 0, again.output
    assert len(received(smtp)) == 1
    assert "already reminded" in again.stderr
    forced = remind(source, smtp.port, "--force")
    assert forced.exit_code == 0
    assert len(received(smtp)) == 2


def test_a_dry_run_writes_one_eml_per_owner(tmp_path: Path) -> None:
    """A dry run writes one parseable ADDRESS.eml per owner, sends nothing and logs nothing."""
    rows = [*people_rows(), ["Kim", "Content", "kim@example.com"]]
    source = tracker(tmp_path / "okrs.xlsx", people=rows)
    out = tmp_path / "out"
    argv = ["remind", str(source), "--as-of", AS_OF.isoformat(), "--dry-run", "-o", str(out)]
    result = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
    assert result.exit_code == 0, result.output
    files = sorted(path.name for path in out.iterdir())
    assert files == ["kim@example.com.eml", "lee@example.com.eml"]
    kim = parse_eml(out / "kim@example.com.eml")
    assert kim["To"] == "Kim <kim@example.com>"
    assert "No check-in yet" in body(kim)
    assert "Reach 40 Growth MQLs" in body(kim, "html")
    assert not (tmp_path / "state" / "sent.json").exists()


def test_a_dry_run_needs_a_folder(tmp_path: Path) -> None:
    """--dry-run without -o is a usage error (exit 2), before the workbook is read."""
    argv = ["remind", str(tmp_path / "missing.xlsx"), "--dry-run"]
    result = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
    assert result.exit_code == 2
    assert "-o FOLDER" in result.stderr


def test_an_unreachable_server_keeps_the_emails_and_exits_75(tmp_path: Path) -> None:
    """No server: exit 75, each reminder kept privately in unsent/, nothing logged as sent."""
    result = remind(tracker(tmp_path / "okrs.xlsx", people=people_rows()), free_port())
    assert result.exit_code == 75, result.output
    match = re.search(r"kept in (\S+\.eml)", result.stderr)
    assert match, result.stderr
    kept = Path(match.group(1))
    assert kept.parent == tmp_path / "state" / "unsent"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert parse_eml(kept)["To"] == "Lee <lee@example.com>"
    assert not (tmp_path / "state" / "sent.json").exists()


def test_ssl_against_a_starttls_server_is_a_setting_to_fix(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """--smtp-security ssl on a STARTTLS port: exit 1 (not 75) naming the fix, nothing sent."""
    result = remind(tracker(tmp_path / "okrs.xlsx", people=people_rows()), smtp.port,
                    "--smtp-security", "ssl")  # fmt: skip
    assert result.exit_code == 1, result.output
    assert (f"127.0.0.1:{smtp.port}: the server does not speak TLS on this port: try"
            " --smtp-security starttls (port 587)") in result.stderr  # fmt: skip
    assert "cannot reach" not in result.stderr
    assert "kept in " in result.stderr
    assert received(smtp) == []
    assert PASSWORD not in result.output


def test_a_bad_people_cell_of_someone_with_nothing_to_update_is_not_said(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """Pat's cell is not an address, but Pat owns nothing to update: silent, exit 0."""
    source = kim_and_lee(tmp_path, ["Pat", "Ops", "pat at example"])
    result = remind(source, smtp.port)
    assert (result.exit_code, result.output) == (0, "")
    assert len(received(smtp)) == 2


def test_nothing_to_do_sends_nothing(tmp_path: Path, smtp: Server, trusted: None) -> None:
    """When no owner with an address has a key result to update, no email goes and the exit is 0."""
    source = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    result = remind(source, smtp.port, "--stale-after", "5", "--due-within", "0",
                    as_of="2026-10-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert received(smtp) == []


def kim_and_lee(tmp_path: Path, *extra: list[object]) -> Path:
    """A tracker whose People tab gives Lee and Kim addresses (and `extra` rows)."""
    rows = [*people_rows(), ["Kim", "Content", "kim@example.com"], *extra]
    return tracker(tmp_path / "okrs.xlsx", people=rows)


def test_an_address_outside_ascii_is_said_and_the_others_are_reminded(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """Kim at 김민수@회사.kr: the cell is said on stderr, Lee is reminded, no traceback, exit 0."""
    rows = [*people_rows(), ["Kim", "Content", "김민수@회사.kr"]]
    result = remind(tracker(tmp_path / "okrs.xlsx", people=rows), smtp.port)
    assert result.exit_code == 0, result.output
    assert [str(m["To"]) for m in received(smtp)] == ["Lee <lee@example.com>"]
    assert "okrs.xlsx: People!C9: '김민수@회사.kr' is not an email address" in result.stderr
    assert result.stderr.count("Kim") == 1  # said once, by its cell: not again as unaddressed


def test_an_email_that_cannot_be_kept_fails_alone(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """Lee's copy cannot be written (a folder is in its way): Kim is still reminded; exit 1."""
    out = tmp_path / "out"
    (out / "lee@example.com.eml").mkdir(parents=True)
    result = remind(kim_and_lee(tmp_path), smtp.port, "-o", str(out))
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit)  # no traceback
    assert [str(m["To"]) for m in received(smtp)] == ["Kim <kim@example.com>"]
    assert "not sent to lee@example.com (its email could not be made" in result.stderr


def test_a_refused_password_is_tried_once_and_stops_the_batch(
    tmp_path: Path, certs: Certificates, trusted: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong password: one login, not one per owner; both emails kept in unsent/, exit 1."""
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", "wrong-password")
    with refusing_server(certs) as (server, handler):
        result = remind(kim_and_lee(tmp_path), server.port)
    assert result.exit_code == 1, result.output
    assert list(handler.logins.values()) == [False]  # one connection tried, refused
    assert received(server) == []
    assert len(list((tmp_path / "state" / "unsent").iterdir())) == 2
    assert "wrong-password" not in result.output


def test_a_refused_recipient_fails_alone(
    tmp_path: Path, certs: Certificates, trusted: None
) -> None:
    """The server refuses Lee's address: Kim is still reminded, Lee's email kept, exit 1."""
    with refusing_server(certs, "lee@example.com") as (server, _):
        result = remind(kim_and_lee(tmp_path), server.port)
    assert result.exit_code == 1, result.output
    assert [str(m["To"]) for m in received(server)] == ["Kim <kim@example.com>"]
    assert "not sent to lee@example.com" in result.stderr
    assert len(list((tmp_path / "state" / "unsent").iterdir())) == 1


def test_eml_names_never_collide_and_stay_short() -> None:
    """Two addresses that sanitise alike get two names; a plain one is kept; all are bounded."""
    assert eml_name("lee@example.com") == "lee@example.com.eml"
    assert eml_name("a!b@example.com") != eml_name("a#b@example.com")
    assert eml_name("a!b@example.com").startswith("a_b@example.com-")
    assert len(eml_name("x" * 240 + "@example.com")) <= 120


def test_owners_reminded_already_keep_their_eml_as_it_was(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """-o without --dry-run does not rewrite the copy of an owner skipped as reminded."""
    source = kim_and_lee(tmp_path)
    out = tmp_path / "out"
    assert remind(source, smtp.port, "-o", str(out)).exit_code == 0
    copy = out / "lee@example.com.eml"
    copy.write_text("as the first run left it", "utf-8")
    again = remind(source, smtp.port, "-o", str(out))
    assert again.exit_code == 0, again.output
    assert copy.read_text("utf-8") == "as the first run left it"
    assert "left as they were" in again.stderr


def test_remind_waits_for_no_run_and_sends_nothing_while_one_holds_the_lock(
    tmp_path: Path, smtp: Server, trusted: None
) -> None:
    """While a `run` holds the run lock, remind exits 75 and reminds nobody (no double send)."""
    with run_lock():
        result = remind(kim_and_lee(tmp_path), smtp.port)
    assert result.exit_code == 75, result.output
    assert received(smtp) == []
    assert not (tmp_path / "state" / "sent.json").exists()


@pytest.mark.parametrize("cell", ["kim@a.com; kim@b.com", "kim@a.com, kim@b.com", "kim at a"])
def test_an_owner_whose_cell_holds_two_addresses_is_warned_by_its_cell(
    tmp_path: Path, cell: str
) -> None:
    """Kim owns a key result to update and her Email cell holds two addresses (or none):
    she is not reminded, and one warning names her and the cell, whatever it holds."""
    rows = [*people_rows(), ["Kim", "Content", cell]]
    source = tracker(tmp_path / "okrs.xlsx", people=rows)
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli, ["remind", str(source), "--as-of", AS_OF.isoformat(), "--dry-run", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if "Kim" in line]
    assert len(warnings) == 1, result.stderr
    assert "People'!C" in warnings[0] or "People!C" in warnings[0], warnings[0]
    assert not any(p.name.startswith("kim") for p in out.glob("*.eml"))
