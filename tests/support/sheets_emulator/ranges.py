"""Resolving what a request points at: A1 ranges, GridRanges and DataFilters, to windows."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

from tests.support.sheets_emulator.a1 import format_range, parse_range, quote_title
from tests.support.sheets_emulator.errors import ApiError, bad_request
from tests.support.sheets_emulator.grid_json import Window
from tests.support.sheets_emulator.metadata_index import Entry, MetadataIndex, taken_ids
from tests.support.sheets_emulator.model import Sheet, Spreadsheet


@dataclass
class Context:
    """One request being handled: the spreadsheet (a copy when writing) and its parameters."""

    book: Spreadsheet
    query: dict[str, list[str]]
    body: Any
    unmatched_filter: str = "error"
    shuffle_answers: bool = False
    formulas: list[tuple[str, str, str]] = field(default_factory=list)
    # Found once and kept while the metadata stays put: see metadata_index and changed().
    _index: MetadataIndex | None = field(default=None, repr=False)
    _taken: set[int] | None = field(default=None, repr=False)

    def metadata_index(self) -> MetadataIndex:
        """The spreadsheet's metadata, as it is now (until changed() is called)."""
        if self._index is None:
            self._index = MetadataIndex(self.book)
        return self._index

    def taken_ids(self) -> set[int]:
        """The metadataIds in use; whoever adds metadata adds its id to this set."""
        if self._taken is None:
            self._taken = taken_ids(self.book)
        return self._taken

    def changed(self, *, only_added_metadata: bool = False) -> None:
        """Forget what metadata_index and taken_ids found: the spreadsheet has changed.

        only_added_metadata: all that changed is metadata that updated taken_ids itself.
        """
        self._index = None
        if not only_added_metadata:
            self._taken = None

    def param(self, name: str, default: str | None = None) -> str | None:
        """A query parameter's first value."""
        values = self.query.get(name)
        return values[0] if values else default

    def flag(self, name: str) -> bool:
        """A boolean query parameter."""
        return (self.param(name) or "false").lower() == "true"


@dataclass(frozen=True)
class Target:
    """Where a write goes: a window, and whether each of its ends was given (A1:B2) or not."""

    window: Window
    rows_bounded: bool
    cols_bounded: bool
    text: str  # the range as the caller wrote it, for error messages


def sheet_of(book: Spreadsheet, sheet_id: Any) -> Sheet:
    """The sheet with this id, or 400 as Google answers for an unknown one."""
    sheet = book.sheet_by_id(int(sheet_id or 0))
    if sheet is None:
        raise bad_request(f"No grid with id: {sheet_id or 0}")
    return sheet


