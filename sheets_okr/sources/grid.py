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
    """One tab: rows of values from A1 (0-based indexes), its merged ranges, visibility, and
    the 0-based (row, column) of every cell holding a formula (people's work the tool must
    never write over)."""

    title: str
    rows: list[list[CellValue]]
    merged: tuple[CellRange, ...] = ()
    hidden: bool = False
    formulas: frozenset[tuple[int, int]] = frozenset()


@dataclass(frozen=True)
class WorkbookGrid:
    """All tabs of a workbook in their order, and a name for messages (a path or a key)."""

    source: str
    sheets: tuple[SheetGrid, ...] = field(default_factory=tuple)
