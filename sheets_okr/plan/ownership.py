"""Whose is a column named like one of the tool's: the people's, or the tool's to write?

Teams adopt the tool with the sheet they already have, where a `Score` column may hold their
own formulas (a dashboard averages it) or grades typed by hand. Such a column stays theirs:
the tool writes its figures into a column of its own beside it, named `Score (sheets-okr)`,
which later syncs find by that name. A column named like a tool column (Progress, Score,
Expected, Health, or an alias) is the tool's when, in the tab's OKR rows,

- none of its cells holds a formula (the tool never writes one), and
- it is empty, or the ledger lists it: the table `Columns written by sheets-okr` that every
  sync keeps at the foot of its Summary tab, one row per column the tool wrote (tab, column
  letter, header). A column listed at another letter counts too when people inserted or
  deleted columns: the letter listed no longer holds that header, and exactly one column
  of the tab does.

Without a ledger (the first sync, or the Summary tab deleted), a column holding any value
is the people's: nothing of theirs is ever written over. The ID column keeps its own rule
(plan/columns.py): only its blank cells are filled.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sheets_okr.a1 import column_index, column_letter, quote_tab
from sheets_okr.model.health_words import language_of
from sheets_okr.model.tracker import TabLayout, Tracker
from sheets_okr.read import columns as col
from sheets_okr.sources.grid import CellValue, MissingFormulaValue, SheetGrid, WorkbookGrid
from sheets_okr.sources.writes import WriteValue

log = logging.getLogger(__name__)

# The tool's figure columns, whose ownership is decided here (the ID column is always used).
FIGURES = (col.PROGRESS, col.SCORE, col.EXPECTED, col.HEALTH)
LEDGER_TITLE = f"Columns written by {col.TOOL_MARK}"
LEDGER_HEADER = ("Tab", "Column", "Header")
_LETTERS = re.compile("[A-Z]{1,3}")
# Characters a workbook cannot hold (XML 1.0); writers drop them, so the plan drops them
# too, or every sync would see a title with one as changed and write again.
_UNWRITABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def writable_text(value: object) -> str:
    """A value as the text a workbook can hold."""
    return _UNWRITABLE.sub("", str(value))


@dataclass(frozen=True)
class LedgerEntry:
    """One column the tool wrote: its tab, column letter and header, as the Summary lists it."""

    tab: str
    column: str
    header: str


Ledger = tuple[LedgerEntry, ...]


@dataclass(frozen=True)
class TabColumns:
    """Where the tool writes on one OKR tab, and which tool-named columns it leaves alone."""

    tab: str
    header_row: int  # 1-based
    positions: dict[str, int]  # tool column key -> 0-based column the tool writes
    headers: dict[str, str]  # key -> the header that column shows after the sync
    appended: frozenset[str]  # keys of the columns this sync adds (their headers written)
    people: dict[str, int]  # key -> 0-based column named like it that stays the people's


def parse_ledger(rows: Sequence[Sequence[CellValue]] | None) -> Ledger | None:
    """The ledger of a Summary tab's rows; None when there is no Summary or no ledger in it."""
    if rows is None:
        return None
    start = next(
        (number for number, row in enumerate(rows) if row and _text(row[0]) == LEDGER_TITLE),
        None,
    )
    if start is None:
        # A Summary an earlier version wrote, before the ledger: the plain-named columns it
        # filled were the tool's then, so they stay the tool's (unless they hold formulas).
        if rows and rows[0] and _text(rows[0][0]) == "OKR summary":
            return EARLIER_SYNC
        return None
    entries: list[LedgerEntry] = []
    for row in rows[start + 1 :]:
        cells = [_text(value) for value in (*row, None, None, None)[:3]]
        if not cells[0]:
            break
        if tuple(cells) == LEDGER_HEADER:
            continue
        entries.append(LedgerEntry(cells[0], cells[1].upper(), cells[2]))
    return tuple(entries)


# The ledger of a Summary written before ledgers existed: every plain-named column is the
# tool's unless it holds formulas.
EARLIER_SYNC: Ledger = (LedgerEntry("", "", ""),)


def ledger_section(entries: Sequence[LedgerEntry]) -> list[tuple[WriteValue, ...]]:
    """The ledger's rows as the Summary tab shows them: its title, a header, one row a column."""
    if not entries:
        return []
    return [
        (LEDGER_TITLE,),
        LEDGER_HEADER,
        *((entry.tab, entry.column, entry.header) for entry in entries),
    ]


def ledger_entries(columns: Iterable[TabColumns]) -> list[LedgerEntry]:
    """The columns the tool writes this sync, in tab order then left to right."""
    entries: list[LedgerEntry] = []
    for tab in columns:
        figures = sorted((tab.positions[key], key) for key in FIGURES if key in tab.positions)
        entries += [
            LedgerEntry(tab.tab, column_letter(index), tab.headers[key]) for index, key in figures
        ]
    return entries


def okr_rows(tracker: Tracker) -> dict[str, set[int]]:
    """The 1-based rows holding an objective, key result or action, by tab."""
    locations = [node.location for node in tracker.objectives]
    locations += [node.location for node in tracker.key_results]
    locations += [node.location for node in tracker.actions]
    rows: dict[str, set[int]] = {}
    for location in locations:
        rows.setdefault(location.tab, set()).add(location.row)
    return rows


