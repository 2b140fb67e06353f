"""Reading the rows of one OKR tab into records: level, title, id and typed fields."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sheets_okr.a1 import cell_address
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Assumption, Level, Problem, Severity, Status
from sheets_okr.read import columns as col
from sheets_okr.read.assumed import start_guess, tab_quarter, unit_guess
from sheets_okr.read.blocks import Blocks, find_blocks
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap, read_direction
from sheets_okr.read.header import Header
from sheets_okr.read.values import (
    Unreadable,
    is_blank,
    read_commitment,
    read_confidence,
    read_date,
    read_grade,
    read_number,
    read_quantity,
    read_status,
    read_text,
    read_weight,
    says_done,
)
from sheets_okr.sources.grid import CellValue, SheetGrid

_LEVEL_WORDS: dict[str, Level] = {
    col.normalise(word): level
    for level, words in {
        Level.OBJECTIVE: ("Objective", "Objectives", "O", "Obj", "목표"),
        Level.KEY_RESULT: ("Key Result", "Key Results", "KR", "핵심 결과", "주요 결과"),
        Level.ACTION: (
            "Action",
            "Actions",
            "A",
            "Initiative",
            "Task",
            "Deliverable",
            "행동",
            "작업",
        ),
    }.items()
    for word in words
}
_TREE_COLUMNS = ((col.OBJECTIVE, Level.OBJECTIVE), (col.KEY_RESULT, Level.KEY_RESULT),
                 (col.ACTION, Level.ACTION))  # fmt: skip

# Which columns each level reads; the shared ones go to the deepest level of a tree row.
_SHARED = (col.ID, col.OWNER, col.WEIGHT, col.PARENT, col.DUE, col.STATUS)
_OWN_FIELDS: dict[Level, tuple[str, ...]] = {
    Level.OBJECTIVE: (col.TEAM, col.QUARTER, col.COMMITMENT, col.OBJECTIVE_ID),
    Level.KEY_RESULT: (
        col.START,
        col.TARGET,
        col.CURRENT,
        col.UNIT,
        col.CONFIDENCE,
        col.GRADE,
        col.DIRECTION,
        col.NOTES,
    ),
    Level.ACTION: (),
}
_SHARED_BY_LEVEL: dict[Level, tuple[str, ...]] = {
    Level.OBJECTIVE: (col.ID, col.OWNER, col.WEIGHT, col.PARENT),
    Level.KEY_RESULT: _SHARED,
    Level.ACTION: (col.ID, col.OWNER, col.PARENT, col.DUE, col.STATUS),
}
_READERS: dict[str, Callable[[CellValue], Any]] = {
    col.ID: read_text,
    col.OWNER: read_text,
    col.TEAM: read_text,
    col.UNIT: read_text,
    col.PARENT: read_text,
    col.OBJECTIVE_ID: read_text,
    col.NOTES: read_text,
    col.DIRECTION: read_direction,
    col.WEIGHT: read_weight,
    col.START: read_quantity,
    col.TARGET: read_quantity,
    col.DUE: read_date,
    col.CONFIDENCE: read_confidence,
    col.COMMITMENT: read_commitment,
}
# Where the unit a Start or Target was written in is kept, to compare the two.
_UNIT_OF = {col.START: "start_unit", col.TARGET: "target_unit"}
# Columns whose content makes an otherwise title-less row worth a problem report.
_CONTENT = (col.START, col.TARGET, col.CURRENT, col.OWNER, col.DUE, col.STATUS, col.UNIT, col.GRADE)


@dataclass(slots=True)
class RowRecord:
    """One node read from a row, before the hierarchy is resolved."""

    level: Level
    title: str
    tab: str
    row: int  # 1-based, as people see it
    title_column: int
    columns: dict[str, int]  # the tab's column key -> 0-based index, shared by its records
    fields: dict[str, Any] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    assumptions: list[Assumption] = field(default_factory=list)  # node ids set when linked
    rejoins: RowRecord | None = None  # a flat row naming an objective above again, by its ID

    @property
    def title_cell(self) -> str:
        """The A1 address of the title cell."""
        return cell_address(self.row - 1, self.title_column)

    def address(self, key: str) -> str:
        """The A1 address of a column's cell on this row (the title cell if no such column)."""
        index = self.columns.get(key)
        return self.title_cell if index is None else cell_address(self.row - 1, index)

    def problems_at(self, key: str) -> bool:
        """Whether a problem was recorded at a column's cell."""
        address = self.address(key)
        return any(problem.cell == address for problem in self.problems)

    def problem(self, key: str | None, message: str) -> None:
        """Record a problem at the cell of a column (or the title cell)."""
        address = self.address(key) if key else self.title_cell
        self.problems.append(Problem(self.tab, address, message))

    def assume(self, code: str, severity: Severity, key: str | None, message: str) -> None:
        """Record what reading assumed, at the cell of a column (or the title cell)."""
        address = self.address(key) if key else self.title_cell
        self.assumptions.append(Assumption(code, severity, self.tab, address, message))


