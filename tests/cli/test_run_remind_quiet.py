"""`sheets-okr run` on its reminder day under cron: quiet when all went well, and each real
problem of a sheet said once, as a warning naming its tracker; aiosmtpd on 127.0.0.1."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.support.reminders import people_rows, tracker
from tests.support.run_configs import email_table, received, run_cli, run_environment, write_config
from tests.support.smtp import Certificates, Server

SCHEDULE = '[reminders]\nday = "monday"\n'  # run_cli's as-of date, 2026-11-30, is a Monday
KIM_CELL = "Growth: People!C9: 'kim@example' is not an email address"


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    run_environment(tmp_path, monkeypatch, certs)


def config(tmp_path: Path, port: int, growth: list[list[Any]], people: str = "") -> Path:
    """Growth (People tab `growth`) and Brand, whose People tab lists everybody well but Pat
    (who owns nothing); reminders on Mondays, the summary on Fridays."""
    tracker(tmp_path / "growth.xlsx", people=growth)
    brand = [*people_rows(), ["Kim", "Content", "kim@example.com"], ["Pat", "Ops", "pat.example"]]
    tracker(tmp_path / "brand.xlsx", "Brand", people=brand)
    extra = email_table(port, 'day = "friday"\n') + SCHEDULE + people
    return write_config(tmp_path, [("Growth", "growth.xlsx"), ("Brand", "brand.xlsx")], extra)


def test_a_second_reminder_run_with_nothing_to_send_is_silent(tmp_path: Path, smtp: Server) -> None:
    """Everyone reachable: both runs of the day print nothing; -v alone gives the count."""
    path = config(tmp_path, smtp.port, [*people_rows(), ["Kim", "Content", "kim@example.com"]])
    first, again = run_cli(path), run_cli(path)
    assert (first.exit_code, first.output) == (0, "")
    assert (again.exit_code, again.output) == (0, "")
    assert len(received(smtp)) == 2
    verbose = run_cli(path, verbose=1)
    assert verbose.exit_code == 0, verbose.output
    assert "sheets-okr: reminders: reminded 0 owners; 2 already reminded" in verbose.stderr
    assert "warning" not in verbose.stderr


def test_a_bad_people_cell_of_an_owner_is_one_warning_naming_its_tracker(
    tmp_path: Path, smtp: Server
) -> None:
    """Kim's bad Growth cell is one warning naming Growth, each run; Pat's (no KRs) is unsaid."""
    growth = [*people_rows(), ["Kim", "Content", "kim@example"], ["Pat", "Ops", "pat at example"]]
    path = config(tmp_path, smtp.port, growth)
    for _ in range(2):
        result = run_cli(path)
        assert result.exit_code == 0, result.output
        assert result.stdout == ""
        assert result.stderr.splitlines() == [
            f"sheets-okr: warning: reminders: {KIM_CELL} (in ASCII); Kim is not reminded until"
            " it is one"
        ]
    # Kim is still reminded of Brand's key results, by Brand's People tab; once each.
    assert sorted(str(m["To"]) for m in received(smtp)) == ["Kim <kim@example.com>",
                                                           "Lee <lee@example.com>"]  # fmt: skip


def test_an_owner_without_an_address_is_warned_on_each_reminder_run(
    tmp_path: Path, smtp: Server
) -> None:
    """Kim, without an address, is one warning on each reminder run; a summary day is silent."""
    path = config(tmp_path, smtp.port, people_rows())
    expected = [
        "sheets-okr: warning: reminders: no email address for Kim (1 key result in Growth): add"
        " them to a People tab (Name, Email) or to [people] in the configuration"
    ]
    for _ in range(2):
        result = run_cli(path)
        assert (result.exit_code, result.stdout) == (0, ""), result.output
        assert result.stderr.splitlines() == expected
    friday = run_cli(path, "--as-of", "2026-12-04", "--no-email")
    assert (friday.exit_code, friday.output) == (0, "")


def test_ssl_against_a_starttls_server_fails_the_reminders_with_the_fix(
    tmp_path: Path, smtp: Server
) -> None:
    """[email] security = "ssl" on a STARTTLS port: exit 1 (not 75), the fix named."""
    tracker(tmp_path / "growth.xlsx", people=people_rows())
    extra = email_table(smtp.port, 'security = "ssl"\n') + SCHEDULE
    result = run_cli(write_config(tmp_path, [("Growth", "growth.xlsx")], extra))
    assert result.exit_code == 1, result.output
    assert "the server does not speak TLS on this port" in result.stderr
    assert 'security = "starttls" in [email]' in result.stderr
    assert received(smtp) == []
