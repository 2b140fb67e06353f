"""A tracker as read and scored: what every command works from after reading."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from sheets_okr.model.tracker import Assumption, Tracker
from sheets_okr.score.assumptions import assumptions
from sheets_okr.score.scorecard import Scorecard


@dataclass(frozen=True)
class ScoredTracker:
    """A tracker as read from a source, its scorecard, and its History tab's rows."""

    source: str  # how messages name the source: a path or a spreadsheet key
    tracker: Tracker
    card: Scorecard
    history: pd.DataFrame  # the History tab's rows (empty without one)

    @property
    def assumptions(self) -> tuple[Assumption, ...]:
        """What the scores rest on beyond the cells (score/assumptions.py)."""
        return assumptions(self.tracker, self.card, self.history)
