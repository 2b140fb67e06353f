"""What the leadership summary says, as plain data: the page and the email render it.

Nothing here knows HTML, email or workbooks. Lists are capped so the email stays under
Gmail's clipping size; what is left out is counted ("and 12 more").
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd

from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import (
    Action,
    Assumption,
    Health,
    KeyResult,
    Objective,
    Status,
    Tracker,
)
from sheets_okr.score.assumptions import assumptions, of_key_result
from sheets_okr.score.scorecard import Scorecard, optional_float, pace
from sheets_okr.summary.trend import overall_trend, previous_overall

ATTENTION = frozenset({Health.AT_RISK.value, Health.OFF_TRACK.value})


@dataclass(frozen=True)
class Limits:
    """How many rows each list shows before "and N more" (objectives: in all teams)."""

    attention: int = 8
    movers: int = 3
    objectives: int = 6
    key_results_per_objective: int = 5
    actions: int = 8
    findings: int = 6

    def smaller(self) -> Limits | None:
        """Shorter lists, for a summary too long for an email; None when none can shrink."""
        floors = {"attention": 3, "movers": 1, "objectives": 2, "key_results_per_objective": 2,
                  "actions": 3, "findings": 2}  # fmt: skip
        shrunk = {
            name: max(floor, getattr(self, name) - max(1, getattr(self, name) // 4))
            for name, floor in floors.items()
        }
        return None if all(shrunk[n] == getattr(self, n) for n in floors) else Limits(**shrunk)


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

    @property
    def gap(self) -> float:
        """How far the score is behind the pace."""
        return self.expected - self.score


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


@dataclass(frozen=True)
class ActionLine:
    """An action due soon or overdue."""

    title: str
    owner: str | None
    due: dt.date
    days: int  # negative: days overdue


T = TypeVar("T")


@dataclass(frozen=True)
class Capped(Generic[T]):
    """Up to N items of a list, and how many were left out."""

    items: tuple[T, ...] = ()
    more: int = 0


def _cap(items: Sequence[T], limit: int) -> Capped[T]:
    return Capped(tuple(items[:limit]), max(len(items) - limit, 0))


@dataclass(frozen=True)
class Digest:
    """Everything the summary shows for one quarter at one as-of date."""

    source: str
    as_of: dt.date
    quarter: str
    quarter_start: dt.date
    quarter_end: dt.date
    score: float | None
    expected: float
    health: str
    delta: float | None
    key_result_count: int
    at_risk: int
    off_track: int
    no_check_in: int
    attention: Capped[KrLine]
    movers_up: tuple[KrLine, ...]
    movers_down: tuple[KrLine, ...]
    teams: tuple[tuple[str | None, float | None, str, Capped[ObjectiveBlock]], ...]
    overdue: Capped[ActionLine]
    due_soon: Capped[ActionLine]
    findings: Capped[Finding]
    trend: tuple[tuple[dt.date, float], ...] = field(default_factory=tuple)
    notes: tuple[str, ...] = ()  # what every score rests on (an as-of date outside the plan)
    empty: bool = False  # the tracker has no objective yet


def build_digest(
    tracker: Tracker,
    card: Scorecard,
    *,
    history: pd.DataFrame,
    findings: Sequence[Finding] = (),
    source: str = "",
    limits: Limits | None = None,
) -> Digest:
    """The summary of the as-of date's quarter (or the latest quarter in the plan)."""
    limits = limits or Limits()
    quarter = _quarter(card)
    q_row = card.quarters.to_dict("index").get(quarter)
    objectives = card.objectives[card.objectives["quarter"] == quarter]
    notes = assumptions(tracker, card, history)
    lines = _kr_lines(tracker, card, set(objectives.index), notes)
    attention = sorted((k for k in lines if k.health in ATTENTION), key=lambda k: -k.gap)
    moved = [k for k in lines if k.delta is not None and abs(k.delta) > 1e-9]
    up = sorted((k for k in moved if k.delta and k.delta > 0), key=lambda k: -(k.delta or 0))
    down = sorted((k for k in moved if k.delta and k.delta < 0), key=lambda k: k.delta or 0)
    earlier = {k.id: k.score - k.delta for k in lines if k.delta is not None}
    previous = previous_overall(earlier, tracker, card)
    score = optional_float(q_row["score"]) if q_row is not None else None
    overdue, soon = _actions(tracker, card.as_of, set(objectives.index), lines)
    serious = _findings(findings, tracker, set(objectives.index))
    parsed = Quarter.parse(quarter) or Quarter.containing(card.as_of)
    start = q_row["start"] if q_row is not None else parsed.start()
    end = q_row["end"] if q_row is not None else parsed.end()
    return Digest(
        source=source,
        as_of=card.as_of,
        quarter=quarter,
        quarter_start=start,
        quarter_end=end,
        score=score,
        expected=float(q_row["expected"]) if q_row is not None else pace(parsed, card.as_of),
        health=str(q_row["health"]) if q_row is not None else Health.NO_DATA.value,
        delta=None if score is None or previous is None else score - previous,
        key_result_count=len(lines),
        at_risk=sum(k.health == Health.AT_RISK.value for k in lines),
        off_track=sum(k.health == Health.OFF_TRACK.value for k in lines),
        no_check_in=sum(k.health == Health.NO_DATA.value for k in lines),
        attention=_cap(attention, limits.attention),
        movers_up=tuple(up[: limits.movers]),
        movers_down=tuple(down[: limits.movers]),
        teams=_teams(tracker, card, objectives, lines, limits, quarter, notes),
        overdue=_cap(overdue, limits.actions),
        due_soon=_cap(soon, limits.actions),
        findings=_cap(serious, limits.findings),
        trend=overall_trend(history, tracker, card, quarter, score, start=start),
        notes=tuple(note.message for note in notes if not note.node_id),
        empty=not tracker.objectives,
    )


