"""From grids to a Tracker: find the OKR tabs, read their rows, and link the hierarchy."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import hashlib
import logging
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, replace

from sheets_okr.a1 import column_index, quote_tab
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import (
    Action,
    Assumption,
    Commitment,
    KeyResult,
    Level,
    Location,
    Objective,
    Problem,
    TabLayout,
    Tracker,
)
from sheets_okr.read import columns as col
from sheets_okr.read.checkins import LogLine, apply_log, read_log
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap
from sheets_okr.read.header import Header, Layout, find_header
from sheets_okr.read.history import HISTORY_TAB
from sheets_okr.read.people import people_tab, read_people
from sheets_okr.read.rows import RowRecord, TabReader
from sheets_okr.read.saved_map import MAP_TAB, saved_column_map
from sheets_okr.sources.grid import SheetGrid, WorkbookGrid

log = logging.getLogger(__name__)

# Tabs the tool writes itself; never read as part of the plan.
SUMMARY_TAB = "Summary"
CHECKS_TAB = "Checks"
TOOL_TABS = frozenset({SUMMARY_TAB, HISTORY_TAB, CHECKS_TAB, MAP_TAB})
_ID_PREFIX = {Level.OBJECTIVE: "O", Level.KEY_RESULT: "KR", Level.ACTION: "A"}


def parse_workbook(
    grid: WorkbookGrid,
    default_quarter: Quarter,
    *,
    quarter_given: bool = False,
    as_of: dt.date | None = None,
    column_map: ColumnMap = EMPTY_MAP,
) -> Tracker:
    """Read every OKR tab of a workbook; what cannot be read becomes a Problem, never an error.

    `default_quarter` applies to objectives whose Quarter cell is blank on a tab whose name
    is not a quarter; that is an assumption the tracker states, unless the quarter was
    given (`quarter_given`, from --quarter or the configuration). A check-in log gives a
    key result the latest value on or before `as_of` (default: its latest). The column map
    saved in the workbook applies, with `column_map`'s entries over it.
    """
    with cycle_collector_paused():
        reading = read_tabs(grid, column_map)
        tracker = _parse(grid, reading, default_quarter, quarter_given, as_of)
        if reading.people is not None:
            tracker = replace(tracker, people=read_people(grid, only=reading.people))
    if reading.map_problems:
        tracker = replace(tracker, problems=(*reading.map_problems, *tracker.problems))
    return tracker


@dataclass(frozen=True)
class TabsRead:
    """How a workbook's tabs are read: the map (its Column map tab with the given map over
    it), the bad rows of that tab, and each tab but the tool's own with its header, if any."""

    column_map: ColumnMap
    map_problems: tuple[Problem, ...]
    tabs: tuple[tuple[SheetGrid, Header | None], ...]
    people: str | None = None  # the People tab, decided first and never an OKR tab


def read_tabs(grid: WorkbookGrid, column_map: ColumnMap = EMPTY_MAP) -> TabsRead:
    """Each tab's header, found with the workbook's saved map and `column_map` over it.
    The People tab (a people-like title with a Name and an Email header) is decided first
    and left out: its Objective or Owner column never makes it an OKR tab, nor sync write
    to it."""
    saved, problems = saved_column_map(grid)
    effective = saved.overridden_by(column_map)
    headers = [(sheet, find_header(sheet.rows, sheet.title, effective))
               for sheet in grid.sheets if sheet.title not in TOOL_TABS]  # fmt: skip
    # A tab with figures to score (a "Team OKRs" tab with Owner and Email columns) is an
    # OKR tab, whatever its title: a list of people has no Target or Current.
    scored = {sheet.title for sheet, header in headers if _has_figures(header)}
    people = people_tab(grid, skip=TOOL_TABS | scored)
    tabs = tuple((sheet, header) for sheet, header in headers if sheet.title != people)
    return TabsRead(effective, tuple(problems), tabs, people)


def _has_figures(header: Header | None) -> bool:
    """Whether a tab's header names a column of figures a key result is scored from."""
    return header is not None and any(
        key in header.columns for key in (col.START, col.TARGET, col.CURRENT)
    )


