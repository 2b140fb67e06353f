"""Writing the tool's cells into a worksheet people edit, and nothing else of it.

Every other element of the sheet (people's cells with their values, formulas and styles,
conditional formats, x14 extension lists, sparklines, drawings) is left as it was parsed.
A row or cell the tool needs is made in its place (rows and cells must be in order); the
`<dimension>`, a row's `spans` and the column widths of header cells the tool adds follow.
A cell people merged over, a cell of an array formula's range and a cell holding a formula
are theirs: a write there is skipped with a warning, never forced.
"""

from __future__ import annotations

import bisect
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from lxml import etree

from sheets_okr.a1 import cell_address, column_index, quote_tab
from sheets_okr.sources.excel.cell_values import put_value
from sheets_okr.sources.excel.xml import XmlPart, child, children, local_name, sub_element
from sheets_okr.sources.grid import CellRange
from sheets_okr.sources.writes import WriteValue
from sheets_okr.widths import display_width

log = logging.getLogger(__name__)

# The worksheet's children that come before <cols> and <sheetData> (CT_Worksheet).
_BEFORE_COLS = frozenset({"sheetPr", "dimension", "sheetViews", "sheetFormatPr"})
_MIN_WIDTH, _MAX_WIDTH = 10, 40  # of a column the tool adds, in characters


@dataclass(frozen=True)
class CellEdit:
    """A value for one cell (1-based row and column); `style` gives the cell's new xf index
    from the one it has (0 when it has none) and its left neighbour's."""

    row: int
    column: int
    value: WriteValue
    style: Callable[[int, int], int]
    header: bool = False  # a header cell: its column gets a width when the tool adds it


def parse_reference(reference: str) -> tuple[int, int]:
    """A1 letters and digits as a 1-based (row, column); ValueError when it is none."""
    match = _REFERENCE.fullmatch(reference)
    if match is None:
        raise ValueError(f"{reference!r} is no cell reference")
    letters, digits = match.groups()
    column = _COLUMNS.get(letters)
    if column is None:
        column = _COLUMNS[letters] = column_index(letters) + 1
    return int(digits), column


_REFERENCE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]{1,7})")
_COLUMNS: dict[str, int] = {}  # column letters: 1-based index, worked out once each
_SCAN_LIMIT = 8  # cells looked at from a row's end before the row is indexed
_RowIndex = tuple[list[int], list[etree._Element]]  # a row's columns, in order, and cells


def parse_range(reference: str) -> CellRange:
    """ "B2:D4" (or "B2") as a 0-based CellRange."""
    first, _, last = reference.partition(":")
    top = parse_reference(first)
    bottom = parse_reference(last) if last else top
    return CellRange(top[0] - 1, top[1] - 1, bottom[0] - 1, bottom[1] - 1)


