"""Routing /v4/spreadsheets/... to handlers, and the spreadsheet-level endpoints."""

from __future__ import annotations

import copy
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.sheets_emulator import values_api, values_append_clear
from tests.support.sheets_emulator.errors import ApiError, bad_request
from tests.support.sheets_emulator.fields import (
    Mask,
    MaskError,
    read_mask,
    select,
    select_fields,
    sub_mask,
)
from tests.support.sheets_emulator.grid_json import Window, keeps_grid, spreadsheet_json
from tests.support.sheets_emulator.model import metadata_json
from tests.support.sheets_emulator.ranges import Context, filter_targets, resolve_a1
from tests.support.sheets_emulator.requests_batch import batch_update as apply_requests
from tests.support.sheets_emulator.requests_metadata import matching_metadata
from tests.support.sheets_emulator.resources import check_mask

PREFIX = "/v4/spreadsheets/"
Route = Callable[[Context], dict[str, Any]]


def fields_mask(ctx: Context, resource: str | None = None) -> tuple[bool, Mask | None]:
    """Whether the request has a `fields` parameter, and the mask it names (None: all).

    400 for one that does not parse or, when the resource is known, names no field of it.
    """
    text = ctx.param("fields")
    if text is None:
        return False, None
    try:
        mask = read_mask(text)
    except MaskError as error:
        # Google's words for a malformed mask are not known: its generic ones.
        raise ApiError(400) from error
    if resource is not None:
        check_mask(mask, resource)
    return True, mask


def _spreadsheet(ctx: Context, include_grid: bool, windows: list[Window] | None) -> dict[str, Any]:
    """A read's Spreadsheet: masked by `fields`, which then decides on grid data alone
    ("If a field mask is set, the includeGridData parameter is ignored")."""
    masked, mask = fields_mask(ctx, "Spreadsheet")
    grid = keeps_grid(mask) if masked else include_grid
    return spreadsheet_json(ctx.book, include_grid=grid, windows=windows, mask=mask)


def get_spreadsheet(ctx: Context) -> dict[str, Any]:
    """GET spreadsheets/{id}?includeGridData=..&ranges=..&fields=.."""
    ranges = ctx.query.get("ranges")
    windows = [resolve_a1(ctx.book, text).window for text in ranges] if ranges else None
    return _spreadsheet(ctx, ctx.flag("includeGridData"), windows)


def get_by_data_filter(ctx: Context) -> dict[str, Any]:
    """POST spreadsheets/{id}:getByDataFilter (`fields` in the query)."""
    body = ctx.body or {}
    filters = body.get("dataFilters") or []
    windows = [t.window for f in filters for t in filter_targets(ctx, f)]
    return _spreadsheet(ctx, bool(body.get("includeGridData")), windows if filters else None)


def batch_update(ctx: Context) -> dict[str, Any]:
    """POST spreadsheets/{id}:batchUpdate; `fields` masks the answer, updatedSpreadsheet too
    (and then decides on its grid data: responseIncludeGridData is ignored)."""
    body = ctx.body or {}
    masked, mask = fields_mask(ctx, "BatchUpdateSpreadsheetResponse")
    replies = apply_requests(ctx)
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key, "replies": replies}
    kept, sheet_mask = sub_mask(mask, "updatedSpreadsheet")
    if body.get("includeSpreadsheetInResponse") and kept:
        ranges = body.get("responseRanges")
        windows: list[Window] | None = None
        if ranges:
            windows = [resolve_a1(ctx.book, str(text)).window for text in ranges]
        grid = keeps_grid(sheet_mask) if masked else bool(body.get("responseIncludeGridData"))
        result["updatedSpreadsheet"] = spreadsheet_json(
            ctx.book, include_grid=grid, windows=windows, mask=sheet_mask
        )
    return select_fields(result, mask, done=("updatedSpreadsheet",))


def search_metadata(ctx: Context) -> dict[str, Any]:
    """POST developerMetadata:search."""
    locations = {id(m): loc for m, loc in ctx.book.all_metadata()}
    matched = []
    for data_filter in (ctx.body or {}).get("dataFilters") or []:
        for meta in matching_metadata(ctx, data_filter):
            matched.append(
                {
                    "developerMetadata": metadata_json(meta, locations[id(meta)]),
                    "dataFilters": [copy.deepcopy(data_filter)],
                }
            )
    return {"matchedDeveloperMetadata": matched} if matched else {}


