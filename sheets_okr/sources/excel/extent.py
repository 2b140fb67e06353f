"""Keeping a tab's grid small when a stray cell sits far away, such as at XFD1048576.

python-calamine builds each sheet as one dense block from its first filled cell to its last:
one value at XFD1048576 asks it for 17 billion cells, and it aborts the whole process. So
each sheet's XML is measured first, from the cells' own addresses. A tab that fits in
CELL_LIMIT cells (counted from A1, as the grid is) is read as it is. Otherwise the cells
outside a rectangle of that size are cut from the XML before the reader sees it, and counted
so that the reader can say which were not read. All tabs together may span four times that.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.a1 import cell_address, column_index
from sheets_okr.errors import SourceUnreadable

CELL_LIMIT = 4 * 1024 * 1024  # cells of one tab's grid, empty ones included (about 150 MB)
WORKBOOK_CELL_LIMIT = 4 * CELL_LIMIT  # of all tabs together: a hundred tiny sheets each
# holding a cell at D1048576 would otherwise ask for gigabytes
COLUMN_LIMIT = 64  # columns kept (A to BL) when a tab is cut; trackers use a few dozen

# Every writer seen (Excel, LibreOffice, Google Sheets, openpyxl) puts r first in each cell.
_CELL_ROW = re.compile(rb'<c r="[A-Z]+(\d+)"')
_CELL_COLUMN = re.compile(rb'<c r="([A-Z]+)\d')
# Cell tags of any shape; more of these than of the above means some cell's place is implied
# by its order (no r, or r later in the tag) or the tags carry a namespace prefix.
_ANY_CELL_TAG = re.compile(rb"<c[ >/\t\n\r]")
_PREFIXED_CELL = re.compile(rb"<\w+:c[\s/>]")
_TAG = re.compile(rb"<(?:\w+:)?(row|c)\b([^<>]*)>")
_REF = re.compile(rb'\br="([A-Z]+)?(\d+)"')
# A row's start tag (group 1), or a whole cell element (attributes in group 2): self-closing,
# or up to its end tag with no other cell inside it (possessive, so never backtracking).
_ROW_OR_CELL = re.compile(
    rb"<(?:\w+:)?row\b([^<>]*)>"
    rb"|<(?:\w+:)?c\b([^<>]*?)(?:/>|>(?:[^<]++|<(?!(?:\w+:)?c\b|/(?:\w+:)?c>))*+</(?:\w+:)?c>)"
)


@dataclass(frozen=True)
class Bounded:
    """A sheet as it will be read: cut to CELL_LIMIT cells if it reached further."""

    xml: bytes
    rows: int  # the rows and columns its grid spans from A1 (the rectangle kept, if cut)
    columns: int
    cut: bool = False
    dropped: int = 0  # cells with content left out
    farthest: str = ""  # the address of the last of them, as people see it ("XFD1048576")


def grid_size(xml: bytes) -> tuple[int, int]:
    """Rows and columns, from A1, that the sheet's cells reach (an upper bound)."""
    rows_of = _CELL_ROW.findall(xml)
    # Every cell tag must carry its address first, or cells are placed by their order.
    if len(_ANY_CELL_TAG.findall(xml)) != len(rows_of) or _PREFIXED_CELL.search(xml):
        return _grid_size_by_order(xml)
    if not rows_of:
        return 0, 0
    letters = set(_CELL_COLUMN.findall(xml))
    return max(map(int, rows_of)), max(column_index(c.decode()) for c in letters) + 1


def refuse_too_many_cells(path: Path, sheets: Iterable[Bounded]) -> None:
    """Raise when the tabs together span more cells than WORKBOOK_CELL_LIMIT."""
    total = sum(sheet.rows * sheet.columns for sheet in sheets)
    if total > WORKBOOK_CELL_LIMIT:
        raise SourceUnreadable(
            f"{path} was not read: its tabs span {total:,} cells in all (counted from A1), more"
            f" than sheets-okr reads ({WORKBOOK_CELL_LIMIT:,}); move large data to a workbook of"
            " its own, and delete stray cells far from the data (in Excel, Ctrl+End goes to a"
            " tab's last cell)."
        )


def bounded(xml: bytes) -> Bounded:
    """The sheet as it will be read: as it is, or cut to CELL_LIMIT cells from A1."""
    rows, columns = grid_size(xml)
    if rows * columns <= CELL_LIMIT:
        return Bounded(xml, rows, columns)
    kept_columns = min(columns, COLUMN_LIMIT)
    kept_rows = CELL_LIMIT // kept_columns
    dropped: list[tuple[int, int]] = []
    place = [0, 0]  # the row and column of the last tag, for cells placed by their order

    def keep_or_drop(match: re.Match[bytes]) -> bytes:
        row_attributes, cell_attributes = match.group(1), match.group(2)
        if row_attributes is not None:
            ref = _REF.search(row_attributes)
            place[:] = [int(ref.group(2)) if ref else place[0] + 1, 0]
            return match.group(0)
        ref = _REF.search(cell_attributes)
        if ref is not None and ref.group(1) is not None:
            place[:] = [int(ref.group(2)), column_index(ref.group(1).decode()) + 1]
        else:
            place[1] += 1
        row, column = place
        if row <= kept_rows and column <= kept_columns:
            return match.group(0)
        if not match.group(0).endswith(b"/>"):  # an empty styled cell is no loss
            dropped.append((row, column))
        return b""

    cut = _ROW_OR_CELL.sub(keep_or_drop, xml)
    far_row, far_column = max(dropped, default=(rows, columns))
    farthest = cell_address(far_row - 1, far_column - 1)
    return Bounded(cut, kept_rows, kept_columns, True, len(dropped), farthest)


def _grid_size_by_order(xml: bytes) -> tuple[int, int]:
    """The reach of a sheet whose cells may be placed by their order, as the reader places
    them: a row or cell without an address comes right after the one before it."""
    rows = columns = 0
    row = column = 0
    for match in _TAG.finditer(xml):
        ref = _REF.search(match.group(2))
        if match.group(1) == b"row":
            row = int(ref.group(2)) if ref else row + 1
            column = 0
            continue
        if ref is not None and ref.group(1) is not None:
            row, column = int(ref.group(2)), column_index(ref.group(1).decode()) + 1
        else:
            column += 1
        if not match.group(2).endswith(b"/"):
            rows, columns = max(rows, row), max(columns, column)
    return rows, columns
