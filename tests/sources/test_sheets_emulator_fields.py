"""The emulator answers reads as Google does: `fields` masks, indented JSON, gzip."""

from __future__ import annotations

import datetime as dt
import gzip
import json
from pathlib import Path
from typing import Any

import pytest
import requests
from google.auth.transport.requests import AuthorizedSession, Request
from google.oauth2.service_account import Credentials

from tests.support.sheets_emulator import Formula, Percent, SheetsEmulator
from tests.support.sheets_emulator.fields import MaskError, read_mask, select
from tests.support.sheets_emulator.jsontext import Fragment, dumps

SCOPES = ["https://www.googleapis.com/auth/spreadsheets"]
KEY = "1fieldsSheetKey"
KR = "Key Results"


@pytest.fixture(name="emu")
def _emu(sheets_emulator: SheetsEmulator) -> SheetsEmulator:
    """A spreadsheet with text, numbers, a date, a percentage and a formula, and 2 tabs."""
    sheets_emulator.create_spreadsheet(
        KEY,
        {
            KR: [
                ["Title", "Current", "Due", "Progress"],
                ["Grow visits", 25, dt.date(2026, 11, 30), Percent(0.5)],
                ["Cut cost", Formula("=B2*2", 50)],
            ],
            "Big": [[f"row {r}", r, r * 1.5] for r in range(300)],
        },
    )
    return sheets_emulator


@pytest.fixture(name="credentials")
def _credentials(emu: SheetsEmulator, service_account_key: Path) -> Credentials:
    """A real service-account credential, its token fetched from the emulator."""
    credentials: Credentials = Credentials.from_service_account_file(
        str(service_account_key), scopes=SCOPES
    )
    credentials.refresh(Request())
    return credentials


