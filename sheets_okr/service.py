"""What the commands do, as functions that return data; the CLI only parses and prints."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheets_okr.backends import open_source
from sheets_okr.errors import NoOkrTabs, UsageError
from sheets_okr.model import Tracker
from sheets_okr.parse import parse_workbook
from sheets_okr.quarters import Quarter
from sheets_okr.results import scorecard_data
from sheets_okr.scoring import Scorecard, ScoringSettings, score_tracker

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ScoredTracker:
    """A tracker read from a source, its scorecard, and the plain data of both."""

    source: str
    tracker: Tracker
    card: Scorecard
    data: dict[str, Any]


def read_tracker(
    source: str, *, as_of: dt.date, settings: ScoringSettings, default_quarter: Quarter | None
) -> Tracker:
    """Read and parse a source; a workbook without any OKR tab is an error."""
    backend = open_source(source)
    grid = backend.read()
    quarter = default_quarter or Quarter.containing(as_of, settings.fiscal_year_start_month)
    tracker = parse_workbook(grid, quarter)
    if not tracker.layouts:
        raise NoOkrTabs(f"{backend.name}: {tracker.problems[-1].message}")
    return tracker


def score_source(
    source: str,
    *,
    as_of: dt.date,
    settings: ScoringSettings | None = None,
    default_quarter: Quarter | None = None,
) -> ScoredTracker:
    """Read, parse and score a source; writes nothing."""
    settings = settings or ScoringSettings()
    tracker = read_tracker(source, as_of=as_of, settings=settings, default_quarter=default_quarter)
    card = score_tracker(tracker, as_of, settings)
    return ScoredTracker(source, tracker, card, scorecard_data(tracker, card, source))


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
