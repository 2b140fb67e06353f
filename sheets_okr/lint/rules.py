"""The checks of the OKR method (okr-method.md), one function per part of the plan."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict

import pandas as pd

from sheets_okr.a1 import cell_address
from sheets_okr.lint.findings import CellFinder, Finding, Severity, finding
from sheets_okr.lint.wordlists import (
    WordLists,
    contains_word,
    from_to,
    from_to_readings,
    has_number,
    has_percentage,
    numbers_in,
)
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import KeyResult, Level, Objective, Status, Tracker
from sheets_okr.read import columns as col
from sheets_okr.score.scorecard import Scorecard, optional_float


def _agrees(pair: tuple[float, float], start: float, target: float) -> bool:
    """Whether a title's from A to B names the Start and Target (within rounding)."""
    return math.isclose(pair[0], start, rel_tol=1e-9, abs_tol=1e-12) and math.isclose(
        pair[1], target, rel_tol=1e-9, abs_tol=1e-12
    )


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def counts(
    tracker: Tracker, krs_of: dict[str, list[KeyResult]], cells: CellFinder
) -> list[Finding]:
    found: list[Finding] = []
    teams: dict[tuple[str, str], list[Objective]] = defaultdict(list)
    for objective in tracker.objectives:
        teams[(objective.team or "", str(objective.quarter))].append(objective)
    for (team, quarter), objectives in teams.items():
        if not 3 <= len(objectives) <= 5:
            first = objectives[0]
            who = team or "The plan"
            found.append(
                finding(
                    "objective-count",
                    Severity.WARNING,
                    first.location,
                    cells.at(first.location, col.TITLE, Level.OBJECTIVE),
                    f"{who} has {_count(len(objectives), 'objective')} in {quarter};"
                    " the method asks for 3-5"
                    + (
                        " so that each gets enough attention."
                        if len(objectives) > 5
                        else " to cover the areas that matter this quarter."
                    ),
                )
            )
    for objective in tracker.objectives:
        count = len(krs_of.get(objective.id, []))
        where = cells.at(objective.location, col.TITLE, Level.OBJECTIVE)
        if count == 0:
            found.append(
                finding(
                    "objective-without-krs",
                    Severity.ERROR,
                    objective.location,
                    where,
                    "This objective has no key results, so nothing shows progress on it;"
                    " add 3-5 measurable key results below it.",
                )
            )
        elif not 3 <= count <= 5:
            reason = (
                "more split the team's attention"
                if count > 5
                else "fewer rarely show real progress on an objective"
            )
            found.append(
                finding(
                    "kr-count",
                    Severity.WARNING,
                    objective.location,
                    where,
                    f"This objective has {_count(count, 'key result')}; the method asks for 3-5"
                    f" ({reason}).",
                )
            )
    return found


def objective_title(objective: Objective, words: WordLists, cells: CellFinder) -> list[Finding]:
    where = cells.at(objective.location, col.TITLE, Level.OBJECTIVE)
    found: list[Finding] = []
    if numbers_in(objective.title):
        found.append(
            finding(
                "objective-has-number",
                Severity.WARNING,
                objective.location,
                where,
                "An objective is a long-term direction and a number makes it a key result; move"
                " the number into a key result under a broader objective.",
            )
        )
    if objective.title and contains_word(objective.title, words.direction) is None:
        found.append(
            finding(
                "objective-no-direction",
                Severity.WARNING,
                objective.location,
                where,
                "Say which way to go: start with a direction such as Build, Increase, Improve or"
                " Lead (구축, 증가, 개선...).",
            )
        )
    return found


def key_result(kr: KeyResult, words: WordLists, cells: CellFinder, actions: int) -> list[Finding]:
    loc = kr.location
    title_cell = cells.at(loc, col.TITLE, Level.KEY_RESULT)
    title, numbered = kr.title, has_number(kr.title, words)
    found: list[Finding] = []

    def add(code: str, severity: Severity, key: str, message: str) -> None:
        found.append(finding(code, severity, loc, cells.at(loc, key, Level.KEY_RESULT), message))

    if kr.target is None and not numbered and kr.milestone_done is None:
        add(
            "kr-not-measurable",
            Severity.ERROR,
            col.TARGET,
            "Nothing measures this key result: give it a Target and a Start, or say in the"
            " title what number counts as done.",
        )
    if kr.target is not None and kr.target == kr.start:
        add(
            "kr-target-equals-start",
            Severity.ERROR,
            col.TARGET,
            "Target equals Start, so any progress is undefined; set where you start and where"
            " you want to be.",
        )
    if has_percentage(title) and from_to(title) is None:
        add(
            "kr-relative-percentage",
            Severity.WARNING,
            col.TITLE,
            "A percentage hides the real numbers; write the result as from A to B"
            " (e.g. from 20 to 30 leads).",
        )
    elif not numbered and contains_word(title, words.vague):
        add(
            "kr-vague",
            Severity.WARNING,
            col.TITLE,
            "This says what to work on, not what to measure; name the quantity and its"
            " target, from A to B.",
        )
    elif not numbered and contains_word(title, words.action, first_only=True):
        add(
            "kr-is-action",
            Severity.WARNING,
            col.TITLE,
            "This is something to do, an action; make the key result the measured outcome"
            " it should change, and list this as an action below it.",
        )
    stated = from_to(title)
    readings = from_to_readings(title)
    if (
        stated
        and kr.target is not None
        and not any(_agrees(pair, kr.start, kr.target) for pair in readings)
    ):
        add(
            "kr-title-disagrees",
            Severity.WARNING,
            col.TARGET,
            f"The title says from {_figure(stated[0])} to {_figure(stated[1])} but Start and"
            f" Target are {_figure(kr.start)} and {_figure(kr.target)}; make them agree.",
        )
    if not kr.owner:
        add(
            "kr-no-owner",
            Severity.WARNING,
            col.OWNER,
            "Nobody owns this key result; name one owner who reports on it.",
        )
    if actions == 0:
        found.append(
            finding(
                "kr-without-action",
                Severity.INFO,
                loc,
                title_cell,
                "No action is planned for this key result: could you reach it without one?",
            )
        )
    return found


