"""The spreadsheet resource as JSON: properties, sheets, grid data and developer metadata."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from tests.support.sheets_emulator.fields import Mask, json_copy, select, select_fields, sub_mask
from tests.support.sheets_emulator.jsontext import Fragment
from tests.support.sheets_emulator.kinds import ErrorCell, Formula
from tests.support.sheets_emulator.model import Cell, Sheet, Spreadsheet, metadata_json
from tests.support.sheets_emulator.values import formatted_value, num

# Google fills effectiveFormat with the defaults of an untouched cell.
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "horizontalAlignment": "LEFT",
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
    },
    "hyperlinkDisplayType": "PLAIN_TEXT",
}


@dataclass(frozen=True)
class Window:
    """A rectangle of one sheet, clamped to its grid (0-based, end-exclusive)."""

    sheet: Sheet
    r0: int
    r1: int
    c0: int
    c1: int


def extended_value(value: Any) -> dict[str, Any]:
    """An ExtendedValue: {stringValue|numberValue|boolValue|formulaValue|errorValue}."""
    if isinstance(value, Formula):
        return {"formulaValue": value.text}
    if isinstance(value, ErrorCell):
        return {"errorValue": {"type": value.type, "message": value.message}}
    if isinstance(value, bool):
        return {"boolValue": value}
    if isinstance(value, int | float):
        return {"numberValue": num(value)}
    return {"stringValue": value}


_VALUE_FIELDS = ("numberValue", "stringValue", "boolValue", "formulaValue", "errorValue")
# ExtendedValue's fields a mask keeps -> what of each (None: all); None when it keeps all.
ValueFields = dict[str, Mask | None] | None


def value_fields(mask: Mask | None) -> ValueFields:
    """What a mask keeps of an ExtendedValue, field by field."""
    if mask is None:
        return None
    kept = {name: sub_mask(mask, name) for name in _VALUE_FIELDS}
    return {name: sub for name, (wanted, sub) in kept.items() if wanted}


def masked_value(value: Any, fields: ValueFields) -> dict[str, Any] | None:
    """extended_value(value) less what `fields` drops; None when nothing is left."""
    if fields is None:
        return extended_value(value)
    if isinstance(value, Formula):
        name = "formulaValue"
    elif isinstance(value, ErrorCell):
        name = "errorValue"
    elif isinstance(value, bool):
        name = "boolValue"
    elif isinstance(value, int | float):
        name = "numberValue"
    else:
        name = "stringValue"
    if name not in fields:
        return None
    sub = fields[name]
    whole = extended_value(value)
    kept: dict[str, Any] = whole if sub is None else select(whole, sub)
    return kept or None


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    merged: dict[str, Any] = json_copy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = json_copy(value)
    return merged


class Formats:
    """userEnteredFormat and effectiveFormat of each format object in one answer, as Fragments.

    Cells share format objects (a whole-column repeatCell gives every cell the same one), so
    a 1000-row answer merges each with the defaults, and encodes it, once.
    """

    def __init__(self, mask: Mask | None = None) -> None:
        """mask: what of each CellData to give (a read's `fields` below rowData.values)."""
        # (id(fmt), kind) -> (fmt, Fragment); fmt is kept so that the id stays its own
        self._known: dict[tuple[int, str], tuple[dict[str, Any], Fragment]] = {}
        self._rows: dict[tuple[int, ...], dict[str, Any] | Fragment] = {}
        self.mask = mask
        # Per CellData field, in the order Google gives them: (kept?, what of it).
        plan = [sub_mask(mask, name) for name in _CELL_FIELDS]
        self.user_value = plan[0][0], value_fields(plan[0][1])
        self.effective_value = plan[1][0], value_fields(plan[1][1])
        self.formatted = plan[2][0]
        self.user_format = plan[3]
        self.effective_format = plan[4]
        self.note = plan[5][0]
        # id(Fragment) -> (it, the part of it the mask keeps: None when nothing)
        self._picked: dict[int, tuple[Fragment, Fragment | None]] = {}

    def _get(self, fmt: dict[str, Any], kind: str) -> Fragment:
        key = (id(fmt) if fmt else 0, kind)
        known = self._known.get(key)
        if known is None or (fmt and known[0] is not fmt):
            if kind == "user":
                value = fmt  # never changed in place (see model.Cell)
            else:
                value = _merge(DEFAULT_FORMAT, fmt)
                if kind == "number":
                    value["horizontalAlignment"] = fmt.get("horizontalAlignment", "RIGHT")
            known = self._known[key] = (fmt, Fragment(value))
        return known[1]

    def user(self, fmt: dict[str, Any]) -> Fragment:
        """userEnteredFormat."""
        return self._get(fmt, "user")

    def effective(self, fmt: dict[str, Any], number: bool) -> Fragment:
        """DEFAULT_FORMAT with `fmt` over it; a number aligns right unless fmt says otherwise."""
        return self._get(fmt, "number" if number else "other")

    def picked(self, whole: Fragment, mask: Mask | None) -> Fragment | None:
        """What a sub-mask keeps of a shared format (None: nothing), worked out once."""
        if mask is None:
            return whole
        known = self._picked.get(id(whole))
        if known is None:
            kept = select(whole.value, mask)
            known = self._picked[id(whole)] = (whole, Fragment(kept) if kept else None)
        return known[1]

    def blank_row(self, cells: list[Cell | None]) -> dict[str, Any] | Fragment:
        """RowData of cells with neither a value nor a note: shared by rows formatted alike."""
        key = tuple(id(c.fmt) if c is not None and c.fmt else 0 for c in cells)
        known = self._rows.get(key)
        if known is None:
            values = [cell_json(cell, self) for cell in cells[: _content_end(cells)]]
            # The cells' formats are alive while the answer is built: their ids stay theirs.
            known = self._rows[key] = Fragment({"values": values}) if values else {}
        return known


_CELL_FIELDS = (
    "userEnteredValue",
    "effectiveValue",
    "formattedValue",
    "userEnteredFormat",
    "effectiveFormat",
    "note",
)


def _content_end(cells: list[Cell | None]) -> int:
    """How many cells a row's values list holds: up to the last one that is not empty.

    Decided on the cells, not on what a mask keeps of them: a formatted cell whose format
    is masked out still takes its place, as `{}`.
    """
    end = len(cells)
    while end and ((cell := cells[end - 1]) is None or cell.is_empty()):
        end -= 1
    return end


def cell_json(cell: Cell | None, formats: Formats) -> dict[str, Any]:
    """CellData; {} for an empty cell. Its formats are Fragments (see jsontext.py)."""
    if cell is None or cell.is_empty():
        return {}
    if formats.mask is not None:
        return _masked_cell(cell, formats)
    data: dict[str, Any] = {}
    if cell.value is not None:
        data["userEnteredValue"] = extended_value(cell.value)
        if cell.effective is not None:
            data["effectiveValue"] = extended_value(cell.effective)
            data["formattedValue"] = formatted_value(cell)
    if cell.fmt:
        data["userEnteredFormat"] = formats.user(cell.fmt)
    if cell.value is not None or cell.fmt:
        effective = cell.effective
        number = isinstance(effective, int | float) and not isinstance(effective, bool)
        data["effectiveFormat"] = formats.effective(cell.fmt, number)
    if cell.note is not None:
        data["note"] = cell.note
    return data


def _masked_cell(cell: Cell, formats: Formats) -> dict[str, Any]:
    """CellData with only what formats.mask keeps; built field by field, nothing more."""
    data: dict[str, Any] = {}
    entered = cell.value
    effective = cell.effective
    if entered is not None:
        wanted, fields = formats.user_value
        if wanted and (kept := masked_value(entered, fields)) is not None:
            data["userEnteredValue"] = kept
        if effective is not None:
            wanted, fields = formats.effective_value
            if wanted and (kept := masked_value(effective, fields)) is not None:
                data["effectiveValue"] = kept
            if formats.formatted:
                data["formattedValue"] = formatted_value(cell)
    wanted, mask = formats.user_format
    if wanted and cell.fmt:
        picked = formats.picked(formats.user(cell.fmt), mask)
        if picked is not None:
            data["userEnteredFormat"] = picked
    wanted, mask = formats.effective_format
    if wanted and (entered is not None or cell.fmt):
        number = isinstance(effective, int | float) and not isinstance(effective, bool)
        picked = formats.picked(formats.effective(cell.fmt, number), mask)
        if picked is not None:
            data["effectiveFormat"] = picked
    if formats.note and cell.note is not None:
        data["note"] = cell.note
    return data


def sheet_properties(sheet: Sheet, index: int) -> dict[str, Any]:
    """SheetProperties as the API returns them."""
    grid: dict[str, Any] = {"rowCount": sheet.row_count, "columnCount": sheet.column_count}
    if sheet.frozen_rows:
        grid["frozenRowCount"] = sheet.frozen_rows
    if sheet.frozen_columns:
        grid["frozenColumnCount"] = sheet.frozen_columns
    props: dict[str, Any] = {
        "sheetId": sheet.sheet_id,
        "title": sheet.title,
        "index": index,
        "sheetType": "GRID",
        "gridProperties": grid,
    }
    if sheet.hidden:
        props["hidden"] = True
    props.update(copy.deepcopy(sheet.extra))
    return props


def cell_mask(mask: Mask | None) -> Mask | None:
    """What a GridData mask keeps of each cell (rowData.values)."""
    return sub_mask(sub_mask(mask, "rowData")[1], "values")[1]


def grid_data(
    window: Window, formats: Formats | None = None, mask: Mask | None = None
) -> dict[str, Any]:
    """GridData for a window: rowData up to the last row with content, row/column sizes.

    mask: what of GridData to give; `formats` must have been made for cell_mask(mask).
    """
    sheet = window.sheet
    formats = formats or Formats(cell_mask(mask))
    data: dict[str, Any] = {}
    if window.r0 and sub_mask(mask, "startRow")[0]:
        data["startRow"] = window.r0
    if window.c0 and sub_mask(mask, "startColumn")[0]:
        data["startColumn"] = window.c0
    rows_kept, row_mask = sub_mask(mask, "rowData")
    if rows_kept:
        rows = _row_data(window, formats)
        if rows and not sub_mask(row_mask, "values")[0]:
            rows = [{} for _ in rows]
        if rows:
            data["rowData"] = rows
    kept = [(name, *sub_mask(mask, name)) for name in ("rowMetadata", "columnMetadata")]
    if not (kept[0][1] or kept[1][1]):
        return data
    spans: dict[int, int] = {}
    for item in sheet.lines():
        for meta in item.metadata:
            spans[id(meta)] = spans.get(id(meta), 0) + 1
    for (name, wanted, sub), kind, (start, end) in zip(
        kept, ("ROW", "COLUMN"), ((window.r0, window.r1), (window.c0, window.c1)), strict=True
    ):
        if wanted:
            data[name] = select([_dimension(sheet, kind, i, spans) for i in range(start, end)], sub)
    return data


def _row_data(window: Window, formats: Formats) -> list[dict[str, Any] | Fragment]:
    """RowData of a window's rows, up to the last one that holds a non-empty cell."""
    rows: list[dict[str, Any] | Fragment] = []
    last = 0
    for row in window.sheet.rows[window.r0 : window.r1]:
        cells = row.cells[window.c0 : window.c1]
        if all(c is None or (c.value is None and c.note is None) for c in cells):
            blank = formats.blank_row(cells)
            rows.append(blank)
            last = len(rows) if blank else last
            continue
        end = _content_end(cells)
        rows.append({"values": [cell_json(cell, formats) for cell in cells[:end]]} if end else {})
        if end:
            last = len(rows)
    return rows[:last]


def _dimension(sheet: Sheet, kind: str, index: int, spans: dict[int, int]) -> dict[str, Any]:
    """DimensionProperties; only metadata that sits on this one row (or column) is listed."""
    item = sheet.rows[index] if kind == "ROW" else sheet.columns[index]
    props: dict[str, Any] = {"pixelSize": item.pixel_size}
    own = [m for m in item.metadata if spans.get(id(m)) == 1]
    if own:
        location = _location(sheet, kind, index)
        props["developerMetadata"] = [metadata_json(m, location) for m in own]
    return props


def _location(sheet: Sheet, location_type: str, index: int) -> dict[str, Any]:
    dimension_range = {
        "sheetId": sheet.sheet_id,
        "dimension": f"{location_type}S",
        "startIndex": index,
        "endIndex": index + 1,
    }
    return {"locationType": location_type, "dimensionRange": dimension_range}


def keeps_grid(mask: Mask | None) -> bool:
    """Whether a Spreadsheet mask asks for grid data (sheets.data): then Google gives it,
    includeGridData or not."""
    kept, sheets = sub_mask(mask, "sheets")
    return kept and sub_mask(sheets, "data")[0]


def spreadsheet_json(
    book: Spreadsheet,
    *,
    include_grid: bool,
    windows: list[Window] | None = None,
    mask: Mask | None = None,
) -> dict[str, Any]:
    """The Spreadsheet resource; with windows, only their sheets (and their data) appear.

    mask: only what it keeps (a read's `fields`; None keeps everything). Grid data is built
    already masked, cell by cell; the rest is built whole and then masked.
    """
    wanted = {id(w.sheet) for w in windows} if windows is not None else None
    sheets_kept, sheet_mask = sub_mask(mask, "sheets")
    data_mask = sub_mask(sheet_mask, "data")[1]
    sheets: list[dict[str, Any]] = []
    metadata = list(book.all_metadata())
    formats = Formats(cell_mask(data_mask))
    for index, sheet in enumerate(book.sheets if sheets_kept else ()):
        if wanted is not None and id(sheet) not in wanted:
            continue
        entry: dict[str, Any] = {"properties": sheet_properties(sheet, index)}
        if include_grid:
            if windows is None:
                whole = Window(sheet, 0, sheet.row_count, 0, sheet.column_count)
                entry["data"] = [grid_data(whole, formats, data_mask)]
            else:
                entry["data"] = [
                    grid_data(w, formats, data_mask) for w in windows if w.sheet is sheet
                ]
        if sheet.merges:
            entry["merges"] = copy.deepcopy(sheet.merges)
        if sheet.conditional_formats:
            entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
        own = [metadata_json(m, loc) for m, loc in metadata if m in sheet.metadata]
        if own:
            entry["developerMetadata"] = own
        sheets.append(select_fields(entry, sheet_mask, done=("data",)))
    result: dict[str, Any] = {
        "spreadsheetId": book.key,
        "properties": {
            "title": book.title,
            "locale": "en_US",
            "autoRecalc": "ON_CHANGE",
            "timeZone": "Etc/GMT",
            **copy.deepcopy(book.properties),
        },
        "sheets": sheets,
    }
    top = [metadata_json(m, loc) for m, loc in metadata if m in book.metadata]
    if top:
        result["developerMetadata"] = top
    result["spreadsheetUrl"] = f"https://docs.google.com/spreadsheets/d/{book.key}/edit"
    return select_fields(result, mask, done=("sheets",))
