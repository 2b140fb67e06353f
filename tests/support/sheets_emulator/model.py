"""Spreadsheets, sheets, row and column objects with identity, cells and developer metadata.

Rows and columns are objects, so inserting, moving, deleting or sorting them carries their
cells and developer metadata along, as Google says metadata follows what it is attached to.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.support.sheets_emulator.kinds import ErrorCell, Formula
from tests.support.sheets_emulator.structure import moved, shift_ranges

ROW_PIXELS = 21
COLUMN_PIXELS = 100
Scalar = str | int | float | bool


@dataclass(eq=False)
class DevMeta:
    """One developer metadata entry; where it sits is where its object is."""

    metadata_id: int
    key: str
    value: str | None
    visibility: str
    location_type: str  # ROW, COLUMN, SHEET or SPREADSHEET


@dataclass(eq=False)
class Cell:
    """A cell: the value a user entered (a scalar or a Formula), its format and its note.

    `fmt` is never changed in place, only replaced: cells (and copies of rows) share it.
    """

    value: Scalar | Formula | None = None
    fmt: dict[str, Any] = field(default_factory=dict)  # userEnteredFormat as JSON
    note: str | None = None

    @property
    def effective(self) -> Scalar | ErrorCell | None:
        """What the cell evaluates to: a formula's computed value, else the value itself."""
        if isinstance(self.value, Formula):
            result: Scalar | ErrorCell | None = self.value.value
            return result
        return self.value

    @property
    def number_format(self) -> dict[str, str] | None:
        """userEnteredFormat.numberFormat ({"type", "pattern"}) or None."""
        found = self.fmt.get("numberFormat")
        return dict(found) if found else None

    def is_empty(self) -> bool:
        """No value, no format and no note: Google leaves such a cell out of grid data."""
        return self.value is None and not self.fmt and self.note is None


@dataclass(eq=False)
class Line:
    """A row or column object: its size and the developer metadata attached to it.

    `owner` is the write (see clone.py) that made this object: a sheet changes only lines it
    owns, and copies the others first, so the spreadsheet it was copied from stays as it was.
    """

    metadata: list[DevMeta] = field(default_factory=list)
    pixel_size: int = ROW_PIXELS
    owner: object = field(default=None, kw_only=True, repr=False)


@dataclass(eq=False)
class Row(Line):
    """A row object: its cells from column A (and, as a Line, its metadata)."""

    cells: list[Cell | None] = field(default_factory=list)

    def cell(self, col: int, *, create: bool = False) -> Cell | None:
        """The cell at column `col`; with create, an empty one is made when missing."""
        if col < len(self.cells) and self.cells[col] is not None:
            return self.cells[col]
        if not create:
            return None
        self.cells.extend([None] * (col + 1 - len(self.cells)))
        made = self.cells[col] = Cell()
        return made

    def trim(self) -> None:
        """Drop trailing empty cells."""
        while self.cells and (self.cells[-1] is None or self.cells[-1].is_empty()):
            self.cells.pop()

    def has_content(self) -> bool:
        """Whether any cell holds a value, a format or a note."""
        return any(c is not None and not c.is_empty() for c in self.cells)

    def copy(self, owner: object) -> Row:
        """A copy to change: new cells (sharing their formats), the same metadata objects."""
        cells = [None if c is None else Cell(c.value, c.fmt, c.note) for c in self.cells]
        return Row(list(self.metadata), self.pixel_size, cells, owner=owner)


@dataclass(eq=False)
class Column(Line):
    """A column object: its width and metadata."""

    pixel_size: int = COLUMN_PIXELS

    def copy(self, owner: object) -> Column:
        """A copy to change, with the same metadata objects."""
        return Column(list(self.metadata), self.pixel_size, owner=owner)


