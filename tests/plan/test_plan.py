"""The write plan of a sync, before any workbook is touched: cells, tool tabs, and their text.

Grids are built in memory the way a backend hands them over, then parsed and scored by the
real code. On 2026-11-30 the pace of 2026-Q4 is 60/92.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.cli.changes import render_changes
from sheets_okr.lint.checks import lint_tracker
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Tracker
from sheets_okr.plan.columns import plan_columns
from sheets_okr.plan.ownership import LEDGER_HEADER, LEDGER_TITLE, ledger_entries, tool_columns
from sheets_okr.plan.tabs import checks_tab, history_tab, summary_tab
from sheets_okr.read.parse import parse_workbook
from sheets_okr.score.scorecard import Scorecard, score_tracker
from sheets_okr.sources.grid import (
    CellError,
    CellRange,
    CellValue,
    MissingFormulaValue,
    SheetGrid,
    WorkbookGrid,
)
from sheets_okr.sources.writes import (
    CellStyle,
    CellWrite,
    TabContent,
    WritePlan,
    WriteValue,
    same_value,
)
from tests.support.workbooks import small_rows

AS_OF = dt.date(2026, 11, 30)
PACE = 60 / 92
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
TAB = "2026-Q4"
HISTORY_HEADER = ("Date", "ID", "Title", "Current", "Progress", "Score", "Health")
HISTORY_STYLES = (CellStyle.DATE, CellStyle.TEXT, CellStyle.WRAPPED, CellStyle.FIGURE,
                  CellStyle.PERCENT, CellStyle.PERCENT, CellStyle.FILLED)  # fmt: skip

Rows = list[list[CellValue]]


def scored(
    rows: Rows, *others: SheetGrid, merged: tuple[CellRange, ...] = ()
) -> tuple[WorkbookGrid, Tracker, Scorecard]:
    """A one-OKR-tab grid (plus other tabs), parsed and scored on 2026-11-30."""
    grid = WorkbookGrid("memory", (SheetGrid(TAB, rows, merged), *others))
    tracker = parse_workbook(grid, Quarter(2026, 4))
    return grid, tracker, score_tracker(tracker, AS_OF)


def planned(
    rows: Rows, *others: SheetGrid, merged: tuple[CellRange, ...] = ()
) -> dict[tuple[int, int], CellWrite]:
    """The planned cell writes of a tab, by 1-based (row, column)."""
    grid, tracker, card = scored(rows, *others, merged=merged)
    return {(w.row, w.column): w for w in plan_columns(tracker, card, grid)}


def ledger(*columns: str) -> SheetGrid:
    """A Summary tab whose ledger lists these columns of the OKR tab, as "H:Score"."""
    listed: Rows = [[TAB, *column.split(":")] for column in columns]
    return SheetGrid("Summary", [["OKR summary"], [], [LEDGER_TITLE], list(LEDGER_HEADER), *listed])


def ids(tracker: Tracker) -> dict[str, str]:
    """Every node's ID by title."""
    found = {o.title: o.id for o in tracker.objectives}
    found.update({k.title: k.id for k in tracker.key_results})
    found.update({a.title: a.id for a in tracker.actions})
    return found


# ---------------------------------------------------------------------------------------
# same_value


@pytest.mark.parametrize(
    ("old", "new", "same"),
    [
        (None, None, True),
        ("", None, True),
        (None, "", True),
        (0.5, 0.5, True),
        (1, 1.0, True),
        (0.1 + 0.2, 0.3, True),  # rounding in the last bit is not a change
        (0.5, 0.51, False),
        (None, 0.0, False),  # blank is not zero
        (0, None, False),
        ("0.5", 0.5, False),  # text that looks like the number is rewritten as a number
        ("at_risk", "at_risk", True),
        ("at_risk", "on_track", False),
        (True, 1, False),  # a boolean cell is not the number 1
        (True, 1.0, False),
        (False, 0.0, False),
        (True, True, True),
        (dt.datetime(2026, 11, 30), AS_OF, True),  # readers give dates as midnight datetimes
        (dt.datetime(2026, 11, 30, 12, 0), AS_OF, False),
        (AS_OF, AS_OF, True),
        (dt.date(2026, 11, 29), AS_OF, False),
        ("2026-11-30", AS_OF, False),
        (CellError("#N/A"), "#N/A", False),
        (MissingFormulaValue("=A1"), None, False),
    ],
)
def test_same_value(old: CellValue, new: WriteValue, same: bool) -> None:
    """Blanks alike, numbers within rounding, dates as midnight; types otherwise must match."""
    assert same_value(old, new) is same


