"""A check-in log tab: one line per check-in (a date, the key result, its value).

Teams that log check-ins keep Current out of the plan tab: a key result's Current is its
latest logged value on or before the as-of date. The earlier lines are its history, for
trends and deltas (score/checkins.py).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, replace

from sheets_okr.a1 import cell_address, quote_tab
from sheets_okr.model.tracker import (
    Assumption,
    CheckIn,
    KeyResult,
    Location,
    Problem,
    Severity,
    Tracker,
)
from sheets_okr.read import columns as col
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap
from sheets_okr.read.header import Header
from sheets_okr.read.values import Unreadable, is_blank, read_date, read_number, read_text
from sheets_okr.sources.grid import CellValue, SheetGrid


@dataclass(frozen=True)
class LogLine:
    """One readable line of a log, before it is matched to a key result."""

    reference: str  # the key result's ID or title as written
    date: dt.date
    value: float
    location: Location
    reference_cell: str
    note: str | None = None  # the line's Notes or Comment cell


def read_log(
    sheet: SheetGrid, header: Header, column_map: ColumnMap = EMPTY_MAP
) -> tuple[list[LogLine], list[Problem]]:
    """Every line of a log tab; a line that cannot be read is a problem at its cell."""
    reference_key = next(k for k in (col.KEY_RESULT, col.ID, col.TITLE) if k in header.columns)
    indexes = {
        "reference": header.columns[reference_key],
        "date": header.columns[col.DATE],
        "value": header.columns[col.CURRENT],
    }
    lines: list[LogLine] = []
    problems: list[Problem] = []
    for row_index in range(header.row_index + 1, len(sheet.rows)):
        row = sheet.rows[row_index]
        cells: dict[str, CellValue] = {k: row[i] if i < len(row) else None
                                       for k, i in indexes.items()}  # fmt: skip
        value = cells["value"]
        if is_blank(value):
            continue  # a line planned (a date, maybe the key result), not checked in yet
        where = {k: cell_address(row_index, i) for k, i in indexes.items()}
        try:
            try:
                reference = "" if is_blank(cells["reference"]) else read_text(cells["reference"])
            except Unreadable as error:  # #N/A of a lookup, a formula without its value
                raise _LineError("reference", f"Key result {error}") from None
            if not reference:
                raise _LineError("reference", "the key result is blank")
            if is_blank(cells["date"]):
                raise _LineError("date", "the date is blank")
            try:
                day = read_date(cells["date"])
            except Unreadable as error:
                raise _LineError("date", f"Date {error}") from None
            if isinstance(value, str) and column_map.has_words(col.CURRENT):
                value = column_map.word_value(col.CURRENT, value) or value
            try:
                number = read_number(value)
            except Unreadable as error:
                raise _LineError("value", f"Value {error}") from None
        except _LineError as error:
            problems.append(Problem(sheet.title, where[error.key], error.message))
            continue
        lines.append(LogLine(reference, day, number, Location(sheet.title, row_index + 1),
                             where["reference"], _note(row, header)))  # fmt: skip
    return lines, problems


def _note(row: list[CellValue], header: Header) -> str | None:
    """A log line's note (Notes, Comment, 메모 ...), when the log has such a column."""
    index = header.columns.get(col.NOTES)
    if index is None or index >= len(row) or is_blank(row[index]):
        return None
    try:
        return read_text(row[index]) or None
    except Unreadable:  # a note is only shown; one that cannot be read is left out
        return None


class _LineError(Exception):
    def __init__(self, key: str, message: str) -> None:
        super().__init__(message)
        self.key = key
        self.message = message


def apply_log(tracker: Tracker, lines: list[LogLine], as_of: dt.date | None) -> Tracker:
    """The tracker with each logged key result's Current taken from its log, and the
    log's lines as its check-ins; lines naming no key result are problems."""
    if not lines:
        return tracker
    by_id = {kr.id: kr for kr in tracker.key_results}
    by_title: dict[str, list[KeyResult]] = defaultdict(list)
    for kr in tracker.key_results:
        by_title[kr.title.casefold()].append(kr)
    problems = list(tracker.problems)
    notes = list(tracker.assumptions)
    check_ins: list[CheckIn] = []
    for line in lines:
        named = by_id.get(line.reference)
        matches = [named] if named is not None else by_title.get(line.reference.casefold(), [])
        if len(matches) != 1:
            why = "is the ID or title of no key result" if not matches else (
                "is the title of several key results; use their IDs")  # fmt: skip
            problems.append(Problem(line.location.tab, line.reference_cell,
                                    f'"{line.reference}" {why}'))  # fmt: skip
            continue
        check_ins.append(CheckIn(matches[0].id, line.date, line.value, line.location, line.note))
    check_ins.sort(key=lambda c: c.date)
    latest: dict[str, CheckIn] = {}
    for check_in in check_ins:
        if as_of is None or check_in.date <= as_of:
            latest[check_in.key_result_id] = check_in
    key_results = []
    for kr in tracker.key_results:
        logged = latest.get(kr.id)
        if logged is None:
            key_results.append(kr)
            continue
        if kr.current is not None and kr.current != logged.value:
            notes.append(Assumption(
                "current-from-log", Severity.WARNING, kr.location.tab, _title_cell(tracker, kr),
                f"Current here is {kr.current:,.10g} but the check-in log's latest value on or"
                f" before the as-of date ({quote_tab(logged.location.tab)} row"
                f" {logged.location.row}, {logged.date}) is {logged.value:,.10g}; the log's"
                " is used.", kr.id,
            ))  # fmt: skip
        if kr.is_milestone:
            key_results.append(replace(kr, current=logged.value,
                                       milestone_done=logged.value == 1.0))  # fmt: skip
        else:
            key_results.append(replace(kr, current=logged.value))
    return replace(tracker, key_results=tuple(key_results), problems=tuple(problems),
                   assumptions=tuple(notes), check_ins=tuple(check_ins))  # fmt: skip


def _title_cell(tracker: Tracker, kr: KeyResult) -> str:
    layout = next((lay for lay in tracker.layouts if lay.tab == kr.location.tab), None)
    column = 0
    if layout is not None:
        for key in (col.KEY_RESULT, col.TITLE):
            if key in layout.columns:
                column = layout.columns[key]
                break
    return cell_address(kr.location.row - 1, column)
