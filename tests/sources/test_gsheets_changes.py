"""A Google Sheet people change while a sync writes, under every answer Google may give.

Google's reference is silent on what values:batchUpdateByDataFilter answers for a row
filter that matches nothing (an error, an answer that wrote nothing, or no answer), and on
the order of its answers: the emulator plays each, and the figures must never land on
another row, whatever it answers. Also: dates in header rows compared as dates, a request
refused as invalid told apart from a sheet that changed, and metadata ids that another
Cloud project already took.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest

from sheets_okr.sources.gsheets.write import stable_id
from tests.sources.test_gsheets import (  # _fast_retries: retries wait milliseconds here
    AS_OF,
    KEY,
    SOURCE,
    TRACKER,
    _expected_progress,
    _fast_retries,  # noqa: F401
    _when,
    figures_by_title,
    run,
)
from tests.support.sheets_emulator import SheetsEmulator

TAB = "2026-Q4"
BEHAVIOURS = [
    (mode, shuffled) for mode in ("error", "ignore", "omit") for shuffled in (False, True)
]
NEW_CURRENT = {"H3": 29, "H5": 130, "H7": 9, "H8": 10}  # Current of each KR row, changed


def _edits(emu: SheetsEmulator) -> dict[str, Callable[[], None]]:
    return {
        "deleted": lambda: emu.delete_rows(KEY, TAB, 2, 3),  # the first KR (row 3)
        "inserted": lambda: emu.insert_rows(
            KEY, TAB, 3, 1, [["Key Result", "Inserted while syncing", "Ann", None, None, 0, 10, 5]]
        ),
        # Within one objective, so the plan still reads: "Book 40 demos" above "Win 10 deals".
        "sorted": lambda: emu.sort_rows(KEY, TAB, 6, 8, 1),
        "moved": lambda: emu.move_rows(KEY, TAB, 7, 8, 6),
    }


@pytest.mark.parametrize(("unmatched", "shuffled"), BEHAVIOURS)
@pytest.mark.parametrize("edit", ["deleted", "inserted", "sorted", "moved"])
def test_rows_changed_during_the_write_never_get_another_rows_figures(
    google_env: SheetsEmulator, unmatched: str, shuffled: bool, edit: str
) -> None:
    """Each row holds its old figure or its new one, never another's; the next sync is right."""
    google_env.unmatched_filter = unmatched
    google_env.shuffle_answers = shuffled
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    old = {title: figures[1] for title, figures in figures_by_title(google_env).items()}
    for cell, value in NEW_CURRENT.items():
        google_env.set_cell(KEY, TAB, cell, value)
    new = _expected_progress(google_env)
    google_env.before_request(_when("POST", "batchUpdateByDataFilter", _edits(google_env)[edit]))
    result = run("sync", SOURCE, "--as-of", AS_OF)
    google_env.before_request(None)
    assert result.exit_code in (0, 75), result.output
    assert "Traceback" not in result.output
    for title, figures in figures_by_title(google_env).items():
        if title in new:
            allowed = [new[title], old.get(title)]
            assert (
                any(figures[1] == pytest.approx(value) for value in allowed if value is not None)
                or figures[1] is None
            ), (title, figures, allowed)
        elif title == "Inserted while syncing":
            assert figures[1:] == (None, None, None), figures
    again = run("sync", SOURCE, "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    mine = figures_by_title(google_env)
    for title, progress in _expected_progress(google_env).items():
        assert mine[title][1] == pytest.approx(progress), title


DATED_HEADER: list[Any] = [*TRACKER[0][:12], dt.date(2026, 11, 2), dt.date(2026, 11, 9)]


def test_a_date_in_the_header_row_is_no_moved_column(google_env: SheetsEmulator) -> None:
    """Weekly check-in columns headed by dates: three syncs that each write a new figure, no
    warning, the third one read and one write."""
    rows = [DATED_HEADER, *(row + [None] * (12 - len(row)) for row in TRACKER[1:])]
    rows[2] = [*rows[2][:12], 22, 25]
    rows[6] = [*rows[6][:12], dt.date(2026, 11, 3), 4]
    google_env.create_spreadsheet(KEY, {TAB: rows})
    for current in (26, 27, 28):  # a new figure each week: each sync writes
        google_env.set_cell(KEY, TAB, "H3", current)
        google_env.clear_log()
        result = run("sync", SOURCE, "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        assert "changed while syncing" not in result.stderr
        assert "WARNING" not in result.stderr, result.stderr
    assert len(google_env.api_requests) <= 2, [r.path for r in google_env.api_requests]
    header = google_env.values(KEY, TAB)[0]
    assert dt.date(2026, 11, 2) in header or 46328 in header


def test_a_request_refused_as_invalid_is_exit_1_with_googles_words(
    google_env: SheetsEmulator,
) -> None:
    """A 400 on the value write while the sheet is as read: Google's message, exit 1 (not
    "rows were deleted", exit 75), even when its words speak of filters."""
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, TAB, "H3", 29)
    body = json.dumps(
        {"error": {"code": 400, "status": "INVALID_ARGUMENT",
                   "message": "Invalid data[0]: the dataFilter has an unknown field"}}
    )  # fmt: skip
    google_env.fail_next(400, path_contains="batchUpdateByDataFilter", body=body)
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    assert "the dataFilter has an unknown field" in result.stderr
    assert "were deleted" not in result.stderr


def test_columns_deleted_during_the_write_are_exit_75(google_env: SheetsEmulator) -> None:
    """A tab narrower than the write when it lands: exit 75, nothing written, next sync right."""
    google_env.unmatched_filter = "error"
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, TAB, "H3", 29)
    width = google_env.sheet_properties(KEY, TAB)["gridProperties"]["columnCount"]
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter",
              lambda: google_env.delete_columns(KEY, TAB, width - 3, width))
    )  # fmt: skip
    result = run("sync", SOURCE, "--as-of", AS_OF)
    google_env.before_request(None)
    assert result.exit_code in (0, 75), result.output
    if result.exit_code == 75:
        assert "rows or columns were deleted while syncing" in result.stderr


