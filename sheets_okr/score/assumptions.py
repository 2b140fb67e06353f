"""What a tracker's scores rest on beyond its cells: what reading assumed, and an as-of date
that lies outside every quarter of the plan (a typo in --as-of, or last year's plan)."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from sheets_okr.model.tracker import Assumption, KeyResult, Severity, Tracker
from sheets_okr.score.scorecard import Scorecard

AS_OF_OUTSIDE = "as-of-outside-plan"
START_ASSUMED = "start-assumed-zero"  # read/rows.py says it; History may make it a warning


def assumptions(
    tracker: Tracker, card: Scorecard, history: pd.DataFrame | None = None
) -> tuple[Assumption, ...]:
    """Every assumption of a scored tracker: the plan-wide ones first, then in sheet order.

    With the History tab's rows, a blank Start whose first check-in was already past the
    Target (lower is better, most likely) is a warning even when today's Current is not.
    """
    outside = as_of_outside(card)
    notes = tracker.assumptions
    if history is not None and not history.empty:
        notes = tuple(_with_first_check_in(note, tracker, history) for note in notes)
    return ((outside,) if outside else ()) + notes


def _with_first_check_in(note: Assumption, tracker: Tracker, history: pd.DataFrame) -> Assumption:
    if note.code != START_ASSUMED or note.severity is not Severity.INFO:
        return note
    kr = next((k for k in tracker.key_results if k.id == note.node_id), None)
    if kr is None or kr.target is None:
        return note
    rows = history[(history["id"] == kr.id) & history["current"].notna()].sort_values("date")
    if rows.empty:
        return note
    first = float(rows["current"].iloc[0])
    if not (first > kr.target > 0 or first < kr.target < 0):
        return note
    message = (f"Start is blank and taken as 0, but the first check-in ({first:,.10g}) was"
               f" already past the Target ({kr.target:,.10g}): if lower is better, type the"
               " starting value in Start.")  # fmt: skip
    return replace(note, severity=Severity.WARNING, message=message)


def as_of_outside(card: Scorecard) -> Assumption | None:
    """A warning when the as-of date falls in none of the plan's quarters: every Expected is
    then 0% or 100%, and a History snapshot of that date would stay wrong for good."""
    quarters = card.quarters
    if quarters.empty:
        return None
    inside = (quarters["start"] <= card.as_of) & (card.as_of <= quarters["end"])
    if bool(inside.any()):
        return None
    spans = ", ".join(f"{name} ({row.start} to {row.end})" for name, row in quarters.iterrows())
    message = (
        f"The as-of date {card.as_of} is in none of the plan's quarters ({spans}), so"
        " every Expected is 0% or 100%: check --as-of, or plan the current quarter."
    )
    return Assumption(AS_OF_OUTSIDE, Severity.WARNING, "", "", message)


def of_key_result(notes: tuple[Assumption, ...], kr: KeyResult) -> tuple[Assumption, ...]:
    """The assumptions a key result's score rests on: its own, and its objective's."""
    return tuple(a for a in notes if a.node_id in (kr.id, kr.objective_id))
