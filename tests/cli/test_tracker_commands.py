"""The command line through click's CliRunner: init, score, output formats and exit codes."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.cli import cli
from tests.support.workbooks import KEY_RESULT_FIELDS, OBJECTIVE_FIELDS, day, write_workbook

HANGUL = re.compile(r"[\uac00-\ud7a3]")
AS_OF = "2026-11-30"


def run(*args: str) -> Result:
    """Run `sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def _no_traceback(result: Result) -> None:
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture(name="example")
def _example(tmp_path: Path) -> Path:
    """The example workbook of `init --example`, made for 2026-11-30."""
    path = tmp_path / "okrs.xlsx"
    result = run("init", str(path), "--example", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(name="messy")
def _messy(tmp_path: Path) -> Path:
    """A workbook with two unreadable cells: Target "thirty" at G3 and Current "lots" at H5."""
    return write_workbook(
        tmp_path / "messy.xlsx",
        {
            "Notes": [["Plan notes, not an OKR tab"]],
            "2026-Q4": [
                ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current"],
                ["Objective", "Increase website traffic", "Sam", "Content"],
                ["Key Result", "Publish case studies", "Lee", None, None, 0, "thirty", 3],
                ["Key Result", "Grow visits from 20 to 30", "Lee", None, None, 20, 30, 25],
                ["Key Result", "Grow MQLs", "Kim", None, None, 100, 200, "lots"],
            ],
        },
    )


def _json(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


# -- init ----------------------------------------------------------------------------------


def test_init_example_is_read_back_by_score_without_problems(example: Path) -> None:
    """`init --example` makes a workbook that `score` reads with no problems and exit 0."""
    result = run("score", str(example), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = _json(result)
    assert data["problems"] == []
    assert data["as_of"] == AS_OF
    assert {o["quarter"] for o in data["objectives"]} == {"2026-Q4"}


@pytest.mark.parametrize("as_of", ["2026-10-01", "2026-11-30", "2026-12-31", "2027-02-10"])
def test_init_example_reads_back_cleanly_on_any_day(tmp_path: Path, as_of: str) -> None:
    """Made on the first, a middle or the last day of its quarter, the example has no problems."""
    path = tmp_path / "okrs.xlsx"
    assert run("init", str(path), "--example", "--as-of", as_of).exit_code == 0
    result = run("score", str(path), "--as-of", as_of, "--format", "json")
    assert result.exit_code == 0, result.output
    assert _json(result)["problems"] == []


def test_init_example_for_today_reads_back_cleanly(tmp_path: Path) -> None:
    """Without --as-of both commands use today, and the example still reads back cleanly."""
    path = tmp_path / "today.xlsx"
    assert run("init", str(path), "--example").exit_code == 0
    result = run("score", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert _json(result)["problems"] == []


def test_example_is_a_realistic_marketing_quarter(example: Path) -> None:
    """3-5 objectives of 3-5 KRs each, dated actions inside the quarter, a Korean objective."""
    data = _json(run("score", str(example), "--as-of", AS_OF, "--format", "json"))
    objectives = data["objectives"]
    assert 3 <= len(objectives) <= 5
    for objective in objectives:
        assert 3 <= len(objective["key_results"]) <= 5, objective["title"]
        assert objective["team"]
        assert objective["score"] is not None
    actions = [a for o in objectives for kr in o["key_results"] for a in kr["actions"]]
    assert len(actions) >= len(objectives)
    for action in actions:
        assert action["due"] is not None, action["title"]
        assert day("2026-10-01") <= day(action["due"]) <= day("2026-12-31")
    assert any(HANGUL.search(o["title"]) for o in objectives)
    assert len({kr["health"] for o in objectives for kr in o["key_results"]}) >= 2


def test_init_without_example_makes_an_empty_tracker_that_scores(tmp_path: Path) -> None:
    """An empty tracker has its header, and `score` reads it with no objectives and exit 0."""
    path = tmp_path / "empty.xlsx"
    result = run("init", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert "2026-Q4" in result.stdout
    scored = run("score", str(path), "--as-of", AS_OF, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert _json(scored)["objectives"] == []


def test_init_quarter_option_plans_that_quarter(tmp_path: Path) -> None:
    """`--quarter 2027-Q1` lays the example on January to March 2027."""
    path = tmp_path / "q1.xlsx"
    assert (
        run("init", str(path), "--example", "--quarter", "2027-Q1", "--as-of", AS_OF).exit_code == 0
    )
    data = _json(run("score", str(path), "--as-of", "2027-02-15", "--format", "json"))
    assert {o["quarter"] for o in data["objectives"]} == {"2027-Q1"}


def test_init_refuses_to_overwrite_without_force(example: Path) -> None:
    """An existing file is kept (exit 2) unless --force is given."""
    before = example.read_bytes()
    result = run("init", str(example), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert "already exists" in result.stderr
    assert "--force" in result.stderr
    assert example.read_bytes() == before
    _no_traceback(result)


def test_init_force_replaces_the_file(example: Path) -> None:
    """With --force the file is replaced: the new empty tracker has no objectives."""
    result = run("init", str(example), "--force", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    data = _json(run("score", str(example), "--as-of", AS_OF, "--format", "json"))
    assert data["objectives"] == []
    assert [p.name for p in example.parent.iterdir()] == [example.name]


@pytest.mark.parametrize("name", ["okrs.csv", "okrs.xls", "okrs"])
def test_init_refuses_a_path_that_is_not_xlsx(tmp_path: Path, name: str) -> None:
    """The new tracker must be an .xlsx file: exit 2 and nothing written."""
    result = run("init", str(tmp_path / name), "--as-of", AS_OF)
    assert result.exit_code == 2
    assert ".xlsx" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_init_into_a_missing_folder_is_a_usage_error(tmp_path: Path) -> None:
    """A path in a folder that does not exist exits 2 with a message."""
    result = run("init", str(tmp_path / "nope" / "okrs.xlsx"))
    assert result.exit_code == 2
    assert "no such folder" in result.stderr
    _no_traceback(result)


# -- the workbook init makes -----------------------------------------------------------------


def _header(sheet: Worksheet) -> tuple[int, dict[str, str]]:
    """The header row number and each header name's column letter."""
    for row in sheet.iter_rows(min_row=1, max_row=10):
        names = {str(c.value): get_column_letter(c.column) for c in row if c.value is not None}
        if "Type" in names and "Title" in names and row[0].row is not None:
            return row[0].row, names
    raise AssertionError("no header row")


def _okr_sheet(path: Path) -> Worksheet:
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    assert sheet.title == "OKRs 2026-Q4"
    return sheet


def test_init_workbook_freezes_the_header(example: Path) -> None:
    """The panes are frozen just below the header row, so the header stays in view."""
    sheet = _okr_sheet(example)
    header_row, _ = _header(sheet)
    assert sheet.freeze_panes is not None
    _, frozen_row = coordinate_from_string(sheet.freeze_panes)
    assert frozen_row == header_row + 1


@pytest.mark.parametrize(
    ("column", "choices"),
    [("Type", {"Objective", "Key Result", "Action"}),
     ("Status", {"Not started", "In progress", "Done", "Blocked"})],
)  # fmt: skip
def test_init_workbook_has_drop_downs_for_type_and_status(
    example: Path, column: str, choices: set[str]
) -> None:
    """Type and Status offer list validations over the rows below the header."""
    sheet = _okr_sheet(example)
    header_row, letters = _header(sheet)
    letter = letters[column]
    found = [
        v
        for v in sheet.data_validations.dataValidation
        if f"{letter}{header_row + 1}" in v.sqref and f"{letter}{header_row + 200}" in v.sqref
    ]
    assert len(found) == 1
    (validation,) = found
    assert validation.type == "list"
    assert set(str(validation.formula1).strip('"').split(",")) == choices


@pytest.mark.parametrize("column", ["Progress", "Score", "Expected"])
def test_init_workbook_shows_tool_fractions_as_percentages(example: Path, column: str) -> None:
    """Progress, Score and Expected cells below the header have a percentage number format."""
    sheet = _okr_sheet(example)
    header_row, letters = _header(sheet)
    for row in (header_row + 1, header_row + 10, header_row + 100):
        assert "%" in sheet[f"{letters[column]}{row}"].number_format


def test_init_workbook_has_every_contract_column(example: Path) -> None:
    """The header names the contract's columns, tool-owned ones included."""
    _, letters = _header(_okr_sheet(example))
    assert {
        "ID", "Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit",
        "Weight", "Due", "Status", "Confidence", "Commitment", "Parent", "Progress", "Score",
        "Expected", "Health",
    } <= letters.keys()  # fmt: skip


# -- score -----------------------------------------------------------------------------------


def test_score_json_has_the_contract_fields(small_tracker: Path) -> None:
    """`--format json` prints one object with as_of, objectives[], key_results[], problems[]."""
    result = run("score", str(small_tracker), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = _json(result)
    assert data["as_of"] == AS_OF
    assert data["problems"] == []
    assert len(data["objectives"]) == 2
    for objective in data["objectives"]:
        assert objective.keys() >= OBJECTIVE_FIELDS
        for kr in objective["key_results"]:
            assert kr.keys() >= KEY_RESULT_FIELDS
    kr = data["objectives"][0]["key_results"][0]
    assert kr | {"start": 20, "target": 30, "current": 25, "progress": 0.5, "score": 0.5} == kr
    assert kr["expected"] == pytest.approx(60 / 92)
    assert kr["health"] == "at_risk"  # gap 60/92 - 0.5 = 0.152


def test_score_csv_has_one_row_per_objective_and_key_result(small_tracker: Path) -> None:
    """`--format csv` prints a header and 2 objective rows plus 3 key result rows."""
    result = run("score", str(small_tracker), "--as-of", AS_OF, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["level"] for r in rows] == [
        "objective", "key_result", "key_result", "objective", "key_result",
    ]  # fmt: skip
    assert rows[1]["title"] == "Grow visits from 20 to 30"
    assert float(rows[1]["score"]) == pytest.approx(0.5)


def test_score_table_lists_objectives_key_results_and_health(small_tracker: Path) -> None:
    """The default table names the date, every objective and KR, and plain-text health."""
    result = run("score", str(small_tracker), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "\x1b[" not in out  # no colour codes when not writing to a terminal
    assert f"As of {AS_OF}" in out
    for title in ("Increase website traffic", "Grow visits from 20 to 30",
                  "Cut cost per MQL from 180 to 120", "Improve the sales pipeline",
                  "Win 10 deals"):  # fmt: skip
        assert title in out
    assert "no data" in out  # Win 10 deals has no check-in
    assert "25 / 30 visits" in out
    assert result.stderr == ""


def test_messy_workbook_table_lists_problems_on_stderr_and_exits_1(messy: Path) -> None:
    """Problems go to stderr with tab and cell; the table of what could be read still prints."""
    result = run("score", str(messy), "--as-of", AS_OF)
    assert result.exit_code == 1
    assert "Grow visits from 20 to 30" in result.stdout
    assert "2 problems" in result.stderr
    assert "'2026-Q4'!G3: Target \"thirty\" is not a number" in result.stderr
    assert "'2026-Q4'!H5: Current" in result.stderr
    assert "thirty" not in result.stdout
    _no_traceback(result)


def test_messy_workbook_json_lists_problems_and_exits_1(messy: Path) -> None:
    """In JSON the problems are part of the object, each with tab, cell and message."""
    result = run("score", str(messy), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1
    data = _json(result)
    assert [(p["tab"], p["cell"]) for p in data["problems"]] == [
        ("2026-Q4", "G3"),
        ("2026-Q4", "H5"),
    ]
    assert "thirty" in data["problems"][0]["message"]
    assert "lots" in data["problems"][1]["message"]
    (objective,) = data["objectives"]
    assert [kr["title"] for kr in objective["key_results"]] == ["Grow visits from 20 to 30"]
    assert objective["score"] == 0.5


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A SOURCE that does not exist exits 2 with a message naming it."""
    result = run("score", str(tmp_path / "nope.xlsx"))
    assert result.exit_code == 2
    assert "nope.xlsx" in result.stderr
    assert "no such file" in result.stderr
    _no_traceback(result)


@pytest.mark.parametrize("bad", ["2026-13-01", "30/11/2026", "yesterday", "2026-02-30"])
def test_bad_as_of_is_a_usage_error(small_tracker: Path, bad: str) -> None:
    """--as-of must be a real YYYY-MM-DD date: exit 2."""
    result = run("score", str(small_tracker), "--as-of", bad)
    assert result.exit_code == 2
    assert "--as-of" in result.stderr


@pytest.mark.parametrize("bad", ["2026-Q5", "Q4", "fourth quarter", "2026-Q1 2026-Q2"])
def test_bad_quarter_is_a_usage_error(small_tracker: Path, bad: str) -> None:
    """--quarter must name one quarter such as 2026-Q4: exit 2."""
    result = run("score", str(small_tracker), "--quarter", bad)
    assert result.exit_code == 2
    assert "--quarter" in result.stderr


def test_bad_format_is_a_usage_error(small_tracker: Path) -> None:
    """--format accepts table, json and csv only."""
    assert run("score", str(small_tracker), "--format", "xml").exit_code == 2


def test_on_track_gap_above_at_risk_gap_is_a_usage_error(small_tracker: Path) -> None:
    """Thresholds out of order exit 2 with a message."""
    result = run("score", str(small_tracker), "--on-track-gap", "0.4", "--at-risk-gap", "0.2")
    assert result.exit_code == 2
    assert "--on-track-gap" in result.stderr


def test_thresholds_and_fiscal_year_options_change_the_scores(small_tracker: Path) -> None:
    """--on-track-gap 0.2 turns the 0.152 gap on track; --fiscal-year-start 4 shifts the pace."""
    base = ["score", str(small_tracker), "--as-of", AS_OF, "--format", "json"]
    kr = _json(run(*base, "--on-track-gap", "0.2"))["objectives"][0]["key_results"][0]
    assert kr["health"] == "on_track"
    # with an April start, 2026-Q4 runs 2026-01-01 to 2026-03-31: over by 2026-11-30
    fiscal = _json(run(*base, "--fiscal-year-start", "4"))["objectives"][0]
    assert fiscal["expected"] == 1.0


def test_workbook_without_okr_tab_exits_1_cleanly(tmp_path: Path) -> None:
    """No tab with an OKR header: exit 1, a clear message on stderr, no traceback."""
    path = write_workbook(tmp_path / "notes.xlsx", {"Notes": [["Budget", "Amount"], ["Ads", 3]]})
    result = run("score", str(path), "--format", "json")
    assert result.exit_code == 1
    assert "no OKR tab found" in result.stderr
    assert "Type and Title" in result.stderr
    assert result.stdout == ""
    _no_traceback(result)


def _corrupt_files(tmp_path: Path) -> list[Path]:
    garbage = tmp_path / "garbage.xlsx"
    garbage.write_bytes(b"this is not a workbook\n" * 20)
    empty = tmp_path / "empty.xlsx"
    empty.write_bytes(b"")
    real = write_workbook(tmp_path / "real.xlsx", {"OKRs": [["Type", "Title"]]})
    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(real.read_bytes()[: len(real.read_bytes()) // 2])
    other_zip = tmp_path / "other.xlsx"
    with zipfile.ZipFile(other_zip, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return [garbage, empty, truncated, other_zip]


def test_corrupt_xlsx_exits_1_with_a_clean_message(tmp_path: Path) -> None:
    """Garbage, empty, truncated or non-workbook zip files: exit 1, a message, no traceback."""
    for path in _corrupt_files(tmp_path):
        result = run("score", str(path))
        assert result.exit_code == 1, (path.name, result.output)
        assert f"{path}: cannot be read as a workbook" in result.stderr, path.name
        _no_traceback(result)


@pytest.mark.parametrize(
    "source", ["gsheet:1AbCdEfGhIjK", "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK/edit"]
)
def test_google_sheets_source_without_a_key_says_how_to_give_one(
    source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A Google Sheets source with no service-account key exits 2 naming both ways to give one."""
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    result = run("score", source)
    assert result.exit_code == 2
    assert "--credentials FILE" in result.stderr
    assert "GOOGLE_APPLICATION_CREDENTIALS" in result.stderr
    _no_traceback(result)


def test_source_that_is_not_a_workbook_or_table_is_a_usage_error(tmp_path: Path) -> None:
    """A file that is neither a workbook nor a CSV/TSV table exits 2."""
    path = tmp_path / "okrs.pdf"
    path.write_bytes(b"%PDF-1.7\n")
    result = run("score", str(path))
    assert result.exit_code == 2
    assert "not an Excel workbook" in result.stderr


# -- help ------------------------------------------------------------------------------------


def _commands() -> list[str]:
    assert isinstance(cli, click.Group)
    return sorted(cli.commands)


def test_top_level_help_lists_every_command_and_the_exit_codes() -> None:
    """`sheets-okr --help` names every command and explains the exit status."""
    result = run("--help")
    assert result.exit_code == 0
    for name in _commands():
        assert name in result.stdout
    assert "Exit status" in result.stdout
    assert "75" in result.stdout


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_text(name: str) -> None:
    """`sheets-okr COMMAND --help` exits 0 and documents the command and each option."""
    result = run(name, "--help")
    assert result.exit_code == 0
    command = cli.commands[name]
    assert command.help
    assert len(command.help.strip()) > 20
    assert command.help.strip().splitlines()[0] in result.stdout
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"
            assert param.opts[-1] in result.stdout


def test_version_option_prints_the_version() -> None:
    """`sheets-okr --version` prints the package version."""
    result = run("--version")
    assert result.exit_code == 0
    assert "0.1.0" in result.stdout


def test_file_system_failure_in_init_is_reported_without_a_traceback(tmp_path: Path) -> None:
    """A path the file system refuses (a 300-character name) exits 1 with its reason."""
    result = run("init", str(tmp_path / ("a" * 300 + ".xlsx")))
    assert result.exit_code == 1
    assert "File name too long" in result.stderr
    _no_traceback(result)


def test_file_system_failure_in_score_is_reported_without_a_traceback(tmp_path: Path) -> None:
    """A SOURCE the file system refuses (a 300-character name) exits cleanly with its reason."""
    result = run("score", str(tmp_path / ("a" * 300 + ".xlsx")))
    assert result.exit_code in (1, 2)
    assert "File name too long" in result.stderr
    _no_traceback(result)
