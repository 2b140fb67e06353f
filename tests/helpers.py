"""Building real .xlsx workbooks for tests, row by row, with openpyxl."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from sheets_okr.backends.excel import ExcelWorkbook
from sheets_okr.model import Tracker
from sheets_okr.parse import parse_workbook
from sheets_okr.quarters import Quarter

Rows = Sequence[Sequence[Any]]
DEFAULT_QUARTER = Quarter(2026, 4)


def write_workbook(
    path: Path,
    tabs: dict[str, Rows],
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
