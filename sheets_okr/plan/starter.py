"""A new tracker workbook a marketer is glad to start from, empty or with an example quarter."""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.files import atomic_write
from sheets_okr.model.health_words import fills
from sheets_okr.model.quarters import Quarter
from sheets_okr.plan.cell_look import figure_format
from sheets_okr.plan.columns import HEALTH_COLOURS
from sheets_okr.plan.starter_look import fit_row_height, font, set_up_printing
from sheets_okr.read import columns as col
from sheets_okr.resources import templates_dir
from sheets_okr.score.scorecard import pace

LAYOUT = (
    col.TYPE, col.TITLE, col.OWNER, col.TEAM, col.QUARTER, col.START, col.TARGET, col.CURRENT,
    col.UNIT, col.WEIGHT, col.DUE, col.STATUS, col.CONFIDENCE, col.COMMITMENT, col.PARENT,
    col.ID, col.PROGRESS, col.SCORE, col.EXPECTED, col.HEALTH,
)  # fmt: skip
_WIDTHS = {col.TYPE: 12, col.TITLE: 58, col.OWNER: 16, col.TEAM: 18, col.QUARTER: 10,
           col.UNIT: 13, col.DUE: 12, col.STATUS: 13, col.CONFIDENCE: 11, col.COMMITMENT: 14,
           col.PARENT: 10, col.ID: 10, col.HEALTH: 11}  # fmt: skip
HEADER_ROW = 3
VALIDATED_ROWS = 500  # drop-downs reach this far below the header
_HEADER_FILL = PatternFill("solid", fgColor="1F3864")
_TOOL_HEADER_FILL = PatternFill("solid", fgColor="7F7F7F")
_OBJECTIVE_FILL = PatternFill("solid", fgColor="DDEBF7")
_TOOL_FILL = PatternFill("solid", fgColor="F2F2F2")
_THIN = Side(style="thin", color="BFBFBF")


@dataclass(frozen=True)
class PlanRow:
    """One row of the example plan, by column key."""

    level: str
    values: dict[str, Any]


def create_workbook(
    path: Path, quarter: Quarter, *, example: bool, as_of: dt.date | None = None
) -> None:
    """Write a new tracker for `quarter` to `path`, with the example plan when asked."""
    rows = example_rows(quarter, as_of or dt.date.today()) if example else []
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new Workbook always has one sheet
    sheet.title = f"OKRs {quarter}"
    _write_okr_tab(sheet, quarter, rows)
    _write_guide(workbook.create_sheet("How to use"))
    atomic_write(path, workbook.save)


def example_rows(quarter: Quarter, as_of: dt.date) -> list[PlanRow]:
    """The example plan laid out on `quarter`, its check-ins matching the as-of date."""
    plan = tomllib.loads((templates_dir() / "example-quarter.toml").read_text("utf-8"))
    first_day = quarter.start()
    elapsed = pace(quarter, as_of)
    rows: list[PlanRow] = []
    for objective in plan["objectives"]:
        rows.append(PlanRow("Objective", {
            col.TITLE: objective["title"], col.OWNER: objective["owner"],
            col.TEAM: objective["team"], col.QUARTER: str(quarter),
            col.WEIGHT: objective.get("weight"), col.COMMITMENT: objective["commitment"],
        }))  # fmt: skip
        for kr in objective["key_results"]:
            start, target = kr["start"], kr["target"]
            share = min(max(elapsed * kr["pace"], 0.0), 1.15)
            rows.append(PlanRow("Key Result", {
                col.TITLE: kr["title"], col.OWNER: kr["owner"], col.START: start,
                col.TARGET: target, col.CURRENT: round(start + (target - start) * share),
                col.UNIT: kr["unit"], col.WEIGHT: kr.get("weight"),
                col.CONFIDENCE: kr["confidence"], col.DUE: quarter.end(),
            }))  # fmt: skip
            for action in kr["actions"]:
                due = first_day + dt.timedelta(days=action["due_day"])
                rows.append(PlanRow("Action", {
                    col.TITLE: action["title"], col.OWNER: action["owner"], col.DUE: due,
                    col.STATUS: _example_status(due, as_of, late=action.get("late", False)),
                }))  # fmt: skip
    return rows


def _example_status(due: dt.date, as_of: dt.date, *, late: bool) -> str:
    if due < as_of:
        return "In progress" if late else "Done"
    return "In progress" if (due - as_of).days <= 14 else "Not started"


def _letter(key: str) -> str:
    return get_column_letter(LAYOUT.index(key) + 1)