class _CollectorPause:
    """Counts the pauses in progress, so that threads (`run` syncs trackers concurrently)
    share one pause: the collector is off while any of them reads, and back on, if it was
    on before the first, when the last one ends."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._active = 0
        self._was_enabled = False

    def enter(self) -> None:
        with self._lock:
            if self._active == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._active += 1

    def leave(self) -> None:
        with self._lock:
            self._active -= 1
            if self._active == 0 and self._was_enabled:
                gc.enable()


_PAUSE = _CollectorPause()


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Reading and parsing allocate a few objects per cell, none in reference cycles; left
    running, the cycle collector rescans them again and again, which took up to a third of
    the time. Nested and concurrent pauses are fine: the last one to end turns it back on."""
    _PAUSE.enter()
    try:
        yield
    finally:
        _PAUSE.leave()


def _parse(
    grid: WorkbookGrid,
    reading: TabsRead,
    default_quarter: Quarter,
    quarter_given: bool,
    as_of: dt.date | None,
) -> Tracker:
    column_map = reading.column_map
    records: list[RowRecord] = []
    problems: list[Problem] = []
    layouts: list[TabLayout] = []
    log_lines: list[LogLine] = []
    for sheet, header in reading.tabs:
        if header is None:
            log.debug("tab %r has no OKR header row; ignored", sheet.title)
            continue
        if header.layout is Layout.LOG:
            lines, log_problems = read_log(sheet, header, column_map)
            log_lines.extend(lines)
            problems.extend(log_problems)
            continue
        reader = TabReader(sheet, header, default_quarter, explicit=quarter_given,
                           column_map=column_map)  # fmt: skip
        records.extend(reader.headings_above() + reader.records())
        problems.extend(reader.problems)
        layouts.append(TabLayout(
            sheet.title, header.row_index + 1, dict(header.columns), header.tree_layout,
            dict(header.marked_columns),
        ))  # fmt: skip
    tracker = _link(records, problems)
    tracker = apply_log(replace(tracker, layouts=tuple(layouts)), log_lines, as_of)
    tab_order = {sheet.title: index for index, sheet in enumerate(grid.sheets)}
    ordered = sorted(tracker.problems, key=lambda p: (tab_order.get(p.tab, -1), *_cell_key(p.cell)))
    if not layouts:
        ordered.append(Problem("", "", _NO_TABS))
    log.debug(
        "read %d objectives, %d key results, %d actions, %d problems from %s",
        len(tracker.objectives), len(tracker.key_results), len(tracker.actions),
        len(tracker.problems), grid.source,
    )  # fmt: skip
    assumptions = sorted(
        tracker.assumptions, key=lambda a: (tab_order.get(a.tab, -1), *_cell_key(a.cell))
    )
    return Tracker(
        tracker.objectives, tracker.key_results, tracker.actions, tuple(ordered),
        tuple(layouts), tuple(assumptions), tracker.check_ins,
    )  # fmt: skip


def _cell_key(address: str) -> tuple[int, int]:
    """Sort key of an A1 address: row first, then column."""
    letters = address.rstrip("0123456789")
    digits = address[len(letters) :]
    return (int(digits) if digits else 0, column_index(letters) if letters else -1)


_NO_TABS = (
    "no OKR tab found: no tab has a header row naming Type and Title (or Objective and"
    " Key Result) in its first 10 rows; `sheets-okr adopt SOURCE` shows how each tab's"
    " columns are read, and a column map (--columns) names the others"
)


