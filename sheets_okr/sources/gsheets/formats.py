"""Number formats, bold headers, wrapping and value colours a sync's cells still lack.

They are set in the structural call, so that steady syncs send values only: each styled
column is formatted from its first row down to the end of the grid, so later values (a
first check-in, the next History rows) find their format in place. A figure's format
depends on its key result's unit, so figures (History's Current) are formatted row by row,
only where a row has no format yet. Wrapped text needs no row heights here: Google Sheets
fits a row to its wrapped text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheets_okr.sources.gsheets.grid import SheetInfo
from sheets_okr.sources.writes import CellStyle, WriteValue

NUMBER_FORMATS = {
    CellStyle.PERCENT: {"type": "PERCENT", "pattern": "0%"},
    CellStyle.DATE: {"type": "DATE", "pattern": "yyyy-mm-dd"},
}


class FormatNeeds:
    """Collects the cells a sync writes and turns what they lack into requests."""

    def __init__(self, sheets: dict[str, SheetInfo], fills: Mapping[str, str]) -> None:
        self.sheets = sheets
        self.fills = fills  # a FILLED cell's colour by its text (WritePlan.fills)
        self.first_row: dict[str, int] = {}  # tab -> first 0-based row written
        self.styled: dict[tuple[str, int], CellStyle] = {}  # (tab, column) -> number style
        self.style_start: dict[tuple[str, int], int] = {}  # first row of that style
        self.missing: set[tuple[str, int]] = set()  # columns with a value lacking its format
        self.bold: set[tuple[str, int, int]] = set()
        self.filled: set[tuple[str, int]] = set()
        self.wrapped: set[tuple[str, int]] = set()
        # (tab, column) -> each figure's format code by row, and the rows that lack one
        self.figures: dict[tuple[str, int], dict[int, str]] = {}
        self.unformatted_figures: dict[tuple[str, int], set[int]] = {}

    def note(
        self,
        tab: str,
        row: int,
        column: int,
        style: CellStyle,
        value: WriteValue,
        *,
        bold: bool,
        number_format: str = "",
    ) -> None:
        """A cell the sync writes (1-based row and column) and how it should look; `bold`
        says the tab is new (its header is made bold, its wrapped columns wrap)."""
        info = self.sheets[tab]
        row_index, col_index = row - 1, column - 1
        if style is CellStyle.FIGURE:
            self._note_figure(info, row_index, col_index, value, number_format)
            return
        if style is CellStyle.WRAPPED:
            if bold:
                self.wrapped.add((tab, col_index))
            return
        self.first_row[tab] = min(self.first_row.get(tab, row_index), row_index)
        if style in NUMBER_FORMATS:
            key = (tab, col_index)
            self.styled[key] = style
            self.style_start[key] = min(self.style_start.get(key, row_index), row_index)
            wanted = NUMBER_FORMATS[style]["type"]
            if value is not None and info.format_at(row_index, col_index) != wanted:
                self.missing.add(key)
        elif style is CellStyle.FILLED and not set(self.fills) <= info.filled_columns.get(
            col_index, set()
        ):
            self.filled.add((tab, col_index))
        elif style in (CellStyle.HEADER, CellStyle.TITLE) and bold and value not in (None, ""):
            self.bold.add((tab, row_index, col_index))

    def _note_figure(
        self, info: SheetInfo, row_index: int, col_index: int, value: WriteValue, code: str
    ) -> None:
        if not code or not isinstance(value, int | float) or isinstance(value, bool):
            return
        key = (info.title, col_index)
        self.figures.setdefault(key, {})[row_index] = code
        if (row_index, col_index) not in info.formats:  # a number shown as written
            self.unformatted_figures.setdefault(key, set()).add(row_index)

    def requests(self, grown: dict[str, tuple[int, int]]) -> list[dict[str, Any]]:
        """repeatCell and addConditionalFormatRule requests; none when nothing is missing.

        `grown` gives the rows appended to each tab in this call, which have no format yet.
        """
        out: list[dict[str, Any]] = []
        for (tab, col_index), style in sorted(self.styled.items()):
            info = self.sheets[tab]
            fmt: dict[str, Any] = {"numberFormat": NUMBER_FORMATS[style]}
            field = "userEnteredFormat.numberFormat"
            if (tab, col_index) in self.missing:
                # A tool column (OKR tabs): from the first row the sync writes, the header
                # included, so a KR above checking in for the first time finds its format.
                start = self.style_start[(tab, col_index)]
                start = min(start, self.first_row[tab]) if style is CellStyle.PERCENT else start
                out.append(_repeat(_range(info, start, info.row_count, col_index), fmt, field))
            elif tab in grown:
                first, end = grown[tab]
                out.append(_repeat(_range(info, first, end, col_index), fmt, field))
        for (tab, col_index), missing in sorted(self.unformatted_figures.items()):
            out.append(self._figure_formats(tab, col_index, min(missing), max(missing)))
        for tab, col_index in sorted(self.wrapped):
            info = self.sheets[tab]
            wrap = {"wrapStrategy": "WRAP"}
            grid_range = _range(info, 0, info.row_count, col_index)
            out.append(_repeat(grid_range, wrap, "userEnteredFormat.wrapStrategy"))
        for tab, row_index, col_index in sorted(self.bold):
            bold = {"textFormat": {"bold": True}}
            grid_range = _range(self.sheets[tab], row_index, row_index + 1, col_index)
            out.append(_repeat(grid_range, bold, "userEnteredFormat.textFormat.bold"))
        for tab, col_index in sorted(self.filled):
            info = self.sheets[tab]
            present = info.filled_columns.get(col_index, set())
            for text, colour in self.fills.items():
                if text in present:
                    continue
                condition = {"type": "TEXT_EQ", "values": [{"userEnteredValue": text}]}
                # No end row: the rule covers rows added to the grid later too.
                whole_column = {
                    "sheetId": info.sheet_id,
                    "startRowIndex": 0,
                    "startColumnIndex": col_index,
                    "endColumnIndex": col_index + 1,
                }
                rule = {
                    "ranges": [whole_column],
                    "booleanRule": {"condition": condition,
                                    "format": {"backgroundColor": _rgb(colour)}},
                }  # fmt: skip
                out.append({"addConditionalFormatRule": {"rule": rule, "index": 0}})
        return out

    def _figure_formats(self, tab: str, col_index: int, first: int, last: int) -> dict[str, Any]:
        """One updateCells giving each figure from row `first` to `last` its own format
        (rows between without a figure are left without one: the tab is the tool's)."""
        codes = self.figures[(tab, col_index)]
        rows = []
        for row_index in range(first, last + 1):
            code = codes.get(row_index)
            number_format = {"numberFormat": _number_format(code)} if code else {}
            rows.append({"values": [{"userEnteredFormat": number_format}]})
        start = {"sheetId": self.sheets[tab].sheet_id, "rowIndex": first, "columnIndex": col_index}
        return {
            "updateCells": {
                "start": start,
                "rows": rows,
                "fields": "userEnteredFormat.numberFormat",
            }
        }


def _number_format(code: str) -> dict[str, str]:
    """A Sheets numberFormat for an Excel format code (the two share the pattern syntax)."""
    kind = "PERCENT" if code.endswith("%") else "NUMBER"
    return {"type": kind, "pattern": code}


def _range(info: SheetInfo, first_row: int, end_row: int, col_index: int) -> dict[str, int]:
    return {
        "sheetId": info.sheet_id,
        "startRowIndex": first_row,
        "endRowIndex": end_row,
        "startColumnIndex": col_index,
        "endColumnIndex": col_index + 1,
    }


def _repeat(grid_range: dict[str, int], fmt: dict[str, Any], fields: str) -> dict[str, Any]:
    cell = {"userEnteredFormat": fmt}
    return {"repeatCell": {"range": grid_range, "cell": cell, "fields": fields}}


def _rgb(colour: str) -> dict[str, float]:
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return {"red": round(red, 4), "green": round(green, 4), "blue": round(blue, 4)}
