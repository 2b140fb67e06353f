"""Columns (and row contents) people move between a sync's read and its write.

Rows carry anchors that move with them; columns cannot be anchored in the same write (a data
filter matches a row or a column, never their crossing). So every write also spans each
header row, and its answer shows the headers as they are after the write. When they moved,
the cells the write hit are put back from what was read, and the figures are written under
their own headers, in one more request.

Row anchors move with rows; should a sort move only the values under them (Google does not
say), the write's answer shows a row holding another ID than the one it was written for:
what the write hit is put back then too, and the figures wait for the next sync.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from sheets_okr.a1 import cell_address, column_letter, quote_tab
from sheets_okr.sources.grid import CellError, CellValue, MissingFormulaValue, WorkbookGrid
from sheets_okr.sources.gsheets.grid import date_to_serial
from sheets_okr.sources.gsheets.write import RowWrite, json_value, sparse_row


@dataclass
class ColumnRepair:
    """The corrective value write, and the cells that could not be put back."""

    data: list[dict[str, Any]] = field(default_factory=list)
    lost: list[str] = field(default_factory=list)


Formulas = dict[str, set[tuple[int, int]]]  # tab -> 0-based cells holding a formula


def answers_by_anchor(answer: Any) -> dict[int, dict[str, Any]]:
    """Each answer of a values:batchUpdateByDataFilter by the row anchor its data filter
    names. Google promises no order for these answers (unlike values:batchUpdate's), and
    may leave out the answer of a filter that matched nothing: a row is never paired with
    its neighbour's answer."""
    responses = answer.get("responses", []) if isinstance(answer, dict) else []
    found: dict[int, dict[str, Any]] = {}
    for response in responses if isinstance(responses, list) else []:
        if not isinstance(response, dict):
            continue
        data_filter = response.get("dataFilter")
        lookup = (
            data_filter.get("developerMetadataLookup") if isinstance(data_filter, dict) else None
        )
        metadata_id = str(lookup.get("metadataId", "")) if isinstance(lookup, dict) else ""
        if metadata_id.isdigit():
            found.setdefault(int(metadata_id), response)
    return found


def plan_column_repair(
    answer: Any, rows: list[RowWrite], grid: WorkbookGrid, formulas: Formulas | None = None
) -> ColumnRepair | None:
    """None when every header row is where it was; else what puts the cells right."""
    answers = answers_by_anchor(answer)
    moved: dict[str, dict[int, int]] = {}  # tab -> read-time column -> current column
    for row in rows:
        response = answers.get(row.metadata_id)
        if row.expected_header is None or response is None:
            continue
        shown = response.get("updatedData", {}).get("values")
        if not shown:
            continue  # the row was deleted (no range matched), or no values came back
        if not _same_cells(row.expected_header, shown[0]):
            now = [comparable(v) for v in shown[0]]
            expected = [comparable(v) for v in row.expected_header]
            moved[row.tab] = _column_map(expected, now)
    if not moved:
        return None
    sheets = {sheet.title: sheet.rows for sheet in grid.sheets}
    repair = ColumnRepair()
    for row in rows:
        mapping = moved.get(row.tab)
        if mapping is None:
            continue
        read_of = {now: read for read, now in mapping.items()}
        read_row = _read_row(sheets.get(row.tab, []), row)
        values: dict[int, Any] = {}
        for column in row.cells:  # 1-based, where the write landed
            earlier = read_of.get(column - 1)
            if earlier == column - 1:
                continue  # this column did not move: the write hit the right cell
            before = read_row[earlier] if earlier is not None and earlier < len(read_row) else None
            where = f"{quote_tab(row.tab)}!{cell_address(row.row - 1, column - 1)}"
            if isinstance(before, CellError | MissingFormulaValue | dt.time | dt.timedelta):
                repair.lost.append(where)
                continue
            if earlier is not None and (row.row - 1, earlier) in (formulas or {}).get(row.tab, ()):
                repair.lost.append(where)  # its value comes back; the formula cannot (RAW)
            values[column - 1] = json_value(before)
        for column, value in row.cells.items():  # then the figures under their headers
            target = mapping.get(column - 1)
            if target is not None:
                values[target] = json_value(value)
        if values:
            repair.data.append(row.entry(sparse_row(values)))
    return repair


def plan_row_repair(
    answer: Any, rows: list[RowWrite], grid: WorkbookGrid, formulas: Formulas | None = None
) -> ColumnRepair | None:
    """None when every row written still holds its own ID; else what puts the cells back."""
    answers = answers_by_anchor(answer)
    sheets = {sheet.title: sheet.rows for sheet in grid.sheets}
    repair: ColumnRepair | None = None
    for row in rows:
        response = answers.get(row.metadata_id)
        if row.expected_header is not None or "#" in row.key or response is None:
            continue
        read_rows = sheets.get(row.tab, [])
        read = read_rows[row.row - 1] if row.row - 1 < len(read_rows) else []
        shown = response.get("updatedData", {}).get("values")
        if row.key not in {_text(v) for v in read} or not shown:
            continue  # its ID is written only now, or the row is gone: nothing to check
        if row.key in {_text(v) for v in shown[0]}:
            continue
        repair = repair or ColumnRepair()
        written = {column - 1 for column in row.cells}
        matches = [
            (number, r) for number, r in enumerate(read_rows) if _same_outside(r, shown[0], written)
        ]
        before = matches[0][1] if len(matches) == 1 else None
        had_formula = {
            c for r, c in (formulas or {}).get(row.tab, ()) if matches and r == matches[0][0]
        }
        values: dict[int, Any] = {}
        for index in sorted(written):
            value = before[index] if before is not None and index < len(before) else None
            where = f"{quote_tab(row.tab)}!{column_letter(index)} of the row tagged {row.key}"
            if before is None or isinstance(value, CellError | dt.time | dt.timedelta):
                repair.lost.append(where)
                continue
            if index in had_formula:
                repair.lost.append(where)  # its value comes back; the formula cannot (RAW)
            values[index] = json_value(value)  # type: ignore[arg-type]
        if values:
            repair.data.append(row.entry(sparse_row(values)))
    return repair


def _same_outside(read: list[CellValue], shown: list[Any], written: set[int]) -> bool:
    """Whether a row as read is the row shown, but for the columns the write set."""
    return _same_cells(read, shown, skip=written)


def _same_cells(read: list[Any], shown: list[Any], skip: set[int] | None = None) -> bool:
    """Whether cells as read and as a write's answer shows them hold the same values."""
    for index in range(max(len(read), len(shown))):
        if skip and index in skip:
            continue
        before = read[index] if index < len(read) else None
        after = shown[index] if index < len(shown) else None
        if not same_cell(before, after):
            return False
    return True


def same_cell(read: object, shown: object) -> bool:
    """One cell's value as read and as answered: a time of day read from a cell that also
    holds a date (a TIME format over NOW()) is compared with the answer's time of day."""
    if isinstance(read, dt.time) and isinstance(shown, int | float) and not isinstance(shown, bool):
        return abs(float(shown) % 1 - float(comparable(read))) < _SAME  # type: ignore[arg-type]
    return comparable(read) == comparable(shown)


def comparable(value: object) -> object:
    """A value as read (typed: dates, numbers, text) or as a write's answer shows it (Google's
    UNFORMATTED_VALUE: a date is its serial number), in one form both compare equal in."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return ("bool", value)  # TRUE is not the number 1 (in Python, True == 1.0)
    if isinstance(value, dt.date):
        return round(float(date_to_serial(value)), _DIGITS)
    if isinstance(value, dt.time):
        seconds = value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6
        return round(seconds / 86_400, _DIGITS)
    if isinstance(value, int | float):
        return round(float(value), _DIGITS)
    return str(value).strip()


# Serial numbers agree to about 0.1 s once read as date-times (microseconds) and back.
_DIGITS = 6
_SAME = 10.0**-_DIGITS


def _column_map(expected: list[object], now: list[object]) -> dict[int, int]:
    """Read-time column index -> current index, matched by header names found once in both."""
    once_before = {n for n, c in Counter(expected).items() if c == 1 and n != ""}
    once_now = {n for n, c in Counter(now).items() if c == 1 and n != ""}
    where_now = {name: index for index, name in enumerate(now) if name in once_now}
    return {
        index: where_now[name]
        for index, name in enumerate(expected)
        if name in once_before and name in where_now
    }


def _read_row(rows: list[list[CellValue]], row: RowWrite) -> list[CellValue]:
    if row.expected_header is not None:
        return list(row.expected_header)
    return list(rows[row.row - 1]) if row.row - 1 < len(rows) else []


def _text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()
