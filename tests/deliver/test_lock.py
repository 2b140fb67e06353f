"""The run lock: one run at a time, released however the holder ends."""

from __future__ import annotations

import os
import stat
import time
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.deliver.lock import lock_path, run_lock
from sheets_okr.errors import EXIT_TEMPORARY, TemporaryFailure
from tests.support.processes import hold_in_another_process


def test_the_lock_lives_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run.lock in $SHEETS_OKR_STATE_DIR, created with its folder; it holds the PID."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    with run_lock() as path:
        assert path == lock_path() == tmp_path / "state" / "run.lock"
        assert path.read_text().strip() == str(os.getpid())


def test_a_second_holder_is_refused_at_once_with_exit_75(tmp_path: Path) -> None:
    """While one holds the lock, another gets a TemporaryFailure without waiting."""
    path = tmp_path / "run.lock"
    with run_lock(path):
        started = time.monotonic()
        with pytest.raises(TemporaryFailure) as caught, run_lock(path):
            pass
        assert time.monotonic() - started < 1
    assert caught.value.exit_code == EXIT_TEMPORARY
    assert f"(process {os.getpid()})" in str(caught.value)
    with run_lock(path):  # released when the first holder left
        pass


def test_the_lock_is_released_when_the_holder_raises(tmp_path: Path) -> None:
    """An exception inside the run leaves no lock behind."""
    path = tmp_path / "run.lock"
    with pytest.raises(RuntimeError), run_lock(path):
        raise RuntimeError("boom")
    with run_lock(path):
        pass


def test_a_lock_held_by_another_process_is_refused_and_freed_when_it_dies(
    tmp_path: Path,
) -> None:
    """A real second process: refused while it lives; a kill -9 frees the lock (no stale file)."""
    path = tmp_path / "run.lock"
    holder = hold_in_another_process(path)
    try:
        with pytest.raises(TemporaryFailure, match=f"process {holder.pid}"), run_lock(path):
            pass
    finally:
        holder.kill()
        holder.wait()
    with run_lock(path):
        pass


def test_the_state_folder_is_created_private(tmp_path: Path) -> None:
    """A state folder the lock creates is 0700: it holds the sent-log and unsent emails."""
    path = tmp_path / "state" / "run.lock"
    with run_lock(path):
        pass
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_a_lock_file_this_user_cannot_write_is_locked_read_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """run.lock made by another user (read-only here): opened O_RDONLY, still exclusive
    (flock needs no write access), its content left alone."""
    path = tmp_path / "run.lock"
    path.write_text("4242\n")
    path.chmod(0o444)
    real_open = os.open

    def as_another_user(name: Any, flags: int, *args: Any) -> int:
        # root may write anything: refuse writing as the kernel would refuse another user
        if Path(name) == path and flags & (os.O_RDWR | os.O_WRONLY):
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args)

    monkeypatch.setattr(os, "open", as_another_user)
    with run_lock(path):
        with pytest.raises(TemporaryFailure, match=r"\(process 4242\)"), run_lock(path):
            pass
        assert path.read_text() == "4242\n"
    monkeypatch.undo()
    holder = hold_in_another_process(path)  # a real lock, seen through a read-only open
    try:
        monkeypatch.setattr(os, "open", as_another_user)
        with pytest.raises(TemporaryFailure), run_lock(path):
            pass
    finally:
        holder.kill()
        holder.wait()


def test_a_missing_lock_in_a_folder_this_user_cannot_write_is_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No file to fall back on: the PermissionError stands (the command reports it, exit 1)."""
    path = tmp_path / "run.lock"

    def refused(name: Any, flags: int, *args: Any) -> int:
        raise PermissionError(13, "Permission denied", str(name))

    monkeypatch.setattr(os, "open", refused)
    with pytest.raises(PermissionError), run_lock(path):
        pass
