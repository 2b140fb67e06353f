"""What scores rest on beyond the cells: an as-of date outside every quarter of the plan."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sheets_okr.model.tracker import Severity
from sheets_okr.score.assumptions import AS_OF_OUTSIDE, as_of_outside, assumptions, of_key_result
from sheets_okr.score.scorecard import score_tracker
from tests.support.workbooks import read, small_rows, write_workbook


def test_an_as_of_date_inside_a_quarter_of_the_plan_assumes_nothing(tmp_path: Path) -> None:
    """2026-11-30 on a 2026-Q4 plan: nothing to say."""
    tracker = read(write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": small_rows()}))
    assert as_of_outside(score_tracker(tracker, dt.date(2026, 11, 30))) is None


def test_an_as_of_date_a_year_off_is_a_plan_wide_warning(tmp_path: Path) -> None:
    """A typo such as 2025-12-06 for a 2026-Q4 plan: a warning naming the plan's quarters."""
    tracker = read(write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": small_rows()}))
    card = score_tracker(tracker, dt.date(2025, 12, 6))
    note = as_of_outside(card)
    assert note is not None
    assert (note.code, note.severity, note.node_id) == (AS_OF_OUTSIDE, Severity.WARNING, "")
    assert "2025-12-06" in note.message
    assert "2026-Q4 (2026-10-01 to 2026-12-31)" in note.message
    assert assumptions(tracker, card)[0] == note  # plan-wide ones come first


def test_an_empty_plan_has_no_quarter_to_be_outside_of(tmp_path: Path) -> None:
    """No objectives: no quarters, so no as-of warning (the empty plan says so itself)."""
    tracker = read(write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": [small_rows()[0]]}))
    assert as_of_outside(score_tracker(tracker, dt.date(2020, 1, 1))) is None


def test_a_key_result_rests_on_its_own_and_its_objectives_assumptions(tmp_path: Path) -> None:
    """A KR's notes are those of its row and of its objective's row, not its neighbours'."""
    rows: list[list[object]] = [
        ["Type", "Title", "Owner", "Start", "Target", "Current"],
        ["Objective", "Grow", "Sam"],
        ["Key Result", "Win 10 deals", "Dana", None, 10, 4],
        ["Key Result", "Reach 30 partners", "Dana", 0, 30, 4],
    ]
    tracker = read(write_workbook(tmp_path / "okrs.xlsx", {"OKRs": rows}))
    notes = assumptions(tracker, score_tracker(tracker, dt.date(2026, 11, 30)))
    first, second = tracker.key_results
    assert [n.code for n in of_key_result(notes, first)] == [
        "quarter-assumed",
        "start-assumed-zero",
    ]
    assert [n.code for n in of_key_result(notes, second)] == ["quarter-assumed"]
