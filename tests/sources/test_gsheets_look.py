"""How the tabs a sync writes to a Google Sheet look: History's figures in the format of their
unit, long text wrapped, sent through the API to the local Sheets emulator."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_okr.cli import cli
from sheets_okr.read.history import HISTORY_HEADER
from sheets_okr.sources.gsheets import formats
from sheets_okr.sources.gsheets import sheet as gsheets
from sheets_okr.sources.gsheets.client import RetryPolicy
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.workbooks import TYPE_HEADER

KEY = "1TrackerLookForTests_abc"
SOURCE = f"gsheet:{KEY}"
TAB = "2026-Q4"
TRACKER: list[list[Any]] = [
    TYPE_HEADER,
    ["Objective", "Grow the pipeline of enterprise accounts in the northern region through"
     " partner-sourced demos and referrals", "Dana", "Demand Gen"],
    ["Key Result", "Increase pipeline from $400,000 to $650,000", "Dana", None, None,
     400000, 650000, 530435, "$"],
    ["Key Result", "Grow visits from 20,000 to 30,000", "Lee", None, None, 20000, 30000, 26217,
     "visits"],
    ["Key Result", "Raise the trial rate from 20% to 30%", "Kim", None, None, 0.2, 0.3, 0.25, "%"],
    ["Key Result", "Cut cost per lead from 1.50 to 1.20", "Kim", None, None, 1.5, 1.2, 1.35, "USD"],
]  # fmt: skip
EXPECTED = {  # KR title -> (pattern, what History shows)
    "Increase pipeline from $400,000 to $650,000": ('"$"#,##0', "$530,435"),
    "Grow visits from 20,000 to 30,000": ("#,##0", "26,217"),
    "Raise the trial rate from 20% to 30%": ("0%", "25%"),
    "Cut cost per lead from 1.50 to 1.20": ('"$"#,##0.00', "$1.35"),
}


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries wait milliseconds here."""
    policy = RetryPolicy(
        attempts=4, base_delay=0.001, max_delay=0.01, quota_delay=0.001, timeout=(5.0, 30.0)
    )
    monkeypatch.setattr(gsheets, "DEFAULT_RETRY", policy)


def _sync(as_of: str) -> Result:
    result = CliRunner().invoke(cli, ["sync", SOURCE, "--as-of", as_of], prog_name="sheets-okr")
    assert result.exit_code == 0, result.output
    return result


def _history_figures(emu: SheetsEmulator) -> list[tuple[int, str, tuple[str, str] | None, str]]:
    """Each History row's number, KR title, Current's number format and what it shows."""
    rows = emu.values(KEY, "History")
    out = []
    for number, row in enumerate(rows[1:], start=2):
        shown = emu.cell(KEY, "History", f"D{number}")
        out.append((number, str(row[2]), shown.number_format, shown.formatted))
    return out


def test_history_figures_are_formatted_from_their_unit(google_env: SheetsEmulator) -> None:
    """Dollars with a sign and separators, counts with separators, a percent as a percent."""
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    _sync("2026-11-23")
    figures = _history_figures(google_env)
    assert len(figures) == 4
    for _, title, number_format, formatted in figures:
        pattern, shown = EXPECTED[title]
        assert number_format == ("PERCENT" if pattern.endswith("%") else "NUMBER", pattern)
        assert formatted == shown, title


def test_a_new_weeks_rows_are_formatted_and_older_rows_are_left_alone(
    google_env: SheetsEmulator,
) -> None:
    """The next week's History rows get their formats in the sync's one structural call, the
    older rows keep theirs, and a sync with nothing new sends no format."""
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    _sync("2026-11-23")
    google_env.set_cell(KEY, TAB, "H3", 540000)
    _sync("2026-11-30")
    figures = _history_figures(google_env)
    assert len(figures) == 8
    for _, title, number_format, _shown in figures:
        pattern, _ = EXPECTED[title]
        assert number_format is not None, title
        assert number_format[1] == pattern, title
    assert figures[4][3] == "$540,000"
    structural = [r for r in google_env.api_requests if r.path.endswith(":batchUpdate")]
    assert structural  # the second week's rows needed formats
    google_env.clear_log()
    _sync("2026-11-30")
    assert [r.method for r in google_env.api_requests] == ["GET"]


