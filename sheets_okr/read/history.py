"""The History tab: one row per key result per as-of date, read back for trends and deltas."""

from __future__ import annotations

import datetime as dt
import logging

import pandas as pd

from sheets_okr.model.health_words import machine_health
from sheets_okr.read.columns import normalise
from sheets_okr.read.values import Unreadable, read_date, read_number, read_text
from sheets_okr.sources.grid import WorkbookGrid

log = logging.getLogger(__name__)

HISTORY_TAB = "History"
HISTORY_HEADER = ("Date", "ID", "Title", "Current", "Progress", "Score", "Health")
_EMPTY = pd.DataFrame({name.lower(): pd.Series(dtype=object) for name in HISTORY_HEADER}).astype(
    {"current": float, "progress": float, "score": float}
)


def read_history(grid: WorkbookGrid) -> pd.DataFrame:
    """History rows as a frame (date, id, title, current, progress, score, health).

    A row that cannot be read (a person typed over it) is skipped with a warning: history
    feeds trends, it never stops a sync. Without a History tab the frame is empty.
    """
    sheet = next((s for s in grid.sheets if s.title == HISTORY_TAB), None)
    if sheet is None or not sheet.rows:
        return _EMPTY.copy()
    header = [normalise(v) if isinstance(v, str) else "" for v in sheet.rows[0]]
    wanted = [normalise(name) for name in HISTORY_HEADER]
    if any(name not in header for name in wanted):
        log.warning("the History tab has no Date/ID/... header row; its rows are not used")
        return _EMPTY.copy()
    index = {name: header.index(name) for name in wanted}
    records = []
    for row_number, row in enumerate(sheet.rows[1:], start=2):
        cells = {name: row[i] if i < len(row) else None for name, i in index.items()}
        if all(v in (None, "") for v in cells.values()):
            continue
        try:
            records.append(
                {
                    "date": read_date(cells["date"]),
                    "id": read_text(cells["id"]),
                    "title": read_text(cells["title"]) if cells["title"] not in (None, "") else "",
                    "current": _optional_number(cells["current"]),
                    "progress": _optional_number(cells["progress"]),
                    "score": _optional_number(cells["score"]),
                    # Words in any language, or machine words (earlier versions wrote them).
                    "health": machine_health(read_text(cells["health"])) if cells["health"] else "",
                }
            )
        except Unreadable as error:
            log.warning("History row %d skipped: %s", row_number, error)
    if not records:
        return _EMPTY.copy()
    return pd.DataFrame.from_records(records).astype(
        {"current": float, "progress": float, "score": float}
    )


def _optional_number(value: object) -> float | None:
    if value in (None, ""):
        return None
    return read_number(value)  # type: ignore[arg-type]


def previous_scores(history: pd.DataFrame, as_of: dt.date) -> pd.Series:
    """Each KR's score in its newest snapshot dated before the as-of date, by id.

    Per KR rather than per date, so a KR missing from the last snapshot (its row could not
    be read that week) still compares with the one before.
    """
    earlier = history[history["date"] < as_of]
    if earlier.empty:
        return pd.Series(dtype=float)
    latest = earlier.sort_values("date", kind="stable").drop_duplicates("id", keep="last")
    return latest.set_index("id")["score"].astype(float)
