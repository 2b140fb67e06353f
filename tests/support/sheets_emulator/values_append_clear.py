"""The values endpoints that clear ranges or append rows after a table."""

from __future__ import annotations

from typing import Any

from tests.support.sheets_emulator.grid_json import Window
from tests.support.sheets_emulator.ranges import Context, Target, filter_targets, resolve_a1
from tests.support.sheets_emulator.values_api import input_option, window_range, write_values


def _clear(window: Window) -> str:
    for r in range(window.r0, window.r1):
        if all(
            c is None or c.value is None for c in window.sheet.rows[r].cells[window.c0 : window.c1]
        ):
            continue  # nothing to clear: the row stays as it is (and shared, see clone.py)
        row = window.sheet.writable_row(r)
        for c in range(window.c0, min(window.c1, len(row.cells))):
            cell = row.cells[c]
            if cell is not None:
                cell.value = None  # values only: formats, notes and validation stay
        row.trim()
    return window_range(window)


def values_clear(ctx: Context, range_text: str) -> dict[str, Any]:
    """POST values/{range}:clear."""
    cleared = _clear(resolve_a1(ctx.book, range_text).window)
    return {"spreadsheetId": ctx.book.key, "clearedRange": cleared}


def values_batch_clear(ctx: Context, *, by_filter: bool = False) -> dict[str, Any]:
    """POST values:batchClear ({ranges}) or values:batchClearByDataFilter ({dataFilters})."""
    body = ctx.body or {}
    if by_filter:
        targets = [t for f in body.get("dataFilters") or [] for t in filter_targets(ctx, f)]
    else:
        targets = [resolve_a1(ctx.book, str(text)) for text in body.get("ranges") or []]
    cleared = [_clear(t.window) for t in targets]
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key}
    if cleared:
        result["clearedRanges"] = cleared
    return result


def values_append(ctx: Context, range_text: str) -> dict[str, Any]:
    """POST values/{range}:append: after the table's last row, growing the grid if needed."""
    option = input_option(ctx)
    target = resolve_a1(ctx.book, range_text)
    window, sheet = target.window, target.window.sheet
    # The table: rows with a value in the range's columns, up to the last one.
    first, last, right = None, window.r0 - 1, window.c0 + 1
    for r in range(window.r0, sheet.row_count):
        cells = sheet.rows[r].cells[window.c0 : window.c1]
        used = [i for i, c in enumerate(cells) if c is not None and c.value is not None]
        if used:
            first = r if first is None else first
            last, right = r, max(right, window.c0 + used[-1] + 1)
    start = last + 1
    height = len((ctx.body or {}).get("values") or [])
    if ctx.param("insertDataOption") == "INSERT_ROWS":
        sheet.insert("ROWS", min(start, sheet.row_count), height)
    elif start + height > sheet.row_count:
        sheet.insert("ROWS", sheet.row_count, start + height - sheet.row_count)
    anchor = Window(sheet, start, start + max(height, 1), window.c0, window.c0 + 1)
    updates = write_values(ctx, Target(anchor, False, False, range_text), ctx.body or {}, option)
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key, "updates": updates}
    if first is not None:
        table = Window(sheet, first, last + 1, window.c0, right)
        result["tableRange"] = window_range(table)
    return result
