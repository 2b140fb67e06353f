"""Real trackers, configuration files and the environment of the tests of `sheets-okr run`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_okr.cli import cli
from sheets_okr.model.quarters import Quarter
from sheets_okr.plan.starter import create_workbook
from tests.support.smtp import PASSWORD, USER, Certificates, Server
from tests.support.workbooks import TYPE_HEADER, write_workbook

AS_OF = dt.date(2026, 11, 30)
PASSWORD_ENV = "OKR_TEST_SMTP_PASSWORD"  # the configured name, not the default one
RECIPIENTS = ("ceo@example.com", "cmo@example.com")


def example_tracker(path: Path) -> Path:
    """The example marketing quarter (`sheets-okr init --example`), laid out on 2026-Q4."""
    create_workbook(path, Quarter(2026, 4), example=True, as_of=AS_OF)
    return path


def small_tracker(path: Path, team: str, current: float = 5, quarter: str = "2026-Q4") -> Path:
    """One objective with one key result, 0 to 10, now `current`, on a tab named `quarter`."""
    return write_workbook(path, {quarter: [
        TYPE_HEADER,
        ["Objective", f"Grow {team}", "Sam", team],
        ["Key Result", f"Reach 10 {team} deals", "Lee", None, None, 0, 10, current],
    ]})  # fmt: skip


def two_trackers_and_one_on_q3(folder: Path) -> Path:
    """Growth and Korea on 2026-Q4 and Brand with only 2026-Q3 plans, in a run's
    configuration in `folder`; returns the configuration's path."""
    small_tracker(folder / "growth.xlsx", "Growth", current=5)
    small_tracker(folder / "korea.xlsx", "Korea", current=8)
    small_tracker(folder / "brand.xlsx", "Brand", current=1, quarter="2026-Q3")
    return write_config(
        folder, [("Growth", "growth.xlsx"), ("Brand", "brand.xlsx"), ("Korea", "korea.xlsx")]
    )


def no_okr_tabs(path: Path) -> Path:
    """A workbook with only a notes tab: "malformed" for sheets-okr."""
    return write_workbook(path, {"Notes": [["Just some notes"], ["nothing to score"]]})


def unreadable_cells(path: Path) -> Path:
    """A tracker with one Target that is not a number."""
    return write_workbook(path, {"2026-Q4": [
        TYPE_HEADER,
        ["Objective", "Grow brand", "Eve", "Brand"],
        ["Key Result", "Reach ten mentions", "Eve", None, None, 0, "thirty", 4],
        ["Key Result", "Reach 10 podcasts", "Eve", None, None, 0, 10, 4],
    ]})  # fmt: skip


def write_config(
    folder: Path, trackers: Sequence[tuple[str, str]], extra: str = "", head: str = ""
) -> Path:
    """sheets-okr.toml in `folder`: `head` (top-level keys), the trackers, then `extra`."""
    lines = [head] if head else []
    for name, source in trackers:
        lines += ["[[tracker]]", f'name = "{name}"', f'source = "{source}"', ""]
    path = folder / "sheets-okr.toml"
    path.write_text("\n".join(lines) + "\n" + extra, "utf-8")
    return path


def tabs(path: Path) -> list[str]:
    """The tab names of a workbook."""
    return list(load_workbook(path, read_only=True).sheetnames)


def run_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.delenv("SHEETS_OKR_CONFIG", raising=False)
    monkeypatch.delenv("SHEETS_OKR_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(certs.ca_file))


def email_table(port: int, extra: str = "") -> str:
    """An [email] table sending to the test server as okr-bot."""
    to = ", ".join(f'"{r}"' for r in RECIPIENTS)
    return (f'[email]\nhost = "127.0.0.1"\nport = {port}\nuser = "{USER}"\n'
            f'password_env = "{PASSWORD_ENV}"\nfrom = "OKR bot <okr-bot@example.com>"\n'
            f"to = [{to}]\n{extra}")  # fmt: skip


def run_cli(config: Path | None, *args: str, verbose: int = 0) -> Result:
    """`sheets-okr [-v] run --config CONFIG --as-of 2026-11-30 ARGS` in-process."""
    argv = ["-v"] * verbose + ["run", "--as-of", AS_OF.isoformat(), *args]
    if config is not None:
        argv += ["--config", str(config)]
    return CliRunner().invoke(cli, argv, prog_name="sheets-okr")


def received(server: Server) -> list[EmailMessage]:
    """The messages the SMTP server accepted."""
    return [message for _, _, message in server.capture.messages]


def readable(message: EmailMessage) -> str:
    """Subject, text and HTML of a message, decoded (a secret could hide in base64)."""
    parts = [str(message["Subject"])]
    for kind in ("plain", "html"):
        body = message.get_body(preferencelist=(kind,))
        assert isinstance(body, EmailMessage)
        parts.append(str(body.get_content()))
    return "\n".join(parts)
