"""What the commands do, as functions that return data; the CLI only parses and prints."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from sheets_okr.backends import WorkbookBackend, open_source
from sheets_okr.errors import NoOkrTabs, SheetsOkrError, UsageError
from sheets_okr.files import same_file
from sheets_okr.grid import WorkbookGrid
from sheets_okr.history import previous_scores, read_history
from sheets_okr.lint import Finding, LintSettings, findings_data, lint_tracker
from sheets_okr.model import Tracker
from sheets_okr.parse import cycle_collector_paused, parse_workbook
from sheets_okr.plan import WritePlan, plan_columns
from sheets_okr.quarters import Quarter
from sheets_okr.results import scorecard_data
from sheets_okr.scoring import Scorecard, ScoringSettings, score_tracker
from sheets_okr.tool_tabs import checks_tab, foreign_tool_tabs, history_tab, summary_tab
from sheets_okr.words import WordLists

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoredTracker:
    """A tracker read from a source, its scorecard, and the plain data of both."""

    source: str
    tracker: Tracker
    card: Scorecard
    data: dict[str, Any]
    history: pd.DataFrame  # the History tab's rows (empty without one)


@dataclass(frozen=True)
class SyncResult:
    """What a sync found, what it would write, and where it wrote (None: nothing written)."""

    scored: ScoredTracker
    plan: WritePlan
    written_to: str | None
    blocked_by_problems: bool
    would_refuse: SheetsOkrError | None = None  # on a dry run: why a real sync would stop


def read_tracker(
    source: str,
    *,
    as_of: dt.date,
    settings: ScoringSettings,
    default_quarter: Quarter | None,
    credentials: Path | None = None,
) -> Tracker:
    """Read and parse a source; a workbook without any OKR tab is an error."""
    backend = open_source(source, credentials=credentials)
    return _read(backend, as_of, settings, default_quarter)[1]


def _read(
    backend: WorkbookBackend,
    as_of: dt.date,
    settings: ScoringSettings,
    default_quarter: Quarter | None,
) -> tuple[WorkbookGrid, Tracker]:
    with cycle_collector_paused():
        grid = backend.read()
        quarter = default_quarter or Quarter.containing(as_of, settings.fiscal_year_start_month)
        tracker = parse_workbook(grid, quarter)
    if not tracker.layouts:
        raise NoOkrTabs(f"{backend.name}: {tracker.problems[-1].message}")
    return grid, tracker


def score_backend(
    backend: WorkbookBackend,
    as_of: dt.date,
    settings: ScoringSettings | None,
    default_quarter: Quarter | None,
) -> tuple[WorkbookGrid, ScoredTracker]:
    """Read, parse and score what a backend holds; also returns the grid it read."""
    settings = settings or ScoringSettings()
    grid, tracker = _read(backend, as_of, settings, default_quarter)
    history = read_history(grid)
    previous = previous_scores(history, as_of)
    card = score_tracker(tracker, as_of, settings, previous)
    data = scorecard_data(tracker, card, backend.name)
    return grid, ScoredTracker(backend.name, tracker, card, data, history)


def score_source(
    source: str,
    *,
    as_of: dt.date,
    settings: ScoringSettings | None = None,
    default_quarter: Quarter | None = None,
    credentials: Path | None = None,
) -> ScoredTracker:
    """Read, parse and score a source; writes nothing."""
    backend = open_source(source, credentials=credentials)
    return score_backend(backend, as_of, settings, default_quarter)[1]


def sync_source(
    source: str,
    *,
    as_of: dt.date,
    settings: ScoringSettings | None = None,
    default_quarter: Quarter | None = None,
    dry_run: bool = False,
    allow_problems: bool = False,
    output: Path | None = None,
    backups: int = 5,
    now: dt.datetime | None = None,
    lint_settings: LintSettings | None = None,
    word_files: Sequence[Path] = (),
    credentials: Path | None = None,
) -> SyncResult:
    """Score a source and write the tool-owned columns and tabs back into it.

    Nothing is written when a row could not be read (unless `allow_problems`), on a dry
    run, or when the workbook already holds every value.
    """
    backend = open_source(source, output=output, backups=backups, credentials=credentials)
    grid, scored = score_backend(backend, as_of, settings, default_quarter)
    foreign = foreign_tool_tabs(grid)
    if foreign and not dry_run:
        names = ", ".join(foreign)
        raise SheetsOkrError(
            f"{backend.name} was not changed: it already has a tab named {names} that"
            " sheets-okr did not make, and sync would overwrite it. Rename that tab."
        )
    moment = now or dt.datetime.now(dt.UTC).astimezone()
    plan = WritePlan(
        cells=tuple(plan_columns(scored.tracker, scored.card, grid)),
        tabs=(
            summary_tab(grid, scored.card, scored.tracker, moment),
            history_tab(grid, scored.card, scored.tracker),
            checks_tab(grid, _lint(grid, scored, lint_settings, word_files)),
        ),
        header_rows=tuple((layout.tab, layout.header_row) for layout in scored.tracker.layouts),
    )
    blocked = bool(scored.tracker.problems) and not allow_problems
    if blocked or dry_run:
        refusal = backend.preflight() if dry_run and not plan.is_empty else None
        return SyncResult(scored, plan, None, blocked, refusal)
    if plan.is_empty and (output is None or same_file(output, Path(source))):
        log.info("%s already holds every value; nothing written", backend.name)
        return SyncResult(scored, plan, None, False)
    return SyncResult(scored, plan, backend.write(plan), False)


def init_workbook(
    path: Path, *, example: bool, quarter: Quarter, as_of: dt.date, force: bool
) -> None:
    """Create a new tracker workbook; refuses to replace an existing file unless forced."""
    from sheets_okr.starter import create_workbook  # openpyxl is only needed here

    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: the new tracker must be an .xlsx file")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    create_workbook(path, quarter, example=example, as_of=as_of)
    log.info("created %s%s", path, " with the example quarter" if example else "")


def lint_source(
    source: str,
    *,
    as_of: dt.date,
    settings: ScoringSettings | None = None,
    default_quarter: Quarter | None = None,
    lint_settings: LintSettings | None = None,
    word_files: Sequence[Path] = (),
    credentials: Path | None = None,
) -> dict[str, Any]:
    """Check a source's plan against the OKR method: the `lint --format json` object."""
    backend = open_source(source, credentials=credentials)
    grid, scored = score_backend(backend, as_of, settings, default_quarter)
    findings = _lint(grid, scored, lint_settings, word_files)
    return findings_data(findings, as_of.isoformat(), backend.name)


def _lint(
    grid: WorkbookGrid,
    scored: ScoredTracker,
    lint_settings: LintSettings | None,
    word_files: Sequence[Path],
) -> list[Finding]:
    return lint_tracker(
        scored.tracker,
        scored.card,
        history=scored.history,
        words=WordLists.load(word_files),
        settings=lint_settings,
    )
