"""The layouts real trackers use: flat exports, linked tabs, check-in logs, blocks, grades."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.model.tracker import Tracker
from sheets_okr.read.column_map import ColumnMap
from sheets_okr.read.parse import parse_workbook
from sheets_okr.sources.excel.workbook import ExcelWorkbook
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
