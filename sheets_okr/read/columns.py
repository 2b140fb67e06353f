"""The tracker's columns: their names in English and Korean, and finding the header row."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

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
    "direction": "Direction",
    "grade": "Grade",
    "date": "Date",
    "notes": "Notes",
    "objective_id": "Objective ID",
    "key_result_id": "Key Result ID",
}

# Columns the tool writes; a person's edit there is overwritten by the next sync.
TOOL_OWNED = (ID, PROGRESS, SCORE, EXPECTED, HEALTH)
# Columns that define a row's place in the plan, never filled from a merged range.
STRUCTURAL = frozenset({ID, TYPE, TITLE, OBJECTIVE, KEY_RESULT, ACTION, PARENT})

# Fields only a column map or the layout gives: they have no tool column of their own.
DIRECTION = "direction"
GRADE = "grade"
DATE = "date"
NOTES = "notes"
# A column holding an objective's ID: its own ID on a tab of objectives, else its Parent.
OBJECTIVE_ID = "objective_id"
# A column holding a key result's ID: its own ID, or on a check-in log the key result meant.
KEY_RESULT_ID = "key_result_id"

_ALIASES: dict[str, tuple[str, ...]] = {
    ID: ("ID", "Key", "아이디", "Item ID"),
    TYPE: ("Type", "Level", "Kind", "구분", "유형", "Row type", "Item type", "Object type", "레벨"),
    TITLE: ("Title", "Name", "Description", "제목", "내용", "항목"),
    OWNER: (
        "Owner",
        "담당자",
        "책임자",
        "Assignee",
        "Responsible",
        "Owner name",
        "Lead",
        "DRI",
        "Accountable",
        "담당",
        "오너",
        "책임",
    ),
    TEAM: ("Team", "Department", "팀", "부서", "Team name", "Group", "팀명", "조직"),
    QUARTER: ("Quarter", "Period", "분기", "Cycle", "Time period", "Timeframe"),
    START: (
        "Start",
        "Baseline",
        "From",
        "Start value",
        "시작값",
        "기준값",
        "Initial value",
        "Starting value",
        "Baseline value",
        "keyResultStartValue",
        "KR start value",
        "Start metric",
        "시작",
        "초기값",
        "베이스라인",
    ),
    TARGET: (
        "Target",
        "Goal",
        "To",
        "Target value",
        "목표값",
        "Goal value",
        "Target metric",
        "keyResultTargetValue",
        "KR target value",
        "Desired value",
        "목표치",
        "목표수치",
        "목표 값",
    ),
    CURRENT: (
        "Current",
        "Actual",
        "Value",
        "Current value",
        "현재값",
        "실적",
        "Actual value",
        "Latest",
        "Latest value",
        "keyResultCurrentValue",
        "KR current value",
        "Achieved",
        "Actual progress",
        "현재",
        "현재치",
        "달성",
        "달성값",
        "실제",
    ),
    UNIT: ("Unit", "Units", "단위", "Metric unit", "Unit of measure"),
    WEIGHT: ("Weight", "가중치", "Weighting", "비중"),
    DUE: (
        "Due",
        "Deadline",
        "Due date",
        "마감일",
        "기한",
        "End date",
        "Target date",
        "Finish date",
        "마감",
        "완료일",
        "완료 예정일",
    ),
    STATUS: ("Status", "상태", "State", "진행 상태", "진행상태"),
    CONFIDENCE: (
        "Confidence",
        "확신도",
        "Confidence level",
        "Confidence score",
        "자신감",
        "신뢰도",
    ),
    COMMITMENT: ("Commitment", "약속", "Committed or aspirational", "Objective type"),
    PARENT: ("Parent", "Aligns to", "Parent ID", "상위", "Aligned to", "Parent objective"),
    OBJECTIVE: (
        "Objective",
        "Objectives",
        "목표",
        "Objective title",
        "Objective name",
        "목표명",
        "목표 제목",
    ),
    KEY_RESULT: (
        "Key Result",
        "Key Results",
        "KR",
        "KRs",
        "핵심 결과",
        "주요 결과",
        "Key result title",
        "Key result name",
        "KR title",
        "KR name",
        "핵심성과",
        "핵심 성과",
        "주요성과",
        "성과지표",
        "핵심 결과 지표",
    ),
    ACTION: (
        "Action",
        "Actions",
        "Initiative",
        "Initiatives",
        "Task",
        "행동",
        "작업",
        "Tasks",
        "Action item",
        "Action items",
        "실행 계획",
        "실행과제",
        "실행 과제",
        "액션",
        "이니셔티브",
        "과제",
    ),
    PROGRESS: ("Progress", "진행률"),
    SCORE: ("Score", "점수"),
    EXPECTED: ("Expected", "Pace", "예상"),
    HEALTH: ("Health", "건강도"),
    DIRECTION: ("Direction", "방향", "Higher or lower"),
    GRADE: ("Grade", "평가", "Final grade", "Self grade", "Self-assessment", "채점", "최종 평가"),
    DATE: (
        "Date",
        "Check-in date",
        "Checkin date",
        "Check in date",
        "Recorded",
        "Updated",
        "날짜",
        "일자",
        "기록일",
        "체크인 날짜",
    ),
    NOTES: ("Notes", "Note", "Comment", "Comments", "메모", "비고", "코멘트", "Remarks"),
    OBJECTIVE_ID: (
        "Objective ID",
        "Obj ID",
        "Obj_ID",
        "ObjID",
        "O ID",
        "objectiveId",
        "목표 ID",
        "목표ID",
        "목표 번호",
    ),
    KEY_RESULT_ID: (
        "Key Result ID",
        "KR ID",
        "KR_ID",
        "KRID",
        "keyResultId",
        "핵심결과 ID",
        "핵심 결과 ID",
        "KR 번호",
    ),
}
# Header words that plainly mean a field, but only when no column says it better: "End"
# (an export's target) loses to "Target", "Stretch goal" to "Goal".
_FALLBACK_ALIASES: dict[str, tuple[str, ...]] = {
    TARGET: ("End", "End value", "Stretch goal", "Stretch target", "Stretch"),
    START: ("Begin", "Initial"),
    CURRENT: ("Now", "Today"),
}
# Words that may mean a field but are not read as it without a map: adopt asks about them.
_NEAR_MISSES: dict[str, tuple[str, ...]] = {
    START: ("Base", "Base value", "Previous", "Last quarter", "Benchmark", "전분기", "기준"),
    TARGET: ("Plan", "Planned", "Budget", "Forecast", "Objective value", "계획"),
    CURRENT: ("To date", "YTD", "MTD", "QTD", "Last value", "누적"),
    GRADE: ("Final score", "Rating", "Self score", "Achievement"),
}

_IGNORED_IN_NAMES = re.compile(r"[\s_\-.()]+")


def normalise(name: str) -> str:
    """A header name reduced for matching: case-insensitive, no spaces, `_`, `-`, `.`, `()`."""
    return _IGNORED_IN_NAMES.sub("", name).casefold()


ALIASES: dict[str, str] = {
    normalise(alias): key for key, aliases in _ALIASES.items() for alias in aliases
}
FALLBACK_ALIASES: dict[str, str] = {
    normalise(alias): key for key, aliases in _FALLBACK_ALIASES.items() for alias in aliases
}
NEAR_MISSES: dict[str, str] = {
    normalise(alias): key for key, aliases in _NEAR_MISSES.items() for alias in aliases
}
# The tool's own columns beside people's of the same name: "Score (sheets-okr)".
TOOL_MARK = "sheets-okr"
_MARK = normalise(TOOL_MARK)


# The headers of the columns the tool appends to a tab headed in Korean: names it reads back.
KOREAN_NAMES = {ID: "ID", PROGRESS: "진행률", SCORE: "점수", EXPECTED: "예상", HEALTH: "건강도"}


def marked_name(key: str, lang: str = "en") -> str:
    """The header of the tool's own column beside a people's one: "Score (sheets-okr)"."""
    return f"{tool_header(key, lang)} ({TOOL_MARK})"


def tool_header(key: str, lang: str = "en") -> str:
    """The header the tool gives a column it appends, in the tab's language."""
    return KOREAN_NAMES.get(key, DISPLAY_NAMES[key]) if lang == "ko" else DISPLAY_NAMES[key]


