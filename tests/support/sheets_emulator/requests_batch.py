"""spreadsheets:batchUpdate: requests applied in order, all or nothing, one reply each."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from tests.support.sheets_emulator.errors import ApiError, bad_request
from tests.support.sheets_emulator.fields import apply_mask
from tests.support.sheets_emulator.grid_json import sheet_properties
from tests.support.sheets_emulator.model import Sheet, Spreadsheet
from tests.support.sheets_emulator.ranges import Context, sheet_of
from tests.support.sheets_emulator.requests_cells import CELL_REQUESTS
from tests.support.sheets_emulator.requests_metadata import METADATA_REQUESTS

CELL_LIMIT = 10_000_000
Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]


def dimension_range(
    book: Spreadsheet, data: dict[str, Any], *, inserting: bool = False
) -> tuple[Sheet, str, int, int]:
    """(sheet, "ROWS"|"COLUMNS", start, end) of a DimensionRange, checked against the grid."""
    sheet = sheet_of(book, data.get("sheetId"))
    dimension = data.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise bad_request("dimension must be ROWS or COLUMNS")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = int(data.get("startIndex", 0))
    end = int(data.get("endIndex", size))
    limit = size if not inserting else size + (end - start)
    if start < 0 or end <= start or end > limit or (inserting and start > size):
        raise bad_request(f"Invalid dimension range: {start}-{end} of {size} {dimension.lower()}")
    return sheet, dimension, start, end


def _new_sheet_id(book: Spreadsheet) -> int:
    # Google gives added sheets random positive ids; seeded so a test run is repeatable.
    rng = random.Random(f"{book.key}:{len(book.sheets)}")
    taken = {s.sheet_id for s in book.sheets}
    while (candidate := rng.randrange(1, 2**31)) in taken:
        pass
    return candidate


def _check_title(book: Spreadsheet, title: str, sheet: Sheet | None = None) -> None:
    other = book.sheet_by_title(title)
    if other is not None and other is not sheet:
        raise bad_request(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )


def _resize(sheet: Sheet, dimension: str, size: int) -> None:
    current = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if size < 1:
        raise bad_request(f"Invalid {dimension.lower()} count: {size}")
    if size > current:
        sheet.insert(dimension, current, size - current)
    elif size < current:
        sheet.delete(dimension, size, current)


def _set_properties(book: Spreadsheet, sheet: Sheet, props: dict[str, Any]) -> None:
    """Make a sheet match a SheetProperties object."""
    title = str(props.get("title", sheet.title))
    _check_title(book, title, sheet)
    sheet.title = title
    grid = props.get("gridProperties") or {}
    _resize(sheet, "ROWS", int(grid.get("rowCount", sheet.row_count)))
    _resize(sheet, "COLUMNS", int(grid.get("columnCount", sheet.column_count)))
    sheet.frozen_rows = int(grid.get("frozenRowCount", 0))
    sheet.frozen_columns = int(grid.get("frozenColumnCount", 0))
    if sheet.frozen_rows >= sheet.row_count or sheet.frozen_columns >= sheet.column_count:
        raise bad_request("You can't freeze all visible rows on the sheet.")
    sheet.hidden = bool(props.get("hidden", False))
    known = {"sheetId", "title", "index", "sheetType", "gridProperties", "hidden"}
    sheet.extra = {k: v for k, v in props.items() if k not in known}
    if "index" in props:
        book.sheets.remove(sheet)
        book.sheets.insert(min(int(props["index"]), len(book.sheets)), sheet)


def add_sheet(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """addSheet: a new 1000 x 26 tab unless the properties say otherwise."""
    book = ctx.book
    props = dict(request.get("properties") or {})
    sheet_id = int(props.get("sheetId", _new_sheet_id(book)))
    if book.sheet_by_id(sheet_id) is not None:
        raise bad_request(f"A sheet with the id {sheet_id} already exists.")
    number = len(book.sheets) + 1
    while book.sheet_by_title(f"Sheet{number}"):
        number += 1
    title = str(props.get("title", f"Sheet{number}"))
    _check_title(book, title)
    sheet = Sheet.blank(sheet_id, title, 1000, 26)
    book.sheets.append(sheet)
    props.setdefault("index", len(book.sheets) - 1)
    _set_properties(book, sheet, {**sheet_properties(sheet, 0), **props})
    return {"addSheet": {"properties": sheet_properties(sheet, book.sheets.index(sheet))}}


def delete_sheet(ctx: Context, request: dict[str, Any]) -> None:
    """deleteSheet: the tab, its rows and all the metadata on them go."""
    sheet = sheet_of(ctx.book, request.get("sheetId"))
    if len(ctx.book.sheets) == 1:
        raise bad_request("You can't remove all the sheets in a document.")
    ctx.book.sheets.remove(sheet)


def update_sheet_properties(ctx: Context, request: dict[str, Any]) -> None:
    """updateSheetProperties: only the fields the mask names change."""
    props = request.get("properties") or {}
    mask = request.get("fields")
    if not mask:
        raise bad_request("At least one field must be specified in 'fields'.")
    sheet = sheet_of(ctx.book, props.get("sheetId"))
    current = sheet_properties(sheet, ctx.book.sheets.index(sheet))
    apply_mask(current, props, str(mask))
    if "index" not in str(mask):
        current.pop("index", None)
    _set_properties(ctx.book, sheet, current)


def update_spreadsheet_properties(ctx: Context, request: dict[str, Any]) -> None:
    """updateSpreadsheetProperties: title, locale, timeZone and the like."""
    current = {"title": ctx.book.title, **ctx.book.properties}
    apply_mask(current, request.get("properties") or {}, str(request.get("fields") or ""))
    ctx.book.title = str(current.pop("title", ctx.book.title))
    ctx.book.properties = current


def append_dimension(ctx: Context, request: dict[str, Any]) -> None:
    """appendDimension: empty rows or columns at the end."""
    sheet = sheet_of(ctx.book, request.get("sheetId"))
    dimension, length = request.get("dimension"), int(request.get("length", 0))
    if dimension not in ("ROWS", "COLUMNS") or length < 1:
        raise bad_request("length must be positive and dimension ROWS or COLUMNS")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    sheet.insert(dimension, size, length)


def insert_dimension(ctx: Context, request: dict[str, Any]) -> None:
    """insertDimension: formats come from the row before (inheritFromBefore) or after."""
    sheet, dimension, start, end = dimension_range(
        ctx.book, request.get("range") or {}, inserting=True
    )
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    before = bool(request.get("inheritFromBefore"))
    if before and start == 0:
        raise bad_request("Cannot inherit from before when inserting at index 0.")
    donor = start - 1 if before else (start if start < size else None)
    sheet.insert(dimension, start, end - start, donor)


def delete_dimension(ctx: Context, request: dict[str, Any]) -> None:
    """deleteDimension: the rows go, with their cells and metadata."""
    sheet, dimension, start, end = dimension_range(ctx.book, request.get("range") or {})
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end - start >= size:
        raise bad_request(f"You can't delete all the {dimension.lower()} on the sheet.")
    sheet.delete(dimension, start, end)


def move_dimension(ctx: Context, request: dict[str, Any]) -> None:
    """moveDimension: destinationIndex counts positions before the source is removed."""
    sheet, dimension, start, end = dimension_range(ctx.book, request.get("source") or {})
    destination = int(request.get("destinationIndex", 0))
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if destination < 0 or destination > size or start < destination < end:
        raise bad_request(f"Invalid destinationIndex: {destination}")
    sheet.move(dimension, start, end, destination)


def update_dimension_properties(ctx: Context, request: dict[str, Any]) -> None:
    """updateDimensionProperties: pixelSize (the only property the emulator keeps)."""
    sheet, dimension, start, end = dimension_range(ctx.book, request.get("range") or {})
    props, mask = request.get("properties") or {}, str(request.get("fields") or "")
    if "pixelSize" in mask or mask == "*":
        for index in range(start, end):
            item = sheet.writable_line(dimension, index)
            item.pixel_size = int(props.get("pixelSize", item.pixel_size))


REQUESTS: dict[str, Handler] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "moveDimension": move_dimension,
    "updateDimensionProperties": update_dimension_properties,
    **CELL_REQUESTS,
    **METADATA_REQUESTS,
}


def batch_update(ctx: Context) -> list[dict[str, Any]]:
    """Apply the requests in order to ctx.book (a copy the caller commits only on success)."""
    requests = (ctx.body or {}).get("requests") or []
    replies: list[dict[str, Any]] = []
    for index, request in enumerate(requests):
        kinds = list(request) if isinstance(request, dict) else []
        if len(kinds) != 1:
            raise bad_request(f"Invalid requests[{index}]: exactly one kind of request is needed.")
        kind = kinds[0]
        handler = REQUESTS.get(kind)
        if handler is None:
            raise bad_request(
                f"Invalid JSON payload received. Unknown name \"{kind}\" at 'requests[{index}]': "
                "Cannot find field."
            )
        try:
            reply = handler(ctx, request[kind] or {})
            ctx.changed(only_added_metadata=kind == "createDeveloperMetadata")
            cells = sum(s.row_count * s.column_count for s in ctx.book.sheets)
            if cells > CELL_LIMIT:
                raise bad_request(
                    "This action would increase the number of cells in the workbook above the "
                    f"limit of {CELL_LIMIT} cells."
                )
        except ApiError as error:
            message = f"Invalid requests[{index}].{kind}: {error.message}"
            raise ApiError(error.code, message, status=error.status) from None
        replies.append(reply or {})
    return replies