def test_metadata_ids_another_project_took_do_not_stop_a_sync(
    google_env: SheetsEmulator,
) -> None:
    """Ids this key cannot see (another Cloud project's PROJECT metadata) are never asked for:
    Google assigns each new row tag its id."""
    google_env.create_spreadsheet("1OtherCopy", {TAB: TRACKER})
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", "gsheet:1OtherCopy", "--as-of", AS_OF).exit_code == 0
    keys = {m["metadataValue"] for m in google_env.metadata("1OtherCopy") if m.get("metadataValue")}
    sheet_id = google_env.sheet_properties(KEY, TAB)["sheetId"]
    google_env.add_hidden_metadata(KEY, {stable_id(sheet_id, key) for key in keys})
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    mine = figures_by_title(google_env)
    for title, progress in _expected_progress(google_env).items():
        assert mine[title][1] == pytest.approx(progress), title
    created = [
        r for r in google_env.api_requests if r.method == "POST" and r.path.endswith(":batchUpdate")
    ]
    for request in created:
        for item in (request.body or {}).get("requests", []):
            assert "metadataId" not in item.get("createDeveloperMetadata", {}).get(
                "developerMetadata", {}
            )


@pytest.mark.parametrize("tab", ["Summary", TAB])
def test_a_tab_narrowed_during_the_write_is_exit_75(google_env: SheetsEmulator, tab: str) -> None:
    """Columns deleted from a tool tab or the OKR tab while the write runs: exit 75 saying
    so, nothing written; the next sync is right."""
    google_env.unmatched_filter = "error"
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, TAB, "H3", 29)
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter", lambda: google_env.delete_columns(KEY, tab, 3, 26))
    )
    result = run("sync", SOURCE, "--as-of", AS_OF)
    google_env.before_request(None)
    assert result.exit_code == 75, result.output
    assert "rows or columns were deleted while syncing" in result.stderr


def test_a_refused_write_whose_check_fails_is_exit_75(google_env: SheetsEmulator) -> None:
    """The search telling why a write was refused is retried after a 5xx; failing for good,
    the sync exits 75 (run again), never 1 for a sheet that may have changed."""
    google_env.unmatched_filter = "error"
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, TAB, "H3", 29)
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter", lambda: google_env.delete_rows(KEY, TAB, 2, 3))
    )
    google_env.fail_next(503, path_contains="developerMetadata:search")
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 75  # retried, then told
    google_env.before_request(None)
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})  # afresh, for a search that keeps failing
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, TAB, "H3", 29)
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter", lambda: google_env.delete_rows(KEY, TAB, 2, 3))
    )
    google_env.fail_next(503, 20, path_contains="developerMetadata:search")
    result = run("sync", SOURCE, "--as-of", AS_OF)
    google_env.before_request(None)
    assert result.exit_code == 75, result.output
    assert "could not be looked at" in result.stderr
