"""The layouts real trackers use: flat exports, linked tabs, check-in logs, blocks, grades."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheets_okr.actions.lint import lint_source
from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.actions.sync import sync_source
from sheets_okr.model.tracker import Tracker
from sheets_okr.read.column_map import ColumnMap
from sheets_okr.read.parse import parse_workbook
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support import okr_sheets
from tests.support.workbooks import DEFAULT_QUARTER, write_workbook

AS_OF = dt.date(2026, 11, 15)


def parsed(tmp_path: Path, tabs: dict[str, list[list[Any]]], **options: Any) -> Tracker:
    path = write_workbook(tmp_path / "t.xlsx", tabs)
    return parse_workbook(ExcelWorkbook(path).read(), DEFAULT_QUARTER, **options)


def test_flat_rows_repeating_the_objective_make_one_objective(tmp_path: Path) -> None:
    """Consecutive rows naming the same objective are one objective with several KRs."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Start", "Target", "Current"],
        ["Grow", "MQLs", 0, 10, 5],
        ["Grow", "SQLs", 0, 4, 1],
        ["Brand", "Visits", 0, 9, 3],
    ]
    tracker = parsed(tmp_path, {"OKRs": rows})
    assert [o.title for o in tracker.objectives] == ["Grow", "Brand"]
    assert len(tracker.key_results) == 3
    assert tracker.problems == ()
    assert not any(a.code == "objective-repeated" for a in tracker.assumptions)


def test_the_same_objective_again_further_down_is_said(tmp_path: Path) -> None:
    """An objective's text again after another objective is a second one, with a warning."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Target", "Current"],
        ["Grow", "MQLs", 10, 5],
        ["Brand", "Visits", 9, 3],
        ["Grow", "Demos", 4, 1],
    ]
    tracker = parsed(tmp_path, {"OKRs": rows})
    assert [o.title for o in tracker.objectives] == ["Grow", "Brand", "Grow"]
    (note,) = [a for a in tracker.assumptions if a.code == "objective-repeated"]
    assert (note.cell, "row 2" in note.message) == ("A4", True)


def test_objectives_and_key_results_in_tabs_linked_by_id(tmp_path: Path) -> None:
    """A Key Results tab names each KR's objective by the Objectives tab's ID."""
    tabs: dict[str, list[list[Any]]] = {
        "Objectives": [["Obj_ID", "Objective", "Owner"], ["O1", "Grow", "Kim"],
                       ["O2", "Brand", "Lee"]],
        "Key Results": [["KR_ID", "Obj_ID", "Key Result", "Start", "Target", "Current"],
                        ["K1", "O2", "Visits", 0, 10, 5], ["K2", "O1", "MQLs", 0, 4, 2]],
    }  # fmt: skip
    tracker = parsed(tmp_path, tabs)
    assert tracker.problems == ()
    assert {k.id: k.objective_id for k in tracker.key_results} == {"K1": "O2", "K2": "O1"}


def test_a_check_in_log_gives_current_on_or_before_the_as_of_date(tmp_path: Path) -> None:
    """Current is the latest logged value on or before the as-of date; later lines wait."""
    tabs: dict[str, list[list[Any]]] = {
        "OKRs": [["Objective", "Key Result", "ID", "Start", "Target"],
                 ["Grow", "MQLs", "K1", 0, 100]],
        "Log": [["Date", "KR", "Value"], [dt.date(2026, 10, 5), "K1", 20],
                [dt.date(2026, 11, 15), "MQLs", 45], [dt.date(2026, 12, 1), "K1", 90],
                [dt.date(2026, 11, 1), "Nope", 3]],
    }  # fmt: skip
    tracker = parsed(tmp_path, tabs, as_of=AS_OF)
    (kr,) = tracker.key_results
    assert kr.current == 45
    assert [(p.tab, p.cell) for p in tracker.problems] == [("Log", "B5")]
    assert [c.value for c in tracker.check_ins] == [20, 45, 90]


def test_the_log_gives_the_delta_since_the_check_in_before(tmp_path: Path) -> None:
    """A logged KR's delta compares with its check-in before the one that is its Current."""
    tabs: dict[str, list[list[Any]]] = {
        "OKRs": [["Objective", "Key Result", "ID", "Start", "Target"],
                 ["Grow", "MQLs", "K1", 0, 100]],
        "Log": [["Date", "KR", "Value"], [dt.date(2026, 10, 5), "K1", 20],
                [dt.date(2026, 11, 1), "K1", 45]],
    }  # fmt: skip
    path = write_workbook(tmp_path / "t.xlsx", tabs)
    scored = score_source(str(path), ReadOptions(AS_OF))
    row = scored.card.key_results.loc["K1"]
    assert (round(row["score"], 6), round(row["delta"], 6)) == (0.45, 0.25)


