"""A spreadsheets.get answer (with grid data) turned into plain grids, plus what writing needs.

Values come typed (`effectiveValue`), never as display text: dates are serial numbers whose
cell format says DATE, percentages are fractions, and error cells carry an `errorValue`, so
they become CellError (reported as problems), never zeros.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sheets_okr.sources.grid import CellError, CellRange, CellValue, SheetGrid

# The fields one read asks for: values, formats, merges, value colour rules and the row
# anchors (developer metadata), and nothing else, to keep the answer small. Per cell: the
# value, the number format's type (a serial number is a date only by its format) and, only
# on cells that hold one, the formula; never the formatted text (an error cell's text comes
# from its error type), which would double a large tab's answer.
READ_FIELDS = (
    "spreadsheetId,properties(title,locale,timeZone),"
    "sheets(properties(sheetId,title,index,hidden,sheetType,"
    "gridProperties(rowCount,columnCount,frozenRowCount)),"
    "merges,conditionalFormats(ranges,booleanRule(condition(type,values))),"
    "data(startRow,startColumn,"
    "rowData(values(userEnteredValue/formulaValue,effectiveValue,"
    "effectiveFormat/numberFormat/type)),"
    "rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue))))"
)
# What the first sync's structural call asks back: the tagged tabs as they are after it.
STRUCTURAL_FIELDS = (
    "replies,updatedSpreadsheet(sheets(properties(sheetId,title,sheetType,"
    "gridProperties(rowCount,columnCount)),"
    "data(startRow,startColumn,"
    "rowData(values(effectiveValue,effectiveFormat/numberFormat/type)),"
    "rowMetadata(developerMetadata(metadataId,metadataKey,metadataValue)))))"
)
# Short: Google may cap the characters of metadata per sheet (unverified), one tag a row.
ROW_ANCHOR_KEY = "okr-row"

_SERIAL_EPOCH = dt.datetime(1899, 12, 30)  # Sheets serial day 0 (1900 is no leap year here)
_ERROR_TEXT = {
    "NULL_VALUE": "#NULL!", "DIVIDE_BY_ZERO": "#DIV/0!", "VALUE": "#VALUE!", "REF": "#REF!",
    "NAME": "#NAME?", "NUM": "#NUM!", "N_A": "#N/A", "ERROR": "#ERROR!", "LOADING": "#N/A",
}  # fmt: skip


@dataclass(frozen=True)
class Anchor:
    """A row's developer metadata that marks it for the tool: it moves with the row."""

    metadata_id: int
    value: str


@dataclass
class SheetInfo:
    """What a write needs to know of a tab as read: its id, size, formats and anchors."""

    sheet_id: int
    title: str
    row_count: int
    column_count: int
    frozen_rows: int
    anchors: dict[int, list[Anchor]] = field(default_factory=dict)  # 0-based row -> anchors
    formats: dict[tuple[int, int], str] = field(default_factory=dict)  # 0-based -> type
    # 0-based column -> the texts a conditional "text is exactly" rule colours there
    filled_columns: dict[int, set[str]] = field(default_factory=dict)
    content_rows: int = 0  # rows up to the last one holding a value
    formulas: set[tuple[int, int]] = field(default_factory=set)  # 0-based cells with one

    def format_at(self, row: int, column: int) -> str | None:
        """A cell's number format type; below the content, the column's last one (the tool
        formats a column down to the end of the grid, and empty cells may not be reported)."""
        known = self.formats.get((row, column))
        if known is not None or row < self.content_rows:
            return known
        for above in range(min(row, self.content_rows) - 1, -1, -1):
            if (above, column) in self.formats:
                return self.formats[(above, column)]
        return None


def serial_to_value(serial: float, kind: str) -> dt.date | dt.datetime | dt.time:
    """A Sheets serial number as the date, date-time or time its format shows."""
    moment = _SERIAL_EPOCH + dt.timedelta(days=serial)
    if kind == "DATE":
        return moment.date()
    if kind == "TIME":
        return moment.time()
    return moment


def date_to_serial(day: dt.date) -> float | int:
    """The serial number Sheets stores for a date (or date-time)."""
    if isinstance(day, dt.datetime):
        return (day.replace(tzinfo=None) - _SERIAL_EPOCH) / dt.timedelta(days=1)
    return (day - _SERIAL_EPOCH.date()).days


