"""`adopt`: how sheets-okr would read a sheet a team already has, and saving the map it needs.

Every tab is looked at with the map the source already keeps (its Column map tab, or a CSV
file's sidecar) and --columns over it: each column's field and why, what the tool would not
guess, what is read and scored, and what cannot be read. `save` keeps the proposed map in
the source itself, so that every later command, on any machine, reads it the same way.
"""

from __future__ import annotations

import dataclasses
import logging

from sheets_okr.a1 import column_letter
from sheets_okr.actions.map_toml import map_toml
from sheets_okr.actions.proposal import (
    NO_HEADER,
    ColumnRow,
    KeyResultRow,
    Proposal,
    Question,
    Saved,
    TabProposal,
)
from sheets_okr.actions.proposed_map import (
    ReadTab,
    header_key,
    map_lines,
    proposed_map,
    value_lines,
)
from sheets_okr.actions.save_map import save_map
from sheets_okr.actions.score import (
    ReadOptions,
    column_map_for,
    parse_grid,
    score_grid,
    sidecar_path,
)
from sheets_okr.errors import SheetsOkrError
from sheets_okr.model.tracker import Tracker
from sheets_okr.read import columns as col
from sheets_okr.read.column_map import ColumnMap
from sheets_okr.read.header import ChoiceKind, ColumnChoice, Header, Layout, likeliest_header
from sheets_okr.read.parse import TOOL_TABS, read_tabs
from sheets_okr.read.saved_map import MAP_TAB
from sheets_okr.score.assumptions import of_key_result
from sheets_okr.score.scorecard import optional_float
from sheets_okr.score.scored import ScoredTracker
from sheets_okr.sources.base import WorkbookBackend
from sheets_okr.sources.grid import SheetGrid, WorkbookGrid
from sheets_okr.sources.registry import open_source

log = logging.getLogger(__name__)

FIRST_ROWS = 5  # key results of each tab shown scored
_TOOL_FIELDS = frozenset({col.PROGRESS, col.SCORE, col.EXPECTED, col.HEALTH})


def propose(source: str, options: ReadOptions, *, save: bool = False) -> Proposal:
    """How every tab of a source would be read, the questions, and the map to save; with
    `save`, the map is also kept in the source (a Column map tab, or beside a CSV file)."""
    backend = open_source(source, credentials=options.credentials)
    if not save:
        return _propose(backend, options)[1]
    # As a sync does: no other sync's write may land between this read and this write.
    with backend.exclusive():
        grid, proposal = _propose(backend, options)
        if proposal.column_map.is_empty:
            raise SheetsOkrError(f"{backend.name} was not changed: no column is read, so"
                                 " there is no map to save")  # fmt: skip
        saved = save_map(backend, grid, proposal.column_map,
                         lambda: map_toml(proposal, beside=True))  # fmt: skip
    log.info("column map saved to %s%s", saved.where, "" if saved.changed else " (unchanged)")
    return dataclasses.replace(proposal, saved=saved)


def _propose(backend: WorkbookBackend, options: ReadOptions) -> tuple[WorkbookGrid, Proposal]:
    given = column_map_for(backend, options)  # a CSV's sidecar, with --columns over it
    grid = backend.read()
    reading = read_tabs(grid, given)  # the Column map tab's bad rows: the tracker's problems
    effective = reading.column_map
    tracker = parse_grid(grid, given, options)
    scored = score_grid(backend.name, grid, tracker, options) if tracker.layouts else None
    tabs: list[TabProposal] = []
    headed: list[ReadTab] = []
    for sheet, header in reading.tabs:
        if header is None:
            tabs.append(_unread_tab(sheet))
            continue
        headed.append(ReadTab(sheet.title, header, sheet.rows))
        tabs.append(_read_tab(sheet, header, tracker, scored, given))
    lines = map_lines(headed, effective)
    values = value_lines(headed, effective)
    # Words a column holds that its field does not read are proposed, not asked: the rows
    # are read without them (a key result's own status words, an unread confidence).
    questions = [*_column_questions(headed), *_tab_questions(tabs)]
    sidecar = sidecar_path(backend)
    if any(sheet.title == MAP_TAB for sheet in grid.sheets):
        kept = f"the {MAP_TAB} tab"
    elif sidecar is not None and sidecar.is_file():
        kept = str(sidecar)
    else:
        kept = ""
    proposal = Proposal(
        backend.name, options.as_of, tuple(tabs),
        tool_tabs=tuple(s.title for s in grid.sheets if s.title in TOOL_TABS),
        questions=tuple(questions), problems=tracker.problems,
        column_map=proposed_map(effective, lines), lines=lines, value_lines=values,
        saved_map=kept,
    )  # fmt: skip
    return grid, proposal


