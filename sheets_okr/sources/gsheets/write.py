"""A write plan as Sheets API requests: at most one structural batchUpdate, one value write.

Cells of OKR tabs are written through row anchors (developer metadata that moves with its
row), so a row people insert, move or delete between the read and the write never receives
another row's figures. The first sync of a sheet (and a sync after people added rows) first
creates the anchors, the tool's tabs and the number formats in one structural call; after
that a sync is one read and one write. Values are sent RAW: text can never become a formula.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sheets_okr.a1 import column_letter
from sheets_okr.sources.grid import CellValue, WorkbookGrid
from sheets_okr.sources.gsheets.formats import FormatNeeds
from sheets_okr.sources.gsheets.grid import ROW_ANCHOR_KEY, SheetInfo, date_to_serial
from sheets_okr.sources.writes import (
    HEADER_ROW_KEY,
    CellStyle,
    CellWrite,
    TabContent,
    WritePlan,
    WriteValue,
    same_value,
)

_HEADROOM_ROWS = 500
# History gains a row per key result every sync: a grid grows by a quarter of weekly syncs
# at once, so steady syncs need no structural call to make room.
_SYNCS_OF_ROOM = 13
_NEW_TAB_ROWS = 1000
_NEW_TAB_COLUMNS = 26


@dataclass
class RowWrite:
    """The tool's cells of one OKR row, to land wherever that row is when written."""

    tab: str
    row: int  # 1-based, as read
    key: str
    cells: dict[int, WriteValue] = field(default_factory=dict)  # 1-based column -> value
    metadata_id: int = 0  # 0 until Google gives a new anchor its id
    new_anchor: bool = False
    create: dict[str, Any] | None = None  # the createDeveloperMetadata of a new anchor
    # A header row spans its whole width, so the write's answer shows every header as it is
    # after the write: a column inserted or deleted meanwhile shows as a moved header.
    expected_header: list[CellValue] | None = None
    span: int = 0  # columns a header row's entry covers: the whole grid, to see moves

    def values(self) -> list[Any]:
        """The row's values from column A: nulls leave the other cells alone."""
        width = max([*self.cells, len(self.expected_header or ()), self.span], default=1)
        return sparse_row({column - 1: json_value(v) for column, v in self.cells.items()}, width)

    def entry(self, values: list[Any]) -> dict[str, Any]:
        """A data entry writing `values` to wherever this row's anchor now is."""
        lookup = {"developerMetadataLookup": {"metadataId": self.metadata_id}}
        return {"dataFilter": lookup, "majorDimension": "ROWS", "values": [values]}


@dataclass
class Requests:
    """What one sync sends: structural requests (maybe none) and the value write."""

    structural: list[dict[str, Any]]
    rows: list[RowWrite]
    tab_ranges: list[dict[str, Any]]

    def value_body(self, skip: Iterable[int] = ()) -> dict[str, Any]:
        """The values:batchUpdateByDataFilter body; rows whose anchor id is in `skip` left out."""
        skipped = set(skip)
        data = [row.entry(row.values()) for row in self.written(skipped)]
        return {
            "valueInputOption": "RAW",
            "data": data + self.tab_ranges,
            "includeValuesInResponse": True,
            "responseValueRenderOption": "UNFORMATTED_VALUE",
        }

    def written(self, skipped: set[int]) -> list[RowWrite]:
        """The rows the value write carries, in the order of its data entries."""
        return [row for row in self.rows if row.metadata_id not in skipped]


def sparse_row(values: dict[int, Any], width: int = 0) -> list[Any]:
    """A row from column A with these (0-based) cells set; null leaves a cell as it is."""
    row: list[Any] = [None] * max(width, max(values, default=-1) + 1)
    for index, value in values.items():
        row[index] = value
    return row


