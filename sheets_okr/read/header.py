"""Finding a tab's header row and deciding what each column holds, and the tab's layout.

A column's field comes from the column map when it names one, else from the header's words
(read/columns.py), and for the Korean 목표, which teams use for the objective and the target
alike, from what the cells below it hold. What the tool will not guess (a near name such as
`Base`, a name repeated) is kept as a question for `adopt` to ask.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum

from sheets_okr.a1 import column_letter
from sheets_okr.model.tracker import Level
from sheets_okr.read import columns as col
from sheets_okr.read.column_map import IGNORE, ColumnMap
from sheets_okr.read.columns import HEADER_SEARCH_ROWS, Strength, header_words
from sheets_okr.read.values import Unreadable, read_quantity
from sheets_okr.sources.grid import CellValue

_CONTENT_SAMPLE = 200  # rows below a header looked at to tell numbers from text


class Layout(StrEnum):
    """How a tab lays out its plan."""

    TYPE = "type"  # a Type column says each row's level; Title holds its text
    TREE = "tree"  # Objective / Key Result / Action columns; flat exports repeat the objective
    OBJECTIVES = "objectives"  # one objective per row, linked to key results by its ID
    KEY_RESULTS = "key_results"  # one KR per row, under a heading row or a Parent / objective ID
    LOG = "log"  # check-ins: a date, the key result, its value


class ChoiceKind(StrEnum):
    """What decided a column's field (or that it has none)."""

    MAP = "map"  # the column map names it
    MAP_CONFLICT = "map_conflict"  # the map gives its field to another column too
    NAME = "name"  # its header's words (and, for some, the cells below)
    QUESTION = "question"  # a near name or a repeated one: not guessed
    NOT_READ = "not_read"  # a name the tool knows, but not read here (another column has it)
    TOOL = "tool"  # the tool's own column: "Score (sheets-okr)"
    NOT_NAMED = "not_named"  # no field has this name


@dataclass(frozen=True)
class ColumnChoice:
    """What one header cell was taken to hold, and why; `question` when it was not guessed."""

    index: int
    header: str
    field: str | None
    reason: str
    question: str = ""
    maybe: str | None = None  # the field a question is about
    kind: ChoiceKind = ChoiceKind.NAME


@dataclass(frozen=True)
class Header:
    """A tab's header row (0-based), each read column's index by field, and its layout."""

    row_index: int
    columns: dict[str, int]
    layout: Layout
    choices: tuple[ColumnChoice, ...] = ()
    units: dict[str, str] = field(default_factory=dict)  # a unit a header gives in brackets
    marked_columns: dict[str, int] = field(default_factory=dict)  # "Score (sheets-okr)"

    @property
    def tree_layout(self) -> bool:
        """True when Objective / Key Result / Action columns give each row's level."""
        return self.layout is Layout.TREE

    @property
    def level(self) -> Level | None:
        """The one level of every row on a tab of objectives or of key results."""
        return {Layout.OBJECTIVES: Level.OBJECTIVE, Layout.KEY_RESULTS: Level.KEY_RESULT}.get(
            self.layout
        )

    @property
    def title_key(self) -> str | None:
        """The column holding each row's title on a one-level tab."""
        if self.layout is Layout.OBJECTIVES:
            return col.OBJECTIVE if col.OBJECTIVE in self.columns else col.TITLE
        if self.layout is Layout.KEY_RESULTS:
            return col.KEY_RESULT if col.KEY_RESULT in self.columns else col.TITLE
        return col.TITLE if self.layout is Layout.TYPE else None

    @property
    def questions(self) -> tuple[ColumnChoice, ...]:
        """The columns the tool would not guess at."""
        return tuple(choice for choice in self.choices if choice.question)


_OBJECTIVE_TABS = frozenset(
    col.normalise(n) for n in ("Objectives", "Objective", "목표", "목표 목록")
)
_KEY_RESULT_TABS = frozenset(col.normalise(n) for n in (
    "Key Results", "Key Result", "KRs", "KR", "핵심 결과", "핵심성과", "주요 결과", "성과지표",
))  # fmt: skip
_LOG_TABS = frozenset(col.normalise(n) for n in (
    "Check-ins", "Checkins", "Check-in log", "Log", "Updates", "Progress log", "체크인", "기록",
    "진척 기록", "업데이트",
))  # fmt: skip
_KR_NUMBERS = (col.START, col.TARGET, col.CURRENT, col.GRADE)


