"""batchUpdate requests on cells: updateCells, repeatCell, appendCells, merges, rules."""

from __future__ import annotations

import copy
import functools
from collections.abc import Callable
from typing import Any

from tests.support.sheets_emulator.a1 import format_range
from tests.support.sheets_emulator.errors import bad_request
from tests.support.sheets_emulator.fields import apply_mask, json_copy, parse_mask
from tests.support.sheets_emulator.grid_json import Window, extended_value
from tests.support.sheets_emulator.kinds import Formula
from tests.support.sheets_emulator.model import Cell, Scalar, Sheet
from tests.support.sheets_emulator.ranges import Context, grid_error, resolve_grid_range, sheet_of
from tests.support.sheets_emulator.values import NOT_EVALUATED, num

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]


def _from_extended(value: dict[str, Any]) -> Scalar | Formula:
    """A typed userEnteredValue, stored as given (like RAW; formulaValue makes a formula)."""
    if "formulaValue" in value:
        return Formula(str(value["formulaValue"]), NOT_EVALUATED)
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "numberValue" in value:
        return num(float(value["numberValue"]))
    raise bad_request(
        "userEnteredValue must hold one of stringValue, numberValue, boolValue, formulaValue"
    )


# A cell state after a CellData write: (value, userEnteredFormat, note).
Outcome = tuple[Scalar | Formula | None, dict[str, Any], str | None]
# What writing a CellData does to a cell with no value and no note, by the CellData and the
# cell's format: a whole-column repeatCell works it out once, not once a cell. Entries keep
# the CellData and the format, so that their ids stay theirs while the memo lives.
Memo = dict[tuple[int, int], tuple[dict[str, Any], dict[str, Any], Outcome]]
_NO_DATA: dict[str, Any] = {}


def _outcome(cell: Cell, data: dict[str, Any], mask: str) -> Outcome:
    current: dict[str, Any] = {}
    if cell.value is not None:
        current["userEnteredValue"] = extended_value(cell.value)
    if cell.fmt:
        current["userEnteredFormat"] = json_copy(cell.fmt)  # apply_mask changes it in place
    if cell.note is not None:
        current["note"] = cell.note
    apply_mask(current, data, mask)
    typed = current.get("userEnteredValue")
    value = _from_extended(typed) if typed else None
    return value, current.get("userEnteredFormat") or {}, current.get("note")


@functools.lru_cache(maxsize=256)
def _format_only(mask: str) -> bool:
    """Whether a mask names nothing but userEnteredFormat fields."""
    return all(path and path[0] == "userEnteredFormat" for path in parse_mask(mask))


def _memo_outcome(cell: Cell, data: dict[str, Any], mask: str, memo: Memo) -> Outcome | None:
    """The outcome from the memo, when the cell's value and note play no part in it."""
    blank = cell.value is None and cell.note is None
    if not blank and not _format_only(mask):
        return None
    key = (id(data), id(cell.fmt) if cell.fmt else 0)
    known = memo.get(key)
    if known is None or known[0] is not data or (cell.fmt and known[1] is not cell.fmt):
        outcome = _outcome(Cell(None, cell.fmt, None), data, mask)
        known = memo[key] = (data, cell.fmt, outcome)
    if blank:
        return known[2]
    # Only the format changes; the value goes through ExtendedValue as _outcome does.
    value = _from_extended(extended_value(cell.value)) if cell.value is not None else None
    return value, known[2][1], cell.note


def apply_row(
    ctx: Context,
    sheet: Sheet,
    row: int,
    c0: int,
    datas: list[dict[str, Any]],
    mask: str,
    memo: Memo,
) -> None:
    """Set the masked fields of CellData on cells of a row from column c0 (absent ones are
    cleared): datas[j] goes to column c0 + j."""
    if not datas:
        return
    if not mask:
        raise bad_request("At least one field must be specified in 'fields'.")
    line = sheet.writable_row(row)
    for col, data in enumerate(datas, start=c0):
        cell = line.cell(col, create=True)
        assert cell is not None
        outcome = _memo_outcome(cell, data, mask, memo)
        cell.value, cell.fmt, cell.note = outcome or _outcome(cell, data, mask)
        if isinstance(cell.value, Formula) and "userEnteredValue" in data:
            where = format_range(sheet.title, row, row + 1, col, col + 1).rpartition("!")[2]
            ctx.formulas.append((sheet.title, where, cell.value.text))
        line.trim()


def _write_rows(
    ctx: Context, window: Window, rows: list[dict[str, Any]], mask: str, *, fill: bool
) -> None:
    """Write RowData from the window's corner; with fill, cells not given are cleared too."""
    sheet = window.sheet
    height = window.r1 - window.r0 if fill else len(rows)
    memo: Memo = {}
    for i in range(height):
        values = (rows[i].get("values") or []) if i < len(rows) else []
        width = window.c1 - window.c0 if fill else len(values)
        if window.r0 + i >= sheet.row_count or window.c0 + width > sheet.column_count:
            end = format_range(
                sheet.title, window.r0, window.r0 + i + 1, window.c0, window.c0 + width
            )
            raise grid_error(sheet, end.rpartition("!")[2])
        datas = [(values[j] if j < len(values) else None) or _NO_DATA for j in range(width)]
        apply_row(ctx, sheet, window.r0 + i, window.c0, datas, mask, memo)


