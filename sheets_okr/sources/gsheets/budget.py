"""How many Sheets API requests may go out: at most `limit` in any `window` seconds.

Google allows 60 reads and 60 writes a minute per user, and a service account is one user
whichever process uses it: two cron jobs under one key share Google's quota. RequestBudget
counts the requests of one process (the threads of a run); SharedRequestBudget counts those
of every sheets-okr process of the host that uses the same state folder, in a small file
there (BUDGET_NAME): the send times of the last window, one per line, read and rewritten
under an exclusive flock. The kernel drops an flock when its process ends, however it ends,
so a killed process never leaves the budget locked; its times simply age out.
"""

from __future__ import annotations

import logging
import math
import os
import random
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

from sheets_okr.state_folder import PRIVATE_FILE, private_folder, state_dir

log = logging.getLogger(__name__)

BUDGET_NAME = "sheets-api-budget"
# Processes woken for the same free slot would all meet a full budget but one: a random
# extra wait (up to a twentieth of the window, at most a second) spreads them out.
_JITTER_SHARE = 0.05
_MAX_JITTER = 1.0


def _wait_for_room(sent: Sequence[float], now: float, limit: int, window: float) -> float:
    """Seconds until one more request fits beside `sent` (times within the window, oldest
    first); 0 when it fits now."""
    if len(sent) < limit:
        return 0.0
    # The request `limit` places from the newest must age out first.
    return max(0.0, window - (now - sent[len(sent) - limit]))


class RequestBudget:
    """At most `limit` requests in any `window` seconds, shared by the threads of a process.

    A budget below Google's quota keeps a run inside it by waiting rather than by meeting
    429s. `clock` and `sleep` are there for tests.
    """

    def __init__(
        self,
        limit: int = 50,
        window: float = 60.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.limit = limit
        self.window = window
        self._clock = clock
        self._sleep = sleep
        self._sent: deque[float] = deque()
        self._lock = threading.Lock()

    def take(self) -> None:
        """Wait, if need be, until one more request fits in the window."""
        while True:
            with self._lock:
                now = self._clock()
                if self._sent and self._sent[-1] > now:  # the clock was set back
                    self._sent = deque(min(sent, now) for sent in self._sent)
                while self._sent and now - self._sent[0] >= self.window:
                    self._sent.popleft()
                wait = _wait_for_room(self._sent, now, self.limit, self.window)
                if wait <= 0:
                    self._sent.append(now)
                    return
            log.info("Sheets API: %d requests in the last minute; waiting %.1f s", self.limit, wait)
            self._sleep(wait)


class SharedRequestBudget(RequestBudget):
    """A RequestBudget shared by every sheets-okr process of the host with the same state
    folder, through the file `path` (default: BUDGET_NAME in the state folder).

    The path is found at each take(), not when the budget is made: importing the module
    touches no disk, and a process (or a test) that changes $SHEETS_OKR_STATE_DIR gets the
    budget of its new folder. A budget file that cannot be used (a read-only home, another
    user's file) is warned about once and the process keeps its own budget instead: a sync
    never fails for it. Without flock (Windows) the budget is the process's own.

    The clock is the wall clock: it is the one that all processes of the host read alike.
    """

    def __init__(
        self,
        limit: int = 50,
        window: float = 60.0,
        *,
        path: Path | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        super().__init__(limit, window, clock=clock, sleep=sleep)
        self.path = path
        self._unusable: set[Path] = set()  # files that failed: warned once, then counted alone

    def file(self) -> Path:
        """The budget file this process would use now."""
        return self.path or state_dir() / BUDGET_NAME

    def take(self) -> None:
        """Wait, if need be, until one more request of this host fits in the window."""
        if sys.platform == "win32":
            super().take()
            return
        path = self.file()
        while path not in self._unusable:
            try:
                wait = self._take_from(path)
            except OSError as error:
                log.warning(
                    "Sheets API budget: cannot use %s (%s); this process counts its own"
                    " requests, not those of other sheets-okr processes on this host",
                    path,
                    error.strerror or error,
                )
                self._unusable.add(path)
                break
            if wait <= 0:
                return
            wait += random.uniform(0, min(_MAX_JITTER, self.window * _JITTER_SHARE))
            log.info(
                "Sheets API: %d requests from this host in the last %.0f s; waiting %.1f s",
                self.limit,
                self.window,
                wait,
            )
            self._sleep(wait)
        super().take()

    def _take_from(self, path: Path) -> float:
        """Note one request in the file and return 0, or return how long to wait for room."""
        import fcntl

        # Threads of a run queue on the thread lock, so one descriptor per process waits on
        # the flock. The file is opened at each take(): a forked child (run's trackers)
        # never shares its parent's open file, whose flock would not keep the two apart.
        with self._lock:
            try:
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
            except FileNotFoundError:
                private_folder(path.parent)
                fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, PRIVATE_FILE)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
                now = self._clock()
                sent, clamped = _read_times(fd, now, self.window)
                wait = _wait_for_room(sent, now, self.limit, self.window)
                if wait <= 0:
                    _write_times(fd, [*sent, now][-self.limit :])
                elif clamped:  # kept as now, they leave within one window, not at the old hour
                    _write_times(fd, sent)
                return wait
            finally:
                os.close(fd)  # closing the descriptor releases the flock


def _read_times(fd: int, now: float, window: float) -> tuple[list[float], bool]:
    """The send times in the file that fall within the window, oldest first, and whether
    any was after `now`.

    A line that is no time (a write cut short) is skipped. A time after `now` means the clock
    was set back: it counts as now (and is written back so), so it ages out within one
    window rather than when the clock catches up.
    """
    text = os.pread(fd, os.fstat(fd).st_size, 0).decode("ascii", "replace")
    times: list[float] = []
    clamped = False
    for line in text.splitlines():
        try:
            sent = float(line)
        except ValueError:
            continue
        if math.isfinite(sent) and now - sent < window:
            times.append(min(sent, now))
            clamped = clamped or sent > now
    return sorted(times), clamped


def _write_times(fd: int, times: Sequence[float]) -> None:
    # Written over the old text, then cut to length: a crash in between leaves old times
    # behind (counted a while longer), never an empty budget.
    data = "".join(f"{sent!r}\n" for sent in times).encode("ascii")
    os.pwrite(fd, data, 0)
    os.ftruncate(fd, len(data))