# ---------------------------------------------------------------------------------------
# plan_columns


def test_plan_for_objective_key_result_and_action_rows() -> None:
    """Headers appended, IDs filled; objectives get score, pace, health; KRs progress too."""
    rows: Rows = [
        ["Type", "Title", "Team", "Start", "Target", "Current"],
        ["Objective", "Traffic", "Content"],
        ["Key Result", "Visits", None, 20, 30, 25],
        ["Action", "Publish"],
    ]
    grid, tracker, card = scored(rows)
    node = ids(tracker)
    writes = {(w.row, w.column): (w.value, w.old, w.style)
              for w in plan_columns(tracker, card, grid)}  # fmt: skip
    percent, health, text, header = (CellStyle.PERCENT, CellStyle.FILLED, CellStyle.TEXT,
                                     CellStyle.HEADER)  # fmt: skip
    assert writes == {
        (1, 7): ("ID", None, header),
        (1, 8): ("Progress", None, header),
        (1, 9): ("Score", None, header),
        (1, 10): ("Expected", None, header),
        (1, 11): ("Health", None, header),
        (2, 7): (node["Traffic"], None, text),
        (2, 9): (0.5, None, percent),
        (2, 10): (pytest.approx(PACE), None, percent),
        (2, 11): ("At risk", None, health),
        (3, 7): (node["Visits"], None, text),
        (3, 8): (0.5, None, percent),
        (3, 9): (0.5, None, percent),
        (3, 10): (pytest.approx(PACE), None, percent),
        (3, 11): ("At risk", None, health),
        (4, 7): (node["Publish"], None, text),
    }
    assert node["Traffic"].startswith("O-")
    assert node["Visits"].startswith("KR-")
    assert node["Publish"].startswith("A-")


def test_plan_writes_are_in_tab_row_column_order_with_addresses() -> None:
    """Writes come sorted by row then column, each with its A1 address."""
    grid, tracker, card = scored(small_rows())
    writes = plan_columns(tracker, card, grid)
    assert [(w.row, w.column) for w in writes] == sorted((w.row, w.column) for w in writes)
    assert writes[0].address == "'2026-Q4'!M1"
    assert {w.tab for w in writes} == {TAB}


def test_plan_is_empty_when_the_sheet_already_holds_every_value() -> None:
    """Applying the plan to the grid and planning again gives nothing to write."""
    rows = small_rows()
    grid, tracker, card = scored(rows)
    columns = tool_columns(tracker, grid, None)
    for write in plan_columns(tracker, card, grid, columns):
        cells = rows[write.row - 1]
        cells.extend([None] * (write.column - len(cells)))
        value = write.value
        cells[write.column - 1] = int(value) if isinstance(value, float) and value == 0 else value
    summary = summary_tab(grid, card, tracker, NOW, ledger=ledger_entries(columns.values()))
    grid, tracker, card = scored(rows, SheetGrid("Summary", [list(row) for row in summary.rows]))
    assert plan_columns(tracker, card, grid) == []


def test_plan_never_replaces_an_id_but_overwrites_other_tool_cells() -> None:
    """A filled ID stays; a person's text in a Score the ledger lists is replaced."""
    rows: Rows = [
        ["Type", "Title", "Start", "Target", "Current", "ID", "Progress", "Score"],
        ["Objective", "Traffic", None, None, None, "my-objective"],
        ["Key Result", "Visits", 0, 10, 5, None, 0.5, "90%"],
    ]
    writes = planned(rows, ledger("G:Progress", "H:Score"))
    assert (2, 6) not in writes
    assert writes[3, 6].value.startswith("KR-")  # type: ignore[union-attr]
    assert (3, 7) not in writes  # already 0.5
    score = writes[3, 8]
    assert (score.old, score.value, score.style) == ("90%", 0.5, CellStyle.PERCENT)
    # Expected and Health are missing: appended right of the last header (Score, column H).
    assert writes[1, 9].value == "Expected"
    assert writes[1, 10].value == "Health"