_TEXT_KEYS = frozenset({col.ID, col.OWNER, col.TEAM, col.UNIT, col.PARENT, col.NOTES})
# Numbers taken as they are; Current is read again once the KR's kind is known.
_PLAIN_NUMBER_KEYS = frozenset({col.START, col.TARGET, col.CURRENT})


class TabReader:
    """Reads the rows below one tab's header row."""

    def __init__(
        self,
        sheet: SheetGrid,
        header: Header,
        default_quarter: Quarter,
        *,
        explicit: bool = False,
        column_map: ColumnMap = EMPTY_MAP,
    ) -> None:
        self.sheet = sheet
        self.header = header
        self.columns = header.columns
        self.words = column_map
        # Asked of every row: kept here rather than worked out from the header each time.
        self._tree = header.tree_layout
        self._level_of_tab = header.level
        self._title_key = header.title_key or col.TITLE
        # The fields whose words the map gives values, looked up for every cell read.
        self._worded = frozenset(k for k in column_map.values if column_map.has_words(k))
        self.quarter, self.quarter_guess = tab_quarter(sheet.title, default_quarter, explicit)
        self.merged_fill = _merged_fill(sheet, header)
        self.problems: list[Problem] = []
        self.grade_scale = _grade_scale(sheet, header)
        self.blocks: Blocks = find_blocks(sheet, header)
        # Flat exports repeat the objective (and the KR) on every row below it.
        self._current_titles: dict[Level, str] = {}
        self._objective_rows: dict[str, int] = {}  # objective title -> its first row
        self._levels_of_text: dict[str, Level | None] = {}
        self._statuses: dict[str, Status] = {}  # action statuses already read, by their text
        # Per level and depth, the (key, column index) pairs this tab has, read in that order.
        self._plans: dict[tuple[Level, bool], tuple[tuple[str, int], ...]] = {
            (level, deepest): tuple(
                (key, self.columns[key])
                for key in _OWN_FIELDS[level] + (_SHARED_BY_LEVEL[level] if deepest else ())
                if key in self.columns
            )
            for level in Level
            for deepest in (False, True)
        }

    def records(self) -> list[RowRecord]:
        """Every node on the tab, top to bottom."""
        out: list[RowRecord] = []
        blocks = self.blocks
        for row_index in range(self.header.row_index + 1, len(self.sheet.rows)):
            if row_index in blocks.headers:
                continue
            heading = blocks.headings.get(row_index)
            if heading is not None:
                out.append(self._heading(row_index, heading))
                continue
            out.extend(self._read_row(row_index))
        return out

    def headings_above(self) -> list[RowRecord]:
        """The first block's heading, above the header row."""
        return [self._heading(r, c) for r, c in self.blocks.headings.items()
                if r < self.header.row_index]  # fmt: skip

    def _heading(self, row_index: int, column: int) -> RowRecord:
        """An objective named by a heading row above its block of key results."""
        record = RowRecord(Level.OBJECTIVE, "", self.sheet.title, row_index + 1, column,
                           self.columns)  # fmt: skip
        record.title = read_text(self.sheet.rows[row_index][column])
        record.fields[col.QUARTER] = self.quarter
        if self.quarter_guess:
            record.assume(*self.quarter_guess)
        return record

    def _value(self, row_index: int, key: str) -> CellValue:
        index = self.columns.get(key)
        if index is None:
            return None
        return self._cell(row_index, index)

    def _cell(self, row_index: int, index: int) -> CellValue:
        row = self.sheet.rows[row_index]
        value = row[index] if index < len(row) else None
        if self.merged_fill and is_blank(value):
            value = self.merged_fill.get((row_index, index), value)
        return value

    def _address(self, row_index: int, key: str) -> str:
        return cell_address(row_index, self.columns[key])

    def _read_row(self, row_index: int) -> list[RowRecord]:
        levels = self._levels(row_index)
        if not levels:
            return []
        last = len(levels) - 1
        return [
            self._record(row_index, level, title_key, self._plans[level, position == last])
            for position, (level, title_key) in enumerate(levels)
        ]

    def _levels(self, row_index: int) -> list[tuple[Level, str]]:
        """The levels a row starts, with the column holding each title."""
        if self._tree:
            found = [(level, key) for key, level in _TREE_COLUMNS
                     if not is_blank(self._value(row_index, key))]  # fmt: skip
            if not found:
                self._report_orphan_content(row_index, col.OBJECTIVE)
            return self._without_repeats(row_index, found)
        level_of_tab = self._level_of_tab
        if level_of_tab is not None:
            title_key = self._title_key
            if is_blank(self._value(row_index, title_key)):
                self._report_orphan_content(row_index, title_key)
                return []
            return [(level_of_tab, title_key)]
        type_value = self._value(row_index, col.TYPE)
        if col.TYPE in self._worded and isinstance(type_value, str):
            type_value = self.words.word_value(col.TYPE, type_value) or type_value
        if is_blank(type_value):
            self._report_orphan_content(row_index, col.TYPE)
            return []
        level = None
        if isinstance(type_value, str):
            if type_value not in self._levels_of_text:
                self._levels_of_text[type_value] = _LEVEL_WORDS.get(col.normalise(type_value))
            level = self._levels_of_text[type_value]
        if level is None:
            try:
                shown = read_text(type_value)
                message = f'Type "{shown}" is not one of Objective, Key Result, Action'
            except Unreadable as error:  # an error cell or a formula without a value
                message = f"Type {error}"
            self.problems.append(Problem(
                self.sheet.title, self._address(row_index, col.TYPE), message
            ))  # fmt: skip
            return []
        return [(level, col.TITLE)]

    def _without_repeats(
        self, row_index: int, found: list[tuple[Level, str]]
    ) -> list[tuple[Level, str]]:
        """A flat row repeats its objective (and KR) titles: consecutive rows naming the same
        one belong to it, so only the deeper levels start there."""
        kept: list[tuple[Level, str]] = []
        new_above = False
        for position, (level, key) in enumerate(found):
            value = self._value(row_index, key)
            title = value.strip() if isinstance(value, str) else str(value)
            if level is Level.OBJECTIVE:  # two objectives of one title differ by their IDs
                title += f"\x1f{self._value(row_index, col.OBJECTIVE_ID)}"
            deeper = position < len(found) - 1
            if deeper and not new_above and self._current_titles.get(level) == title:
                continue  # the same objective (or KR) as the rows above
            new_above = True
            self._current_titles[level] = title
            for below in Level:
                if _DEPTH[below] > _DEPTH[level]:
                    self._current_titles.pop(below, None)
            kept.append((level, key))
        return kept

    def _report_orphan_content(self, row_index: int, level_key: str) -> None:
        """A row with figures but no level is reported: its numbers would be silently lost."""
        if is_blank(self._value(row_index, col.TITLE)) and all(
            is_blank(self._value(row_index, key)) for key in _CONTENT
        ):
            return
        where = {col.TYPE: "Type", col.TITLE: "Title", col.KEY_RESULT: "Key Result",
                 col.OBJECTIVE: "Objective"}.get(level_key, "")  # fmt: skip
        if self._tree:
            where = "Objective, Key Result and Action"
        address = (self._address(row_index, level_key) if level_key in self.columns
                   else cell_address(row_index, 0))  # fmt: skip
        self.problems.append(Problem(
            self.sheet.title, address,
            f"{where} is blank but the row has other values; say what the row is",
        ))  # fmt: skip

    def _record(
        self,
        row_index: int,
        level: Level,
        title_key: str,
        plan: tuple[tuple[str, int], ...],
    ) -> RowRecord:
        record = RowRecord(
            level, "", self.sheet.title, row_index + 1, self.columns[title_key], self.columns
        )
        title_value = self._value(row_index, title_key)
        if type(title_value) is str:
            record.title = title_value.strip()
        else:
            try:
                record.title = read_text(title_value)
            except Unreadable as error:
                record.problem(None, f"{_label(title_key)} {error}")
        if not record.title and not record.problems:
            record.problem(None, f"{_label(title_key)} is blank")
        if level is Level.OBJECTIVE and self._tree:
            self._note_repeated_objective(record)
        fields = record.fields
        row = self.sheet.rows[row_index]
        width = len(row)
        merged = self.merged_fill
        for key, index in plan:
            value = row[index] if index < width else None
            if merged and (value is None or value == ""):
                value = merged.get((row_index, index), value)
            if value is None or value == "":
                continue
            if key in self._worded and type(value) is str:
                mapped = self.words.word_value(key, value)
                if mapped is not None:
                    value = mapped
            # Fast paths for what readers hand over most: plain numbers, text and dates.
            if type(value) is float:
                if key in _PLAIN_NUMBER_KEYS and math.isfinite(value):
                    fields[key] = value
                    continue
                if key == col.WEIGHT and 0 < value < math.inf:
                    fields[key] = value
                    continue
            elif type(value) is str:
                if key in _TEXT_KEYS:
                    text = value.strip()
                    if text:
                        fields[key] = text
                        continue
                elif key == col.STATUS and level is Level.ACTION:
                    status = self._statuses.get(value)
                    if status is not None:
                        fields[key] = status
                        continue
            elif type(value) is dt.date and key == col.DUE:
                fields[key] = value
                continue
            if not is_blank(value):
                self._read_field(record, key, value)
        self._finish(record)
        return record

    def _finish(self, record: RowRecord) -> None:
        """What a row's level needs once its cells are read: an objective's own ID and
        quarter, a key result's unit from its header and the checks of its numbers."""
        fields = record.fields
        if record.level is Level.OBJECTIVE:
            own_id = fields.pop(col.OBJECTIVE_ID, None)
            if own_id is not None:
                fields[col.ID] = own_id
            if col.QUARTER not in fields:
                fields[col.QUARTER] = self.quarter
                if self.quarter_guess and not record.problems_at(col.QUARTER):
                    record.assume(*self.quarter_guess)
        elif record.level is Level.KEY_RESULT:
            if col.UNIT not in fields:
                units = self.header.units
                unit = next((units[k] for k in (col.TARGET, col.CURRENT, col.START)
                             if k in units), None)  # fmt: skip
                if unit:
                    fields[col.UNIT] = unit
            _check_key_result(record)

    def _note_repeated_objective(self, record: RowRecord) -> None:
        """The same objective title again further down: a second objective, said aloud."""
        if not record.title:
            return
        first = self._objective_rows.setdefault(record.title, record.row)
        if first != record.row:
            record.assume(
                "objective-repeated", Severity.WARNING, None,
                f"this objective's title is also on row {first};"
                " with the same ID there, its key results join that objective, else it is read"
                " as a second one: keep an objective's rows together, or give the two"
                " different titles.",
            )  # fmt: skip

    def _read_field(self, record: RowRecord, key: str, value: CellValue) -> None:
        label = _label(key)
        try:
            if key == col.CONFIDENCE:
                try:
                    record.fields[key] = read_confidence(value)
                except Unreadable as error:
                    # Confidence is shown, never scored: the KR stays in the scores.
                    record.assume(
                        "confidence-unread", Severity.WARNING, key,
                        f"Confidence {error}; it is not shown. Use 0-10, High, Medium or Low,"
                        " or give the words' values in a column map ([values.confidence]).",
                    )  # fmt: skip
                return
            if key == col.GRADE:
                record.fields[key] = read_grade(value, self.grade_scale)
                return
            if key == col.QUARTER:
                quarter = Quarter.parse(read_text(value))
                if quarter is None:
                    raise Unreadable(f'"{value}" is not a quarter such as 2026-Q4')
                record.fields[key] = quarter
            elif key in (col.CURRENT, col.STATUS) and record.level is Level.KEY_RESULT:
                record.fields[key] = value  # read once the target says what kind of KR it is
            elif key == col.STATUS:
                record.fields[key] = read_status(value)
                if isinstance(value, str):
                    self._statuses[value] = record.fields[key]
            elif key in (col.START, col.TARGET):
                quantity = read_quantity(value)
                record.fields[key] = quantity.number
                record.fields[_UNIT_OF[key]] = quantity.unit
            else:
                record.fields[key] = _READERS[key](value)
        except Unreadable as error:
            record.problem(key, f"{label} {error}")


