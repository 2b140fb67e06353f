"""The rows of the leadership summary as plain data: key results, objectives, actions, checks.

summary/digest.py puts them together; nothing here knows HTML or email.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence, Set
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.model.tracker import (
    Action,
    Assumption,
    CheckIn,
    Health,
    KeyResult,
    Objective,
    Status,
    Tracker,
)
from sheets_okr.score.assumptions import of_key_result
from sheets_okr.score.scorecard import Scorecard, optional_float

# Plan checks a leader acts on, most important first; the rest follow by severity.
IMPORTANT_CHECKS = (
    "kr-stale", "kr-not-measurable", "kr-no-owner", "kr-target-equals-start",
    "quarter-end-below-pass", "objective-without-krs", "kr-without-action",
)  # fmt: skip
# Checks the summary says elsewhere: an overdue action is listed under Actions.
REPEATED_CHECKS = frozenset({"action-overdue"})


@dataclass(frozen=True)
class KrLine:
    """One key result as the summary shows it."""

    id: str
    title: str
    objective: str
    owner: str | None
    start: float
    target: float | None
    current: float | None
    unit: str | None
    score: float
    expected: float
    health: str
    delta: float | None  # score change since the last snapshot, as a fraction
    notes: tuple[str, ...] = ()  # what its score rests on (assumptions), said beside it
    confidence: float | None = None  # the owner's, 0-10, as the sheet gives it
    comment: str | None = None  # the owner's words: the newest log note, else Notes
    stale: bool = False  # its Current has not moved for several syncs (lint's kr-stale)
    team: str | None = None

    @property
    def gap(self) -> float:
        """How far the score is behind the pace."""
        return self.expected - self.score

    @property
    def waiting(self) -> bool:
        """No check-in yet, or a stale one: its owner owes an update."""
        return self.health == Health.NO_DATA.value or self.stale


@dataclass(frozen=True)
class ObjectiveBlock:
    """An objective with its score and (capped) key results."""

    title: str
    team: str | None
    score: float | None
    expected: float
    health: str
    key_results: tuple[KrLine, ...]
    more: int
    notes: tuple[str, ...] = ()  # what its score rests on (its key results say theirs)
    above: int = 0  # its key results shown higher up (needs attention, movers), not again

    @property
    def gap(self) -> float:
        """How far the score is behind the pace (no score: the whole pace)."""
        return self.expected - (self.score or 0.0)


@dataclass(frozen=True)
class ActionLine:
    """An action due soon or overdue."""

    title: str
    owner: str | None
    due: dt.date
    days: int  # negative: days overdue


@dataclass(frozen=True)
class CheckLine:
    """A plan check as a leader reads it: about which row (its title), not which cell."""

    code: str
    severity: Severity
    subject: str | None  # the title of the objective, key result or action it is about
    message: str


T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """Up to N items of a list, and how many were left out."""

    items: tuple[T, ...] = ()
    more: int = 0


def cap(items: Sequence[T], limit: int) -> Capped[T]:
    """The first `limit` items and how many more there are."""
    return Capped(tuple(items[:limit]), max(len(items) - limit, 0))


def kr_lines(
    tracker: Tracker,
    card: Scorecard,
    objective_ids: set[str],
    notes: tuple[Assumption, ...],
    stale: Set[str] = frozenset(),
) -> list[KrLine]:
    """The key results of these objectives, in sheet order."""
    objectives = {o.id: o for o in tracker.objectives}
    rows = card.key_results.to_dict("index")
    said = newest_notes(tracker.check_ins, card.as_of)
    lines = []
    for kr in tracker.key_results:
        row = rows.get(kr.id)
        if row is None or kr.objective_id not in objective_ids:
            continue
        own = tuple(note.message for note in of_key_result(notes, kr))
        parent = objectives.get(kr.objective_id)
        lines.append(_line(kr, row, parent, own, said.get(kr.id), kr.id in stale))
    return lines


def newest_notes(check_ins: Sequence[CheckIn], as_of: dt.date) -> dict[str, str]:
    """The newest note of each key result's check-in log lines on or before the as-of date."""
    newest: dict[str, tuple[dt.date, str]] = {}
    for check_in in check_ins:
        note = check_in.note
        if not note or check_in.date > as_of:
            continue
        if check_in.key_result_id not in newest or newest[check_in.key_result_id][0] <= (
            check_in.date
        ):
            newest[check_in.key_result_id] = (check_in.date, note)
    return {kr: note for kr, (_, note) in newest.items()}


