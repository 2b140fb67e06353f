"""What a person does in the browser, applied straight to the model (no API call)."""

from __future__ import annotations

from typing import Any

from tests.support.sheets_emulator.a1 import parse_cells
from tests.support.sheets_emulator.kinds import ErrorCell
from tests.support.sheets_emulator.model import Cell, Sheet
from tests.support.sheets_emulator.values import python_cell


def cell_position(sheet: Sheet, a1: str) -> tuple[int, int]:
    """(row, column) of a single-cell A1 reference inside the sheet's grid."""
    bounds = parse_cells(a1)
    if bounds.start_row is None or bounds.start_col is None:
        raise ValueError(f"{a1!r} is not a single cell")
    row, col = bounds.start_row, bounds.start_col
    if row >= sheet.row_count or col >= sheet.column_count:
        raise ValueError(f"{a1} is outside the {sheet.row_count} x {sheet.column_count} grid")
    return row, col


def set_cell(sheet: Sheet, row: int, col: int, value: Any) -> None:
    """Type a value into a cell; a plain value keeps the cell's format, None empties it."""
    target = sheet.rows[row]
    existing = target.cell(col)
    made = python_cell(value, existing)
    if made is None:
        if col < len(target.cells):
            target.cells[col] = None
    else:
        target.cells.extend([None] * (col + 1 - len(target.cells)))
        target.cells[col] = made
    target.trim()


def fill_rows(sheet: Sheet, start: int, rows: list[list[Any]]) -> None:
    """Type rows of values from column A, starting at row `start`."""
    for offset, values in enumerate(rows):
        if len(values) > sheet.column_count:
            raise ValueError(f"row {start + offset + 1} is wider than the grid")
        for col, value in enumerate(values):
            if value is not None:
                set_cell(sheet, start + offset, col, value)


def _sort_key(cell: Cell | None) -> tuple[int, Any]:
    """Sheets' ascending order: numbers, then text (ignoring case), then booleans, errors."""
    value = cell.effective if cell is not None else None
    if isinstance(value, bool):
        return 2, value
    if isinstance(value, int | float):
        return 0, value
    if isinstance(value, str):
        return 1, value.lower()
    if isinstance(value, ErrorCell):
        return 3, value.type
    return 4, 0


def sort_rows(sheet: Sheet, start: int, end: int, column: int, *, descending: bool) -> None:
    """Sort rows [start, end) by one column, moving the row objects (values and metadata).

    Empty cells go last whichever the order, as in Sheets.
    """
    block = sheet.rows[start:end]
    filled = [r for r in block if _sort_key(r.cell(column))[0] != 4]
    empty = [r for r in block if _sort_key(r.cell(column))[0] == 4]
    filled.sort(key=lambda r: _sort_key(r.cell(column)), reverse=descending)
    sheet.rows[start:end] = filled + empty