def _check_key_result(record: RowRecord) -> None:
    """Read Current and Status by the kind of key result, refuse a target equal to start, and
    say what scoring it must assume (a blank Start, a missing Target, mixed units). A hand
    grade is the score: nothing is assumed for numbers it does not rest on."""
    fields = record.fields
    start = fields.get(col.START, 0.0)
    target = fields.get(col.TARGET)
    graded = col.GRADE in fields
    current_cell = fields.pop(col.CURRENT, None)
    status_cell = fields.pop(col.STATUS, None)
    if target is not None and target == start and not graded:
        record.problem(col.TARGET, f"Target equals Start ({start:g}); progress is undefined")
    _check_direction(record, start, target)
    if target is None:
        if not record.problems_at(col.TARGET):
            _read_milestone(record, current_cell, status_cell, graded)
        return
    if status_cell is not None:
        # Scores of a numeric KR come from its numbers; a team's own status words there
        # ("On track", "🟢") are theirs to keep and no reason to leave the KR out.
        with contextlib.suppress(Unreadable):
            fields[col.STATUS] = read_status(status_cell)
    if current_cell is not None:
        try:
            fields[col.CURRENT] = read_number(current_cell)
        except Unreadable as error:
            record.problem(col.CURRENT, f"Current {error}")
    if col.START not in fields and not record.problems_at(col.START) and not graded:
        _assume_start(record, target, fields.get(col.CURRENT))
    _compare_units(record, start, target)


