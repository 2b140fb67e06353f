"""Finding the backend for a SOURCE argument: a path to a workbook, or a Google Sheet."""

from __future__ import annotations

import re
from pathlib import Path

from sheets_okr.backends.base import WorkbookBackend
from sheets_okr.backends.excel import ExcelWorkbook
from sheets_okr.errors import UsageError

_GOOGLE_URL = re.compile(r"^https://docs\.google\.com/spreadsheets/d/([A-Za-z0-9_-]+)")

__all__ = ["WorkbookBackend", "open_source"]


def open_source(source: str, *, output: Path | None = None, backups: int = 5) -> WorkbookBackend:
    """The backend for a SOURCE: `gsheet:KEY`, a Google Sheets URL, or an Excel file path.

    `output` and `backups` apply to writing an Excel file (see ExcelWorkbook).
    """
    if source.startswith("gsheet:") or _GOOGLE_URL.match(source):
        raise UsageError(
            f"{source}: Google Sheets sources are not supported by this version yet;"
            " download the sheet as .xlsx meanwhile"
        )
    return ExcelWorkbook(Path(source), output=output, backups=backups)
