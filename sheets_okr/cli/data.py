"""What the commands print as data: the JSON object and CSV rows of `sheets-okr score`, and
the JSON object of `sheets-okr lint`. Built here, where they are printed, from the results."""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from decimal import Decimal
from typing import Any

import pandas as pd

from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.model.tracker import Action, Assumption, KeyResult, Objective, Tracker
from sheets_okr.score.assumptions import assumptions, of_key_result
from sheets_okr.score.scorecard import Scorecard, optional_float

CSV_COLUMNS = (
    "level", "id", "parent_id", "title", "team", "quarter", "owner", "start", "target",
    "current", "unit", "weight", "progress", "score", "expected", "health", "grade", "tab", "row",
    "assumptions",  # what the row's score rests on, each "code: message", joined by " | "
)  # fmt: skip


def _figure(value: float | None) -> int | float | None:
    """A sheet figure as people wrote it: 20 rather than 20.0."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _text(value: Any) -> Any:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def scorecard_data(
    tracker: Tracker, card: Scorecard, source: str = "", history: pd.DataFrame | None = None
) -> dict[str, Any]:
    """The `score --format json` object (contract section 4), plus rollups and actions."""
    actions_by_parent: dict[str, list[Action]] = {}
    for action in tracker.actions:
        actions_by_parent.setdefault(action.parent_id, []).append(action)
    krs_by_objective: dict[str, list[KeyResult]] = {}
    for kr in tracker.key_results:
        if kr.id in card.key_results.index:
            krs_by_objective.setdefault(kr.objective_id, []).append(kr)
    kr_rows = card.key_results.to_dict("index")
    objective_rows = card.objectives.to_dict("index")
    notes = assumptions(tracker, card, history)
    objectives = [
        _objective_data(
            o, objective_rows[o.id], krs_by_objective.get(o.id, []), kr_rows, actions_by_parent
        )
        | {"assumptions": [_assumption_data(n) for n in notes if n.node_id == o.id]}
        for o in tracker.objectives
        if o.id in card.objectives.index
    ]
    for objective, krs in zip(objectives, (krs_by_objective.get(o["id"], []) for o in objectives),
                              strict=True):  # fmt: skip
        for data, kr in zip(objective["key_results"], krs, strict=True):
            data["assumptions"] = [_assumption_data(n) for n in of_key_result(notes, kr)]
    return {
        "as_of": card.as_of.isoformat(),
        "source": source,
        "quarters": [
            {
                "quarter": quarter,
                "start": row["start"].isoformat(),
                "end": row["end"].isoformat(),
                "ended": bool(row["ended"]),
                "score": optional_float(row["score"]),
                "expected": optional_float(row["expected"]),
                "health": row["health"],
                "grade": _text(row["grade"]),
            }
            for quarter, row in card.quarters.iterrows()
        ],
        "teams": [
            {
                "team": key[0] or None,
                "quarter": key[1],
                "score": optional_float(row["score"]),
                "expected": optional_float(row["expected"]),
                "health": row["health"],
            }
            for key, row in card.teams.iterrows()
            if isinstance(key, tuple)
        ],
        "objectives": objectives,
        "problems": [
            {"tab": p.tab, "cell": p.cell, "message": p.message, "text": str(p)}
            for p in tracker.problems
        ],
        "assumptions": [_assumption_data(note) for note in notes],
    }


def _assumption_data(note: Assumption) -> dict[str, Any]:
    return {
        "code": note.code,
        "severity": note.severity.value,
        "tab": note.tab,
        "cell": note.cell,
        "message": note.message,
        "id": note.node_id or None,
        "text": str(note),
    }


def _objective_data(
    objective: Objective,
    row: dict[Any, Any],
    krs: list[KeyResult],
    kr_rows: dict[Any, dict[Any, Any]],
    actions_by_parent: dict[str, list[Action]],
) -> dict[str, Any]:
    return {
        "id": objective.id,
        "title": objective.title,
        "team": objective.team,
        "quarter": str(objective.quarter),
        "owner": objective.owner,
        "weight": objective.weight,
        "commitment": objective.commitment.value,
        "aligns_to": objective.aligns_to,
        "score": optional_float(row["score"]),
        "expected": optional_float(row["expected"]),
        "health": row["health"],
        "grade": _text(row["grade"]),
        "passed": None if _text(row["passed"]) is None else bool(row["passed"]),
        "tab": objective.location.tab,
        "row": objective.location.row,
        "key_results": [_key_result_data(kr, kr_rows[kr.id], actions_by_parent) for kr in krs],
        "actions": [_action_data(a) for a in actions_by_parent.get(objective.id, [])],
    }


def _key_result_data(
    kr: KeyResult, row: dict[Any, Any], actions_by_parent: dict[str, list[Action]]
) -> dict[str, Any]:
    return {
        "id": kr.id,
        "title": kr.title,
        "owner": kr.owner,
        "start": _figure(kr.start),
        "target": _figure(kr.target),
        "current": _figure(kr.current),
        "unit": kr.unit,
        "weight": kr.weight,
        "milestone": kr.is_milestone,
        "done": kr.milestone_done,
        "checked_in": bool(row["checked_in"]),
        "progress": optional_float(row["progress"]),
        "score": optional_float(row["score"]),
        "expected": optional_float(row["expected"]),
        "health": row["health"],
        "grade": _text(row["grade"]),
        "delta": optional_float(row["delta"]),
        "due": kr.due.isoformat() if kr.due else None,
        "status": kr.status.value if kr.status else None,
        "confidence": kr.confidence,
        "hand_grade": kr.grade,  # a grade typed by a person (0-1); where set, it is the score
        "notes": kr.notes,
        "tab": kr.location.tab,
        "row": kr.location.row,
        "actions": [_action_data(a) for a in actions_by_parent.get(kr.id, [])],
    }


def _action_data(action: Action) -> dict[str, Any]:
    return {
        "id": action.id,
        "title": action.title,
        "owner": action.owner,
        "due": action.due.isoformat() if action.due else None,
        "status": action.status.value if action.status else None,
        "tab": action.location.tab,
        "row": action.location.row,
    }


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _csv_safe(row: dict[str, Any]) -> dict[str, Any]:
    """Text a spreadsheet would run as a formula when the CSV is opened gets a leading quote.

    Every text column, not a list of them: a tab name, a quarter or any column added later
    comes from the sheet too. Numbers are never text here, so -5 stays a number.
    """
    for key in CSV_COLUMNS:
        value = row.get(key)
        if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
            row[key] = "'" + value
    return row


# Ratios (0.6071 is 60.71 %) keep 4 decimals: a hundredth of a percentage point, finer than any
# grade or health boundary a reader acts on, and short enough to read in a spreadsheet cell.
RATIO_DECIMALS = 4
RATIO_COLUMNS = frozenset({"weight", "progress", "score", "expected"})
# Figures (start, target, current) keep 15 significant digits, what Excel itself keeps: every
# digit a person typed survives, while float noise such as 0.1 + 0.2 = 0.30000000000000004
# (the 16th and 17th digits) does not.
FIGURE_DIGITS = 15


def _csv_number(column: str, value: int | float) -> str:
    """A number as a spreadsheet reads it: rounded, positional (never 1e-05), a point for the
    decimals, no thousands separator, and no ".0" or trailing zeros (2.0 is 2, 0.50 is 0.5)."""
    if isinstance(value, int):  # exact already: a row number, or a figure such as 150000000
        return str(value)
    if column in RATIO_COLUMNS:
        text = f"{value:.{RATIO_DECIMALS}f}"
    else:
        text = format(Decimal(f"{value:.{FIGURE_DIGITS}g}"), "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text  # a tiny negative rounds to 0, not to "-0"


def _csv_numbers(row: dict[str, Any]) -> dict[str, Any]:
    """Every number column written by _csv_number; text, booleans and blanks as they are."""
    for key in CSV_COLUMNS:
        value = row.get(key)
        if isinstance(value, int | float) and not isinstance(value, bool):
            row[key] = _csv_number(key, value) if math.isfinite(value) else None
    return row


def scorecard_csv(data: dict[str, Any]) -> str:
    """One CSV row per objective and key result, objectives first in each group.

    Numbers are rounded (see _csv_number); the text is what Python's csv module writes, rows
    ending in CR LF. The command adds the byte-order mark Excel needs, where it wants one.
    """
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for objective in data["objectives"]:
        row = {**objective, "level": "objective", "parent_id": objective["aligns_to"]}
        # Numbers become text after the formula check, so that -0.5 gets no leading quote.
        writer.writerow(_csv_numbers(_csv_safe(row | {"assumptions": _notes(objective)})))
        for kr in objective["key_results"]:
            row = {
                **kr,
                "level": "key_result",
                "parent_id": objective["id"],
                "team": objective["team"],
                "quarter": objective["quarter"],
            }
            writer.writerow(_csv_numbers(_csv_safe(row | {"assumptions": _notes(kr)})))
    return buffer.getvalue()


def _notes(item: dict[str, Any]) -> str:
    return " | ".join(f"{n['code']}: {n['message']}" for n in item.get("assumptions", []))


def findings_data(findings: list[Finding], as_of: str, source: str = "") -> dict[str, Any]:
    """The `lint --format json` object: the findings in sheet order, and counts."""
    counts = Counter(f.severity.value for f in findings)
    return {
        "as_of": as_of,
        "source": source,
        "counts": {s.value: counts.get(s.value, 0) for s in Severity},
        "findings": [
            {
                "severity": f.severity.value,
                "code": f.code,
                "tab": f.tab,
                "cell": f.cell,
                "message": f.message,
            }
            for f in findings
        ],
    }
