"""Syncing every tracker of a configuration: each failure stays with its tracker."""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import time
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.actions import sync as service
from sheets_okr.actions import trackers as runner
from sheets_okr.actions.trackers import MAX_WORKERS, combine, sync_trackers
from sheets_okr.cli.run_process import Terminated, sigterm_ends_the_run
from sheets_okr.config.load import load_config
from sheets_okr.errors import TemporaryFailure
from sheets_okr.model.outcome import Outcome
from tests.support.run_configs import (
    AS_OF,
    example_tracker,
    no_okr_tabs,
    small_tracker,
    tabs,
    unreadable_cells,
    write_config,
)

TOOL_TABS = {"Summary", "History", "Checks"}


def test_one_broken_tracker_does_not_stop_the_other_two(tmp_path: Path) -> None:
    """Three trackers, the middle one without OKR tabs: two synced, one failed, exit 1."""
    example_tracker(tmp_path / "growth.xlsx")
    no_okr_tabs(tmp_path / "brand.xlsx")
    small_tracker(tmp_path / "korea.xlsx", "Korea")
    config = load_config(write_config(tmp_path, [
        ("Growth", "growth.xlsx"), ("Brand", "brand.xlsx"), ("Korea", "korea.xlsx"),
    ]))  # fmt: skip
    report = sync_trackers(config, as_of=AS_OF)
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED, Outcome.OK]
    assert set(tabs(tmp_path / "growth.xlsx")) >= TOOL_TABS
    assert set(tabs(tmp_path / "korea.xlsx")) >= TOOL_TABS
    assert tabs(tmp_path / "brand.xlsx") == ["Notes"]
    (failed,) = report.failed
    assert failed.name == "Brand"
    assert "no OKR tab found" in failed.message
    assert failed.result is None
    assert report.exit_code == 1
    assert report.trackers[0].message.startswith("wrote ")


