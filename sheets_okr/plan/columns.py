"""What a sync writes, decided before touching any workbook: a backend-neutral write plan.

Cells of OKR tabs are addressed by tab, row and column, only in the columns the tool owns
(plan/ownership.py); tool-owned tabs (Summary, History, Checks) are given whole. Only what
differs from the workbook as read is in the plan, so an empty plan means nothing to write.
"""

from __future__ import annotations

from collections.abc import Mapping

from sheets_okr.model.health_words import language_of, shown_health
from sheets_okr.model.tracker import Level, Location, Tracker
from sheets_okr.plan.ownership import TabColumns, tool_columns
from sheets_okr.plan.tabs import read_ledger
from sheets_okr.read import columns as col
from sheets_okr.score.scorecard import Scorecard, optional_float
from sheets_okr.sources.grid import CellValue, SheetGrid, WorkbookGrid
from sheets_okr.sources.writes import HEADER_ROW_KEY, CellStyle, CellWrite, WriteValue, same_value

# Fill colours of the Health text, given to the sources with every plan (RGB hex).
HEALTH_COLOURS = {"done": "BDD7EE", "on_track": "C6EFCE", "at_risk": "FFEB9C",
                  "off_track": "FFC7CE", "no_data": "EDEDED"}  # fmt: skip


def _cell(sheet: SheetGrid | None, row: int, column: int) -> CellValue:
    """The value read at a 1-based position, None outside the grid."""
    if sheet is None or row - 1 >= len(sheet.rows):
        return None
    cells = sheet.rows[row - 1]
    return cells[column - 1] if column - 1 < len(cells) else None


def tracker_language(tracker: Tracker, grid: WorkbookGrid) -> str:
    """The language the tracker's people write in, from its OKR tabs' header rows: the
    language of the health words the sheet shows."""
    sheets = {sheet.title: sheet for sheet in grid.sheets}
    headers: list[object] = []
    for layout in tracker.layouts:
        sheet = sheets.get(layout.tab)
        if sheet is not None and 0 < layout.header_row <= len(sheet.rows):
            headers += sheet.rows[layout.header_row - 1]
    return language_of(headers)


def plan_columns(
    tracker: Tracker,
    card: Scorecard,
    grid: WorkbookGrid,
    columns: Mapping[str, TabColumns] | None = None,
    lang: str | None = None,
) -> list[CellWrite]:
    """Tool-owned column cells of every OKR tab: headers where missing, IDs, scores, health.

    `columns` says where the tool writes on each tab (plan/ownership.py); found from the
    grid and the ledger of its Summary tab when not given. Columns people own are never
    written, and a tab without OKR rows gets nothing.
    """
    if columns is None:
        columns = tool_columns(tracker, grid, read_ledger(grid))
    lang = lang or tracker_language(tracker, grid)
    sheets = {sheet.title: sheet for sheet in grid.sheets}
    writes: list[CellWrite] = []
    for layout in tracker.layouts:
        where = columns.get(layout.tab)
        if where is None:
            continue  # no OKR rows: no headers, no figures
        sheet = sheets.get(layout.tab)
        formulas = sheet.formulas if sheet is not None else frozenset()
        positions = {key: index + 1 for key, index in where.positions.items()}
        for key in col.TOOL_OWNED:
            if key in where.appended:
                writes.append(
                    CellWrite(layout.tab, layout.header_row, positions[key], where.headers[key],
                              None, CellStyle.HEADER, HEADER_ROW_KEY)
                )  # fmt: skip
        for row, (row_key, values) in _row_values(tracker, card, layout.tab, lang).items():
            for key, (value, style) in values.items():
                if (row - 1, positions[key] - 1) in formulas:
                    continue  # a person's formula (an ID worked out, a "" shown): theirs
                old = _cell(sheet, row, positions[key])
                if key == col.ID and old not in (None, ""):
                    continue  # IDs are only filled in, never changed
                if not same_value(old, value):
                    writes.append(
                        CellWrite(layout.tab, row, positions[key], value, old, style, row_key)
                    )
    tab_order = {layout.tab: index for index, layout in enumerate(tracker.layouts)}
    return sorted(writes, key=lambda w: (tab_order[w.tab], w.row, w.column))


_Values = dict[str, tuple[WriteValue, CellStyle]]
_DEPTH = {Level.OBJECTIVE: 0, Level.KEY_RESULT: 1, Level.ACTION: 2}


def _row_values(
    tracker: Tracker, card: Scorecard, tab: str, lang: str
) -> dict[int, tuple[str, _Values]]:
    """What each plan row of a tab shows in the tool's columns; on a row holding several
    levels (tree layout), the deepest one owns the row's ID and figures."""
    owners: dict[int, tuple[int, Level, str, bool, Location]] = {}
    nodes = [(o.location, Level.OBJECTIVE, o.id, o.id_in_sheet) for o in tracker.objectives]
    nodes += [(k.location, Level.KEY_RESULT, k.id, k.id_in_sheet) for k in tracker.key_results]
    nodes += [(a.location, Level.ACTION, a.id, a.id_in_sheet) for a in tracker.actions]
    for location, level, node_id, in_sheet in nodes:
        if location.tab != tab:
            continue
        current = owners.get(location.row)
        if current is None or _DEPTH[level] > current[0]:
            owners[location.row] = (_DEPTH[level], level, node_id, in_sheet, location)
    figure_keys = ["progress", "score", "expected", "health"]
    kr_rows = card.key_results[figure_keys].to_dict("index")
    objective_rows = card.objectives[["score", "expected", "health"]].to_dict("index")
    out: dict[int, tuple[str, _Values]] = {}
    for row, (_, level, node_id, in_sheet, _location) in owners.items():
        values: _Values = {}
        if not in_sheet:
            values[col.ID] = (node_id, CellStyle.TEXT)
        figures = (kr_rows if level is Level.KEY_RESULT else objective_rows).get(node_id)
        for key in (col.PROGRESS, col.SCORE, col.EXPECTED):
            value = None
            if figures is not None and (key != col.PROGRESS or level is Level.KEY_RESULT):
                value = optional_float(figures[key])
            values[key] = (value, CellStyle.PERCENT)
        health = shown_health(figures["health"], lang) if figures is not None else None
        values[col.HEALTH] = (health, CellStyle.FILLED)
        out[row] = (node_id, values)
    return out