def test_long_text_of_a_new_tool_tab_wraps(google_env: SheetsEmulator) -> None:
    """Summary's objective titles, History's KR titles and Checks' advice wrap in their
    columns (Google Sheets fits the rows' heights itself)."""
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    _sync("2026-11-30")
    for tab, a1 in (("Summary", "D6"), ("History", "C2"), ("Checks", "E2")):
        assert google_env.cell(KEY, tab, a1).format.get("wrapStrategy") == "WRAP", (tab, a1)
    assert google_env.cell(KEY, "Summary", "A6").format.get("wrapStrategy") != "WRAP"


def test_formats_follow_their_key_results_when_one_is_added_above(
    google_env: SheetsEmulator,
) -> None:
    """A key result added in the middle moves the History rows after it: each row rewritten
    gets its own key result's format, never that of the row that sat there before."""
    google_env.create_spreadsheet(KEY, {TAB: TRACKER})
    _sync("2026-11-23")
    _sync("2026-11-30")
    added: list[Any] = ["Key Result", "Lift the demo rate from 10% to 15%", "Kim", None, None,
                        0.1, 0.15, 0.125, "%"]  # fmt: skip
    google_env.insert_rows(KEY, TAB, 3, 1, [added])
    _sync("2026-11-30")
    expected = {**EXPECTED, str(added[1]): ("0.0%", "12.5%")}
    figures = _history_figures(google_env)
    assert len(figures) == 9
    for number, title, number_format, shown in figures:
        pattern, text = expected[title]
        assert number_format is not None, (number, title)
        assert number_format[1] == pattern, (number, title)
        assert shown == text, (number, title)


def _older_history() -> list[list[Any]]:
    """A History tab as an earlier version wrote it: two weeks, no formats, no wrapping."""
    rows: list[list[Any]] = [list(HISTORY_HEADER)]
    for week in (dt.date(2026, 11, 9), dt.date(2026, 11, 16)):
        for index, row in enumerate(TRACKER[2:], start=1):
            rows.append([week, f"KR-{index}", row[1], row[7], 0.5, 0.5, "On track"])
    return rows


def test_a_history_without_formats_gets_them_a_bounded_number_per_sync(
    google_env: SheetsEmulator, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An earlier version's History (no formats, no wrapping) is formatted the newest rows
    first, at most MAX_FIGURE_FORMATS a sync, until every figure has its format; its titles
    wrap from the first sync that makes a structural call."""
    monkeypatch.setattr(formats, "MAX_FIGURE_FORMATS", 6)
    tracker = [row[:] for row in TRACKER]
    tracker[0] = [*TYPE_HEADER, "ID"]
    for index, row in enumerate(tracker[2:], start=1):
        row.extend([None] * (len(TYPE_HEADER) - len(row)) + [f"KR-{index}"])
    google_env.create_spreadsheet(KEY, {TAB: tracker, "History": _older_history()})
    _sync("2026-11-23")
    formatted = [f for f in _history_figures(google_env) if f[2] is not None]
    assert {f[0] for f in formatted} == {8, 9, 10, 11, 12, 13}  # this week's 4, two before
    sizes = [
        len(request["updateCells"]["rows"])
        for logged in google_env.api_requests
        if logged.path.endswith(":batchUpdate")
        for request in logged.body["requests"]
        if "updateCells" in request
    ]
    assert sum(sizes) == 6
    assert google_env.cell(KEY, "History", "C2").format.get("wrapStrategy") == "WRAP"
    for week in ("2026-11-30", "2026-12-07", "2026-12-14"):  # 6 + 4 more rows a week
        _sync(week)
    figures = _history_figures(google_env)
    assert len(figures) == 24
    assert all(f[2] is not None and f[2][1] == EXPECTED[f[1]][0] for f in figures), figures
