"""What the leadership summary says, as plain data: the page and the email render it.

Nothing here knows HTML, email or workbooks. The email's lists are capped so it stays under
Gmail's clipping size; what is left out is counted ("and 12 more"). The page is built with
Limits.uncapped() and shows everything. A key result is listed once: needs attention, else
among the movers, else under its objective.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import pandas as pd

from sheets_okr.lint.findings import Finding
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Assumption, Health, Tracker
from sheets_okr.score.assumptions import assumptions
from sheets_okr.score.scorecard import Scorecard, optional_float, pace
from sheets_okr.summary.lines import (
    ActionLine,
    Capped,
    CheckLine,
    KrLine,
    ObjectiveBlock,
    action_lines,
    cap,
    check_lines,
    kr_lines,
    stale_key_results,
)
from sheets_okr.summary.teams import Limits, TeamRow, team_rows
from sheets_okr.summary.trend import baseline_dates, overall_trend, previous_overall

__all__ = ["ActionLine", "Capped", "CheckLine", "Digest", "KrLine", "Limits", "ObjectiveBlock",
           "build_digest"]  # fmt: skip

ATTENTION = frozenset({Health.AT_RISK.value, Health.OFF_TRACK.value})
Trend = tuple[tuple[dt.date, float], ...]


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
    teams: tuple[TeamRow, ...]
    overdue: Capped[ActionLine]
    due_soon: Capped[ActionLine]
    findings: Capped[CheckLine]
    trend: Trend = field(default_factory=tuple)
    notes: tuple[str, ...] = ()  # what every score rests on (an as-of date outside the plan)
    empty: bool = False  # the tracker has no objective yet
    # The date `delta` and each KR's delta compare with, when every KR's last check-in
    # before the as-of date was on the same day; else None ("since the last check-ins").
    since: dt.date | None = None
    baselines: tuple[dt.date, ...] = ()  # each KR's last check-in date before the as-of date
    team_trends: tuple[tuple[str | None, Trend], ...] = ()  # with several teams, each one's
    name: str | None = None  # the plan's one team, else the workbook's name
    behind: KrLine | None = None  # the key result furthest behind the pace
    waiting: tuple[str, ...] = ()  # owners of key results with no check-in or a stale one
    stale: int = 0  # key results whose Current has not moved for several syncs

    @property
    def gap(self) -> float | None:
        """How far the score is behind the pace (negative: ahead)."""
        return None if self.score is None else self.expected - self.score

    @property
    def worst_team(self) -> TeamRow | None:
        """The team furthest behind, when the plan has several."""
        return self.teams[0] if len(self.teams) > 1 else None


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
    in_quarter = set(objectives.index)
    notes, plan_notes = _shared_notes(assumptions(tracker, card, history))
    lines = kr_lines(tracker, card, in_quarter, notes, stale_key_results(findings, tracker))
    attention = cap(sorted((k for k in lines if k.health in ATTENTION), key=lambda k: -k.gap),
                    limits.attention)  # fmt: skip
    shown = {k.id for k in attention.items}
    up, down = _movers(lines, shown, limits.movers)
    earlier = {k.id: k.score - k.delta for k in lines if k.delta is not None}
    previous = previous_overall(earlier, tracker, card)
    score = optional_float(q_row["score"]) if q_row is not None else None
    overdue, soon = action_lines(tracker, card.as_of, in_quarter, lines)
    parsed = Quarter.parse(quarter) or Quarter.containing(card.as_of)
    start = q_row["start"] if q_row is not None else parsed.start()
    end = q_row["end"] if q_row is not None else parsed.end()
    trend = overall_trend(history, tracker, card, quarter, score, start=start)
    above = shown | {k.id for k in (*up, *down)}
    teams = team_rows(tracker, card, objectives, lines, limits, quarter, notes, above)
    delta = None if score is None or previous is None else score - previous
    baselines = baseline_dates(history, {k.id for k in lines if k.delta is not None}, card.as_of)
    return Digest(
        source=source,
        as_of=card.as_of,
        quarter=quarter,
        quarter_start=start,
        quarter_end=end,
        score=score,
        expected=float(q_row["expected"]) if q_row is not None else pace(parsed, card.as_of),
        health=str(q_row["health"]) if q_row is not None else Health.NO_DATA.value,
        delta=delta,
        key_result_count=len(lines),
        at_risk=sum(k.health == Health.AT_RISK.value for k in lines),
        off_track=sum(k.health == Health.OFF_TRACK.value for k in lines),
        no_check_in=sum(k.health == Health.NO_DATA.value for k in lines),
        attention=attention,
        movers_up=up,
        movers_down=down,
        teams=teams,
        overdue=cap(overdue, limits.actions),
        due_soon=cap(soon, limits.actions),
        findings=cap(check_lines(findings, tracker, in_quarter), limits.findings),
        trend=trend,
        notes=plan_notes,
        empty=not tracker.objectives,
        baselines=baselines,
        since=baselines[0] if len(baselines) == 1 else None,
        team_trends=_team_trends(history, tracker, card, quarter, teams, start),
        name=_name(teams, source),
        behind=_behind(lines),
        waiting=tuple(sorted({k.owner for k in lines if k.waiting and k.owner})),
        stale=sum(k.stale for k in lines),
    )


def _shared_notes(
    notes: tuple[Assumption, ...],
) -> tuple[tuple[Assumption, ...], tuple[str, ...]]:
    """The notes said beside single rows, and those said once for the whole plan: its own,
    and any said of several rows alike (a quarter guessed for every row of a tab)."""
    said = Counter(note.message for note in notes if note.node_id)
    shared = {message for message, count in said.items() if count > 1}
    plan = [note.message for note in notes if not note.node_id or note.message in shared]
    rows = tuple(note for note in notes if note.node_id and note.message not in shared)
    return rows, tuple(dict.fromkeys(plan))


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


def _movers(
    lines: list[KrLine], shown: set[str], limit: int
) -> tuple[tuple[KrLine, ...], tuple[KrLine, ...]]:
    """The biggest changes up and down, of key results not already listed as needing
    attention."""
    moved = [k for k in lines if k.delta is not None and abs(k.delta) > 1e-9 and k.id not in shown]
    up = sorted((k for k in moved if (k.delta or 0) > 0), key=lambda k: -(k.delta or 0))
    down = sorted((k for k in moved if (k.delta or 0) < 0), key=lambda k: k.delta or 0)
    return tuple(up[:limit]), tuple(down[:limit])


def _behind(lines: list[KrLine]) -> KrLine | None:
    """The checked-in key result furthest behind the pace, when one is behind at all."""
    open_lines = [k for k in lines if k.health not in (Health.DONE.value, Health.NO_DATA.value)]
    worst = max(open_lines, key=lambda k: k.gap, default=None)
    return worst if worst is not None and worst.gap > 0 else None


def _name(teams: tuple[TeamRow, ...], source: str) -> str | None:
    """What the plan is called: its one team, else its file's name (a Sheet's address or
    gsheet:KEY says none)."""
    named = [team for team, _, _, _ in teams if team]
    if len(teams) == 1 and named:
        return named[0]
    if source and "://" not in source and not source.startswith(GOOGLE_PREFIX):
        return source.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] or None
    return None


GOOGLE_PREFIX = "gsheet:"


def source_url(source: str) -> str | None:
    """Where a reader opens the tracker: a Google Sheet's address for gsheet:KEY, an
    http(s) source as it is; None for a file (or anything else, such as javascript:)."""
    text = source.strip()
    if text.startswith(GOOGLE_PREFIX):
        key = text.removeprefix(GOOGLE_PREFIX).strip()
        ok = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
        return f"https://docs.google.com/spreadsheets/d/{key}/edit" if ok else None
    return text if text.lower().startswith(("https://", "http://")) else None


def _team_trends(
    history: pd.DataFrame,
    tracker: Tracker,
    card: Scorecard,
    quarter: str,
    teams: tuple[TeamRow, ...],
    start: dt.date,
) -> tuple[tuple[str | None, Trend], ...]:
    """Each team's score by date, when the plan has several teams."""
    if len(teams) < 2:
        return ()
    objectives = card.objectives[card.objectives["quarter"] == quarter]
    out = []
    for team, score, _, _ in teams:
        ids = set(objectives.index[objectives["team"].fillna("") == (team or "")])
        out.append((team, overall_trend(history, tracker, card, quarter, score, start=start,
                                        objective_ids=ids)))  # fmt: skip
    return tuple(out)
