"""`sync`: score a source and write the tool's columns and tabs back into it."""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from dataclasses import dataclass, replace
from pathlib import Path

from sheets_okr.a1 import quote_tab
from sheets_okr.actions.lint import DEFAULT_CHECKS, LintOptions, check_plan
from sheets_okr.actions.save_map import map_tab
from sheets_okr.actions.score import ReadOptions, column_map_for, score_backend, sidecar_path
from sheets_okr.errors import SheetsOkrError
from sheets_okr.files import same_file
from sheets_okr.lint.findings import Finding
from sheets_okr.plan.sync import plan_sync
from sheets_okr.plan.tabs import foreign_tool_tabs
from sheets_okr.read.parse import TOOL_TABS
from sheets_okr.score.assumptions import as_of_outside
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.sources.base import BACKUPS_KEPT, WorkbookBackend
from sheets_okr.sources.grid import WorkbookGrid
from sheets_okr.sources.registry import open_source
from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)

# The most rows in use a people's tab may have for sync to write the workbook: ten times the
# largest tracker the benchmarks use (22,000 rows), far below the million rows Excel allows.
# Past it, the rows are almost surely a formula or value copied down a whole column, and
# saving them all took 44 s and 950 MB.
ROWS_SYNCED = 200_000


@dataclass(frozen=True)
class SyncOptions:
    """How a sync writes."""

    dry_run: bool = False  # plan only; write nothing
    allow_problems: bool = False  # write even when some rows cannot be read (left out)
    output: Path | None = None  # write an Excel workbook's result here, leaving it as it is
    backups: int = BACKUPS_KEPT  # earlier versions of an Excel workbook kept beside it
    now: dt.datetime | None = None  # when the sync runs (the Summary tab's "updated")
    force: bool = False  # a History snapshot even for an as-of date outside the plan


@dataclass(frozen=True)
class SyncResult:
    """What a sync found, what it would write, and where it wrote (None: nothing written)."""

    scored: ScoredTracker
    findings: tuple[Finding, ...]  # the plan checks, as the Checks tab holds them
    plan: WritePlan
    written_to: str | None
    blocked_by_problems: bool
    would_refuse: SheetsOkrError | None = None  # on a dry run: why a real sync would stop
    snapshot_skipped: bool = False  # the as-of date is outside the plan: History untouched


DEFAULT_SYNC = SyncOptions()


def sync_source(
    source: str,
    reading: ReadOptions,
    checks: LintOptions = DEFAULT_CHECKS,
    options: SyncOptions = DEFAULT_SYNC,
) -> SyncResult:
    """Score a source and write the tool-owned columns and tabs back into it.

    Nothing is written when a row could not be read (unless `allow_problems`), on a dry
    run, or when the workbook already holds every value.
    """
    backend = open_source(
        source, output=options.output, backups=options.backups, credentials=reading.credentials
    )
    with contextlib.nullcontext() if options.dry_run else backend.exclusive():
        return _sync(backend, source, reading, checks, options)


def _sync(
    backend: WorkbookBackend,
    source: str,
    reading: ReadOptions,
    checks: LintOptions,
    options: SyncOptions,
) -> SyncResult:
    grid, scored = score_backend(backend, reading)
    too_long = _too_long(grid, backend.name)
    foreign = foreign_tool_tabs(grid)
    if too_long is not None and not options.dry_run:
        raise too_long
    if foreign and not options.dry_run:
        names = ", ".join(foreign)
        raise SheetsOkrError(
            f"{backend.name} was not changed: it already has a tab named {names} that"
            " sheets-okr did not make, and sync would overwrite it. Rename that tab."
        )
    findings = tuple(check_plan(scored, checks))
    now = options.now or dt.datetime.now(dt.UTC).astimezone()
    skipped = as_of_outside(scored.card) is not None and not options.force
    plan = plan_sync(scored, grid, findings, now, snapshot=not skipped)
    if options.output is not None and sidecar_path(backend) is not None:
        # A CSV becomes a new workbook: the map it is read with goes into it, so that the
        # workbook reads the same from then on without --columns.
        carried = column_map_for(backend, reading)
        if not carried.is_empty:
            plan = replace(plan, tabs=(*plan.tabs, map_tab(carried)))
    blocked = bool(scored.tracker.problems) and not options.allow_problems
    if blocked or options.dry_run:
        refusal = too_long or (
            backend.preflight() if options.dry_run and not plan.is_empty else None
        )
        return SyncResult(scored, findings, plan, None, blocked, refusal, skipped)
    output = options.output
    if plan.is_empty and (output is None or same_file(output, Path(source))):
        log.info("%s already holds every value; nothing written", backend.name)
        return SyncResult(scored, findings, plan, None, False, snapshot_skipped=skipped)
    written = backend.write(plan)
    return SyncResult(scored, findings, plan, written, False, snapshot_skipped=skipped)


def _too_long(grid: WorkbookGrid, name: str) -> SheetsOkrError | None:
    """Why a sync must not write: a tab of people's whose rows in use run far past any plan.
    The tool's own tabs (History grows every week) are not counted."""
    tabs = [sheet for sheet in grid.sheets if sheet.title not in TOOL_TABS]
    longest = max(tabs, key=lambda sheet: len(sheet.rows), default=None)
    if longest is None or len(longest.rows) <= ROWS_SYNCED:
        return None
    return SheetsOkrError(
        f"{name} was not changed: tab {quote_tab(longest.title)} has {len(longest.rows):,} rows"
        f" in use, more than the {ROWS_SYNCED:,} sync writes (a formula or value copied down a"
        " whole column?); delete the rows below the plan (in Excel, Ctrl+End goes to the last"
        " cell in use) and sync again"
    )
