"""`sheets-okr run` as real processes, where each tracker's sync has a process of its own: a
sync that aborts fails its tracker alone, and a stopped or killed run takes its syncs' processes
with it instead of leaving them running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.ping_server import PingServer
from tests.support.run_configs import (
    AS_OF,
    email_table,
    readable,
    received,
    run_environment,
    small_tracker,
    tabs,
    write_config,
)
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.smtp import Certificates, Server

TOOL_TABS = {"Summary", "History", "Checks"}

# `sheets-okr` itself, except that the sync of hostile.xlsx aborts its process, as python-
# calamine did on a workbook with a cell at XFD1048576. The patch lives in this driver only.
ABORTING = """\
import os, sys
from sheets_okr.actions import sync, trackers

def sync_source(source, *args):
    if source.endswith("hostile.xlsx"):
        os.abort()
    return sync.sync_source(source, *args)

trackers.sync_source = sync_source
from sheets_okr.cli import cli
cli(sys.argv[1:], prog_name="sheets-okr")
"""


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    run_environment(tmp_path, monkeypatch, certs)


class Silent:
    """A server that takes one connection and never answers: a sync that reaches it hangs
    until its process ends, which closes the connection."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.connected = threading.Event()
        self.hung_up = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        connection, _ = self.listener.accept()
        self.connected.set()
        with connection:
            while connection.recv(65536):
                pass  # the request, then nothing until the other end closes
        self.hung_up.set()


@pytest.fixture(name="hanging_sheet")
def _hanging_sheet(
    tmp_path: Path, google_env: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Path, Silent]]:
    """A configuration with one Google Sheet whose API never answers (the key is good)."""
    silent = Silent()
    monkeypatch.setenv("SHEETS_OKR_SHEETS_API", f"http://127.0.0.1:{silent.port}")
    try:
        yield write_config(tmp_path, [("Korea", "gsheet:1KoreaTrackerKey_hang")]), silent
    finally:
        silent.listener.close()


def start_run(config: Path, ping_server: PingServer) -> subprocess.Popen[str]:
    """A real `sheets-okr run` of the configuration, pinging the server."""
    with config.open("a", encoding="utf-8") as text:
        text.write(f'[healthcheck]\nurl = "{ping_server.url}"\n')
    argv = [sys.executable, "-m", "sheets_okr", "run", "--config", str(config), "--as-of",
            AS_OF.isoformat()]  # fmt: skip
    return subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, env=dict(os.environ))


def test_a_sync_that_aborts_does_not_take_down_the_run(
    tmp_path: Path, smtp: Server, ping_server: PingServer
) -> None:
    """One sync aborts its process: the run exits 1 (not 134), says why on one line, syncs
    the other tracker, emails the summary naming the failure and pings /1."""
    small_tracker(tmp_path / "growth.xlsx", "Growth")
    small_tracker(tmp_path / "hostile.xlsx", "Hostile")
    extra = email_table(smtp.port) + f'\n[healthcheck]\nurl = "{ping_server.url}"\n'
    config = write_config(tmp_path, [("Growth", "growth.xlsx"), ("Hostile", "hostile.xlsx")],
                          extra)  # fmt: skip
    argv = [sys.executable, "-c", ABORTING, "run", "--config", str(config), "--as-of",
            AS_OF.isoformat()]  # fmt: skip
    done = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ))  # fmt: skip
    assert done.returncode == 1, done.stderr
    hostile = tmp_path / "hostile.xlsx"
    line = ("sheets-okr: Hostile: the sync process ended abnormally (signal 6: SIGABRT) while"
            f" syncing {hostile}; the file may be damaged or hostile")  # fmt: skip
    assert done.stderr.splitlines()[-1] == line
    assert set(tabs(tmp_path / "growth.xlsx")) >= TOOL_TABS
    assert "Summary" not in tabs(tmp_path / "hostile.xlsx")
    (message,) = received(smtp)
    assert message["Subject"].endswith(" · 1 of 2 trackers FAILED")
    assert "This tracker could not be synced: the sync process ended abnormally" in readable(
        message
    )
    assert ping_server.paths == ["/start", "/1"]
    assert "failed: Hostile: the sync process ended abnormally" in ping_server.pings[1].body


def test_sigterm_during_a_sync_stops_its_process_and_still_pings(
    hanging_sheet: tuple[Path, Silent], ping_server: PingServer
) -> None:
    """SIGTERM while a sync hangs on the network: the run kills that sync's process, pings /75
    and exits 75, saying so without a traceback."""
    config, silent = hanging_sheet
    process = start_run(config, ping_server)
    try:
        assert silent.connected.wait(60), "the sync never reached the Sheets API"
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 75, stderr
    assert "sheets-okr: stopped by SIGTERM before the run finished" in stderr
    assert "Traceback" not in stderr
    assert ping_server.paths == ["/start", "/75"]
    assert silent.hung_up.wait(30), "the sync's process outlived the run"


def test_a_killed_run_takes_its_sync_processes_with_it(
    hanging_sheet: tuple[Path, Silent], ping_server: PingServer
) -> None:
    """SIGKILL, which the run cannot catch: its sync's process dies with it (no orphan keeps
    the run lock's file open or goes on writing)."""
    config, silent = hanging_sheet
    process = start_run(config, ping_server)
    try:
        assert silent.connected.wait(60), "the sync never reached the Sheets API"
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == -signal.SIGKILL
    assert silent.hung_up.wait(30), "the sync's process outlived the run"
