"""Header names, their English and Korean aliases, and finding the header row of a tab."""

from __future__ import annotations

import pytest

from sheets_okr.read import columns as col
from sheets_okr.read.columns import ALIASES, header_words, normalise
from sheets_okr.read.header import find_header
from sheets_okr.sources.grid import CellValue


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Key Result", "keyresult"),
        ("KEY_RESULT", "keyresult"),
        ("key-result", "keyresult"),
        ("Key.Result", "keyresult"),
        ("Key (Result)", "keyresult"),
        ("  Due   date ", "duedate"),
        ("핵심 결과", "핵심결과"),
    ],
)
def test_normalise_ignores_case_spaces_and_punctuation(name: str, expected: str) -> None:
    """Header names compare without case, spaces, `_`, `-`, `.` and `()`."""
    assert normalise(name) == expected


@pytest.mark.parametrize(
    "header", ["Title", "TITLE", "title", " Title ", "T_i_t_l_e", "Ti-tle", "Title.", "(Title)"]
)
def test_header_variants_map_to_the_same_column(header: str) -> None:
    """Any spelling that normalises to an alias names that column."""
    assert ALIASES[normalise(header)] == col.TITLE


# Every alias of the contract's column table (section 1), in English and Korean.
CONTRACT_ALIASES: dict[str, tuple[str, ...]] = {
    col.ID: ("ID", "Key", "아이디"),
    col.TYPE: ("Type", "Level", "Kind", "구분", "유형"),
    col.TITLE: ("Title", "Name", "Description", "제목", "내용"),
    col.OWNER: ("Owner", "담당자", "책임자"),
    col.TEAM: ("Team", "Department", "팀", "부서"),
    col.QUARTER: ("Quarter", "Period", "분기"),
    col.START: ("Start", "Baseline", "From", "시작값", "기준값"),
    col.TARGET: ("Target", "Goal", "To", "목표값"),
    col.CURRENT: ("Current", "Actual", "Value", "현재값", "실적"),
    col.UNIT: ("Unit", "단위"),
    col.WEIGHT: ("Weight", "가중치"),
    col.DUE: ("Due", "Deadline", "Due date", "마감일", "기한"),
    col.STATUS: ("Status", "상태"),
    col.CONFIDENCE: ("Confidence", "확신도"),
    col.COMMITMENT: ("Commitment", "약속"),
    col.PARENT: ("Parent", "Aligns to", "상위"),
    col.OBJECTIVE: ("Objective",),
    col.KEY_RESULT: ("Key Result",),
    col.ACTION: ("Action",),
}


@pytest.mark.parametrize(
    ("alias", "key"),
    [(alias, key) for key, aliases in CONTRACT_ALIASES.items() for alias in aliases],
)
def test_every_contract_alias_maps_to_its_column(alias: str, key: str) -> None:
    """Each alias in the contract's column table names its column."""
    words = header_words(alias)
    assert words is not None
    assert words.field == key


@pytest.mark.parametrize(
    ("alias", "key"),
    [("목표", col.OBJECTIVE), ("핵심 결과", col.KEY_RESULT), ("주요 결과", col.KEY_RESULT),
     ("KR", col.KEY_RESULT), ("행동", col.ACTION), ("작업", col.ACTION),
     ("Initiative", col.ACTION), ("Task", col.ACTION)],
)  # fmt: skip
def test_tree_level_columns_have_korean_and_synonym_names(alias: str, key: str) -> None:
    """The tree layout's level columns are also found under their Korean and synonym names."""
    words = header_words(alias)
    assert words is not None
    assert words.field == key


def test_target_and_objective_korean_names_do_not_collide() -> None:
    """목표값 (target) and 목표 (objective) name different columns."""
    header = find_header([["목표", "핵심 결과", "목표값"]])
    assert header is not None
    assert (header.columns[col.OBJECTIVE], header.columns[col.TARGET]) == (0, 2)


