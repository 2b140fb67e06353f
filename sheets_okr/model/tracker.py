"""The OKR domain: what a tracker holds once read, independent of where it came from."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from sheets_okr.a1 import quote_tab
from sheets_okr.model.people import NO_PEOPLE, People
from sheets_okr.model.quarters import Quarter


class Level(StrEnum):
    """The three rows of the method: an objective, its key results, their actions."""

    OBJECTIVE = "objective"
    KEY_RESULT = "key_result"
    ACTION = "action"


class Health(StrEnum):
    """How a key result or objective stands against the quarter's pace."""

    DONE = "done"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    NO_DATA = "no_data"


class Status(StrEnum):
    """The state of an action, or of a milestone key result."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    BLOCKED = "blocked"


class Commitment(StrEnum):
    """Committed objectives pass at 1.0, aspirational ones at 0.7 (Google's OKR practice)."""

    COMMITTED = "committed"
    ASPIRATIONAL = "aspirational"


class Grade(StrEnum):
    """The grade band of a score at quarter end."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


class Severity(StrEnum):
    """How much a finding or an assumption matters: errors make `lint` exit 1."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Assumption:
    """Something the tool had to assume to score a row, said beside it wherever it shows.

    The score rests on it, so people must see it: a blank Start taken as 0, a key result
    without a Target scored as a milestone, a quarter guessed for a tab. A WARNING when the
    sheet itself suggests the guess is wrong, INFO otherwise.
    """

    code: str  # stable, such as "start-assumed-zero"
    severity: Severity
    tab: str
    cell: str
    message: str
    node_id: str = ""  # the key result or objective it concerns; "" for the whole plan

    def __str__(self) -> str:
        where = f"{quote_tab(self.tab)}!{self.cell}: " if self.tab else ""
        return f"{where}{self.message}"


@dataclass(frozen=True)
class Problem:
    """Something in the workbook that could not be read, pointing at the cell to fix."""

    tab: str
    cell: str
    message: str

    def __str__(self) -> str:
        if not self.tab:
            return self.message
        return f"{quote_tab(self.tab)}!{self.cell}: {self.message}"


@dataclass(frozen=True)
class Location:
    """Where a row lives: its tab and 1-based row number."""

    tab: str
    row: int


@dataclass(frozen=True)
class Objective:
    """A qualitative direction for the quarter, scored by its key results."""

    id: str
    title: str
    location: Location
    quarter: Quarter
    team: str | None = None
    owner: str | None = None
    weight: float = 1.0
    commitment: Commitment = Commitment.ASPIRATIONAL
    aligns_to: str | None = None
    readable: bool = True
    id_in_sheet: bool = True


@dataclass(frozen=True)
class KeyResult:
    """A measurable result: from start to target, with the latest check-in as current.

    A key result without a target is a milestone, done or not. `readable` is False when a
    cell of the row could not be read; such a row keeps its place in the hierarchy but is
    left out of every score.
    """

    id: str
    objective_id: str
    title: str
    location: Location
    start: float = 0.0
    target: float | None = None
    current: float | None = None
    milestone_done: bool | None = None
    unit: str | None = None
    owner: str | None = None
    weight: float = 1.0
    due: dt.date | None = None
    status: Status | None = None
    confidence: float | None = None
    readable: bool = True
    id_in_sheet: bool = True
    grade: float | None = None  # a hand-given score 0-1: where present, it is the score
    notes: str | None = None

    @property
    def is_milestone(self) -> bool:
        """True when the key result has no numeric target and is simply done or not."""
        return self.target is None

    @property
    def checked_in(self) -> bool:
        """True once somebody has reported a value (or a status for a milestone)."""
        if self.grade is not None:
            return True
        if self.is_milestone:
            return self.milestone_done is not None
        return self.current is not None


@dataclass(frozen=True)
class Action:
    """A dated step planned to move a key result (or, without one, an objective)."""

    id: str
    parent_id: str
    title: str
    location: Location
    owner: str | None = None
    due: dt.date | None = None
    status: Status | None = None
    id_in_sheet: bool = True


@dataclass(frozen=True)
class TabLayout:
    """Which columns of an OKR tab hold what, so writers can address cells by meaning."""

    tab: str
    header_row: int
    columns: dict[str, int] = field(default_factory=dict)
    tree_layout: bool = False
    # The tool's own columns beside people's of the same name: "Score (sheets-okr)".
    marked_columns: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class CheckIn:
    """One line of a check-in log: a key result's value on a date."""

    key_result_id: str
    date: dt.date
    value: float
    location: Location
    note: str | None = None  # what the owner wrote beside it (a Notes or Comment column)


@dataclass(frozen=True)
class Tracker:
    """Everything read from a workbook: the plan, the problems met on the way, and what
    reading had to assume."""

    objectives: tuple[Objective, ...]
    key_results: tuple[KeyResult, ...]
    actions: tuple[Action, ...]
    problems: tuple[Problem, ...]
    layouts: tuple[TabLayout, ...] = ()
    assumptions: tuple[Assumption, ...] = ()
    check_ins: tuple[CheckIn, ...] = ()  # from a check-in log tab, oldest first
    people: People = NO_PEOPLE  # the People tab: owners' addresses, for reminders