def _link(records: list[RowRecord], problems: list[Problem]) -> Tracker:
    """Give every record an id and a parent, then freeze them into the model."""
    _find_rejoins(records)
    ids = _assign_ids(records)
    by_id = dict(zip(ids, records, strict=True))
    by_title: dict[str, list[RowRecord]] = {}  # for Parent cells naming a title
    if any(col.PARENT in r.fields for r in records):
        for record in records:
            by_title.setdefault(record.title.casefold(), []).append(record)
    id_of = {id(r): node_id for node_id, r in zip(ids, records, strict=True)}
    objectives: list[Objective] = []
    assumptions: list[Assumption] = []
    linked_krs: list[tuple[RowRecord, str, str]] = []
    actions: list[Action] = []
    current_tab = None
    objective: RowRecord | None = None
    key_result: RowRecord | None = None
    for node_id, record in zip(ids, records, strict=True):
        if record.tab != current_tab:
            current_tab, objective, key_result = record.tab, None, None
        parent_ref = record.fields.get(col.PARENT)
        if record.rejoins is not None:
            # The same objective further down, by its ID and title: its rows join it.
            objective, key_result = record.rejoins, None
            problems.extend(record.problems)
            assumptions.extend(replace(a, node_id=node_id) for a in record.assumptions)
            continue
        if record.level is Level.OBJECTIVE:
            objective, key_result = record, None
            objectives.append(_objective(record, node_id))
        elif record.level is Level.KEY_RESULT:
            parent = _explicit_parent(record, parent_ref, by_id, by_title, (Level.OBJECTIVE,))
            if parent is None and parent_ref is None:
                parent = objective
                if parent is None:
                    record.problem(None, "Key Result has no Objective above it (or in Parent)")
            key_result = record
            linked_krs.append((record, node_id, id_of[id(parent)] if parent is not None else ""))
        else:
            parent = _explicit_parent(
                record, parent_ref, by_id, by_title, (Level.KEY_RESULT, Level.OBJECTIVE)
            )
            if parent is None and parent_ref is None:
                parent = key_result or objective
                if parent is None:
                    record.problem(None, "Action has no Key Result or Objective above it")
            parent_id = id_of[id(parent)] if parent is not None else ""
            actions.append(_action(record, node_id, parent_id))
        problems.extend(record.problems)
        assumptions.extend(replace(a, node_id=node_id) for a in record.assumptions)
    # Linked in a second pass: a KR may name through Parent an objective further down or on
    # a later tab, and a KR under an objective with a problem is left out of scores with it.
    scored_objectives = {o.id for o in objectives if o.readable}
    key_results = [
        _key_result(
            record, node_id, parent_id, not record.problems and parent_id in scored_objectives
        )
        for record, node_id, parent_id in linked_krs
    ]
    return Tracker(
        tuple(objectives), tuple(key_results), tuple(actions), tuple(problems),
        assumptions=tuple(assumptions),
    )  # fmt: skip


def _explicit_parent(
    record: RowRecord,
    parent_ref: str | None,
    by_id: dict[str, RowRecord],
    by_title: dict[str, list[RowRecord]],
    allowed: tuple[Level, ...],
) -> RowRecord | None:
    """The row a Parent cell names, or None with a problem when it names no suitable row."""
    if parent_ref is None:
        return None
    parent = by_id.get(parent_ref) or _parent_by_title(parent_ref, by_id, by_title, allowed)
    if parent is None:
        record.problem(col.PARENT, f'Parent "{parent_ref}" is not the ID of any row')
        return None
    if parent.level not in allowed:
        kinds = " or ".join(level.value.replace("_", " ") for level in allowed)
        record.problem(col.PARENT, f'Parent "{parent_ref}" is not the ID of an {kinds}')
        return None
    return parent


# Exports name a parent by its title, sometimes with more in brackets:
# "Grow pipeline(weight: 50%, Id: 10411)".
_TRAILING_BRACKETS = re.compile(r"\s*\([^()]*\)\s*$")
_ID_IN_BRACKETS = re.compile(r"\bId:\s*([^,)\s]+)", re.IGNORECASE)


def _parent_by_title(
    parent_ref: str,
    by_id: dict[str, RowRecord],
    by_title: dict[str, list[RowRecord]],
    allowed: tuple[Level, ...],
) -> RowRecord | None:
    """The one row of an allowed level a Parent cell names by its title (or by an ID in
    its brackets), or None."""
    named = _ID_IN_BRACKETS.search(parent_ref)
    if named and by_id.get(named.group(1)) is not None:
        return by_id[named.group(1)]
    wanted = {parent_ref.casefold(), _TRAILING_BRACKETS.sub("", parent_ref).casefold()}
    matches = {id(r): r for title in wanted for r in by_title.get(title, ()) if r.level in allowed}
    return next(iter(matches.values())) if len(matches) == 1 else None


