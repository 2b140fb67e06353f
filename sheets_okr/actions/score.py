"""Reading a source and scoring it: the first steps of every command."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.errors import NoOkrTabs
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Tracker
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap, load_column_map
from sheets_okr.read.history import previous_scores, read_history
from sheets_okr.read.parse import cycle_collector_paused, parse_workbook
from sheets_okr.score.checkins import with_check_ins
from sheets_okr.score.scorecard import score_tracker
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.score.settings import DEFAULT_SCORING, ScoringSettings
from sheets_okr.sources.base import WorkbookBackend
from sheets_okr.sources.grid import WorkbookGrid
from sheets_okr.sources.registry import open_source
from sheets_okr.sources.text.table import TextTable

log = logging.getLogger(__name__)

# A CSV file holds one tab and no room for a Column map tab: `adopt --save` keeps its map in
# a file beside it, okr.csv.columns.toml, which reading it then takes as its saved map.
SIDECAR_SUFFIX = ".columns.toml"


@dataclass(frozen=True)
class ReadOptions:
    """How every command reads and scores a source."""

    as_of: dt.date
    scoring: ScoringSettings = DEFAULT_SCORING
    quarter: Quarter | None = None  # for objectives on a tab that names no quarter
    credentials: Path | None = None  # a Google service-account key; None: the environment's
    columns: ColumnMap = EMPTY_MAP  # --columns: over the map saved in the workbook

    @property
    def default_quarter(self) -> Quarter:
        """The quarter of objectives that name none: --quarter, else the as-of date's."""
        return self.quarter or Quarter.containing(self.as_of, self.scoring.fiscal_year_start_month)


def read_tracker(source: str, options: ReadOptions) -> Tracker:
    """Read and parse a source; a workbook without any OKR tab is an error."""
    return _read(open_source(source, credentials=options.credentials), options)[1]


def sidecar_path(backend: WorkbookBackend) -> Path | None:
    """Where the column map of a CSV source is saved (beside it); None for a workbook or a
    Google Sheet, which keep theirs in a Column map tab."""
    if isinstance(backend, TextTable):
        return backend.path.with_name(backend.path.name + SIDECAR_SUFFIX)
    return None


def column_map_for(backend: WorkbookBackend, options: ReadOptions) -> ColumnMap:
    """The map a source is read with besides its Column map tab: a CSV file's saved map (its
    sidecar file, when there is one) with --columns over it."""
    path = sidecar_path(backend)
    if path is None or not path.is_file():
        return options.columns
    return load_column_map(path).overridden_by(options.columns)


def parse_grid(grid: WorkbookGrid, columns: ColumnMap, options: ReadOptions) -> Tracker:
    """The tracker a grid holds, read with a column map (over the grid's Column map tab)."""
    with cycle_collector_paused():
        return parse_workbook(
            grid, options.default_quarter, quarter_given=options.quarter is not None,
            as_of=options.as_of, column_map=columns,
        )  # fmt: skip


def _read(backend: WorkbookBackend, options: ReadOptions) -> tuple[WorkbookGrid, Tracker]:
    columns = column_map_for(backend, options)
    with cycle_collector_paused():
        grid = backend.read()
        tracker = parse_grid(grid, columns, options)
    if not tracker.layouts:
        raise NoOkrTabs(f"{backend.name}: {tracker.problems[-1].message}")
    return grid, tracker


def score_grid(
    name: str, grid: WorkbookGrid, tracker: Tracker, options: ReadOptions
) -> ScoredTracker:
    """Score a tracker read from a grid, with the grid's History for the deltas."""
    history = with_check_ins(read_history(grid), tracker, options.as_of)
    previous = previous_scores(history, options.as_of)
    card = score_tracker(tracker, options.as_of, options.scoring, previous)
    return ScoredTracker(name, tracker, card, history)


def score_backend(
    backend: WorkbookBackend, options: ReadOptions
) -> tuple[WorkbookGrid, ScoredTracker]:
    """Read, parse and score what a backend holds; also returns the grid it read."""
    grid, tracker = _read(backend, options)
    return grid, score_grid(backend.name, grid, tracker, options)


def score_source(source: str, options: ReadOptions) -> ScoredTracker:
    """Read, parse and score a source; writes nothing."""
    backend = open_source(source, credentials=options.credentials)
    return score_backend(backend, options)[1]
