"""Keeping a column map in the source itself: `adopt --save`.

A workbook or a Google Sheet gets a "Column map" tab (read/saved_map.py says its layout),
written like the tool's other tabs: nothing else in it changes, and an Excel file keeps its
backup. A CSV file has one tab and no room for another, so its map goes in a TOML file
beside it (okr.csv.columns.toml), which reading the CSV file then takes up by itself.
Nothing is written when the source already holds that map.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sheets_okr.actions.proposal import Saved
from sheets_okr.actions.score import sidecar_path
from sheets_okr.errors import SheetsOkrError
from sheets_okr.files import atomic_write
from sheets_okr.read.column_map import ColumnMap, load_column_map
from sheets_okr.read.columns import normalise
from sheets_okr.read.saved_map import COLUMNS_HEADER, MAP_TAB, VALUES_HEADER, map_tab_rows
from sheets_okr.sources.base import WorkbookBackend
from sheets_okr.sources.grid import CellValue, WorkbookGrid
from sheets_okr.sources.writes import CellStyle, TabContent, WritePlan, WriteValue, same_value

_WIDTHS = (24.0, 28.0, 16.0)  # Tab, Column, Field (and Field, Word, Value below them)
_PARTS = {tuple(map(normalise, COLUMNS_HEADER)), tuple(map(normalise, VALUES_HEADER))}


def save_map(
    backend: WorkbookBackend, grid: WorkbookGrid, column_map: ColumnMap, toml: Callable[[], str]
) -> Saved:
    """Keep a map in the source `grid` was read from; `toml` makes a CSV sidecar's text."""
    sidecar = sidecar_path(backend)
    if sidecar is not None:
        changed = not sidecar.is_file() or not same_map(load_column_map(sidecar), column_map)
        if changed:
            text = toml()
            atomic_write(sidecar, lambda temporary: temporary.write_text(text, "utf-8"))
        return Saved(str(sidecar), changed, sidecar=True)
    _refuse_a_tab_of_peoples(grid, backend.name)
    sheet = next((s for s in grid.sheets if s.title == MAP_TAB), None)
    where = f"the {MAP_TAB} tab of {backend.name}"
    tab = map_tab(column_map, existed=sheet is not None)
    if sheet is not None and _holds(sheet.rows, list(tab.rows)):
        return Saved(where, changed=False)
    written = backend.write(WritePlan(tabs=(tab,)))
    return Saved(f"the {MAP_TAB} tab of {written}", changed=True)


def map_tab(column_map: ColumnMap, *, existed: bool = False) -> TabContent:
    """The Column map tab holding a map, as a write plan gives a tab."""
    rows = [tuple(row) for row in map_tab_rows(column_map)]
    return TabContent(
        MAP_TAB, tuple(rows), tuple(_styles(row, index) for index, row in enumerate(rows)),
        widths=_WIDTHS, existed=existed, changed=True, frozen_rows=0,
    )  # fmt: skip


def same_map(first: ColumnMap, second: ColumnMap) -> bool:
    """Whether two maps say the same (where they came from aside; empty tables are nothing)."""
    return _said(first) == _said(second)


def _said(cmap: ColumnMap) -> tuple[dict[str, str], dict[str, Any], dict[str, Any]]:
    tabs = {tab: dict(entries) for tab, entries in cmap.tabs.items() if entries}
    values = {name: dict(words) for name, words in cmap.values.items() if words}
    return dict(cmap.columns), tabs, values


def _refuse_a_tab_of_peoples(grid: WorkbookGrid, name: str) -> None:
    """A Column map tab sheets-okr did not write (no Tab | Column | Field row) is people's."""
    for sheet in grid.sheets:
        if sheet.title.casefold() != MAP_TAB.casefold():
            continue
        rows = [row for row in sheet.rows if any(v not in (None, "") for v in row)]
        ours = sheet.title == MAP_TAB and (
            not rows or any(_part(row) in _PARTS for row in sheet.rows)
        )
        if not ours:
            raise SheetsOkrError(
                f"{name} was not changed: it already has a tab named {sheet.title!r} that"
                f" sheets-okr did not make, and saving the map would overwrite it. Rename that"
                " tab, or keep the map in a file and pass it with --columns."
            )


def _part(row: Sequence[CellValue]) -> tuple[str, ...]:
    cells = [str(v) if v is not None else "" for v in row[:3]]
    return tuple(normalise(c) for c in cells + [""] * (3 - len(cells)))


def _holds(old: Sequence[Sequence[CellValue]], new: Sequence[Sequence[WriteValue]]) -> bool:
    """Whether a tab already shows these rows (blank rows at its end aside)."""
    rows = [list(r) for r in old]
    while rows and all(v in (None, "") for v in rows[-1]):
        rows.pop()
    if len(rows) != len(new):
        return False
    for before_row, after_row in zip(rows, new, strict=True):
        for i in range(max(len(before_row), len(after_row))):
            before = before_row[i] if i < len(before_row) else None
            after = after_row[i] if i < len(after_row) else None
            if not same_value(before, after):
                return False
    return True


def _styles(row: Sequence[WriteValue], index: int) -> tuple[CellStyle, ...]:
    if index > 0 and tuple(normalise(str(v)) for v in row) in _PARTS:
        return (CellStyle.HEADER,) * len(row)
    return tuple(CellStyle.TEXT if isinstance(v, str) else CellStyle.PLAIN for v in row)