def test_plan_clears_the_figures_of_a_row_that_cannot_be_read() -> None:
    """A KR with an unreadable cell shows no figures: old ones are planned blank."""
    rows: Rows = [
        ["Type", "Title", "Start", "Target", "Current", "ID", "Progress", "Score", "Expected",
         "Health"],
        ["Objective", "Traffic", None, None, None, "O-1"],
        ["Key Result", "Visits", 0, "thirty", 5, "KR-1", 0.5, 0.5, 0.65, "at_risk"],
    ]  # fmt: skip
    writes = planned(rows, ledger("G:Progress", "H:Score", "I:Expected", "J:Health"))
    assert {(c, writes[3, c].value) for c in (7, 8, 9, 10)} == {(c, None) for c in (7, 8, 9, 10)}
    assert writes[3, 10].style is CellStyle.FILLED


def test_plan_in_tree_layout_gives_a_shared_row_to_its_key_result() -> None:
    """Objective and KR on one row: the row's ID and figures are the KR's (the deepest level)."""
    rows: Rows = [
        ["Objective", "Key Result", "Action", "Start", "Target", "Current"],
        ["Traffic", "Visits", None, 20, 30, 25],
        [None, "Sessions", None, 0, 100, 10],
        [None, None, "Write posts"],
        ["Pipeline"],
    ]
    grid, tracker, card = scored(rows)
    node = ids(tracker)
    writes = {(w.row, w.column): w.value for w in plan_columns(tracker, card, grid)}
    assert writes[1, 7] == "ID"
    assert writes[2, 7] == node["Visits"]
    assert writes[2, 8] == 0.5  # the KR's progress
    assert writes[2, 9] == 0.5
    assert writes[3, 7] == node["Sessions"]
    assert writes[3, 8] == pytest.approx(0.1)
    assert writes[4, 7] == node["Write posts"]
    assert (4, 8) not in writes
    assert writes[5, 7] == node["Pipeline"]
    assert writes[5, 11] == "No data"
    assert node["Traffic"] not in writes.values()  # an objective sharing a row gets no ID cell


def test_tool_columns_go_right_of_a_merged_header_cell() -> None:
    """A header cell merged across two columns counts as using both."""
    rows: Rows = [
        ["Type", "Title", "Start", "Target", "Current", "Notes"],
        ["Objective", "Traffic"],
        ["Key Result", "Visits", 0, 10, 5],
    ]
    writes = planned(rows, merged=(CellRange(0, 5, 0, 6),))  # F1:G1
    assert writes[1, 8].value == "ID"


def test_a_banner_above_the_header_does_not_move_the_tool_columns() -> None:
    """A title merged across row 1 above the header row is not part of the header."""
    rows: Rows = [
        ["Marketing OKRs"],
        ["Type", "Title", "Start", "Target", "Current"],
        ["Objective", "Traffic"],
        ["Key Result", "Visits", 0, 10, 5],
    ]
    writes = planned(rows, merged=(CellRange(0, 0, 0, 19),))  # A1:T1
    assert writes[2, 6].value == "ID"
    assert writes[4, 6].value.startswith("KR-")  # type: ignore[union-attr]


def test_tool_columns_go_right_of_values_in_columns_without_a_header() -> None:
    """Notes typed right of the header, in no named column, are never written over."""
    rows: Rows = [
        ["Type", "Title", "Start", "Target", "Current"],
        ["Objective", "Traffic", None, None, None, None, None, "ask Sam"],
        ["Key Result", "Visits", 0, 10, 5],
    ]
    writes = planned(rows)
    assert min(column for _, column in writes) == 9
    assert writes[1, 9].value == "ID"
    assert writes[1, 13].value == "Health"


def test_existing_tool_columns_are_used_where_they_are() -> None:
    """Named tool columns (any alias) anywhere in the header are reused; nothing appended."""
    rows: Rows = [
        ["건강도", "Type", "Title", "Start", "Target", "Current", "점수", "Key", "Pace", "진행률"],
        [None, "Objective", "Traffic"],
        [None, "Key Result", "Visits", 0, 10, 5],
    ]
    writes = planned(rows)
    assert all(row > 1 for row, _ in writes)
    assert {(row, column) for row, column in writes if row == 3} == {
        (3, 1), (3, 7), (3, 8), (3, 9), (3, 10)
    }  # fmt: skip
    assert writes[3, 1].value == "위험"  # health in words, in the language of the headers
    assert writes[3, 8].value.startswith("KR-")  # type: ignore[union-attr]


