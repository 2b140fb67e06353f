"""The Google Sheets backend's pure parts: key files, the API address, grid JSON, write plans."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from sheets_okr.errors import UsageError
from sheets_okr.sources.grid import CellError
from sheets_okr.sources.gsheets.address import google_sheet_key
from sheets_okr.sources.gsheets.client import RequestBudget, RetryPolicy, api_base_url
from sheets_okr.sources.gsheets.grid import cell_value, date_to_serial, sheet_from_json
from sheets_okr.sources.gsheets.key import find_key_file, load_key
from sheets_okr.sources.gsheets.write import json_value, stable_id
from tests.support.google import SERVICE_ACCOUNT
from tests.support.sheets_emulator import SheetsEmulator

KEY_TEST = "1KeyFileTest_abcdefghijklmno"  # a spreadsheet key as Google makes them
FAKE_PEM = "-----BEGIN PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END PRIVATE KEY-----\n"


def _key_file(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "key.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


def _service_account(**changes: object) -> dict[str, object]:
    info: dict[str, object] = {
        "type": "service_account",
        "client_email": "okr@proj.iam.gserviceaccount.com",
        "private_key": FAKE_PEM,
        "token_uri": "https://oauth2.googleapis.com/token",
    }
    info.update(changes)
    return {k: v for k, v in info.items() if v is not None}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not a service-account key (not JSON: line 1"),
        ([1, 2], "a JSON object is expected"),
        ({"installed": {"client_id": "x"}}, "an OAuth client file, not a service-account key"),
        (_service_account(type="authorized_user"), "a key of type 'authorized_user'"),
        (_service_account(client_email=None), "has no client_email"),
        (_service_account(token_uri=None, private_key=None), "has no private_key, token_uri"),
        (_service_account(private_key="abc"), "private_key is not a PEM private key"),
    ],
)
def test_a_bad_key_file_says_what_is_wrong(tmp_path: Path, content: object, message: str) -> None:
    """Each kind of bad key file is a usage error naming the file and the fault, no secret."""
    path = _key_file(tmp_path, content)
    with pytest.raises(UsageError) as caught:
        load_key(path)
    assert str(path) in str(caught.value)
    assert message in str(caught.value)
    assert "c2VjcmV0" not in str(caught.value)


@pytest.mark.parametrize(
    ("field", "should_hold"),
    [
        ("type", 'type should be "service_account"'),
        ("token_uri", "token_uri should hold the token address, https://oauth2.googleapis.com"),
        ("client_email", "client_email should hold the service account's address, such as"),
        ("universe_domain", "universe_domain should hold googleapis.com"),
    ],
)
def test_a_private_key_pasted_into_another_field_is_never_echoed(
    google_env: SheetsEmulator,
    service_account_key: Path,
    caplog: pytest.LogCaptureFixture,
    field: str,
    should_hold: str,
) -> None:
    """A real key (made by the emulator, which `score` talks to) with its private key pasted
    into a field that reaches messages or URLs: exit 2 naming the field and what it should
    hold, and no line of the private key in stdout, stderr or the -vv logs."""
    google_env.create_spreadsheet(KEY_TEST, {"2026-Q4": [["Type", "Title"]]},
                                  shared_with=[SERVICE_ACCOUNT])  # fmt: skip
    info = json.loads(service_account_key.read_text())
    info[field] = info["private_key"]
    service_account_key.write_text(json.dumps(info, indent=2))
    result = CliRunner().invoke(
        cli, ["-vv", "score", f"gsheet:{KEY_TEST}", "--credentials", str(service_account_key)]
    )
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"sheets-okr: {service_account_key}: {should_hold}")
    assert "its value is not shown, as it may be a secret" in result.stderr
    secret_lines = [line for line in info["private_key"].splitlines() if "-----" not in line]
    assert len(secret_lines) > 10
    for said in (result.stdout, result.stderr, caplog.text):
        assert not any(line in said for line in secret_lines)
    assert google_env.requests == []  # refused before any token or API request


def test_a_missing_key_file_is_named(tmp_path: Path) -> None:
    """A key path that does not exist is reported as such."""
    with pytest.raises(UsageError, match="no such service-account key file"):
        load_key(tmp_path / "absent.json")


def test_the_key_repr_never_shows_the_private_key(tmp_path: Path) -> None:
    """Logging a loaded key shows its path and account, never the private key."""
    key = load_key(_key_file(tmp_path, _service_account()))
    assert key.email == "okr@proj.iam.gserviceaccount.com"
    assert "PRIVATE" not in repr(key)
    assert "c2VjcmV0" not in repr(key)


def test_the_key_file_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--credentials wins over GOOGLE_APPLICATION_CREDENTIALS; neither is a usage error."""
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "env.json"))
    assert find_key_file(tmp_path / "option.json") == tmp_path / "option.json"
    assert find_key_file(None) == tmp_path / "env.json"
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")
    with pytest.raises(UsageError, match="--credentials FILE or set GOOGLE_APPLICATION"):
        find_key_file(None)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("", "https://sheets.googleapis.com"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("http://127.0.0.1:8080/v4", "http://127.0.0.1:8080"),
        ("https://proxy.example/sheets/v4/spreadsheets/", "https://proxy.example/sheets"),
    ],
)
def test_the_api_address_comes_from_the_environment(
    value: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SHEETS_OKR_SHEETS_API sets the API root, written with or without /v4."""
    monkeypatch.setenv("SHEETS_OKR_SHEETS_API", value)
    assert api_base_url() == expected


def test_a_bad_api_address_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """An address that is not http(s) is refused with the variable's name."""
    monkeypatch.setenv("SHEETS_OKR_SHEETS_API", "ftp://example")
    with pytest.raises(UsageError, match="SHEETS_OKR_SHEETS_API"):
        api_base_url()


@pytest.mark.parametrize(
    ("source", "key"),
    [
        ("gsheet:1AbCdEfGhIjKlMn", "1AbCdEfGhIjKlMn"),
        ("https://docs.google.com/spreadsheets/d/1AbC-dE_fGhIjK/edit#gid=0", "1AbC-dE_fGhIjK"),
        (
            "https://docs.google.com/spreadsheets/u/1/d/1AbCdEfGhIjK/edit?usp=sharing",
            "1AbCdEfGhIjK",
        ),
        ("okrs.xlsx", None),
    ],
)
def test_sources_name_a_google_sheet_by_key_or_address(source: str, key: str | None) -> None:
    """gsheet:KEY and the addresses a browser shows give the key; a path gives None."""
    assert google_sheet_key(source) == key


@pytest.mark.parametrize(
    "source", ["gsheet:", "gsheet:a b", "https://docs.google.com/document/d/x"]
)
def test_a_malformed_google_source_is_a_usage_error(source: str) -> None:
    """A gsheet: source without a key, or a Docs address that is no sheet, is refused."""
    with pytest.raises(UsageError):
        google_sheet_key(source)


def test_retry_delays_are_jittered_bounded_and_honour_retry_after() -> None:
    """Backoff waits grow under a cap; quota errors wait longer; Retry-After is used as sent."""
    policy = RetryPolicy(base_delay=1, max_delay=8, quota_delay=15)
    for attempt in range(1, 10):
        assert 0 <= policy.delay(attempt, None) <= min(8, 2 ** (attempt - 1))
        assert 15 <= policy.delay(attempt, None, quota=True) <= 15 + min(8, 2 ** (attempt - 1))
    assert policy.delay(1, 3.0) == 3.0
    assert policy.delay(1, 100.0, quota=True) == 100.0  # the run's deadline bounds it


def test_the_request_budget_waits_instead_of_exceeding_the_quota() -> None:
    """At most `limit` requests in any window: the next one waits for the oldest to age out."""
    now = [0.0]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    budget = RequestBudget(3, 60.0, clock=lambda: now[0], sleep=sleep)
    for second in (0.0, 10.0, 20.0, 30.0, 31.0):
        now[0] = max(now[0], second)
        budget.take()
    assert waits == [30.0, 10.0]  # the 4th waits for 0 s to age out, the 5th for 10 s
    assert now[0] == 70.0


def test_the_request_budget_holds_across_threads() -> None:
    """Threads sharing a budget never send more than its limit within a window."""
    import threading
    import time

    budget = RequestBudget(5, 0.5)
    sent: list[float] = []

    def work() -> None:
        for _ in range(3):
            budget.take()
            sent.append(time.monotonic())

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent.sort()
    assert len(sent) == 12
    for index in range(len(sent) - 5):
        assert sent[index + 5] - sent[index] >= 0.5 - 1e-3


def test_cells_read_as_typed_values_never_display_text() -> None:
    """Dates by their format, fractions for percentages, errors as CellError, whole numbers."""
    date_cell = {"effectiveValue": {"numberValue": 46356},
                 "effectiveFormat": {"numberFormat": {"type": "DATE"}}}  # fmt: skip
    percent = {"effectiveValue": {"numberValue": 0.25}, "formattedValue": "25%",
               "effectiveFormat": {"numberFormat": {"type": "PERCENT"}}}  # fmt: skip
    error = {"effectiveValue": {"errorValue": {"type": "REF", "message": "x"}},
             "formattedValue": "#REF!"}  # fmt: skip
    assert cell_value(date_cell) == (dt.date(2026, 11, 30), "DATE")
    assert cell_value(percent) == (0.25, "PERCENT")
    assert cell_value(error) == (CellError("#REF!"), None)
    assert cell_value({"effectiveValue": {"errorValue": {"type": "N_A"}}})[0] == CellError("#N/A")
    assert cell_value({"effectiveValue": {"numberValue": 30.0}}) == (30, None)
    assert cell_value({"effectiveValue": {"stringValue": "=1+1"}}) == ("=1+1", None)
    assert cell_value({"effectiveValue": {"boolValue": True}}) == (True, None)
    assert cell_value({}) == (None, None)


def test_dates_go_out_as_the_serials_they_come_in_as() -> None:
    """A date written is the serial number Sheets reads back as that date."""
    assert date_to_serial(dt.date(2026, 11, 30)) == 46356
    assert date_to_serial(dt.date(1899, 12, 31)) == 1
    assert json_value(dt.date(2026, 11, 30)) == 46356
    assert json_value(None) == ""
    assert json_value(float("nan")) == ""
    assert json_value("=IMPORTXML(A1)") == "=IMPORTXML(A1)"


def test_a_tab_of_grid_json_becomes_rows_merges_and_anchors() -> None:
    """Offsets, empty cells, merges and the tool's row anchors are read from grid JSON."""
    sheet = {
        "properties": {"sheetId": 7, "title": "핵심 결과", "index": 0, "hidden": True,
                       "gridProperties": {"rowCount": 100, "columnCount": 5}},
        "merges": [{"sheetId": 7, "startRowIndex": 1, "endRowIndex": 3,
                    "startColumnIndex": 0, "endColumnIndex": 1}],
        "data": [{"rowData": [{"values": [{"effectiveValue": {"stringValue": "Type"}}]}, {},
                              {"values": [{}, {"effectiveValue": {"numberValue": 2}}]}],
                  "rowMetadata": [{}, {"developerMetadata": [
                      {"metadataId": 5, "metadataKey": "okr-row", "metadataValue": "KR-1"},
                      {"metadataId": 6, "metadataKey": "someone-else", "metadataValue": "x"}]}]}],
    }  # fmt: skip
    converted = sheet_from_json(sheet)
    assert converted is not None
    grid, info = converted
    assert grid.rows == [["Type"], [], [None, 2]]
    assert grid.hidden
    assert grid.title == "핵심 결과"
    assert (grid.merged[0].first_row, grid.merged[0].last_row) == (1, 2)
    assert [a.metadata_id for a in info.anchors[1]] == [5]
    assert (info.sheet_id, info.row_count, info.column_count) == (7, 100, 5)


def test_chart_sheets_are_skipped() -> None:
    """A tab that is not a grid (a chart sheet) holds no rows to read."""
    assert sheet_from_json({"properties": {"title": "Chart", "sheetType": "OBJECT"}}) is None


def test_anchor_ids_are_stable_positive_and_distinct() -> None:
    """The same tab and key give the same metadata id; different ones differ."""
    ids = {stable_id(sheet, f"KR-{n}") for sheet in (0, 1) for n in range(500)}
    assert len(ids) == 1000
    assert all(0 < i < 2**31 for i in ids)
    assert stable_id(3, "KR-1") == stable_id(3, "KR-1")