@dataclass(eq=False)
class Sheet:
    """One tab: its row and column objects (as many as the grid has) and its properties."""

    sheet_id: int
    title: str
    rows: list[Row]
    columns: list[Column]
    frozen_rows: int = 0
    frozen_columns: int = 0
    hidden: bool = False
    extra: dict[str, Any] = field(default_factory=dict)  # other SheetProperties, e.g. tabColor
    merges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    metadata: list[DevMeta] = field(default_factory=list)
    owner: object = field(default=None, repr=False)  # the write this copy belongs to

    @classmethod
    def blank(cls, sheet_id: int, title: str, rows: int, columns: int) -> Sheet:
        """An empty sheet of the given grid size."""
        return cls(
            sheet_id, title, [Row() for _ in range(rows)], [Column() for _ in range(columns)]
        )

    @property
    def row_count(self) -> int:
        return len(self.rows)

    @property
    def column_count(self) -> int:
        return len(self.columns)

    def lines(self) -> list[Line]:
        """Every row and column object."""
        return [*self.rows, *self.columns]

    def cell(self, row: int, col: int) -> Cell | None:
        """The cell at (row, col), None when empty or outside the grid (read only)."""
        return self.rows[row].cell(col) if row < len(self.rows) else None

    def writable_row(self, index: int) -> Row:
        """The row at `index`, to change: first copied unless this sheet's write made it."""
        row = self.rows[index]
        if row.owner is not self.owner:
            row = self.rows[index] = row.copy(self.owner)
        return row

    def writable_column(self, index: int) -> Column:
        """The column at `index`, to change (copied first, as writable_row)."""
        column = self.columns[index]
        if column.owner is not self.owner:
            column = self.columns[index] = column.copy(self.owner)
        return column

    def writable_line(self, kind: str, index: int) -> Line:
        """writable_row or writable_column, by "ROWS" or "COLUMNS"."""
        return self.writable_row(index) if kind == "ROWS" else self.writable_column(index)

    def content_rows(self) -> int:
        """How many rows up to the last one holding any cell content."""
        for index in range(len(self.rows) - 1, -1, -1):
            if self.rows[index].has_content():
                return index + 1
        return 0

    # -- structure: the operations shared by the API and by a human in the browser --

    def insert(self, dimension: str, index: int, count: int, inherit: int | None = None) -> None:
        """Insert `count` new rows/columns before `index`; copy formats from `inherit`."""
        if dimension == "ROWS":
            source = self.rows[inherit] if inherit is not None else None
            for _ in range(count):
                row = Row(pixel_size=source.pixel_size if source else ROW_PIXELS, owner=self.owner)
                if source is not None:
                    row.cells = [
                        Cell(fmt=c.fmt) if c is not None and c.fmt else None for c in source.cells
                    ]
                self.rows.insert(index, row)
        else:
            for _ in range(count):
                self.columns.insert(index, Column(owner=self.owner))
            for number in range(len(self.rows)):
                if len(self.rows[number].cells) <= index:
                    continue
                row = self.writable_row(number)
                for _ in range(count):
                    row.cells.insert(index, None)
                if inherit is not None:
                    donor = row.cell(inherit + (count if inherit >= index else 0))
                    for offset in range(count):
                        if donor is not None and donor.fmt:
                            row.cells[index + offset] = Cell(fmt=donor.fmt)
        self._shift_ranges(dimension, index, index, count)

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete rows/columns [start, end); their metadata goes with them."""
        if dimension == "ROWS":
            del self.rows[start:end]
        else:
            del self.columns[start:end]
            for number in range(len(self.rows)):
                if len(self.rows[number].cells) > start:
                    del self.writable_row(number).cells[start:end]
        self._shift_ranges(dimension, start, end, -(end - start))

    def move(self, dimension: str, start: int, end: int, destination: int) -> None:
        """moveDimension: `destination` counts positions before the source is taken out."""
        if dimension == "ROWS":
            self.rows[:] = moved(self.rows, start, end, destination)
            return
        self.columns[:] = moved(self.columns, start, end, destination)
        for number in range(len(self.rows)):
            if not self.rows[number].cells:
                continue  # nothing to move, and nothing left once trimmed
            row = self.writable_row(number)
            row.cells.extend([None] * (len(self.columns) - len(row.cells)))
            row.cells[:] = moved(row.cells, start, end, destination)
            row.trim()

    def _shift_ranges(self, dimension: str, start: int, end: int, delta: int) -> None:
        rules = self.conditional_formats
        self.merges = shift_ranges(self.merges, rules, dimension, start, end, delta)


@dataclass(eq=False)
class Spreadsheet:
    """A spreadsheet: its tabs in order, its own metadata, and who may open it."""

    key: str
    title: str
    sheets: list[Sheet]
    shared_with: frozenset[str] | None = None
    metadata: list[DevMeta] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # e.g. locale, timeZone
    # Ids of metadata another Cloud project keeps here (PROJECT visibility): never shown to
    # this key, but taken.
    hidden_metadata_ids: set[int] = field(default_factory=set)

    def sheet_by_title(self, title: str) -> Sheet | None:
        """The tab with this title (exact, as Google matches it), or None."""
        return next((s for s in self.sheets if s.title == title), None)

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """The tab with this sheetId, or None."""
        return next((s for s in self.sheets if s.sheet_id == sheet_id), None)

    def all_metadata(self) -> Iterator[tuple[DevMeta, dict[str, Any]]]:
        """Every developer metadata entry with its CURRENT location (as JSON)."""
        for meta in self.metadata:
            yield meta, {"locationType": "SPREADSHEET", "spreadsheet": True}
        for sheet in self.sheets:
            for meta in sheet.metadata:
                yield meta, {"locationType": "SHEET", "sheetId": sheet.sheet_id}
            groups: list[tuple[str, Sequence[Line]]] = [
                ("ROW", sheet.rows),
                ("COLUMN", sheet.columns),
            ]
            for kind, items in groups:
                spans: dict[int, tuple[DevMeta, int, int]] = {}
                for index, item in enumerate(items):
                    for meta in item.metadata:
                        first = spans.get(id(meta), (meta, index, index))[1]
                        spans[id(meta)] = (meta, first, index + 1)
                for meta, first, end in spans.values():
                    dimension_range = {
                        "sheetId": sheet.sheet_id,
                        "dimension": f"{kind}S",
                        "startIndex": first,
                        "endIndex": end,
                    }
                    yield meta, {"locationType": kind, "dimensionRange": dimension_range}

    def metadata_ids(self) -> set[int]:
        """The ids in use anywhere in the spreadsheet."""
        return {meta.metadata_id for meta, _ in self.all_metadata()}


def metadata_json(meta: DevMeta, location: dict[str, Any]) -> dict[str, Any]:
    """DeveloperMetadata as the API returns it."""
    result: dict[str, Any] = {"metadataId": meta.metadata_id, "metadataKey": meta.key}
    if meta.value is not None:
        result["metadataValue"] = meta.value
    result["location"] = location
    result["visibility"] = meta.visibility
    return result
