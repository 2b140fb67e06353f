"""After the Sheets API refused a value write as invalid: was it the request, or the sheet?

Google answers 400 both to a malformed request and to a write that no longer fits the
sheet (a row filter matching nothing, a range past the grid). Its words are no contract,
so the sheet itself is looked at: a row tag gone, or a tab smaller than what was written
to it (or gone), means people changed it meanwhile (run again, exit 75); otherwise the
request was at fault (exit 1, with Google's message).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sheets_okr.a1 import column_index, quote_tab
from sheets_okr.errors import SheetsOkrError, TemporaryFailure
from sheets_okr.sources.gsheets.client import api_status
from sheets_okr.sources.gsheets.write import RowWrite

# One read request: method, path after the spreadsheet, query parameters, JSON body.
Look = Callable[[str, str, dict[str, Any], Any], Any]

_SEARCH_BATCH = 500  # tags asked for in one developerMetadata:search
_A1_RANGE = re.compile(r"^'((?:[^']|'')*)'!([A-Z]+)(\d+):([A-Z]+)(\d+)$")


def _extent(entry: dict[str, Any]) -> tuple[str, int, int]:
    """The tab, last row and last column (1-based) a tool tab's A1 entry writes to."""
    match = _A1_RANGE.match(str(entry.get("dataFilter", {}).get("a1Range", "")))
    if match is None:
        return "", 0, 0
    return match[1].replace("''", "'"), int(match[5]), column_index(match[4]) + 1


def refused_as_invalid(cause: BaseException | None) -> bool:
    """Whether a failed call was refused as invalid (HTTP 400, INVALID_ARGUMENT or
    FAILED_PRECONDITION), by Google's status, never by the words of its message."""
    from gspread.exceptions import APIError

    if not isinstance(cause, APIError) or api_status(cause) != 400:
        return False
    status = str(cause.error.get("status", "")) if isinstance(cause.error, dict) else ""
    return status in ("", "INVALID_ARGUMENT", "FAILED_PRECONDITION")


def what_changed(
    look: Look, name: str, rows: list[RowWrite], tab_ranges: list[dict[str, Any]]
) -> str:
    """What people changed that the refused write no longer fits ("" when nothing did, and
    the request itself was at fault). Rows deleted: a tag is gone. Columns or rows
    deleted, a tab deleted or renamed: a tab is smaller than what was written to it.
    Raises TemporaryFailure when the sheet cannot be looked at."""
    try:
        present = _tags_present(look, sorted({row.metadata_id for row in rows}))
        fields = "sheets(properties(title,gridProperties(rowCount,columnCount)))"
        shape = look("get", "", {"fields": fields, "prettyPrint": "false"}, None)
    except SheetsOkrError as error:
        raise TemporaryFailure(
            f"{name}: the Sheets API refused the write, and the sheet could not be looked at"
            f" to tell why ({error}); no value was written. Run the sync again."
        ) from error
    if any(row.metadata_id not in present for row in rows):
        return "a tagged row is gone"
    sizes: dict[str, tuple[int, int]] = {}
    for sheet in shape.get("sheets", []) if isinstance(shape, dict) else []:
        properties = sheet.get("properties", {})
        grid = properties.get("gridProperties", {})
        sizes[str(properties.get("title", ""))] = (
            int(grid.get("rowCount", 0)), int(grid.get("columnCount", 0))
        )  # fmt: skip
    needed = [(row.tab, row.row, len(row.values())) for row in rows]
    needed += [_extent(entry) for entry in tab_ranges]
    for tab, last_row, last_column in needed:
        rows_now, columns_now = sizes.get(tab, (0, 0))
        if rows_now < last_row or columns_now < last_column:
            return f"tab {quote_tab(tab)} is smaller than when it was read, or gone"
    return ""


def _tags_present(look: Look, ids: list[int]) -> set[int]:
    """Which of these row tags the sheet still has (searched a few hundred at a time)."""
    present: set[int] = set()
    for start in range(0, len(ids), _SEARCH_BATCH):
        batch = ids[start : start + _SEARCH_BATCH]
        body = {"dataFilters": [{"developerMetadataLookup": {"metadataId": i}} for i in batch]}
        found = look("post", "/developerMetadata:search", {"prettyPrint": "false"}, body)
        matched = found.get("matchedDeveloperMetadata", []) if isinstance(found, dict) else []
        present.update(
            int(m["developerMetadata"]["metadataId"])
            for m in matched
            if str(m.get("developerMetadata", {}).get("metadataId", "")).isdigit()
        )
    return present