def _find_rejoins(records: list[RowRecord]) -> None:
    """A flat export names an objective again further down with its own ID: the same one."""
    seen: dict[tuple[str, str], RowRecord] = {}
    for record in records:
        own = record.fields.get(col.ID)
        if record.level is not Level.OBJECTIVE or not own:
            continue
        first = seen.setdefault((record.tab, own), record)
        if first is not record and first.title == record.title:
            record.rejoins = first


def _assign_ids(records: list[RowRecord]) -> list[str]:
    """Each record's ID: its own cell when filled and unique, else a provisional one.

    Provisional IDs are derived from tab, level and title, so `score` shows the same ID
    before and after `sync` writes it into the blank cell.
    """
    ids: list[str] = [""] * len(records)
    first_use: dict[str, RowRecord] = {}
    for index, record in enumerate(records):
        explicit = record.fields.get(col.ID)
        if record.rejoins is not None:
            ids[index] = str(explicit)
            continue
        if not explicit:
            continue
        if explicit in first_use:
            other = first_use[explicit]
            record.problem(
                col.ID,
                f'ID "{explicit}" is also used at {quote_tab(other.tab)}!{other.title_cell};'
                " clear this cell and the next sync gives the row a new ID",
            )
            continue
        first_use[explicit] = record
        ids[index] = explicit
    taken = set(first_use)
    occurrences: dict[tuple[str, str, str], int] = {}
    for index, record in enumerate(records):
        if not ids[index]:
            key = (record.tab, record.level.value, record.title)
            ids[index] = _provisional_id(record, taken, occurrences.get(key, 0))
            occurrences[key] = occurrences.get(key, 0) + 1
            taken.add(ids[index])
    return ids


def _provisional_id(record: RowRecord, taken: set[str], occurrence: int) -> str:
    """A short id hashed from tab, level, title and how many rows before had the same."""
    attempt = occurrence
    while True:
        seed = f"{record.tab}\x1f{record.level.value}\x1f{record.title}\x1f{attempt}".encode()
        digest = hashlib.sha1(seed).hexdigest()[:6].upper()
        candidate = f"{_ID_PREFIX[record.level]}-{digest}"
        if candidate not in taken:
            return candidate
        attempt += 1_000_003  # a collision: step far away from other rows' occurrence numbers


def _has_own_id(record: RowRecord, node_id: str) -> bool:
    return record.fields.get(col.ID) == node_id


def _objective(record: RowRecord, node_id: str) -> Objective:
    fields = record.fields
    return Objective(
        id=node_id,
        title=record.title,
        location=Location(record.tab, record.row),
        quarter=fields[col.QUARTER],
        team=fields.get(col.TEAM),
        owner=fields.get(col.OWNER),
        weight=fields.get(col.WEIGHT, 1.0),
        commitment=fields.get(col.COMMITMENT, Commitment.ASPIRATIONAL),
        aligns_to=fields.get(col.PARENT),
        readable=not record.problems,
        id_in_sheet=_has_own_id(record, node_id),
    )


def _key_result(record: RowRecord, node_id: str, objective_id: str, readable: bool) -> KeyResult:
    fields = record.fields
    return KeyResult(
        id=node_id,
        objective_id=objective_id,
        title=record.title,
        location=Location(record.tab, record.row),
        start=fields.get(col.START, 0.0),
        target=fields.get(col.TARGET),
        current=fields.get(col.CURRENT),
        milestone_done=fields.get("milestone_done"),
        unit=fields.get(col.UNIT),
        owner=fields.get(col.OWNER),
        weight=fields.get(col.WEIGHT, 1.0),
        due=fields.get(col.DUE),
        status=fields.get(col.STATUS),
        confidence=fields.get(col.CONFIDENCE),
        readable=readable,
        id_in_sheet=_has_own_id(record, node_id),
        grade=fields.get(col.GRADE),
        notes=fields.get(col.NOTES),
    )


def _action(record: RowRecord, node_id: str, parent_id: str) -> Action:
    fields = record.fields
    return Action(
        id=node_id,
        parent_id=parent_id,
        title=record.title,
        location=Location(record.tab, record.row),
        owner=fields.get(col.OWNER),
        due=fields.get(col.DUE),
        status=fields.get(col.STATUS),
        id_in_sheet=_has_own_id(record, node_id),
    )
