"""A check-in log's earlier lines as history: the trend and the deltas of logged key results."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from sheets_okr.model.tracker import Tracker


def with_check_ins(history: pd.DataFrame, tracker: Tracker, as_of: dt.date) -> pd.DataFrame:
    """History rows, plus one per logged check-in on a date History has no row for that KR.

    Each check-in is scored as a History snapshot would have scored it: by the key
    result's Start and Target (done or not for a milestone; its grade when graded). The
    latest check-in on or before the as-of date is the key result's Current, so not its
    past: its delta compares with the check-in before it.
    """
    if not tracker.check_ins:
        return history
    key_results = {kr.id: kr for kr in tracker.key_results}
    known = set(zip(history["date"], history["id"], strict=True)) if not history.empty else set()
    current = {c.key_result_id: c for c in tracker.check_ins if c.date <= as_of}
    rows = []
    for check_in in tracker.check_ins:
        kr = key_results.get(check_in.key_result_id)
        if kr is None or (check_in.date, kr.id) in known or current.get(kr.id) is check_in:
            continue
        # As the scorecard scores: progress by the numbers (done or not for a milestone),
        # a hand grade as the score, and as the progress where there are no numbers.
        progress: float | None
        if kr.target is None:
            progress = 1.0 if check_in.value == 1.0 else 0.0
        elif kr.target == kr.start:
            progress = None
        else:
            progress = (check_in.value - kr.start) / (kr.target - kr.start)
        if kr.grade is not None and (progress is None or kr.target is None):
            progress = kr.grade
        score = kr.grade if kr.grade is not None else (
            None if progress is None else min(max(progress, 0.0), 1.0)
        )  # fmt: skip
        rows.append({"date": check_in.date, "id": kr.id, "title": kr.title,
                     "current": check_in.value, "progress": progress, "score": score,
                     "health": ""})  # fmt: skip
    if not rows:
        return history
    logged = pd.DataFrame.from_records(rows).astype(
        {"current": float, "progress": float, "score": float}
    )
    if history.empty:
        return logged
    combined = pd.concat([history, logged], ignore_index=True)
    return combined.sort_values("date", kind="stable").reset_index(drop=True)