def _line(
    kr: KeyResult,
    row: dict[Any, Any],
    objective: Objective | None,
    notes: tuple[str, ...],
    logged: str | None,
    stale: bool,
) -> KrLine:
    comment = " ".join((logged or kr.notes or "").split()) or None
    return KrLine(
        id=kr.id,
        title=kr.title,
        objective=objective.title if objective else "",
        owner=kr.owner,
        start=kr.start,
        target=kr.target,
        current=kr.current,
        unit=kr.unit,
        score=float(row["score"]),
        expected=float(row["expected"]),
        health=str(row["health"]),
        delta=optional_float(row["delta"]),
        notes=notes,
        confidence=kr.confidence,
        comment=comment,
        stale=stale,
        team=objective.team if objective else None,
    )


def _node_rows(tracker: Tracker) -> dict[tuple[str, int], Objective | KeyResult | Action]:
    nodes: list[Objective | KeyResult | Action] = [
        *tracker.objectives, *tracker.key_results, *tracker.actions
    ]  # fmt: skip
    return {(n.location.tab, n.location.row): n for n in nodes}


def stale_key_results(findings: Sequence[Finding], tracker: Tracker) -> set[str]:
    """The ids of key results lint found stale (their Current unchanged for several check-ins)."""
    rows = _node_rows(tracker)
    found = (rows.get((f.tab, _row_of(f.cell) or 0)) for f in findings if f.code == "kr-stale")
    return {node.id for node in found if isinstance(node, KeyResult)}


def check_lines(
    findings: Sequence[Finding], tracker: Tracker, objective_ids: set[str]
) -> list[CheckLine]:
    """Errors and warnings about this quarter's rows, the important ones first; none that
    the summary says elsewhere (overdue actions, a key result's stale Current)."""
    parent = {k.id: k.objective_id for k in tracker.key_results}
    parent |= {a.id: parent.get(a.parent_id, a.parent_id) for a in tracker.actions}
    rows = _node_rows(tracker)
    kept = []
    for f in findings:
        node = rows.get((f.tab, _row_of(f.cell) or 0))
        if f.severity is Severity.INFO or f.code in REPEATED_CHECKS:
            continue
        if f.code == "kr-stale" and isinstance(node, KeyResult):
            continue  # its row says "unchanged for several check-ins" (KrLine.stale)
        if node is not None and parent.get(node.id, node.id) not in objective_ids:
            continue
        kept.append(CheckLine(f.code, f.severity, node.title if node else None, f.message))

    def rank(line: CheckLine) -> tuple[bool, int]:
        order = IMPORTANT_CHECKS.index(line.code) if line.code in IMPORTANT_CHECKS else 99
        return (line.severity is not Severity.ERROR, order)

    return sorted(kept, key=rank)


def _row_of(cell: str) -> int | None:
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def action_lines(
    tracker: Tracker, as_of: dt.date, objective_ids: set[str], lines: list[KrLine]
) -> tuple[list[ActionLine], list[ActionLine]]:
    """This quarter's open actions: overdue ones, and those due within 7 days."""
    in_quarter = objective_ids | {k.id for k in lines}
    overdue, soon = [], []
    for action in tracker.actions:
        if action.due is None or action.parent_id not in in_quarter:
            continue
        if action.status is Status.DONE:
            continue
        days = (action.due - as_of).days
        line = ActionLine(action.title, action.owner, action.due, days)
        if days < 0:
            overdue.append(line)
        elif days <= 7:
            soon.append(line)
    return sorted(overdue, key=lambda a: a.due), sorted(soon, key=lambda a: a.due)