class SheetCells:
    """A parsed worksheet whose cells can be set one by one, in any order."""

    def __init__(self, part: XmlPart, title: str) -> None:
        self.part = part
        self.title = title
        root = part.root
        data = child(root, "sheetData")
        if data is None:
            data = etree.Element(part.tag("sheetData"))
            _insert_in_order(root, data, _BEFORE_COLS | {"cols"})
        self._data = data
        self._rows: dict[int, etree._Element] = {}
        self._numbers: list[int] = []
        self._cell_tag = part.tag("c")
        self._column_styles: list[tuple[int, int, int]] | None = None
        self._indexes: dict[int, _RowIndex] = {}  # rows searched too long from their end
        self._formula_tag = part.tag("f")
        self._index_rows()
        self._written: list[tuple[int, int]] = []
        self._headers: dict[int, tuple[int, str]] = {}  # column: (row, text)

    def apply(self, edits: Sequence[CellEdit], *, date1904: bool) -> int:
        """Write the edits; returns how many were written (the others are warned about)."""
        blocked = self._blocked_ranges({edit.row for edit in edits})
        written = 0
        for edit in edits:
            where = f"{quote_tab(self.title)}!{cell_address(edit.row - 1, edit.column - 1)}"
            if _inside(blocked.get(edit.row, ()), edit.row, edit.column):
                log.warning("%s is inside a merged range or an array formula; not written", where)
                continue
            cell = self._cell(edit.row, edit.column, create=edit.value is not None)
            if cell is not None and cell.find(self._formula_tag) is not None:
                log.warning("%s holds a formula people wrote; not written over", where)
                continue
            left = self._style_of(edit.row, edit.column - 1)
            if cell is not None:
                base = _index(cell.get("s"))
            else:
                base = self._inherited(edit.row, edit.column)
                if edit.style(base, left) == base:
                    continue  # nothing to empty, no look to set
                cell = self._cell(edit.row, edit.column, create=True)
                assert cell is not None
            style = edit.style(base, left)
            if style:
                cell.set("s", str(style))
            else:
                cell.attrib.pop("s", "")
            put_value(cell, edit.value, date1904=date1904, where=where)
            if edit.header and isinstance(edit.value, str):
                self._headers[edit.column] = (edit.row, edit.value)
            written += 1
        self._finish()
        return written

    # Rows and cells

    def _index_rows(self) -> None:
        previous = 0
        for row in self._data:
            if local_name(row) != "row":
                continue
            number = _number(row.get("r"), previous + 1)
            row.set("r", str(number))  # a row without r follows the one before: say so
            self._rows[number] = row
            previous = number
        self._numbers = sorted(self._rows)

    def _row(self, number: int, *, create: bool) -> etree._Element | None:
        row = self._rows.get(number)
        if row is None and create:
            row = etree.Element(self.part.tag("row"), r=str(number))
            at = bisect.bisect(self._numbers, number)
            if at < len(self._numbers):
                self._rows[self._numbers[at]].addprevious(row)
            else:
                self._data.append(row)
            self._numbers.insert(at, number)
            self._rows[number] = row
        return row

    def _find(
        self, row: etree._Element, number: int, column: int
    ) -> tuple[etree._Element | None, etree._Element | None]:
        """The row's cell at `column` (or None), and else the cell a new one follows (None:
        it goes first). Cells are searched from the row's end, where the tool's columns are
        most often, so a write looks at a few cells, not the whole row; a row where they are
        not (styled blank cells far to the right) is indexed once instead."""
        index = self._indexes.get(number)
        if index is not None:
            return _look_up(index, column)
        suffix = str(number)
        for looked, cell in enumerate(row.iterchildren(self._cell_tag, reversed=True)):
            reference = cell.get("r")
            if not reference:  # a cell whose column is implied by those before it
                self._make_references_explicit(row, number)
                return self._find(row, number, column)
            if looked == _SCAN_LIMIT:
                self._indexes[number] = self._index_row(row, number)
                return _look_up(self._indexes[number], column)
            # Excel writes "AB12" in row 12: the letters alone give the column, from the cache.
            letters = reference[: -len(suffix)] if reference.endswith(suffix) else ""
            found = _COLUMNS.get(letters) or parse_reference(reference)[1]
            if found == column:
                return cell, None
            if found < column:
                return None, cell
        return None, None

    def _index_row(self, row: etree._Element, number: int) -> _RowIndex:
        columns: list[int] = []
        cells: list[etree._Element] = []
        for cell in row.iterchildren(self._cell_tag):
            columns.append(parse_reference(cell.get("r") or "")[1])
            cells.append(cell)
        return columns, cells

    def _make_references_explicit(self, row: etree._Element, number: int) -> None:
        previous = 0
        for cell in row.iterchildren(self._cell_tag):
            reference = cell.get("r")
            column = parse_reference(reference)[1] if reference else previous + 1
            if not reference:
                cell.set("r", cell_address(number - 1, column - 1))
            previous = column

    def _cell(self, row_number: int, column: int, *, create: bool) -> etree._Element | None:
        row = self._row(row_number, create=create)
        if row is None:
            return None
        cell, before = self._find(row, row_number, column)
        if cell is None and create:
            cell = etree.Element(self._cell_tag, r=cell_address(row_number - 1, column - 1))
            inherited = self._inherited(row_number, column)
            if inherited:
                cell.set("s", str(inherited))
            index = self._indexes.get(row_number)
            if index is not None:  # keep the row's index in step
                at = bisect.bisect(index[0], column)
                index[0].insert(at, column)
                index[1].insert(at, cell)
            if before is not None:
                before.addnext(cell)
            else:
                first = next(row.iterchildren(self._cell_tag, self.part.tag("extLst")), None)
                if first is None:
                    row.append(cell)
                else:
                    first.addprevious(cell)
            self._written.append((row_number, column))
        return cell

    def _style_of(self, row: int, column: int) -> int:
        """The xf index of a cell; for a cell not there, the look Excel shows it in."""
        if column < 1:
            return 0
        cell = self._find(self._rows[row], row, column)[0] if row in self._rows else None
        if cell is None:
            return self._inherited(row, column)
        return _index(cell.get("s"))

    def _inherited(self, row_number: int, column: int) -> int:
        """The look of a cell not in the sheet, which a new one takes, as when people type
        there: its row's when the row is formatted, else its column's, else the default."""
        row = self._rows.get(row_number)
        if row is not None and row.get("customFormat") in ("1", "true"):
            return _index(row.get("s"))
        if self._column_styles is None:
            cols = child(self.part.root, "cols")
            self._column_styles = [
                (_index(c.get("min")), _index(c.get("max")), _index(c.get("style")))
                for c in (children(cols, "col") if cols is not None else ())
            ]
        return next((s for low, high, s in self._column_styles if low <= column <= high), 0)

    def _blocked_ranges(self, rows: Iterable[int]) -> dict[int, list[CellRange]]:
        """Merged ranges and array formula ranges, by the written rows they cover."""
        wanted = sorted(rows)
        ranges: list[CellRange] = []
        merges = child(self.part.root, "mergeCells")
        for merge in children(merges, "mergeCell") if merges is not None else ():
            if merge.get("ref"):
                ranges.append(parse_range(merge.get("ref", "")))
        for formula in self._data.iter(self.part.tag("f")):
            # An array formula's range, or a what-if data table's: Excel refuses to change
            # one cell of either.
            if formula.get("t") in ("array", "dataTable") and formula.get("ref"):
                ranges.append(parse_range(formula.get("ref", "")))
        by_row: dict[int, list[CellRange]] = {}
        for cell_range in ranges:
            start = bisect.bisect_left(wanted, cell_range.first_row + 1)
            end = bisect.bisect_right(wanted, cell_range.last_row + 1)
            for row in wanted[start:end]:
                by_row.setdefault(row, []).append(cell_range)
        return by_row

    # What follows the cells: dimension, spans, widths

    def _finish(self) -> None:
        if not self._written:
            return
        rows = [r for r, _ in self._written]
        columns = [c for _, c in self._written]
        self._widen_dimension(min(rows), min(columns), max(rows), max(columns))
        by_row: dict[int, list[int]] = {}
        for row, column in self._written:
            by_row.setdefault(row, []).append(column)
        for number, row_columns in by_row.items():
            _widen_spans(self._rows[number], row_columns)
        made = set(self._written)
        for column, (row, text) in sorted(self._headers.items()):
            if (row, column) in made:  # a header cell this sync made: a column it adds
                self._add_width(column, text)

    def _widen_dimension(self, top: int, left: int, bottom: int, right: int) -> None:
        dimension = child(self.part.root, "dimension")
        if dimension is None or not dimension.get("ref"):
            return  # no <dimension>: readers measure the sheet themselves
        old = parse_range(dimension.get("ref", "A1"))
        top, left = min(top, old.first_row + 1), min(left, old.first_col + 1)
        bottom, right = max(bottom, old.last_row + 1), max(right, old.last_col + 1)
        first, last = cell_address(top - 1, left - 1), cell_address(bottom - 1, right - 1)
        dimension.set("ref", first if first == last else f"{first}:{last}")

    def _add_width(self, column: int, text: str) -> None:
        """A width for a header column the tool made, unless a <col> already gives one."""
        cols = child(self.part.root, "cols")
        if cols is None:
            cols = etree.Element(self.part.tag("cols"))
            _insert_in_order(self.part.root, cols, _BEFORE_COLS)
        spans = children(cols, "col")
        if any(int(c.get("min", "0")) <= column <= int(c.get("max", "0")) for c in spans):
            return
        width = max(_MIN_WIDTH, min(_MAX_WIDTH, display_width(text) + 2))
        col = sub_element(cols, "col", min=str(column), max=str(column))
        col.set("width", str(width))
        col.set("customWidth", "1")
        later = [c for c in spans if int(c.get("min", "0")) > column]
        if later:
            later[0].addprevious(col)


