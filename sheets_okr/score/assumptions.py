"""What a tracker's scores rest on beyond its cells: what reading assumed, and an as-of date
that lies outside every quarter of the plan (a typo in --as-of, or last year's plan)."""

from __future__ import annotations

from sheets_okr.model.tracker import Assumption, KeyResult, Severity, Tracker
from sheets_okr.score.scorecard import Scorecard

AS_OF_OUTSIDE = "as-of-outside-plan"


def assumptions(tracker: Tracker, card: Scorecard) -> tuple[Assumption, ...]:
    """Every assumption of a scored tracker: the plan-wide ones first, then in sheet order."""
    outside = as_of_outside(card)
    return ((outside,) if outside else ()) + tracker.assumptions


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
