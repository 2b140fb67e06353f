"""sync on real .xlsx files: tool-owned columns and tabs written, everything people own kept.

Every workbook here is built with openpyxl in a temporary folder and synced through the
library (sync_source) or the command line (click's CliRunner); nothing of ours is mocked.
Hand-computed figures follow the contract: on 2026-11-30 the pace of 2026-Q4 is 60/92
(Oct 1 to Nov 30 is 60 days of 92), on 2026-11-15 it is 45/92.
"""

from __future__ import annotations

import concurrent.futures
import copy
import datetime as dt
import json
import random
import re
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import python_calamine
from click.testing import CliRunner, Result
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.actions.score import ReadOptions, score_source
from sheets_okr.actions.sync import SyncOptions, SyncResult, sync_source
from sheets_okr.cli import cli
from sheets_okr.errors import EXIT_TEMPORARY, TemporaryFailure
from sheets_okr.model.health_words import fills
from sheets_okr.plan.columns import HEALTH_COLOURS
from sheets_okr.sources.excel.sync_lock import BACKUP_FOLDER
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.workbooks import small_rows, write_workbook

AS_OF = dt.date(2026, 11, 30)
EARLIER = dt.date(2026, 11, 15)
NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
PACE_NOV_30 = 60 / 92
TOOL_TABS = ("Summary", "History", "Checks")
TOOL_HEADERS = ["ID", "Progress", "Score", "Expected", "Health"]
HISTORY_HEADER = ["Date", "ID", "Title", "Current", "Progress", "Score", "Health"]
OKR_TAB = "2026-Q4"


# ---------------------------------------------------------------------------------------
# helpers


def sync(path: Path, as_of: dt.date = AS_OF, *, dry_run: bool = False) -> SyncResult:
    """sync_source on a path, with a fixed clock."""
    return sync_source(str(path), ReadOptions(as_of), options=SyncOptions(dry_run, now=NOW))


def run(*args: str) -> Result:
    """Run `sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def sheet(workbook: Workbook, title: str) -> Worksheet:
    """A worksheet of a loaded workbook, typed as one."""
    found = workbook[title]
    assert isinstance(found, Worksheet)
    return found


def rows_of(path: Path, title: str) -> list[tuple[Any, ...]]:
    """Every row of a tab as openpyxl reads its values."""
    return list(sheet(load_workbook(path), title).iter_rows(values_only=True))


def history(path: Path) -> list[tuple[Any, ...]]:
    """History's rows below its header, dates as dates, the 7 contract columns only."""
    rows = rows_of(path, "History")
    assert list(rows[0][:7]) == HISTORY_HEADER
    out = []
    for row in rows[1:]:
        date = row[0].date() if isinstance(row[0], dt.datetime) else row[0]
        out.append((date, *row[1:7]))
    return out


def tool_columns(path: Path, tab: str = OKR_TAB, header_row: int = 1) -> dict[str, dict[str, Any]]:
    """For each row with a title, the tool-owned columns' values by header name."""
    ws = sheet(load_workbook(path), tab)
    header = [c.value for c in ws[header_row]]
    title_at = next(i for i, v in enumerate(header) if v in ("Title", "제목"))
    at = {name: header.index(name) for name in TOOL_HEADERS if name in header}
    out = {}
    for row in ws.iter_rows(min_row=header_row + 1, values_only=True):
        if row[title_at]:
            out[str(row[title_at])] = {name: row[i] for name, i in at.items()}
    return out


def ids_by_title(path: Path, tab: str = OKR_TAB, header_row: int = 1) -> dict[str, str]:
    """The ID cell of every titled row."""
    return {title: cells["ID"] for title, cells in tool_columns(path, tab, header_row).items()}


def checks_errors(path: Path) -> list[tuple[str, str, str]]:
    """Tab, cell and advice of every error row in Checks."""
    rows = rows_of(path, "Checks")[1:]
    return [(str(r[2]), str(r[3]), str(r[4])) for r in rows if r[0] == "error"]


def folder_listing(folder: Path) -> list[str]:
    """Every file under a folder (hidden ones too) but the syncs' lock files, as relative paths."""
    return sorted(
        str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not _lock(p)
    )


def backups(folder: Path) -> list[Path]:
    """The backup files kept beside a workbook, oldest first."""
    where = folder / BACKUP_FOLDER
    return sorted(p for p in where.iterdir() if not _lock(p)) if where.is_dir() else []


def _lock(path: Path) -> bool:
    """Whether a file is a sync's lock file (BACKUP_FOLDER/.NAME.lock, kept for good)."""
    return path.parent.name == BACKUP_FOLDER and path.name.endswith(".lock")


def set_cells(path: Path, tab: str, values: dict[str, Any]) -> None:
    """Edit cells the way a person would, saving with openpyxl."""
    workbook = load_workbook(path)
    ws = sheet(workbook, tab)
    for address, value in values.items():
        ws[address] = value
    workbook.save(path)


def text_cell(ws: Worksheet, address: str, text: str) -> None:
    """Store text that openpyxl would otherwise take for a formula or an error code."""
    ws[address] = text
    ws[address].data_type = "s"


def rezip(source: Path, target: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """Copy a workbook's zip, letting `edit` change, add or drop parts."""
    with zipfile.ZipFile(source) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    edit(parts)
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return target


def add_content_type(parts: dict[str, bytes], xml: bytes) -> None:
    """Append an Override or Default element to [Content_Types].xml."""
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", xml + b"</Types>"
    )


def add_relationship(parts: dict[str, bytes], rels: str, rel_type: str, target: str) -> None:
    """Add a relationship to a .rels part, creating the part when missing."""
    rel = f'<Relationship Id="rIdX{len(parts)}" Type="{rel_type}" Target="{target}"/>'.encode()
    empty = b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"/>'
    xml = parts.get(rels, empty)
    if xml.rstrip().endswith(b"/>") and b"</Relationships>" not in xml:
        xml = xml.rstrip()[:-2] + b"></Relationships>"
    parts[rels] = xml.replace(b"</Relationships>", rel + b"</Relationships>")


# ---------------------------------------------------------------------------------------
# the round trip: a workbook rich in what people use, synced twice


RICH_HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current",
               "Unit", "Weight", "Notes", "Gap"]  # fmt: skip
RICH_ROWS: list[list[Any]] = [
    ["Objective", "Increase website traffic", "Sam", "Content", "2026-Q4", None, None, None,
     None, 2, "top priority"],
    ["Key Result", "Grow visits from 20 to 30", "Lee", None, None, 20, 30, 25, "k visits", None,
     "weekly"],
    ["Key Result", "Cut cost per MQL from 180 to 120", "Kim", None, None, 180, 120, 150, "$"],
    ["Action", "Publish 4 articles", "Lee", None, None, None, None, None, None, None, "on plan"],
    ["Objective", "Improve the sales pipeline", "Dana", "Demand Gen", "2026-Q4"],
    ["Key Result", "Win 10 deals", "Dana", None, None, 0, 10, None, "deals"],
    ["Key Result", "Sign 4 partners", "Ari", None, None, 0, 4, 1, "partners", 3],
]  # fmt: skip
RICH_FIRST_ROW = 3  # the header is on row 2, under a merged banner


def build_rich_workbook(path: Path) -> Path:
    """An OKR tab (header on row 2 under a banner, no tool columns) and tabs around it."""
    workbook = Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    _rich_okr_cells(ws)
    _rich_okr_features(workbook, ws)
    _rich_other_tabs(workbook)
    workbook.calculation.fullCalcOnLoad = False  # as Excel saves it; sync must turn it on
    workbook.save(path)
    return path