def test_the_leftmost_of_repeated_columns_is_read() -> None:
    """When two headers name the same column, the leftmost is read and the other asked about."""
    header = find_header([["Type", "Title", "Name", "Owner"]])
    assert header is not None
    assert header.columns == {col.TYPE: 0, col.TITLE: 1, col.OWNER: 3}
    assert [q.header for q in header.questions] == ["Name"]


def test_unknown_and_non_text_header_cells_are_not_columns() -> None:
    """Unknown names, numbers, blanks and dates are not columns."""
    cells: list[CellValue] = ["Deck", 3, None, "", "Type", 2.5, "Title"]
    header = find_header([cells])
    assert header is not None
    assert header.columns == {col.TYPE: 4, col.TITLE: 6}


def test_find_header_on_row_one_type_layout() -> None:
    """A first row naming Type and Title is a type-layout header at index 0."""
    rows: list[list[CellValue]] = [["Type", "Title", "Owner"], ["Objective", "Grow", "Sam"]]
    header = find_header(rows)
    assert header is not None
    assert header.row_index == 0
    assert header.tree_layout is False
    assert header.columns == {col.TYPE: 0, col.TITLE: 1, col.OWNER: 2}


def test_find_header_on_row_seven_below_a_banner() -> None:
    """A header below a title banner and blank rows is found on its own row."""
    rows: list[list[CellValue]] = [
        ["Marketing OKRs, Q4 2026"],
        [],
        ["Owner: Sam", None, "Type"],  # one alias alone is not a header
        [None, None],
        ["Last updated", "2026-10-01"],
        [],
        [None, "구분", "제목", "담당자"],
        [None, "목표", "Grow traffic", "Sam"],
    ]
    header = find_header(rows)
    assert header is not None
    assert header.row_index == 6
    assert header.columns == {col.TYPE: 1, col.TITLE: 2, col.OWNER: 3}


def test_find_header_on_the_tenth_row() -> None:
    """The tenth row is still searched."""
    rows: list[list[CellValue]] = [["banner"] for _ in range(9)]
    rows.append(["Type", "Title"])
    header = find_header(rows)
    assert header is not None
    assert header.row_index == 9


def test_find_header_none_in_the_first_ten_rows() -> None:
    """A header on row 11 or later does not make an OKR tab."""
    rows: list[list[CellValue]] = [["notes"] for _ in range(10)]
    rows.append(["Type", "Title"])
    assert find_header(rows) is None


@pytest.mark.parametrize(
    "rows",
    [[], [[]], [["Type", "Owner"]], [["Title", "Owner", "Target"]], [["Objective", "Action"]]],
)
def test_find_header_needs_a_title_and_a_level(rows: list[list[CellValue]]) -> None:
    """A row without both a title and a level column is not a header."""
    assert find_header(rows) is None


def test_find_header_detects_the_tree_layout() -> None:
    """Objective and Key Result columns make a tree-layout header."""
    rows: list[list[CellValue]] = [["Objective", "Key Result", "Action", "Owner", "Target"]]
    header = find_header(rows)
    assert header is not None
    assert header.tree_layout is True
    assert header.columns[col.OBJECTIVE] == 0
    assert header.columns[col.KEY_RESULT] == 1
    assert header.columns[col.ACTION] == 2


def test_find_header_detects_the_korean_tree_layout() -> None:
    """목표 and 핵심 결과 columns make a tree-layout header."""
    header = find_header([["목표", "핵심 결과", "행동", "담당자"]])
    assert header is not None
    assert header.tree_layout is True


def test_find_header_type_layout_wins_when_both_are_named() -> None:
    """A row naming Type and Title is the type layout even if it also names Objective."""
    header = find_header([["Type", "Title", "Objective", "Key Result"]])
    assert header is not None
    assert header.tree_layout is False


def test_display_names_cover_every_aliased_column() -> None:
    """Every column key has a display name, which is itself one of its aliases."""
    for key in set(ALIASES.values()):
        assert ALIASES[normalise(col.DISPLAY_NAMES[key])] == key