def test_one_block_per_objective(tmp_path: Path) -> None:
    """A heading row names the objective of the key results under its repeated header."""
    rows: list[list[Any]] = [
        ["Marketing OKRs"],
        [],
        ["Grow pipeline"],
        ["Key Result", "Start", "Target"],
        ["MQLs", 0, 10],
        [],
        ["Brand"],
        ["Key Result", "Start", "Target"],
        ["Visits", 0, 5],
    ]
    tracker = parsed(tmp_path, {"Q4": rows})
    assert [o.title for o in tracker.objectives] == ["Grow pipeline", "Brand"]
    by_objective = {o.title: [k.title for k in tracker.key_results if k.objective_id == o.id]
                    for o in tracker.objectives}  # fmt: skip
    assert by_objective == {"Grow pipeline": ["MQLs"], "Brand": ["Visits"]}
    assert tracker.problems == ()


def test_hand_grades_are_scores_out_of_one_or_a_hundred(tmp_path: Path) -> None:
    """A Grade column is the score; a column with values above 1 is out of 100."""
    for grades, expected in (([0.7, 0.3], [0.7, 0.3]), ([70, 30], [0.7, 0.3])):
        rows: list[list[Any]] = [
            ["Objective", "Key Result", "Start", "Target", "Current", "Grade"],
            ["Grow", "MQLs", 0, 10, 10, grades[0]],
            [None, "SQLs", None, None, None, grades[1]],
        ]
        path = write_workbook(tmp_path / "g.xlsx", {"OKRs": rows})
        card = score_source(str(path), ReadOptions(AS_OF)).card
        assert [round(s, 6) for s in card.key_results["score"]] == expected
        assert card.key_results["progress"].round(6).tolist() == [1.0, expected[1]]