def find_header(
    rows: Sequence[Sequence[CellValue]], tab: str = "", column_map: ColumnMap | None = None
) -> Header | None:
    """The first of the first 10 rows that makes the tab an OKR tab (or a check-in log)."""
    for row_index in range(min(len(rows), HEADER_SEARCH_ROWS)):
        header = read_header_row(rows, row_index, tab, column_map)
        if header is not None:
            return header
    return None


def read_header_row(
    rows: Sequence[Sequence[CellValue]],
    row_index: int,
    tab: str,
    column_map: ColumnMap | None = None,
) -> Header | None:
    """The header a row makes, or None when its columns make no layout."""
    cells = rows[row_index]
    cmap = column_map or ColumnMap()
    columns: dict[str, int] = {}
    choices: dict[int, ColumnChoice] = {}
    units: dict[str, str] = {}
    named = _mapped(cells, tab, cmap, columns, choices, units)
    below = rows[row_index + 1 : row_index + 1 + _CONTENT_SAMPLE]
    _by_name(named, below, set(columns), columns, choices, units)
    marked: dict[str, int] = {}
    for index, text, words in named:
        if words.strength is Strength.NEAR and index not in choices:
            choices[index] = _question(index, text, words.field, "a near name, not read")
        elif words.strength is Strength.MARKED and index not in choices:
            marked.setdefault(words.field, index)
            choices[index] = ColumnChoice(
                index, text, None, "the tool's own column", kind=ChoiceKind.TOOL
            )
    layout = _layout(columns, tab)
    if layout is None:
        return None
    _resolve_ids(columns, layout)
    for field_name, index in columns.items():  # the layout may have renamed a column's field
        choice = choices.get(index)
        if choice is not None and choice.field not in (field_name, None):
            choices[index] = replace(choice, field=field_name, reason=f"{choice.reason}; "
                                     f"read as the {field_name} in this layout")  # fmt: skip
    for index, choice in list(choices.items()):  # a field another column holds after all
        if choice.field is not None and columns.get(choice.field) != index:
            other = column_letter(columns[choice.field]) if choice.field in columns else "none"
            choices[index] = replace(
                choice, field=None, kind=ChoiceKind.NOT_READ,
                reason=f"{choice.reason}; column {other} is read as the {choice.field} here",
            )  # fmt: skip
    for index, cell in enumerate(cells):
        if index not in choices and isinstance(cell, str) and cell.strip():
            choices[index] = ColumnChoice(
                index, cell.strip(), None, NOT_NAMED, kind=ChoiceKind.NOT_NAMED
            )
    ordered = tuple(choices[i] for i in sorted(choices))
    return Header(row_index, columns, layout, ordered, units, marked)


_Named = list[tuple[int, str, col.HeaderWords]]


def _mapped(
    cells: Sequence[CellValue],
    tab: str,
    cmap: ColumnMap,
    columns: dict[str, int],
    choices: dict[int, ColumnChoice],
    units: dict[str, str],
) -> _Named:
    """Give the columns the map names their fields; the others' header words, to read next."""
    named: _Named = []
    # A "column:E" entry names a column even past the last header cell (a CSV's short row).
    width = max(len(cells), max(cmap.letter_columns(tab), default=-1) + 1)
    for index in range(width):
        cell = cells[index] if index < len(cells) else None
        text = cell.strip() if isinstance(cell, str) else ""
        mapped = cmap.field_for(tab, text, column_letter(index))
        words = header_words(text) if text else None
        if mapped is None:
            if words is not None:
                named.append((index, text, words))
            continue
        if mapped != IGNORE and mapped in columns:
            first = column_letter(columns[mapped])
            choices[index] = ColumnChoice(
                index, text, None, "the map gives its field to two columns",
                question=f"the map gives {mapped} to column {first} too; the first is read",
                maybe=mapped, kind=ChoiceKind.MAP_CONFLICT,
            )  # fmt: skip
            continue
        if mapped != IGNORE:
            columns[mapped] = index
            if words is not None and words.unit and mapped in (col.START, col.TARGET, col.CURRENT):
                units[mapped] = words.unit  # "Target (USD)" mapped still says its unit
        field_name = None if mapped == IGNORE else mapped
        choices[index] = ColumnChoice(
            index, text, field_name, "the column map says so", kind=ChoiceKind.MAP
        )
    return named


