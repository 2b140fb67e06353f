"""Finding the backend for a SOURCE argument: a path to a workbook, or a Google Sheet."""

from __future__ import annotations

import re
from pathlib import Path

from sheets_okr.backends.base import WorkbookBackend
from sheets_okr.backends.excel import ExcelWorkbook
from sheets_okr.errors import UsageError

# A Sheets URL as the browser shows it: .../spreadsheets/d/KEY/edit#gid=0 (also /u/1/ forms).
_GOOGLE_URL = re.compile(
    r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)(?:[/?#].*)?$"
)
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,}$")

__all__ = ["WorkbookBackend", "google_sheet_key", "open_source"]


def google_sheet_key(source: str) -> str | None:
    """The spreadsheet key of a `gsheet:KEY` or Google Sheets URL source; None for a path."""
    if source.startswith("gsheet:"):
        key = source.removeprefix("gsheet:").strip()
        if not _KEY.match(key):
            raise UsageError(
                f"{source}: not a spreadsheet key; it is the long part of the sheet's address"
                " between /d/ and /edit"
            )
        return key
    if re.match(r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/e/", source.strip()):
        raise UsageError(
            f"{source}: a published-to-web address has no spreadsheet key; use the address"
            " the browser shows while editing the sheet (…/spreadsheets/d/KEY/edit)"
        )
    match = _GOOGLE_URL.match(source.strip())
    if match:
        return match.group(1)
    if source.startswith(("https://docs.google.com/", "http://docs.google.com/")):
        raise UsageError(f"{source}: not a Google Sheets address (…/spreadsheets/d/KEY/…)")
    return None


def open_source(
    source: str,
    *,
    output: Path | None = None,
    backups: int = 5,
    credentials: Path | None = None,
) -> WorkbookBackend:
    """The backend for a SOURCE: `gsheet:KEY`, a Google Sheets URL, or an Excel file path.

    `output` and `backups` apply to writing an Excel file (see ExcelWorkbook); `credentials`
    is a service-account key for Google Sheets (default: GOOGLE_APPLICATION_CREDENTIALS).
    """
    key = google_sheet_key(source)
    if key is not None:
        if output is not None:
            raise UsageError("--output applies to Excel workbooks, not to a Google Sheet")
        from sheets_okr.backends.gsheets import GoogleSheet  # gspread only when needed

        return GoogleSheet(key, credentials=credentials)
    return ExcelWorkbook(Path(source), output=output, backups=backups)
