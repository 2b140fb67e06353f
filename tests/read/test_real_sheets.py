"""Sheets laid out the way real OKR tools and teams lay them out (tests/support/okr_sheets.py):
`sheets-okr score` reads them, with a column map where a header cannot be guessed, and scores
them by the contract's formulas from the sheets' own numbers."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli
from tests.support import okr_sheets
from tests.support.okr_sheets import (
    CHECKINS,
    CONFIDENCE_MAP,
    CONFIDENCE_WORDS,
    GRADED,
    KOREAN,
    LOG_PLAN,
    MARKETING,
    REPEATED_OBJECTIVE_KR,
    TOOL_A,
    TOOL_B,
    TOOL_B_DELIVERABLE,
    TOOL_B_MAP,
    Plan,
    PlanKR,
    PlanObjective,
    key_results,
    last_quarter_target,
    latest_checkin,
)

AS_OF = okr_sheets.AS_OF.isoformat()
# The expected pace on the as-of date: the share of 2026-Q4 elapsed (contract section 2).
PACE = (okr_sheets.AS_OF - okr_sheets.QUARTER_START).days / (
    okr_sheets.NEXT_QUARTER_START - okr_sheets.QUARTER_START
).days
Builder = Callable[[Path], Path]


def run(*args: str) -> Result:
    """Run `sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    result = CliRunner().invoke(cli, list(args), prog_name="sheets-okr")
    assert "Traceback" not in result.output, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def score(path: Path, *args: str, as_of: str = AS_OF) -> dict[str, Any]:
    """The parsed JSON of `sheets-okr score PATH --as-of ... --format json ARGS`."""
    result = run("score", str(path), "--as-of", as_of, "--format", "json", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def lint(path: Path, *args: str) -> dict[str, Any]:
    """The parsed JSON of `sheets-okr lint PATH --as-of ... --format json ARGS`."""
    result = run("lint", str(path), "--as-of", AS_OF, "--format", "json", *args)
    assert result.exit_code in (0, 1), (result.exit_code, result.output)
    data: dict[str, Any] = json.loads(result.stdout)
    return data


def column_map(tmp_path: Path, text: str) -> Path:
    """A column map file (`--columns MAP.toml`) holding `text`."""
    path = tmp_path / "columns.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- what the contract's formulas give for the fixtures' own numbers ----------------------


def progress_of(kr: PlanKR, current: float | None = None) -> float | None:
    """(C - S) / (T - S), a blank Start taken as 0; None without a check-in."""
    current = kr.current if current is None else current
    if current is None:
        return None
    assert kr.target is not None
    start = 0.0 if kr.start is None else kr.start
    return (current - start) / (kr.target - start)


def score_of(kr: PlanKR, current: float | None = None) -> float:
    """The hand grade where there is one, else progress clamped to [0, 1]; 0 without a
    check-in."""
    if kr.grade is not None:
        return kr.grade
    progress = progress_of(kr, current)
    return 0.0 if progress is None else min(max(progress, 0.0), 1.0)


def objective_score_of(objective: PlanObjective, scores: Iterable[float] | None = None) -> float:
    """The weighted mean of its key results' scores."""
    krs = objective.key_results
    values = [score_of(kr) for kr in krs] if scores is None else list(scores)
    return sum(kr.weight * s for kr, s in zip(krs, values, strict=True)) / sum(
        kr.weight for kr in krs
    )


def approx(value: float | None) -> Any:
    """A number compared to 1e-9, or None."""
    return None if value is None else pytest.approx(value, rel=1e-9, abs=1e-12)


# --- reading the JSON -------------------------------------------------------------------------


def objectives(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The scored objectives keyed by title."""
    return {o["title"]: o for o in data["objectives"]}


def all_key_results(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Every scored key result keyed by title."""
    return {kr["title"]: kr for o in data["objectives"] for kr in o["key_results"]}


def assert_structure(data: dict[str, Any], plan: Plan) -> None:
    """The plan's objectives, each with exactly its key results, and nothing else."""
    read = objectives(data)
    assert len(data["objectives"]) == len(plan), list(read)
    assert set(read) == {o.title for o in plan}
    for objective in plan:
        titles = [kr["title"] for kr in read[objective.title]["key_results"]]
        assert sorted(titles) == sorted(kr.title for kr in objective.key_results), titles


def assert_numbers(data: dict[str, Any], plan: Plan, *, start_column: bool = True) -> None:
    """Each key result's start, target and current as the sheet gives them (a sheet without
    a start column: 0), and its progress and score by the contract's formulas."""
    read = all_key_results(data)
    for kr in key_results(plan):
        got = read[kr.title]
        assert got["start"] == approx(kr.start if start_column else 0.0), kr.title
        assert got["target"] == approx(kr.target), kr.title
        assert got["current"] == approx(kr.current), kr.title
        assert got["progress"] == approx(progress_of(kr)), kr.title
        assert got["score"] == approx(score_of(kr)), kr.title


def assert_objective_scores(data: dict[str, Any], plan: Plan) -> None:
    """Each objective's score is the weighted mean of its key results' scores."""
    read = objectives(data)
    for objective in plan:
        assert read[objective.title]["score"] == approx(objective_score_of(objective))


# --- every well-formed sheet reads without problems ------------------------------------------

WELL_FORMED: dict[str, Builder] = {
    "tool A export (xlsx)": okr_sheets.tool_a_export,
    "tool A export (CSV, UTF-8 with BOM)": okr_sheets.tool_a_export_csv,
    "tool A export (TSV)": partial(okr_sheets.tool_a_export_csv, delimiter="\t"),
    "Korean team sheet": okr_sheets.korean_team_sheet,
    "Korean export (CSV, cp949)": okr_sheets.korean_export_csv,
    "Korean export (CSV, UTF-8 with BOM)": partial(
        okr_sheets.korean_export_csv, encoding="utf-8-sig"
    ),
    "linked Objectives and Key Results tabs": okr_sheets.linked_tabs,
    "check-in log by KR ID": okr_sheets.checkin_log,
    "check-in log by KR title": partial(okr_sheets.checkin_log, key="title"),
    "one block per objective": okr_sheets.objective_blocks,
    "grades 0.0-1.0": okr_sheets.grading_sheet,
    "grades 0-100": partial(okr_sheets.grading_sheet, scale=100),
    "Baseline and Stretch Goal": okr_sheets.stretch_goal_sheet,
}


@pytest.mark.parametrize("name", list(WELL_FORMED))
def test_well_formed_sheet_reads_without_problems(tmp_path: Path, name: str) -> None:
    """Each sheet laid out the way a real tool or team lays it out scores with exit 0 and
    no problems."""
    path = WELL_FORMED[name](tmp_path)
    result = run("score", str(path), "--as-of", AS_OF, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["problems"] == []
    assert data["objectives"], name


def test_every_objective_is_expected_at_the_quarters_pace(tmp_path: Path) -> None:
    """A tool export's objectives fall in 2026-Q4 (its Period column) and expect its pace."""
    data = score(okr_sheets.tool_a_export(tmp_path))
    for objective in data["objectives"]:
        assert objective["quarter"] == "2026-Q4"
        assert objective["expected"] == approx(PACE)


# --- (a) tool A: flat camelCase export ---------------------------------------------------------


def test_flat_export_consecutive_rows_of_one_objective_make_one_objective(tmp_path: Path) -> None:
    """The objective repeated on each key result row of a flat export is one objective
    holding those key results."""
    assert_structure(score(okr_sheets.tool_a_export(tmp_path)), TOOL_A)


def test_flat_export_reads_camel_case_target_current_and_owner(tmp_path: Path) -> None:
    """`keyResultTargetValue`, `keyResultCurrentValue` and `keyResultOwnerName` are each key
    result's target, current and owner; with no start column, start is 0."""
    data = score(okr_sheets.tool_a_export(tmp_path))
    read = all_key_results(data)
    assert_numbers(data, TOOL_A, start_column=False)
    for kr in key_results(TOOL_A):
        assert read[kr.title]["owner"] == kr.owner


def test_flat_export_objective_scores_are_means_of_its_key_results(tmp_path: Path) -> None:
    """Each objective of a flat export scores the mean of its key results' scores."""
    assert_objective_scores(score(okr_sheets.tool_a_export(tmp_path)), TOOL_A)


@pytest.mark.parametrize(
    "builder",
    [
        okr_sheets.tool_a_export_csv,
        partial(okr_sheets.tool_a_export_csv, delimiter="\t"),
        partial(okr_sheets.tool_a_export_csv, bom=False),
    ],
    ids=["csv-bom", "tsv", "csv-no-bom"],
)
def test_csv_and_tsv_exports_read_like_the_workbook(tmp_path: Path, builder: Builder) -> None:
    """The same export as CSV or TSV gives the objectives, numbers and scores of the .xlsx."""
    data = score(builder(tmp_path))
    assert_structure(data, TOOL_A)
    assert_numbers(data, TOOL_A, start_column=False)
    assert_objective_scores(data, TOOL_A)


def test_flat_export_objective_text_again_further_down_is_a_finding(tmp_path: Path) -> None:
    """The same objective text again after other objectives' rows is a lint finding, of a
    kind the same export without that row does not have, on that row or naming the
    objective."""
    clean = {f["code"] for f in lint(okr_sheets.tool_a_export(tmp_path))["findings"]}
    defect = tmp_path / "defect"
    defect.mkdir()
    path = okr_sheets.tool_a_export(defect, objective_again_below=True)
    new = [f for f in lint(path)["findings"] if f["code"] not in clean]
    row = str(okr_sheets.tool_a_repeated_row())
    title = TOOL_A[0].title

    def about_it(finding: dict[str, Any]) -> bool:
        return re.sub(r"^[A-Z]+", "", finding.get("cell") or "") == row or (
            title in finding["message"]
        )

    assert any(about_it(f) for f in new), new


def test_flat_export_objective_text_again_further_down_keeps_its_key_result(
    tmp_path: Path,
) -> None:
    """The key result on the repeated objective's row is still read and scored."""
    data = score(okr_sheets.tool_a_export(tmp_path, objective_again_below=True))
    got = all_key_results(data)[REPEATED_OBJECTIVE_KR.title]
    assert got["target"] == approx(REPEATED_OBJECTIVE_KR.target)
    assert got["score"] == approx(score_of(REPEATED_OBJECTIVE_KR))


# --- (b) tool B: Viva Goals style export, read with a map --------------------------------------


def test_tool_b_export_with_its_map_reads_objectives_and_key_results(tmp_path: Path) -> None:
    """With a map naming `Object Type` and `Actual Progress`, tool B's CSV gives its
    objectives and key results with start, target and current, and no problems."""
    path = okr_sheets.tool_b_export_csv(tmp_path)
    data = score(path, "--columns", str(column_map(tmp_path, TOOL_B_MAP)))
    assert data["problems"] == []
    assert_structure(data, TOOL_B)
    assert_numbers(data, TOOL_B)
    assert_objective_scores(data, TOOL_B)


def test_tool_b_deliverable_is_an_action_by_the_maps_word(tmp_path: Path) -> None:
    """`[values.type] Deliverable = "action"` makes a Deliverable row an action of the key
    result above it."""
    path = okr_sheets.tool_b_export_csv(tmp_path)
    data = score(path, "--columns", str(column_map(tmp_path, TOOL_B_MAP)))
    owner = all_key_results(data)[TOOL_B[0].key_results[0].title]
    assert [a["title"] for a in owner["actions"]] == [TOOL_B_DELIVERABLE]


# --- (c) Korean team sheet and Korean export ------------------------------------------------


def test_korean_sheet_tells_its_two_mokpyo_columns_apart(tmp_path: Path) -> None:
    """Of two `목표` columns, the one holding text is the objective and the one holding
    numbers the target."""
    data = score(okr_sheets.korean_team_sheet(tmp_path))
    assert_structure(data, KOREAN)
    read = all_key_results(data)
    for kr in key_results(KOREAN):
        assert read[kr.title]["target"] == approx(kr.target), kr.title


def test_korean_sheet_reads_start_and_current_and_scores(tmp_path: Path) -> None:
    """`시작` and `현재` are start and current (percent and won cells too), scored by the
    formulas; a lower-is-better key result needs no flag."""
    data = score(okr_sheets.korean_team_sheet(tmp_path))
    assert_numbers(data, KOREAN)
    assert_objective_scores(data, KOREAN)


@pytest.mark.parametrize("encoding", ["cp949", "utf-8-sig"])
def test_korean_export_reads_bilingual_headers(tmp_path: Path, encoding: str) -> None:
    """A Korean flat export (`목표(Objective)`, `Target / 목표값`, the objective repeated on
    each row) in cp949 or UTF-8 gives the plan, `8%` and `15억` read as numbers."""
    data = score(okr_sheets.korean_export_csv(tmp_path, encoding=encoding))
    assert_structure(data, KOREAN)
    assert_numbers(data, KOREAN)
    assert_objective_scores(data, KOREAN)


# --- (d) Objectives tab + Key Results tab linked by Obj_ID -----------------------------------


def test_linked_tabs_put_each_key_result_under_its_obj_id(tmp_path: Path) -> None:
    """Key results sorted by owner in their own tab belong to the objective their `Obj_ID`
    names, not to the row above."""
    data = score(okr_sheets.linked_tabs(tmp_path))
    assert_structure(data, MARKETING)
    assert_numbers(data, MARKETING)
    assert_objective_scores(data, MARKETING)


def test_linked_tabs_keep_the_sheets_ids(tmp_path: Path) -> None:
    """`Obj_ID` in the Objectives tab and `KR_ID` in the Key Results tab are the ids."""
    data = score(okr_sheets.linked_tabs(tmp_path))
    assert {o["id"] for o in data["objectives"]} == {o.id for o in MARKETING}
    read = all_key_results(data)
    for kr in key_results(MARKETING):
        assert read[kr.title]["id"] == kr.id


def test_dashboard_tab_adds_no_objectives(tmp_path: Path) -> None:
    """A Dashboard tab listing the objectives with their progress adds no objectives."""
    data = score(okr_sheets.linked_tabs(tmp_path))
    assert len(data["objectives"]) == len(MARKETING)
    assert all(o["tab"] != "Dashboard" for o in data["objectives"])


# --- (e) check-in log ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["id", "title"])
def test_log_latest_value_on_or_before_the_as_of_date_is_current(tmp_path: Path, key: str) -> None:
    """Each key result's current is its newest logged value dated on or before the as-of
    date, whatever the order of the log's rows, found by KR ID or by KR title."""
    data = score(okr_sheets.checkin_log(tmp_path, key=key))
    read = all_key_results(data)
    for kr in key_results(LOG_PLAN):
        assert read[kr.title]["current"] == approx(latest_checkin(kr.id)), kr.title


def test_log_entries_after_the_as_of_date_are_ignored(tmp_path: Path) -> None:
    """A check-in dated after the as-of date is not current; scored as of its own date, it is."""
    path = okr_sheets.checkin_log(tmp_path)
    later = [(day, kr_id, value) for day, kr_id, value in CHECKINS if day > okr_sheets.AS_OF]
    assert later
    now = {kr.id: kr for kr in key_results(LOG_PLAN)}
    for day, kr_id, value in later:
        title = now[kr_id].title
        assert all_key_results(score(path))[title]["current"] != approx(value)
        then = all_key_results(score(path, as_of=day.isoformat()))[title]
        assert then["current"] == approx(value)


def test_log_scores_by_the_formulas_from_the_logged_current(tmp_path: Path) -> None:
    """Progress and score come from the key result's Start and Target and the logged value."""
    data = score(okr_sheets.checkin_log(tmp_path))
    read = all_key_results(data)
    for kr in key_results(LOG_PLAN):
        current = latest_checkin(kr.id)
        assert read[kr.title]["progress"] == approx(progress_of(kr, current)), kr.title
        assert read[kr.title]["score"] == approx(score_of(kr, current)), kr.title


def test_log_key_result_without_entries_has_no_check_in(tmp_path: Path) -> None:
    """A key result the log never mentions has no current, score 0 and health no_data."""
    data = score(okr_sheets.checkin_log(tmp_path))
    silent = [kr for kr in key_results(LOG_PLAN) if latest_checkin(kr.id) is None]
    assert silent
    for kr in silent:
        got = all_key_results(data)[kr.title]
        assert got["current"] is None
        assert got["score"] == 0
        assert got["health"] == "no_data"


def test_log_key_results_tab_repeats_the_objective(tmp_path: Path) -> None:
    """The Key Results tab beside the log, its objective repeated per row, gives the plan."""
    assert_structure(score(okr_sheets.checkin_log(tmp_path)), LOG_PLAN)


# --- (f) one block per objective -------------------------------------------------------------


def _block_objective(data: dict[str, Any], objective: PlanObjective) -> dict[str, Any]:
    found: list[dict[str, Any]] = [o for o in data["objectives"] if objective.title in o["title"]]
    assert len(found) == 1, [o["title"] for o in data["objectives"]]
    return found[0]


def test_blocks_make_one_objective_per_heading(tmp_path: Path) -> None:
    """Each merged heading row starts an objective holding the key results of its block."""
    data = score(okr_sheets.objective_blocks(tmp_path))
    assert len(data["objectives"]) == len(MARKETING)
    for objective in MARKETING:
        found = _block_objective(data, objective)
        titles = sorted(kr["title"] for kr in found["key_results"])
        assert titles == sorted(kr.title for kr in objective.key_results)


def test_blocks_read_numbers_confidence_and_scores(tmp_path: Path) -> None:
    """Each block's own header row names its columns: numbers, confidence and scores."""
    data = score(okr_sheets.objective_blocks(tmp_path))
    assert_numbers(data, MARKETING)
    read = all_key_results(data)
    for kr in key_results(MARKETING):
        assert read[kr.title]["confidence"] == approx(kr.confidence), kr.title
    for objective in MARKETING:
        assert _block_objective(data, objective)["score"] == approx(objective_score_of(objective))


# --- (g) hand grades ----------------------------------------------------------------------


@pytest.mark.parametrize("scale", [1, 100])
def test_hand_grades_are_the_scores(tmp_path: Path, scale: int) -> None:
    """A Grade cell (0.0-1.0, or 0-100 when the column's values say so) is the key result's
    score, a grade of 0 included."""
    data = score(okr_sheets.grading_sheet(tmp_path, scale=scale))
    read = all_key_results(data)
    graded = [kr for kr in key_results(GRADED) if kr.grade is not None]
    for kr in graded:
        assert read[kr.title]["score"] == approx(kr.grade), kr.title


def test_grade_is_the_score_even_beside_start_target_current(tmp_path: Path) -> None:
    """A key result with a grade and with Start, Target and Current scores its grade."""
    data = score(okr_sheets.grading_sheet(tmp_path))
    both = [kr for kr in key_results(GRADED) if kr.grade is not None and kr.current is not None]
    assert both
    for kr in both:
        assert kr.grade != approx(progress_of(kr))
        got = all_key_results(data)[kr.title]
        assert got["current"] == approx(kr.current)
        assert got["score"] == approx(kr.grade)


def test_key_result_without_a_grade_is_scored_by_the_formulas(tmp_path: Path) -> None:
    """On a grading sheet, a key result with numbers and an empty Grade is scored from them."""
    data = score(okr_sheets.grading_sheet(tmp_path))
    ungraded = [kr for kr in key_results(GRADED) if kr.grade is None]
    assert ungraded
    for kr in ungraded:
        got = all_key_results(data)[kr.title]
        assert got["progress"] == approx(progress_of(kr))
        assert got["score"] == approx(score_of(kr))


@pytest.mark.parametrize("scale", [1, 100])
def test_graded_objective_scores_are_weighted_means(tmp_path: Path, scale: int) -> None:
    """An objective scores the Weight-weighted mean of its key results' grades."""
    data = score(okr_sheets.grading_sheet(tmp_path, scale=scale))
    assert_structure(data, GRADED)
    assert_objective_scores(data, GRADED)


def test_header_only_quarter_tabs_add_nothing(tmp_path: Path) -> None:
    """Tabs Q1 and Q2 holding only the template's header add no objectives and no problems."""
    data = score(okr_sheets.grading_sheet(tmp_path))
    assert {o["tab"] for o in data["objectives"]} == {"Q4 2026"}
    assert data["problems"] == []


# --- (h) Confidence words, currency in brackets, Baseline / Stretch Goal --------------------


def test_confidence_words_without_a_map_leave_key_results_in_the_scores(tmp_path: Path) -> None:
    """Confidence High/Medium/Low with no map does not make a key result unreadable: every
    key result is scored and counts in its objective."""
    data = score(okr_sheets.confidence_sheet(tmp_path))
    assert_structure(data, CONFIDENCE_WORDS)
    assert_numbers(data, CONFIDENCE_WORDS)
    assert_objective_scores(data, CONFIDENCE_WORDS)
    assert data["problems"] == []


def test_confidence_words_with_a_map_become_numbers(tmp_path: Path) -> None:
    """`[values.confidence]` turns High/Medium/Low into the numbers the map gives."""
    words = "\n".join(f"{word} = {value}" for word, value in CONFIDENCE_MAP.items())
    path = okr_sheets.confidence_sheet(tmp_path)
    data = score(path, "--columns", str(column_map(tmp_path, f"[values.confidence]\n{words}\n")))
    assert data["problems"] == []
    read = all_key_results(data)
    for kr in key_results(CONFIDENCE_WORDS):
        assert read[kr.title]["confidence"] == approx(CONFIDENCE_MAP[kr.confidence]), kr.title


def test_currency_in_brackets_names_target_and_current(tmp_path: Path) -> None:
    """`Target (USD)` and `Current (USD)` are the target and current; `Baseline` the start."""
    data = score(okr_sheets.confidence_sheet(tmp_path))
    read = all_key_results(data)
    for kr in key_results(CONFIDENCE_WORDS):
        assert read[kr.title]["start"] == approx(kr.start), kr.title
        assert read[kr.title]["target"] == approx(kr.target), kr.title
        assert read[kr.title]["current"] == approx(kr.current), kr.title


def test_baseline_and_stretch_goal_are_start_and_target(tmp_path: Path) -> None:
    """With no Target column, `Stretch Goal` is the target and `Baseline` the start."""
    data = score(okr_sheets.stretch_goal_sheet(tmp_path))
    assert_structure(data, MARKETING)
    assert_numbers(data, MARKETING)


# --- column maps for headers that cannot be guessed -----------------------------------------


def test_map_names_letzter_wert_as_the_current(tmp_path: Path) -> None:
    """`"Letzter Wert" = "current"` reads that column as each key result's current."""
    path = okr_sheets.letzter_wert_sheet(tmp_path)
    mapping = column_map(tmp_path, '[columns]\n"Letzter Wert" = "current"\n')
    data = score(path, "--columns", str(mapping))
    assert data["problems"] == []
    assert_structure(data, MARKETING)
    assert_numbers(data, MARKETING)


def test_adopt_asks_about_base(tmp_path: Path) -> None:
    """`adopt` on a sheet headed `Base` exits 1 with a question naming `Base`."""
    result = run("adopt", str(okr_sheets.base_sheet(tmp_path)))
    assert result.exit_code == 1, result.output
    assert "Base" in result.output


def test_map_answers_base(tmp_path: Path) -> None:
    """With `"Base" = "start"`, score reads the starts and adopt has no question left."""
    path = okr_sheets.base_sheet(tmp_path)
    mapping = column_map(tmp_path, '[columns]\n"Base" = "start"\n')
    data = score(path, "--columns", str(mapping))
    assert data["problems"] == []
    assert_numbers(data, MARKETING)
    assert run("adopt", str(path), "--columns", str(mapping)).exit_code == 0


def test_column_letter_picks_one_of_two_columns_with_the_same_header(tmp_path: Path) -> None:
    """`"column:E" = "target"` with `"Target" = "ignore"` reads this quarter's Target in E,
    not last quarter's in D."""
    path = okr_sheets.repeated_target_sheet(tmp_path)
    mapping = column_map(tmp_path, '[columns]\n"Target" = "ignore"\n"column:E" = "target"\n')
    data = score(path, "--columns", str(mapping))
    assert data["problems"] == []
    read = all_key_results(data)
    for kr in key_results(MARKETING):
        assert read[kr.title]["target"] == approx(kr.target), kr.title
        assert read[kr.title]["target"] != approx(last_quarter_target(kr)), kr.title
    assert_numbers(data, MARKETING)


def test_a_tabs_own_map_entry_applies_to_that_tab_only(tmp_path: Path) -> None:
    """`[tabs."Team OKRs".columns] "Wert" = "current"` reads Wert in that tab only; the
    words in the other tab's Wert column are left alone."""
    path = okr_sheets.two_team_tabs(tmp_path)
    mapping = column_map(tmp_path, '[tabs."Team OKRs".columns]\n"Wert" = "current"\n')
    data = score(path, "--columns", str(mapping))
    assert data["problems"] == []
    read = all_key_results(data)
    for kr in key_results(MARKETING[:2]):
        assert read[kr.title]["current"] == approx(kr.current), kr.title
    for kr in key_results(MARKETING[2:]):
        assert read[kr.title]["current"] is None, kr.title


def test_map_naming_an_unknown_field_is_a_usage_error(tmp_path: Path) -> None:
    """A map naming a field that does not exist is refused with exit 2, naming it."""
    path = okr_sheets.letzter_wert_sheet(tmp_path)
    mapping = column_map(tmp_path, '[columns]\n"Letzter Wert" = "currrent"\n')
    result = run("score", str(path), "--as-of", AS_OF, "--columns", str(mapping))
    assert result.exit_code == 2, result.output
    assert "currrent" in result.stderr


@pytest.mark.parametrize("command", ["score", "sync", "lint", "report", "email", "adopt"])
def test_every_reading_command_takes_a_column_map(command: str) -> None:
    """score, sync, lint, report, email and adopt each document `--columns`."""
    result = run(command, "--help")
    assert result.exit_code == 0, result.output
    assert "--columns" in result.stdout


def test_adopt_proposes_a_map_for_a_tool_export(tmp_path: Path) -> None:
    """`adopt --format toml` on tool A's export reads every row (exit 0) and proposes a map
    naming `keyResultTargetValue` the target."""
    result = run("adopt", str(okr_sheets.tool_a_export(tmp_path)), "--format", "toml")
    assert result.exit_code == 0, result.output
    proposal = tomllib.loads(result.stdout)
    assert proposal["columns"]["keyResultTargetValue"] == "target"