def cell_value(cell: Mapping[str, Any]) -> tuple[CellValue, str | None]:
    """A CellData's value as the parser reads it, and its number format type."""
    number_format = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type")
    value = cell.get("effectiveValue")
    if not value:
        return None, number_format
    if "errorValue" in value:
        kind = value["errorValue"].get("type", "ERROR")
        # A cell still loading (IMPORTRANGE) shows "Loading...": it is unknown, like #N/A.
        return CellError(_ERROR_TEXT.get(kind, "#ERROR!")), number_format
    if "numberValue" in value:
        number = value["numberValue"]
        if number_format in ("DATE", "DATE_TIME", "TIME"):
            # A DATE cell holding a time of day reads as a date-time, as Excel's does.
            kind = "DATE_TIME" if number_format == "DATE" and number % 1 else number_format
            try:
                return serial_to_value(float(number), kind), number_format
            except (OverflowError, ValueError):
                return number, number_format  # a date out of range reads as its number
        if isinstance(number, float) and number.is_integer() and abs(number) < 2**53:
            number = int(number)
        return number, number_format
    if "boolValue" in value:
        return bool(value["boolValue"]), number_format
    return str(value.get("stringValue", "")), number_format


class ReadCell(NamedTuple):
    """A cell of a read's answer, turned into its value as soon as it is parsed."""

    value: CellValue
    number_format: str | None
    formula: bool


def _cell_as_read(obj: dict[str, Any]) -> Any:
    """json.loads' object_hook: a CellData becomes a small ReadCell as it is parsed, so the
    answer of a large tab never holds a dict per cell (and a dict per value) in memory.
    Only CellData has effectiveValue or effectiveFormat, or an object as userEnteredValue
    (a conditional format's value holds a string there)."""
    if (
        "effectiveValue" in obj
        or "effectiveFormat" in obj
        or isinstance(obj.get("userEnteredValue"), dict)
    ):
        value, number_format = cell_value(obj)
        return ReadCell(value, number_format, "formulaValue" in obj.get("userEnteredValue", {}))
    return obj


def decode_answer(content: bytes) -> Any:
    """A spreadsheets.get answer parsed, its cells as ReadCells; None when it is no JSON
    (a proxy's error page), which the caller reports."""
    try:
        return json.loads(content, object_hook=_cell_as_read)
    except ValueError:
        return None


def sheet_from_json(sheet: Mapping[str, Any]) -> tuple[SheetGrid, SheetInfo] | None:
    """One tab of the answer as a grid and its write information (None: not a grid tab)."""
    props = sheet.get("properties", {})
    if props.get("sheetType", "GRID") != "GRID":
        return None
    grid_props = props.get("gridProperties", {})
    info = SheetInfo(
        sheet_id=int(props.get("sheetId", 0)),
        title=str(props.get("title", "")),
        row_count=int(grid_props.get("rowCount", 0)),
        column_count=int(grid_props.get("columnCount", 0)),
        frozen_rows=int(grid_props.get("frozenRowCount", 0)),
    )
    rows: list[list[CellValue]] = []
    for block in sheet.get("data", []):
        first_row = int(block.get("startRow", 0))
        first_col = int(block.get("startColumn", 0))
        for offset, row_data in enumerate(block.get("rowData", [])):
            row_index = first_row + offset
            cells = row_data.get("values", [])
            if not cells:
                continue
            while len(rows) <= row_index:
                rows.append([])
            row = rows[row_index]
            for col_offset, cell in enumerate(cells):
                if not cell:
                    continue
                if isinstance(cell, ReadCell):
                    value, number_format, formula = cell
                else:
                    value, number_format = cell_value(cell)
                    formula = "formulaValue" in cell.get("userEnteredValue", {})
                column = first_col + col_offset
                if number_format:
                    info.formats[(row_index, column)] = number_format
                if formula:
                    info.formulas.add((row_index, column))
                if value is None:
                    continue
                if len(row) <= column:
                    row.extend([None] * (column + 1 - len(row)))
                row[column] = value
        for offset, dimension in enumerate(block.get("rowMetadata", [])):
            anchors = [
                Anchor(int(meta["metadataId"]), str(meta.get("metadataValue", "")))
                for meta in dimension.get("developerMetadata", [])
                if meta.get("metadataKey") == ROW_ANCHOR_KEY and "metadataId" in meta
            ]
            if anchors:
                info.anchors[first_row + offset] = anchors
    merged = tuple(
        CellRange(
            int(m.get("startRowIndex", 0)),
            int(m.get("startColumnIndex", 0)),
            int(m.get("endRowIndex", info.row_count)) - 1,
            int(m.get("endColumnIndex", info.column_count)) - 1,
        )
        for m in sheet.get("merges", [])
    )
    for rule in sheet.get("conditionalFormats", []):
        condition = rule.get("booleanRule", {}).get("condition", {})
        values = [v.get("userEnteredValue") for v in condition.get("values", [])]
        if condition.get("type") == "TEXT_EQ" and len(values) == 1:
            for grid_range in rule.get("ranges", []):
                start = int(grid_range.get("startColumnIndex", 0))
                end = int(grid_range.get("endColumnIndex", start + 1))
                for column in range(start, end):
                    info.filled_columns.setdefault(column, set()).add(str(values[0]))
    info.content_rows = len(rows)
    hidden = bool(props.get("hidden", False))
    grid = SheetGrid(info.title, rows, merged, hidden, frozenset(info.formulas))
    return grid, info