# ---------------------------------------------------------------------------------------
# History


def test_history_tab_is_created_with_one_row_per_key_result() -> None:
    """Without a History tab: a header and this date's rows, in the plan's order."""
    grid, tracker, card = scored(small_rows())
    node = ids(tracker)
    tab = history_tab(grid, card, tracker)
    assert (tab.title, tab.existed, tab.changed) == ("History", False, True)
    assert tab.rows == (
        HISTORY_HEADER,
        (AS_OF, node["Grow visits from 20 to 30"], "Grow visits from 20 to 30", 25.0, 0.5, 0.5,
         "At risk"),
        (AS_OF, node["Cut cost per MQL from 180 to 120"], "Cut cost per MQL from 180 to 120",
         150.0, 0.5, 0.5, "At risk"),
        (AS_OF, node["Win 10 deals"], "Win 10 deals", None, None, 0.0, "No data"),
    )  # fmt: skip
    assert tab.styles[0] == (CellStyle.HEADER,) * 7
    assert tab.styles[1:] == (HISTORY_STYLES,) * 3
    assert tab.number_formats == ("", "#,##0", "#,##0", "#,##0")


def _history_sheet(rows: Rows) -> SheetGrid:
    return SheetGrid("History", [list(HISTORY_HEADER), *rows])


def test_history_tab_replaces_only_the_as_of_dates_rows_in_place() -> None:
    """This date's old rows give way to fresh ones at their place; other dates stay as they are."""
    earlier: Rows = [
        [dt.datetime(2026, 11, 15), "KR-A", "Old title", 22, 0.2, 0.2, "at_risk"],
        [dt.datetime(2026, 11, 15), "KR-GONE", "A retired KR", None, None, 0, "no_data"],
    ]
    stale: Rows = [
        [dt.datetime(2026, 11, 30), "KR-A", "Old title", 24, 0.4, 0.4, "at_risk"],
        ["2026-11-30", "KR-B", "typed as text", 1, 1, 1, "done"],
    ]
    later: Rows = [[dt.datetime(2026, 12, 7), "KR-A", "Old title", 30, 1, 1, "done"]]
    grid, tracker, card = scored(small_rows(), _history_sheet(earlier + stale + later))
    tab = history_tab(grid, card, tracker)
    assert tab.existed
    assert tab.changed
    body = [list(row) for row in tab.rows[1:]]
    assert body[:2] == earlier
    assert [row[0] for row in body[2:5]] == [AS_OF] * 3
    fresh_titles = ["Grow visits from 20 to 30", "Cut cost per MQL from 180 to 120", "Win 10 deals"]
    assert [row[2] for row in body[2:5]] == fresh_titles
    assert body[5:] == later
    assert len(body) == 6


def test_history_tab_is_unchanged_when_it_holds_the_same_rows() -> None:
    """History read back (dates as datetimes, numbers as floats) equals the plan: no change."""
    grid, tracker, card = scored(small_rows())
    fresh = history_tab(grid, card, tracker)
    read_back: Rows = [
        [dt.datetime.combine(AS_OF, dt.time()), *(float(v) if isinstance(v, int) else v
                                                  for v in row[1:])]
        for row in fresh.rows[1:]
    ]  # fmt: skip
    grid, tracker, card = scored(small_rows(), _history_sheet(read_back))
    again = history_tab(grid, card, tracker)
    assert (again.existed, again.changed) == (True, False)
    assert again.rows == fresh.rows


# ---------------------------------------------------------------------------------------
# Summary and Checks