def _write_okr_tab(sheet: Worksheet, quarter: Quarter, rows: list[PlanRow]) -> None:
    sheet["A1"] = f"Marketing OKRs · {quarter}"
    sheet["A1"].font = font(size=16, bold=True, color="1F3864")
    sheet["A2"] = (
        "Edit the white columns. Grey columns (ID, Progress, Score, Expected, Health) are"
        " filled by `sheets-okr sync`; edits there are overwritten."
    )
    sheet["A2"].font = font(italic=True, color="595959")
    for index, key in enumerate(LAYOUT, start=1):
        cell = sheet.cell(HEADER_ROW, index, col.DISPLAY_NAMES[key])
        cell.font = font(bold=True, color="FFFFFF")
        cell.fill = _TOOL_HEADER_FILL if key in col.TOOL_OWNED else _HEADER_FILL
        cell.alignment = Alignment(vertical="center")
        sheet.column_dimensions[_letter(key)].width = _WIDTHS.get(key, 9)
    for offset, row in enumerate(rows, start=1):
        _write_plan_row(sheet, HEADER_ROW + offset, row)
    _format_columns(sheet, HEADER_ROW + 1, HEADER_ROW + VALIDATED_ROWS)
    last_row = HEADER_ROW + max(len(rows), 1)
    sheet.freeze_panes = f"{_letter(col.OWNER)}{HEADER_ROW + 1}"  # below the header, right of Title
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{_letter(col.HEALTH)}{last_row}"
    # No print area: the rows and columns people add print as well.
    set_up_printing(sheet, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")


def _write_plan_row(sheet: Worksheet, row_number: int, row: PlanRow) -> None:
    sheet.cell(row_number, 1, row.level)
    for key, value in row.values.items():
        if value is not None:
            sheet.cell(row_number, LAYOUT.index(key) + 1, value)
    indent = {"Objective": 0, "Key Result": 1, "Action": 2}[row.level]
    title = sheet.cell(row_number, LAYOUT.index(col.TITLE) + 1)
    title.alignment = Alignment(indent=indent, wrap_text=False)
    for index in range(1, len(LAYOUT) + 1):
        cell = sheet.cell(row_number, index)
        cell.border = Border(bottom=_THIN)
        if row.level == "Objective":
            cell.font = font(bold=True)
            cell.fill = _OBJECTIVE_FILL
        elif row.level == "Action":
            cell.font = font(color="595959")
        else:
            cell.font = font()
    if row.level == "Key Result":
        figures = (col.START, col.TARGET, col.CURRENT)
        number_format = figure_format(row.values.get(col.UNIT), map(row.values.get, figures))
        for key in figures:
            sheet.cell(row_number, LAYOUT.index(key) + 1).number_format = number_format


def _format_columns(sheet: Worksheet, first: int, last: int) -> None:
    """Number formats, drop-down lists and health colours for the whole editable area."""
    # Figures of rows still to be typed keep the General format: 3.5 shows as 3.5, as typed.
    formats = {col.DUE: "yyyy-mm-dd", col.PROGRESS: "0%", col.SCORE: "0%", col.EXPECTED: "0%"}
    for key, number_format in formats.items():
        for row_number in range(first, last + 1):
            sheet.cell(row_number, LAYOUT.index(key) + 1).number_format = number_format
    for key in col.TOOL_OWNED:
        for row_number in range(first, last + 1):
            cell = sheet.cell(row_number, LAYOUT.index(key) + 1)
            if cell.fill is None or cell.fill.fgColor.rgb in (None, "00000000"):
                cell.fill = _TOOL_FILL
    lists = {
        col.TYPE: '"Objective,Key Result,Action"',
        col.STATUS: '"Not started,In progress,Done,Blocked"',
        col.COMMITMENT: '"committed,aspirational"',
    }
    for key, choices in lists.items():
        validation = DataValidation(type="list", formula1=choices, allow_blank=True)
        validation.error = f"Choose one of {choices.strip(chr(34))}"
        validation.showErrorMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{_letter(key)}{first}:{_letter(key)}{last}")
    confidence = DataValidation(type="whole", operator="between", formula1="0", formula2="10")
    confidence.error = "Confidence is a whole number from 0 to 10"
    confidence.showErrorMessage = True
    sheet.add_data_validation(confidence)
    confidence.add(f"{_letter(col.CONFIDENCE)}{first}:{_letter(col.CONFIDENCE)}{last}")
    health = _letter(col.HEALTH)
    for value, colour in fills(HEALTH_COLOURS).items():
        fill = PatternFill("solid", fgColor=colour, bgColor=colour)
        rule = FormulaRule(formula=[f'${health}{first}="{value}"'], fill=fill)  # type: ignore[no-untyped-call]
        sheet.conditional_formatting.add(f"{health}{first}:{health}{last}", rule)


_GUIDE = (
    ("How this tracker works", True),
    ("One row per Objective, Key Result or Action, in that order: a Key Result belongs to the"
     " Objective above it, an Action to the Key Result above it.", False),
    ("Objectives (3-5 a quarter) say where you are going: Increase website traffic.", False),
    ("Key Results (3-5 per objective) are numbers from Start to Target: Increase MQLs from"
     " 20 to 30. Type the latest number in Current at every check-in.", False),
    ("Actions are the dated steps you plan to reach a Key Result; keep Status up to date.",
     False),
    ("", False),
    ("Columns", True),
    ("Start blank means 0. Target blank makes a milestone: done when Current or Status says"
     " Done. Weight blank means 1.", False),
    ("Numbers may be typed as 1,200, $12,000, ₩1,300,000, 30 MQLs or 20%.", False),
    ("Grey columns are the tool's: ID, Progress, Score, Expected, Health.", False),
    ("", False),
    ("Commands", True),
    ("sheets-okr score FILE.xlsx      scores the plan and lists any cell it cannot read", False),
    ("sheets-okr sync FILE.xlsx       writes scores, history and a summary into this file",
     False),
    ("", False),
    ("사용 방법", True),
    ("한 행에 목표, 핵심 결과, 행동을 하나씩 적습니다. 핵심 결과는 시작값에서 목표값으로 가는"
     " 숫자이며, 체크인할 때마다 현재값을 입력합니다.", False),
)  # fmt: skip


def _write_guide(sheet: Worksheet) -> None:
    width = 100
    sheet.column_dimensions["A"].width = width
    for row_number, (text, heading) in enumerate(_GUIDE, start=1):
        cell = sheet.cell(row_number, 1, text)
        size = 13 if heading else 11
        cell.font = font(bold=heading, size=size)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        fit_row_height(sheet, row_number, text, width, size)
    set_up_printing(sheet, print_area=f"A1:A{len(_GUIDE)}")
