"""What reading assumes to score a row is recorded beside it: a blank Start, a missing Target,
mixed units, a guessed quarter; and a sentence in a number cell is a problem, not a number."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Assumption, Severity, Tracker
from sheets_okr.read.parse import parse_workbook
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.workbooks import DEFAULT_QUARTER, Rows, write_workbook

HEADER = ["Type", "Title", "Owner", "Start", "Target", "Current"]  # D Start, E Target, F Current


def _read(tmp_path: Path, rows: list[list[Any]], tab: str = "2026-Q4", **options: Any) -> Tracker:
    path = write_workbook(tmp_path / "okrs.xlsx", {tab: [HEADER, *rows]})
    return parse_workbook(ExcelWorkbook(path).read(), DEFAULT_QUARTER, **options)


def _only(tracker: Tracker, code: str) -> Assumption:
    (found,) = [a for a in tracker.assumptions if a.code == code]
    return found


def _plan(*krs: list[Any]) -> list[list[Any]]:
    return [["Objective", "Grow the pipeline", "Sam"], *krs]


def test_a_blank_start_is_said_at_its_cell_as_information(tmp_path: Path) -> None:
    """Start blank, Current below Target: taken as 0, an info at the Start cell of that KR."""
    tracker = _read(tmp_path, _plan(["Key Result", "Win 10 deals", "Dana", None, 10, 4]))
    note = _only(tracker, "start-assumed-zero")
    (kr,) = tracker.key_results
    assert (note.severity, note.tab, note.cell, note.node_id) == (
        Severity.INFO, "2026-Q4", "D3", kr.id,
    )  # fmt: skip
    assert kr.start == 0.0  # the score formula does not change; the silence does
    assert note.message.startswith("Start is blank and taken as 0")


@pytest.mark.parametrize(
    ("title", "target", "current"),
    [("Reduce cost per MQL to $120", "$120", "$156"), ("Median days to close: 45", 45, 52)],
)
def test_a_blank_start_with_current_past_the_target_is_a_warning(
    tmp_path: Path, title: str, target: Any, current: Any
) -> None:
    """Lower-is-better KRs with a blank Start look done at once: that guess gets a warning."""
    tracker = _read(tmp_path, _plan(["Key Result", title, "Kim", None, target, current]))
    note = _only(tracker, "start-assumed-zero")
    assert note.severity is Severity.WARNING
    assert "if lower is better, type the starting value in Start" in note.message


def test_a_start_of_zero_typed_in_the_cell_assumes_nothing(tmp_path: Path) -> None:
    """A 0 people typed is their value, not a guess."""
    tracker = _read(tmp_path, _plan(["Key Result", "Win 10 deals", "Dana", 0, 10, 4]))
    assert tracker.assumptions == ()


def test_current_without_target_keeps_its_value_and_says_it_is_a_milestone(
    tmp_path: Path,
) -> None:
    """A number in Current with no Target: scored as a milestone, said as a warning, and the
    number is kept (JSON and History show it)."""
    tracker = _read(tmp_path, _plan(["Key Result", "Close 45 deals", "Dana", None, None, 52]))
    (kr,) = tracker.key_results
    assert kr.is_milestone
    assert (kr.current, kr.milestone_done) == (52.0, False)
    note = _only(tracker, "target-missing")
    assert (note.severity, note.cell) == (Severity.WARNING, "E3")


def test_a_milestone_done_by_a_one_keeps_its_current(tmp_path: Path) -> None:
    """Current 1 marks a milestone done and stays 1; nothing is assumed."""
    tracker = _read(
        tmp_path, _plan(["Key Result", "Launch the pricing page", "Lee", None, None, 1])
    )
    (kr,) = tracker.key_results
    assert (kr.current, kr.milestone_done) == (1.0, True)
    assert tracker.assumptions == ()


@pytest.mark.parametrize(
    ("start", "target"), [("$100", "100 MQLs"), ("10%", 30), (5, "30%"), ("₩1,000", "1,000 USD")]
)
def test_start_and_target_in_different_units_are_a_warning(
    tmp_path: Path, start: Any, target: Any
) -> None:
    """Units that differ are compared as plain numbers: a warning at the Target cell."""
    tracker = _read(tmp_path, _plan(["Key Result", "Grow", "Lee", start, target, None]))
    note = _only(tracker, "unit-differs")
    assert (note.severity, note.cell) == (Severity.WARNING, "E3")


@pytest.mark.parametrize(
    ("start", "target"),
    [("$100", "$200"), (100, "$200"), ("10%", "30%"), ("1 MQL", "30 MQLs"), (0.1, "30%")],
)
def test_the_same_unit_or_a_bare_number_assumes_nothing(
    tmp_path: Path, start: Any, target: Any
) -> None:
    """$100 to $200, 100 to $200, 10% to 30% and 1 MQL to 30 MQLs need no assumption."""
    tracker = _read(tmp_path, _plan(["Key Result", "Grow", "Lee", start, target, None]))
    assert [a.code for a in tracker.assumptions] == []


@pytest.mark.parametrize(
    "cell",
    [
        "1 Stellenausschreibung mit Videocontent ist online.",
        "2 Stellenausschreibungen sind online.",
    ],
)
def test_a_sentence_in_target_is_a_problem_not_a_number(tmp_path: Path, cell: str) -> None:
    """A sentence holding a number is not read as that number: the row is left out, said."""
    tracker = _read(tmp_path, _plan(["Key Result", "Hire", "Lee", 0, cell, None]))
    (problem,) = tracker.problems
    assert problem.cell == "E3"
    assert "is a sentence, not a number" in problem.message
    assert not tracker.key_results[0].readable


def test_tabs_named_q1_to_q4_keep_their_quarters_apart(tmp_path: Path) -> None:
    """Tabs "Q1".."Q4" with no year are four quarters of the as-of year, each said once per
    objective, instead of all merging into the as-of quarter."""
    tabs: dict[str, Rows] = {
        f"Q{n}": [HEADER, ["Objective", f"Grow in Q{n}", "Sam"]] for n in range(1, 5)
    }
    path = write_workbook(tmp_path / "okrs.xlsx", tabs)
    tracker = parse_workbook(ExcelWorkbook(path).read(), Quarter(2026, 4))
    assert [str(o.quarter) for o in tracker.objectives] == [f"2026-Q{n}" for n in range(1, 5)]
    assert [a.code for a in tracker.assumptions] == ["quarter-year-assumed"] * 4
    assert all(a.severity is Severity.INFO for a in tracker.assumptions)


@pytest.mark.parametrize(("tab", "quarter"), [("GJ 26-27-Q2", "2027-Q2"), ("FY26 Q3", "2026-Q3")])
def test_two_digit_fiscal_labels_are_read(tmp_path: Path, tab: str, quarter: str) -> None:
    """Fiscal labels with two-digit years are read, named by the year they end in."""
    tracker = _read(tmp_path, _plan(), tab=tab)
    assert str(tracker.objectives[0].quarter) == quarter
    assert tracker.assumptions == ()


def test_a_quarter_label_not_understood_is_a_warning(tmp_path: Path) -> None:
    """A tab that seems to name a quarter but does not parse is not silently the default."""
    tracker = _read(tmp_path, _plan(), tab="Q9 Planung")
    note = _only(tracker, "quarter-label-unknown")
    assert note.severity is Severity.WARNING
    assert '"Q9 Planung"' in note.message


def test_a_tab_without_any_quarter_says_which_quarter_it_assumed(tmp_path: Path) -> None:
    """No Quarter cell and a tab name without a quarter: counted in the default, said."""
    tracker = _read(tmp_path, _plan(), tab="OKRs")
    note = _only(tracker, "quarter-assumed")
    assert (note.severity, note.node_id) == (Severity.INFO, tracker.objectives[0].id)
    assert str(DEFAULT_QUARTER) in note.message


def test_a_quarter_given_on_the_command_line_is_not_an_assumption(tmp_path: Path) -> None:
    """--quarter (or a configured quarter) is the user's word: nothing to say."""
    tracker = _read(tmp_path, _plan(), tab="OKRs", quarter_given=True)
    assert tracker.assumptions == ()


def test_every_assumption_message_is_one_sentence_of_advice(tmp_path: Path) -> None:
    """Assumptions read like lint findings: one sentence, capitalised, ending in a period."""
    tracker = _read(tmp_path, [
        ["Objective", "Grow", "Sam"],
        ["Key Result", "Cost", "Kim", None, 120, 156],
        ["Key Result", "Deals", "Kim", None, None, 52],
        ["Key Result", "Mix", "Kim", "10%", 30, None],
    ], tab="Q9 draft")  # fmt: skip
    assert len(tracker.assumptions) == 4
    for note in tracker.assumptions:
        assert note.message[0].isupper(), note
        assert note.message.endswith("."), note