def tool_columns(
    tracker: Tracker, grid: WorkbookGrid, ledger: Ledger | None
) -> dict[str, TabColumns]:
    """Where the tool writes on each OKR tab holding OKR rows (a tab of a header alone, such
    as a template's later quarters, gets nothing)."""
    sheets = {sheet.title: sheet for sheet in grid.sheets}
    rows = okr_rows(tracker)
    out: dict[str, TabColumns] = {}
    for layout in tracker.layouts:
        if rows.get(layout.tab):
            out[layout.tab] = _tab_columns(layout, sheets.get(layout.tab), rows[layout.tab], ledger)
    return out


def _tab_columns(
    layout: TabLayout, sheet: SheetGrid | None, rows: set[int], ledger: Ledger | None
) -> TabColumns:
    header = _row(sheet, layout.header_row)
    marked = {key: index for key, index in layout.marked_columns.items() if key in FIGURES}
    positions: dict[str, int] = {}
    headers: dict[str, str] = {}
    people: dict[str, int] = {}
    to_append: list[str] = []
    recorded: Sequence[LedgerEntry] = (
        EARLIER_SYNC if ledger is EARLIER_SYNC else [e for e in ledger or () if e.tab == layout.tab]
    )
    for key in col.TOOL_OWNED:
        plain = layout.columns.get(key)
        if key in marked:
            positions[key] = marked[key]
            if plain is not None:
                people[key] = plain
        elif plain is None:
            to_append.append(key)
        elif key == col.ID or _tools(plain, sheet, rows, header, recorded, ledger is not None):
            positions[key] = plain
        else:
            people[key] = plain
            to_append.append(key)
        if key in positions:
            headers[key] = _text(header[positions[key]]) if positions[key] < len(header) else ""
    if to_append:
        last_used = last_used_column(sheet, layout.header_row)
        named = {col.ALIASES.get(col.normalise(_text(cell))) for cell in header}
        for key in to_append:
            last_used += 1
            positions[key] = last_used
            # Beside a column people named so (theirs, or one a column map reads as another
            # field), the tool's own gets a name that cannot be taken for it.
            taken = key != col.ID and (key in people or key in named)
            lang = language_of(header)  # a Korean tab gets Korean headers (진행률, 점수...)
            headers[key] = col.marked_name(key, lang) if taken else col.tool_header(key, lang)
    for key, index in people.items():
        log.info(
            "%s: column %s (%s) holds people's formulas or values; the tool writes %s in %s",
            quote_tab(layout.tab), column_letter(index), _text(header[index]),
            headers[key], column_letter(positions[key]),
        )  # fmt: skip
    return TabColumns(
        layout.tab, layout.header_row, positions, headers, frozenset(to_append), people
    )


def _tools(
    index: int,
    sheet: SheetGrid | None,
    rows: set[int],
    header: Sequence[CellValue],
    recorded: Sequence[LedgerEntry],
    has_ledger: bool,
) -> bool:
    """Whether a plain-named tool column is the tool's to write (see the module's rules)."""
    values = [_cell(sheet, row, index) for row in rows]
    formulas = sheet.formulas if sheet is not None else frozenset()
    if any((row - 1, index) in formulas for row in rows) or any(
        isinstance(value, MissingFormulaValue) for value in values
    ):
        return False
    if all(value in (None, "") for value in values):
        return True
    if not has_ledger:
        return False
    if recorded is EARLIER_SYNC:
        return True
    name = col.normalise(_text(header[index]))
    names = [col.normalise(_text(cell)) for cell in header]
    for entry in recorded:
        if col.normalise(entry.header) != name:
            continue
        if entry.column == column_letter(index):
            return True
        if not _LETTERS.fullmatch(entry.column):
            continue
        recorded_index = column_index(entry.column)
        still_there = recorded_index < len(names) and names[recorded_index] == name
        if not still_there and names.count(name) == 1:
            return True  # columns were inserted or deleted before it since the last sync
    return False


def last_used_column(sheet: SheetGrid | None, header_row: int) -> int:
    """The rightmost 0-based column holding anything in the header row or below it.

    Tool columns are appended right of it, so that a column people use without a header
    name (notes, a formula) is never written over, and no write lands in a merged range.
    """
    if sheet is None:
        return -1
    last_used = -1
    for cells in sheet.rows[header_row - 1 :]:
        for index in range(len(cells) - 1, last_used, -1):
            if cells[index] not in (None, ""):
                last_used = index
                break
    for merged in sheet.merged:
        if merged.last_row >= header_row - 1:
            last_used = max(last_used, merged.last_col)
    for row, column in sheet.formulas:
        if row >= header_row - 1:
            last_used = max(last_used, column)  # a formula showing nothing is still in use
    return last_used


def _row(sheet: SheetGrid | None, row: int) -> list[CellValue]:
    if sheet is None or row - 1 >= len(sheet.rows):
        return []
    return list(sheet.rows[row - 1])


def _cell(sheet: SheetGrid | None, row: int, column: int) -> CellValue:
    """The value read at a 1-based row and 0-based column, None outside the grid."""
    if sheet is None or row - 1 >= len(sheet.rows):
        return None
    cells = sheet.rows[row - 1]
    return cells[column] if column < len(cells) else None


def _text(value: object) -> str:
    """A cell as text, without the characters a workbook cannot hold (as the Summary has it)."""
    return "" if value is None else writable_text(value).strip()