def _look_up(index: _RowIndex, column: int) -> tuple[etree._Element | None, etree._Element | None]:
    """_find's answer from a row's index: the cell, or the one a new cell follows."""
    columns, cells = index
    at = bisect.bisect_left(columns, column)
    if at < len(columns) and columns[at] == column:
        return cells[at], None
    return None, cells[at - 1] if at else None


def _index(text: str | None) -> int:
    """A style index or column number attribute (0 when absent or not a number)."""
    return int(text) if text and text.isdigit() else 0


def _number(text: str | None, implied: int) -> int:
    return int(text) if text and text.isdigit() else implied


def _inside(ranges: Sequence[CellRange], row: int, column: int) -> bool:
    """Inside one of the ranges but not its first cell (which holds a merge's value)."""
    at = (row - 1, column - 1)
    return any(
        r.first_row <= at[0] <= r.last_row
        and r.first_col <= at[1] <= r.last_col
        and at != (r.first_row, r.first_col)
        for r in ranges
    )


def _widen_spans(row: etree._Element, columns: list[int]) -> None:
    """Keep a row's optional `spans` hint ("1:9") covering its cells; drop one we cannot read."""
    spans = row.get("spans")
    if spans is None:
        return
    first, _, last = spans.partition(":")
    if not (first.isdigit() and last.isdigit()):
        row.attrib.pop("spans")
        return
    low, high = min(int(first), *columns), max(int(last), *columns)
    row.set("spans", f"{low}:{high}")


def _insert_in_order(root: etree._Element, element: etree._Element, before: frozenset[str]) -> None:
    """Put a new child of the worksheet after the children the schema puts before it."""
    anchor = None
    for existing in root:
        if local_name(existing) in before:
            anchor = existing
    if anchor is None:
        root.insert(0, element)
    else:
        anchor.addnext(element)
