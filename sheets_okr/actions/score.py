"""Reading a source and scoring it: the first steps of every command."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.errors import NoOkrTabs
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Tracker
from sheets_okr.read.history import previous_scores, read_history
from sheets_okr.read.parse import cycle_collector_paused, parse_workbook
from sheets_okr.score.scorecard import score_tracker
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.score.settings import DEFAULT_SCORING, ScoringSettings
from sheets_okr.sources.base import WorkbookBackend
from sheets_okr.sources.grid import WorkbookGrid
from sheets_okr.sources.registry import open_source

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReadOptions:
    """How every command reads and scores a source."""

    as_of: dt.date
    scoring: ScoringSettings = DEFAULT_SCORING
    quarter: Quarter | None = None  # for objectives on a tab that names no quarter
    credentials: Path | None = None  # a Google service-account key; None: the environment's

    @property
    def default_quarter(self) -> Quarter:
        """The quarter of objectives that name none: --quarter, else the as-of date's."""
        return self.quarter or Quarter.containing(self.as_of, self.scoring.fiscal_year_start_month)


def read_tracker(source: str, options: ReadOptions) -> Tracker:
    """Read and parse a source; a workbook without any OKR tab is an error."""
    return _read(open_source(source, credentials=options.credentials), options)[1]


def _read(backend: WorkbookBackend, options: ReadOptions) -> tuple[WorkbookGrid, Tracker]:
    with cycle_collector_paused():
        grid = backend.read()
        tracker = parse_workbook(
            grid, options.default_quarter, quarter_given=options.quarter is not None
        )
    if not tracker.layouts:
        raise NoOkrTabs(f"{backend.name}: {tracker.problems[-1].message}")
    return grid, tracker


def score_backend(
    backend: WorkbookBackend, options: ReadOptions
) -> tuple[WorkbookGrid, ScoredTracker]:
    """Read, parse and score what a backend holds; also returns the grid it read."""
    grid, tracker = _read(backend, options)
    history = read_history(grid)
    previous = previous_scores(history, options.as_of)
    card = score_tracker(tracker, options.as_of, options.scoring, previous)
    return grid, ScoredTracker(backend.name, tracker, card, history)


def score_source(source: str, options: ReadOptions) -> ScoredTracker:
    """Read, parse and score a source; writes nothing."""
    backend = open_source(source, credentials=options.credentials)
    return score_backend(backend, options)[1]