def test_summary_tab_lists_quarter_team_and_objective_scores() -> None:
    """Summary: title, as-of date, timestamp, then quarter, team and objective rows."""
    grid, tracker, card = scored(small_rows())
    node = ids(tracker)
    tab = summary_tab(grid, card, tracker, NOW)
    assert (tab.title, tab.existed, tab.changed, tab.frozen_rows) == ("Summary", False, True, 5)
    pace = pytest.approx(PACE)
    expected: tuple[tuple[Any, ...], ...] = (
        ("OKR summary",),
        ("As of", AS_OF),
        ("Last changed", "2026-11-30 09:00 UTC"),
        (),
        ("Level", "Quarter", "Team", "Objective", "ID", "Score", "Expected", "Health", "Grade"),
        # (0.5 + 0.0) / 2 = 0.25: gap 0.402 > 0.30
        ("Quarter", "2026-Q4", None, None, None, 0.25, pace, "Off track", "red"),
        ("Team", "2026-Q4", "Content", None, None, 0.5, pace, "At risk", None),
        ("Team", "2026-Q4", "Demand Gen", None, None, 0.0, pace, "Off track", None),
        ("Objective", "2026-Q4", "Content", "Increase website traffic",
         node["Increase website traffic"], 0.5, pace, "At risk", "yellow"),
        ("Objective", "2026-Q4", "Demand Gen", "Improve the sales pipeline",
         node["Improve the sales pipeline"], 0.0, pace, "Off track", "red"),
    )  # fmt: skip
    assert tab.rows == expected
    assert tab.styles[1] == (CellStyle.TEXT, CellStyle.DATE)
    assert tab.styles[5][5:8] == (CellStyle.PERCENT, CellStyle.PERCENT, CellStyle.FILLED)
    assert len(tab.styles) == len(tab.rows)


def test_summary_tab_names_objectives_without_a_team() -> None:
    """An objective with no team is summed under "(no team)"; its own row leaves Team blank."""
    rows: Rows = [["Type", "Title", "Start", "Target", "Current"], ["Objective", "Traffic"],
                  ["Key Result", "Visits", 0, 10, 5]]  # fmt: skip
    grid, tracker, card = scored(rows)
    by_level = {row[0]: row for row in summary_tab(grid, card, tracker, NOW).rows[5:]}
    assert by_level["Team"][2] == "(no team)"
    assert by_level["Objective"][2] is None


def test_summary_tab_ignores_its_own_timestamp_when_comparing() -> None:
    """Only the "Last changed" time differing is not a change; a different score is."""
    grid, tracker, card = scored(small_rows())
    fresh = summary_tab(grid, card, tracker, NOW)

    def as_read(rows: tuple[tuple[WriteValue, ...], ...]) -> Rows:
        out: Rows = []
        for row in rows:
            out.append([dt.datetime.combine(v, dt.time()) if isinstance(v, dt.date) else v
                        for v in row])  # fmt: skip
        return out

    stored = as_read(fresh.rows)
    stored[2][1] = "2026-11-23 09:00 UTC"
    grid, tracker, card = scored(small_rows(), SheetGrid("Summary", stored))
    assert summary_tab(grid, card, tracker, NOW).changed is False
    stored[5][5] = 0.3
    grid, tracker, card = scored(small_rows(), SheetGrid("Summary", stored))
    assert summary_tab(grid, card, tracker, NOW).changed is True


def test_checks_tab_lists_each_unreadable_cell() -> None:
    """Each problem is a row: severity error, its tab and cell, and what is wrong."""
    rows = small_rows()
    rows[2][6] = "thirty"
    rows[4][7] = "lots"
    grid, tracker, card = scored(rows)
    tab = checks_tab(grid, lint_tracker(tracker, card))
    assert tab.title == "Checks"
    assert tab.rows[0] == ("Severity", "Code", "Tab", "Cell", "Advice")
    errors = [(r[2], r[3], r[4]) for r in tab.rows[1:] if r[0] == "error"]
    assert (TAB, "G3", 'Target "thirty" is not a number') in errors
    assert any(cell == "H5" and "lots" in str(advice) for _, cell, advice in errors)
    assert all(style == (CellStyle.TEXT,) * 4 + (CellStyle.WRAPPED,) for style in tab.styles[1:])


def test_checks_tab_holds_the_lint_findings_in_order() -> None:
    """A readable plan's Checks rows are its lint findings, in lint's order, none an error."""
    grid, tracker, card = scored(small_rows())
    findings = lint_tracker(tracker, card)
    tab = checks_tab(grid, findings)
    assert tab.rows[0] == ("Severity", "Code", "Tab", "Cell", "Advice")
    assert [r[:4] for r in tab.rows[1:]] == [
        (f.severity.value, f.code, f.tab, f.cell) for f in findings
    ]
    assert not [r for r in tab.rows[1:] if r[0] == "error"]


# ---------------------------------------------------------------------------------------
# the plan as text


def _tab(title: str, *, existed: bool, changed: bool, rows: int = 3) -> TabContent:
    return TabContent(title, ((1,),) * rows, ((CellStyle.PLAIN,),) * rows, existed=existed,
                      changed=changed)  # fmt: skip


