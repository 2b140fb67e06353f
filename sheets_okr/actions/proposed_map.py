"""The column map `adopt` proposes: an entry for every column it reads, and the questions.

Every column read gets an explicit entry, those read by their plain name too, so that the
saved map (the Column map tab) shows how each column is read and is the one place to change
it; an entry only says what the tool would read anyway, so it costs nothing until someone
edits it. An entry is keyed by its header, which survives columns being moved or inserted,
and by its letter (`column:E`) only where a header repeats on its tab. It goes in [columns],
for every tab, when every OKR tab holding that header reads it the same way (so a tab copied
for the next quarter is read alike); else in the tab's own table.

What the tool would not guess becomes a commented line to uncomment: a near name (`Base`),
a second column for a field, a column no field is named after, and words a column holds
that its field does not read (`[values.confidence]`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sheets_okr.a1 import cell_address, column_letter, quote_tab
from sheets_okr.actions.proposal import MapLine, ValueLine
from sheets_okr.read import columns as col
from sheets_okr.read.column_map import FIELDS, HEALTH_STATUS, IGNORE, ColumnMap, read_direction
from sheets_okr.read.header import NOT_NAMED, ChoiceKind, ColumnChoice, Header
from sheets_okr.read.values import Unreadable, read_commitment, read_confidence, read_status
from sheets_okr.sources.grid import CellValue

Rows = Sequence[Sequence[CellValue]]


@dataclass(frozen=True)
class ReadTab:
    """A tab with an OKR header, as `adopt` looks at it."""

    title: str
    header: Header
    rows: Rows


@dataclass(frozen=True)
class _Candidate:
    tab: str
    key: str
    name: str | None  # the normalised header of a header key; None for column:E
    field: str
    active: bool
    why: str
    letter: str
    index: int


def header_key(choice: ColumnChoice, header_cells: Sequence[CellValue]) -> str:
    """How a map names a column: its header when no other cell of the row has that name,
    else `column:E`."""
    name = col.normalise(choice.header)
    repeats = sum(1 for cell in header_cells
                  if isinstance(cell, str) and col.normalise(cell) == name)  # fmt: skip
    if name and repeats == 1:
        return choice.header
    return f"column:{column_letter(choice.index)}"


def map_lines(tabs: Sequence[ReadTab], effective: ColumnMap) -> tuple[MapLine, ...]:
    """The entries the map lacks for what is read, and the questions, each in its scope."""
    candidates: list[_Candidate] = []
    names_on: dict[str, dict[str, int]] = {}  # tab -> normalised header -> how many cells
    for tab in tabs:
        cells = tab.rows[tab.header.row_index]
        counts = names_on.setdefault(tab.title, {})
        for cell in cells:
            if isinstance(cell, str) and col.normalise(cell):
                counts[col.normalise(cell)] = counts.get(col.normalise(cell), 0) + 1
        for choice in tab.header.choices:
            candidate = _candidate(tab.title, choice, cells, effective)
            if candidate is not None:
                candidates.append(candidate)
    shared = _shared(candidates, names_on)
    lines: list[MapLine] = []
    done: set[tuple[str, bool]] = set()
    for item in candidates:
        if item.name is not None and item.name in shared:
            if (item.name, item.active) in done:
                continue
            done.add((item.name, item.active))
            where = ", ".join(f"{c.tab} {c.letter}" for c in candidates
                              if c.name == item.name and c.active == item.active)  # fmt: skip
            lines.append(MapLine("", item.key, item.field, f"{item.why} ({where})", item.active))
        else:
            lines.append(MapLine(item.tab, item.key, item.field, f"{item.why} ({item.letter})",
                                 item.active))  # fmt: skip
    order = {tab.title: i for i, tab in enumerate(tabs)}
    return tuple(sorted(lines, key=lambda line: (line.scope != "", order.get(line.scope, -1))))


def _candidate(
    tab: str, choice: ColumnChoice, cells: Sequence[CellValue], effective: ColumnMap
) -> _Candidate | None:
    letter = column_letter(choice.index)
    key = header_key(choice, cells)
    name = None if key.startswith("column:") else col.normalise(choice.header)
    if choice.kind is ChoiceKind.MAP_CONFLICT:
        return None  # two columns the map gives one field: the map is what to correct
    if choice.question and choice.maybe in FIELDS:
        why = f"{choice.question} {choice.reason}"
        return _Candidate(tab, key, name, choice.maybe, False, why, letter, choice.index)
    if choice.field is None:
        if choice.kind is not ChoiceKind.NOT_NAMED:
            return None
        why = f"not read: {NOT_NAMED}"
        return _Candidate(tab, key, name, IGNORE, False, why, letter, choice.index)
    if choice.field not in FIELDS or effective.field_for(tab, choice.header, letter) is not None:
        return None  # the tool's own column, an ID column read by name, or already mapped
    return _Candidate(tab, key, name, choice.field, True, choice.reason, letter, choice.index)


def _shared(candidates: list[_Candidate], names_on: dict[str, dict[str, int]]) -> set[str]:
    """The headers every OKR tab holding them reads alike, once: entries for all tabs."""
    says: dict[str, dict[str, set[tuple[str, bool]]]] = {}
    for item in candidates:
        if item.name is not None:
            told = says.setdefault(item.name, {}).setdefault(item.tab, set())
            told.add((item.field, item.active))
    shared = set()
    for name, by_tab in says.items():
        if len(by_tab) != len(names_on) or any(names_on[tab][name] != 1 for tab in by_tab):
            continue  # some OKR tab lacks it, holds it twice, or reads it otherwise
        if len({frozenset(told) for told in by_tab.values()}) == 1:
            shared.add(name)
    return shared


def proposed_map(effective: ColumnMap, lines: Sequence[MapLine]) -> ColumnMap:
    """The effective map with the active lines over it."""
    columns = {line.key: line.field for line in lines if line.active and not line.scope}
    tabs: dict[str, dict[str, str]] = {}
    for line in lines:
        if line.active and line.scope:
            tabs.setdefault(line.scope, {})[line.key] = line.field
    derived = ColumnMap(columns, tabs, {}, "the proposal")
    if derived.is_empty:
        return effective
    return effective.overridden_by(derived)


# The fields whose words a map may give, with how the tool reads them without one.
_WORD_READERS: dict[str, Callable[[CellValue], Any]] = {
    col.STATUS: read_status,
    col.CONFIDENCE: read_confidence,
    col.COMMITMENT: read_commitment,
    "direction": read_direction,
}
_HEALTH_WORDS = frozenset(HEALTH_STATUS)  # health words a team uses as a status


def value_lines(tabs: Sequence[ReadTab], effective: ColumnMap) -> tuple[ValueLine, ...]:
    """Words the columns of word fields hold that neither the tool nor the map reads."""
    found: dict[tuple[str, str], list[Any]] = {}  # (field, word) -> [text, count, first cell]
    for tab in tabs:
        for field_name, read in _WORD_READERS.items():
            index = tab.header.columns.get(field_name)
            if index is None:
                continue
            for row_index in range(tab.header.row_index + 1, len(tab.rows)):
                row = tab.rows[row_index]
                value = row[index] if index < len(row) else None
                if not isinstance(value, str) or not value.strip():
                    continue
                if effective.word_value(field_name, value) is not None or _reads(read, value):
                    continue
                seen = found.setdefault((field_name, col.normalise(value)), [value.strip(), 0, ""])
                seen[1] += 1
                seen[2] = seen[2] or f"{quote_tab(tab.title)}!{cell_address(row_index, index)}"
    lines = []
    for (field_name, word), (text, count, first) in found.items():
        suggestion = "in progress" if field_name == col.STATUS and word in _HEALTH_WORDS else ""
        where = first if count == 1 else f"{first} and {count - 1} more"
        lines.append(ValueLine(field_name, text, suggestion, where))
    return tuple(lines)


def _reads(read: Callable[[CellValue], Any], value: CellValue) -> bool:
    try:
        read(value)
    except Unreadable:
        return False
    return True
