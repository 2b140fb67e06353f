"""The column map saved inside a workbook: the "Column map" tab `adopt --save` writes.

Kept in the workbook (or Sheet) itself, the map travels with it: every later command on it,
from any machine, reads with it. People see it as a tab and may edit it like any other:

    Tab          | Column     | Field        <- which field a column holds
                 | End        | target       (a blank Tab: on every tab)
    Team OKRs    | column:E   | current
                                             <- a blank row
    Field        | Word       | Value        <- what words in a field's column mean
    confidence   | High       | 8
"""

from __future__ import annotations

from typing import Any

from sheets_okr.a1 import cell_address
from sheets_okr.errors import UsageError
from sheets_okr.model.tracker import Problem
from sheets_okr.read import columns as col
from sheets_okr.read.column_map import EMPTY_MAP, FIELDS, ColumnMap, column_map_from_tables
from sheets_okr.sources.grid import CellValue, WorkbookGrid

MAP_TAB = "Column map"
MAP_NOTE = (
    "How sheets-okr reads this workbook's columns (written by `sheets-okr adopt --save`)."
    " Edit it like any tab: a blank Tab means every tab; Field is one of " + ", ".join(FIELDS) + "."
)
COLUMNS_HEADER = ("Tab", "Column", "Field")
VALUES_HEADER = ("Field", "Word", "Value")


def saved_column_map(grid: WorkbookGrid) -> tuple[ColumnMap, list[Problem]]:
    """The map on the workbook's Column map tab (empty without one), and its bad rows."""
    sheet = next((s for s in grid.sheets if s.title == MAP_TAB), None)
    if sheet is None:
        return EMPTY_MAP, []
    columns: dict[str, str] = {}
    tabs: dict[str, dict[str, str]] = {}
    values: dict[str, dict[str, Any]] = {}
    problems: list[Problem] = []
    part = ""
    for row_index, cells in enumerate(sheet.rows):
        texts = [_text(v) for v in cells[:3]] + [""] * (3 - min(3, len(cells)))
        if tuple(col.normalise(t) for t in texts) == tuple(map(col.normalise, COLUMNS_HEADER)):
            part = "columns"
            continue
        if tuple(col.normalise(t) for t in texts) == tuple(map(col.normalise, VALUES_HEADER)):
            part = "values"
            continue
        if not any(texts) or not part:
            continue
        first, second, third = texts
        one: dict[str, dict[str, Any]] = {"columns": {}, "tabs": {}, "values": {}}
        if part == "columns":
            if first:
                one["tabs"] = {first: {"columns": {second: third}}}
            else:
                one["columns"] = {second: third}
        else:
            cell = cells[2] if len(cells) > 2 else None
            one["values"] = {first: {second: _value(cell)}}
        try:
            single = column_map_from_tables(one, f"{MAP_TAB} row {row_index + 1}")
        except UsageError as error:
            message = str(error).split(": ", 1)[-1]
            problems.append(Problem(MAP_TAB, cell_address(row_index, 0), message))
            continue
        columns.update(single.columns)
        for tab, entries in single.tabs.items():
            tabs.setdefault(tab, {}).update(entries)
        for name, words in single.values.items():
            values.setdefault(name, {}).update(words)
    return ColumnMap(columns, tabs, values, f"the {MAP_TAB} tab"), problems


def map_tab_rows(column_map: ColumnMap) -> list[list[str | float]]:
    """The Column map tab's rows for a map, in the layout saved_column_map reads."""
    rows: list[list[str | float]] = [[MAP_NOTE], [], list(COLUMNS_HEADER)]
    rows += [["", key, value] for key, value in column_map.columns.items()]
    for tab, entries in column_map.tabs.items():
        rows += [[tab, key, value] for key, value in entries.items()]
    if column_map.values:
        rows += [[], list(VALUES_HEADER)]
        for name, words in column_map.values.items():
            rows += [[name, word, value] for word, value in words.items()]
    return rows


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _value(value: CellValue) -> Any:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return _text(value)
