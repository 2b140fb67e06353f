"""The tracker's columns: their names in English and Korean, and finding the header row."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sheets_okr.sources.grid import CellValue

HEADER_SEARCH_ROWS = 10

# Canonical column keys. The tree layout's level columns are OBJECTIVE, KEY_RESULT, ACTION.
ID = "id"
TYPE = "type"
TITLE = "title"
OWNER = "owner"
TEAM = "team"
QUARTER = "quarter"
START = "start"
TARGET = "target"
CURRENT = "current"
UNIT = "unit"
WEIGHT = "weight"
DUE = "due"
STATUS = "status"
CONFIDENCE = "confidence"
COMMITMENT = "commitment"
PARENT = "parent"
OBJECTIVE = "objective"
KEY_RESULT = "key_result"
ACTION = "action"
PROGRESS = "progress"
SCORE = "score"
EXPECTED = "expected"
HEALTH = "health"

# Header names written by `init` and appended by `sync`, in the contract's spelling.
DISPLAY_NAMES: dict[str, str] = {
    ID: "ID",
    TYPE: "Type",
    TITLE: "Title",
    OWNER: "Owner",
    TEAM: "Team",
    QUARTER: "Quarter",
    START: "Start",
    TARGET: "Target",
    CURRENT: "Current",
    UNIT: "Unit",
    WEIGHT: "Weight",
    DUE: "Due",
    STATUS: "Status",
    CONFIDENCE: "Confidence",
    COMMITMENT: "Commitment",
    PARENT: "Parent",
    OBJECTIVE: "Objective",
    KEY_RESULT: "Key Result",
    ACTION: "Action",
    PROGRESS: "Progress",
    SCORE: "Score",
    EXPECTED: "Expected",
    HEALTH: "Health",
}

# Columns the tool writes; a person's edit there is overwritten by the next sync.
TOOL_OWNED = (ID, PROGRESS, SCORE, EXPECTED, HEALTH)
# Columns that define a row's place in the plan, never filled from a merged range.
STRUCTURAL = frozenset({ID, TYPE, TITLE, OBJECTIVE, KEY_RESULT, ACTION, PARENT})

_ALIASES: dict[str, tuple[str, ...]] = {
    ID: ("ID", "Key", "아이디"),
    TYPE: ("Type", "Level", "Kind", "구분", "유형"),
    TITLE: ("Title", "Name", "Description", "제목", "내용"),
    OWNER: ("Owner", "담당자", "책임자"),
    TEAM: ("Team", "Department", "팀", "부서"),
    QUARTER: ("Quarter", "Period", "분기"),
    START: ("Start", "Baseline", "From", "Start value", "시작값", "기준값"),
    TARGET: ("Target", "Goal", "To", "Target value", "목표값"),
    CURRENT: ("Current", "Actual", "Value", "Current value", "현재값", "실적"),
    UNIT: ("Unit", "Units", "단위"),
    WEIGHT: ("Weight", "가중치"),
    DUE: ("Due", "Deadline", "Due date", "마감일", "기한"),
    STATUS: ("Status", "상태"),
    CONFIDENCE: ("Confidence", "확신도"),
    COMMITMENT: ("Commitment", "약속"),
    PARENT: ("Parent", "Aligns to", "Parent ID", "상위"),
    OBJECTIVE: ("Objective", "Objectives", "목표"),
    KEY_RESULT: ("Key Result", "Key Results", "KR", "KRs", "핵심 결과", "주요 결과"),
    ACTION: ("Action", "Actions", "Initiative", "Initiatives", "Task", "행동", "작업"),
    PROGRESS: ("Progress", "진행률"),
    SCORE: ("Score", "점수"),
    EXPECTED: ("Expected", "Pace", "예상"),
    HEALTH: ("Health", "건강도"),
}

_IGNORED_IN_NAMES = re.compile(r"[\s_\-.()]+")


def normalise(name: str) -> str:
    """A header name reduced for matching: case-insensitive, no spaces, `_`, `-`, `.`, `()`."""
    return _IGNORED_IN_NAMES.sub("", name).casefold()


ALIASES: dict[str, str] = {
    normalise(alias): key for key, aliases in _ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class Header:
    """A header row found in a tab: its 0-based row index and each known column's index."""

    row_index: int
    columns: dict[str, int]
    tree_layout: bool


def match_header(cells: Sequence[CellValue]) -> dict[str, int]:
    """The known columns named in a row, by canonical key; the leftmost wins on repeats."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and cell.strip():
            key = ALIASES.get(normalise(cell))
            if key is not None and key not in columns:
                columns[key] = index
    return columns


def find_header(rows: Sequence[Sequence[CellValue]]) -> Header | None:
    """The first of the first 10 rows that names a title and a level, if any.

    A Type column with a Title column makes the type layout; Objective and Key Result
    columns make the tree layout, where the filled level column is also the title.
    """
    for row_index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        columns = match_header(cells)
        if TYPE in columns and TITLE in columns:
            return Header(row_index, columns, tree_layout=False)
        if OBJECTIVE in columns and KEY_RESULT in columns:
            return Header(row_index, columns, tree_layout=True)
    return None