def grid_error(sheet: Sheet, cells: str) -> ApiError:
    """400 for a range beyond the grid, in Google's words."""
    return bad_request(
        f"Range ({quote_title(sheet.title)}!{cells}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )


def resolve_a1(book: Spreadsheet, text: str) -> Target:
    """An A1 range as a window; 400 for an unknown title or a range outside the grid."""
    parsed = parse_range(text)
    sheet: Sheet | None
    bounds = parsed.bounds
    if parsed.title is None and (sheet := book.sheet_by_title(text.strip())) is not None:
        bounds = None  # a tab titled like a cell ("Q4") wins over the cell
    elif parsed.title is None:
        visible = [s for s in book.sheets if not s.hidden] or book.sheets
        sheet = visible[0]
    else:
        sheet = book.sheet_by_title(parsed.title)
    if sheet is None:
        raise bad_request(f"Unable to parse range: {text}")
    if bounds is None:
        window = Window(sheet, 0, sheet.row_count, 0, sheet.column_count)
        return Target(window, rows_bounded=True, cols_bounded=True, text=text)
    cells = text.rpartition("!")[2] if "!" in text else text
    r0, c0 = bounds.start_row or 0, bounds.start_col or 0
    r1 = sheet.row_count if bounds.end_row is None else bounds.end_row
    c1 = sheet.column_count if bounds.end_col is None else bounds.end_col
    if r1 > sheet.row_count or c1 > sheet.column_count or r0 >= r1 or c0 >= c1:
        raise grid_error(sheet, cells.strip())
    single = (r1 - r0, c1 - c0) == (1, 1)
    return Target(
        Window(sheet, r0, r1, c0, c1),
        rows_bounded=bounds.end_row is not None and not single,
        cols_bounded=bounds.end_col is not None and not single,
        text=text,
    )


def resolve_grid_range(book: Spreadsheet, grid_range: dict[str, Any]) -> Target:
    """A GridRange ({sheetId, startRowIndex, ...}; missing indexes are open) as a window."""
    sheet = sheet_of(book, grid_range.get("sheetId"))
    r0 = int(grid_range.get("startRowIndex", 0))
    c0 = int(grid_range.get("startColumnIndex", 0))
    r1 = int(grid_range.get("endRowIndex", sheet.row_count))
    c1 = int(grid_range.get("endColumnIndex", sheet.column_count))
    if r1 > sheet.row_count or c1 > sheet.column_count or r0 >= r1 or c0 >= c1 or r0 < 0 or c0 < 0:
        raise grid_error(sheet, format_range(sheet.title, r0, r1, c0, c1).rpartition("!")[2])
    return Target(
        Window(sheet, r0, r1, c0, c1),
        rows_bounded="endRowIndex" in grid_range,
        cols_bounded="endColumnIndex" in grid_range,
        text=format_range(sheet.title, r0, r1, c0, c1),
    )


def _location_matches(location: dict[str, Any], wanted: dict[str, Any], strategy: str) -> bool:
    if "spreadsheet" in wanted:
        return location.get("locationType") == "SPREADSHEET" or strategy == "INTERSECTING_LOCATION"
    if "sheetId" in wanted:
        sheet_id = location.get("sheetId", location.get("dimensionRange", {}).get("sheetId"))
        exact = location.get("locationType") == "SHEET"
        return sheet_id == wanted["sheetId"] and (exact or strategy == "INTERSECTING_LOCATION")
    if "dimensionRange" in wanted:
        have, want = location.get("dimensionRange"), wanted["dimensionRange"]
        if have is None or have["sheetId"] != want.get("sheetId", 0):
            return False
        if have["dimension"] != want.get("dimension"):
            return False
        start, end = int(want.get("startIndex", 0)), int(want.get("endIndex", 10**9))
        if strategy == "INTERSECTING_LOCATION":
            return bool(have["startIndex"] < end and start < have["endIndex"])
        return bool(have["startIndex"] == start and have["endIndex"] == end)
    return True


def lookup_metadata(ctx: Context, lookup: dict[str, Any]) -> list[Entry]:
    """Developer metadata matching a DeveloperMetadataLookup (every given field must match)."""
    criteria = (
        "metadataId",
        "metadataKey",
        "metadataValue",
        "visibility",
        "locationType",
        "metadataLocation",
    )
    if not any(key in lookup for key in criteria):
        raise bad_request("A developer metadata lookup must specify at least one criterion.")
    strategy = lookup.get("locationMatchingStrategy", "EXACT_LOCATION")
    found = []
    for meta, location in ctx.metadata_index().candidates(lookup):
        if "metadataId" in lookup and meta.metadata_id != int(lookup["metadataId"]):
            continue
        if "metadataKey" in lookup and meta.key != lookup["metadataKey"]:
            continue
        if "metadataValue" in lookup and meta.value != lookup["metadataValue"]:
            continue
        if "visibility" in lookup and meta.visibility != lookup["visibility"]:
            continue
        if "locationType" in lookup and location["locationType"] != lookup["locationType"]:
            continue
        wanted = lookup.get("metadataLocation")
        if wanted and not _location_matches(location, wanted, strategy):
            continue
        found.append((meta, location))
    return found


def filter_targets(ctx: Context, data_filter: dict[str, Any]) -> list[Target]:
    """The ranges a DataFilter selects (exactly one of its three kinds may be set)."""
    book = ctx.book
    kinds = [k for k in ("developerMetadataLookup", "a1Range", "gridRange") if k in data_filter]
    if len(kinds) != 1:
        raise bad_request(
            "A DataFilter must have exactly one of developerMetadataLookup, a1Range or gridRange."
        )
    if "a1Range" in data_filter:
        # Unlike values.update, a data filter's range is what it matches, a single cell
        # included: "If the provided values exceed any of the ranges matched by the data
        # filter then the request fails" (DataFilterValueRange.values).
        target = resolve_a1(book, str(data_filter["a1Range"]))
        return [dataclasses.replace(target, rows_bounded=True, cols_bounded=True)]
    if "gridRange" in data_filter:
        return [resolve_grid_range(book, data_filter["gridRange"])]
    targets = []
    for _meta, location in lookup_metadata(ctx, data_filter["developerMetadataLookup"]):
        kind = location["locationType"]
        if kind == "SPREADSHEET":
            continue  # no grid: a values call has nothing to act on
        sheet_id = location.get("sheetId", location.get("dimensionRange", {}).get("sheetId"))
        sheet = book.sheet_by_id(sheet_id)
        assert sheet is not None
        r0, r1, c0, c1 = 0, sheet.row_count, 0, sheet.column_count
        if kind == "ROW":
            r0, r1 = (
                location["dimensionRange"]["startIndex"],
                location["dimensionRange"]["endIndex"],
            )
        elif kind == "COLUMN":
            c0, c1 = (
                location["dimensionRange"]["startIndex"],
                location["dimensionRange"]["endIndex"],
            )
        window = Window(sheet, r0, r1, c0, c1)
        # A row's range runs from column A to the grid's last column: values start at A.
        targets.append(
            Target(
                window, kind != "COLUMN", kind != "ROW", format_range(sheet.title, r0, r1, c0, c1)
            )
        )
    return targets
