"""`sheets-okr lint` through click's CliRunner: exit codes, output formats and options."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli
from sheets_okr.read.history import HISTORY_HEADER
from tests.support.workbooks import day, write_workbook

AS_OF = "2026-11-30"
TAB = "2026-Q4"
HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit",
          "Weight", "Due", "Status", "ID"]  # fmt: skip
KOREAN_HEADER = ["구분", "제목", "담당자", "팀", "분기", "시작값", "목표값", "현재값", "단위",
                 "가중치", "마감일", "상태", "아이디"]  # fmt: skip
HANGUL = re.compile(r"[\uac00-\ud7a3]")
FINDING_FIELDS = {"severity", "code", "tab", "cell", "message"}


def run(*args: str) -> Result:
    """Run `sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def lint(path: Path, *args: str) -> Result:
    """Run `sheets-okr lint PATH --as-of 2026-11-30 ARGS`."""
    result = run("lint", str(path), "--as-of", AS_OF, *args)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result


def lint_json(path: Path, *args: str) -> dict[str, Any]:
    """The parsed JSON of `lint --format json`."""
    result = lint(path, "--format", "json", *args)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def _row(kind: str, title: str, owner: str | None = "Lee", start: Any = None,
         target: Any = None, current: Any = None, due: Any = None, status: str | None = None,
         row_id: str | None = None) -> list[Any]:  # fmt: skip
    return [kind, title, owner, "Marketing" if kind in ("Objective", "목표") else None, None,
            start, target, current, None, None, due, status, row_id]  # fmt: skip


def plan_rows(
    first_objective: str = "Increase website traffic",
    first_kr: list[Any] | None = None,
    header: list[str] = HEADER,
    levels: tuple[str, str, str] = ("Objective", "Key Result", "Action"),
) -> list[list[Any]]:
    """Three objectives of three measurable, owned key results with dated actions."""
    objective, key_result, action = levels
    rows: list[list[Any]] = [header]
    titles = (first_objective, "Improve the sales pipeline", "Build a new demand channel")
    number = 0
    for o, title in enumerate(titles):
        rows.append(_row(objective, title, row_id=f"O{o + 1}"))
        for k in range(3):
            number += 1
            if (o, k) == (0, 0) and first_kr is not None:
                rows.append(first_kr)
            else:
                rows.append(_row(key_result, f"Win {number} deals", start=0, target=number,
                                 row_id=f"KR{number}"))  # fmt: skip
            rows.append(_row(action, "Call the leads", due=day("2026-12-15"),
                             status="Not started"))  # fmt: skip
    return rows


def workbook(tmp_path: Path, rows: list[list[Any]], **extra_tabs: list[list[Any]]) -> Path:
    """A real .xlsx with the plan on the 2026-Q4 tab and any extra tabs."""
    return write_workbook(tmp_path / "plan.xlsx", {TAB: rows, **extra_tabs})


# --- exit status -----------------------------------------------------------------------------


def test_clean_plan_exits_0_and_says_so(tmp_path: Path) -> None:
    """A plan that follows the method exits 0 with a short all-clear."""
    result = lint(workbook(tmp_path, plan_rows()))
    assert result.exit_code == 0, result.output
    assert "nothing to fix" in result.stdout


def test_error_exits_1(tmp_path: Path) -> None:
    """An error finding (a KR nothing measures) makes lint exit 1."""
    rows = plan_rows(first_kr=_row("Key Result", "Grow organic sessions", row_id="KR1"))
    result = lint(workbook(tmp_path, rows))
    assert result.exit_code == 1
    assert "kr-not-measurable" in result.stdout
    assert "'2026-Q4'!G3" in result.stdout
    assert "1 errors, 0 warnings, 0 notes" in result.stdout


def test_objective_without_key_results_exits_1(tmp_path: Path) -> None:
    """An objective without key results is an error, so lint exits 1."""
    rows = plan_rows()
    rows.insert(1, _row("Objective", "Improve the partner program"))
    result = lint(workbook(tmp_path, rows))
    assert result.exit_code == 1
    assert "objective-without-krs" in result.stdout


def test_only_warnings_exit_0(tmp_path: Path) -> None:
    """Warnings and notes alone do not fail: bad titles and a missing owner exit 0."""
    rows = plan_rows(first_objective="Market research",
                     first_kr=_row("Key Result", "Improve brand awareness", owner=None, start=0,
                                   target=10, row_id="KR1"))  # fmt: skip
    del rows[3]  # the first key result's action: a note
    result = lint(workbook(tmp_path, rows))
    assert result.exit_code == 0, result.output
    for code in ("objective-no-direction", "kr-vague", "kr-no-owner", "kr-without-action"):
        assert code in result.stdout
    assert "0 errors, 3 warnings, 1 notes" in result.stdout


def test_table_lines_name_severity_cell_code_and_advice(tmp_path: Path) -> None:
    """Each table line shows the severity, the quoted tab and cell, the code and the advice."""
    rows = plan_rows(first_objective="Generate 53 MQLs")
    result = lint(workbook(tmp_path, rows))
    line = next(line for line in result.stdout.splitlines() if "objective-has-number" in line)
    assert line.startswith("warning")
    assert "'2026-Q4'!B2" in line
    assert "key result" in line


# --- json ------------------------------------------------------------------------------------


def test_json_shape(tmp_path: Path) -> None:
    """JSON has as_of, source, counts by severity, and findings with five fields each."""
    unmeasured = _row("Key Result", "Grow organic sessions", row_id="KR1")
    rows = plan_rows(first_objective="Generate 53 MQLs", first_kr=unmeasured)
    path = workbook(tmp_path, rows)
    result = lint(path, "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert set(data) == {"as_of", "source", "counts", "findings"}
    assert data["as_of"] == AS_OF
    assert Path(data["source"]).name == "plan.xlsx"
    assert data["counts"] == {"error": 1, "warning": 1, "info": 0}
    assert all(set(f) == FINDING_FIELDS for f in data["findings"])
    assert all(isinstance(v, str) for f in data["findings"] for v in f.values())
    assert [(f["severity"], f["code"], f["tab"], f["cell"]) for f in data["findings"]] == [
        ("warning", "objective-has-number", TAB, "B2"),
        ("error", "kr-not-measurable", TAB, "G3"),
    ]


def test_json_counts_match_the_findings(tmp_path: Path) -> None:
    """The counts are the number of findings of each severity."""
    rows = plan_rows(first_kr=_row("Key Result", "Launch a new website", owner=None, start=0,
                                   target=1, row_id="KR1"))  # fmt: skip
    data = lint_json(workbook(tmp_path, rows))
    for severity in ("error", "warning", "info"):
        expected = sum(f["severity"] == severity for f in data["findings"])
        assert data["counts"][severity] == expected
    assert data["counts"]["warning"] == 2


def test_json_of_a_clean_plan(tmp_path: Path) -> None:
    """A clean plan gives zero counts and no findings, exit 0."""
    result = lint(workbook(tmp_path, plan_rows()), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["counts"] == {"error": 0, "warning": 0, "info": 0}
    assert data["findings"] == []


def test_korean_text_survives_in_json(tmp_path: Path) -> None:
    """Korean titles, tab names and headers come through as Korean characters, not escapes."""
    levels = ("목표", "핵심 결과", "행동")
    rows = plan_rows("시장 조사", header=KOREAN_HEADER, levels=levels)
    path = write_workbook(tmp_path / "계획.xlsx", {"마케팅 목표": rows})
    result = lint(path, "--format", "json", "--quarter", "2026-Q4")
    assert result.exit_code == 0, result.output
    assert "\\u" not in result.stdout
    assert HANGUL.search(result.stdout)
    data = json.loads(result.stdout)
    assert data["source"].endswith("계획.xlsx")
    assert [(f["code"], f["tab"], f["cell"]) for f in data["findings"]] == [
        ("objective-no-direction", "마케팅 목표", "B2")
    ]
    assert "구축" in data["findings"][0]["message"]


def test_korean_bad_examples_through_the_command(tmp_path: Path) -> None:
    """The article's Korean bad key results get their codes through the command."""
    rows = plan_rows("웹사이트 트래픽 증가")
    titles = {3: "브랜드 인지도 향상", 5: "SEO 성능 50% 향상", 7: "새 웹사이트 시작"}
    for index, title in titles.items():
        rows[index - 1] = _row("Key Result", title, start=0, target=50, row_id=f"BAD{index}")
    data = lint_json(workbook(tmp_path, rows))
    assert [(f["code"], f["cell"]) for f in data["findings"]] == [
        ("kr-vague", "B3"), ("kr-relative-percentage", "B5"), ("kr-is-action", "B7"),
    ]  # fmt: skip


# --- unreadable cells ------------------------------------------------------------------------


def test_unreadable_cells_are_unreadable_errors(tmp_path: Path) -> None:
    """A cell that cannot be read is an "unreadable" error at its cell, and lint exits 1."""
    rows = plan_rows(first_kr=_row("Key Result", "Win 1 deals", start=0, target=1,
                                   current="lots", row_id="KR1"))  # fmt: skip
    rows[4][10] = "next Friday"  # the Due of the second key result
    result = lint(workbook(tmp_path, rows), "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    unreadable = [f for f in data["findings"] if f["code"] == "unreadable"]
    assert [(f["severity"], f["cell"]) for f in unreadable] == [("error", "H3"), ("error", "K5")]
    assert "lots" in unreadable[0]["message"]
    assert "next Friday" in unreadable[1]["message"]


def test_error_value_cell_is_unreadable(tmp_path: Path) -> None:
    """A formula error (#REF!) in Target is reported as unreadable, once."""
    rows = plan_rows(first_kr=_row("Key Result", "Grow organic sessions", target="#REF!",
                                   row_id="KR1"))  # fmt: skip
    path = write_workbook(tmp_path / "plan.xlsx", {TAB: rows}, errors={TAB: ["G3"]})
    data = lint_json(path)
    assert [(f["code"], f["severity"], f["cell"]) for f in data["findings"]] == [
        ("unreadable", "error", "G3")
    ]


# --- --stale-after ---------------------------------------------------------------------------


def _stale_workbook(tmp_path: Path, snapshots: int) -> Path:
    rows = plan_rows(first_kr=_row("Key Result", "Win 8 deals", start=0, target=8, current=5,
                                   row_id="KR1"))  # fmt: skip
    history: list[list[Any]] = [list(HISTORY_HEADER)]
    for week in range(snapshots):
        history.append([day("2026-11-23").replace(day=23 - 7 * week), "KR1", "Win 8 deals", 5])
    return workbook(tmp_path, rows, History=history)


def test_stale_uses_the_history_tab_with_default_three(tmp_path: Path) -> None:
    """Three unchanged snapshots in History make a kr-stale warning by default."""
    result = lint(_stale_workbook(tmp_path, 3), "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [(f["code"], f["cell"]) for f in data["findings"]] == [("kr-stale", "H3")]


def test_stale_after_option_changes_the_window(tmp_path: Path) -> None:
    """--stale-after 2 flags two unchanged snapshots; the default of 3 does not."""
    path = _stale_workbook(tmp_path, 2)
    assert lint_json(path)["findings"] == []
    data = lint_json(path, "--stale-after", "2")
    assert [f["code"] for f in data["findings"]] == ["kr-stale"]
    assert "2 syncs" in data["findings"][0]["message"]
    assert lint_json(_stale_workbook(tmp_path, 3), "--stale-after", "4")["findings"] == []


@pytest.mark.parametrize("value", ["0", "-1", "many"])
def test_stale_after_must_be_a_positive_count(tmp_path: Path, value: str) -> None:
    """--stale-after below 1 or not a number is a usage error (exit 2)."""
    result = lint(workbook(tmp_path, plan_rows()), "--stale-after", value)
    assert result.exit_code == 2
    assert "--stale-after" in result.stderr


# --- --words ---------------------------------------------------------------------------------


def test_words_option_extends_the_lists(tmp_path: Path) -> None:
    """--words adds a team's direction word, so its objective is no longer flagged."""
    path = workbook(tmp_path, plan_rows("Market research"))
    assert [f["code"] for f in lint_json(path)["findings"]] == ["objective-no-direction"]
    words = tmp_path / "team-words.toml"
    words.write_text('[objective]\ndirection = ["research"]\n', encoding="utf-8")
    result = lint(path, "--words", str(words))
    assert result.exit_code == 0
    assert "nothing to fix" in result.stdout


def test_words_option_is_repeatable(tmp_path: Path) -> None:
    """Several --words files all count, in English and Korean."""
    rows = plan_rows("Market research")
    rows[8] = _row("Objective", "시장 조사", row_id="O2")
    path = workbook(tmp_path, rows)
    english = tmp_path / "en.toml"
    english.write_text('[objective]\ndirection = ["research"]\n', encoding="utf-8")
    korean = tmp_path / "ko.toml"
    korean.write_text('[objective]\ndirection = ["조사"]\n', encoding="utf-8")
    assert len(lint_json(path, "--words", str(english))["findings"]) == 1
    assert lint_json(path, "--words", str(english), "--words", str(korean))["findings"] == []


def test_words_file_that_is_not_toml_is_a_usage_error(tmp_path: Path) -> None:
    """A --words file that is not TOML exits 2 with a message naming it."""
    words = tmp_path / "broken.toml"
    words.write_text("[objective\n", encoding="utf-8")
    result = lint(workbook(tmp_path, plan_rows()), "--words", str(words))
    assert result.exit_code == 2
    assert "broken.toml" in result.stderr
    assert "TOML" in result.stderr


def test_words_file_with_wrong_types_is_a_usage_error(tmp_path: Path) -> None:
    """A --words list of numbers exits 2."""
    words = tmp_path / "numbers.toml"
    words.write_text("[key_result]\nvague = [1, 2]\n", encoding="utf-8")
    result = lint(workbook(tmp_path, plan_rows()), "--words", str(words))
    assert result.exit_code == 2
    assert "list of strings" in result.stderr


def test_missing_words_file_is_a_usage_error(tmp_path: Path) -> None:
    """A --words file that does not exist exits 2."""
    result = lint(workbook(tmp_path, plan_rows()), "--words", str(tmp_path / "none.toml"))
    assert result.exit_code == 2


# --- sources -----------------------------------------------------------------------------------


def test_missing_source_is_not_a_traceback(tmp_path: Path) -> None:
    """A source that does not exist fails with a message, not a traceback."""
    result = lint(tmp_path / "missing.xlsx")
    assert result.exit_code != 0
    assert "missing.xlsx" in result.stderr


def test_workbook_without_okr_tab_exits_1(tmp_path: Path) -> None:
    """A workbook with no OKR tab exits 1 and says so."""
    path = write_workbook(tmp_path / "notes.xlsx", {"Notes": [["Just notes"]]})
    result = lint(path)
    assert result.exit_code == 1
    assert "no OKR tab" in result.stderr


def test_example_workbook_lints_clean_of_errors(tmp_path: Path) -> None:
    """`init --example` then `lint` exits 0 with only the two overdue actions."""
    path = tmp_path / "okrs.xlsx"
    assert run("init", str(path), "--example", "--as-of", AS_OF).exit_code == 0
    result = lint(path, "--format", "json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert [f["code"] for f in data["findings"]] == ["action-overdue", "action-overdue"]


def test_help_documents_the_options() -> None:
    """`lint --help` names the formats, --stale-after and --words, and the exit status."""
    result = run("lint", "--help")
    assert result.exit_code == 0
    for text in ("--format", "table|json", "--stale-after", "--words", "Exit status 1"):
        assert text in result.stdout
