"""batchUpdate requests on developer metadata: create, update, delete."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from tests.sheets_emulator.errors import bad_request
from tests.sheets_emulator.fields import apply_mask
from tests.sheets_emulator.model import DevMeta, Line, Spreadsheet, metadata_json
from tests.sheets_emulator.ranges import Context, filter_targets, lookup_metadata, sheet_of

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]
VISIBILITIES = ("DOCUMENT", "PROJECT")


def attach(book: Spreadsheet, meta: DevMeta, location: dict[str, Any]) -> None:
    """Put metadata at a DeveloperMetadataLocation (spreadsheet, sheetId or dimensionRange)."""
    if location.get("spreadsheet"):
        meta.location_type = "SPREADSHEET"
        book.metadata.append(meta)
    elif "dimensionRange" in location:
        span = location["dimensionRange"]
        sheet = sheet_of(book, span.get("sheetId"))
        dimension = span.get("dimension")
        if dimension not in ("ROWS", "COLUMNS"):
            raise bad_request("dimensionRange.dimension must be ROWS or COLUMNS")
        items: Sequence[Line] = sheet.rows if dimension == "ROWS" else sheet.columns
        start, end = int(span.get("startIndex", 0)), int(span.get("endIndex", len(items)))
        if not 0 <= start < end <= len(items):
            raise bad_request(f"Invalid dimensionRange: {start}-{end} of {len(items)}")
        meta.location_type = "ROW" if dimension == "ROWS" else "COLUMN"
        for item in items[start:end]:
            item.metadata.append(meta)
    elif "sheetId" in location:
        meta.location_type = "SHEET"
        sheet_of(book, location["sheetId"]).metadata.append(meta)
    else:
        raise bad_request("Developer metadata needs a location.")


def detach(book: Spreadsheet, meta: DevMeta) -> None:
    """Remove metadata from wherever it sits."""
    holders: list[list[DevMeta]] = [book.metadata]
    for sheet in book.sheets:
        holders += [sheet.metadata] + [item.metadata for item in sheet.lines()]
    for holder in holders:
        holder[:] = [m for m in holder if m is not meta]


def matching_metadata(book: Spreadsheet, data_filter: dict[str, Any]) -> list[DevMeta]:
    """Metadata a DataFilter selects: by lookup, or sitting inside an a1Range/gridRange."""
    if "developerMetadataLookup" in data_filter:
        return [m for m, _ in lookup_metadata(book, data_filter["developerMetadataLookup"])]
    found: list[DevMeta] = []
    for target in filter_targets(book, data_filter):
        w = target.window
        for meta, location in book.all_metadata():
            span = location.get("dimensionRange")
            if span is None or span["sheetId"] != w.sheet.sheet_id:
                continue
            lo, hi = (w.r0, w.r1) if span["dimension"] == "ROWS" else (w.c0, w.c1)
            if span["startIndex"] < hi and lo < span["endIndex"] and meta not in found:
                found.append(meta)
    return found


def create_developer_metadata(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """createDeveloperMetadata: metadataId is random when not given, and must be unique."""
    data = request.get("developerMetadata") or {}
    book = ctx.book
    taken = book.metadata_ids()
    if "metadataId" in data:
        metadata_id = int(data["metadataId"])
        if metadata_id <= 0:
            raise bad_request("metadataId must be positive.")
        if metadata_id in taken:
            raise bad_request(f"Developer metadata with ID {metadata_id} already exists.")
    else:
        rng = random.Random(f"{book.key}:meta:{len(taken)}")
        while (metadata_id := rng.randrange(1, 2**31)) in taken:
            pass
    if not data.get("metadataKey"):
        raise bad_request("Developer metadata must have a metadataKey.")
    visibility = data.get("visibility")
    if visibility not in VISIBILITIES:
        raise bad_request("Developer metadata must have a visibility of DOCUMENT or PROJECT.")
    value = data.get("metadataValue")
    meta = DevMeta(
        metadata_id,
        str(data["metadataKey"]),
        None if value is None else str(value),
        str(visibility),
        "",
    )
    attach(book, meta, data.get("location") or {})
    location = next(loc for m, loc in book.all_metadata() if m is meta)
    return {"createDeveloperMetadata": {"developerMetadata": metadata_json(meta, location)}}


def delete_developer_metadata(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """deleteDeveloperMetadata: everything the dataFilter selects."""
    book = ctx.book
    locations = {id(m): loc for m, loc in book.all_metadata()}
    deleted = matching_metadata(book, request.get("dataFilter") or {})
    for meta in deleted:
        detach(book, meta)
    body = [metadata_json(m, locations[id(m)]) for m in deleted]
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": body}}


def update_developer_metadata(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """updateDeveloperMetadata: masked fields (key, value, visibility, location) of matches."""
    book = ctx.book
    mask = str(request.get("fields") or "")
    if not mask:
        raise bad_request("At least one field must be specified in 'fields'.")
    source = request.get("developerMetadata") or {}
    updated: list[DevMeta] = []
    for data_filter in request.get("dataFilters") or []:
        updated += [m for m in matching_metadata(book, data_filter) if m not in updated]
    locations = {id(m): loc for m, loc in book.all_metadata()}
    for meta in updated:
        current = metadata_json(meta, locations[id(meta)])
        apply_mask(current, source, mask)
        meta.key = str(current.get("metadataKey", meta.key))
        meta.value = current.get("metadataValue")
        meta.visibility = str(current.get("visibility", meta.visibility))
        if "location" in mask or mask == "*":
            detach(book, meta)
            attach(book, meta, current.get("location") or {})
    after = {id(m): loc for m, loc in book.all_metadata()}
    body = [metadata_json(m, after[id(m)]) for m in updated]
    return {"updateDeveloperMetadata": {"developerMetadata": body}}


METADATA_REQUESTS: dict[str, Handler] = {
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "updateDeveloperMetadata": update_developer_metadata,
}
