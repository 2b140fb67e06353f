"""Holding a source's plan to the OKR method: the findings of `lint`, also the Checks tab's."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.lint.checks import lint_tracker
from sheets_okr.lint.findings import Finding
from sheets_okr.lint.settings import DEFAULT_LINT, LintSettings
from sheets_okr.lint.wordlists import WordLists
from sheets_okr.score.scored import ScoredTracker


@dataclass(frozen=True)
class LintOptions:
    """How the plan checks run: their settings, and a team's own word lists."""

    settings: LintSettings = DEFAULT_LINT
    word_files: tuple[Path, ...] = ()


DEFAULT_CHECKS = LintOptions()


def check_plan(scored: ScoredTracker, options: LintOptions) -> list[Finding]:
    """Every finding of a scored tracker, in sheet order."""
    return lint_tracker(
        scored.tracker,
        scored.card,
        history=scored.history,
        words=WordLists.load(options.word_files),
        settings=options.settings,
    )


def lint_source(
    source: str, reading: ReadOptions, options: LintOptions = DEFAULT_CHECKS
) -> tuple[ScoredTracker, list[Finding]]:
    """Read and score a source, and check its plan; writes nothing."""
    scored = score_source(source, reading)
    return scored, check_plan(scored, options)
