"""Holding a plan to the OKR method (okr-method.md): findings that point at a cell.

Every finding has a stable code, a severity and one sentence of advice. Title heuristics
use the word lists of wordlists.py, so the method's good examples pass and its bad ones are
caught, in English and Korean.
"""

from __future__ import annotations

from collections import Counter, defaultdict

import pandas as pd

from sheets_okr.a1 import column_index
from sheets_okr.lint import rules
from sheets_okr.lint.findings import CellFinder, Finding, Severity
from sheets_okr.lint.settings import LintSettings
from sheets_okr.lint.wordlists import WordLists
from sheets_okr.model.tracker import KeyResult, Tracker
from sheets_okr.score.assumptions import assumptions
from sheets_okr.score.scorecard import Scorecard


def lint_tracker(
    tracker: Tracker,
    card: Scorecard,
    *,
    history: pd.DataFrame | None = None,
    words: WordLists | None = None,
    settings: LintSettings | None = None,
) -> list[Finding]:
    """Every finding for a plan at the scorecard's as-of date, in sheet order."""
    words = words or WordLists.load()
    settings = settings or LintSettings()
    cells = CellFinder(tracker.layouts)
    findings: list[Finding] = []
    krs_of: dict[str, list[KeyResult]] = defaultdict(list)
    for kr in tracker.key_results:
        krs_of[kr.objective_id].append(kr)
    findings += rules.counts(tracker, krs_of, cells)
    for objective in tracker.objectives:
        findings += rules.objective_title(objective, words, cells)
    actions_per_parent = Counter(action.parent_id for action in tracker.actions)
    for kr in tracker.key_results:
        findings += rules.key_result(kr, words, cells, actions_per_parent[kr.id])
    findings += rules.actions(tracker, card, cells)
    if history is not None and not history.empty:
        findings += rules.stale(tracker, history, card.as_of, settings.stale_after, cells)
    findings += rules.quarter_end(tracker, card, cells)
    findings += rules.empty_plan(tracker)
    findings += [Finding(a.code, a.severity, a.tab, a.cell, a.message)
                 for a in assumptions(tracker, card, history)]  # fmt: skip
    findings = _with_unreadable(tracker, findings)
    order = {layout.tab: i for i, layout in enumerate(tracker.layouts)}
    return sorted(findings, key=lambda f: (order.get(f.tab, -1), *_cell_key(f.cell), f.code))


def _with_unreadable(tracker: Tracker, findings: list[Finding]) -> list[Finding]:
    """The rules' findings and the reading problems as errors, each cell's trouble said once.

    Reading already refuses a Target equal to Start; the rule's own code reports it. And a
    Target that could not be read is reported as unreadable, not as a missing target.
    """
    ruled = {(f.tab, f.cell) for f in findings if f.code == "kr-target-equals-start"}
    problems = [
        Finding("unreadable", Severity.ERROR, p.tab, p.cell, p.message)
        for p in tracker.problems
        if (p.tab, p.cell) not in ruled
    ]
    unreadable = {(f.tab, f.cell) for f in problems}
    return problems + [
        f for f in findings if not (f.code == "kr-not-measurable" and (f.tab, f.cell) in unreadable)
    ]


def _cell_key(cell: str) -> tuple[int, int]:
    """Sheet order of an A1 address: row first, then column."""
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters) :]
    return (int(digits) if digits else 0, column_index(letters) if letters else -1)
