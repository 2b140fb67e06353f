"""The summary's overview of objectives by team, capped worst first.

Teams and their objectives are listed furthest behind the pace first. The email caps the
overview to bound its size, but every team keeps its worst objective: a cap may shorten a
team, never drop it. The page is never capped (Limits.uncapped()).
"""

from __future__ import annotations

import math
import sys
from collections.abc import Set
from dataclasses import dataclass

import pandas as pd

from sheets_okr.model.tracker import Assumption, Health, Tracker
from sheets_okr.score.scorecard import Scorecard, optional_float
from sheets_okr.summary.lines import Capped, KrLine, ObjectiveBlock

# (team or None, its score, its health, its objectives)
TeamRow = tuple[str | None, float | None, str, Capped[ObjectiveBlock]]


@dataclass(frozen=True)
class Limits:
    """How many rows each list of the email shows before "and N more". `objectives` bounds
    the overview as a whole, except that every team shows at least its worst objective."""

    attention: int = 8
    movers: int = 3
    objectives: int = 6
    key_results_per_objective: int = 5
    actions: int = 8
    findings: int = 6

    @classmethod
    def uncapped(cls) -> Limits:
        """No cap at all: the page shows everything."""
        big = sys.maxsize
        return cls(big, big, big, big, big, big)

    def smaller(self) -> Limits | None:
        """Shorter lists, for a summary too long for an email; None when none can shrink."""
        floors = {"attention": 3, "movers": 1, "objectives": 2, "key_results_per_objective": 2,
                  "actions": 3, "findings": 2}  # fmt: skip
        shrunk = {
            name: max(floor, getattr(self, name) - max(1, getattr(self, name) // 4))
            for name, floor in floors.items()
        }
        return None if all(shrunk[n] == getattr(self, n) for n in floors) else Limits(**shrunk)


def team_rows(
    tracker: Tracker,
    card: Scorecard,
    objectives: pd.DataFrame,
    lines: list[KrLine],
    limits: Limits,
    quarter: str,
    notes: tuple[Assumption, ...],
    above: Set[str] = frozenset(),
) -> tuple[TeamRow, ...]:
    """Each team with its objectives, worst first; a KR in `above` (shown higher up in the
    summary) is counted on its objective, not listed again."""
    by_objective: dict[str, list[KrLine]] = {}
    objective_of = {k.id: k.objective_id for k in tracker.key_results}
    for line in lines:
        by_objective.setdefault(objective_of[line.id], []).append(line)
    titles = {o.id: o.title for o in tracker.objectives}
    teams: dict[str, list[ObjectiveBlock]] = {}
    for objective_id, row in objectives.iterrows():
        krs = by_objective.get(str(objective_id), [])
        rest = sorted((k for k in krs if k.id not in above), key=lambda k: -k.gap)
        block = ObjectiveBlock(
            title=titles[str(objective_id)],
            team=row["team"] or None,
            score=optional_float(row["score"]),
            expected=float(row["expected"]),
            health=str(row["health"]),
            key_results=tuple(rest[: limits.key_results_per_objective]),
            more=max(len(rest) - limits.key_results_per_objective, 0),
            notes=tuple(n.message for n in notes if n.node_id == objective_id),
            above=len(krs) - len(rest),
        )
        teams.setdefault(row["team"] or "", []).append(block)
    for blocks in teams.values():
        blocks.sort(key=lambda b: -b.gap)
    rollups = card.teams.to_dict("index")
    scored = []
    for team, blocks in teams.items():
        rollup = rollups.get((team, quarter), {})
        score = optional_float(rollup.get("score", math.nan))
        scored.append((team, score, str(rollup.get("health", Health.NO_DATA.value)), blocks))
    # Furthest behind first (every team's pace is the quarter's); teams without a score last.
    scored.sort(key=lambda t: (t[1] is None, t[1] if t[1] is not None else 0.0))
    kept = _worst_first(scored, limits.objectives)
    return tuple(
        (team or None, score, health,
         Capped(tuple(b for b in blocks if id(b) in kept), sum(id(b) not in kept for b in blocks)))
        for team, score, health, blocks in scored
    )  # fmt: skip


def _worst_first(
    teams: list[tuple[str, float | None, str, list[ObjectiveBlock]]], room: int
) -> set[int]:
    """Which objectives the overview shows (by id()): each team's worst, then the worst of
    the rest while there is room."""
    kept = {id(blocks[0]) for _, _, _, blocks in teams if blocks}
    rest = sorted((b for _, _, _, blocks in teams for b in blocks[1:]), key=lambda b: -b.gap)
    kept |= {id(b) for b in rest[: max(room - len(kept), 0)]}
    return kept
