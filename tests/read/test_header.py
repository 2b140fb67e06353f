"""Finding the header row: what each column holds, why, and which layout a tab has."""

from __future__ import annotations

from typing import Any

import pytest

from sheets_okr.read import columns as col
from sheets_okr.read.column_map import ColumnMap
from sheets_okr.read.columns import Strength, header_words, marked_name
from sheets_okr.read.header import Layout, find_header


def header_of(rows: list[list[Any]], tab: str = "OKRs", cmap: ColumnMap | None = None) -> Any:
    header = find_header(rows, tab, cmap)
    assert header is not None
    return header


@pytest.mark.parametrize(
    ("text", "field", "unit"),
    [
        ("Target (USD)", col.TARGET, "USD"),
        ("Current (%)", col.CURRENT, "%"),
        ("Start [MQLs]", col.START, "MQLs"),
        ("목표(Objective)", col.OBJECTIVE, ""),
        ("Objective (목표)", col.OBJECTIVE, ""),
        ("목표 (Target)", col.TARGET, ""),
        ("Target / 목표값", col.TARGET, ""),
        ("keyResultTargetValue", col.TARGET, ""),
        ("keyResultCurrentValue", col.CURRENT, ""),
        ("핵심성과", col.KEY_RESULT, ""),
        ("시작", col.START, ""),
        ("현재", col.CURRENT, ""),
        ("Obj_ID", col.OBJECTIVE_ID, ""),
        ("KR_ID", col.KEY_RESULT_ID, ""),
        ("Actual", col.CURRENT, ""),
        ("Baseline", col.START, ""),
    ],
)
def test_header_words_read_units_translations_and_export_names(
    text: str, field: str, unit: str
) -> None:
    """Brackets give a unit or a translation; camelCase export names and Korean names match."""
    words = header_words(text)
    assert words is not None
    assert (words.field, words.strength, words.unit) == (field, Strength.NAME, unit)


@pytest.mark.parametrize(
    ("text", "field", "strength"),
    [
        ("End", col.TARGET, Strength.FALLBACK),
        ("Stretch Goal", col.TARGET, Strength.FALLBACK),
        ("Base", col.START, Strength.NEAR),
        ("Plan", col.TARGET, Strength.NEAR),
        ("Score (sheets-okr)", col.SCORE, Strength.MARKED),
    ],
)
def test_header_words_tell_weaker_names_apart(text: str, field: str, strength: Strength) -> None:
    """Fallback names, near names and the tool's marked columns are told apart."""
    words = header_words(text)
    assert words is not None
    assert (words.field, words.strength) == (field, strength)


def test_disagreeing_halves_are_a_question_not_a_guess() -> None:
    """A header naming two fields (Owner / Target) is read as neither without a map."""
    words = header_words("Owner / Target")
    assert words is not None
    assert words.strength is Strength.NEAR


def test_korean_objective_twice_is_told_apart_by_content() -> None:
    """Of two 목표 columns, the one of text is the objective and the one of numbers the target."""
    rows: list[list[Any]] = [["목표", "핵심성과", "시작", "목표", "현재"],
            ["리드 확대", "MQL", 100, "300", 200],
            [None, "웨비나 등록", 0, "500명", 250]]  # fmt: skip
    header = header_of(rows)
    assert header.columns[col.OBJECTIVE] == 0
    assert header.columns[col.TARGET] == 3
    assert header.layout is Layout.TREE
    (choice,) = [c for c in header.choices if c.index == 3]
    assert "numbers" in choice.reason


def test_a_fallback_name_waits_for_a_better_column() -> None:
    """ "End" is the target only when no column is named Target; beside one it is a question."""
    alone = header_of([["Objective", "Key Result", "Start", "End"], ["O", "K", 0, 10]])
    assert alone.columns[col.TARGET] == 3
    beside = header_of([["Objective", "Key Result", "End", "Target"], ["O", "K", 5, 10]])
    assert beside.columns[col.TARGET] == 3
    assert [q.header for q in beside.questions] == ["End"]


def test_a_fallback_name_over_dates_is_not_a_number_column() -> None:
    """ "End" over dates is not taken as the target: it is asked about."""
    rows = [["Objective", "Key Result", "End"], ["O", "K", "2026-12-31"]]
    header = header_of(rows)
    assert col.TARGET not in header.columns
    assert header.questions[0].maybe == col.TARGET


def test_near_names_are_questions() -> None:
    """ "Base" is not read as Start; adopt asks about it."""
    header = header_of([["Objective", "Key Result", "Base", "Target"]])
    assert col.START not in header.columns
    (question,) = header.questions
    assert (question.header, question.maybe) == ("Base", col.START)


