"""`sheets-okr adopt` and `--columns` through click's CliRunner: the report, the map to edit,
saving it, and every command reading the sheet with it afterwards without a flag."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_okr.cli import cli
from sheets_okr.read.column_map import FIELDS
from sheets_okr.read.saved_map import MAP_TAB
from sheets_okr.sources.gsheets import sheet as sheet_module
from sheets_okr.sources.gsheets.client import RetryPolicy
from tests.support.adopted import (
    AS_OF,
    BASE_QUESTION,
    CSV_TEXT,
    STARTS,
    TABS,
    answered,
    starts,
    team_sheet,
)
from tests.support.sheets_emulator import SheetsEmulator

START_ASSUMED = "start-assumed-zero"


def run(*args: str) -> Result:
    """`sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def _json(result: Result) -> dict[str, Any]:
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def _cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in load_workbook(path)}


def _edited_map(source: str, folder: Path) -> Path:
    """`adopt SOURCE --format toml > map.toml`, with Base = start uncommented."""
    result = run("adopt", source, "--as-of", AS_OF, "--format", "toml")
    assert result.exit_code == 1, result.output
    path = folder / "map.toml"
    path.write_text(answered(result.stdout), "utf-8")
    return path


@pytest.fixture(name="sheet")
def _sheet(tmp_path: Path) -> Path:
    return team_sheet(tmp_path / "team.xlsx")


def test_adopt_reports_every_tab_and_exits_1_on_questions(sheet: Path) -> None:
    """The text report has a block per tab, the columns with their fields, the questions and
    the commands to run next; questions make the exit status 1."""
    result = run("adopt", str(sheet), "--as-of", AS_OF)
    assert result.exit_code == 1, result.output
    out = result.stdout
    assert "Tab 'Team OKRs': header on row 1; Objective / Key Result columns" in out
    assert "its name, 목표, and the numbers below it" in out
    assert "Units from the headers: target in USD." in out
    assert "Tab Notes: not read: no OKR header in its first 10 rows." in out
    assert "Reads 2 objectives, 3 key results, 0 actions." in out
    assert "row 2: Grow MQLs from 100 to 200: 0 -> 200, now 150: score 75%" in out
    assert "3 questions:" in out
    assert '\'Team OKRs\' D "Base": is "Base" the start? (a near name, not read)' in out
    assert f"sheets-okr adopt {sheet} --format toml > map.toml" in out
    assert f"sheets-okr adopt {sheet} --columns map.toml --save" in out


def test_adopt_json_is_the_documented_object(sheet: Path) -> None:
    """--format json has the source, one entry per tab with its columns, counts, first rows
    and problems, the questions and the map."""
    result = run("adopt", str(sheet), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 1, result.output
    data = _json(result)
    assert list(data) == ["source", "as_of", "tabs", "tool_tabs", "questions", "problems",
                          "words", "map", "saved"]  # fmt: skip
    team = data["tabs"][0]
    assert list(team) == ["tab", "header_row", "layout", "layout_words", "columns", "units",
                          "counts", "first_rows", "problems", "near"]  # fmt: skip
    assert team["columns"][3] == {"column": "D", "header": "Base", "field": None,
                                  "reason": "a near name, not read",
                                  "question": 'is "Base" the start?', "tool": False}  # fmt: skip
    assert team["first_rows"][0]["score"] == pytest.approx(0.75)
    assert data["questions"][0]["entry"] == '"Base" = "start"'
    assert data["map"]["columns"] == {"Actual": "current"}
    assert data["saved"] is None


def test_adopt_edit_save_then_every_command_reads_the_sheet_right(
    sheet: Path, tmp_path: Path
) -> None:
    """The team lead's path: the TOML map round-trips, one line uncommented answers the
    question, --save writes the Column map tab alone (exit 0), and from then on score,
    lint, sync, report and email read Base as the start with no flag."""
    before = _cells(sheet)
    unread = _json(run("lint", str(sheet), "--as-of", AS_OF, "--format", "json"))
    assert START_ASSUMED in {f["code"] for f in unread["findings"]}
    edited = _edited_map(str(sheet), tmp_path)
    tomllib.loads(edited.read_text("utf-8"))
    saved = run("adopt", str(sheet), "--as-of", AS_OF, "--columns", str(edited), "--save")
    assert saved.exit_code == 0, saved.output
    assert f"Saved the map to the {MAP_TAB} tab of {sheet}." in saved.stdout
    assert "Open the Column map tab to see or change" in saved.stdout
    after = _cells(sheet)
    assert list(after) == [*before, MAP_TAB]
    for title, rows in before.items():
        assert after[title] == rows, title
    assert (None, "Base", "start") in after[MAP_TAB]

    scored = run("score", str(sheet), "--as-of", AS_OF, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert starts(_json(scored)) == STARTS
    linted = run("lint", str(sheet), "--as-of", AS_OF, "--format", "json")
    assert linted.exit_code == 0, linted.output
    assert START_ASSUMED not in {f["code"] for f in _json(linted)["findings"]}
    page = tmp_path / "x.html"
    assert run("report", str(sheet), "--as-of", AS_OF, "-o", str(page)).exit_code == 0
    assert "Start is blank" not in page.read_text("utf-8")
    eml = tmp_path / "x.eml"
    sent = run("email", str(sheet), "--as-of", AS_OF, "--dry-run", "-o", str(eml),
               "--to", "a@example.com")  # fmt: skip
    assert sent.exit_code == 0, sent.output
    assert "Start is blank" not in eml.read_text("utf-8")
    synced = run("sync", str(sheet), "--as-of", AS_OF)
    assert synced.exit_code == 0, synced.output
    assert starts(_json(run("score", str(sheet), "--as-of", AS_OF, "--format", "json"))) == STARTS
    assert (None, "Base", "start") in _cells(sheet)[MAP_TAB]  # sync leaves the map alone
    again = run("adopt", str(sheet), "--as-of", AS_OF)
    assert again.exit_code == 0, again.output
    assert "It keeps a column map already: the Column map tab." in again.stdout


def test_format_toml_with_save_keeps_stdout_a_map(sheet: Path, tmp_path: Path) -> None:
    """With --format toml, stdout is the map alone; where it was saved goes to stderr."""
    edited = _edited_map(str(sheet), tmp_path)
    result = run("adopt", str(sheet), "--as-of", AS_OF, "--columns", str(edited), "--save",
                 "--format", "toml")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert tomllib.loads(result.stdout)["columns"]["Base"] == "start"
    assert BASE_QUESTION not in result.stdout
    assert f"sheets-okr: saved the map to the {MAP_TAB} tab of {sheet}" in result.stderr


@pytest.mark.parametrize("command", ["score", "sync", "lint", "report", "email", "adopt"])
def test_every_reading_command_takes_columns(command: str) -> None:
    """--columns MAP.toml is an option of score, sync, lint, report, email and adopt."""
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "--columns MAP.toml" in result.stdout


@pytest.mark.parametrize("command", ["score", "adopt"])
def test_a_map_with_a_wrong_field_is_a_usage_error_naming_the_entry(
    command: str, sheet: Path, tmp_path: Path
) -> None:
    """A map entry naming no field exits 2 with the file and the entry; nothing is read."""
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\n"Base" = "begin"\n', "utf-8")
    result = run(command, str(sheet), "--as-of", AS_OF, "--columns", str(bad))
    assert result.exit_code == 2, result.output
    assert f"{bad}: [columns]: \"Base\" = 'begin': not a field" in result.stderr
    assert "Traceback" not in result.output


def test_a_map_file_that_is_not_there_is_a_usage_error(sheet: Path, tmp_path: Path) -> None:
    """--columns naming a missing file exits 2 and names it."""
    missing = tmp_path / "nothing.toml"
    result = run("score", str(sheet), "--columns", str(missing))
    assert result.exit_code == 2, result.output
    assert f"{missing}: no such column map file" in result.stderr


def test_a_csv_file_saves_its_map_beside_it(tmp_path: Path) -> None:
    """adopt reads a CSV file; --save writes okr.csv.columns.toml; score then takes it up."""
    path = tmp_path / "okr.csv"
    path.write_text(CSV_TEXT, "utf-8")
    edited = _edited_map(str(path), tmp_path)
    saved = run("adopt", str(path), "--as-of", AS_OF, "--columns", str(edited), "--save")
    assert saved.exit_code == 0, saved.output
    sidecar = tmp_path / "okr.csv.columns.toml"
    assert f"Saved the map to {sidecar}." in saved.stdout
    assert tomllib.loads(sidecar.read_text("utf-8"))["columns"]["Base"] == "start"
    scored = run("score", str(path), "--as-of", AS_OF, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert starts(_json(scored)) == {"Lift NPS": 20}


def test_a_google_sheet_saves_its_map_in_a_tab(google_env: SheetsEmulator, tmp_path: Path) -> None:
    """Through the Sheets emulator: adopt --save writes the Column map tab, and score then
    reads Base as the start with no flag."""
    key = "1AdoptedByTheCommandLine"
    google_env.create_spreadsheet(key, {title: [list(r) for r in rows]
                                        for title, rows in TABS.items()})  # fmt: skip
    source = f"gsheet:{key}"
    edited = _edited_map(source, tmp_path)
    saved = run("adopt", source, "--as-of", AS_OF, "--columns", str(edited), "--save")
    assert saved.exit_code == 0, saved.output
    assert MAP_TAB in google_env.tab_titles(key)
    scored = run("score", source, "--as-of", AS_OF, "--format", "json")
    assert scored.exit_code == 0, scored.output
    assert starts(_json(scored)) == STARTS


def test_save_on_a_workbook_open_in_excel_exits_75_and_changes_nothing(
    sheet: Path, tmp_path: Path
) -> None:
    """With Excel's lock file beside it, adopt --save writes nothing and asks to retry."""
    edited = _edited_map(str(sheet), tmp_path)
    (sheet.parent / f"~${sheet.name}").write_text("someone")
    before = sheet.read_bytes()
    result = run("adopt", str(sheet), "--as-of", AS_OF, "--columns", str(edited), "--save")
    assert result.exit_code == 75, result.output
    assert "open in Excel or LibreOffice" in result.stderr
    assert sheet.read_bytes() == before


def test_save_through_a_lasting_quota_outage_exits_75_and_changes_nothing(
    google_env: SheetsEmulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Quota errors that do not stop end adopt --save with exit 75 and no Column map tab."""
    key = "1AdoptedThroughAnOutage"
    google_env.create_spreadsheet(key, {title: [list(r) for r in rows]
                                        for title, rows in TABS.items()})  # fmt: skip
    source = f"gsheet:{key}"
    edited = _edited_map(source, tmp_path)
    fast = RetryPolicy(attempts=4, base_delay=0.001, max_delay=0.01, quota_delay=0.001)
    monkeypatch.setattr(sheet_module, "DEFAULT_RETRY", fast)  # retries wait milliseconds here
    google_env.fail_next(429, 100, method="POST")
    result = run("adopt", source, "--as-of", AS_OF, "--columns", str(edited), "--save")
    assert result.exit_code == 75, result.output
    assert "quota exceeded" in result.stderr
    assert MAP_TAB not in google_env.tab_titles(key)


FORMAT = Path(__file__).resolve().parents[2] / "docs" / "format.md"


def _format_section(heading: str) -> str:
    """The text under a heading of docs/format.md, up to the next heading of its level
    (lines inside code blocks are not headings)."""
    lines = FORMAT.read_text("utf-8").splitlines()
    first = lines.index(heading) + 1
    level = len(heading.split(" ", maxsplit=1)[0])
    fenced = False
    for index in range(first, len(lines)):
        line = lines[index]
        fenced ^= line.startswith("```")
        marks = len(line) - len(line.lstrip("#"))
        if not fenced and 0 < marks <= level and line[marks:].startswith(" "):
            return "\n".join(lines[first:index])
    return "\n".join(lines[first:])


