"""What the summary says once: an assumption common to many rows, a stale check-in."""

from __future__ import annotations

from pathlib import Path

from sheets_okr.actions.lint import LintOptions
from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.lint.settings import LintSettings
from tests.support import okr_sheets
from tests.support.summary_plans import AS_OF, team_plan


def test_an_assumption_of_every_row_is_one_plan_note(tmp_path: Path) -> None:
    """A quarter guessed for every row of a tab is said once, as a note on the whole plan,
    not beside each objective and key result."""
    plan = okr_sheets.checkin_log(tmp_path)
    _, rendered = summarise(str(plan), ReadOptions(okr_sheets.AS_OF), "en", LintOptions())
    note = "No quarter in this row or the tab name"
    assert rendered.text.count(note) == 1
    assert rendered.html.count(note) == 1
    assert rendered.page.count(note) == 1
    assert rendered.text.startswith(rendered.subject + "\n")
    assert f"! Assumed: {note}" in rendered.text.split("== Needs attention ==")[0]


def test_a_stale_check_in_is_said_on_its_row_only(tmp_path: Path) -> None:
    """ "Sign 100 partners" unchanged for two syncs: its row says so; Plan checks do not
    repeat it, and nothing speaks of syncs."""
    plan = team_plan(tmp_path / "okrs.xlsx")
    checks = LintOptions(settings=LintSettings(2))
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "en", checks)
    rows = [line for line in rendered.text.splitlines() if "unchanged" in line.lower()]
    assert len(rows) == 1, rows
    assert "Sign 100 partners" in rendered.text
    assert "sync" not in rendered.text.split("--\n")[0].lower()
    assert rendered.page.lower().count("unchanged") == 1