def _quarter(card: Scorecard) -> str:
    containing = [
        q for q, row in card.quarters.iterrows() if row["start"] <= card.as_of <= row["end"]
    ]
    if containing:
        return str(containing[0])
    return (
        str(card.quarters.index.max())
        if len(card.quarters)
        else str(Quarter.containing(card.as_of))
    )


def _kr_lines(
    tracker: Tracker, card: Scorecard, objective_ids: set[str], notes: tuple[Assumption, ...]
) -> list[KrLine]:
    titles = {o.id: o.title for o in tracker.objectives}
    rows = card.key_results.to_dict("index")
    lines = []
    for kr in tracker.key_results:
        row = rows.get(kr.id)
        if row is None or kr.objective_id not in objective_ids:
            continue
        own = tuple(note.message for note in of_key_result(notes, kr))
        lines.append(_line(kr, row, titles.get(kr.objective_id, ""), own))
    return lines


def _line(
    kr: KeyResult, row: dict[Any, Any], objective: str, notes: tuple[str, ...] = ()
) -> KrLine:
    return KrLine(
        id=kr.id,
        title=kr.title,
        objective=objective,
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
    )


def _findings(
    findings: Sequence[Finding], tracker: Tracker, objective_ids: set[str]
) -> list[Finding]:
    """Errors, then warnings; none on the rows of another quarter's objectives, KRs, actions."""
    parent = {k.id: k.objective_id for k in tracker.key_results}
    parent |= {a.id: parent.get(a.parent_id, a.parent_id) for a in tracker.actions}
    nodes: list[Objective | KeyResult | Action] = [
        *tracker.objectives, *tracker.key_results, *tracker.actions
    ]  # fmt: skip
    elsewhere = {
        (n.location.tab, n.location.row)
        for n in nodes
        if parent.get(n.id, n.id) not in objective_ids
    }
    kept = [
        f
        for f in findings
        if f.severity is not Severity.INFO and (f.tab, _row_of(f.cell)) not in elsewhere
    ]
    return sorted(kept, key=lambda f: f.severity is not Severity.ERROR)


def _row_of(cell: str) -> int | None:
    digits = cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    return int(digits) if digits.isdigit() else None


def _actions(
    tracker: Tracker, as_of: dt.date, objective_ids: set[str], lines: list[KrLine]
) -> tuple[list[ActionLine], list[ActionLine]]:
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


def _teams(
    tracker: Tracker,
    card: Scorecard,
    objectives: pd.DataFrame,
    lines: list[KrLine],
    limits: Limits,
    quarter: str,
    notes: tuple[Assumption, ...],
) -> tuple[tuple[str | None, float | None, str, Capped[ObjectiveBlock]], ...]:
    by_objective: dict[str, list[KrLine]] = {}
    objective_of = {k.id: k.objective_id for k in tracker.key_results}
    for line in lines:
        by_objective.setdefault(objective_of[line.id], []).append(line)
    titles = {o.id: o.title for o in tracker.objectives}
    teams: dict[str, list[ObjectiveBlock]] = {}
    for objective_id, row in objectives.iterrows():
        krs = by_objective.get(str(objective_id), [])
        block = ObjectiveBlock(
            title=titles[str(objective_id)],
            team=row["team"] or None,
            score=optional_float(row["score"]),
            expected=float(row["expected"]),
            health=str(row["health"]),
            key_results=tuple(krs[: limits.key_results_per_objective]),
            more=max(len(krs) - limits.key_results_per_objective, 0),
            notes=tuple(n.message for n in notes if n.node_id == objective_id),
        )
        teams.setdefault(row["team"] or "", []).append(block)
    rollups = card.teams.to_dict("index")
    out = []
    room = limits.objectives  # for the whole overview, not per team: it bounds the size
    for team, blocks in teams.items():
        rollup = rollups.get((team, quarter), {})
        score = optional_float(rollup.get("score", math.nan))
        health = str(rollup.get("health", Health.NO_DATA.value))
        shown = _cap(blocks, room)
        room -= len(shown.items)
        out.append((team or None, score, health, shown))
    return tuple(out)