def _check_direction(record: RowRecord, start: float, target: float | None) -> None:
    """A Direction cell must agree with Start and Target; with Start blank on a decreasing
    KR, 0 cannot be its start."""
    direction = record.fields.get(col.DIRECTION)
    if direction is None or target is None:
        return
    if col.START not in record.fields:
        if direction == "decrease":
            record.problem(col.START, "Start is blank on a key result whose Direction is"
                           " decrease; type the starting value")  # fmt: skip
        return
    if (direction == "decrease") != (target < start):
        record.problem(
            col.DIRECTION,
            f"Direction says {direction} but Target ({target:,.10g}) is"
            f" {'above' if target > start else 'not above'} Start ({start:,.10g})",
        )


def _assume_start(record: RowRecord, target: float, current: float | None) -> None:
    record.assume(*start_guess(target, current))


def _compare_units(record: RowRecord, start: float, target: float) -> None:
    start_unit = record.fields.get(_UNIT_OF[col.START], "")
    target_unit = record.fields.get(_UNIT_OF[col.TARGET], "")
    guess = unit_guess(start, target, start_unit, target_unit)
    if guess is not None:
        record.assume(*guess)


def _read_milestone(
    record: RowRecord, current: CellValue, status: CellValue, graded: bool = False
) -> None:
    """A milestone is done when its Current or Status says so; either counts as a check-in."""
    marks: list[bool] = []
    for key, value in ((col.CURRENT, current), (col.STATUS, status)):
        if value is None:
            continue
        try:
            marks.append(says_done(value))
        except Unreadable as error:
            record.problem(key, f"{col.DISPLAY_NAMES[key]} {error}")
    if status is not None:
        # A milestone's Status may simply say Yes or No, which is not an action status.
        with contextlib.suppress(Unreadable):
            record.fields[col.STATUS] = read_status(status)
    record.fields["milestone_done"] = any(marks) if marks else None
    if current is None or isinstance(current, bool):
        return
    with contextlib.suppress(Unreadable):
        number = read_number(current)
        record.fields[col.CURRENT] = number  # kept as written: 1 stays 1 in JSON and History
        if number not in (0.0, 1.0) and not graded:
            record.assume(
                "target-missing", Severity.WARNING, col.TARGET,
                f"Target is blank, so this key result is scored as a milestone (done or not)"
                f" and its Current ({number:,.10g}) as not done: type the Target to score it by"
                " its numbers.",
            )  # fmt: skip


