"""The run as a function: what stops it early, and what a failing step leaves behind."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sheets_okr.actions import run as pipeline
from sheets_okr.actions import send as send_once
from sheets_okr.actions.run import RunOptions, run
from sheets_okr.config.load import ConfigError, load_config
from sheets_okr.deliver.lock import run_lock
from sheets_okr.errors import EXIT_TEMPORARY, TemporaryFailure
from sheets_okr.summary.phrases import Phrases
from tests.support.ping_server import (
    TOKEN,
    PingServer,
)
from tests.support.run_configs import AS_OF, small_tracker, tabs, write_config


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder (lock, sent-log) in tmp_path."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))


def test_a_run_checks_each_tracker_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plan checks of a sync (its Checks tab) also feed the summary: one lint a tracker."""
    import multiprocessing

    from sheets_okr.actions import lint
    from sheets_okr.lint.checks import lint_tracker

    small_tracker(tmp_path / "a.xlsx", "A")
    small_tracker(tmp_path / "b.xlsx", "B")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("B", "b.xlsx")]))
    # Each tracker syncs in a forked process of its own: count in shared memory.
    checked = multiprocessing.get_context("fork").Value("i", 0)

    def counted(*args: Any, **kwargs: Any) -> Any:
        with checked.get_lock():
            checked.value += 1
        return lint_tracker(*args, **kwargs)

    monkeypatch.setattr(lint, "lint_tracker", counted)
    report = run(config, RunOptions(AS_OF, report=tmp_path / "summary.html"))
    assert report.exit_code == 0, report.lines()
    assert checked.value == 2
    assert "Grow B" in (tmp_path / "summary.html").read_text("utf-8")


def test_a_bug_in_the_summary_keeps_the_sync_results(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The summary crashes: trackers stay synced, the report says why, exit 1, traceback."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")]))

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise KeyError("chart")

    monkeypatch.setattr(pipeline, "summarise_run", broken)
    report = run(config, RunOptions(AS_OF))
    assert report.email == "no summary: unexpected error: KeyError: 'chart'"
    assert report.exit_code == 1
    assert "Summary" in tabs(tmp_path / "a.xlsx")
    assert "Traceback" in caplog.text


def test_a_run_refused_by_the_lock_pings_nothing(tmp_path: Path, ping_server: PingServer) -> None:
    """Lock held: TemporaryFailure (75) before any ping or sync."""
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = f'[healthcheck]\nurl = "{ping_server.url}"\n'
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], extra))
    with run_lock(), pytest.raises(TemporaryFailure) as caught:
        run(config, RunOptions(AS_OF))
    assert caught.value.exit_code == EXIT_TEMPORARY
    assert ping_server.pings == []
    assert "Summary" not in tabs(tmp_path / "a.xlsx")


def test_an_unwritable_page_fails_the_run_after_pinging_the_failure(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """-o into a folder that is not there: the syncs count, the run exits 1, the check hears."""
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = f'[healthcheck]\nurl = "{ping_server.url}"\n'
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], extra))
    report = run(config, RunOptions(AS_OF, report=tmp_path / "missing" / "summary.html"))
    assert report.exit_code == 1
    assert report.email is not None
    assert report.email.startswith("no summary: ")
    assert ping_server.paths == ["/start", "/1"]


def test_a_missing_password_is_a_configuration_error_before_anything(tmp_path: Path) -> None:
    """[email] user set, its variable unset: ConfigError (exit 2) before the lock and syncs."""
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = ('[email]\nhost = "h"\nuser = "bot"\npassword_env = "NOT_SET_ANYWHERE_1234"\n'
             'from = "bot@example.com"\nto = ["ceo@example.com"]\n')  # fmt: skip
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], extra))
    with pytest.raises(ConfigError, match="NOT_SET_ANYWHERE_1234"):
        run(config, RunOptions(AS_OF))
    assert not (tmp_path / "state" / "run.lock").exists()
    assert run(config, RunOptions(AS_OF, send_email=False)).exit_code == 0  # --no-email


def test_a_garbled_healthcheck_answer_never_fails_the_run(
    tmp_path: Path, ping_server: PingServer, caplog: pytest.LogCaptureFixture
) -> None:
    """The check answers `garbage` (http.client's BadStatusLine, not an OSError): the run
    exits 0, both pings were tried, the warning names the error's type only."""
    ping_server.raw = b"garbage\r\n\r\n"
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = f'[healthcheck]\nurl = "{ping_server.url}"\n'
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], extra))
    report = run(config, RunOptions(AS_OF))
    assert report.exit_code == 0
    assert ping_server.paths == ["/start", "/"]
    assert "(BadStatusLine); the run goes on" in caplog.text
    assert TOKEN not in caplog.text


def test_a_sent_log_that_cannot_be_written_does_not_fail_the_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The email went out, then remembering it failed: a warning, and the run succeeded."""
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = '[email]\nhost = "h"\nfrom = "bot@example.com"\nto = ["ceo@example.com"]\n'
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], extra))
    sent: list[str] = []

    def deliver(message: Any, settings: Any) -> None:
        sent.append(str(message["Subject"]))

    def full_disk(*args: Any) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(send_once, "send", deliver)
    monkeypatch.setattr(send_once, "remember_sent", full_disk)
    report = run(config, RunOptions(AS_OF))
    assert len(sent) == 1
    assert report.exit_code == 0
    assert report.email is not None
    assert report.email.startswith("sent ")
    assert "the summary was sent, but the sent-log could not be updated" in caplog.text


def test_a_missing_google_key_stops_the_run_before_anything(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """A Google Sheet tracker and [google] credentials naming no file: ConfigError (exit 2)
    with the line, before the lock, a ping or any sync (a dry run too)."""
    small_tracker(tmp_path / "a.xlsx", "A")
    extra = (f'[google]\ncredentials = "key.json"\n[healthcheck]\nurl = "{ping_server.url}"\n'
             '[[tracker]]\nname = "K"\nsource = "gsheet:1AbCdEfGhIjKlMnOp"\n')  # fmt: skip
    path = write_config(tmp_path, [("A", "a.xlsx")], extra)
    config = load_config(path)
    for options in (RunOptions(AS_OF), RunOptions(AS_OF, dry_run=True)):
        with pytest.raises(ConfigError, match=rf"^{path}:6: \[google\] credentials .*key\.json"):
            run(config, options)
    assert ping_server.pings == []
    assert not (tmp_path / "state" / "run.lock").exists()
    assert "Summary" not in tabs(tmp_path / "a.xlsx")


def test_the_summary_is_dated_on_the_configured_clock(tmp_path: Path) -> None:
    """The "Generated" date is today in time_zone, not on the machine's clock."""
    local = dt.date.today()
    zone = next(z for z in ("Pacific/Kiritimati", "Pacific/Pago_Pago")
                if dt.datetime.now(ZoneInfo(z)).date() != local)  # fmt: skip
    small_tracker(tmp_path / "a.xlsx", "A")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx")], head=f'time_zone = "{zone}"'))
    page = tmp_path / "summary.html"
    run(config, RunOptions(AS_OF, dry_run=True, report=page))
    today = dt.datetime.now(ZoneInfo(zone)).date()
    assert f"Generated {Phrases('en').date(today)}" in page.read_text("utf-8")