def test_render_changes_says_when_nothing_would_change() -> None:
    """An empty plan (or only unchanged tabs) prints one reassuring line."""
    plan = WritePlan(tabs=(_tab("History", existed=True, changed=False),))
    assert plan.is_empty
    assert plan.changed_tabs == ()
    assert render_changes(plan) == "Nothing to change: the workbook already holds every value.\n"


def test_render_changes_lists_cells_old_to_new_and_tabs() -> None:
    """One line per cell (tab!A1: old -> new) and per created or rewritten tab."""
    cells = (
        CellWrite(TAB, 1, 13, "ID", None, CellStyle.HEADER),
        CellWrite(TAB, 3, 14, 0.652173913, 0.5, CellStyle.PERCENT),
        CellWrite("Plan", 4, 2, None, "stale", CellStyle.FILLED),
        CellWrite("Team's plan", 5, 1, dt.date(2026, 11, 30), "", CellStyle.DATE),
        CellWrite("Plan", 6, 28, "two\nlines", 3, CellStyle.TEXT),
    )
    plan = WritePlan(cells, (_tab("Summary", existed=False, changed=True, rows=10),
                             _tab("History", existed=True, changed=True, rows=7),
                             _tab("Checks", existed=True, changed=False)))  # fmt: skip
    assert not plan.is_empty
    assert render_changes(plan).splitlines() == [
        "5 cells would change:",
        "  '2026-Q4'!M1: (blank) -> \"ID\"",
        "  '2026-Q4'!N3: 0.5 -> 0.6522",
        '  Plan!B4: "stale" -> (blank)',
        "  'Team''s plan'!A5: (blank) -> 2026-11-30",
        '  Plan!AB6: 3 -> "two lines"',
        "Tab Summary would be created (10 rows).",
        "Tab History would be rewritten (7 rows).",
    ]


def test_render_changes_of_tabs_only() -> None:
    """A plan that changes only a tool tab prints no cell count."""
    plan = WritePlan(tabs=(_tab("History", existed=True, changed=True),))
    assert render_changes(plan) == "Tab History would be rewritten (3 rows).\n"


def test_cell_write_address_quotes_tab_names_that_need_it() -> None:
    """Tab names that are not plain words are quoted, with quotes doubled."""
    writes: list[tuple[str, int, int, str]] = [
        ("Plan", 1, 1, "Plan!A1"),
        ("2026-Q4", 12, 6, "'2026-Q4'!F12"),
        ("Q4 plan", 2, 27, "'Q4 plan'!AA2"),
        ("Sam's", 3, 3, "'Sam''s'!C3"),
    ]
    for tab, row, column, address in writes:
        assert CellWrite(tab, row, column, 1, None, CellStyle.PLAIN).address == address


def test_a_korean_tab_gets_korean_tool_headers_read_back_by_the_next_sync(
    tmp_path: Path,
) -> None:
    """Under Korean headers the columns sync appends are named ID, 진행률, 점수, 예상 and
    건강도 (with Korean health words); the next sync reads them as its own and adds none."""
    from openpyxl import load_workbook

    from tests.support.commands import run
    from tests.support.workbooks import write_workbook

    rows: list[list[Any]] = [
        ["유형", "제목", "담당자", "시작", "목표", "현재", "단위"],
        ["목표", "한국 시장 트래픽 증가", "박지민"],
        ["핵심 결과", "방문자를 8,000명에서 15,000명으로", "박지민", 8000, 15000, 12000, "명"],
    ]
    path = write_workbook(tmp_path / "okrs.xlsx", {"2026-Q4": rows})
    assert run("sync", str(path), "--as-of", "2026-11-30").exit_code == 0
    sheet = load_workbook(path)["2026-Q4"]
    header = [cell.value for cell in sheet[1]]
    assert header[7:] == ["ID", "진행률", "점수", "예상", "건강도"]
    assert sheet.cell(3, 12).value in {"완료", "순항", "위험", "이탈", "데이터 없음"}
    again = run("sync", str(path), "--as-of", "2026-11-30", "--dry-run")
    assert again.exit_code == 0
    assert again.stdout.startswith("Nothing to change"), again.output
    assert [cell.value for cell in load_workbook(path)["2026-Q4"][1]] == header
