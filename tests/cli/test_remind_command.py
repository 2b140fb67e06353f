"""`remind` through the command line: the options it refuses before reading the source."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli


@pytest.fixture(autouse=True)
def _no_smtp_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder in tmp_path, and no SMTP settings from the environment."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM", "CA_FILE"):
        monkeypatch.delenv(f"SHEETS_OKR_SMTP_{name}", raising=False)


def run(*args: str) -> Result:
    """`sheets-okr ARGS` in-process."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def test_a_sender_that_is_not_an_address_is_refused(tmp_path: Path) -> None:
    """--from "okr bot" exits 2 naming the option, before the (missing) source is read."""
    result = run("remind", str(tmp_path / "missing.xlsx"), "--from", "okr bot")
    assert result.exit_code == 2
    assert "--from 'okr bot' is not an email address" in result.stderr


def test_sending_needs_a_sender(tmp_path: Path) -> None:
    """Without --from or SHEETS_OKR_SMTP_FROM a real send is refused (exit 2)."""
    result = run("remind", str(tmp_path / "missing.xlsx"))
    assert result.exit_code == 2
    assert "sending needs a sender address" in result.stderr


def test_the_output_must_be_a_folder(tmp_path: Path) -> None:
    """-o naming a file is a usage error: the reminders are one file per owner."""
    taken = tmp_path / "taken.eml"
    taken.write_text("x")
    result = run("remind", str(tmp_path / "missing.xlsx"), "--dry-run", "-o", str(taken))
    assert result.exit_code == 2


def test_a_missing_source_exits_2(tmp_path: Path) -> None:
    """A workbook that is not there is a usage error, as for every command."""
    result = run("remind", str(tmp_path / "missing.xlsx"), "--dry-run", "-o", str(tmp_path))
    assert result.exit_code == 2


def test_people_from_a_file_reach_owners_the_people_tab_does_not_list(tmp_path: Path) -> None:
    """--people with the run's configuration gives Kim an address; the dry run writes Kim's."""
    from tests.support.reminders import AS_OF, people_rows, tracker

    source = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    config = tmp_path / "sheets-okr.toml"
    config.write_text('[[tracker]]\nname = "G"\nsource = "okrs.xlsx"\n\n'
                      '[people]\n"Kim" = "kim@example.com"\n', "utf-8")  # fmt: skip
    out = tmp_path / "out"
    result = run("remind", str(source), "--as-of", AS_OF.isoformat(), "--people", str(config),
                 "--dry-run", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (out / "kim@example.com.eml").is_file()
    assert "Kim" not in result.stderr


def test_a_people_file_with_a_mistake_exits_2(tmp_path: Path) -> None:
    """A name given something that is not an address: exit 2, the file and line named."""
    people = tmp_path / "people.toml"
    people.write_text('"Lee" = "lee@example.com"\n"Kim" = "kim at example"\n', "utf-8")
    result = run("remind", str(tmp_path / "missing.xlsx"), "--people", str(people),
                 "--dry-run", "-o", str(tmp_path / "out"))  # fmt: skip
    assert result.exit_code == 2
    assert f"{people}:2: [people] Kim must be one email address" in result.stderr


def test_a_user_without_a_password_exits_2_before_reading(tmp_path: Path) -> None:
    """--smtp-user without SHEETS_OKR_SMTP_PASSWORD: exit 2 before the source is read."""
    from tests.support.reminders import people_rows, tracker

    source = tracker(tmp_path / "okrs.xlsx", people=people_rows())
    for path in (source, tmp_path / "missing.xlsx"):
        result = run("remind", str(path), "--as-of", "2026-11-30", "--from", "bot@example.com",
                     "--smtp-host", "127.0.0.1", "--smtp-user", "bot")  # fmt: skip
        assert result.exit_code == 2, result.output
        assert "set SHEETS_OKR_SMTP_PASSWORD to the SMTP password of bot" in result.stderr
    assert not (tmp_path / "state" / "unsent").exists()