def test_value_words_of_a_map_and_confidence_words(tmp_path: Path) -> None:
    """Confidence words read without a map; a map gives other words their values."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Target", "Current", "Confidence", "Status"],
        ["Grow", "MQLs", 10, 5, "High", "순항"],
        [None, "SQLs", 4, 1, "Shaky", None],
    ]
    cmap = ColumnMap(values={"status": {"순항": "in_progress"}})
    tracker = parsed(tmp_path, {"OKRs": rows}, column_map=cmap)
    assert [k.confidence for k in tracker.key_results] == [8.0, None]
    assert all(k.readable for k in tracker.key_results)
    assert [a.code for a in tracker.assumptions if a.code == "confidence-unread"] == [
        "confidence-unread"
    ]


def test_a_parent_named_by_its_title_links_like_an_id(tmp_path: Path) -> None:
    """Exports name the parent by title, with more in brackets; an ambiguous one is a problem."""
    rows: list[list[Any]] = [
        ["Object Type", "Title", "Aligned To", "Target", "Actual Progress"],
        ["Objective", "Grow pipeline", None, None, None],
        ["Objective", "Brand", None, None, None],
        ["Key result", "Pipeline", "Grow pipeline(weight: 50%, Id: 10411)", 10, 4],
        ["Key result", "Visits", "brand", 10, 5],
        ["Deliverable", "Launch ads", "Nope", None, None],
    ]
    tracker = parsed(tmp_path, {"Goals": rows})
    titles = {o.id: o.title for o in tracker.objectives}
    assert {k.title: titles[k.objective_id] for k in tracker.key_results} == {
        "Pipeline": "Grow pipeline",
        "Visits": "Brand",
    }
    assert [k.current for k in tracker.key_results] == [4, 5]
    assert [(p.cell, "Nope" in p.message) for p in tracker.problems] == [("C6", True)]


def test_unreadable_log_lines_are_problems_at_their_cells(tmp_path: Path) -> None:
    """A log line with a bad date, a bad value or no key result is reported at that cell;
    the readable lines still count."""
    tabs: dict[str, list[list[Any]]] = {
        "OKRs": [["Objective", "Key Result", "ID", "Start", "Target"],
                 ["Grow", "MQLs", "K1", 0, 100]],
        "Log": [["Date", "KR", "Value"], ["last week", "K1", 20], [dt.date(2026, 10, 5), "K1",
                "lots"], [dt.date(2026, 10, 6), None, 30], [dt.date(2026, 10, 7), "K1", 40]],
    }  # fmt: skip
    tracker = parsed(tmp_path, tabs, as_of=AS_OF)
    assert [(p.tab, p.cell) for p in tracker.problems] == [("Log", "A2"), ("Log", "C3"),
                                                           ("Log", "B4")]  # fmt: skip
    assert tracker.key_results[0].current == 40


def test_a_grade_out_of_range_is_a_problem_not_a_scale(tmp_path: Path) -> None:
    """One grade of 1.5 among grades out of 1 is a problem at its cell, not a 0-100 column."""
    rows: list[list[Any]] = [["Objective", "Key Result", "Grade"], ["Grow", "MQLs", 0.7],
                             [None, "SQLs", 1.5], [None, "Demos", 0.4]]  # fmt: skip
    tracker = parsed(tmp_path, {"OKRs": rows})
    assert [k.grade for k in tracker.key_results if k.readable] == [0.7, 0.4]
    (problem,) = tracker.problems
    assert (problem.cell, "grade from 0 to 1.0" in problem.message) == ("C3", True)


def test_planned_and_broken_log_lines(tmp_path: Path) -> None:
    """A line without a value is planned, not a problem; an error cell naming the key
    result is a problem at that cell, never a crash."""
    tabs: dict[str, list[list[Any]]] = {
        "OKRs": [["Objective", "Key Result", "ID", "Start", "Target"],
                 ["Grow", "MQLs", "K1", 0, 100]],
        "Log": [["Date", "KR", "Value"], [dt.date(2026, 12, 1), None, None],
                [dt.date(2026, 10, 5), "#N/A", 20], [dt.date(2026, 10, 7), "K1", 40]],
    }  # fmt: skip
    path = write_workbook(tmp_path / "t.xlsx", tabs, errors={"Log": ["B3"]})
    tracker = parse_workbook(ExcelWorkbook(path).read(), DEFAULT_QUARTER, as_of=AS_OF)
    assert [(p.tab, p.cell) for p in tracker.problems] == [("Log", "B3")]
    assert tracker.key_results[0].current == 40


def test_blocks_read_the_same_after_two_syncs(tmp_path: Path) -> None:
    """The tool's columns a sync fills (on heading rows too) do not unmake the blocks."""
    path = okr_sheets.objective_blocks(tmp_path)
    reading = ReadOptions(AS_OF)

    def shape() -> list[tuple[str, list[str]]]:
        tracker = score_source(str(path), reading).tracker
        assert tracker.problems == ()
        return [(o.title, [k.title for k in tracker.key_results if k.objective_id == o.id])
                for o in tracker.objectives]  # fmt: skip

    before = shape()
    assert sync_source(str(path), reading).written_to
    assert shape() == before
    second = sync_source(str(path), reading)
    assert shape() == before
    assert second.plan.cells == ()


def test_a_key_result_with_its_title_alone_stays_a_key_result(tmp_path: Path) -> None:
    """Between other key results, a row holding only a title is a key result, not a heading."""
    rows: list[list[Any]] = [["Key Result", "Start", "Target"], ["Grow pipeline"],
                             ["MQLs", 0, 10], ["Launch beta"], ["Signups", 0, 5]]  # fmt: skip
    tracker = parsed(tmp_path, {"Key Results": rows})
    assert [o.title for o in tracker.objectives] == ["Grow pipeline"]
    assert [k.title for k in tracker.key_results] == ["MQLs", "Launch beta", "Signups"]


def test_lint_points_at_the_title_on_tabs_of_objectives_and_key_results(tmp_path: Path) -> None:
    """On linked tabs, a finding about a row points at its title cell, not its ID."""
    tabs: dict[str, list[list[Any]]] = {
        "Objectives": [["Obj_ID", "Objective"], ["O1", "Grow"]],
        "Key Results": [["KR_ID", "Obj_ID", "Key Result", "Target", "Current"],
                        ["K1", "O1", "Launch the new website", None, None]],
    }  # fmt: skip
    path = write_workbook(tmp_path / "t.xlsx", tabs)
    _, findings = lint_source(str(path), ReadOptions(AS_OF))
    cells = {(f.tab, f.cell) for f in findings if f.cell}
    assert ("Objectives", "B2") in cells
    assert ("Key Results", "C2") in cells
    assert ("Objectives", "A2") not in cells
    assert ("Key Results", "A2") not in cells
