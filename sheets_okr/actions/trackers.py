"""Syncing every tracker of a configuration, concurrently, each failure kept to its tracker.

Each tracker syncs in a child process of its own (isolated.py says why and how), so that a
workbook that crashes its reader, or runs out of time or memory, fails that tracker alone.
The result is data (a RunReport): what each tracker did, or why it failed and with which
exit code. Nothing here prints; the command line decides what to say.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.actions.isolated import Ended, Limits, run_each
from sheets_okr.actions.lint import LintOptions
from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.sync import SyncOptions, SyncResult, sync_source
from sheets_okr.config.load import Config, TrackerConfig
from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK, EXIT_TEMPORARY, SheetsOkrError
from sheets_okr.lint.findings import Finding
from sheets_okr.model.outcome import Outcome
from sheets_okr.score.scored import ScoredTracker

log = logging.getLogger(__name__)

# Each Google Sheet sync costs about two API requests (one read, one batch write). The
# Sheets client's per-minute budget (sources/gsheets/client.SHARED_BUDGET) is shared by
# every process that uses the same state folder, so the tracker processes of a run (and
# other cron jobs under the same key) keep within it together. Four at a time keeps a run
# of Excel files from holding many workbooks in memory at once.
MAX_WORKERS = 4
# One tracker's process: the Sheets client gives up on a sync after 300 s (its RetryPolicy
# deadline), so ten minutes means a hung reader; 2 GiB is ample for any real tracker (the
# example grows its process by under 10 MiB) and far below what a hostile workbook asks.
TRACKER_LIMITS = Limits(seconds=600.0, memory=2 * 1024**3)


@dataclass(frozen=True)
class TrackerRun:
    """One tracker's part of a run."""

    name: str
    source: str
    outcome: Outcome
    exit_code: int
    message: str  # what happened, in one line (the error, for a failure)
    result: SyncResult | None = None
    seconds: float = 0.0
    cells: str = ""  # the unreadable cells alone, when the message also says what was written

    @property
    def scored(self) -> ScoredTracker | None:
        """The tracker as read and scored, when it could be read."""
        return self.result.scored if self.result is not None else None

    @property
    def findings(self) -> tuple[Finding, ...]:
        """The plan checks of the tracker as read (none when it could not be read)."""
        return self.result.findings if self.result is not None else ()


@dataclass(frozen=True)
class RunReport:
    """What a run did: every tracker's outcome, and the email's when there was one."""

    as_of: dt.date
    dry_run: bool
    trackers: tuple[TrackerRun, ...]
    email: str | None = None  # what happened to the summary email, in one line
    email_exit_code: int = EXIT_OK
    reminders: str | None = None  # what happened to the owners' reminders, in one line
    reminders_exit_code: int = EXIT_OK
    # Owners with key results to update and no address, as "Kim (2 key results in Growth)"
    unreached: tuple[str, ...] = ()
    # Whom the reminders cannot reach, each said once: the owners without an address, the
    # People cells of owners with key results to update (every run, a reminder day or not)
    reminder_warnings: tuple[str, ...] = ()

    @property
    def failed(self) -> tuple[TrackerRun, ...]:
        """The trackers that did not sync cleanly."""
        return tuple(t for t in self.trackers if t.outcome is not Outcome.OK)

    @property
    def exit_code(self) -> int:
        """0 when all went well, else as `combine` says."""
        return combine([*(t.exit_code for t in self.trackers), self.email_exit_code,
                        self.reminders_exit_code])  # fmt: skip

    def lines(self) -> list[str]:
        """One line per tracker (and the email), as a log or a healthcheck ping shows it."""
        out = [f"{t.outcome.value}: {t.name}: {t.message}" for t in self.trackers]
        if self.email:
            out.append(f"{'ok' if self.email_exit_code == EXIT_OK else 'failed'}: email:"
                       f" {self.email}")  # fmt: skip
        if self.reminders:
            out.append(f"{'ok' if self.reminders_exit_code == EXIT_OK else 'failed'}: reminders:"
                       f" {self.reminders}")  # fmt: skip
        out.extend(f"warning: reminders: {warning}" for warning in self.reminder_warnings)
        return out


def no_address(owners: Sequence[str]) -> str:
    """The warning naming the owners without an address, each once."""
    return (f"no email address for {', '.join(owners)}: add them to a People tab (Name, Email)"
            " or to [people] in the configuration")  # fmt: skip


def combine(codes: Iterable[int]) -> int:
    """One exit status for several outcomes: 0 when all are 0; 75 when every failure is
    worth retrying; 1 otherwise. A tracker's own usage error (a missing file, a sheet not
    shared) is a failed operation of the run (1), not a mistake in how it was called (2)."""
    failures = {code for code in codes if code != EXIT_OK}
    if not failures:
        return EXIT_OK
    return EXIT_TEMPORARY if failures == {EXIT_TEMPORARY} else EXIT_FINDINGS


