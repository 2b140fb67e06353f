"""batchUpdate requests on developer metadata: create, update, delete."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any

from tests.support.sheets_emulator.errors import bad_request
from tests.support.sheets_emulator.fields import apply_mask
from tests.support.sheets_emulator.model import DevMeta, Line, Spreadsheet, metadata_json
from tests.support.sheets_emulator.ranges import Context, filter_targets, lookup_metadata, sheet_of

Handler = Callable[[Context, dict[str, Any]], dict[str, Any] | None]
VISIBILITIES = ("DOCUMENT", "PROJECT")


def attach(book: Spreadsheet, meta: DevMeta, location: dict[str, Any]) -> dict[str, Any]:
    """Put metadata at a DeveloperMetadataLocation (spreadsheet, sheetId or dimensionRange).

    Returns the location as all_metadata reports it.
    """
    if location.get("spreadsheet"):
        meta.location_type = "SPREADSHEET"
        book.metadata.append(meta)
        return {"locationType": "SPREADSHEET", "spreadsheet": True}
    if "dimensionRange" in location:
        span = location["dimensionRange"]
        sheet = sheet_of(book, span.get("sheetId"))
        dimension = span.get("dimension")
        if dimension not in ("ROWS", "COLUMNS"):
            raise bad_request("dimensionRange.dimension must be ROWS or COLUMNS")
        size = sheet.row_count if dimension == "ROWS" else sheet.column_count
        start, end = int(span.get("startIndex", 0)), int(span.get("endIndex", size))
        if not 0 <= start < end <= size:
            raise bad_request(f"Invalid dimensionRange: {start}-{end} of {size}")
        meta.location_type = "ROW" if dimension == "ROWS" else "COLUMN"
        for index in range(start, end):
            sheet.writable_line(dimension, index).metadata.append(meta)
        where = {"sheetId": sheet.sheet_id, "dimension": dimension}
        return {
            "locationType": meta.location_type,
            "dimensionRange": {**where, "startIndex": start, "endIndex": end},
        }
    if "sheetId" in location:
        meta.location_type = "SHEET"
        sheet = sheet_of(book, location["sheetId"])
        sheet.metadata.append(meta)
        return {"locationType": "SHEET", "sheetId": sheet.sheet_id}
    raise bad_request("Developer metadata needs a location.")


def replace_metadata(book: Spreadsheet, replacements: dict[int, DevMeta | None]) -> None:
    """Put each metadata (by id()) wherever it sits with its replacement, or remove it (None).

    Lines are copied before they change (see clone.py), and a metadata object is never
    changed in place: the spreadsheet a write was copied from may hold it too.
    """

    def replaced(items: list[DevMeta]) -> list[DevMeta]:
        kept = (replacements.get(id(m), m) for m in items)
        return [m for m in kept if m is not None]

    def touched(items: list[DevMeta]) -> bool:
        return any(id(m) in replacements for m in items)

    book.metadata[:] = replaced(book.metadata)
    for sheet in book.sheets:
        sheet.metadata[:] = replaced(sheet.metadata)
        lines: list[tuple[str, Sequence[Line]]] = [("ROWS", sheet.rows), ("COLUMNS", sheet.columns)]
        for kind, items in lines:
            for index, item in enumerate(items):
                if item.metadata and touched(item.metadata):
                    line = sheet.writable_line(kind, index)
                    line.metadata[:] = replaced(line.metadata)


def matching_metadata(ctx: Context, data_filter: dict[str, Any]) -> list[DevMeta]:
    """Metadata a DataFilter selects: by lookup, or sitting inside an a1Range/gridRange."""
    if "developerMetadataLookup" in data_filter:
        return [m for m, _ in lookup_metadata(ctx, data_filter["developerMetadataLookup"])]
    found: list[DevMeta] = []
    for target in filter_targets(ctx, data_filter):
        w = target.window
        for meta, location in ctx.metadata_index().entries:
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
    taken = ctx.taken_ids()
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
    location = attach(book, meta, data.get("location") or {})
    taken.add(metadata_id)
    return {"createDeveloperMetadata": {"developerMetadata": metadata_json(meta, location)}}


def delete_developer_metadata(ctx: Context, request: dict[str, Any]) -> dict[str, Any]:
    """deleteDeveloperMetadata: everything the dataFilter selects."""
    book = ctx.book
    locations = {id(m): loc for m, loc in book.all_metadata()}
    deleted = matching_metadata(ctx, request.get("dataFilter") or {})
    replace_metadata(book, dict.fromkeys(map(id, deleted)))
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
        updated += [m for m in matching_metadata(ctx, data_filter) if m not in updated]
    locations = {id(m): loc for m, loc in book.all_metadata()}
    replacements: dict[int, DevMeta | None] = {}
    moves: list[tuple[DevMeta, dict[str, Any]]] = []
    results: list[DevMeta] = []
    for meta in updated:
        current = metadata_json(meta, locations[id(meta)])
        apply_mask(current, source, mask)
        # A new object, not a change in place: the original spreadsheet may share `meta`.
        new = DevMeta(
            meta.metadata_id,
            str(current.get("metadataKey", meta.key)),
            current.get("metadataValue"),
            str(current.get("visibility", meta.visibility)),
            meta.location_type,
        )
        if "location" in mask or mask == "*":
            replacements[id(meta)] = None
            moves.append((new, current.get("location") or {}))
        else:
            replacements[id(meta)] = new
        results.append(new)
    replace_metadata(book, replacements)
    for new, location in moves:
        attach(book, new, location)
    after = {id(m): loc for m, loc in book.all_metadata()}
    body = [metadata_json(m, after[id(m)]) for m in results]
    return {"updateDeveloperMetadata": {"developerMetadata": body}}


METADATA_REQUESTS: dict[str, Handler] = {
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "updateDeveloperMetadata": update_developer_metadata,
}
