"""What a backend hands over: each tab as a grid of plain cell values, nothing about OKRs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class CellError:
    """A cell showing a spreadsheet error such as #REF! or #N/A, never to be read as a value."""

    code: str

    def __str__(self) -> str:
        return self.code


@dataclass(frozen=True)
class MissingFormulaValue:
    """A formula cell saved without its calculated value (the last save did not compute it)."""

    formula: str = ""


CellValue = (
    None
    | str
    | int
    | float
    | bool
    | dt.date
    | dt.datetime
    | dt.time
    | dt.timedelta
    | CellError
    | MissingFormulaValue
)


@dataclass(frozen=True)
class CellRange:
    """A rectangle of cells, 0-based and inclusive, such as a merged range."""

    first_row: int
    first_col: int
    last_row: int
    last_col: int


@dataclass(frozen=True)
class SheetGrid:
    """One tab: rows of values from A1 (0-based indexes), its merged ranges, and visibility."""

    title: str
    rows: list[list[CellValue]]
    merged: tuple[CellRange, ...] = ()
    hidden: bool = False


@dataclass(frozen=True)
class WorkbookGrid:
    """All tabs of a workbook in their order, and a name for messages (a path or a key)."""

    source: str
    sheets: tuple[SheetGrid, ...] = field(default_factory=tuple)


def column_letter(index: int) -> str:
    """The letters of a 0-based column index: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """The 0-based index of column letters: A is 0, AA is 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - ord("A") + 1)
    return index - 1


def cell_address(row_index: int, col_index: int) -> str:
    """An A1 address from 0-based indexes."""
    return f"{column_letter(col_index)}{row_index + 1}"