def update_cells(ctx: Context, request: dict[str, Any]) -> None:
    """updateCells: rows from `start`, or into `range` (clearing what the rows leave out)."""
    rows, mask = request.get("rows") or [], str(request.get("fields") or "")
    if "range" in request:
        window = resolve_grid_range(ctx.book, request["range"]).window
        _write_rows(ctx, window, rows, mask, fill=True)
        return
    start = request.get("start") or {}
    sheet = sheet_of(ctx.book, start.get("sheetId"))
    r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
    _write_rows(
        ctx, Window(sheet, r0, sheet.row_count, c0, sheet.column_count), rows, mask, fill=False
    )


def repeat_cell(ctx: Context, request: dict[str, Any]) -> None:
    """repeatCell: the same CellData fields on every cell of a range."""
    window = resolve_grid_range(ctx.book, request.get("range") or {}).window
    data, mask = request.get("cell") or {}, str(request.get("fields") or "")
    memo: Memo = {}
    datas = [data] * (window.c1 - window.c0)
    for row in range(window.r0, window.r1):
        apply_row(ctx, window.sheet, row, window.c0, datas, mask, memo)


def append_cells(ctx: Context, request: dict[str, Any]) -> None:
    """appendCells: after the last row with content, growing the grid as needed."""
    sheet = sheet_of(ctx.book, request.get("sheetId"))
    rows, mask = request.get("rows") or [], str(request.get("fields") or "")
    start = sheet.content_rows()
    if start + len(rows) > sheet.row_count:
        sheet.insert("ROWS", sheet.row_count, start + len(rows) - sheet.row_count)
    _write_rows(
        ctx, Window(sheet, start, sheet.row_count, 0, sheet.column_count), rows, mask, fill=False
    )


def _overlaps(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return all(
        a[f"start{d}Index"] < b[f"end{d}Index"] and b[f"start{d}Index"] < a[f"end{d}Index"]
        for d in ("Row", "Column")
    )


def merge_cells(ctx: Context, request: dict[str, Any]) -> None:
    """mergeCells: MERGE_ALL keeps only the top-left value, as Sheets does."""
    target = resolve_grid_range(ctx.book, request.get("range") or {})
    w, sheet = target.window, target.window.sheet
    kind = request.get("mergeType", "MERGE_ALL")
    if kind == "MERGE_ROWS":
        parts = [(r, r + 1, w.c0, w.c1) for r in range(w.r0, w.r1)]
    elif kind == "MERGE_COLUMNS":
        parts = [(w.r0, w.r1, c, c + 1) for c in range(w.c0, w.c1)]
    else:
        parts = [(w.r0, w.r1, w.c0, w.c1)]
    for r0, r1, c0, c1 in parts:
        merge = {
            "sheetId": sheet.sheet_id,
            "startRowIndex": r0,
            "endRowIndex": r1,
            "startColumnIndex": c0,
            "endColumnIndex": c1,
        }
        if any(_overlaps(merge, other) for other in sheet.merges):
            raise bad_request("You can't merge cells that are already merged.")
        for row in range(r0, r1):
            for col in range(c0, c1):
                if (row, col) != (r0, c0) and sheet.cell(row, col) is not None:
                    cell = sheet.writable_row(row).cell(col)
                    assert cell is not None
                    cell.value = None
        if (r1 - r0) * (c1 - c0) > 1:
            sheet.merges.append(merge)


def unmerge_cells(ctx: Context, request: dict[str, Any]) -> None:
    """unmergeCells: every merge that touches the range goes."""
    target = resolve_grid_range(ctx.book, request.get("range") or {})
    w = target.window
    area = {
        "startRowIndex": w.r0,
        "endRowIndex": w.r1,
        "startColumnIndex": w.c0,
        "endColumnIndex": w.c1,
    }
    w.sheet.merges = [m for m in w.sheet.merges if not _overlaps(m, area)]


def add_conditional_format_rule(ctx: Context, request: dict[str, Any]) -> None:
    """addConditionalFormatRule: inserted at `index` (0 by default) of its sheet's rules."""
    rule = copy.deepcopy(request.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges or not ("booleanRule" in rule or "gradientRule" in rule):
        raise bad_request(
            "A conditional format rule needs ranges and a booleanRule or gradientRule."
        )
    sheet = sheet_of(ctx.book, ranges[0].get("sheetId"))
    for grid_range in ranges:
        resolve_grid_range(ctx.book, grid_range)
        grid_range.setdefault("sheetId", sheet.sheet_id)
    index = int(request.get("index", 0))
    sheet.conditional_formats.insert(min(index, len(sheet.conditional_formats)), rule)


def delete_conditional_format_rule(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """deleteConditionalFormatRule: by sheetId and index."""
    sheet = sheet_of(ctx.book, request.get("sheetId"))
    index = int(request.get("index", 0))
    if not 0 <= index < len(sheet.conditional_formats):
        raise bad_request(f"No conditional format on sheet {sheet.sheet_id} at index {index}")
    return {"deleteConditionalFormatRule": {"rule": sheet.conditional_formats.pop(index)}}


CELL_REQUESTS: dict[str, Handler] = {
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "addConditionalFormatRule": add_conditional_format_rule,
    "deleteConditionalFormatRule": delete_conditional_format_rule,
}