class Strength(StrEnum):
    """How surely a header names a field."""

    NAME = "name"  # one of the field's names
    FALLBACK = "fallback"  # a weaker name, taken when no column has a better one
    NEAR = "near"  # may mean the field; not read without a map
    MARKED = "marked"  # the tool's own column: "Score (sheets-okr)"


@dataclass(frozen=True)
class HeaderWords:
    """What a header cell's words say: the field, how surely, and a unit in brackets."""

    field: str
    strength: Strength
    unit: str = ""  # "USD" of "Target (USD)"
    ambiguous: bool = False  # 목표: the objective or the target, told apart by content
    level: str = ""  # a level its name is prefixed with: keyResultOwnerName, objectiveOwner


# Text in brackets after a name: "Target (USD)", "목표(Objective)", "Current [%]".
_BRACKETED = re.compile(r"^(?P<outer>[^(\[（【]*)[(\[（【](?P<inner>[^)\]）】]*)[)\]）】]\s*$")
_SPLITS = re.compile(r"\s+/\s+|\s*[|｜/]\s*|\n")
_AMBIGUOUS = normalise("목표")


def _words_of(text: str) -> HeaderWords | None:
    key = normalise(text)
    if not key:
        return None
    if key in ALIASES:
        return HeaderWords(ALIASES[key], Strength.NAME, ambiguous=key == _AMBIGUOUS)
    if key in FALLBACK_ALIASES:
        return HeaderWords(FALLBACK_ALIASES[key], Strength.FALLBACK)
    if key in NEAR_MISSES:
        return HeaderWords(NEAR_MISSES[key], Strength.NEAR)
    # Exports name a level's fields with its prefix: keyResultOwnerName, objectiveStatus.
    for prefix, level in _LEVEL_PREFIXES:
        rest = key.removeprefix(prefix)
        if rest != key and rest in ALIASES and ALIASES[rest] not in _LEVEL_TITLES:
            return HeaderWords(ALIASES[rest], Strength.NAME, level=level)
    return None


