"""A score that rests on a guess says so beside its key result, in every command's output;
an as-of date outside the plan is a warning everywhere and writes no History snapshot."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_okr.cli import cli
from tests.support.workbooks import write_workbook

AS_OF = "2026-11-30"
HEADER = ["Type", "Title", "Owner", "Start", "Target", "Current"]
GUESSES: list[list[Any]] = [
    HEADER,
    ["Objective", "Grow the pipeline efficiently", "Sam"],
    ["Key Result", "Reduce cost per MQL to $120", "Kim", None, "$120", "$156"],
    ["Key Result", "Win 10 enterprise deals", "Dana", 0, 10, 4],
    ["Key Result", "Launch the partner portal", "Lee", None, None, 1],
]


def run(*args: str) -> Result:
    """`sheets-okr ARGS` in-process, stdout and stderr apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


@pytest.fixture(name="guesses")
def _guesses(tmp_path: Path) -> Path:
    """A 2026-Q4 plan with a blank Start on a lower-is-better KR and a milestone at 1."""
    return write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": GUESSES})


def test_score_json_puts_each_assumption_beside_its_key_result(guesses: Path) -> None:
    """The KR resting on a blank Start carries the warning; the others carry none."""
    result = run("score", str(guesses), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    krs = {kr["title"]: kr for kr in data["objectives"][0]["key_results"]}
    (note,) = krs["Reduce cost per MQL to $120"]["assumptions"]
    assert (note["code"], note["severity"], note["cell"]) == ("start-assumed-zero", "warning", "D3")
    assert krs["Win 10 enterprise deals"]["assumptions"] == []
    assert [n["code"] for n in data["assumptions"]] == ["start-assumed-zero"]


def test_a_milestones_current_stays_in_the_json_and_in_history(guesses: Path) -> None:
    """Current 1 on a milestone is 1 in `score --format json` and in the History row."""
    data = json.loads(run("score", str(guesses), "--as-of", AS_OF, "--format", "json").stdout)
    (milestone,) = [kr for kr in data["objectives"][0]["key_results"] if kr["milestone"]]
    assert (milestone["current"], milestone["done"]) == (1, True)
    assert run("sync", str(guesses), "--as-of", AS_OF).exit_code == 0
    history = load_workbook(guesses)["History"]
    rows = {row[2]: row for row in history.iter_rows(min_row=2, values_only=True)}
    assert rows["Launch the partner portal"][3] == 1


def test_the_score_table_marks_the_row_and_lists_the_assumption(guesses: Path) -> None:
    """The table marks the KR with [1] and says below the table what [1] assumed."""
    result = run("score", str(guesses), "--as-of", AS_OF)
    lines = result.stdout.splitlines()
    (row,) = [line for line in lines if "Reduce cost per MQL" in line]
    assert row.rstrip().endswith("[1]")
    assert any(
        line.startswith("  [1] '2026-Q4'!D3: Start is blank and taken as 0") for line in lines
    )


def test_lint_and_the_checks_tab_list_assumptions_as_findings(guesses: Path) -> None:
    """`lint --format json` and the Checks tab name the assumption with its code and cell."""
    data = json.loads(run("lint", str(guesses), "--as-of", AS_OF, "--format", "json").stdout)
    assert ("warning", "start-assumed-zero", "D3") in {
        (f["severity"], f["code"], f["cell"]) for f in data["findings"]
    }
    run("sync", str(guesses), "--as-of", AS_OF)
    checks = load_workbook(guesses)["Checks"]
    assert ("warning", "start-assumed-zero", "2026-Q4", "D3") in {
        row[:4] for row in checks.iter_rows(min_row=2, values_only=True)
    }


def test_the_summary_says_the_assumption_beside_the_key_result(
    guesses: Path, tmp_path: Path
) -> None:
    """The report page and its text name what the KR's score rests on."""
    page = tmp_path / "summary.html"
    result = run("report", str(guesses), "-o", str(page), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    html = page.read_text("utf-8")
    assert "Assumed: Start is blank and taken as 0, but Current (156)" in html


def test_an_as_of_typo_warns_and_keeps_history_clean_unless_forced(guesses: Path) -> None:
    """`sync --as-of 2025-12-06` on a 2026-Q4 plan: a warning, no History row for that day;
    --force writes one."""
    result = run("sync", str(guesses), "--as-of", "2025-12-06")
    assert result.exit_code == 0, result.output
    assert "warning: The as-of date 2025-12-06 is in none of the plan's quarters" in result.stderr
    assert "no History snapshot written" in result.stderr
    workbook = load_workbook(guesses)
    assert "History" not in workbook.sheetnames or workbook["History"].max_row == 1
    assert "as-of-outside-plan" in {r[1] for r in workbook["Checks"].iter_rows(values_only=True)}
    forced = run("sync", str(guesses), "--as-of", "2025-12-06", "--force")
    assert forced.exit_code == 0, forced.output
    history = load_workbook(guesses)["History"]
    dates = {str(r[0])[:10] for r in history.iter_rows(min_row=2, values_only=True)}
    assert dates == {"2025-12-06"}


@pytest.mark.parametrize("command", ["score", "lint"])
def test_an_as_of_typo_is_a_warning_on_other_commands(guesses: Path, command: str) -> None:
    """score and lint say it too (the table on stdout, lint as a finding)."""
    result = run(command, str(guesses), "--as-of", "2025-12-06")
    assert "is in none of the plan's quarters" in result.stdout


def test_an_empty_tracker_is_said_by_score_lint_and_report(tmp_path: Path) -> None:
    """OKR tabs without an objective: score says where to start (a new tracker is no failure:
    exit 0), lint has an error, and the report says it is empty with the quarter's true pace."""
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": [HEADER]})
    score = run("score", str(path), "--as-of", AS_OF)
    assert score.exit_code == 0
    assert "has no objectives yet" in score.stderr
    lint = json.loads(run("lint", str(path), "--as-of", AS_OF, "--format", "json").stdout)
    assert [(f["code"], f["severity"]) for f in lint["findings"]] == [("plan-empty", "error")]
    page = tmp_path / "summary.html"
    assert run("report", str(path), "-o", str(page), "--as-of", AS_OF).exit_code == 0
    html = page.read_text("utf-8")
    assert "This tracker has no objectives yet" in html
    assert "65% of the quarter gone" in html  # 60 of 92 days, not 0%


@pytest.mark.parametrize("day", ["2026.11.30", "2026/11/30", "2026년 11월 30일"])
def test_as_of_takes_the_date_forms_cells_take(guesses: Path, day: str) -> None:
    """--as-of reads 2026.11.30 and Korean dates, as date cells do."""
    result = run("score", str(guesses), "--as-of", day, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["as_of"] == "2026-11-30"


def test_as_of_garbage_says_how_to_write_a_date(guesses: Path) -> None:
    """A date that is not one: exit 2 and an example of the form to use."""
    result = run("score", str(guesses), "--as-of", "garbage")
    assert result.exit_code == 2
    assert "'garbage' is not a date; write it as 2026-11-30" in result.stderr


def test_score_csv_carries_each_rows_assumptions(guesses: Path) -> None:
    """The CSV's last column says what each row's score rests on, code first."""
    result = run("score", str(guesses), "--as-of", AS_OF, "--format", "csv")
    rows = {row["title"]: row for row in csv.DictReader(io.StringIO(result.stdout))}
    assert rows["Reduce cost per MQL to $120"]["assumptions"].startswith(
        "start-assumed-zero: Start is blank and taken as 0, but Current (156)"
    )
    assert rows["Win 10 enterprise deals"]["assumptions"] == ""


def test_a_first_check_in_past_the_target_makes_the_blank_start_a_warning(
    tmp_path: Path,
) -> None:
    """Cost from a blank Start: History's first Current (180) was past the Target (120), so
    the guess is a warning even now that Current (110) has come below the Target."""
    rows: list[list[Any]] = [HEADER, ["Objective", "Cut costs", "Sam"],
            ["Key Result", "Reduce cost per MQL to $120", "Kim", None, 120, 180]]  # fmt: skip
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": rows})
    assert run("sync", str(path), "--as-of", "2026-10-15").exit_code == 0
    workbook = load_workbook(path)
    workbook["2026-Q4"]["F3"] = 110
    workbook.save(path)
    data = json.loads(run("score", str(path), "--as-of", AS_OF, "--format", "json").stdout)
    (note,) = data["objectives"][0]["key_results"][0]["assumptions"]
    assert note["severity"] == "warning"
    assert "the first check-in (180) was already past the Target (120)" in note["message"]


def test_report_and_run_say_an_as_of_outside_the_plan_on_stderr(
    guesses: Path, tmp_path: Path
) -> None:
    """report warns on stderr; a quiet run names the tracker and says no snapshot was made."""
    page = tmp_path / "summary.html"
    report = run("report", str(guesses), "-o", str(page), "--as-of", "2025-12-06")
    assert report.exit_code == 0, report.output
    assert "sheets-okr: warning: The as-of date 2025-12-06 is in none" in report.stderr
    config = tmp_path / "sheets-okr.toml"
    config.write_text(f'[[tracker]]\nname = "Growth"\nsource = "{guesses}"\n', "utf-8")
    quiet = run("run", "--config", str(config), "--as-of", "2025-12-06", "--no-email")
    assert quiet.exit_code == 0, quiet.output
    assert "sheets-okr: Growth: warning: " in quiet.stderr
    assert "so no History snapshot" in quiet.stderr


def test_the_table_marks_key_results_with_their_objectives_assumptions(tmp_path: Path) -> None:
    """A tab named Q4 (no year): the objective and each of its KRs carry the same mark."""
    path = write_workbook(tmp_path / "okrs.xlsx", {"Q4": [*GUESSES[:2], GUESSES[3]]})
    lines = run("score", str(path), "--as-of", AS_OF).stdout.splitlines()
    marked = [line for line in lines if line.rstrip().endswith("[1]")]
    assert len(marked) == 2  # the objective row and its key result