def stable_id(sheet_id: int, key: str) -> int:
    """A deterministic, positive id for a name (a new tool tab's sheetId: a tab made twice
    then fails instead of appearing twice)."""
    digest = hashlib.sha256(f"{ROW_ANCHOR_KEY}\0{sheet_id}\0{key}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % (2**31 - 1) + 1


def json_value(value: WriteValue) -> float | int | str | bool:
    """A value as the RAW JSON Sheets stores: numbers stay numbers, dates become serials,
    a cleared cell is "" (null would leave the cell as it was)."""
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return date_to_serial(value)
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    return value


def build_requests(plan: WritePlan, grid: WorkbookGrid, sheets: dict[str, SheetInfo]) -> Requests:
    """The requests that carry out a plan on the spreadsheet as read."""
    structural: list[dict[str, Any]] = []
    rows = _anchor_rows(_with_header_rows(plan, grid), sheets, structural)
    _expect_headers(rows, plan, grid)
    new_sheets = _add_tool_tabs(plan.tabs, sheets, structural)
    grown = _grow_grids(plan, sheets, structural)
    for row in rows:
        if row.expected_header is not None:
            row.span = sheets[row.tab].column_count
    formats = FormatNeeds(sheets, plan.fills)
    for write in plan.cells:
        # A header cell the sync adds is bold like a header; people's own cells keep theirs.
        formats.note(write.tab, write.row, write.column, write.style, write.value, bold=True)
    tab_ranges: list[dict[str, Any]] = []
    old_rows = {sheet.title: sheet.rows for sheet in grid.sheets}
    for tab in plan.changed_tabs:
        tab_ranges += _tab_ranges(tab, old_rows.get(tab.title, []))
    # Formats are checked on unchanged tool tabs too: those an earlier version wrote get
    # theirs a part at a time (formats.MAX_FIGURE_FORMATS), sync after sync.
    for tab in plan.tabs:
        if tab.title not in sheets:
            continue
        old = old_rows.get(tab.title, [])
        for row_number, (values, styles) in enumerate(zip(tab.rows, tab.styles, strict=False), 1):
            number_format = tab.number_format(row_number - 1)
            # A row that now holds another row's content (a key result added above moved
            # the rows down) needs its own figure format again, whatever it had.
            moved = bool(number_format) and not _same_row(old, row_number, values)
            for column, (value, style) in enumerate(zip(values, styles, strict=False), 1):
                formats.note(tab.title, row_number, column, style, value,
                             bold=tab.title in new_sheets, number_format=number_format,
                             rewritten=moved)  # fmt: skip
    structural += formats.requests(grown, structural_call=bool(structural))
    return Requests(structural, rows, tab_ranges)


def take_anchor_ids(requests: Requests, replies: list[Any]) -> None:
    """Give each new anchor the id Google assigned it, from the structural call's replies
    (one per request, in order); raises ValueError when one is missing."""
    position = {id(request): index for index, request in enumerate(requests.structural)}
    for row in requests.rows:
        if row.create is None:
            continue
        at = position[id(row.create)]
        reply = replies[at] if at < len(replies) and isinstance(replies[at], dict) else {}
        created = reply.get("createDeveloperMetadata", {}).get("developerMetadata", {})
        metadata_id = str(created.get("metadataId", ""))
        if not metadata_id.isdigit():
            raise ValueError("the Sheets API did not say which id a new row tag got")
        row.metadata_id = int(metadata_id)


def _with_header_rows(plan: WritePlan, grid: WorkbookGrid) -> list[CellWrite]:
    """The plan's cells, and an empty write to the header row of each tab written to."""
    cells = list(plan.cells)
    written_tabs = {write.tab for write in plan.cells}
    for tab, header_row in plan.header_rows:
        if tab in written_tabs and not any(
            w.tab == tab and w.row == header_row for w in plan.cells
        ):
            cells.append(CellWrite(tab, header_row, 0, None, None, CellStyle.HEADER,
                                   HEADER_ROW_KEY))  # fmt: skip
    return cells


def _expect_headers(rows: list[RowWrite], plan: WritePlan, grid: WorkbookGrid) -> None:
    """What each header row should show after the write: as read, plus the new headers."""
    header_rows = set(plan.header_rows)
    sheets = {sheet.title: sheet for sheet in grid.sheets}
    for row in rows:
        if (row.tab, row.row) not in header_rows:
            continue
        row.cells.pop(0, None)  # the empty write that only put the row in the plan
        sheet = sheets.get(row.tab)
        read = list(sheet.rows[row.row - 1]) if sheet and row.row - 1 < len(sheet.rows) else []
        width = max([len(read), *row.cells])
        expected: list[CellValue] = [*read, *[None] * (width - len(read))]
        for column, value in row.cells.items():
            expected[column - 1] = value if not isinstance(value, dt.date) else None
        row.expected_header = expected


def _anchor_rows(
    cells: Sequence[CellWrite], sheets: dict[str, SheetInfo], structural: list[dict[str, Any]]
) -> list[RowWrite]:
    """Group cell writes by row and find (or plan) each row's anchor.

    A new anchor's id is left to Google (the structural call's reply gives it): an id the
    tool chose could already belong to metadata another Cloud project keeps on the sheet,
    which this key cannot see. Stale anchors (on the row, or of the same key on another
    row) are all deleted before any is created.
    """
    rows: dict[tuple[str, int], RowWrite] = {}
    for write in cells:
        row = rows.setdefault((write.tab, write.row), RowWrite(write.tab, write.row, write.row_key))
        row.cells[write.column] = write.value
    anchored: dict[tuple[str, str], list[int]] = defaultdict(list)  # (tab, key) -> ids
    for info in sheets.values():
        for anchors in info.anchors.values():
            for anchor in anchors:
                anchored[(info.title, anchor.value)].append(anchor.metadata_id)
    seen: dict[tuple[str, str], int] = defaultdict(int)
    deletes: dict[int, None] = {}  # ordered, without repeats
    creates: list[dict[str, Any]] = []
    for row in rows.values():
        info = sheets[row.tab]
        seen[(row.tab, row.key)] += 1
        key = row.key if seen[(row.tab, row.key)] == 1 else f"{row.key}#{seen[(row.tab, row.key)]}"
        here = info.anchors.get(row.row - 1, [])
        current = [anchor for anchor in here if anchor.value == key]
        if current:
            row.metadata_id = current[0].metadata_id
            continue
        # No anchor, or a stale one (another row's): replace whatever the tool left here,
        # and this key's anchor on another row (its values were moved without it).
        deletes.update(dict.fromkeys(anchor.metadata_id for anchor in here))
        deletes.update(dict.fromkeys(anchored.get((row.tab, key), [])))
        row.new_anchor = True
        row.create = _create_anchor(key, info.sheet_id, row.row - 1)
        creates.append(row.create)
    structural += [_delete_metadata(metadata_id) for metadata_id in deletes]
    structural += creates
    return list(rows.values())


def _create_anchor(key: str, sheet_id: int, row_index: int) -> dict[str, Any]:
    location = {"sheetId": sheet_id, "dimension": "ROWS",
                "startIndex": row_index, "endIndex": row_index + 1}  # fmt: skip
    metadata = {
        "metadataKey": ROW_ANCHOR_KEY,
        "metadataValue": key,
        "visibility": "DOCUMENT",
        "location": {"dimensionRange": location},
    }
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def _delete_metadata(metadata_id: int) -> dict[str, Any]:
    lookup = {"developerMetadataLookup": {"metadataId": metadata_id}}
    return {"deleteDeveloperMetadata": {"dataFilter": lookup}}


def _add_tool_tabs(
    tabs: Sequence[TabContent], sheets: dict[str, SheetInfo], structural: list[dict[str, Any]]
) -> set[str]:
    """addSheet requests for tool tabs the spreadsheet lacks; their infos join `sheets`."""
    taken = {info.sheet_id for info in sheets.values()}
    created: set[str] = set()
    for tab in tabs:
        if tab.title in sheets or not tab.changed:
            continue
        sheet_id = stable_id(0, f"tab:{tab.title}")
        while sheet_id in taken:
            sheet_id = sheet_id % (2**31 - 1) + 1
        taken.add(sheet_id)
        width = max((len(r) for r in tab.rows), default=1)
        info = SheetInfo(
            sheet_id, tab.title,
            max(_NEW_TAB_ROWS, len(tab.rows) * (1 + _SYNCS_OF_ROOM) + _HEADROOM_ROWS),
            max(_NEW_TAB_COLUMNS, width), tab.frozen_rows,
        )  # fmt: skip
        sheets[tab.title] = info
        created.add(tab.title)
        grid_properties = {"rowCount": info.row_count, "columnCount": info.column_count}
        if tab.frozen_rows:
            grid_properties["frozenRowCount"] = tab.frozen_rows
        properties = {"sheetId": sheet_id, "title": tab.title, "gridProperties": grid_properties}
        structural.append({"addSheet": {"properties": properties}})
        for index, width_chars in enumerate(tab.widths):
            structural.append(
                {
                    "updateDimensionProperties": {
                        "range": {"sheetId": sheet_id, "dimension": "COLUMNS",
                                  "startIndex": index, "endIndex": index + 1},
                        "properties": {"pixelSize": int(width_chars * 7 + 5)},
                        "fields": "pixelSize",
                    }
                }
            )  # fmt: skip
    return created


def _grow_grids(
    plan: WritePlan, sheets: dict[str, SheetInfo], structural: list[dict[str, Any]]
) -> dict[str, tuple[int, int]]:
    """appendDimension requests where a write would fall outside a tab's grid; returns the
    row ranges added per tab (appended rows have no formats: they are formatted again)."""
    needed: dict[str, tuple[int, int]] = {}
    for write in plan.cells:
        rows, cols = needed.get(write.tab, (0, 0))
        needed[write.tab] = (max(rows, write.row), max(cols, write.column))
    for tab in plan.changed_tabs:
        width = max((len(r) for r in tab.rows), default=0)
        rows, cols = needed.get(tab.title, (0, 0))
        needed[tab.title] = (max(rows, len(tab.rows)), max(cols, width))
    grown: dict[str, tuple[int, int]] = {}
    for title, (rows, cols) in needed.items():
        info = sheets[title]
        if rows > info.row_count:
            # Room for several more syncs of the same size (History grows every sync), so
            # that most syncs need no structural call.
            added = rows - info.content_rows
            extra = rows - info.row_count + max(_HEADROOM_ROWS, _SYNCS_OF_ROOM * added)
            structural.append(_append(info.sheet_id, "ROWS", extra))
            grown[title] = (info.row_count, info.row_count + extra)
            info.row_count += extra
        if cols > info.column_count:
            extra = cols - info.column_count
            structural.append(_append(info.sheet_id, "COLUMNS", extra))
            info.column_count += extra
    return grown


def _same_row(
    old: Sequence[Sequence[CellValue]], row_number: int, values: Sequence[WriteValue]
) -> bool:
    """Whether a tool tab's 1-based row held the same row before: the same first two
    values (History's date and key result ID)."""
    if row_number > len(old):
        return False
    before = old[row_number - 1]
    return all(
        same_value(before[i] if i < len(before) else None, values[i] if i < len(values) else None)
        for i in range(2)
    )


def _append(sheet_id: int, dimension: str, length: int) -> dict[str, Any]:
    return {"appendDimension": {"sheetId": sheet_id, "dimension": dimension, "length": length}}


def _tab_ranges(tab: TabContent, old: Sequence[Sequence[CellValue]]) -> list[dict[str, Any]]:
    """The rows of a tool tab that differ from what it holds, as runs of A1 ranges.

    Cells the new content leaves empty are cleared with "", so no stale row stays behind.
    """
    ranges: list[dict[str, Any]] = []
    run: list[list[Any]] = []
    run_start = 0
    for index in range(max(len(tab.rows), len(old))):
        new_row = tab.rows[index] if index < len(tab.rows) else ()
        old_row = old[index] if index < len(old) else ()
        width = max(len(new_row), len(old_row))
        values: list[Any] = []
        differs = False
        for column in range(width):
            after = new_row[column] if column < len(new_row) else None
            before = old_row[column] if column < len(old_row) else None
            if same_value(before, after):
                values.append(None)
            else:
                differs = True
                values.append(json_value(after))
        if differs:
            if not run:
                run_start = index
            run.append(values)
        elif run:
            ranges.append(_a1_entry(tab.title, run_start, run))
            run = []
    if run:
        ranges.append(_a1_entry(tab.title, run_start, run))
    return ranges


def _a1_entry(title: str, first_row: int, values: list[list[Any]]) -> dict[str, Any]:
    # Bounded: a data filter's values may not exceed the range it matches. Always quoted:
    # an unquoted title such as KR1 would read as a cell address.
    width = max((len(row) for row in values), default=1) or 1
    last = f"{column_letter(width - 1)}{first_row + len(values)}"
    a1 = "'" + title.replace("'", "''") + f"'!A{first_row + 1}:{last}"
    return {"dataFilter": {"a1Range": a1}, "majorDimension": "ROWS", "values": values}