_LEVEL_PREFIXES = (("keyresult", KEY_RESULT), ("kr", KEY_RESULT), ("objective", OBJECTIVE),
                   ("obj", OBJECTIVE))  # fmt: skip
_LEVEL_TITLES = frozenset({OBJECTIVE, KEY_RESULT, ACTION, TYPE})


def header_words(text: str) -> HeaderWords | None:
    """What a header names, if anything: its own name first; then a name with a unit or a
    translation in brackets ("Target (USD)", "목표(Objective)"); then bilingual halves
    ("Target / 목표값"). Halves that disagree are a question, never a guess."""
    whole = _words_of(text)
    if whole is not None:
        return whole
    bracketed = _BRACKETED.match(text.strip())
    if bracketed:
        outer, inner = bracketed["outer"].strip(), bracketed["inner"].strip()
        if normalise(inner) == _MARK:
            named = _words_of(outer)
            if named is not None and named.field in TOOL_OWNED:
                return HeaderWords(named.field, Strength.MARKED)
            return None
        return _agreeing(_words_of(outer), _words_of(inner), unit=inner)
    halves = [part for part in _SPLITS.split(text.strip()) if part.strip()]
    if len(halves) == 2:
        return _agreeing(_words_of(halves[0]), _words_of(halves[1]), unit="")
    return None


def _agreeing(
    first: HeaderWords | None, second: HeaderWords | None, unit: str
) -> HeaderWords | None:
    """One field from two names for it; an unknown second name is the unit of the first."""
    if first is None and second is None:
        return None
    if first is None or second is None:
        known = first or second
        assert known is not None
        if second is None and unit and known.field in (START, TARGET, CURRENT):
            return HeaderWords(known.field, known.strength, unit=unit)
        if first is None:  # a name only in brackets: "(Target)" after unknown words
            return HeaderWords(known.field, Strength.NEAR)
        return HeaderWords(known.field, known.strength)
    if first.field == second.field:
        return HeaderWords(first.field, min(first.strength, second.strength, key=_RANK.index))
    # 목표 is the objective or the target: the other half says which.
    if first.ambiguous and second.field in (OBJECTIVE, TARGET):
        return second
    if second.ambiguous and first.field in (OBJECTIVE, TARGET):
        return first
    return HeaderWords(first.field, Strength.NEAR)


_RANK = [Strength.NAME, Strength.FALLBACK, Strength.NEAR, Strength.MARKED]