def _by_name(
    named: _Named,
    below: Sequence[Sequence[CellValue]],
    given: set[str],
    columns: dict[str, int],
    choices: dict[int, ColumnChoice],
    units: dict[str, str],
) -> None:
    """Give columns the fields their names say, plain names before fallback ones, and note
    the units their brackets give."""
    # A key result's own columns first (keyResultOwnerName before ownerName), then plain
    # names, then fallback ones; an objective's prefixed fields are not read.
    order = sorted(named, key=lambda n: (n[2].level != col.KEY_RESULT, n[0]))
    prefixed: set[str] = set()
    for strength in (Strength.NAME, Strength.FALLBACK):
        for index, text, words in order:
            if words.strength is not strength:
                continue
            field_name, reason = words.field, "its name"
            if words.level == col.OBJECTIVE and field_name not in (col.ID, col.TITLE):
                choices[index] = ColumnChoice(index, text, None, "the objective's own"
                                              f" {field_name}, not read",
                                              kind=ChoiceKind.NOT_READ)  # fmt: skip
                continue
            if words.ambiguous:
                numbers = _mostly_numbers(below, index)
                field_name = col.TARGET if numbers else col.OBJECTIVE
                reason = f"its name, 목표, and the {'numbers' if numbers else 'text'} below it"
            elif strength is Strength.FALLBACK:
                if not _mostly_numbers(below, index):
                    choices[index] = _question(index, text, field_name, "its cells are no numbers")
                    continue
                reason = "its name and the numbers below it"
            if field_name in given:
                choices[index] = ColumnChoice(
                    index,
                    text,
                    None,
                    "the map gives its field to another column",
                    kind=ChoiceKind.NOT_READ,
                )
                continue
            if field_name in columns:
                first = column_letter(columns[field_name])
                if field_name in prefixed:  # ownerName beside keyResultOwnerName
                    why = f"the objective's {field_name} (the key result's is column {first})"
                    choices[index] = ColumnChoice(
                        index, text, None, f"{why}, not read", kind=ChoiceKind.NOT_READ
                    )
                    continue
                why = f"column {first} is read as {field_name} already"
                choices[index] = _question(index, text, field_name, why)
                continue
            if words.level == col.KEY_RESULT:
                prefixed.add(field_name)
                reason = "its name, the key result's"
            columns[field_name] = index
            if words.unit:
                units[field_name] = words.unit
            choices[index] = ColumnChoice(index, text, field_name, reason)


def _question(index: int, text: str, maybe: str, why: str) -> ColumnChoice:
    return ColumnChoice(index, text, None, why, question=f'is "{text}" the {maybe}?',
                        maybe=maybe, kind=ChoiceKind.QUESTION)  # fmt: skip


NOT_NAMED = "no field has this name"