def get_metadata(ctx: Context, metadata_id: str) -> dict[str, Any]:
    """GET developerMetadata/{metadataId}."""
    for meta, location in ctx.book.all_metadata():
        if str(meta.metadata_id) == metadata_id:
            return metadata_json(meta, location)
    raise ApiError(404, f"No developer metadata with ID: {metadata_id}")


def batch_clear_by_filter(ctx: Context) -> dict[str, Any]:
    """POST values:batchClearByDataFilter."""
    return values_append_clear.values_batch_clear(ctx, by_filter=True)


_SPREADSHEET: dict[tuple[str, str], Route] = {
    ("GET", ""): get_spreadsheet,
    ("POST", "batchUpdate"): batch_update,
    ("POST", "getByDataFilter"): get_by_data_filter,
}
_COLLECTION: dict[tuple[str, str], Route] = {
    ("GET", "values:batchGet"): values_api.values_batch_get,
    ("POST", "values:batchUpdate"): values_api.values_batch_update,
    ("POST", "values:batchUpdateByDataFilter"): values_api.values_batch_update_by_filter,
    ("POST", "values:batchGetByDataFilter"): values_api.values_batch_get_by_filter,
    ("POST", "values:batchClear"): values_append_clear.values_batch_clear,
    ("POST", "values:batchClearByDataFilter"): batch_clear_by_filter,
    ("POST", "developerMetadata:search"): search_metadata,
}
_RANGED: dict[tuple[str, str], Callable[[Context, str], dict[str, Any]]] = {
    ("GET", ""): values_api.values_get,
    ("PUT", ""): values_api.values_update,
    ("POST", "append"): values_append_clear.values_append,
    ("POST", "clear"): values_append_clear.values_clear,
}
# POST endpoints that only read (they count against the read quota).
READ_POSTS = {"getByDataFilter", "values:batchGetByDataFilter", "developerMetadata:search"}


# The handlers that apply `fields` themselves; the others' answers are masked whole.
_MASKING = {get_spreadsheet, get_by_data_filter, batch_update}


def _masked(handler: Route) -> Route:
    def masked(ctx: Context) -> dict[str, Any]:
        answer = handler(ctx)
        _, mask = fields_mask(ctx)
        kept: dict[str, Any] = select(answer, mask)
        return kept

    return masked


def _bind(handler: Callable[[Context, str], dict[str, Any]], text: str) -> Route:
    def bound(ctx: Context) -> dict[str, Any]:
        return handler(ctx, text)

    return bound


@dataclass(frozen=True)
class Endpoint:
    """A routed API call: the spreadsheet key, its handler, and whether it writes."""

    key: str
    handler: Route
    writes: bool


def route(method: str, raw_path: str) -> Endpoint | None:
    """The endpoint a method and still percent-encoded path name, or None."""
    if not raw_path.startswith(PREFIX):
        return None
    raw = raw_path[len(PREFIX) :].split("/")
    key, _, action = urllib.parse.unquote(raw[0]).partition(":")
    name = action
    handler: Route | None = None
    if len(raw) == 1:
        handler = _SPREADSHEET.get((method, action))
    elif action:
        return None
    elif len(raw) == 2:
        name = urllib.parse.unquote(raw[1])
        handler = _COLLECTION.get((method, name))
    elif len(raw) == 3 and raw[1] == "values":
        # gspread quotes the whole range (":" too), so a literal ":append" is the verb.
        range_raw, verb = raw[2], ""
        for suffix in (":append", ":clear"):
            if range_raw.endswith(suffix):
                range_raw, verb = range_raw[: -len(suffix)], suffix[1:]
        ranged = _RANGED.get((method, verb))
        if ranged is not None:
            handler = _bind(ranged, urllib.parse.unquote(range_raw))
    elif len(raw) == 3 and raw[1] == "developerMetadata" and method == "GET":
        handler = _bind(get_metadata, urllib.parse.unquote(raw[2]))
    if handler is None or not key:
        return None
    if handler not in _MASKING:
        handler = _masked(handler)
    writes = method != "GET" and name not in READ_POSTS
    return Endpoint(key, handler, writes)


def invalid_json(text: str) -> ApiError:
    """400 for a body that is not JSON."""
    return bad_request(f"Invalid JSON payload received. Unexpected token.\n{text[:60]}")