def _rich_okr_cells(ws: Worksheet) -> None:
    """Banner, styled header and rows, with a formula column people own."""
    ws.title = OKR_TAB
    ws["A1"] = "Marketing OKRs, Q4 2026"
    ws["A1"].font = Font(bold=True, size=16, color="FFFFFF")
    ws["A1"].fill = PatternFill("solid", fgColor="1F4E78")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.merge_cells("A1:L1")
    ws.row_dimensions[1].height = 32
    thin = Side(style="thin", color="999999")
    for column, name in enumerate(RICH_HEADER, start=1):
        cell = ws.cell(2, column, name)
        cell.font = Font(bold=True, color="1F4E78")
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.border = Border(bottom=Side(style="medium"), left=thin, right=thin)
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row_number, values in enumerate(RICH_ROWS, start=RICH_FIRST_ROW):
        for column, value in enumerate(values, start=1):
            if value is not None:
                ws.cell(row_number, column, value)
        ws.cell(row_number, 12, f"=G{row_number}-H{row_number}")  # Gap: a people's formula
        ws.cell(row_number, 12).number_format = "#,##0.0"
        for column in (6, 7, 8):
            ws.cell(row_number, column).number_format = "#,##0"
        ws.cell(row_number, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws["H4"].font = Font(italic=True, color="C00000")
    ws["H4"].protection = Protection(locked=False)
    ws["B3"].font = Font(bold=True)
    ws["B7"].font = Font(bold=True)


def _rich_okr_features(workbook: Workbook, ws: Worksheet) -> None:
    """Sizes, hidden column, freeze pane, filter, comments, validation, formats and names."""
    ws.row_dimensions[4].height = 28
    ws.column_dimensions["B"].width = 44
    ws.column_dimensions["K"].width = 30
    ws.column_dimensions["I"].hidden = True
    ws.freeze_panes = "C3"
    ws.auto_filter.ref = "A2:L9"
    ws.sheet_properties.tabColor = "1F4E78"
    ws.page_setup.orientation = "landscape"
    ws.print_title_rows = "1:2"
    ws["B4"].comment = Comment("Baseline from GA, October", "Lee")
    ws["K2"].comment = Comment("Free notes; the tool ignores this column", "Sam")
    types = DataValidation(type="list", formula1='"Objective,Key Result,Action"', allow_blank=True)
    types.add("A3:A40")
    ws.add_data_validation(types)
    weights = DataValidation(type="whole", operator="between", formula1="0", formula2="10")
    weights.add("J3:J40")
    ws.add_data_validation(weights)
    below_start = CellIsRule(operator="lessThan", formula=["$F3"],
                             fill=PatternFill("solid", bgColor="FFC7CE"))  # fmt: skip
    ws.conditional_formatting.add("H3:H40", below_start)
    ws.conditional_formatting.add(
        "A3:L40", FormulaRule(formula=['$A3="Objective"'], font=Font(bold=True))
    )
    ws.merge_cells("K7:K8")
    workbook.defined_names["Targets"] = DefinedName("Targets", attr_text="'2026-Q4'!$G$3:$G$40")
    ws.defined_names["Currents"] = DefinedName("Currents", attr_text="'2026-Q4'!$H$3:$H$40")


def _rich_other_tabs(workbook: Workbook) -> None:
    """A notes tab (text, a formula, a link, a table), a SUMIF dashboard and a hidden tab."""
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "Weekly check-in notes"
    notes["A1"].font = Font(size=14, bold=True)
    notes["A2"] = "Review every Monday"
    notes["A2"].hyperlink = "https://example.com/okr-guide"
    notes["A3"] = dt.date(2026, 11, 2)
    notes["A3"].number_format = "d mmm yyyy"
    notes["B3"] = "=COUNTA('2026-Q4'!B3:B40)"
    notes.column_dimensions["A"].width = 40
    notes.row_dimensions[6].outlineLevel = 1
    notes.append([])
    for values in (["Owner", "Hours"], ["Sam", 4], ["Lee", 6]):
        notes.append(values)
    notes.add_table(Table(displayName="Effort", ref="A5:B7"))

    dashboard = workbook.create_sheet("Dashboard")
    dashboard["A1"] = "Team"
    dashboard["B1"] = "Current total"
    for row_number, team in enumerate(["Content", "Demand Gen"], start=2):
        dashboard.cell(row_number, 1, team)
        dashboard.cell(row_number, 2, f"=SUMIF('2026-Q4'!D:D,A{row_number},'2026-Q4'!H:H)")
        dashboard.cell(row_number, 2).number_format = "0.00"
    dashboard["A5"] = "Total"
    dashboard["B5"] = "=SUM(B2:B3)"

    lookups = workbook.create_sheet("Lookups")
    for row_number, word in enumerate(["Objective", "Key Result", "Action"], start=1):
        lookups.cell(row_number, 1, word)
    lookups.sheet_state = "hidden"


class Rich:
    """The rich workbook as built, and a copy synced on 2026-11-15 then on 2026-11-30."""

    def __init__(self, original: Path, synced: Path) -> None:
        self.original = original
        self.synced = synced
        self.before = load_workbook(original)
        self.after = load_workbook(synced)


@pytest.fixture(name="rich", scope="module")
def _rich(tmp_path_factory: pytest.TempPathFactory) -> Rich:
    """The rich workbook and its synced copy (built once for the module)."""
    folder = tmp_path_factory.mktemp("rich")
    original = build_rich_workbook(folder / "original.xlsx")
    synced = folder / "okrs.xlsx"
    shutil.copyfile(original, synced)
    first = sync(synced, EARLIER)
    second = sync(synced, AS_OF)
    assert first.written_to
    assert second.written_to
    assert not first.scored.tracker.problems
    return Rich(original, synced)


def _look(cell: Cell | MergedCell) -> dict[str, Any]:
    """What people see of a cell besides its value."""
    return {
        "font": copy.copy(cell.font),
        "fill": copy.copy(cell.fill),
        "border": copy.copy(cell.border),
        "alignment": copy.copy(cell.alignment),
        "protection": copy.copy(cell.protection),
        "number_format": cell.number_format,
    }


def _cell_facts(cell: Cell | MergedCell) -> dict[str, Any]:
    comment = cell.comment
    link = cell.hyperlink
    return {
        "value": cell.value,  # formula text for formulas
        "data_type": cell.data_type,
        "comment": (comment.text, comment.author) if comment else None,
        "hyperlink": link.target if link else None,
        **_look(cell),
    }


def test_round_trip_keeps_every_cell_people_own(rich: Rich) -> None:
    """Value, formula, font, fill, border, alignment, format, protection, comment, link kept."""
    differences = []
    for before in rich.before.worksheets:
        after = sheet(rich.after, before.title)
        # On the OKR tab the tool's columns start right after the people's last column.
        columns = before.max_column + (0 if before.title == OKR_TAB else 2)
        for row in before.iter_rows(max_row=before.max_row + 3, max_col=columns):
            for cell in row:
                old, new = _cell_facts(cell), _cell_facts(after[cell.coordinate])
                differences += [
                    (before.title, cell.coordinate, key, old[key], new[key])
                    for key in old
                    if old[key] != new[key]
                ]
    assert differences == []


def test_round_trip_keeps_sheet_layout(rich: Rich) -> None:
    """Widths, hidden columns, heights, merges, freeze panes, filters and page setup kept."""
    for before in rich.before.worksheets:
        after = sheet(rich.after, before.title)
        for key, dim in before.column_dimensions.items():
            kept = after.column_dimensions[key]
            assert (kept.width, kept.hidden, kept.min, kept.max) == (
                dim.width, dim.hidden, dim.min, dim.max
            ), (before.title, key)  # fmt: skip
        for index, row_dim in before.row_dimensions.items():
            kept_row = after.row_dimensions[index]
            assert (kept_row.height, kept_row.hidden, kept_row.outlineLevel) == (
                row_dim.height, row_dim.hidden, row_dim.outlineLevel
            ), (before.title, index)  # fmt: skip
        assert sorted(map(str, after.merged_cells.ranges)) == sorted(
            map(str, before.merged_cells.ranges)
        )
        assert after.freeze_panes == before.freeze_panes
        assert after.sheet_state == before.sheet_state
        assert after.auto_filter.ref == before.auto_filter.ref
        assert after.sheet_properties.tabColor == before.sheet_properties.tabColor
        assert after.page_setup.orientation == before.page_setup.orientation
        assert after.print_title_rows == before.print_title_rows
    okr = sheet(rich.after, OKR_TAB)
    assert okr.column_dimensions["I"].hidden
    assert okr.freeze_panes == "C3"
    assert sheet(rich.after, "Lookups").sheet_state == "hidden"


def _validations(ws: Worksheet) -> list[tuple[Any, ...]]:
    return sorted(
        (str(dv.sqref), dv.type, dv.operator, dv.formula1, dv.formula2, dv.allow_blank)
        for dv in ws.data_validations.dataValidation
    )


def _conditional_formats(ws: Worksheet) -> list[tuple[Any, ...]]:
    return sorted(
        (str(rules.sqref), rule.type, rule.operator, tuple(rule.formula), repr(rule.dxf))
        for rules in ws.conditional_formatting
        for rule in rules.rules
    )


def test_round_trip_keeps_validations_conditional_formats_names_and_tables(rich: Rich) -> None:
    """Data validation lists, conditional formats, defined names and tables are unchanged."""
    for before in rich.before.worksheets:
        after = sheet(rich.after, before.title)
        assert _validations(after) == _validations(before)
        assert _conditional_formats(after) == _conditional_formats(before)
        assert {k: v.attr_text for k, v in after.defined_names.items()} == {
            k: v.attr_text for k, v in before.defined_names.items()
        }
        assert dict(after.tables.items()) == dict(before.tables.items())  # name -> range
    assert len(_validations(sheet(rich.after, OKR_TAB))) == 2
    assert len(_conditional_formats(sheet(rich.after, OKR_TAB))) == 2
    assert {k: v.attr_text for k, v in rich.after.defined_names.items()} == {
        "Targets": "'2026-Q4'!$G$3:$G$40"
    }
    assert sheet(rich.after, "Notes").tables["Effort"].ref == "A5:B7"


def test_round_trip_keeps_tab_order_and_adds_tool_tabs_after(rich: Rich) -> None:
    """People's tabs keep their order; Summary, History and Checks come after them."""
    assert rich.after.sheetnames == [*rich.before.sheetnames, *TOOL_TABS]


def test_round_trip_writes_only_the_five_tool_columns(rich: Rich) -> None:
    """Beyond the people's columns only ID..Health appear, and only on plan rows."""
    before, after = sheet(rich.before, OKR_TAB), sheet(rich.after, OKR_TAB)
    first_tool = before.max_column + 1  # M: right of Notes and the Gap formula column
    assert first_tool == 13
    assert after.max_column == first_tool + 4
    assert [after.cell(2, c).value for c in range(first_tool, first_tool + 5)] == TOOL_HEADERS
    plan_rows = range(RICH_FIRST_ROW, RICH_FIRST_ROW + len(RICH_ROWS))
    for row in range(1, after.max_row + 3):
        for column in range(first_tool, first_tool + 6):
            if row == 2 or (row in plan_rows and column < first_tool + 5):
                continue
            assert after.cell(row, column).value is None, after.cell(row, column).coordinate
    # The appended headers look like the people's header next to them.
    assert _look(after.cell(2, first_tool)) == _look(after.cell(2, first_tool - 1))


def test_round_trip_tool_columns_hold_hand_computed_scores(rich: Rich) -> None:
    """Progress, score, pace and health on 2026-11-30 are the contract's numbers."""
    values = tool_columns(rich.synced, header_row=2)
    expected = {
        # S=20, T=30, C=25: (25-20)/(30-20) = 0.5; gap 60/92 - 0.5 = 0.152 > 0.15
        "Grow visits from 20 to 30": (0.5, 0.5, "At risk"),
        # lower is better, S=180, T=120, C=150: (150-180)/(120-180) = 0.5
        "Cut cost per MQL from 180 to 120": (0.5, 0.5, "At risk"),
        # no check-in: progress blank, score 0
        "Win 10 deals": (None, 0.0, "No data"),
        # S=0, T=4, C=1: 0.25; gap 0.402 > 0.30
        "Sign 4 partners": (0.25, 0.25, "Off track"),
        # objectives: no progress; (0.5 + 0.5) / 2; (0*1 + 0.25*3) / 4 = 0.1875
        "Increase website traffic": (None, 0.5, "At risk"),
        "Improve the sales pipeline": (None, 0.1875, "Off track"),
    }
    for title, (progress, score, health) in expected.items():
        row = values[title]
        assert row["Progress"] == (None if progress is None else pytest.approx(progress)), title
        assert row["Score"] == pytest.approx(score), title
        assert row["Expected"] == pytest.approx(PACE_NOV_30), title
        assert row["Health"] == health, title
    action = values["Publish 4 articles"]
    assert [action[k] for k in ("Progress", "Score", "Expected", "Health")] == [None] * 4


def test_round_trip_fills_short_stable_ids(rich: Rich) -> None:
    """Every row gets a unique short ID whose prefix says its level."""
    ids = ids_by_title(rich.synced, header_row=2)
    prefixes = {"Objective": "O-", "Key Result": "KR-", "Action": "A-"}
    for level, title, *_ in RICH_ROWS:
        assert re.fullmatch(re.escape(prefixes[level]) + r"[0-9A-F]{6}", ids[title]), title
    assert len(set(ids.values())) == len(RICH_ROWS)


def test_round_trip_formats_numbers_as_percentages_and_colours_health(rich: Rich) -> None:
    """Figures are numeric cells shown as percentages; health is text on a coloured fill."""
    ws = sheet(rich.after, OKR_TAB)
    header = [c.value for c in ws[2]]
    kr_row = RICH_FIRST_ROW + 1  # Grow visits
    for name in ("Progress", "Score", "Expected"):
        cell = ws.cell(kr_row, header.index(name) + 1)
        assert cell.data_type == "n"
        assert "%" in cell.number_format, name
    colours = {}
    for row in range(RICH_FIRST_ROW, RICH_FIRST_ROW + len(RICH_ROWS)):
        cell = ws.cell(row, header.index("Health") + 1)
        if cell.value is None:
            continue
        assert cell.data_type == "s"
        assert cell.fill.fill_type == "solid"
        colours[str(cell.value)] = cell.fill.fgColor.rgb[-6:]
    assert set(colours) == {"At risk", "Off track", "No data"}  # words, as people read them
    assert colours == {health: fills(HEALTH_COLOURS)[health] for health in colours}
    assert len(set(colours.values())) == 3
    id_cell = ws.cell(RICH_FIRST_ROW, header.index("ID") + 1)
    assert id_cell.data_type == "s"


def test_round_trip_history_has_a_row_per_kr_per_date(rich: Rich) -> None:
    """History holds both dates' rows, the earlier first, with each date's health."""
    ids = ids_by_title(rich.synced, header_row=2)
    rows = history(rich.synced)
    krs = ["Grow visits from 20 to 30", "Cut cost per MQL from 180 to 120", "Win 10 deals",
           "Sign 4 partners"]  # fmt: skip
    assert [(r[0], r[2]) for r in rows] == [(d, t) for d in (EARLIER, AS_OF) for t in krs]
    by_key = {(r[0], r[2]): r for r in rows}
    visits_15 = by_key[EARLIER, krs[0]]
    assert visits_15[1] == ids[krs[0]]
    assert visits_15[3] == 25
    assert visits_15[4:] == (pytest.approx(0.5), pytest.approx(0.5), "On track")  # gap < 0
    assert by_key[AS_OF, krs[0]][6] == "At risk"
    assert by_key[EARLIER, krs[3]][6] == "At risk"  # 45/92 - 0.25 = 0.239
    assert by_key[AS_OF, krs[3]][6] == "Off track"
    assert by_key[AS_OF, krs[2]][3:] == (None, None, 0, "No data")


def test_round_trip_summary_has_as_of_timestamp_and_scores(rich: Rich) -> None:
    """Summary shows the as-of date, when it was written, and quarter, team and objective scores."""
    rows = rows_of(rich.synced, "Summary")
    assert rows[1][0] == "As of"
    assert rows[1][1].date() == AS_OF
    assert rows[2][:2] == ("Last changed", "2026-11-30 09:00 UTC")
    by_level: dict[str, list[tuple[Any, ...]]] = {}
    for row in rows[5:]:
        by_level.setdefault(str(row[0]), []).append(row)
    (quarter,) = by_level["Quarter"]
    # objective weights 2 and 1: (0.5*2 + 0.1875*1) / 3
    assert quarter[1] == "2026-Q4"
    assert quarter[5] == pytest.approx((0.5 * 2 + 0.1875) / 3)
    assert quarter[6] == pytest.approx(PACE_NOV_30)
    assert quarter[7] == "At risk"  # gap 60/92 - 0.396 = 0.256 <= 0.30
    teams = {row[2]: row[5] for row in by_level["Team"]}
    assert teams == {"Content": pytest.approx(0.5), "Demand Gen": pytest.approx(0.1875)}
    objectives = {row[3]: (row[4], row[5], row[7]) for row in by_level["Objective"]}
    ids = ids_by_title(rich.synced, header_row=2)
    assert objectives == {
        "Increase website traffic": (ids["Increase website traffic"], 0.5, "At risk"),
        "Improve the sales pipeline": (ids["Improve the sales pipeline"], 0.1875, "Off track"),
    }


def test_round_trip_makes_excel_recompute_formulas(rich: Rich) -> None:
    """openpyxl drops cached formula values, so the synced file asks for a full recalculation."""
    assert not rich.before.calculation.fullCalcOnLoad
    assert rich.after.calculation.fullCalcOnLoad is True
    assert sheet(rich.after, "Dashboard")["B2"].value == "=SUMIF('2026-Q4'!D:D,A2,'2026-Q4'!H:H)"


def test_round_trip_file_reads_with_calamine(rich: Rich) -> None:
    """The synced workbook opens with python-calamine, tool tabs included."""
    workbook = python_calamine.CalamineWorkbook.from_path(str(rich.synced))
    assert workbook.sheet_names == [*rich.before.sheetnames, *TOOL_TABS]
    history_rows = workbook.get_sheet_by_name("History").to_python()
    assert len(history_rows) == 1 + 8


# ---------------------------------------------------------------------------------------
# idempotence and History


def test_second_sync_on_the_same_date_writes_nothing(small_tracker: Path) -> None:
    """Syncing the same as-of date again leaves bytes, mtime, History and backups as they are."""
    first = sync(small_tracker)
    assert first.written_to == str(small_tracker)
    content, stamp = small_tracker.read_bytes(), small_tracker.stat().st_mtime_ns
    kept = backups(small_tracker.parent)
    rows = history(small_tracker)
    tomorrow = SyncOptions(now=NOW + dt.timedelta(days=1))
    later = sync_source(str(small_tracker), ReadOptions(AS_OF), options=tomorrow)
    assert later.written_to is None
    assert later.plan.is_empty
    assert small_tracker.read_bytes() == content
    assert small_tracker.stat().st_mtime_ns == stamp
    assert backups(small_tracker.parent) == kept
    assert history(small_tracker) == rows
    assert len(rows) == 3
    assert len({(r[0], r[1]) for r in rows}) == 3  # one row per KR and date


def test_cli_second_sync_is_silent_and_changes_nothing(small_tracker: Path) -> None:
    """`sheets-okr sync` twice on one date: exit 0, no output, the second run writes nothing."""
    assert run("sync", str(small_tracker), "--as-of", "2026-11-30").exit_code == 0
    content = small_tracker.read_bytes()
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30")
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert small_tracker.read_bytes() == content
    assert len(backups(small_tracker.parent)) == 1


def test_same_date_sync_after_a_change_replaces_only_that_dates_rows(
    small_tracker: Path,
) -> None:
    """A new Current on the as-of date replaces that date's rows; older rows stay as they were."""
    sync(small_tracker, EARLIER)
    sync(small_tracker, AS_OF)
    ws_before = sheet(load_workbook(small_tracker), "History")
    older_before = [[(c.value, c.number_format) for c in row] for row in ws_before.iter_rows()][1:4]
    set_cells(small_tracker, OKR_TAB, {"H3": 28})  # visits 20 -> 30 now at 28
    result = sync(small_tracker, AS_OF)
    assert result.written_to
    rows = history(small_tracker)
    assert [r[0] for r in rows] == [EARLIER] * 3 + [AS_OF] * 3
    ws_after = sheet(load_workbook(small_tracker), "History")
    older_after = [[(c.value, c.number_format) for c in row] for row in ws_after.iter_rows()][1:4]
    assert older_after == older_before
    visits = rows[3]
    assert visits[2] == "Grow visits from 20 to 30"
    assert visits[3:] == (28, pytest.approx(0.8), pytest.approx(0.8), "On track")
    assert rows[0][3:5] == (25, pytest.approx(0.5))


def test_history_rows_of_another_date_typed_by_people_are_kept(small_tracker: Path) -> None:
    """History rows of other dates survive a sync, wherever they are and however they were typed."""
    sync(small_tracker, EARLIER)
    workbook = load_workbook(small_tracker)
    ws = sheet(workbook, "History")
    ws.append(["2026-11-01", "KR-OLD001", "A retired KR", 3, 0.3, 0.3, "at_risk"])
    workbook.save(small_tracker)
    sync(small_tracker, AS_OF)
    rows = history(small_tracker)
    assert ("2026-11-01", "KR-OLD001", "A retired KR", 3, 0.3, 0.3, "at_risk") in rows
    assert [r[0] for r in rows].count(AS_OF) == 3
    assert [r[0] for r in rows].count(EARLIER) == 3


def test_summary_rows_no_longer_needed_are_emptied_without_colour(small_tracker: Path) -> None:
    """When an objective goes, Summary's surplus rows are blank, health colour included."""
    sync(small_tracker)
    before = len(rows_of(small_tracker, "Summary"))
    workbook = load_workbook(small_tracker)
    sheet(workbook, OKR_TAB).delete_rows(6, 2)  # the pipeline objective and its KR
    workbook.save(small_tracker)
    assert sync(small_tracker).written_to
    ws = sheet(load_workbook(small_tracker), "Summary")
    levels = [row[0] for row in ws.iter_rows(min_row=6, values_only=True)]
    assert levels[:3] == ["Quarter", "Team", "Objective"]
    # 5 heading rows, the quarter, 2 teams, 2 objectives; a blank row, the ledger's title,
    # its header and the 4 columns written
    assert before == 17
    for row in ws.iter_rows(min_row=16, max_row=17):
        for cell in row:
            assert cell.value is None, cell.coordinate
            assert cell.fill.fill_type is None, cell.coordinate


# ---------------------------------------------------------------------------------------
# IDs


def _tracker_for_moves(path: Path) -> Path:
    return write_workbook(
        path,
        {
            OKR_TAB: [
                ["Type", "Title", "Start", "Target", "Current"],
                ["Objective", "Grow traffic"],
                ["Key Result", "Visits from 20 to 30", 20, 30, 25],
                ["Key Result", "Cost per MQL from 180 to 120", 180, 120, 150],
                ["Action", "Publish articles"],
                ["Objective", "Build the pipeline"],
                ["Key Result", "Win 10 deals", 0, 10, 4],
                ["Key Result", "Sign 4 partners", 0, 4, 1],
            ]
        },
    )


def test_ids_and_history_follow_rows_that_people_move_insert_and_delete(tmp_path: Path) -> None:
    """Rows keep their IDs when reordered, inserted or deleted; History follows the ID."""
    path = _tracker_for_moves(tmp_path / "okrs.xlsx")
    sync(path, EARLIER)
    ids_before = ids_by_title(path)
    history_before = history(path)
    workbook = load_workbook(path)
    ws = sheet(workbook, OKR_TAB)
    body: list[list[Any]] = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    by_title = {row[1]: row for row in body}
    new_kr: list[Any] = ["Key Result", "Book 30 demos", 0, 30, 12]
    reordered = [
        by_title["Build the pipeline"],
        by_title["Sign 4 partners"],
        new_kr,  # inserted, no ID yet
        by_title["Grow traffic"],
        by_title["Cost per MQL from 180 to 120"],
        by_title["Publish articles"],
        by_title["Visits from 20 to 30"],
    ]  # "Win 10 deals" deleted
    ws.delete_rows(2, ws.max_row)
    for row in reordered:
        ws.append(row)
    ws.insert_rows(4)  # a blank row people left between two KRs
    workbook.save(path)

    result = sync(path, AS_OF)
    assert not result.scored.tracker.problems
    ids_after = ids_by_title(path)
    for title, node_id in ids_before.items():
        if title != "Win 10 deals":
            assert ids_after[title] == node_id, title
    assert ids_after["Book 30 demos"].startswith("KR-")
    assert ids_after["Book 30 demos"] not in ids_before.values()
    rows = history(path)
    assert rows[: len(history_before)] == history_before
    title_of = {r[1]: r[2] for r in history_before}
    latest = {r[1]: r for r in rows if r[0] == AS_OF}
    assert set(latest) == {
        ids_before["Sign 4 partners"], ids_after["Book 30 demos"],
        ids_before["Cost per MQL from 180 to 120"], ids_before["Visits from 20 to 30"],
    }  # fmt: skip
    for node_id, snapshot in latest.items():
        assert snapshot[2] == title_of.get(node_id, "Book 30 demos")
    assert latest[ids_before["Visits from 20 to 30"]][3:6] == (25, 0.5, 0.5)
    assert latest[ids_before["Sign 4 partners"]][3:6] == (1, 0.25, 0.25)
    # Each moved row's figures are its own, not those of the row that used to be there.
    figures = tool_columns(path)
    assert figures["Book 30 demos"]["Progress"] == pytest.approx(12 / 30)
    assert figures["Cost per MQL from 180 to 120"]["Progress"] == pytest.approx(0.5)
    assert figures["Visits from 20 to 30"]["Progress"] == pytest.approx(0.5)
    assert figures["Sign 4 partners"]["Progress"] == pytest.approx(0.25)
    assert figures["Sign 4 partners"]["Expected"] == pytest.approx(PACE_NOV_30)
    assert figures["Sign 4 partners"]["Health"] == "Off track"  # 60/92 - 0.25 > 0.30


def test_written_ids_never_change(tmp_path: Path) -> None:
    """Once in the sheet, an ID stays: a renamed row keeps it and a person's own ID is kept."""
    path = _tracker_for_moves(tmp_path / "okrs.xlsx")
    set_cells(path, OKR_TAB, {"F1": "ID", "F4": "cost-per-mql"})
    sync(path, EARLIER)
    ids = ids_by_title(path)
    assert ids["Cost per MQL from 180 to 120"] == "cost-per-mql"
    set_cells(path, OKR_TAB, {"B3": "Visits from 20 to 32", "D3": 32})
    sync(path, AS_OF)
    renamed = ids_by_title(path)
    assert renamed["Visits from 20 to 32"] == ids["Visits from 20 to 30"]
    assert renamed["Cost per MQL from 180 to 120"] == "cost-per-mql"
    by_date = {(r[0], r[1]): r[2] for r in history(path)}
    visits_id = ids["Visits from 20 to 30"]
    assert by_date[EARLIER, visits_id] == "Visits from 20 to 30"
    assert by_date[AS_OF, visits_id] == "Visits from 20 to 32"


def test_duplicate_ids_are_a_problem_and_never_rewritten(small_tracker: Path) -> None:
    """A copied ID blocks the sync (exit 1); with --allow-problems the duplicate cell stays."""
    sync(small_tracker, EARLIER)
    ids = ids_by_title(small_tracker)
    duplicate = ids["Grow visits from 20 to 30"]
    set_cells(small_tracker, OKR_TAB, {"M5": duplicate})  # pasted over the cost KR's ID
    content = small_tracker.read_bytes()
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30")
    assert result.exit_code == 1
    assert f"'2026-Q4'!M5: ID \"{duplicate}\" is also used at '2026-Q4'!B3" in result.stderr
    assert "nothing written" in result.stderr
    assert small_tracker.read_bytes() == content

    result = run("sync", str(small_tracker), "--as-of", "2026-11-30", "--allow-problems")
    assert result.exit_code == 1
    assert small_tracker.read_bytes() != content
    after = tool_columns(small_tracker)
    assert after["Cut cost per MQL from 180 to 120"]["ID"] == duplicate
    assert after["Cut cost per MQL from 180 to 120"]["Score"] is None
    assert after["Grow visits from 20 to 30"]["Score"] == pytest.approx(0.5)
    errors = checks_errors(small_tracker)
    assert [(tab, cell) for tab, cell, _ in errors] == [(OKR_TAB, "M5")]
    assert "is also used at" in errors[0][2]


# ---------------------------------------------------------------------------------------
# safe writes: locks, changes, kills, refusals, backups


@pytest.mark.parametrize("lock", ["~$small.xlsx", "~$all.xlsx", ".~lock.small.xlsx#"])
def test_open_workbook_is_refused_with_exit_75(small_tracker: Path, lock: str) -> None:
    """An Excel or LibreOffice lock file: exit 75, the workbook and its folder untouched."""
    (small_tracker.parent / lock).write_text("Sam,host,2026-11-30")
    content = small_tracker.read_bytes()
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30")
    assert result.exit_code == EXIT_TEMPORARY == 75
    assert lock in result.stderr
    assert "Traceback" not in result.output
    assert small_tracker.read_bytes() == content
    assert folder_listing(small_tracker.parent) == sorted([lock, "small.xlsx"])


def test_workbook_changed_since_read_is_refused(small_tracker: Path) -> None:
    """A save by somebody else between read and write: TemporaryFailure, their version kept."""
    plan = sync(small_tracker, dry_run=True).plan
    backend = ExcelWorkbook(small_tracker)
    backend.read()
    set_cells(small_tracker, OKR_TAB, {"H3": 27})  # somebody saves meanwhile
    theirs = small_tracker.read_bytes()
    with pytest.raises(TemporaryFailure, match="changed while sheets-okr was"):
        backend.write(plan)
    assert TemporaryFailure.exit_code == 75
    assert small_tracker.read_bytes() == theirs
    assert folder_listing(small_tracker.parent) == ["small.xlsx"]


def test_output_naming_the_workbook_itself_gets_the_in_place_checks(small_tracker: Path) -> None:
    """--output pointing at SOURCE (spelled differently) still honours lock files."""
    (small_tracker.parent / "~$small.xlsx").write_text("Sam")
    content = small_tracker.read_bytes()
    (small_tracker.parent / "sub").mkdir()
    other_spelling = small_tracker.parent / "sub" / ".." / "small.xlsx"
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30",
                 "--output", str(other_spelling))  # fmt: skip
    assert result.exit_code == 75
    assert small_tracker.read_bytes() == content


def _big_tracker(path: Path) -> Path:
    rows: list[list[Any]] = [["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target",
                              "Current"]]  # fmt: skip
    for o in range(40):
        rows.append(["Objective", f"Objective {o}", "Sam", f"Team {o % 4}", "2026-Q4"])
        for k in range(6):
            rows.append(["Key Result", f"KR {o}.{k}", "Lee", None, None, 0, 100,
                         (o * 7 + k * 13) % 120])  # fmt: skip
            rows.append(["Action", f"Action {o}.{k}", "Lee"])
    return write_workbook(path, {OKR_TAB: rows, "Notes": [["people's notes"]]})


_CHILD = """
import datetime as dt, sys, time
from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.sync import sync_source
print("ready", flush=True)
started = time.perf_counter()
sync_source(sys.argv[1], ReadOptions(dt.date(2026, 11, 30)))
print(f"done {time.perf_counter() - started:.4f}", flush=True)
"""


def _sync_in_child(path: Path, kill_after: float | None) -> str:
    """Run a sync in a fresh process; SIGKILL it `kill_after` seconds into the sync."""
    child = subprocess.Popen(
        [sys.executable, "-c", _CHILD, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"  # imports done: the sync starts now
    if kill_after is None:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        return out.strip()
    time.sleep(kill_after)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    return "killed" if child.returncode == -signal.SIGKILL else "finished"


def _check_after_kill(folder: Path, original: bytes) -> tuple[str, list[str]]:
    """The workbook is the old one or a complete new one; returns which, and leftovers."""
    path = folder / "okrs.xlsx"
    content = path.read_bytes()
    load_workbook(path)  # opens
    calamine = python_calamine.CalamineWorkbook.from_path(str(path))
    names = calamine.sheet_names
    assert len(calamine.get_sheet_by_name(OKR_TAB).to_python()) == 521
    if content == original:
        state = "old"
    else:
        assert names == [OKR_TAB, "Notes", *TOOL_TABS]
        assert len(rows_of(path, "History")) == 1 + 240
        state = "new"
    leftovers = []
    for name in folder_listing(folder):
        if name == "okrs.xlsx":
            continue
        if name.startswith(f"{BACKUP_FOLDER}/okrs.") and name.endswith(".xlsx"):
            assert (folder / name).read_bytes() == original  # a backup is the old version
            continue
        base = Path(name).name
        assert base.startswith(".okrs."), name
        assert base.endswith(".tmp"), name
        leftovers.append(name)
    return state, leftovers


@pytest.mark.slow
def test_sync_killed_at_any_moment_leaves_the_old_or_the_new_workbook(tmp_path: Path) -> None:
    """SIGKILL at 30 moments across a sync: the file is always whole, old or new."""
    source = _big_tracker(tmp_path / "source.xlsx")
    original = source.read_bytes()

    def attempt(name: str, kill_after: float | None) -> tuple[str, str, list[str]]:
        folder = tmp_path / name
        folder.mkdir()
        shutil.copyfile(source, folder / "okrs.xlsx")
        how = _sync_in_child(folder / "okrs.xlsx", kill_after)
        return (how, *_check_after_kill(folder, original))

    with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
        # The sync's duration, measured two at a time as the kills below run.
        probes = list(pool.map(attempt, ["probe0", "probe1"], [None, None]))
        duration = max(float(how.split()[1]) for how, _, _ in probes)
        runs = 30
        generator = random.Random(20261130)
        delays = [duration * 1.6 * (i + generator.random()) / runs for i in range(runs)]
        outcomes = list(pool.map(attempt, [f"run{i:02d}" for i in range(runs)], delays))
    states = [state for _, state, _ in outcomes]
    leftovers = [name for _, _, names in outcomes for name in names]
    print(f"\nsync takes {duration:.3f}s; after {runs} kills: {states.count('old')} old,"
          f" {states.count('new')} new; leftover temporary files: {leftovers}")  # fmt: skip
    assert set(states) <= {"old", "new"}
    assert "old" in states  # some kills landed before the replace ...
    assert "new" in states  # ... and some after it


def _with_threaded_comments(parts: dict[str, bytes]) -> None:
    ns = b"http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments"
    parts["xl/persons/person.xml"] = (
        b'<personList xmlns="' + ns + b'"><person displayName="Sam" '
        b'id="{5B9B3C58-8D0A-4B1E-9A37-3D8C1B6A7E11}" userId="sam" providerId="None"/>'
        b"</personList>"
    )
    parts["xl/threadedComments/threadedComment1.xml"] = (
        b'<ThreadedComments xmlns="' + ns + b'"><threadedComment ref="B3" '
        b'dT="2026-11-20T10:00:00.00" personId="{5B9B3C58-8D0A-4B1E-9A37-3D8C1B6A7E11}" '
        b'id="{0A1B2C3D-0000-4000-8000-000000000001}"><text>Is 30 realistic?</text>'
        b"</threadedComment></ThreadedComments>"
    )
    add_content_type(parts, b'<Override PartName="/xl/persons/person.xml" '
                     b'ContentType="application/vnd.ms-excel.person+xml"/>')  # fmt: skip
    add_content_type(parts, b'<Override PartName="/xl/threadedComments/threadedComment1.xml" '
                     b'ContentType="application/vnd.ms-excel.threadedcomments+xml"/>')  # fmt: skip
    add_relationship(parts, "xl/_rels/workbook.xml.rels",
                     "http://schemas.microsoft.com/office/2017/10/relationships/person",
                     "persons/person.xml")  # fmt: skip
    add_relationship(parts, "xl/worksheets/_rels/sheet1.xml.rels",
                     "http://schemas.microsoft.com/office/2017/10/relationships/threadedComment",
                     "../threadedComments/threadedComment1.xml")  # fmt: skip


def _with_custom_xml(parts: dict[str, bytes]) -> None:
    parts["customXml/item1.xml"] = b'<b:Sources xmlns:b="urn:example:sources"/>'
    parts["customXml/itemProps1.xml"] = (
        b'<ds:datastoreItem ds:itemID="{6E3E4C2A-1111-4222-8333-944455556666}" '
        b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"/>'
    )
    props_type = b"application/vnd.openxmlformats-officedocument.customXmlProperties+xml"
    add_content_type(
        parts, b'<Override PartName="/customXml/itemProps1.xml" ContentType="' + props_type + b'"/>'
    )
    add_relationship(parts, "customXml/_rels/item1.xml.rels",
                     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "customXmlProps", "itemProps1.xml")  # fmt: skip
    add_relationship(parts, "xl/_rels/workbook.xml.rels",
                     "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
                     "customXml", "../customXml/item1.xml")  # fmt: skip


def _with_x14_validation(parts: dict[str, bytes]) -> None:
    """A data validation list on another tab, which Excel stores as an x14 extension."""
    ext = (
        b'<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        b'<x14:dataValidations count="1" '
        b'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        b'<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lists!$A$1:$A$3'
        b"</xm:f></x14:formula1><xm:sqref>C2:C40</xm:sqref></x14:dataValidation>"
        b"</x14:dataValidations></ext></extLst>"
    )
    sheet_xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(b"</worksheet>", ext + b"</worksheet>")


@pytest.mark.parametrize(
    ("inject", "kept"),
    [
        (_with_threaded_comments, "xl/threadedComments/threadedComment1.xml"),
        (_with_threaded_comments, "xl/persons/person.xml"),
        (_with_custom_xml, "customXml/item1.xml"),
        (_with_x14_validation, "x14:dataValidation"),
    ],
)
def test_workbook_with_parts_openpyxl_would_drop_syncs_in_place_keeping_them(
    small_tracker: Path, inject: Callable[[dict[str, bytes]], None], kept: str
) -> None:
    """Threaded comments, custom XML and x14 extensions: synced in place, every one kept."""
    path = rezip(small_tracker, small_tracker.parent / "okrs.xlsx", inject)
    with zipfile.ZipFile(path) as archive:
        before = {name: archive.read(name) for name in archive.namelist()}
    result = run("sync", str(path), "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    assert tool_columns(path)["Grow visits from 20 to 30"]["Score"] == pytest.approx(0.5)
    with zipfile.ZipFile(path) as archive:
        after = {name: archive.read(name) for name in archive.namelist()}
    if "/" in kept and kept.endswith(".xml"):
        assert after[kept] == before[kept]
    else:
        assert kept.encode() in after["xl/worksheets/sheet1.xml"]
    changed = {name for name in before if after.get(name) != before[name]}
    assert changed <= {
        "xl/worksheets/sheet1.xml", "xl/styles.xml", "xl/workbook.xml",
        "xl/_rels/workbook.xml.rels", "[Content_Types].xml",
    }  # fmt: skip


def test_dry_run_of_a_workbook_with_threaded_comments_writes_nothing(small_tracker: Path) -> None:
    """--dry-run on a workbook with threaded comments prints the plan and touches nothing."""
    path = rezip(small_tracker, small_tracker.parent / "okrs.xlsx", _with_threaded_comments)
    content = path.read_bytes()
    result = run("sync", str(path), "--as-of", "2026-11-30", "--dry-run")
    assert result.exit_code == 0
    assert "Tab Summary would be created" in result.stdout
    assert path.read_bytes() == content


def test_formula_values_survive_a_sync_so_the_next_sync_reads_them(tmp_path: Path) -> None:
    """A Current computed by a formula keeps its calculated value through a sync's save."""
    built = write_workbook(
        tmp_path / "built.xlsx",
        {OKR_TAB: [["Type", "Title", "Start", "Target", "Current", "Notes"],
                   ["Objective", "Traffic"],
                   ["Key Result", "Visits", 20, 30, "=20+5", '=IF(E3>0,"ok","")']]},
    )  # fmt: skip

    def as_excel_saves_it(parts: dict[str, bytes]) -> None:
        xml = parts["xl/worksheets/sheet1.xml"]
        xml = re.sub(rb"<f>20\+5</f><v\s*/>|<f>20\+5</f><v></v>", b"<f>20+5</f><v>25</v>", xml)
        xml = re.sub(rb'<c r="F3"([^>]*)><f>(.*?)</f>(?:<v\s*/>|<v></v>)',
                     rb'<c r="F3"\1 t="str"><f>\2</f><v>ok</v>', xml)  # fmt: skip
        parts["xl/worksheets/sheet1.xml"] = xml

    path = rezip(built, tmp_path / "okrs.xlsx", as_excel_saves_it)
    first = sync(path, EARLIER)
    assert first.written_to  # Excel's cached 25 is read
    assert tool_columns(path)["Visits"]["Progress"] == pytest.approx(0.5)
    assert sheet(load_workbook(path), OKR_TAB)["E3"].value == "=20+5"
    assert load_workbook(path).calculation.fullCalcOnLoad is True
    cached = load_workbook(path, data_only=True)[OKR_TAB]
    assert (cached["E3"].value, cached["F3"].value) == (25, "ok")
    result = run("sync", str(path), "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.stderr
    assert tool_columns(path)["Visits"]["Progress"] == pytest.approx(0.5)


def test_legacy_comments_do_not_block_a_sync(small_tracker: Path) -> None:
    """A workbook whose notes openpyxl wrote (commentsDrawing VML) syncs, notes kept."""
    workbook = load_workbook(small_tracker)
    sheet(workbook, OKR_TAB)["B3"].comment = Comment("GA numbers", "Lee")
    workbook.save(small_tracker)
    with zipfile.ZipFile(small_tracker) as archive:
        assert any(n.startswith("xl/drawings/commentsDrawing") for n in archive.namelist())
    assert sync(small_tracker).written_to
    comment = sheet(load_workbook(small_tracker), OKR_TAB)["B3"].comment
    assert comment is not None
    assert (comment.text, comment.author) == ("GA numbers", "Lee")


FAKE_VBA = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"fake VBA project for a test " * 40


def _as_macro_workbook(parts: dict[str, bytes]) -> None:
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
        b"application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    )
    add_content_type(parts, b'<Default Extension="bin" '
                     b'ContentType="application/vnd.ms-office.vbaProject"/>')  # fmt: skip
    add_relationship(parts, "xl/_rels/workbook.xml.rels",
                     "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                     "vbaProject.bin")  # fmt: skip
    parts["xl/vbaProject.bin"] = FAKE_VBA


def test_xlsm_keeps_its_macros(small_tracker: Path) -> None:
    """An .xlsm keeps vbaProject.bin byte for byte, its relationship and its content type."""
    path = rezip(small_tracker, small_tracker.parent / "okrs.xlsm", _as_macro_workbook)
    result = run("sync", str(path), "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        assert archive.read("xl/vbaProject.bin") == FAKE_VBA
        types = archive.read("[Content_Types].xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    assert b"application/vnd.ms-excel.sheet.macroEnabled.main+xml" in types
    assert b"relationships/vbaProject" in rels
    assert load_workbook(path, keep_vba=True).sheetnames == [OKR_TAB, *TOOL_TABS]
    assert python_calamine.CalamineWorkbook.from_path(str(path)).sheet_names[-1] == "Checks"
    assert tool_columns(path)["Grow visits from 20 to 30"]["Score"] == pytest.approx(0.5)


def test_backups_hold_previous_versions_and_are_bounded(small_tracker: Path) -> None:
    """Each write keeps the previous bytes in .sheets-okr-backups/; --backups 2 keeps two."""
    versions = []
    for as_of in ("2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"):
        versions.append(small_tracker.read_bytes())
        result = run("sync", str(small_tracker), "--as-of", as_of, "--backups", "2")
        assert result.exit_code == 0, result.output
        assert small_tracker.read_bytes() != versions[-1]
        if len(versions) == 1:
            (first,) = backups(small_tracker.parent)
            assert first.read_bytes() == versions[0]
    kept = backups(small_tracker.parent)
    assert [p.read_bytes() for p in kept] == versions[-2:]
    assert all(re.fullmatch(r"small\.\d{8}-\d{6}-\d{6}\.xlsx", p.name) for p in kept)
    assert folder_listing(small_tracker.parent) == sorted(
        ["small.xlsx", *(f"{BACKUP_FOLDER}/{p.name}" for p in kept)]
    )


def test_backups_of_another_workbook_in_the_folder_are_never_pruned(small_tracker: Path) -> None:
    """Pruning small.xlsx's backups leaves those of small.v2.xlsx alone."""
    neighbour = small_tracker.parent / "small.v2.xlsx"
    shutil.copyfile(small_tracker, neighbour)
    for as_of in ("2026-11-02", "2026-11-09"):
        assert run("sync", str(neighbour), "--as-of", as_of).exit_code == 0
    theirs = backups(small_tracker.parent)
    assert len(theirs) == 2
    for as_of in ("2026-11-02", "2026-11-09", "2026-11-16"):
        assert run("sync", str(small_tracker), "--as-of", as_of, "--backups", "1").exit_code == 0
    kept = backups(small_tracker.parent)
    assert set(theirs) < set(kept)
    assert len(kept) == 3


def test_no_backups_with_backups_0(small_tracker: Path) -> None:
    """--backups 0 writes the workbook and keeps no earlier version."""
    assert run("sync", str(small_tracker), "--as-of", "2026-11-30", "--backups", "0").exit_code == 0
    assert folder_listing(small_tracker.parent) == ["small.xlsx"]


# ---------------------------------------------------------------------------------------
# text never becomes a formula


FORMULA_LIKE = ['=HYPERLINK("http://x","y")', "=1+1", "#N/A", "+1", "@SUM(A1)", "-2"]


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path: Path) -> None:
    """Titles and teams starting with = + - @, or equal to #N/A, stay text in tool tabs."""
    workbook = Workbook()
    ws = workbook.active
    assert isinstance(ws, Worksheet)
    ws.title = OKR_TAB
    ws.append(["Type", "Title", "Team", "Start", "Target", "Current"])
    ws.append(["Objective"])
    text_cell(ws, "B2", "=cmd|' /C calc'!A0")
    text_cell(ws, "C2", "=2*3")
    for number, title in enumerate(FORMULA_LIKE, start=3):
        ws.append(["Key Result", None, None, 0, 10, number])
        text_cell(ws, f"B{number}", title)
    path = tmp_path / "okrs.xlsx"
    workbook.save(path)

    result = sync(path)
    assert result.written_to
    assert not result.scored.tracker.problems
    synced = load_workbook(path)
    for tab in TOOL_TABS:
        for row in sheet(synced, tab).iter_rows():
            for cell in row:
                assert cell.data_type not in ("f", "e"), (tab, cell.coordinate, cell.value)
    titles = list(sheet(synced, "History")["C"][1:])
    assert [c.value for c in titles] == FORMULA_LIKE
    assert all(c.data_type == "s" for c in titles)
    summary = {row[0].value: row for row in sheet(synced, "Summary").iter_rows(min_row=6)}
    objective = summary["Objective"]
    assert (objective[2].value, objective[3].value) == ("=2*3", "=cmd|' /C calc'!A0")
    assert objective[2].data_type == objective[3].data_type == "s"
    history_grid = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name(
        "History"
    )
    assert [row[2] for row in history_grid.to_python()[1:]] == FORMULA_LIKE
    assert sync(path).written_to is None  # read back as the same text: nothing to change


def test_title_with_control_characters_does_not_rewrite_the_workbook_every_time(
    tmp_path: Path,
) -> None:
    """A title holding a character a workbook cannot store still syncs only once per date."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [["Type", "Title", "Start", "Target", "Current"], ["Objective", "Traffic"],
                   ["Key Result", "Visits_x000B_from PowerPoint", 0, 10, 5]]},
    )  # fmt: skip
    first = sync(path)
    assert first.scored.tracker.key_results[0].title == "Visits\x0bfrom PowerPoint"
    assert first.written_to
    assert history(path)[0][2] == "Visitsfrom PowerPoint"
    second = sync(path)
    assert second.written_to is None
    assert second.plan.changed_tabs == ()


# ---------------------------------------------------------------------------------------
# dry run, problems, where the columns go, delta


def test_dry_run_prints_cells_and_tabs_and_writes_nothing(small_tracker: Path) -> None:
    """--dry-run lists each cell as old -> new and the tabs it would create; no file changes."""
    content = small_tracker.read_bytes()
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30", "--dry-run")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert "  '2026-Q4'!M1: (blank) -> \"ID\"" in lines
    assert "  '2026-Q4'!Q1: (blank) -> \"Health\"" in lines
    assert "  '2026-Q4'!N3: (blank) -> 0.5" in lines
    assert "  '2026-Q4'!P3: (blank) -> 0.6522" in lines
    assert "  '2026-Q4'!Q3: (blank) -> \"At risk\"" in lines
    assert any(re.fullmatch(r"  '2026-Q4'!M4: \(blank\) -> \"A-[0-9A-F]{6}\"", x) for x in lines)
    assert lines[0] == f"{len([x for x in lines if x.startswith('  ')])} cells would change:"
    for tab in TOOL_TABS:
        assert any(x.startswith(f"Tab {tab} would be created (") for x in lines), tab
    assert small_tracker.read_bytes() == content
    assert folder_listing(small_tracker.parent) == ["small.xlsx"]


def test_dry_run_shows_changes_since_the_last_sync(small_tracker: Path) -> None:
    """After a sync: 'Nothing to change', then a new Current shows as old -> new."""
    sync(small_tracker)
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30", "--dry-run")
    assert result.stdout == "Nothing to change: the workbook already holds every value.\n"
    set_cells(small_tracker, OKR_TAB, {"H3": 26})
    content = small_tracker.read_bytes()
    result = run("sync", str(small_tracker), "--as-of", "2026-11-30", "--dry-run")
    lines = result.stdout.splitlines()
    assert "  '2026-Q4'!N3: 0.5 -> 0.6" in lines
    assert "  '2026-Q4'!O3: 0.5 -> 0.6" in lines
    assert any(x.startswith("Tab History would be rewritten") for x in lines)
    assert any(x.startswith("Tab Summary would be rewritten") for x in lines)
    assert small_tracker.read_bytes() == content


@pytest.fixture(name="messy")
def _messy(tmp_path: Path) -> Path:
    """The small tracker with Target "thirty" at G3."""
    rows = small_rows()
    rows[2][6] = "thirty"
    return write_workbook(tmp_path / "messy.xlsx", {OKR_TAB: rows})


def test_problems_block_the_write(messy: Path) -> None:
    """An unreadable cell: exit 1, the problem on stderr, nothing written."""
    content = messy.read_bytes()
    result = run("sync", str(messy), "--as-of", "2026-11-30")
    assert result.exit_code == 1
    assert "'2026-Q4'!G3: Target \"thirty\" is not a number" in result.stderr
    assert "nothing written; fix these cells or pass --allow-problems" in result.stderr
    assert result.stdout == ""
    assert messy.read_bytes() == content
    assert folder_listing(messy.parent) == ["messy.xlsx"]
    blocked = sync(messy)
    assert blocked.blocked_by_problems
    assert blocked.written_to is None


def test_allow_problems_writes_and_lists_them_in_checks(messy: Path) -> None:
    """--allow-problems writes the readable rows and lists the unreadable cell in Checks."""
    result = run("sync", str(messy), "--as-of", "2026-11-30", "--allow-problems")
    assert result.exit_code == 1  # the problem is still reported
    assert 'Target "thirty"' in result.stderr
    assert rows_of(messy, "Checks")[0] == ("Severity", "Code", "Tab", "Cell", "Advice")
    assert checks_errors(messy) == [(OKR_TAB, "G3", 'Target "thirty" is not a number')]
    figures = tool_columns(messy)
    assert figures["Grow visits from 20 to 30"]["Score"] is None
    assert figures["Grow visits from 20 to 30"]["ID"].startswith("KR-")
    assert figures["Cut cost per MQL from 180 to 120"]["Score"] == pytest.approx(0.5)
    assert [r[2] for r in history(messy)] == ["Cut cost per MQL from 180 to 120", "Win 10 deals"]


def test_checks_tab_says_when_every_row_was_read(small_tracker: Path) -> None:
    """Without problems, Checks holds no error row but says something."""
    sync(small_tracker)
    checks = rows_of(small_tracker, "Checks")
    assert checks[0] == ("Severity", "Code", "Tab", "Cell", "Advice")
    assert len(checks) >= 2  # never an empty tab that could pass for a failed sync
    assert checks_errors(small_tracker) == []


def test_tool_columns_go_after_a_users_extra_column(tmp_path: Path) -> None:
    """Missing tool columns are appended right of the people's last column, Notes untouched."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [["Type", "Title", "Start", "Target", "Current", "Notes"],
                   ["Objective", "Traffic", None, None, None, "see deck"],
                   ["Key Result", "Visits", 0, 10, 5, "from GA"]]},
    )  # fmt: skip
    sync(path)
    rows = rows_of(path, OKR_TAB)
    assert list(rows[0]) == ["Type", "Title", "Start", "Target", "Current", "Notes",
                             *TOOL_HEADERS]  # fmt: skip
    assert [r[5] for r in rows] == ["Notes", "see deck", "from GA"]
    assert rows[2][7:10] == (0.5, 0.5, pytest.approx(PACE_NOV_30))


def test_tool_columns_never_overwrite_a_column_people_use_without_a_header(
    tmp_path: Path,
) -> None:
    """Values right of the header in a column with no name stay; tool columns go after them."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [["Type", "Title", "Start", "Target", "Current"],
                   ["Objective", "Traffic", None, None, None, None, "scribble"],
                   ["Key Result", "Visits", 0, 10, 5, "keep me"]]},
    )  # fmt: skip
    sync(path)
    rows = rows_of(path, OKR_TAB)
    assert list(rows[0]) == ["Type", "Title", "Start", "Target", "Current", None, None,
                             *TOOL_HEADERS]  # fmt: skip
    assert [r[5:7] for r in rows[1:]] == [(None, "scribble"), ("keep me", None)]
    assert rows[2][7].startswith("KR-")


def test_existing_tool_columns_with_korean_names_are_reused(tmp_path: Path) -> None:
    """아이디, 진행률, 점수, 예상 and 건강도 are the tool's columns: filled, nothing appended."""
    header = ["구분", "제목", "시작값", "목표값", "현재값", "아이디", "진행률", "점수", "예상",
              "건강도", "메모"]  # fmt: skip
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [header,
                   ["목표", "웹 트래픽 늘리기", None, None, None, "O-WEB", None, None, None,
                    None, "메모 1"],
                   ["핵심 결과", "방문 20에서 30으로", 20, 30, 25, None, None, None, None, None,
                    "메모 2"]]},
    )  # fmt: skip
    assert sync(path).written_to
    rows = rows_of(path, OKR_TAB)
    assert list(rows[0]) == header
    assert rows[1][5] == "O-WEB"
    assert rows[2][5].startswith("KR-")
    # Korean headers: the health words are Korean.
    assert rows[2][6:10] == (0.5, 0.5, pytest.approx(PACE_NOV_30), "위험")
    assert [r[10] for r in rows[1:]] == ["메모 1", "메모 2"]


def test_only_the_missing_tool_columns_are_appended(tmp_path: Path) -> None:
    """An empty Score column is reused where it is; the other four go at the right end."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [["Type", "Title", "Score", "Start", "Target", "Current", "Owner"],
                   ["Objective", "Traffic"],
                   ["Key Result", "Visits", None, 0, 4, 1, "Lee"]]},
    )  # fmt: skip
    sync(path)
    rows = rows_of(path, OKR_TAB)
    assert list(rows[0]) == ["Type", "Title", "Score", "Start", "Target", "Current", "Owner",
                             "ID", "Progress", "Expected", "Health"]  # fmt: skip
    assert rows[1][2] == 0.25
    assert rows[2][2] == 0.25
    assert rows[2][6] == "Lee"


def test_a_score_column_people_typed_into_stays_theirs(tmp_path: Path) -> None:
    """A Score column holding what people typed is left alone; the tool's goes beside it."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {OKR_TAB: [["Type", "Title", "Score", "Start", "Target", "Current", "Owner"],
                   ["Objective", "Traffic", "typed by hand"],
                   ["Key Result", "Visits", None, 0, 4, 1, "Lee"]]},
    )  # fmt: skip
    sync(path)
    rows = rows_of(path, OKR_TAB)
    assert list(rows[0]) == ["Type", "Title", "Score", "Start", "Target", "Current", "Owner", "ID",
                             "Progress", "Score (sheets-okr)", "Expected", "Health"]  # fmt: skip
    assert rows[1][2] == "typed by hand"
    assert rows[2][9] == 0.25


def test_each_okr_tab_gets_its_own_tool_columns(tmp_path: Path) -> None:
    """A type-layout tab formatted as a table and a tree-layout tab each get five columns."""
    tree: list[list[Any]] = [
        ["Objective", "Key Result", "Action", "Start", "Target", "Current", "Owner"],
        ["Traffic", "Visits", None, 20, 30, 25, "Lee"],
        [None, None, "Write posts"],
    ]
    path = write_workbook(tmp_path / "okrs.xlsx", {OKR_TAB: small_rows(), "Q3 2026": tree})
    workbook = load_workbook(path)
    sheet(workbook, OKR_TAB).add_table(Table(displayName="Plan", ref="A1:L7"))
    workbook.save(path)
    assert sync(path).written_to
    synced = load_workbook(path)
    q4, q3 = sheet(synced, OKR_TAB), sheet(synced, "Q3 2026")
    assert [c.value for c in q4[1]][12:] == TOOL_HEADERS
    assert [c.value for c in q3[1]][7:] == TOOL_HEADERS
    assert dict(q4.tables.items()) == {"Plan": "A1:L7"}
    visits: list[Any] = [c.value for c in q3[2]]
    assert visits[7].startswith("KR-")  # the KR owns a row it shares with its objective
    # Q3 ended before the as-of date: pace 1, so a half-done KR is off track.
    assert visits[8:] == [0.5, 0.5, 1, "Off track"]
    assert str(q3["H3"].value).startswith("A-")
    assert {r[2] for r in history(path)} == {
        "Grow visits from 20 to 30", "Cut cost per MQL from 180 to 120", "Win 10 deals", "Visits"
    }  # fmt: skip


def test_score_json_delta_compares_with_the_previous_snapshot(small_tracker: Path) -> None:
    """After syncs on two dates, each KR's delta is its score now minus the earlier snapshot's."""
    set_cells(small_tracker, OKR_TAB, {"H3": 22})  # visits 20 -> 30 at 22: score 0.2
    sync(small_tracker, EARLIER)
    set_cells(small_tracker, OKR_TAB, {"H3": 25, "H5": 135})  # 0.5; cost (135-180)/-60 = 0.75
    sync(small_tracker, AS_OF)
    result = run("score", str(small_tracker), "--as-of", "2026-11-30", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    krs = {kr["title"]: kr for o in data["objectives"] for kr in o["key_results"]}
    assert krs["Grow visits from 20 to 30"]["score"] == pytest.approx(0.5)
    assert krs["Grow visits from 20 to 30"]["delta"] == pytest.approx(0.5 - 0.2)
    assert krs["Cut cost per MQL from 180 to 120"]["delta"] == pytest.approx(0.75 - 0.5)
    assert krs["Win 10 deals"]["delta"] == pytest.approx(0.0)
    same_day = run("score", str(small_tracker), "--as-of", "2026-11-15", "--format", "json")
    day_krs = [kr for o in json.loads(same_day.stdout)["objectives"] for kr in o["key_results"]]
    assert all(kr["delta"] is None for kr in day_krs)  # no snapshot dated before Nov 15


def test_a_csv_synced_to_a_new_workbook_takes_its_column_map_along(tmp_path: Path) -> None:
    """The new workbook of `sync x.csv --output` keeps the CSV's map, so it reads the same."""
    source = tmp_path / "okrs.csv"
    source.write_text(
        "Objective,Key Result,Base,Target,Letzter Wert\nGrow,MQLs,10,110,60\n", "utf-8"
    )
    (tmp_path / "okrs.csv.columns.toml").write_text(
        '[columns]\n"Letzter Wert" = "current"\n"Base" = "start"\n', "utf-8"
    )
    output = tmp_path / "okrs.xlsx"
    reading = ReadOptions(dt.date(2026, 11, 15))
    assert sync_source(str(source), reading, options=SyncOptions(output=output)).written_to
    (kr,) = score_source(str(output), reading).tracker.key_results
    assert (kr.start, kr.current) == (10, 60)
    assert "Column map" in load_workbook(output).sheetnames