def test_the_map_wins_and_no_other_column_gets_its_field() -> None:
    """A mapped column takes its field; a column named like it is then not read as it."""
    cmap = ColumnMap({"Letzter Wert": "current", "Base": "start", "Target": "ignore",
                      "column:F": "target"})  # fmt: skip
    rows = [["Objective", "Key Result", "Base", "Letzter Wert", "Target", "Goal 2"]]
    header = header_of(rows, cmap=cmap)
    assert header.columns[col.START] == 2
    assert header.columns[col.CURRENT] == 3
    assert header.columns[col.TARGET] == 5
    assert header.choices[4].field is None


def test_a_tab_entry_wins_over_every_tab() -> None:
    """[tabs."X".columns] entries apply to their tab only, over [columns]."""
    cmap = ColumnMap({"Score": "grade"}, {"Team OKRs": {"Score": "ignore"}})
    rows = [["Objective", "Key Result", "Score"]]
    assert header_of(rows, "Team OKRs", cmap).columns.get(col.GRADE) is None
    assert header_of(rows, "Other", cmap).columns[col.GRADE] == 2


@pytest.mark.parametrize(
    ("rows", "tab", "layout"),
    [
        ([["Type", "Title"]], "OKRs", Layout.TYPE),
        ([["Objective", "Key Result"]], "OKRs", Layout.TREE),
        ([["Obj_ID", "Objective", "Owner"]], "Objectives", Layout.OBJECTIVES),
        ([["KR_ID", "Obj_ID", "Key Result", "Target"]], "Key Results", Layout.KEY_RESULTS),
        ([["Title", "Target", "Current"]], "Key Results", Layout.KEY_RESULTS),
        ([["Date", "KR_ID", "Value"]], "Check-ins", Layout.LOG),
        ([["Date", "Key Result", "Current"]], "Anything", Layout.LOG),
    ],
)
def test_layouts(rows: list[list[Any]], tab: str, layout: Layout) -> None:
    """Each layout is recognised from its columns (and, for one-level tabs, the tab's name)."""
    assert header_of(rows, tab).layout is layout


def test_ids_follow_the_layout() -> None:
    """An objective ID column is the row's ID on a tab of objectives and its Parent on KRs."""
    objectives = header_of([["Obj_ID", "Objective"]], "Objectives")
    assert objectives.columns[col.ID] == 0
    key_results = header_of([["KR_ID", "Obj_ID", "Key Result", "Target"]], "KRs")
    assert (key_results.columns[col.ID], key_results.columns[col.PARENT]) == (0, 1)
    log = header_of([["Date", "KR_ID", "Value"]], "Log")
    assert log.columns[col.KEY_RESULT] == 1


def test_marked_tool_columns_are_found() -> None:
    """The tool's "Score (sheets-okr)" column is known as the tool's, beside people's Score."""
    rows = [["Type", "Title", "Score", marked_name(col.SCORE)]]
    header = header_of(rows)
    assert header.columns[col.SCORE] == 2
    assert header.marked_columns == {col.SCORE: 3}


@pytest.mark.parametrize(
    "rows", [[["Name", "Owner", "Target"]], [["Title", "Owner"]], [["Date", "Amount"]]]
)
def test_other_tabs_are_not_okr_tabs(rows: list[list[Any]]) -> None:
    """A budget or a contact list is no OKR tab."""
    assert find_header(rows, "Budget") is None


def test_a_letter_entry_names_a_column_past_the_last_header_cell() -> None:
    """ "column:D" reads column D even where the header row ends at C (a CSV's short row)."""
    cmap = ColumnMap({"column:D": "current"})
    header = header_of([["Objective", "Key Result", "Target"], ["O", "K", 10, 4]], cmap=cmap)
    assert header.columns[col.CURRENT] == 3


def test_a_mapped_header_keeps_the_unit_in_its_brackets() -> None:
    """A map entry for "Target (USD)" still gives the key results the unit USD."""
    cmap = ColumnMap({"Target (USD)": "target"})
    header = header_of([["Objective", "Key Result", "Target (USD)"]], cmap=cmap)
    assert header.units == {col.TARGET: "USD"}


def test_a_log_names_key_results_by_their_id_column() -> None:
    """With both a KR ID and a Key Result column, a log reads the ID (titles may repeat)."""
    header = header_of([["Date", "KR ID", "Key Result", "Value"]], "Log")
    assert header.layout is Layout.LOG
    assert header.columns[col.KEY_RESULT] == 1
    (title,) = [c for c in header.choices if c.index == 2]
    assert title.field is None
