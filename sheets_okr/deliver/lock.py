"""One `sheets-okr run` at a time: an flock on a file in the state folder.

The kernel drops an flock when its process ends, however it ends, so a crashed or killed
run never leaves a stale lock behind (unlike a PID file). The file keeps the PID of the
last holder only to say who holds it.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
from collections.abc import Iterator
from pathlib import Path

from sheets_okr.deliver.state import state_dir
from sheets_okr.errors import TemporaryFailure

log = logging.getLogger(__name__)

LOCK_NAME = "run.lock"


def lock_path() -> Path:
    """The lock file of `run`: run.lock in the state folder ($SHEETS_OKR_STATE_DIR)."""
    return state_dir() / LOCK_NAME


@contextlib.contextmanager
def run_lock(path: Path | None = None) -> Iterator[Path]:
    """Hold the run lock, or raise TemporaryFailure (exit 75) at once if another run has it.

    The state folder is made private (0700) when it is created. A lock file that exists
    but is not writable by this user (made by another user sharing the folder) is opened
    read-only: flock needs no write access, only the PID note is skipped.
    """
    path = path or lock_path()
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        writable = True
    except PermissionError:
        if not path.exists():
            raise
        fd = os.open(path, os.O_RDONLY)
        writable = False
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
            who = f" (process {holder})" if holder.isdigit() else ""
            raise TemporaryFailure(
                f"another sheets-okr run{who} is still going; it holds {path}. Try again later"
            ) from None
        if writable:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        log.debug("holding the run lock %s", path)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock
