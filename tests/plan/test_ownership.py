"""Columns named like the tool's that stay the people's, and the ledger that tells them apart.

The first tests plan from grids built in memory, the way a backend hands them over; the
rest sync real .xlsx files (built with openpyxl, or by `init`) several times and load them
back with openpyxl. On 2026-11-30 the pace of 2026-Q4 is 60/92.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.sync import SyncOptions, SyncResult, sync_source
from sheets_okr.model.quarters import Quarter
from sheets_okr.plan.columns import plan_columns
from sheets_okr.plan.ownership import (
    EARLIER_SYNC,
    LEDGER_HEADER,
    LEDGER_TITLE,
    LedgerEntry,
    ledger_entries,
    parse_ledger,
    tool_columns,
)
from sheets_okr.plan.starter import HEADER_ROW, LAYOUT, create_workbook
from sheets_okr.plan.tabs import read_ledger, summary_tab
from sheets_okr.read import columns as col
from sheets_okr.read.parse import parse_workbook
from sheets_okr.score.scorecard import score_tracker
from sheets_okr.sources.grid import CellValue, MissingFormulaValue, SheetGrid, WorkbookGrid
from sheets_okr.sources.writes import CellStyle, CellWrite

AS_OF = dt.date(2026, 11, 30)
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
TAB = "Q4 2026"
DATES = (dt.date(2026, 11, 15), dt.date(2026, 11, 30), dt.date(2026, 12, 15))

Rows = list[list[CellValue]]
HEADER: list[CellValue] = ["Type", "Title", "Owner", "Start", "Target", "Current", "Unit", "Score"]


def okr_rows(score: list[CellValue]) -> Rows:
    """An objective and three key results (A Type ... G Unit), and a Score column (H) holding
    `score` on the three key-result rows."""
    return [
        list(HEADER),
        ["Objective", "Grow traffic", "Sam"],
        ["Key Result", "Visits", "Lee", 20, 30, 25, "visits", score[0]],
        ["Key Result", "Signups", "Kim", 0, 100, 10, "signups", score[1]],
        ["Key Result", "Demos", "Dana", 0, 40, 30, "demos", score[2]],
    ]


def plan(
    rows: Rows, *others: SheetGrid, formulas: frozenset[tuple[int, int]] = frozenset()
) -> dict[tuple[int, int], CellWrite]:
    """The planned writes to the OKR tab, by 1-based (row, column)."""
    grid = WorkbookGrid("memory", (SheetGrid(TAB, rows, formulas=formulas), *others))
    tracker = parse_workbook(grid, Quarter(2026, 4))
    card = score_tracker(tracker, AS_OF)
    return {(w.row, w.column): w for w in plan_columns(tracker, card, grid) if w.tab == TAB}


def ledger(*columns: str, tab: str = TAB) -> SheetGrid:
    """A Summary tab whose ledger lists these columns of a tab, given as "H:Score"."""
    listed: Rows = [[tab, *column.split(":")] for column in columns]
    rows: Rows = [["OKR summary"], ["As of", AS_OF], [], [LEDGER_TITLE], list(LEDGER_HEADER)]
    return SheetGrid("Summary", rows + listed)


def headers(writes: dict[tuple[int, int], CellWrite]) -> dict[int, object]:
    """The header cells a plan writes, by 1-based column."""
    return {column: w.value for (row, column), w in writes.items() if row == 1}


# ---------------------------------------------------------------------------------------
# who owns a column, planned from grids


def test_a_score_column_of_formulas_is_left_alone_and_the_tools_goes_beside_it() -> None:
    """Formula cells in Score's OKR rows make it the people's: its own column is appended."""
    formulas = frozenset({(2, 7), (3, 7), (4, 7)})
    writes = plan(okr_rows([0.5, 0.1, 0.75]), ledger("H:Score"), formulas=formulas)
    assert not [w for (_, column), w in writes.items() if column == 8]
    assert headers(writes) == {9: "ID", 10: "Progress", 11: "Score (sheets-okr)", 12: "Expected",
                               13: "Health"}  # fmt: skip
    assert writes[3, 11].value == 0.5
    assert writes[3, 11].style is CellStyle.PERCENT


def test_a_formula_saved_without_its_value_also_makes_the_column_the_peoples() -> None:
    """A MissingFormulaValue cell counts as a formula even when no position was noted."""
    writes = plan(okr_rows([MissingFormulaValue("=F3/E3"), None, None]))
    assert headers(writes)[11] == "Score (sheets-okr)"
    assert (3, 8) not in writes


def test_hand_typed_values_without_a_ledger_are_the_peoples() -> None:
    """Grades typed in Score, and no ledger saying the tool wrote them: they stay."""
    writes = plan(okr_rows([0.7, 0.3, 1.0]))
    assert not [w for (_, column), w in writes.items() if column == 8]
    assert headers(writes)[11] == "Score (sheets-okr)"


def test_an_empty_score_column_is_the_tools() -> None:
    """An empty column named Score is filled in place; nothing is appended for it."""
    writes = plan(okr_rows([None, "", None]))
    assert writes[3, 8].value == 0.5
    assert "Score (sheets-okr)" not in headers(writes).values()
    assert "Score" not in headers(writes).values()


def test_values_the_ledger_lists_at_their_letter_are_the_tools() -> None:
    """Values in a Score column the ledger lists at H are the tool's: rewritten."""
    writes = plan(okr_rows([0.1, 0.1, 0.1]), ledger("H:Score"))
    assert writes[3, 8].value == 0.5
    assert "Score (sheets-okr)" not in headers(writes).values()


def test_the_ledger_of_another_tab_or_header_does_not_count() -> None:
    """A ledger row of another tab, or of another header at H, leaves the values people's."""
    for sheet in (ledger("H:Score", tab="Q3 2026"), ledger("H:Progress")):
        writes = plan(okr_rows([0.1, 0.1, 0.1]), sheet)
        assert (3, 8) not in writes
        assert headers(writes)[11] == "Score (sheets-okr)"


def test_a_column_moved_by_an_inserted_one_is_still_the_tools() -> None:
    """Listed at G, now at H (G holds another header) and the only Score: still the tool's."""
    writes = plan(okr_rows([0.1, 0.1, 0.1]), ledger("G:Score"))
    assert writes[3, 8].value == 0.5


def test_a_moved_column_is_not_taken_when_two_columns_share_its_name() -> None:
    """Two Score columns after a move: which one the tool wrote is unknown, so neither."""
    rows = okr_rows([0.1, 0.1, 0.1])
    rows[0].append("Score")
    writes = plan(rows, ledger("G:Score"))
    assert (3, 8) not in writes
    assert (3, 9) not in writes
    assert headers(writes)[12] == "Score (sheets-okr)"


def test_a_formula_wins_over_the_ledger() -> None:
    """The tool never writes formulas: a formula in a listed column makes it the people's."""
    writes = plan(okr_rows([0.1, 0.1, 0.1]), ledger("H:Score"), formulas=frozenset({(3, 7)}))
    assert (3, 8) not in writes
    assert headers(writes)[11] == "Score (sheets-okr)"


def test_a_formula_outside_the_okr_rows_does_not_count() -> None:
    """A totals row under the plan may hold a formula in the tool's column; the rows stay its."""
    rows = okr_rows([None, None, None])
    rows.append([None, "Average", None, None, None, None, None, 0.45])
    writes = plan(rows, formulas=frozenset({(5, 7)}))
    assert writes[3, 8].value == 0.5
    assert (6, 8) not in writes


def test_a_marked_column_is_the_tools_and_the_plain_one_stays() -> None:
    """`Score (sheets-okr)` is written; the Score beside it is left, even where empty."""
    rows = okr_rows([None, 0.9, None])
    rows[0] += [None, "Score (sheets-okr)"]
    writes = plan(rows)
    assert writes[3, 10].value == 0.5
    assert not [w for (_, column), w in writes.items() if column == 8]
    assert "Score (sheets-okr)" not in headers(writes).values()
    assert headers(writes) == {11: "ID", 12: "Progress", 13: "Expected", 14: "Health"}


def test_the_id_column_keeps_its_rule() -> None:
    """People's IDs are kept and blank ones filled, without a ledger, whatever else is there."""
    rows = okr_rows([None, None, None])
    rows[0].append("ID")
    rows[2].append("KR-MINE")
    writes = plan(rows)
    assert (3, 9) not in writes
    assert str(writes[4, 9].value).startswith("KR-")
    assert "ID (sheets-okr)" not in headers(writes).values()


def test_id_formulas_showing_nothing_are_not_written_over() -> None:
    """An ID column of people's formulas that show "" gets no ID written into them."""
    rows = okr_rows([None, None, None])
    rows[0].append("ID")
    for row in rows[1:]:
        row.append("")
    writes = plan(rows, formulas=frozenset({(1, 8), (2, 8)}))  # I2 and I3 hold formulas
    assert (2, 9) not in writes
    assert (3, 9) not in writes
    assert str(writes[4, 9].value).startswith("KR-")


def test_a_header_only_tab_gets_nothing() -> None:
    """A tab with a header and no OKR rows (a later quarter) gets no headers and no cells."""
    later = SheetGrid("Q1 2027", [list(HEADER)])
    grid = WorkbookGrid("memory", (SheetGrid(TAB, okr_rows([None] * 3)), later))
    tracker = parse_workbook(grid, Quarter(2026, 4))
    writes = plan_columns(tracker, score_tracker(tracker, AS_OF), grid)
    assert writes
    assert {w.tab for w in writes} == {TAB}
    assert set(tool_columns(tracker, grid, None)) == {TAB}


def test_a_formula_showing_nothing_still_uses_its_column() -> None:
    """A formula whose value is blank, right of the header's columns, is not written over."""
    rows = okr_rows([None, None, None])
    rows[0].pop()  # no Score column: all five are appended
    writes = plan(rows, formulas=frozenset({(2, 9)}))  # J3 shows ""
    assert min(column for row, column in writes if row == 1) == 11


def test_the_ledger_lists_the_columns_the_sync_writes_and_reads_back() -> None:
    """Summary's ledger names each figure column by letter and header; read back the same."""
    rows = okr_rows([0.7, 0.3, 1.0])
    grid = WorkbookGrid("memory", (SheetGrid(TAB, rows),))
    tracker = parse_workbook(grid, Quarter(2026, 4))
    card = score_tracker(tracker, AS_OF)
    entries = ledger_entries(tool_columns(tracker, grid, read_ledger(grid)).values())
    assert entries == [
        LedgerEntry(TAB, "J", "Progress"),
        LedgerEntry(TAB, "K", "Score (sheets-okr)"),
        LedgerEntry(TAB, "L", "Expected"),
        LedgerEntry(TAB, "M", "Health"),
    ]
    summary = summary_tab(grid, card, tracker, NOW, ledger=entries)
    assert summary.rows[-7:] == (
        (),
        (LEDGER_TITLE,),
        LEDGER_HEADER,
        (TAB, "J", "Progress"),
        (TAB, "K", "Score (sheets-okr)"),
        (TAB, "L", "Expected"),
        (TAB, "M", "Health"),
    )
    assert len(summary.styles) == len(summary.rows)
    assert parse_ledger([list(row) for row in summary.rows]) == tuple(entries)


def test_a_summary_without_a_ledger_is_no_ledger() -> None:
    """No Summary, or one not the tool's: None, so values count as people's; a Summary an
    earlier version wrote, before ledgers: the plain columns it filled stay the tool's."""
    assert parse_ledger(None) is None
    assert parse_ledger([["Our summary"], ["As of", AS_OF]]) is None
    assert parse_ledger([["OKR summary"], ["As of", AS_OF]]) is EARLIER_SYNC
    assert parse_ledger([[LEDGER_TITLE], list(LEDGER_HEADER)]) == ()


# ---------------------------------------------------------------------------------------
# real workbooks, synced again and again


def sync(path: Path, as_of: dt.date) -> SyncResult:
    """sync_source on a path with a fixed clock; it must write."""
    result = sync_source(str(path), ReadOptions(as_of), options=SyncOptions(now=NOW, backups=0))
    assert not result.blocked_by_problems
    return result


def worksheet(path: Path, title: str) -> Worksheet:
    found = load_workbook(path)[title]
    assert isinstance(found, Worksheet)
    return found


def header_of(ws: Worksheet, row: int = 1) -> list[Any]:
    values = [cell.value for cell in ws[row]]
    while values and values[-1] is None:
        values.pop()
    return values


def column_values(ws: Worksheet, name: str, header_row: int = 1) -> dict[int, Any]:
    """The cells under the one header `name`, by 1-based row."""
    names = header_of(ws, header_row)
    assert names.count(name) == 1, names
    column = names.index(name) + 1
    return {row: ws.cell(row, column).value for row in range(header_row + 1, ws.max_row + 1)}


def scores_by_row(result: SyncResult, key: str = "score") -> dict[int, float]:
    """Each key result's figure from the sync's scorecard, by its 1-based row."""
    figures: dict[Any, Any] = result.scored.card.key_results[key].to_dict()
    return {kr.location.row: float(figures[kr.id]) for kr in result.scored.tracker.key_results}


SCORE_FORMULA = "=IFERROR((F{0}-D{0})/(E{0}-D{0}),0)"
DASHBOARD = "=AVERAGE('Q4 2026'!H3:H9)"


def formula_workbook(path: Path) -> Path:
    """A team's sheet: Score (H) holds their formulas on every KR row; a Dashboard averages it."""
    workbook = Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = TAB
    rows: list[list[Any]] = okr_rows([None, None, None])
    rows.insert(4, ["Objective", "Close deals", "Dana"])
    rows.append(["Key Result", "Deals", "Dana", 0, 10, 4, "deals"])
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row, start=1):
            if value is not None:
                ws.cell(number, column, value)
        if row[0] == "Key Result":
            ws.cell(number, 8, SCORE_FORMULA.format(number))
    dashboard = workbook.create_sheet("Dashboard")
    dashboard["A1"] = "Average score"
    dashboard["B1"] = DASHBOARD
    workbook.save(path)
    return path


def formulas_of(path: Path) -> dict[str, Any]:
    """Every formula of the workbook, by tab and cell."""
    out = {}
    for ws in load_workbook(path).worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    out[f"{ws.title}!{cell.coordinate}"] = cell.value
    return out


def with_cached_values(path: Path) -> Path:
    """The workbook as Excel saves it: every formula with a calculated value after it."""
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data.replace(b"<v />", b"<v>0.25</v>"))
    return path


@pytest.mark.parametrize("cached", [False, True], ids=["as-openpyxl-saves", "as-excel-saves"])
def test_people_s_score_formulas_survive_three_syncs(tmp_path: Path, cached: bool) -> None:
    """People's Score formulas survive three syncs; `Score (sheets-okr)` is added once."""
    path = formula_workbook(tmp_path / "team.xlsx")
    if cached:
        with_cached_values(path)
    formulas = formulas_of(path)
    assert len(formulas) == 5
    for number, as_of in enumerate(DATES):
        if number == 1:
            workbook = load_workbook(path)
            workbook[TAB]["F3"] = 28
            workbook.save(path)
        result = sync(path, as_of)
        assert result.written_to
        assert formulas_of(path) == formulas
        ws = worksheet(path, TAB)
        assert header_of(ws) == [*HEADER, "ID", "Progress", "Score (sheets-okr)", "Expected",
                                 "Health"]  # fmt: skip
        written = column_values(ws, "Score (sheets-okr)")
        for row, score in scores_by_row(result).items():
            assert written[row] == pytest.approx(score), (as_of, row)
        assert written[3] == pytest.approx(0.8 if number else 0.5)
        assert ws["H3"].number_format == "General"  # the tool's percent format is not on theirs


def test_hand_typed_grades_stay(tmp_path: Path) -> None:
    """Grades typed in Score, without a ledger, are never overwritten, on any sync."""
    workbook = Workbook()
    okr = workbook.active
    assert isinstance(okr, Worksheet)
    okr.title = TAB
    for values in okr_rows([0.7, 0.3, 1.0]):
        okr.append(values)
    path = tmp_path / "grades.xlsx"
    workbook.save(path)
    for as_of in DATES[:2]:
        result = sync(path, as_of)
        ws = worksheet(path, TAB)
        assert [ws[f"H{row}"].value for row in (2, 3, 4, 5)] == [None, 0.7, 0.3, 1.0]
        assert header_of(ws).count("Score (sheets-okr)") == 1
        assert column_values(ws, "Score (sheets-okr)")[3] == pytest.approx(0.5)
        assert result.plan.cells  # the figures of the first date, then of the second
    ledger_rows = read_ledger_of(path)
    assert LedgerEntry(TAB, "H", "Score") not in ledger_rows
    assert LedgerEntry(TAB, "K", "Score (sheets-okr)") in ledger_rows


def read_ledger_of(path: Path) -> tuple[LedgerEntry, ...]:
    """The ledger of a synced workbook's Summary tab."""
    rows: list[list[Any]] = [
        list(row) for row in worksheet(path, "Summary").iter_rows(values_only=True)
    ]
    found = parse_ledger(rows)
    assert found is not None
    return found


def init_workbook(path: Path) -> Path:
    """What `sheets-okr init --example` writes, laid on 2026-Q4 as of 2026-11-15."""
    create_workbook(path, Quarter(2026, 4), example=True, as_of=DATES[0])
    return path


TEMPLATE_TAB = "OKRs 2026-Q4"
TEMPLATE_HEADER = [col.DISPLAY_NAMES[key] for key in LAYOUT]


def test_the_templates_empty_tool_columns_stay_the_tools(tmp_path: Path) -> None:
    """`init`'s empty tool columns are filled, then rewritten twice; none is ever added."""
    path = init_workbook(tmp_path / "okrs.xlsx")
    expected_before: dict[int, Any] = {}
    for as_of in DATES:
        result = sync(path, as_of)
        ws = worksheet(path, TEMPLATE_TAB)
        assert header_of(ws, HEADER_ROW) == TEMPLATE_HEADER
        expected = column_values(ws, "Expected", HEADER_ROW)
        for row, pace in scores_by_row(result, "expected").items():
            assert expected[row] == pytest.approx(pace)
        score = column_values(ws, "Score", HEADER_ROW)
        for row, value in scores_by_row(result).items():
            assert score[row] == pytest.approx(value)
        assert expected != expected_before
        expected_before = expected
    letters = {key: chr(ord("A") + LAYOUT.index(key)) for key in LAYOUT}
    assert read_ledger_of(path) == tuple(
        LedgerEntry(TEMPLATE_TAB, letters[key], col.DISPLAY_NAMES[key])
        for key in (col.PROGRESS, col.SCORE, col.EXPECTED, col.HEALTH)
    )


def test_a_column_inserted_before_score_leaves_score_the_tools(tmp_path: Path) -> None:
    """A column inserted before Score: the next sync writes the moved columns, adds none."""
    path = init_workbook(tmp_path / "okrs.xlsx")
    sync(path, DATES[0])
    workbook = load_workbook(path)
    edited = workbook[TEMPLATE_TAB]
    assert isinstance(edited, Worksheet)
    score_at = LAYOUT.index(col.SCORE) + 1
    edited.insert_cols(score_at)
    edited.cell(HEADER_ROW, score_at, "Channel")
    edited.cell(HEADER_ROW + 2, score_at, "email")
    workbook.save(path)
    result = sync(path, DATES[1])
    ws = worksheet(path, TEMPLATE_TAB)
    names = header_of(ws, HEADER_ROW)
    assert names == [*TEMPLATE_HEADER[: score_at - 1], "Channel", *TEMPLATE_HEADER[score_at - 1 :]]
    for name, key in (("Score", "score"), ("Expected", "expected")):
        written = column_values(ws, name, HEADER_ROW)
        for row, value in scores_by_row(result, key).items():
            assert written[row] == pytest.approx(value), (name, row)
    assert column_values(ws, "Channel", HEADER_ROW) == {
        row: ("email" if row == HEADER_ROW + 2 else None) for row in range(4, ws.max_row + 1)
    }
    assert LedgerEntry(TEMPLATE_TAB, "S", "Score") in read_ledger_of(path)


def test_header_only_tabs_of_later_quarters_get_nothing(tmp_path: Path) -> None:
    """Q1-Q3 tabs with a header and no rows (with or without tool columns) stay as they were."""
    tabs: dict[str, Rows] = {
        TAB: okr_rows([None, None, None]),
        "Q1 2027": [list(HEADER)],
        "Q2 2027": [["Type", "Title", "Start", "Target", "Current"]],
        "Q3 2027": [[*HEADER, "ID", "Progress", "Expected", "Health"]],
    }
    workbook = Workbook()
    for number, (title, rows) in enumerate(tabs.items()):
        ws = workbook.active if number == 0 else workbook.create_sheet()
        assert isinstance(ws, Worksheet)
        ws.title = title
        for row in rows:
            ws.append(row)
    path = tmp_path / "year.xlsx"
    workbook.save(path)
    for as_of in DATES[:2]:
        sync(path, as_of)
    synced = load_workbook(path)
    for title, rows in list(tabs.items())[1:]:
        ws = synced[title]
        assert [list(row) for row in ws.iter_rows(values_only=True)] == [rows[0]], title
    assert {entry.tab for entry in read_ledger_of(path)} == {TAB}


def test_a_deleted_summary_makes_the_tools_old_columns_the_peoples(tmp_path: Path) -> None:
    """Summary (the ledger) deleted: filled tool-named columns are kept, marked ones added."""
    workbook = Workbook()
    okr = workbook.active
    assert isinstance(okr, Worksheet)
    okr.title = TAB
    for values in okr_rows([None, None, None]):
        okr.append(values)
    path = tmp_path / "okrs.xlsx"
    workbook.save(path)
    sync(path, DATES[0])
    workbook = load_workbook(path)
    del workbook["Summary"]
    workbook.save(path)
    before = [list(row) for row in worksheet(path, TAB).iter_rows(values_only=True)]
    result = sync(path, DATES[1])
    ws = worksheet(path, TAB)
    after = [list(row) for row in ws.iter_rows(values_only=True)]
    width = len(before[0])
    assert [row[:width] for row in after] == before
    assert header_of(ws)[width:] == [
        "Progress (sheets-okr)", "Score (sheets-okr)", "Expected (sheets-okr)",
        "Health (sheets-okr)",
    ]  # fmt: skip
    written = column_values(ws, "Score (sheets-okr)")
    for row, value in scores_by_row(result).items():
        assert written[row] == pytest.approx(value)
    again = sync(path, DATES[1])
    assert again.written_to is None  # the marked columns are found by name: nothing to add
