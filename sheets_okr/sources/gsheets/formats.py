"""Number formats, bold headers, wrapping and value colours a sync's cells still lack.

They are set in the structural call, so that steady syncs send values only: each styled
column is formatted from its first row down to the end of the grid, so later values (a
first check-in, the next History rows) find their format in place. A figure's format
depends on its key result's unit, so figures (History's Current) are formatted row by row,
where a row has no format yet or gets another value: a week's new History rows cost one
structural call. Wrapped text needs no row heights here: Google Sheets fits a row to its
wrapped text itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sheets_okr.sources.gsheets.grid import SheetInfo
from sheets_okr.sources.writes import CellStyle, WriteValue

# Figures formatted per sync at most: about 100 bytes of request each, so that formatting
# a long History (an earlier version left it without) never makes a request Google refuses.
MAX_FIGURE_FORMATS = 20_000
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
        # (tab, column) -> the format code of each figure that needs one, by row
        self.figures: dict[tuple[str, int], dict[int, str]] = {}

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
        rewritten: bool = False,
    ) -> None:
        """A cell the sync writes (1-based row and column) and how it should look. `bold`
        says the tab is new (its header is made bold); a figure takes `number_format`,
        when it has none yet or gets another value (`rewritten`)."""
        info = self.sheets[tab]
        row_index, col_index = row - 1, column - 1
        if style is CellStyle.FIGURE:
            number = isinstance(value, int | float) and not isinstance(value, bool)
            if (
                number
                and number_format
                and (rewritten or (row_index, col_index) not in info.formats)
            ):
                self.figures.setdefault((tab, col_index), {})[row_index] = number_format
            return
        if style is CellStyle.WRAPPED:
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

    def requests(
        self, grown: dict[str, tuple[int, int]], *, structural_call: bool = False
    ) -> list[dict[str, Any]]:
        """repeatCell, updateCells and addConditionalFormatRule requests; none when nothing
        is missing.

        `grown` gives the rows appended to each tab in this call, which have no format yet;
        `structural_call` says the sync makes the call anyway (new tabs, grown grids, row
        tags), in which case wrapping is set again on the wrapped columns: the read does
        not say whether it is there, and setting it again costs nothing.
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
        out += self._figure_formats()
        if out or structural_call:
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

    def _figure_formats(self) -> list[dict[str, Any]]:
        """updateCells giving each figure that needs one its format, a request per run of
        adjacent rows. At most MAX_FIGURE_FORMATS rows per sync, the newest first: a
        History an earlier version wrote gets its formats over a few syncs, each request
        well under Google's size limit."""
        out: list[dict[str, Any]] = []
        budget = MAX_FIGURE_FORMATS
        for (tab, col_index), codes in sorted(self.figures.items()):
            rows = sorted(codes)[-budget:] if budget > 0 else []
            budget -= len(rows)
            runs: list[list[int]] = []
            for row_index in rows:
                if runs and runs[-1][-1] == row_index - 1:
                    runs[-1].append(row_index)
                else:
                    runs.append([row_index])
            sheet_id = self.sheets[tab].sheet_id
            for run in runs:
                cells = [
                    {"values": [{"userEnteredFormat": {"numberFormat": _number_format(codes[r])}}]}
                    for r in run
                ]
                start = {"sheetId": sheet_id, "rowIndex": run[0], "columnIndex": col_index}
                update = {"start": start, "rows": cells, "fields": "userEnteredFormat.numberFormat"}
                out.append({"updateCells": update})
        return out


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
