"""What `adopt` proposes for a source: how each tab and column is read, and the map to save.

Plain data: actions/adopt.py fills it in, actions/map_toml.py writes the map as TOML, and
the command line prints it as text or JSON. Nothing here reads or writes a source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sheets_okr.errors import EXIT_FINDINGS, EXIT_OK
from sheets_okr.model.tracker import Problem
from sheets_okr.read.column_map import EMPTY_MAP, ColumnMap

# How each layout is said (read/header.Layout's values).
LAYOUT_WORDS: dict[str, str] = {
    "type": "one row per objective, key result or action, with a Type column",
    "tree": "Objective / Key Result columns (flat: the objective repeated on each row)",
    "objectives": "a tab of objectives",
    "key_results": "a tab of key results (under heading rows, or linked by objective ID)",
    "log": "a check-in log (dated values of key results)",
}
NO_HEADER = "no OKR header in its first 10 rows"


@dataclass(frozen=True)
class ColumnRow:
    """One header cell of a tab: the field it is read as (None: not read) and why."""

    column: str  # its letter
    header: str
    field: str | None
    reason: str
    question: str = ""  # what the tool would not guess
    maybe: str | None = None  # the field the question is about
    tool: bool = False  # a column sheets-okr writes itself (ID blanks, Progress, Score...)


@dataclass(frozen=True)
class KeyResultRow:
    """A key result as read and scored: what the first rows of a tab come to."""

    row: int  # 1-based, as people see it
    title: str
    start: float | None
    target: float | None
    current: float | None
    unit: str | None
    score: float | None  # None: left out of the scores (a cell of its row cannot be read)
    health: str | None
    assumptions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Question:
    """Something the tool would not guess; `entry` is the map line that answers it."""

    tab: str  # "" for every tab
    column: str  # a letter, or "" for a whole tab
    header: str
    question: str
    why: str
    entry: str = ""  # such as "Base" = "start" (a TOML line to uncomment), "" when none


@dataclass(frozen=True)
class MapLine:
    """A line of the proposed map: an entry to keep, or (not active) one to uncomment."""

    scope: str  # "" for [columns], else the tab of [tabs."TAB".columns]
    key: str  # a header, or column:E where a header repeats
    field: str
    note: str  # where and why, written beside it as a comment
    active: bool = True


@dataclass(frozen=True)
class ValueLine:
    """A word a column holds that its field does not read: a [values.FIELD] line to fill in."""

    field: str
    word: str
    suggestion: object  # the value to uncomment ("" when the tool cannot say)
    cells: str  # where: 'Team OKRs'!H4 and 2 more

    @property
    def question(self) -> str:
        """What the map should say."""
        return f'what {self.field} is "{self.word}"?'


@dataclass(frozen=True)
class TabProposal:
    """How one tab is read, or why it is not."""

    tab: str
    header_row: int | None = None  # 1-based; None: no header found
    layout: str | None = None  # read/header.Layout's value
    columns: tuple[ColumnRow, ...] = ()
    units: Mapping[str, str] = field(default_factory=dict)  # field -> unit in brackets
    counts: Mapping[str, int] = field(default_factory=dict)
    first_rows: tuple[KeyResultRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    near_row: int | None = None  # a headerless tab: the row whose words look most like fields
    near_words: tuple[tuple[str, str, str], ...] = ()  # (letter, header, field) on that row
    looks_like_okrs: bool = False  # a tab not read whose row names two fields or more

    @property
    def read(self) -> bool:
        """True when the tab is read as part of the plan (or as a check-in log)."""
        return self.layout is not None

    @property
    def layout_words(self) -> str:
        """The layout in words, or why the tab is not read."""
        return LAYOUT_WORDS.get(self.layout or "", NO_HEADER)


@dataclass(frozen=True)
class Saved:
    """Where `adopt --save` put the map, and whether anything changed there."""

    where: str  # "the Column map tab of okrs.xlsx", or the sidecar file's path
    changed: bool
    sidecar: bool = False  # a file beside a CSV source, not a tab


@dataclass(frozen=True)
class Proposal:
    """How `adopt` would read a source, what it asks, and the map it proposes."""

    source: str
    as_of: dt.date
    tabs: tuple[TabProposal, ...]
    tool_tabs: tuple[str, ...] = ()  # Summary, History, Checks, Column map: the tool's own
    questions: tuple[Question, ...] = ()
    problems: tuple[Problem, ...] = ()  # every cell that cannot be read, tab-less ones too
    column_map: ColumnMap = EMPTY_MAP  # the map proposed: saved, --columns, and what was read
    lines: tuple[MapLine, ...] = ()  # notes and questions for the map's TOML
    value_lines: tuple[ValueLine, ...] = ()  # words not read: proposed, not asked
    saved_map: str = ""  # where the source keeps a map already ("" when it has none)
    saved: Saved | None = None  # set by --save

    @property
    def exit_code(self) -> int:
        """0 when every OKR row is read and nothing is asked, else 1."""
        return EXIT_FINDINGS if self.questions or self.problems else EXIT_OK

    def tab_problems(self) -> tuple[Problem, ...]:
        """Problems that belong to no tab shown (the whole workbook's, the map's)."""
        shown = {tab.tab for tab in self.tabs}
        return tuple(p for p in self.problems if p.tab not in shown)
