"""Each tracker syncs in a process of its own: a crash, a hang or a runaway allocation in one
fails that tracker alone, and the run still summarises, reports and pings."""

from __future__ import annotations

import dataclasses
import logging
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.actions import sync as service
from sheets_okr.actions import trackers as runner
from sheets_okr.actions.isolated import Limits, run_each
from sheets_okr.actions.run import RunOptions, run
from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import Config, load_config
from sheets_okr.model.outcome import Outcome
from tests.support.ping_server import PingServer
from tests.support.run_configs import AS_OF, small_tracker, tabs, write_config

TOOL_TABS = {"Summary", "History", "Checks"}


@pytest.fixture(autouse=True)
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The state folder (lock, sent-log) in tmp_path."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))


def two_trackers(folder: Path, extra: str = "") -> Config:
    """A and B, two small real trackers."""
    small_tracker(folder / "a.xlsx", "A")
    small_tracker(folder / "b.xlsx", "B")
    return load_config(write_config(folder, [("A", "a.xlsx"), ("B", "b.xlsx")], extra))


def on_b(monkeypatch: pytest.MonkeyPatch, misbehave: Any) -> None:
    """Tracker B's sync does `misbehave()` first (in its own process); A's is the real one."""
    real = service.sync_source

    def sync(source: str, *args: Any) -> Any:
        if source.endswith("b.xlsx"):
            misbehave()
        return real(source, *args)

    monkeypatch.setattr(runner, "sync_source", sync)


def test_a_sync_that_aborts_its_process_fails_alone(
    tmp_path: Path, ping_server: PingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """B's sync aborts its process (as python-calamine did on a cell at XFD1048576): B is
    FAILED naming the signal, A synced, the summary page names B, exit 1, the check hears /1."""
    config = two_trackers(tmp_path, f'[healthcheck]\nurl = "{ping_server.url}"\n')
    before = (tmp_path / "b.xlsx").read_bytes()
    on_b(monkeypatch, os.abort)
    page = tmp_path / "summary.html"
    report = run(config, RunOptions(AS_OF, report=page))
    message = ("the sync process ended abnormally (signal 6: SIGABRT) while syncing"
               f" {config.trackers[1].source}; the file may be damaged or hostile")  # fmt: skip
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == message
    assert report.exit_code == 1
    assert set(tabs(tmp_path / "a.xlsx")) >= TOOL_TABS
    assert (tmp_path / "b.xlsx").read_bytes() == before
    assert f"This tracker could not be synced: {message}" in page.read_text("utf-8")
    assert ping_server.paths == ["/start", "/1"]
    assert f"failed: B: {message}" in ping_server.pings[1].body.splitlines()


def test_a_sync_past_its_time_limit_is_killed_and_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync that hangs is killed at the time limit: FAILED saying so; the other synced."""
    config = two_trackers(tmp_path)
    on_b(monkeypatch, lambda: time.sleep(120))
    report = sync_trackers(config, as_of=AS_OF, limits=Limits(seconds=3))
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == (
        f"the sync process was stopped after 3 s, its time limit, while syncing"
        f" {config.trackers[1].source}; the file may be too large or hostile, or the service"
        " too slow"
    )
    assert report.exit_code == 1
    assert "Summary" in tabs(tmp_path / "a.xlsx")
    assert "Summary" not in tabs(tmp_path / "b.xlsx")


def test_a_sync_past_its_memory_limit_fails_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync that asks for more memory than its limit gets a MemoryError in its own
    process: FAILED saying so; the other synced within the same limit."""
    config = two_trackers(tmp_path)
    on_b(monkeypatch, lambda: bytearray(1024**3))
    report = sync_trackers(config, as_of=AS_OF, limits=Limits(memory=256 * 1024**2))
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == (
        f"the sync ran out of memory on {config.trackers[1].source}; the file may be too"
        " large or hostile"
    )
    assert "Summary" in tabs(tmp_path / "a.xlsx")


def _exit_3() -> None:
    os._exit(3)


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


@pytest.mark.parametrize(
    ("end", "cause"),
    [
        (_exit_3, "exit status 3"),
        (_killed, "signal 9: SIGKILL, as the system sends when memory runs out"),
        (_segfault, "signal 11: SIGSEGV"),
    ],
)
def test_how_a_sync_process_ended_is_said(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, end: Any, cause: str
) -> None:
    """An exit status or a signal, named in the tracker's one line; the other synced."""
    config = two_trackers(tmp_path)
    on_b(monkeypatch, end)
    report = sync_trackers(config, as_of=AS_OF)
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == (
        f"the sync process ended abnormally ({cause}) while syncing"
        f" {config.trackers[1].source}; the file may be damaged or hostile"
    )
    assert [t.exit_code for t in report.trackers] == [0, 1]


def test_a_result_that_cannot_be_passed_back_fails_its_tracker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync whose result does not pickle: FAILED saying why, not a crash of the run."""
    config = two_trackers(tmp_path)
    real = runner.sync_one

    def unpicklable(tracker: Any, *args: Any) -> Any:
        done = real(tracker, *args)
        if tracker.name != "B":
            return done
        lock: Any = threading.Lock()
        return dataclasses.replace(done, result=lock)

    monkeypatch.setattr(runner, "sync_one", unpicklable)
    report = sync_trackers(config, as_of=AS_OF)
    assert [t.outcome for t in report.trackers] == [Outcome.OK, Outcome.FAILED]
    assert report.trackers[1].message == (
        f"the sync of {config.trackers[1].source} ended, but its result could not be passed"
        " back (TypeError: cannot pickle '_thread.lock' object)"
    )


def test_the_sync_processes_log_through_the_runs_loggers(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Records logged in a tracker's process reach the run's handlers, at the levels the run
    set when it started them: quieted steps (as `run -v` does) stay quiet."""
    config = two_trackers(tmp_path)
    caplog.set_level(logging.DEBUG)
    sync_trackers(config, as_of=AS_OF, dry_run=True)
    from_children = [r for r in caplog.records if r.process != os.getpid()]
    said = [(r.name, r.getMessage()) for r in from_children]
    assert ("sheets_okr.actions.trackers", "A: ok in ") in [(n, m[:9]) for n, m in said]
    assert any(name.startswith("sheets_okr.sources") for name, _ in said)
    caplog.clear()
    steps = logging.getLogger("sheets_okr.sources")
    steps.setLevel(logging.WARNING)
    try:
        sync_trackers(config, as_of=AS_OF, dry_run=True)
    finally:
        steps.setLevel(logging.NOTSET)
    assert any(r.process != os.getpid() for r in caplog.records)
    assert not any(r.name.startswith("sheets_okr.sources") for r in caplog.records)


def test_answers_come_back_in_the_jobs_order() -> None:
    """Whatever order the processes end in, answers (None included) keep the jobs' order."""

    def later(value: int | None, seconds: float) -> Any:
        def job() -> int | None:
            time.sleep(seconds)
            return value

        return job

    jobs = [later(1, 0.3), later(None, 0.0), later(3, 0.1)]
    assert run_each(jobs, workers=3) == [1, None, 3]