def sync_trackers(
    config: Config,
    *,
    as_of: dt.date,
    dry_run: bool = False,
    now: dt.datetime | None = None,
    workers: int = MAX_WORKERS,
    limits: Limits = TRACKER_LIMITS,
) -> RunReport:
    """Sync every tracker of the configuration, each in a process of its own; one failing,
    even by crashing its process, never stops the others.

    Stopped while it waits (SIGTERM's SystemExit, Ctrl-C), it starts no other tracker and
    kills those under way, so that the run can still report how it ended.
    """
    moment = now or dt.datetime.now(dt.UTC).astimezone()
    trackers = config.trackers
    jobs = [functools.partial(sync_one, t, config, as_of, dry_run, moment) for t in trackers]
    answers = run_each(jobs, workers=workers, limits=limits)
    runs = tuple(
        _ended(tracker, answer, limits) if isinstance(answer, Ended) else answer
        for tracker, answer in zip(trackers, answers, strict=True)
    )
    return RunReport(as_of, dry_run, runs)


def sync_one(
    tracker: TrackerConfig, config: Config, as_of: dt.date, dry_run: bool, now: dt.datetime
) -> TrackerRun:
    """Sync one tracker, turning any failure into a FAILED outcome instead of raising."""
    started = time.monotonic()
    try:
        reading = ReadOptions(as_of, config.scoring, tracker.quarter, config.credentials,
                              tracker.columns)  # fmt: skip
        options = SyncOptions(dry_run=dry_run, allow_problems=tracker.allow_problems, now=now)
        result = sync_source(tracker.source, reading, LintOptions(config.lint), options)
    except SheetsOkrError as error:
        run = _failed(tracker, str(error), error.exit_code)
    except MemoryError:  # past TRACKER_LIMITS.memory, in its own process: the run goes on
        message = f"the sync ran out of memory on {tracker.source}; the file may be too large"
        run = _failed(tracker, message + " or hostile", EXIT_FINDINGS)
    except OSError as error:  # the file system refused: a failed operation, not a crash
        where = f"{error.filename}: " if error.filename else ""
        run = _failed(tracker, f"{where}{error.strerror or error}", EXIT_FINDINGS)
    except Exception as error:  # a bug must not take the other trackers down with it
        log.exception("%s: unexpected error while syncing %s", tracker.name, tracker.source)
        run = _failed(tracker, f"unexpected error: {type(error).__name__}: {error}", EXIT_FINDINGS)
    else:
        run = _finished(tracker, result, dry_run)
    seconds = time.monotonic() - started
    log.debug("%s: %s in %.1f s", tracker.name, run.outcome.value, seconds)
    return dataclasses.replace(run, seconds=seconds)


def _failed(tracker: TrackerConfig, message: str, exit_code: int) -> TrackerRun:
    return TrackerRun(tracker.name, tracker.source, Outcome.FAILED, exit_code, message)


def _ended(tracker: TrackerConfig, ended: Ended, limits: Limits) -> TrackerRun:
    """A tracker whose process gave no answer: crashed, killed, or over its time."""
    source = tracker.source
    if ended.timed_out:
        message = (f"the sync process was stopped after {limits.seconds:g} s, its time limit,"
                   f" while syncing {source}; the file may be too large or hostile, or the"
                   " service too slow")  # fmt: skip
    elif ended.unsent:
        message = (f"the sync of {source} ended, but its result could not be passed back"
                   f" ({ended.unsent})")  # fmt: skip
    else:
        message = (f"the sync process ended abnormally ({ended.cause}) while syncing"
                   f" {source}; the file may be damaged or hostile")  # fmt: skip
    log.debug("%s: %s (exit code %s after %.1f s)", tracker.name, message, ended.exitcode,
              ended.seconds)  # fmt: skip
    return dataclasses.replace(_failed(tracker, message, EXIT_FINDINGS), seconds=ended.seconds)


def _finished(tracker: TrackerConfig, result: SyncResult, dry_run: bool) -> TrackerRun:
    problems = result.scored.tracker.problems
    if dry_run and result.would_refuse is not None:
        message = f"a real sync would stop: {result.would_refuse}"
        return TrackerRun(tracker.name, tracker.source, Outcome.FAILED,
                          result.would_refuse.exit_code, message, result)  # fmt: skip
    if problems:
        first = " ".join(str(problems[0]).split())
        count = f"{len(problems)} cell{'s' if len(problems) > 1 else ''}"
        if result.blocked_by_problems:
            message = f"{count} could not be read, nothing written (first: {first})"
            return TrackerRun(tracker.name, tracker.source, Outcome.PROBLEMS, EXIT_FINDINGS,
                              message, result)  # fmt: skip
        # allow_problems: the readable rows were written; the unreadable ones still need
        # someone, so the run still says so (exit 1), but the tracker did sync.
        cells = f"{count} could not be read, those rows left out (first: {first})"
        message = f"{_describe(result, dry_run)}; {cells}"
        return TrackerRun(tracker.name, tracker.source, Outcome.PARTIAL, EXIT_FINDINGS,
                          message, result, cells=cells)  # fmt: skip
    return TrackerRun(tracker.name, tracker.source, Outcome.OK, EXIT_OK,
                      _describe(result, dry_run), result)  # fmt: skip


def _describe(result: SyncResult, dry_run: bool) -> str:
    skipped = (
        "; the as-of date is in none of the plan's quarters, so no History snapshot"
        if result.snapshot_skipped
        else ""
    )
    plan = result.plan
    if plan.is_empty:
        return "nothing to change" + skipped
    tabs = ", ".join(tab.title for tab in plan.changed_tabs)
    what = f"{len(plan.cells)} cells" + (f" and the tabs {tabs}" if tabs else "")
    if dry_run:
        return f"would write {what}{skipped}"
    where = Path(result.written_to).name if result.written_to else result.scored.source
    return f"wrote {what} to {where}{skipped}"
