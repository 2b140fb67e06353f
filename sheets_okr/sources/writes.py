"""What a source is asked to write: a backend-neutral list of cell updates and tab contents.

Cells are addressed by tab, 1-based row and column, each with the value read there before;
whole tabs are given row by row. Nothing here knows what the values mean: the plan step
decides them, and every source (an Excel file, a Google Sheet) writes them its own way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from sheets_okr.a1 import cell_address, quote_tab
from sheets_okr.sources.grid import CellValue

WriteValue = float | int | str | dt.date | None
# The row_key of the writes to a header row (see CellWrite.row_key).
HEADER_ROW_KEY = "header"


class CellStyle(StrEnum):
    """How a backend should present a written value."""

    PLAIN = "plain"
    TEXT = "text"  # always stored as text, never read as a formula
    PERCENT = "percent"
    DATE = "date"
    FILLED = "filled"  # text on the fill WritePlan.fills gives its value (none when absent)
    HEADER = "header"
    TITLE = "title"
    FIGURE = "figure"  # a number in its row's unit: TabContent.number_formats gives the format
    WRAPPED = "wrapped"  # text wrapped within its column; TabContent.heights fits the rows


@dataclass(frozen=True)
class CellWrite:
    """One cell of a tab people edit to set (1-based row and column), with what it held before.

    `row_key` names the row's content (an ID the plan gives it, or HEADER_ROW_KEY), so a
    backend that can anchor writes to rows (Google Sheets) still finds the row after people
    inserted or moved rows.
    """

    tab: str
    row: int
    column: int
    value: WriteValue
    old: CellValue
    style: CellStyle
    row_key: str = ""

    @property
    def address(self) -> str:
        """Tab and A1 address, as messages write them."""
        return f"{quote_tab(self.tab)}!{cell_address(self.row - 1, self.column - 1)}"


@dataclass(frozen=True)
class TabContent:
    """The whole content of a tab the tool owns, row 1 first, each cell with its style.

    Printed, a tab is landscape and one page wide, its last frozen row (the header)
    repeated at the top of every page.
    """

    title: str
    rows: tuple[tuple[WriteValue, ...], ...]
    styles: tuple[tuple[CellStyle, ...], ...]
    widths: tuple[float, ...] = ()
    existed: bool = True
    changed: bool = True
    frozen_rows: int = 1
    # Per row: the number format (Excel's format code) of its FIGURE cells, "" for none.
    number_formats: tuple[str, ...] = ()
    # Per row: its height in points, to show every line of its WRAPPED cells (0: default).
    heights: tuple[float, ...] = ()

    def number_format(self, row_index: int) -> str:
        """The format code of the FIGURE cells of a 0-based row ("" for none)."""
        formats = self.number_formats
        return formats[row_index] if row_index < len(formats) else ""

    def height(self, row_index: int) -> float:
        """The height in points a 0-based row needs (0: the default height)."""
        return self.heights[row_index] if row_index < len(self.heights) else 0


@dataclass(frozen=True)
class WritePlan:
    """Everything a sync would change."""

    cells: tuple[CellWrite, ...] = ()
    tabs: tuple[TabContent, ...] = field(default_factory=tuple)
    # The 1-based header row of each tab that cells are written to, so a backend can check
    # that no column moved between its read and its write (Google Sheets, where people
    # edit meanwhile).
    header_rows: tuple[tuple[str, int], ...] = ()
    # The fill (RGB hex) of a FILLED cell by its text, the same in every backend.
    fills: Mapping[str, str] = field(default_factory=dict)

    @property
    def changed_tabs(self) -> tuple[TabContent, ...]:
        """The tool-owned tabs whose content differs from the workbook's."""
        return tuple(tab for tab in self.tabs if tab.changed)

    @property
    def is_empty(self) -> bool:
        """True when the workbook already holds everything the sync would write."""
        return not self.cells and not self.changed_tabs


def same_value(old: CellValue, new: WriteValue) -> bool:
    """Whether a cell already holds a value (numbers within rounding, blanks alike)."""
    if old in (None, "") and new in (None, ""):
        return True
    if isinstance(new, bool) or isinstance(old, bool):
        return type(old) is type(new) and old == new  # TRUE is not the number 1
    if isinstance(new, int | float) and isinstance(old, int | float):
        return math.isclose(float(old), float(new), rel_tol=1e-12, abs_tol=1e-12)
    if isinstance(new, dt.date) and isinstance(old, dt.datetime):
        return old.date() == new and old.time() == dt.time()
    return type(old) is type(new) and old == new
