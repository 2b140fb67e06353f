"""Building real .xlsx workbooks for tests, row by row, with openpyxl; the sample plan that
many tests start from; and the fields every scored objective and key result carries."""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Tracker
from sheets_okr.read.parse import parse_workbook
from sheets_okr.sources.excel.workbook import ExcelWorkbook

Rows = Sequence[Sequence[Any]]
DEFAULT_QUARTER = Quarter(2026, 4)

# The header of the type layout (a Type column names each row's level), in the template's order.
TYPE_HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current",
               "Unit", "Weight", "Due", "Status"]  # fmt: skip

# What `score --format json` gives each objective and key result (contract section 4).
OBJECTIVE_FIELDS = {
    "id", "title", "team", "quarter", "weight", "score", "expected", "health", "key_results",
}  # fmt: skip
KEY_RESULT_FIELDS = {
    "id", "title", "owner", "start", "target", "current", "weight", "progress", "score",
    "expected", "health",
}  # fmt: skip


def small_rows() -> list[list[Any]]:
    """The sample plan: two objectives, three KRs and an action in the type layout, header on
    row 1 (a fresh copy each call, for tests to change)."""
    return [
        list(TYPE_HEADER),
        ["Objective", "Increase website traffic", "Sam", "Content"],
        ["Key Result", "Grow visits from 20 to 30", "Lee", None, None, 20, 30, 25, "visits"],
        ["Action", "Publish 4 articles", "Lee", None, None, None, None, None, None, None,
         "2026-11-15", "Done"],
        ["Key Result", "Cut cost per MQL from 180 to 120", "Kim", None, None, 180, 120, 150],
        ["Objective", "Improve the sales pipeline", "Dana", "Demand Gen"],
        ["Key Result", "Win 10 deals", "Dana", None, None, 0, 10, None],
    ]  # fmt: skip


def write_workbook(
    path: Path,
    tabs: Mapping[str, Rows],
    *,
    merges: dict[str, list[str]] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Path:
    """Write tabs of rows (row 1 first) to a real workbook; None leaves a cell empty.

    `merges` maps a tab to ranges such as "A2:A4"; `errors` maps a tab to cells that
    should hold an error value, given in the rows as "#REF!" and the like.
    """
    workbook = Workbook()
    first = True
    for title, rows in tabs.items():
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        first = False
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c, value)
        for cell in (errors or {}).get(title, []):
            sheet[cell].data_type = "e"
        for cell_range in (merges or {}).get(title, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path


def read(path: Path, quarter: Quarter = DEFAULT_QUARTER) -> Tracker:
    """Read and parse a workbook file the way `sheets-okr score` does."""
    return parse_workbook(ExcelWorkbook(path).read(), quarter)


def day(text: str) -> dt.date:
    """A date from ISO text."""
    return dt.date.fromisoformat(text)


def sample_workbook_bytes() -> bytes:
    """A small real tracker as bytes, for damage tests: merges, an error cell, a formula
    without a cached value, a number as text, a percentage, and a second tab."""
    with tempfile.TemporaryDirectory() as folder:
        path = write_workbook(
            Path(folder) / "sample.xlsx",
            {
                "2026-Q4": [
                    ["Type", "Title", "Owner", "Team", "Start", "Target", "Current"],
                    ["Objective", "Grow traffic", "Sam", "Content"],
                    ["Key Result", "Grow visits from 20 to 30", "Lee", None, 20, 30, "=20+5"],
                    ["Key Result", "Signups", "Kim", None, "1,200", "#REF!", "20%"],
                ],
                "Notes": [["hello"]],
            },
            merges={"2026-Q4": ["D2:D4"]},
            errors={"2026-Q4": ["F4"]},
        )
        return path.read_bytes()
