"""Sending a summary once (`email`): what it leaves in the state folder, and with what mode."""

from __future__ import annotations

import re
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli
from tests.support.smtp import (
    PASSWORD,
    USER,
    Certificates,
    Server,
    cron_environment,
    free_port,
    parse_eml,
)
from tests.support.workbooks import small_rows, write_workbook

SENDER = "okr-bot@example.com"


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The state folder in tmp_path, the SMTP password and umask a cron job gives."""
    with cron_environment(tmp_path / "state", monkeypatch):
        yield


def email(tmp_path: Path, port: int) -> Result:
    """`sheets-okr email` of the sample plan to the SMTP server on `port`."""
    workbook = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": small_rows()})
    args = ["email", str(workbook), "--to", "ceo@example.com", "--from", SENDER,
            "--as-of", "2026-11-30", "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
            "--smtp-user", USER]  # fmt: skip
    return CliRunner().invoke(cli, args, prog_name="sheets-okr")


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def test_a_sent_summary_is_logged_privately(
    tmp_path: Path, smtp: Server, certs: Certificates, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a send the state folder is 0700 and the sent-log in it 0600."""
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(certs.ca_file))
    result = email(tmp_path, smtp.port)
    assert result.exit_code == 0, result.output
    assert len(smtp.capture.messages) == 1
    state = tmp_path / "state"
    assert mode(state) == 0o700
    assert mode(state / "sent.json") == 0o600


def test_an_unsent_email_is_kept_privately(tmp_path: Path) -> None:
    """When the server cannot be reached (exit 75) the email is kept in unsent/ as a 0600
    file, in folders made 0700: it holds the whole summary and who it was for."""
    result = email(tmp_path, free_port())
    assert result.exit_code == 75, result.output
    match = re.search(r"The email is saved in (\S+\.eml)", result.stderr)
    assert match, result.stderr
    kept = Path(match.group(1))
    assert kept.parent == tmp_path / "state" / "unsent"
    assert mode(kept) == 0o600
    assert mode(kept.parent) == 0o700
    assert mode(tmp_path / "state") == 0o700
    assert parse_eml(kept)["To"] == "ceo@example.com"
    assert PASSWORD.encode() not in kept.read_bytes()