_DEPTH = {Level.OBJECTIVE: 0, Level.KEY_RESULT: 1, Level.ACTION: 2}


def _label(key: str) -> str:
    return col.DISPLAY_NAMES.get(key, key)


def _grade_scale(sheet: SheetGrid, header: Header) -> float:
    """100 when a Grade column holds a number above 1 (grades out of 100), else 1."""
    index = header.columns.get(col.GRADE)
    if index is None:
        return 1.0
    above = within = 0  # grades above 1, and fractions of 1
    for row in sheet.rows[header.row_index + 1 :]:
        value = row[index] if index < len(row) else None
        if is_blank(value) or (isinstance(value, str) and "%" in value):
            continue
        with contextlib.suppress(Unreadable):
            number = read_number(value)
            above += 1 < number <= 100
            within += 0 < number < 1
    # One typo (1.5 among 0.7s) does not make the column out of 100: it is reported.
    return 100.0 if above > within else 1.0


def _merged_fill(sheet: SheetGrid, header: Header) -> dict[tuple[int, int], CellValue]:
    """Values that merged ranges below the header show in the cells under their first cell.

    A merged Team or Owner cell spanning several rows means that value for each of them; a
    merged level or title column does not, since each filled level cell starts a new row.
    A value belongs to its first cell's column only: a title merged across the Owner and
    Team columns is not an owner or a team.
    """
    structural = {header.columns[k] for k in col.STRUCTURAL if k in header.columns}
    fill: dict[tuple[int, int], CellValue] = {}
    for merged in sheet.merged:
        column = merged.first_col
        if (column in structural or merged.first_row <= header.row_index
                or merged.first_row >= len(sheet.rows)):  # fmt: skip
            continue
        anchor_row = sheet.rows[merged.first_row]
        if column >= len(anchor_row):
            continue
        value = anchor_row[column]
        for r in range(merged.first_row + 1, min(merged.last_row, len(sheet.rows) - 1) + 1):
            fill[(r, column)] = value
    return fill