def test_a_missing_file_fails_its_tracker_only(tmp_path: Path) -> None:
    """A source that is not there is that tracker's failure, with the path in the message."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("Gone", "gone.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF)
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert "gone.xlsx" in report.trackers[1].message
    assert report.exit_code == 1  # a tracker failed; the run itself was called right


def test_a_workbook_open_in_excel_is_a_temporary_failure(tmp_path: Path) -> None:
    """Excel's lock file beside a tracker: that tracker fails with 75, and so does the run."""
    small_tracker(tmp_path / "a.xlsx", "A")
    small_tracker(tmp_path / "b.xlsx", "B")
    (tmp_path / "~$b.xlsx").write_bytes(b"owner")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("B", "b.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF)
    assert [t.exit_code for t in report.trackers] == [0, 75]
    assert "open in Excel" in report.trackers[1].message
    assert report.exit_code == 75  # every failure is worth retrying


def test_unreadable_cells_leave_the_workbook_untouched(tmp_path: Path) -> None:
    """A Target that is not a number: PROBLEMS, exit 1, nothing written, cell named."""
    path = unreadable_cells(tmp_path / "brand.xlsx")
    before = path.read_bytes()
    config = load_config(write_config(tmp_path, [("Brand", "brand.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF)
    (run,) = report.trackers
    assert run.outcome is Outcome.PROBLEMS
    assert run.exit_code == 1
    assert run.message.startswith("1 cell could not be read, nothing written (first: ")
    assert 'Target "thirty" is not a number' in run.message
    assert run.scored is not None  # still scored, for the summary
    assert path.read_bytes() == before


def test_allow_problems_writes_the_readable_rows(tmp_path: Path) -> None:
    """allow_problems = true: written, so PARTIAL (synced), not PROBLEMS; the line says what
    was written and which cells were left out; the run still exits 1."""
    path = unreadable_cells(tmp_path / "brand.xlsx")
    config_file = tmp_path / "sheets-okr.toml"
    config_file.write_text('[[tracker]]\nname = "Brand"\nsource = "brand.xlsx"\n'
                           "allow_problems = true\n")  # fmt: skip
    report = sync_trackers(load_config(config_file), as_of=AS_OF)
    (run,) = report.trackers
    assert run.outcome is Outcome.PARTIAL
    assert run.outcome.synced
    assert run.message.startswith("wrote ")
    written = " cells and the tabs Summary, History, Checks to brand.xlsx; 1 cell could not"
    assert written + " be read, those rows left out (first: " in run.message
    assert run.cells.startswith("1 cell could not be read, those rows left out")
    assert run.exit_code == 1
    assert report.exit_code == 1
    assert "Summary" in tabs(path)


def test_a_dry_run_writes_nothing(tmp_path: Path) -> None:
    """--dry-run: every tracker read and planned, no file changed."""
    paths = [example_tracker(tmp_path / "a.xlsx"), small_tracker(tmp_path / "b.xlsx", "B")]
    before = [p.read_bytes() for p in paths]
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("B", "b.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    assert [p.read_bytes() for p in paths] == before
    assert all(t.outcome is Outcome.OK for t in report.trackers)
    assert all(t.message.startswith("would write ") for t in report.trackers)
    assert report.dry_run


def test_an_unexpected_error_is_logged_and_kept_to_its_tracker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A bug while syncing one tracker: that tracker fails with the traceback logged."""
    small_tracker(tmp_path / "a.xlsx", "A")
    small_tracker(tmp_path / "b.xlsx", "B")
    real = service.sync_source

    def buggy(source: str, *args: Any) -> Any:
        if source.endswith("b.xlsx"):
            raise ZeroDivisionError("division by zero")
        return real(source, *args)

    monkeypatch.setattr(runner, "sync_source", buggy)
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("B", "b.xlsx")]))
    with caplog.at_level(logging.ERROR):
        report = sync_trackers(config, as_of=AS_OF)
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == "unexpected error: ZeroDivisionError: division by zero"
    assert "Traceback" in caplog.text
    assert report.exit_code == 1


def test_trackers_are_synced_concurrently_within_the_bound(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Eight slow trackers: several at once, never more than MAX_WORKERS."""
    shared = multiprocessing.get_context("fork")  # counters the trackers' processes share
    running = shared.Value("i", 0)
    peak = shared.Value("i", 0)

    def slow(source: str, *options: Any) -> Any:
        with running.get_lock():
            running.value += 1
            peak.value = max(peak.value, running.value)
        safety = time.monotonic() + 30
        while peak.value < MAX_WORKERS and time.monotonic() < safety:
            time.sleep(0.01)  # the first ones wait for company
        time.sleep(0.2)  # room for one more to start, were the bound not kept
        with running.get_lock():
            running.value -= 1
        raise TemporaryFailure(f"{Path(source).name}: quota")

    monkeypatch.setattr(runner, "sync_source", slow)
    names = [(f"T{i}", f"t{i}.xlsx") for i in range(8)]
    config = load_config(write_config(tmp_path, names))
    report = sync_trackers(config, as_of=AS_OF)
    assert peak.value == MAX_WORKERS
    assert [t.name for t in report.trackers] == [n for n, _ in names]  # in configured order
    assert [t.message for t in report.trackers] == [f"t{i}.xlsx: quota" for i in range(8)]
    assert report.exit_code == 75


def test_exit_codes_combine_per_the_contract() -> None:
    """0 when all are 0; 75 when every failure is temporary; 1 for any other mix."""
    assert combine([0, 0]) == 0
    assert combine([0, 75, 75]) == 75
    assert combine([75, 1]) == 1
    assert combine([]) == 0


def test_a_trackers_usage_error_is_a_failed_run_not_a_bad_call() -> None:
    """A tracker's missing file or unshared sheet fails the run with 1; 2 is for the run's
    own configuration, found before any tracker starts."""
    assert combine([2, 0]) == 1
    assert combine([2, 2, 0]) == 1
    assert combine([2, 75]) == 1
    assert combine([2, 1]) == 1


def test_a_stopped_run_starts_no_other_tracker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SIGTERM while the run waits (the real handler's SystemExit) comes out at once: queued
    trackers never start, and the processes of those under way are killed, not waited for."""
    marks = tmp_path / "marks"
    marks.mkdir()
    run_pid = os.getpid()

    def slow(source: str, *options: Any) -> Any:
        (marks / f"{os.getpid()}.started").touch()
        if len(list(marks.glob("*.started"))) == MAX_WORKERS:
            with contextlib.suppress(FileExistsError):  # two may count four; one signals
                (marks / "signalled").touch(exist_ok=False)
                os.kill(run_pid, signal.SIGTERM)
        time.sleep(60)  # only a run that waited for it would see it end
        (marks / f"{os.getpid()}.finished").touch()
        raise TemporaryFailure("quota")

    monkeypatch.setattr(runner, "sync_source", slow)
    config = load_config(write_config(tmp_path, [(f"T{i}", f"t{i}.xlsx") for i in range(8)]))
    with sigterm_ends_the_run(), pytest.raises(Terminated):
        sync_trackers(config, as_of=AS_OF)
    started = [int(mark.stem) for mark in marks.glob("*.started")]
    assert len(started) == MAX_WORKERS
    assert list(marks.glob("*.finished")) == []
    for pid in started:  # killed and reaped: none left running, none a zombie
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_report_has_one_line_per_tracker(tmp_path: Path) -> None:
    """lines(): outcome, name and message, as the healthcheck body shows them."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = load_config(write_config(tmp_path, [("A", "a.xlsx"), ("Gone", "gone.xlsx")]))
    lines = sync_trackers(config, as_of=AS_OF).lines()
    assert lines[0].startswith("ok: A: wrote ")
    assert lines[1].startswith("failed: Gone: ")
