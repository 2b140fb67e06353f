"""How `sheets-okr run` behaves as a scheduled process: SIGTERM unwinds the run (so the
healthcheck hears of it), and -v shows one line per tracker instead of every step's log.

Kept apart from the command's options so that `sheets-okr --help` loads none of this.
"""

from __future__ import annotations

import contextlib
import logging
import signal
import threading
from collections.abc import Iterator
from types import FrameType

from sheets_okr.errors import EXIT_TEMPORARY

# What the steps of each tracker's sync say at -v; `run -v` prints its own line per tracker
# instead, and -vv shows them all.
_STEP_LOGGERS = (
    "sheets_okr.actions.score",
    "sheets_okr.actions.sync",
    "sheets_okr.sources",
    "sheets_okr.deliver.mail",
)


@contextlib.contextmanager
def quiet_steps(verbose: int) -> Iterator[None]:
    """The log level -v (and -vv) asks for, with each sync's own steps quiet at -v."""
    root = logging.getLogger()
    loggers = [logging.getLogger(name) for name in _STEP_LOGGERS] if verbose == 1 else []
    levels = [logger.level for logger in loggers]
    root_level = root.level
    if verbose:  # `run -v` counts with `sheets-okr -v`, which set the level before
        root.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)
    for logger in loggers:
        logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        root.setLevel(root_level)
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


class Terminated(SystemExit):
    """The run got SIGTERM: it unwinds (pinging the healthcheck) and exits 75."""


def _terminated(signum: int, frame: FrameType | None) -> None:
    """SIGTERM (a timeout, systemctl stop): unwind, so the healthcheck hears of it."""
    raise Terminated(EXIT_TEMPORARY)


@contextlib.contextmanager
def sigterm_ends_the_run() -> Iterator[None]:
    """While the run goes on, SIGTERM raises SystemExit(75) instead of killing it silently."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signals are only for the main thread to handle
        return
    previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
