"""`sheets-okr run` on its reminder day and its summary day: real trackers synced in their own
processes, aiosmtpd with TLS on 127.0.0.1, the sent-log in a private state folder."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_okr.actions.run import RunOptions, run
from sheets_okr.cli import cli
from sheets_okr.config.load import load_config
from tests.support.reminders import body, people_rows, tracker
from tests.support.run_configs import (
    email_table,
    received,
    run_cli,
    run_environment,
    tabs,
    write_config,
)
from tests.support.smtp import PASSWORD, USER, Certificates, Server, parse_eml

FRIDAY = "2026-12-04"  # run_cli's as-of date, 2026-11-30, is a Monday
SCHEDULE = '[reminders]\nday = "monday"\n'


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    run_environment(tmp_path, monkeypatch, certs)


def config(
    tmp_path: Path,
    port: int,
    people: str = '[people]\n"Kim" = "kim@example.com"\n"Lee" = "lee@example.com"\n',
) -> Path:
    """Two trackers, Growth with a People tab and Brand without; reminders on Mondays, the
    summary on Fridays; [people] gives Kim, and Lee for Brand."""
    tracker(tmp_path / "growth.xlsx", people=people_rows())
    tracker(tmp_path / "brand.xlsx", "Brand")
    extra = email_table(port, 'day = "friday"\n') + SCHEDULE + people
    return write_config(tmp_path, [("Growth", "growth.xlsx"), ("Brand", "brand.xlsx")], extra)


def test_on_reminder_day_each_owner_gets_one_email_and_no_summary(
    tmp_path: Path, smtp: Server
) -> None:
    """On reminder day each owner gets one email, no summary goes, and the run is silent."""
    result = run_cli(config(tmp_path, smtp.port))
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    messages = {str(m["To"]): m for m in received(smtp)}
    assert sorted(messages) == ["Kim <kim@example.com>", "Lee <lee@example.com>"]
    lee = body(messages["Lee <lee@example.com>"])
    assert "== Growth" in lee
    assert "== Brand" in lee
    assert lee.count("Update '2026-Q4'!") == 4
    assert all(PASSWORD not in str(m) for m in messages.values())


def test_a_second_run_on_the_same_day_sends_nothing(tmp_path: Path, smtp: Server) -> None:
    """The sent-log remembers each owner for the as-of date; -v says so."""
    path = config(tmp_path, smtp.port)
    assert run_cli(path).exit_code == 0
    again = run_cli(path, verbose=1)
    assert again.exit_code == 0, again.output
    assert len(received(smtp)) == 2
    assert "2 already reminded" in again.stderr


def test_an_owner_without_an_address_is_named_once(tmp_path: Path, smtp: Server) -> None:
    """Kim, and Brand's Lee (Brand has no People tab), are named once as a warning; Growth's
    Lee is still reminded, exit 0."""
    result = run_cli(config(tmp_path, smtp.port, people=""))
    assert result.exit_code == 0, result.output
    assert [str(m["To"]) for m in received(smtp)] == ["Lee <lee@example.com>"]
    assert result.stderr.count("Kim") == 1
    assert "sheets-okr: warning: reminders: no email address for " in result.stderr
    assert "Kim (2 key results in Growth, Brand), Lee (2 key results in Brand)" in result.stderr


def test_on_summary_day_the_summary_goes_and_no_reminder(tmp_path: Path, smtp: Server) -> None:
    """A Friday run sends the summary to its recipients and reminds nobody."""
    result = run_cli(config(tmp_path, smtp.port), "--as-of", FRIDAY)
    assert result.exit_code == 0, result.output
    messages = received(smtp)
    assert len(messages) == 1
    assert "ceo@example.com" in str(messages[0]["To"])


def test_a_dry_run_keeps_the_reminders_as_files(tmp_path: Path, smtp: Server) -> None:
    """A dry run with --remind-dir writes one .eml per owner, sends nothing, and says how many."""
    folder = tmp_path / "reminders"
    result = run_cli(config(tmp_path, smtp.port), "--dry-run", "--remind-dir", str(folder))
    assert result.exit_code == 0, result.output
    assert received(smtp) == []
    assert sorted(p.name for p in folder.iterdir()) == ["kim@example.com.eml",
                                                        "lee@example.com.eml"]  # fmt: skip
    assert parse_eml(folder / "kim@example.com.eml")["From"] == "OKR bot <okr-bot@example.com>"
    assert "would remind 2 owners" in result.stdout


def test_an_owner_reminded_by_remind_is_not_reminded_again_by_run(
    tmp_path: Path, smtp: Server
) -> None:
    """`remind growth.xlsx` reminds Lee; the run the same day reminds only Kim."""
    path = config(tmp_path, smtp.port)
    argv = ["remind", str(tmp_path / "growth.xlsx"), "--as-of", "2026-11-30",
            "--from", "okr-bot@example.com", "--smtp-host", "127.0.0.1",
            "--smtp-port", str(smtp.port), "--smtp-user", USER]  # fmt: skip
    env = {"SHEETS_OKR_SMTP_PASSWORD": PASSWORD}
    first = CliRunner().invoke(cli, argv, prog_name="sheets-okr", env=env)
    assert first.exit_code == 0, first.output
    assert run_cli(path).exit_code == 0
    assert [str(m["To"]) for m in received(smtp)] == ["Lee <lee@example.com>",
                                                      "Kim <kim@example.com>"]  # fmt: skip


def test_the_run_report_names_the_unreached_on_every_day(tmp_path: Path, smtp: Server) -> None:
    """The run's lines (-v, the healthcheck's body) name owners without an address once, on
    a summary day as on a reminder day."""
    loaded = load_config(
        config(tmp_path, smtp.port, people='[people]\n"Lee" = "lee@example.com"\n')
    )
    friday = run(loaded, RunOptions(dt.date.fromisoformat(FRIDAY), dry_run=True))
    assert friday.reminders is None
    monday = run(loaded, RunOptions(dt.date(2026, 11, 30), dry_run=True))
    for report in (friday, monday):
        text = "\n".join(report.lines())
        assert text.count("Kim") == 1
        assert ("warning: reminders: no email address for Kim (2 key results in Growth, Brand):"
                " add them to a People tab") in text  # fmt: skip
    assert any(line.startswith("ok: reminders: would remind 1 owner") for line in monday.lines())


def test_the_run_verbose_output_names_the_unreached_on_a_summary_day(
    tmp_path: Path, smtp: Server
) -> None:
    """`run -v` on a summary day names Kim, without an address, once on stderr."""
    result = run_cli(config(tmp_path, smtp.port, people=""), "--as-of", FRIDAY, verbose=1)
    assert result.exit_code == 0, result.output
    assert result.stderr.count("no email address for Kim (2 key results") == 1


def test_force_alone_sends_the_summary_again_but_no_reminder(tmp_path: Path, smtp: Server) -> None:
    """`run --force --summary` re-sends the summary, not the reminders; `--force --remind` does."""
    path = config(tmp_path, smtp.port)
    assert run_cli(path, "--summary").exit_code == 0
    assert len(received(smtp)) == 3  # the summary and two reminders
    forced = run_cli(path, "--summary", "--force")
    assert forced.exit_code == 0, forced.output
    assert ["ceo@example.com" in str(m["To"]) for m in received(smtp)[3:]] == [True]
    again = run_cli(path, "--force", "--remind")
    assert again.exit_code == 0, again.output
    assert sorted(str(m["To"]) for m in received(smtp)[4:]) == [
        "Kim <kim@example.com>", "Lee <lee@example.com>",
    ]  # fmt: skip


def test_a_bug_in_planning_the_reminders_fails_the_reminders_alone(
    tmp_path: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A bug in plan_reminders is said as the reminders' failure; the summary still goes."""
    import sheets_okr.actions.run as run_module

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(run_module, "plan_reminders", broken)
    result = run_cli(config(tmp_path, smtp.port), "--summary")
    assert result.exit_code == 1, result.output
    assert "reminders: no reminders: unexpected error: RuntimeError: a bug" in result.stderr
    assert ["ceo@example.com" in str(m["To"]) for m in received(smtp)] == [True]


def test_remind_without_an_email_table_is_refused_before_the_run(tmp_path: Path) -> None:
    """`run --remind` with no [email] exits 2 before any tracker is synced."""
    tracker(tmp_path / "growth.xlsx", people=people_rows())
    path = write_config(tmp_path, [("Growth", "growth.xlsx")])
    result = run_cli(path, "--remind")
    assert result.exit_code == 2
    assert "--remind needs an [email] table" in result.stderr
    assert "Summary" not in tabs(tmp_path / "growth.xlsx")  # not synced


def test_summary_sends_the_summary_on_another_day(tmp_path: Path, smtp: Server) -> None:
    """On a Monday, --summary sends the summary too, beside the two reminders."""
    result = run_cli(config(tmp_path, smtp.port), "--summary")
    assert result.exit_code == 0, result.output
    to = sorted(str(m["To"]) for m in received(smtp))
    assert len(to) == 3
    assert any("ceo@example.com" in address for address in to)
