"""What one read of a Google Sheet asks for, and how its answer becomes grids."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from sheets_okr.sources.grid import CellError
from sheets_okr.sources.gsheets.columns import same_cell
from sheets_okr.sources.gsheets.grid import (
    READ_FIELDS,
    ReadCell,
    date_to_serial,
    decode_answer,
    sheet_from_json,
)
from tests.sources.test_gsheets import AS_OF, KEY, SOURCE, TRACKER, run
from tests.support.sheets_emulator import SheetsEmulator


def test_a_read_asks_for_compact_json_and_no_formatted_text(google_env: SheetsEmulator) -> None:
    """One request, prettyPrint=false, and a mask without formattedValue (nor formats of
    every kind: only the number format's type)."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    google_env.clear_log()
    assert run("score", SOURCE, "--as-of", AS_OF).exit_code == 0
    (request,) = google_env.api_requests
    assert request.query.get("prettyPrint") == ["false"]
    (fields,) = request.query["fields"]
    assert "formattedValue" not in fields
    assert "effectiveFormat/numberFormat/type" in fields
    assert fields == READ_FIELDS


def _answer(cells: list[dict[str, Any]], rules: list[dict[str, Any]] | None = None) -> bytes:
    sheet: dict[str, Any] = {
        "properties": {"sheetId": 7, "title": "T", "gridProperties": {"rowCount": 5}},
        "data": [{"rowData": [{"values": cells}]}],
    }
    if rules:
        sheet["conditionalFormats"] = rules
    return json.dumps({"sheets": [sheet]}).encode()


def test_cells_become_values_as_the_answer_is_parsed() -> None:
    """Each CellData is a ReadCell at once: value, number format type, formula or not."""
    cells: list[dict[str, Any]] = [
        {"effectiveValue": {"numberValue": 46356},
         "effectiveFormat": {"numberFormat": {"type": "DATE"}}},
        {"userEnteredValue": {"formulaValue": "=1/0"},
         "effectiveValue": {"errorValue": {"type": "DIVIDE_BY_ZERO", "message": "x"}}},
        {"effectiveValue": {"stringValue": "On track"}},
        {},
    ]  # fmt: skip
    answer = decode_answer(_answer(cells))
    parsed = answer["sheets"][0]["data"][0]["rowData"][0]["values"]
    assert parsed[:3] == [
        ReadCell(dt.date(2026, 11, 30), "DATE", False),
        ReadCell(CellError("#DIV/0!"), None, True),
        ReadCell("On track", None, False),
    ]
    grid, info = sheet_from_json(answer["sheets"][0]) or (None, None)
    assert grid is not None
    assert info is not None
    assert grid.rows[0][:3] == [dt.date(2026, 11, 30), CellError("#DIV/0!"), "On track"]
    assert info.formulas == {(0, 1)}


def test_a_conditional_formats_value_is_not_taken_for_a_cell() -> None:
    """A rule's {"userEnteredValue": "On track"} (a string) stays a rule's value."""
    rule = {
        "ranges": [{"startColumnIndex": 2, "endColumnIndex": 3}],
        "booleanRule": {"condition": {"type": "TEXT_EQ",
                                      "values": [{"userEnteredValue": "On track"}]}},
    }  # fmt: skip
    answer = decode_answer(_answer([{}], [rule]))
    converted = sheet_from_json(answer["sheets"][0])
    assert converted is not None
    assert converted[1].filled_columns == {2: {"On track"}}


def test_an_answer_that_is_no_json_is_none() -> None:
    """A proxy's HTML page parses to None, which the read reports in one sentence."""
    assert decode_answer(b"<html>Bad gateway</html>") is None


def test_cells_compare_as_values_however_the_answer_shows_them() -> None:
    """A date and its serial number, a date-time through a round trip, a time of day over a
    date (a TIME format over NOW()), blanks; TRUE is not 1."""
    moment = dt.datetime(2026, 11, 2, 13, 7, 11, 123456)
    assert same_cell(dt.date(2026, 11, 2), 46328)
    assert not same_cell(dt.date(2026, 11, 2), 46329)
    assert same_cell(moment, float(date_to_serial(moment)))
    assert same_cell(dt.time(12, 0), 46000.5)
    assert same_cell(None, "")
    assert not same_cell(True, 1)
