"""Scores, pace and health for a whole tracker at once, with pandas (contract section 2).

Every formula works on whole columns; there is no Python loop over key results. Fractions
are plain numbers (0.4 means 40%).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Commitment, Grade, Health, Tracker
from sheets_okr.score.settings import ScoringSettings

# Comparisons allow for binary floating point: (0.65 - 0.5) must count as a gap of 0.15.
_EPSILON = 1e-9
_PASS_MARK = {Commitment.COMMITTED.value: 1.0, Commitment.ASPIRATIONAL.value: 0.7}
GREEN_FROM = 0.7
YELLOW_FROM = 0.4


@dataclass(frozen=True)
class Scorecard:
    """The numbers of one as-of date. Frames are indexed by id (or by team and quarter)."""

    as_of: dt.date
    key_results: pd.DataFrame  # objective_id, progress, score, expected, health, delta, ...
    objectives: pd.DataFrame  # team, quarter, weight, score, expected, health, grade, passed
    teams: pd.DataFrame  # team, quarter, score, expected, health
    quarters: pd.DataFrame  # quarter, start, end, ended, score, expected, health, grade


def optional_float(value: object) -> float | None:
    """A number from a score frame as a float; None where it is missing (never NaN)."""
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number


def pace(quarter: Quarter, as_of: dt.date, fiscal_year_start_month: int = 1) -> float:
    """The share of the quarter elapsed at the as-of date, from 0 to 1."""
    start = quarter.start(fiscal_year_start_month)
    length = (quarter.next_start(fiscal_year_start_month) - start).days
    return min(max((as_of - start).days / length, 0.0), 1.0)


def score_tracker(
    tracker: Tracker,
    as_of: dt.date,
    settings: ScoringSettings | None = None,
    previous: pd.Series | None = None,
) -> Scorecard:
    """Score every readable key result and roll the scores up to objectives, teams, quarters.

    `previous` holds each KR's score in its last History snapshot before the as-of date (by
    id); the difference is the KR's delta.
    """
    settings = settings or ScoringSettings()
    objectives = _objective_frame(tracker)
    quarters = _quarter_frame(objectives, as_of, settings)
    objectives["expected"] = objectives["quarter"].map(quarters["expected"]).astype(float)
    krs = _key_result_frame(tracker, set(objectives.index))
    krs["expected"] = krs["objective_id"].map(objectives["expected"]).astype(float)

    milestone_progress = krs["milestone_done"].astype(float)
    span = krs["target"] - krs["start"]
    # Target = Start is a problem that leaves the row out, unless a grade scores it.
    numeric_progress = (krs["current"] - krs["start"]) / span.where(span != 0)
    krs["progress"] = milestone_progress.where(krs["target"].isna(), numeric_progress)
    # A hand-given grade is the score (the person's judgement wins); the numbers' progress
    # is still shown, and where there are no numbers the grade is the progress too.
    graded = krs["hand_grade"].notna()
    krs["progress"] = krs["progress"].where(krs["progress"].notna() | ~graded, krs["hand_grade"])
    krs["checked_in"] = krs["progress"].notna() | graded
    krs["score"] = krs["hand_grade"].where(graded, krs["progress"].clip(0.0, 1.0)).fillna(0.0)
    krs["health"] = health(krs["score"], krs["expected"], krs["checked_in"], settings)
    krs["grade"] = grade(krs["score"])
    earlier = previous if previous is not None else pd.Series(dtype=float)
    krs["delta"] = krs["score"] - krs.index.to_series().map(earlier).astype(float)

    weighted = (krs["score"] * krs["weight"]).groupby(krs["objective_id"]).sum()
    weights = krs["weight"].groupby(krs["objective_id"]).sum()
    objectives["score"] = (weighted / weights).reindex(objectives.index).astype(float)
    objectives["health"] = health(
        objectives["score"], objectives["expected"], objectives["score"].notna(), settings
    )
    objectives["grade"] = grade(objectives["score"])
    pass_mark = objectives["commitment"].map(_PASS_MARK).astype(float)
    objectives["passed"] = (objectives["score"] >= pass_mark - _EPSILON).where(
        objectives["score"].notna()
    )

    teams = _rollup(objectives, ["team", "quarter"], settings)
    rolled = _rollup(objectives, ["quarter"], settings)
    quarters = quarters.join(rolled[["score", "health"]], how="left")
    quarters["score"] = quarters["score"].astype(float)
    quarters["health"] = quarters["health"].fillna(Health.NO_DATA.value)
    quarters["grade"] = grade(quarters["score"])
    return Scorecard(as_of, krs, objectives, teams, quarters)


def health(
    score: pd.Series, expected: pd.Series, has_data: pd.Series, settings: ScoringSettings
) -> pd.Series:
    """done at score 1, else by the gap to the pace: on_track, at_risk, off_track; or no_data."""
    gap = expected - score
    conditions = [
        ~has_data.astype(bool),
        score >= 1.0 - _EPSILON,
        gap <= settings.on_track_gap + _EPSILON,
        gap <= settings.at_risk_gap + _EPSILON,
    ]
    choices = [Health.NO_DATA.value, Health.DONE.value, Health.ON_TRACK.value, Health.AT_RISK.value]
    values = np.select(conditions, choices, default=Health.OFF_TRACK.value)
    return pd.Series(values, index=score.index, dtype=object)


def grade(score: pd.Series) -> pd.Series:
    """The quarter-end grade band: green from 0.7, yellow from 0.4, red below, or None."""
    values = np.select(
        [score >= GREEN_FROM - _EPSILON, score >= YELLOW_FROM - _EPSILON],
        [Grade.GREEN.value, Grade.YELLOW.value],
        default=Grade.RED.value,
    )
    bands = pd.Series(values, index=score.index, dtype=object)
    return bands.where(score.notna(), None)


def _objective_frame(tracker: Tracker) -> pd.DataFrame:
    readable = [o for o in tracker.objectives if o.readable]
    return pd.DataFrame(
        {
            "team": pd.Series([o.team or "" for o in readable], dtype=object),
            "quarter": pd.Series([str(o.quarter) for o in readable], dtype=object),
            "weight": pd.Series([o.weight for o in readable], dtype=float),
            "commitment": pd.Series([o.commitment.value for o in readable], dtype=object),
        },
    ).set_axis(pd.Index([o.id for o in readable], dtype=object, name="id"))


def _key_result_frame(tracker: Tracker, objective_ids: set[str]) -> pd.DataFrame:
    krs = [k for k in tracker.key_results if k.readable and k.objective_id in objective_ids]
    return pd.DataFrame(
        {
            "objective_id": pd.Series([k.objective_id for k in krs], dtype=object),
            "start": pd.Series([k.start for k in krs], dtype=float),
            "target": pd.Series([k.target for k in krs], dtype=float),
            "current": pd.Series([k.current for k in krs], dtype=float),
            "milestone_done": pd.Series(
                [np.nan if k.milestone_done is None else float(k.milestone_done) for k in krs],
                dtype=float,
            ),
            "weight": pd.Series([k.weight for k in krs], dtype=float),
            "hand_grade": pd.Series([k.grade for k in krs], dtype=float),
        },
    ).set_axis(pd.Index([k.id for k in krs], dtype=object, name="id"))


def _quarter_frame(
    objectives: pd.DataFrame, as_of: dt.date, settings: ScoringSettings
) -> pd.DataFrame:
    """One row per quarter named in the plan: its dates, whether it ended, and the pace."""
    month = settings.fiscal_year_start_month
    names = sorted(set(objectives["quarter"]))
    parsed = [Quarter.parse(name) for name in names]
    quarters = [q for q in parsed if q is not None]
    return pd.DataFrame(
        {
            "start": [q.start(month) for q in quarters],
            "end": [q.end(month) for q in quarters],
            "ended": [as_of > q.end(month) for q in quarters],
            "expected": [pace(q, as_of, month) for q in quarters],
        },
        index=pd.Index([str(q) for q in quarters], dtype=object, name="quarter"),
    ).astype({"expected": float})


def _rollup(objectives: pd.DataFrame, keys: list[str], settings: ScoringSettings) -> pd.DataFrame:
    """The weighted mean of objective scores per group (objective Weight), with its health.

    Objectives without a score are left out of the mean; a group with none has no score.
    """
    groups = [objectives[k] for k in keys]
    scored = objectives["score"].notna()
    weighted = (objectives["score"] * objectives["weight"]).where(scored)
    weighted = weighted.groupby(groups).sum(min_count=1)
    weights = objectives["weight"].where(scored).groupby(groups).sum(min_count=1)
    expected = objectives["expected"].groupby(groups).first()
    frame = pd.DataFrame({"score": weighted / weights, "expected": expected})
    frame["score"] = frame["score"].astype(float)
    frame["expected"] = frame["expected"].astype(float)
    frame["health"] = health(frame["score"], frame["expected"], frame["score"].notna(), settings)
    return frame
