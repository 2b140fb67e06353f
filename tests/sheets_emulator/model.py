"""Spreadsheets, sheets, row and column objects with identity, cells and developer metadata.

Rows and columns are objects, so inserting, moving, deleting or sorting them carries their
cells and developer metadata along, as Google says metadata follows what it is attached to.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from tests.sheets_emulator.kinds import ErrorCell, Formula

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
    """A cell: the value a user entered (a scalar or a Formula), its format and its note."""

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
    """A row or column object: its size and the developer metadata attached to it."""

    metadata: list[DevMeta] = field(default_factory=list)
    pixel_size: int = ROW_PIXELS


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


@dataclass(eq=False)
class Column(Line):
    """A column object: its width and metadata."""

    pixel_size: int = COLUMN_PIXELS


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
        """The cell at (row, col), None when empty or outside the grid."""
        return self.rows[row].cell(col) if row < len(self.rows) else None

    def content_rows(self) -> int:
        """How many rows up to the last one holding any cell content."""
        for index in range(len(self.rows) - 1, -1, -1):
            row = self.rows[index]
            row.trim()
            if row.cells:
                return index + 1
        return 0

    # -- structure: the operations shared by the API and by a human in the browser --

    def insert(self, dimension: str, index: int, count: int, inherit: int | None = None) -> None:
        """Insert `count` new rows/columns before `index`; copy formats from `inherit`."""
        if dimension == "ROWS":
            source = self.rows[inherit] if inherit is not None else None
            for _ in range(count):
                row = Row(pixel_size=source.pixel_size if source else ROW_PIXELS)
                if source is not None:
                    row.cells = [
                        Cell(fmt=copy.deepcopy(c.fmt)) if c is not None and c.fmt else None
                        for c in source.cells
                    ]
                self.rows.insert(index, row)
        else:
            for _ in range(count):
                self.columns.insert(index, Column())
            for row in self.rows:
                if len(row.cells) > index:
                    for _ in range(count):
                        row.cells.insert(index, None)
                    if inherit is not None:
                        donor = row.cell(inherit + (count if inherit >= index else 0))
                        for offset in range(count):
                            if donor is not None and donor.fmt:
                                row.cells[index + offset] = Cell(fmt=copy.deepcopy(donor.fmt))
        self._shift_ranges(dimension, index, index, count)

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete rows/columns [start, end); their metadata goes with them."""
        if dimension == "ROWS":
            del self.rows[start:end]
        else:
            del self.columns[start:end]
            for row in self.rows:
                del row.cells[start:end]
        self._shift_ranges(dimension, start, end, -(end - start))

    def move(self, dimension: str, start: int, end: int, destination: int) -> None:
        """moveDimension: `destination` counts positions before the source is taken out."""
        if dimension == "ROWS":
            self.rows[:] = _moved(self.rows, start, end, destination)
            return
        self.columns[:] = _moved(self.columns, start, end, destination)
        for row in self.rows:
            row.cells.extend([None] * (len(self.columns) - len(row.cells)))
            row.cells[:] = _moved(row.cells, start, end, destination)
            row.trim()

    def _shift_ranges(self, dimension: str, start: int, end: int, delta: int) -> None:
        """Keep merges and conditional format ranges on the same cells after a change."""
        keys = (
            ("startRowIndex", "endRowIndex")
            if dimension == "ROWS"
            else (
                "startColumnIndex",
                "endColumnIndex",
            )
        )
        ranges = self.merges + [r for rule in self.conditional_formats for r in rule["ranges"]]
        for grid_range in ranges:
            for key in keys:
                if key not in grid_range:
                    continue
                value = grid_range[key]
                if delta > 0 and (value > start or (value == start and key == keys[0])):
                    grid_range[key] = value + delta
                elif delta < 0:
                    grid_range[key] = value if value <= start else max(start, value + delta)
        self.merges = [m for m in self.merges if m[keys[0]] < m[keys[1]]]


def _moved(items: list[Any], start: int, end: int, destination: int) -> list[Any]:
    block = items[start:end]
    rest = items[:start] + items[end:]
    at = destination if destination <= start else destination - (end - start)
    return rest[:at] + block + rest[at:]


@dataclass(eq=False)
class Spreadsheet:
    """A spreadsheet: its tabs in order, its own metadata, and who may open it."""

    key: str
    title: str
    sheets: list[Sheet]
    shared_with: frozenset[str] | None = None
    metadata: list[DevMeta] = field(default_factory=list)
    properties: dict[str, Any] = field(default_factory=dict)  # e.g. locale, timeZone

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
