"""The quarter score over time, from the History tab: the summary's trend and its change."""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd

from sheets_okr.model.tracker import Tracker
from sheets_okr.score.scorecard import Scorecard


def previous_overall(earlier: dict[str, float], tracker: Tracker, card: Scorecard) -> float | None:
    """The quarter score at the last snapshot: today's weighting of each KR's earlier score
    (`earlier`, by KR id)."""
    if not earlier:
        return None
    return _overall(pd.Series(earlier), tracker, card)


def _overall(scores: pd.Series, tracker: Tracker, card: Scorecard) -> float | None:
    """The weighted quarter score of a set of KR scores, weighted as the plan is today."""
    weights = {k.id: k.weight for k in tracker.key_results}
    objective_of = {k.id: k.objective_id for k in tracker.key_results}
    frame = pd.DataFrame({"score": scores})
    if frame.empty:
        return None
    frame["weight"] = frame.index.map(weights).astype(float)
    frame["objective"] = frame.index.map(objective_of)
    weighted = (frame["score"] * frame["weight"]).groupby(frame["objective"]).sum()
    per_objective = weighted / frame["weight"].groupby(frame["objective"]).sum()
    objective_weights = card.objectives["weight"].reindex(per_objective.index).fillna(1.0)
    total = float((per_objective * objective_weights).sum() / objective_weights.sum())
    return None if math.isnan(total) else total


def overall_trend(
    history: pd.DataFrame,
    tracker: Tracker,
    card: Scorecard,
    quarter: str,
    now: float | None,
    *,
    start: dt.date | None = None,
    objective_ids: set[str] | None = None,
) -> tuple[tuple[dt.date, float], ...]:
    """The quarter score at each History date within the quarter, and at the as-of date.

    At each date every KR counts with its newest score up to that date (carried forward:
    a check-in log has a row only for the KRs checked in that day), 0 before its first, as
    a KR without a check-in scores today. A sync before the quarter began (a plan with next
    quarter's tab filled in early) wrote History rows for its KRs too; those dates are not
    part of this quarter's trend. `objective_ids` keeps to some of the quarter's objectives
    (one team's).
    """
    objectives = card.objectives.index[card.objectives["quarter"] == quarter]
    if objective_ids is not None:
        objectives = objectives[objectives.isin(objective_ids)]
    ids = list(card.key_results.index[card.key_results["objective_id"].isin(objectives)])
    points: dict[dt.date, float] = {}
    if not history.empty and ids:
        rows = history[history["id"].isin(ids) & (history["date"] <= card.as_of)]
        if start is not None:
            rows = rows[rows["date"] >= start]
        latest = dict.fromkeys(ids, 0.0)
        for day, group in rows.groupby("date", sort=True):
            for kr_id, score in zip(group["id"], group["score"], strict=True):
                if not math.isnan(score):
                    latest[kr_id] = float(score)
            value = _overall(pd.Series(latest), tracker, card)
            if value is not None:
                points[day] = value  # type: ignore[index]
    if now is not None:
        points[card.as_of] = now
    return tuple(sorted(points.items()))


def baseline_dates(history: pd.DataFrame, ids: set[str], as_of: dt.date) -> tuple[dt.date, ...]:
    """The dates the changes of these KRs count from: each KR's newest History row before
    the as-of date (read.history.previous_scores), every distinct date once, oldest first."""
    if history.empty or not ids:
        return ()
    earlier = history[history["id"].isin(ids) & (history["date"] < as_of)]
    return tuple(sorted(set(earlier.groupby("id")["date"].max())))
