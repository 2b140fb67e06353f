"""`report` and `email` through the command line: the options they refuse, the folders they
cannot write to, and plans whose cells the summary must show however odd they are."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli
from tests.support.smtp import free_port, parse_eml
from tests.support.workbooks import small_rows, write_workbook

AS_OF = "2026-11-30"
# /sys refuses new files with EACCES even to root (sysfs creates no files on request), so it
# stands for an unwritable folder where permission bits would not stop root.
UNWRITABLE = Path("/sys")


@pytest.fixture(autouse=True)
def _no_smtp_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder in tmp_path, and no SMTP settings leaking in from the environment."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM", "CA_FILE"):
        monkeypatch.delenv(f"SHEETS_OKR_SMTP_{name}", raising=False)


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    """`sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr", env=env)


def plan(tmp_path: Path, rows: list[list[Any]] | None = None, **options: Any) -> Path:
    """The sample plan (or `rows`) as a real workbook."""
    return write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": rows or small_rows()}, **options)


def page_text(path: Path) -> str:
    """The text of a report page, tags removed and spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", path.read_text("utf-8"))
    return " ".join(html.unescape(text).split())


# --- folders that cannot be written ------------------------------------------------------


@pytest.fixture(name="unwritable")
def _unwritable() -> Path:
    """A folder that refuses new files to this process, root included."""
    probe = UNWRITABLE / ".sheets-okr-probe"
    if not UNWRITABLE.is_dir():
        pytest.skip(f"no {UNWRITABLE} here")
    try:
        probe.touch()
    except OSError:
        return UNWRITABLE
    probe.unlink()
    pytest.skip(f"{UNWRITABLE} takes new files here")


@pytest.mark.parametrize("command", ["report", "email"])
def test_an_output_in_an_unwritable_folder_names_the_folder(
    tmp_path: Path, unwritable: Path, command: str
) -> None:
    """`report -o` and `email -o` into a folder that refuses new files exit 1 with a sentence
    naming the folder and what to do, never the hidden temporary file."""
    extra = ["--to", "ceo@example.com", "--dry-run"] if command == "email" else []
    name = "summary.eml" if command == "email" else "summary.html"
    result = run(command, str(plan(tmp_path)), "-o", str(unwritable / name), "--as-of", AS_OF,
                 *extra)  # fmt: skip
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"sheets-okr: cannot write {name}: the folder {unwritable} is not writable (permission"
        " denied); give this user write access to it, or use a folder you can write to\n"
    )


# --- addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--to", "not-an-email", "is not an email address"),
        ("--to", "ceo@", "is not an email address"),
        ("--to", "ceo@example", "is not an email address"),
        ("--to", "ceo@@example.com", "is not an email address"),
        ("--to", "ceo@example.com junk", "is not an email address"),
        ("--to", "ceo@example.com, cfo@example.com", "holds several addresses; give --to once"),
        ("--to", "ceo@example.com\nBcc: all@example.com", "holds a control character"),
        ("--from", "okr bot", "is not an email address"),
    ],
)
def test_an_address_that_is_not_one_is_refused(
    tmp_path: Path, option: str, value: str, said: str
) -> None:
    """A --to or --from that is not one email address exits 2 naming it, before the workbook
    is read (the workbook here does not even exist)."""
    args = {"--to": "ceo@example.com", "--from": "okr-bot@example.com", option: value}
    result = run("email", str(tmp_path / "absent.xlsx"), "--to", args["--to"],
                 "--from", args["--from"], "--dry-run", "-o", str(tmp_path / "x.eml"))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"sheets-okr: {option} {value!r} {said}")
    assert "absent.xlsx" not in result.stderr
    assert not (tmp_path / "x.eml").exists()


def test_every_recipient_is_checked(tmp_path: Path) -> None:
    """The bad one of several --to is the one named."""
    result = run("email", str(plan(tmp_path)), "--to", "ceo@example.com", "--to", "cfo",
                 "--dry-run", "-o", str(tmp_path / "x.eml"))  # fmt: skip
    assert result.exit_code == 2
    assert "--to 'cfo' is not an email address; give one such as ceo@example.com" in result.stderr


def test_addresses_with_a_display_name_are_taken(tmp_path: Path) -> None:
    """`CEO <ceo@example.com>` is one address, and goes into the email as written."""
    eml = tmp_path / "x.eml"
    result = run("email", str(plan(tmp_path)), "--to", "CEO <ceo@example.com>",
                 "--from", "OKR bot <okr-bot@example.com>", "--dry-run", "-o", str(eml),
                 "--as-of", AS_OF)  # fmt: skip
    assert result.exit_code == 0, result.output
    message = parse_eml(eml)
    assert message["To"] == "CEO <ceo@example.com>"
    assert message["From"] == "OKR bot <okr-bot@example.com>"


# --- the sender --------------------------------------------------------------------------


def test_sending_needs_a_sender(tmp_path: Path) -> None:
    """A real send without --from or SHEETS_OKR_SMTP_FROM exits 2 saying how to give one,
    before any server is contacted, instead of sending as a made-up sheets-okr@localhost."""
    result = run("email", str(plan(tmp_path)), "--to", "ceo@example.com", "--as-of", AS_OF,
                 "--smtp-host", "127.0.0.1", "--smtp-port", str(free_port()))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stderr == (
        "sheets-okr: sending needs a sender address: give --from okr-bot@example.com or set"
        " SHEETS_OKR_SMTP_FROM (only --dry-run goes without)\n"
    )
    assert not (tmp_path / "state").exists()  # nothing was kept: nothing was attempted


def test_the_sender_may_come_from_the_environment(tmp_path: Path) -> None:
    """SHEETS_OKR_SMTP_FROM is a sender: with it the send is tried (and here, with nobody
    listening, fails as unreachable: exit 75)."""
    port = str(free_port())
    result = run("email", str(plan(tmp_path)), "--to", "ceo@example.com", "--as-of", AS_OF,
                 "--smtp-host", "127.0.0.1", "--smtp-port", port,
                 env={"SHEETS_OKR_SMTP_FROM": "okr-bot@example.com"})  # fmt: skip
    assert result.exit_code == 75, result.output
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.stderr


def test_a_dry_run_needs_no_sender(tmp_path: Path) -> None:
    """--dry-run without --from still writes the .eml, from a placeholder nobody sends as."""
    eml = tmp_path / "x.eml"
    result = run("email", str(plan(tmp_path)), "--to", "ceo@example.com", "--dry-run",
                 "-o", str(eml), "--as-of", AS_OF)  # fmt: skip
    assert result.exit_code == 0, result.output
    assert parse_eml(eml)["From"] == "sheets-okr@localhost"


def test_the_help_no_longer_shows_a_default_sender() -> None:
    """`email --help` says a sender is needed to send and shows no made-up default."""
    result = run("email", "--help")
    assert result.exit_code == 0
    assert "sheets-okr@localhost" not in result.stdout
    assert "Sender address, needed to send (not for" in result.stdout
    assert "--from okr-bot@example.com" in result.stdout  # the example sends, so it has one


# --- numbers and cells the summary must show ---------------------------------------------


def test_a_huge_target_is_written_in_scientific_notation(tmp_path: Path) -> None:
    """A Target of 1e27 (Babel's decimal rounding used to raise InvalidOperation) is shown
    as 1E27, and the report is written."""
    rows = small_rows()
    rows[2][6] = 1e27  # "Grow visits from 20 to 30": Target
    output = tmp_path / "summary.html"
    result = run("report", str(plan(tmp_path, rows)), "-o", str(output), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "from 20 to 1E27 visits, now 25" in page_text(output)  # the unit said once


def test_odd_cells_show_as_text_in_the_report(tmp_path: Path) -> None:
    """Booleans, dates, numbers and error cells in Title, Owner, Team and Unit never end the
    report: what can be read shows as text, an error cell is named in the plan checks."""
    rows = small_rows()
    rows[1][2] = True  # objective Owner: a boolean
    rows[1][3] = dt.datetime(2026, 10, 1)  # objective Team: a date
    rows[4][1] = dt.datetime(2026, 12, 1)  # key result Title: a date
    rows[4][2] = 42  # key result Owner: a number
    rows[4][8:] = [False]  # key result Unit: a boolean
    rows[2][2] = "#REF!"  # key result Owner: an error cell
    workbook = plan(tmp_path, rows, errors={"2026-Q4": ["C3"]})
    output = tmp_path / "summary.html"
    result = run("report", str(workbook), "-o", str(output), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    text = page_text(output)
    assert "2026-12-01" in text  # the date typed as a title
    assert "42 · from 180 to 120 False, now 150" in text
    # The plan check names its key result, not the cell (lint and the Checks tab have it).
    assert "Grow visits from 20 to 30: Owner is the error #REF!, expected text" in text