def _read_tab(
    sheet: SheetGrid,
    header: Header,
    tracker: Tracker,
    scored: ScoredTracker | None,
    given: ColumnMap,
) -> TabProposal:
    tab = sheet.title
    columns = tuple(_column_row(tab, choice, given) for choice in header.choices)
    krs = [kr for kr in tracker.key_results if kr.location.tab == tab]
    counts = {
        "objectives": sum(1 for o in tracker.objectives if o.location.tab == tab),
        "key_results": len(krs),
        "actions": sum(1 for a in tracker.actions if a.location.tab == tab),
    }
    if header.layout is Layout.LOG:
        counts["check_ins"] = sum(1 for c in tracker.check_ins if c.location.tab == tab)
    first: list[KeyResultRow] = []
    notes = scored.assumptions if scored is not None else ()
    frame = scored.card.key_results if scored is not None else None
    for kr in krs[:FIRST_ROWS]:
        row = frame.loc[kr.id] if frame is not None and kr.id in frame.index else None
        said = tuple(note.message for note in of_key_result(notes, kr))
        first.append(KeyResultRow(
            kr.location.row, kr.title, kr.start, kr.target, kr.current, kr.unit,
            optional_float(row["score"]) if row is not None else None,
            str(row["health"]) if row is not None else None, said,
        ))  # fmt: skip
    return TabProposal(
        tab, header.row_index + 1, header.layout.value, columns, dict(header.units), counts,
        tuple(first), tuple(p for p in tracker.problems if p.tab == tab),
    )  # fmt: skip


def _column_row(tab: str, choice: ColumnChoice, given: ColumnMap) -> ColumnRow:
    letter = column_letter(choice.index)
    reason = choice.reason
    if choice.kind is ChoiceKind.MAP:
        named = given.field_for(tab, choice.header, letter) is not None
        reason = f"the column map ({given.origin})" if named else f"the {MAP_TAB} tab"
    tool = choice.kind is ChoiceKind.TOOL or choice.field in _TOOL_FIELDS
    return ColumnRow(letter, choice.header, choice.field, reason, choice.question,
                     choice.maybe, tool)  # fmt: skip


def _unread_tab(sheet: SheetGrid) -> TabProposal:
    """A tab without an OKR header, with the row whose words look most like fields; two
    fields named (not near names) make it look like an OKR tab."""
    guess = likeliest_header(sheet.rows)
    if guess is None:
        return TabProposal(sheet.title)
    return TabProposal(sheet.title, near_row=guess.row_index + 1,
                       near_words=tuple((column_letter(i), text, f) for i, text, f in guess.words),
                       looks_like_okrs=guess.named >= 2)  # fmt: skip


def _column_questions(tabs: list[ReadTab]) -> list[Question]:
    out = []
    for tab in tabs:
        cells = tab.rows[tab.header.row_index]
        for choice in tab.header.questions:
            key = header_key(choice, cells)
            answerable = choice.maybe and choice.kind is not ChoiceKind.MAP_CONFLICT
            entry = f'"{key}" = "{choice.maybe}"' if answerable else ""
            out.append(Question(tab.title, column_letter(choice.index), choice.header,
                                choice.question, choice.reason, entry))  # fmt: skip
    return out


def _tab_questions(tabs: list[TabProposal]) -> list[Question]:
    """A tab not read whose row names two fields or more: it may well hold OKRs."""
    out = []
    for tab in tabs:
        if tab.read or not tab.looks_like_okrs:
            continue
        fields = ", ".join(dict.fromkeys(field for _, _, field in tab.near_words))
        out.append(Question(
            tab.tab, "", "", f"does tab {tab.tab!r} hold OKRs? its row {tab.near_row} names"
            f" {fields}, but no column of it says each row's title and level", NO_HEADER,
        ))  # fmt: skip
    return out


__all__ = ["Proposal", "Saved", "propose"]