def call(
    emu: SheetsEmulator,
    credentials: Credentials,
    method: str,
    path: str,
    params: dict[str, str] | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> requests.Response:
    """A raw HTTP request to the emulator's /v4/spreadsheets/KEY{path}."""
    return requests.request(
        method,
        f"{emu.base_url}/v4/spreadsheets/{KEY}{path}",
        params=params,
        json=body,
        headers={"Authorization": f"Bearer {credentials.token}", **(headers or {})},
        timeout=10,
    )


def get(emu: SheetsEmulator, credentials: Credentials, **params: str) -> Any:
    """spreadsheets.get with these query parameters, parsed (200 expected)."""
    response = call(emu, credentials, "GET", "", params)
    assert response.status_code == 200, response.text
    return response.json()


def cells(answer: dict[str, Any], tab: int = 0) -> list[list[dict[str, Any]]]:
    """Each row's `values` of a tab's first GridData."""
    rows = answer["sheets"][tab]["data"][0].get("rowData", [])
    return [row.get("values", []) for row in rows]


# -- field masks --------------------------------------------------------------------------------


def test_mask_keeps_only_the_named_fields(emu: SheetsEmulator, credentials: Credentials) -> None:
    """Only title and effectiveValue come back; grid data too, without includeGridData."""
    answer = get(
        emu,
        credentials,
        fields="sheets(properties(title),data(rowData(values(effectiveValue))))",
    )
    assert list(answer) == ["sheets"]
    assert [sheet["properties"] for sheet in answer["sheets"]] == [{"title": KR}, {"title": "Big"}]
    assert all(set(sheet) == {"properties", "data"} for sheet in answer["sheets"])
    assert list(answer["sheets"][0]["data"][0]) == ["rowData"]
    assert cells(answer)[1] == [
        {"effectiveValue": {"stringValue": "Grow visits"}},
        {"effectiveValue": {"numberValue": 25}},
        {"effectiveValue": {"numberValue": 46356}},
        {"effectiveValue": {"numberValue": 0.5}},
    ]
    text = json.dumps(answer)
    for absent in ("formattedValue", "effectiveFormat", "userEnteredValue", "rowMetadata"):
        assert absent not in text


def test_number_format_type_appears_only_where_a_number_format_exists(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """effectiveFormat/numberFormat/type: DATE and PERCENT cells carry it; the others are {}."""
    answer = get(
        emu, credentials, fields="sheets.data.rowData.values.effectiveFormat/numberFormat/type"
    )
    assert cells(answer)[1] == [
        {},
        {},
        {"effectiveFormat": {"numberFormat": {"type": "DATE"}}},
        {"effectiveFormat": {"numberFormat": {"type": "PERCENT"}}},
    ]


def test_a_cell_with_none_of_the_fields_is_an_empty_object(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """userEnteredValue/formulaValue: the formula cell has it, every other cell stays as {}."""
    answer = get(
        emu, credentials, fields="sheets.data.rowData.values.userEnteredValue.formulaValue"
    )
    assert cells(answer) == [
        [{}, {}, {}, {}],
        [{}, {}, {}, {}],
        [{}, {"userEnteredValue": {"formulaValue": "=B2*2"}}],
    ]


def test_star_keeps_every_field_of_its_level(emu: SheetsEmulator, credentials: Credentials) -> None:
    """`*` inside a mask keeps all of that level, as the unmasked answer has it."""
    whole = get(emu, credentials, includeGridData="true")
    answer = get(emu, credentials, fields="spreadsheetId,sheets(properties/*,data(rowData(*)))")
    assert list(answer) == ["spreadsheetId", "sheets"]
    for masked, full in zip(answer["sheets"], whole["sheets"], strict=True):
        assert masked["properties"] == full["properties"]
        assert masked["data"] == [{"rowData": full["data"][0]["rowData"]}]
    deeper = get(emu, credentials, fields="sheets.data.rowData.values.effectiveFormat.*")
    assert cells(deeper)[1][2] == {"effectiveFormat": cells(whole)[1][2]["effectiveFormat"]}
    assert get(emu, credentials, fields="*") == whole


def test_mask_on_get_by_data_filter(emu: SheetsEmulator, credentials: Credentials) -> None:
    """getByDataFilter applies `fields` from its query to the filtered sheets."""
    body = {"dataFilters": [{"a1Range": f"'{KR}'!A2:B3"}]}
    fields = "sheets(properties/sheetId,data(startRow,rowData/values/formattedValue))"
    response = call(emu, credentials, "POST", ":getByDataFilter", {"fields": fields}, body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "sheets": [
            {
                "properties": {"sheetId": 0},
                "data": [
                    {
                        "startRow": 1,
                        "rowData": [
                            {
                                "values": [
                                    {"formattedValue": "Grow visits"},
                                    {"formattedValue": "25"},
                                ]
                            },
                            {"values": [{"formattedValue": "Cut cost"}, {"formattedValue": "50"}]},
                        ],
                    }
                ],
            }
        ]
    }


def test_without_fields_include_grid_data_decides(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """No mask: no grid data unless includeGridData=true, and then every field of a cell."""
    bare = get(emu, credentials, includeGridData="false")
    assert all("data" not in sheet for sheet in bare["sheets"])
    assert bare["spreadsheetId"] == KEY
    full = get(emu, credentials, includeGridData="true")
    assert set(cells(full)[1][1]) == {
        "userEnteredValue",
        "effectiveValue",
        "formattedValue",
        "effectiveFormat",
    }


def test_mask_without_grid_data_gives_none_even_with_include_grid_data(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """A mask that names no sheets.data wins over includeGridData=true."""
    answer = get(emu, credentials, includeGridData="true", fields="sheets.properties.title")
    assert answer == {"sheets": [{"properties": {"title": KR}}, {"properties": {"title": "Big"}}]}


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ("sheets.propertiez", "path 'sheets.propertiez'"),
        ("properties, sheets.properties", "path ' sheets.properties'"),
        ("spreadsheetId/value", "path 'spreadsheetId.value'"),
        ("sheets(properties", "Request contains an invalid argument."),
    ],
)
def test_a_mask_naming_no_field_is_refused(
    emu: SheetsEmulator, credentials: Credentials, fields: str, message: str
) -> None:
    """An unknown field, a space, a sub-field of a scalar or a syntax error: 400."""
    response = call(emu, credentials, "GET", "", {"fields": fields})
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_batch_update_masks_the_updated_spreadsheet(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """The mask names updatedSpreadsheet's grid data: it comes back, responseIncludeGridData
    false or not, and the replies are left out."""
    body = {
        "requests": [{"updateSheetProperties": {"properties": {"sheetId": 0, "title": "KRs"},
                                                "fields": "title"}}],
        "includeSpreadsheetInResponse": True,
        "responseIncludeGridData": False,
        "responseRanges": ["KRs!A1:B1"],
    }  # fmt: skip
    fields = "updatedSpreadsheet(sheets(properties/title,data/rowData/values/effectiveValue))"
    response = call(emu, credentials, "POST", ":batchUpdate", {"fields": fields}, body)
    assert response.status_code == 200, response.text
    assert response.json() == {
        "updatedSpreadsheet": {
            "sheets": [
                {
                    "properties": {"title": "KRs"},
                    "data": [
                        {
                            "rowData": [
                                {
                                    "values": [
                                        {"effectiveValue": {"stringValue": "Title"}},
                                        {"effectiveValue": {"stringValue": "Current"}},
                                    ]
                                }
                            ]
                        }
                    ],
                }
            ]
        }
    }


def test_fields_masks_a_values_answer_too(emu: SheetsEmulator, credentials: Credentials) -> None:
    """values:batchGet with fields=valueRanges/values gives the values alone."""
    params = {"ranges": f"'{KR}'!A1:B2", "fields": "valueRanges/values"}
    response = call(emu, credentials, "GET", "/values:batchGet", params)
    assert response.json() == {
        "valueRanges": [{"values": [["Title", "Current"], ["Grow visits", "25"]]}]
    }


def test_read_mask_parses_google_syntax() -> None:
    """Paths with / and ., groups, a whole field winning over its parts, and `*`."""
    assert read_mask("a,b(c,d/e),f.g") == {
        "a": None,
        "b": {"c": None, "d": {"e": None}},
        "f": {"g": None},
    }
    assert read_mask("a/b,a") == {"a": None}
    assert read_mask("a(*),b") == {"a": None, "b": None}
    assert read_mask("*") is None
    for bad in ("a(", "a)", "", "a,,b", "a()", "a..b"):
        with pytest.raises(MaskError):
            read_mask(bad)


def test_select_keeps_list_elements_and_reads_fragments() -> None:
    """A list element left empty stays {}; an object left empty goes; Fragments are read."""
    shared = Fragment({"numberFormat": {"type": "DATE"}, "wrapStrategy": "WRAP"})
    value = {"values": [{"f": shared, "v": 1}, {"v": 2}, {"f": Fragment({"wrapStrategy": "X"})}]}
    mask = read_mask("values/f/numberFormat")
    assert select(value, mask) == {"values": [{"f": {"numberFormat": {"type": "DATE"}}}, {}, {}]}


# -- prettyPrint and gzip -----------------------------------------------------------------------


def test_answers_are_indented_unless_pretty_print_is_false(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """Two-space indentation with `"key": value` by default; compact with prettyPrint=false."""
    params = {"includeGridData": "true", "ranges": f"'{KR}'!A1:D3"}
    pretty = call(emu, credentials, "GET", "", params)
    parsed = pretty.json()
    assert pretty.text.startswith('{\n  "spreadsheetId": "' + KEY + '",\n  "properties": {\n')
    assert pretty.text == json.dumps(parsed, indent=2, ensure_ascii=False)
    compact = call(emu, credentials, "GET", "", {**params, "prettyPrint": "false"})
    assert compact.json() == parsed
    assert compact.text == json.dumps(parsed, separators=(",", ":"), ensure_ascii=False)
    error = call(emu, credentials, "GET", "", {"fields": "nope"})
    assert error.text.startswith('{\n  "error": {\n    "code": 400,')


def test_pretty_dumps_matches_json_indent_with_shared_fragments() -> None:
    """dumps(pretty=True) writes what json.dumps(indent=2) does, a Fragment at any depth."""
    shared = Fragment({"a": [1, 2.5, {"x": None}], "b": {}, "c": [], "d": 'é\n"<'})
    body = {"s": shared, "l": [shared, {"deep": [shared, True, -0.0, 10**20]}], "e": []}
    plain = json.loads(dumps(body))
    assert dumps(body, pretty=True) == json.dumps(plain, indent=2, ensure_ascii=False)


def test_large_answers_are_gzipped_when_accepted(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """Accept-Encoding: gzip (requests' default) gets Content-Encoding: gzip over ~1 KB;
    identity or a small answer is sent as it is."""
    params = {"ranges": "Big", "fields": "sheets.data.rowData.values.effectiveValue"}
    packed = call(emu, credentials, "GET", "", params)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert int(packed.headers["Content-Length"]) < len(packed.content) / 5
    assert len(cells(packed.json())) == 300
    raw = requests.get(
        packed.url, headers=packed.request.headers, stream=True, timeout=10
    ).raw.read(decode_content=False)
    assert gzip.decompress(raw) == packed.content
    plain = call(emu, credentials, "GET", "", params, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert plain.content == packed.content
    refused = call(emu, credentials, "GET", "", params, headers={"Accept-Encoding": "gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    small = call(emu, credentials, "GET", "", {"fields": "spreadsheetId"})
    assert "Content-Encoding" not in small.headers
    assert small.json() == {"spreadsheetId": KEY}


def test_google_auth_session_decodes_gzipped_answers(
    emu: SheetsEmulator, credentials: Credentials
) -> None:
    """AuthorizedSession (what gspread sends with) unpacks a gzipped answer by itself."""
    session = AuthorizedSession(credentials)
    response = session.get(
        f"{emu.base_url}/v4/spreadsheets/{KEY}",
        params={"includeGridData": "true", "ranges": "Big"},
        timeout=10,
    )
    assert response.headers["Content-Encoding"] == "gzip"
    assert cells(response.json())[299][0]["formattedValue"] == "row 299"