def test_the_json_example_of_the_format_reference_has_the_codes_keys(sheet: Path) -> None:
    """docs/format.md's `adopt --format json` example has, in order, the keys the code gives."""
    section = _format_section("### `adopt --format json`")
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    data = _json(run("adopt", str(sheet), "--as-of", AS_OF, "--format", "json"))
    assert list(example) == list(data)
    shown, tab = example["tabs"][0], data["tabs"][0]
    assert list(shown) == list(tab)
    assert list(shown["columns"][0]) == list(tab["columns"][0])
    assert list(shown["first_rows"][0]) == list(tab["first_rows"][0])
    assert list(example["questions"][0]) == list(data["questions"][0])
    assert shown["columns"][0] == tab["columns"][3]
    assert example["questions"][0] == data["questions"][0]


def test_every_map_field_is_in_the_format_reference() -> None:
    """Section 10 of docs/format.md has one row per field a map may name, and no other."""
    section = _format_section("## 10. Column maps and `sheets-okr adopt`")
    table = section.split("| Field | The column holds |", 1)[1].split("\n\n", 1)[0]
    listed = [line.split("|")[1].strip().strip("`") for line in table.strip().splitlines()[1:]]
    assert listed == list(FIELDS)


def test_nothing_to_save_from_a_workbook_without_okr_tabs(tmp_path: Path) -> None:
    """A workbook whose tabs hold no OKR header: adopt says so (exit 1); --save writes
    nothing and says why."""
    from tests.support.workbooks import write_workbook

    path = write_workbook(tmp_path / "notes.xlsx", {"Notes": [["Plan notes"]]})
    before = path.read_bytes()
    shown = run("adopt", str(path), "--as-of", AS_OF)
    assert shown.exit_code == 1, shown.output
    assert "no OKR tab found" in shown.stdout
    saved = run("adopt", str(path), "--as-of", AS_OF, "--save")
    assert saved.exit_code == 1, saved.output
    assert "no column is read, so there is no map to save" in saved.stderr
    assert path.read_bytes() == before