def quarter_ends(card: Scorecard) -> dict[str, dt.date]:
    """The last day of each quarter as the scorecard counts it (fiscal year start included).

    Taken from the frame once: a pandas lookup per action was most of lint's time.
    """
    return {str(q): end for q, end in card.quarters["end"].items() if isinstance(end, dt.date)}


def quarter_end_day(quarter: Quarter, ends: dict[str, dt.date]) -> dt.date:
    """The last day of a quarter, from quarter_ends() or the calendar."""
    return ends.get(str(quarter)) or quarter.end()


def actions(tracker: Tracker, card: Scorecard, cells: CellFinder) -> list[Finding]:
    as_of, ends = card.as_of, quarter_ends(card)
    quarter_of: dict[str, Quarter | None] = {o.id: o.quarter for o in tracker.objectives}
    quarter_of |= {k.id: quarter_of.get(k.objective_id) for k in tracker.key_results}
    found: list[Finding] = []
    for action in tracker.actions:
        loc = action.location
        due_cell = cells.at(loc, col.DUE, Level.ACTION)
        if action.due is None:
            found.append(
                finding(
                    "action-no-due",
                    Severity.WARNING,
                    loc,
                    due_cell,
                    "Give this action a due date so the quarter has milestones.",
                )
            )
            continue
        if action.due < as_of and action.status is not Status.DONE:
            found.append(
                finding(
                    "action-overdue",
                    Severity.WARNING,
                    loc,
                    due_cell,
                    f"Due {action.due.isoformat()} and not done; finish it, or"
                    " move the date and say why.",
                )
            )
        quarter = quarter_of.get(action.parent_id)
        end = quarter_end_day(quarter, ends) if quarter is not None else None
        if end is not None and action.due > end:
            found.append(
                finding(
                    "action-after-quarter",
                    Severity.WARNING,
                    loc,
                    due_cell,
                    f"Due after {quarter} ends ({end.isoformat()}); an"
                    " action should land within its quarter.",
                )
            )
    return found


def stale(
    tracker: Tracker,
    history: pd.DataFrame,
    as_of: dt.date,
    stale_after: int,
    cells: CellFinder,
) -> list[Finding]:
    earlier = history[history["date"] < as_of].sort_values("date", kind="stable")
    found: list[Finding] = []
    currents = earlier.groupby("id")["current"].apply(list).to_dict()
    for kr in tracker.key_results:
        past = currents.get(kr.id, [])[-stale_after:]
        if kr.current is None or len(past) < stale_after:
            continue
        if all(value == kr.current for value in past):
            found.append(
                finding(
                    "kr-stale",
                    Severity.WARNING,
                    kr.location,
                    cells.at(kr.location, col.CURRENT, Level.KEY_RESULT),
                    f"Current has stayed at {_figure(kr.current)} for the last {stale_after}"
                    " syncs; update it at every check-in, or say what blocks it.",
                )
            )
    return found


def quarter_end(tracker: Tracker, card: Scorecard, cells: CellFinder) -> list[Finding]:
    ends = quarter_ends(card)
    found: list[Finding] = []
    for objective in tracker.objectives:
        if objective.id not in card.objectives.index:
            continue
        if card.as_of <= quarter_end_day(objective.quarter, ends):
            continue  # pass marks apply once the quarter is over, from the day after it
        score = optional_float(card.objectives.at[objective.id, "score"])
        mark = 1.0 if objective.commitment.value == "committed" else 0.7
        if score is not None and score < mark - 1e-9:
            found.append(
                finding(
                    "quarter-end-below-pass",
                    Severity.INFO,
                    objective.location,
                    cells.at(objective.location, col.TITLE, Level.OBJECTIVE),
                    f"The quarter ended at {score:.0%}, below the {mark:.0%} a"
                    f" {objective.commitment.value} objective passes at; carry the lessons into"
                    " next quarter's plan.",
                )
            )
    return found


def empty_plan(tracker: Tracker) -> list[Finding]:
    """A tracker with OKR tabs but no objective on them: nothing can be scored."""
    if tracker.objectives or not tracker.layouts:
        return []
    layout = tracker.layouts[0]
    title = layout.columns.get(col.TITLE, layout.columns.get(col.OBJECTIVE, 0))
    return [
        Finding(
            "plan-empty",
            Severity.ERROR,
            layout.tab,
            cell_address(layout.header_row, title),
            "The plan has no objectives yet: add 3-5 objectives below the header row, each"
            " with 3-5 measurable key results (`sheets-okr init --example` shows one).",
        )
    ]


def _figure(value: float) -> str:
    """A figure as people write it: thousands separators, no exponent below 10^15, no
    trailing zeros (530,435; 1.5; 0.3 for 0.1 + 0.2)."""
    return format(value, ",.15g")