def _layout(columns: dict[str, int], tab: str) -> Layout | None:
    """The layout a header's columns make, or None when they make none."""
    has = columns.__contains__
    tab_name = col.normalise(tab)
    if has(col.KEY_RESULT) and has(col.TITLE) and not (has(col.OBJECTIVE) or has(col.TYPE)):
        # An export's plain "title" beside its keyResultTitle is the objective's.
        columns[col.OBJECTIVE] = columns.pop(col.TITLE)
    if has(col.OBJECTIVE) and has(col.TITLE) and not (has(col.KEY_RESULT) or has(col.TYPE)):
        # Objective and Title columns: the title is each key result's.
        columns[col.KEY_RESULT] = columns.pop(col.TITLE)
    if has(col.TYPE) and has(col.TITLE):
        return Layout.TYPE
    if has(col.OBJECTIVE) and has(col.KEY_RESULT):
        return Layout.TREE
    kr_reference = has(col.KEY_RESULT) or has(col.KEY_RESULT_ID) or has(col.ID) or has(col.TITLE)
    numbers = any(has(k) for k in _KR_NUMBERS)
    if (
        has(col.DATE)
        and has(col.CURRENT)
        and kr_reference
        and not (has(col.TARGET) or has(col.START) or has(col.GRADE) or has(col.OBJECTIVE))
    ):
        return Layout.LOG
    if (
        tab_name in _LOG_TABS
        and has(col.DATE)
        and has(col.CURRENT)
        and kr_reference
        and not (has(col.TARGET) or has(col.OBJECTIVE))
    ):
        return Layout.LOG
    linked = has(col.OBJECTIVE_ID) or has(col.PARENT)
    # A lone "Key Result" cell (a list of words for a drop-down) makes no tab of KRs.
    kr_tab = tab_name in _KEY_RESULT_TABS
    if has(col.KEY_RESULT) and not has(col.TYPE) and (numbers or linked or kr_tab):
        return Layout.KEY_RESULTS
    if has(col.TITLE) and not has(col.TYPE) and (kr_tab or (numbers and linked)):
        return Layout.KEY_RESULTS
    objective_ids = has(col.ID) or has(col.OBJECTIVE_ID)
    if (
        has(col.OBJECTIVE)
        and not (numbers or has(col.ACTION) or has(col.TYPE))
        and (objective_ids or tab_name in _OBJECTIVE_TABS)
    ):
        return Layout.OBJECTIVES
    if has(col.TITLE) and tab_name in _OBJECTIVE_TABS and not numbers:
        return Layout.OBJECTIVES
    return None


def _resolve_ids(columns: dict[str, int], layout: Layout) -> None:
    """An objective's ID column is the row's own ID on a tab of objectives and its Parent
    on a tab of key results; a key result's ID column names the key result on a log."""
    objective_id = columns.pop(col.OBJECTIVE_ID, None)
    key_result_id = columns.pop(col.KEY_RESULT_ID, None)
    if objective_id is not None:
        if layout is Layout.OBJECTIVES:
            columns.setdefault(col.ID, objective_id)
        elif layout is Layout.TREE:
            columns[col.OBJECTIVE_ID] = objective_id  # the objective's own ID on a flat row
        elif layout is not Layout.LOG:
            columns.setdefault(col.PARENT, objective_id)
    if key_result_id is not None:
        if layout is Layout.LOG:
            # A log names each key result by ID where it can: titles may repeat.
            columns[col.KEY_RESULT] = key_result_id
        else:
            columns.setdefault(col.ID, key_result_id)


def _mostly_numbers(rows: Sequence[Sequence[CellValue]], index: int) -> bool:
    """True when most filled cells of a column below its header read as numbers."""
    numbers = other = 0
    for row in rows:
        value = row[index] if index < len(row) else None
        if value is None or value == "" or isinstance(value, bool):
            continue
        if isinstance(value, int | float):
            numbers += 1
        elif isinstance(value, dt.date | dt.time | dt.timedelta):
            other += 1
        else:
            try:
                read_quantity(value)
                numbers += 1
            except Unreadable:
                other += 1
    return numbers > other


@dataclass(frozen=True)
class LikeliestHeader:
    """On a tab without a header: the row whose words look most like field names."""

    row_index: int
    words: tuple[tuple[int, str, str], ...]  # (column, header, the field it may name)
    named: int  # how many of them name their field plainly (not near names)


def likeliest_header(rows: Sequence[Sequence[CellValue]]) -> LikeliestHeader | None:
    """Of the first 10 rows, the one naming the most fields (None: no row names any)."""
    best: LikeliestHeader | None = None
    for row_index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        words: list[tuple[int, str, str]] = []
        named = 0
        for index, cell in enumerate(cells):
            text = cell.strip() if isinstance(cell, str) else ""
            found = header_words(text) if text else None
            if found is None or found.strength is Strength.MARKED:
                continue
            words.append((index, text, found.field))
            named += found.strength in (Strength.NAME, Strength.FALLBACK)
        if words and (best is None or (named, len(words)) > (best.named, len(best.words))):
            best = LikeliestHeader(row_index, tuple(words), named)
    return best
