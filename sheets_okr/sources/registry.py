"""The kinds of source a SOURCE argument can name, and opening one.

Each kind says which SOURCE texts it takes; the first kind in KINDS that takes a text opens
it: a Google Sheet, a CSV or TSV file (text/), else an Excel workbook file (excel/). A new
kind of source is one more SourceKind here and a folder beside excel/, gsheets/ and text/
holding its backend; the commands and the configuration need no change. A kind's backend
module is imported only when a source of that kind is opened, so that reading a
configuration never loads gspread or openpyxl.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sheets_okr.errors import UsageError
from sheets_okr.sources.base import BACKUPS_KEPT, WorkbookBackend
from sheets_okr.sources.gsheets.address import google_sheet_key


@dataclass(frozen=True)
class OpenOptions:
    """What opening a source may be told; each kind uses what applies to it."""

    output: Path | None = None  # a file to write the result to, leaving the source as it is
    backups: int = BACKUPS_KEPT  # earlier versions of a file kept beside it
    credentials: Path | None = None  # a Google service-account key; None: the environment's


@dataclass(frozen=True)
class SourceKind:
    """One kind of source: which SOURCE texts it takes, and how to open and name one."""

    name: str  # as messages say it: "a Google Sheet"
    takes: Callable[[str], bool]  # may raise UsageError for a malformed one of its own
    open: Callable[[str, OpenOptions], WorkbookBackend]
    # The source to open from a configuration file in `folder`, and what makes two sources
    # one (a sheet's key, a file's real path).
    resolve: Callable[[str, Path], tuple[str, str]]
    needs_credentials: bool = False  # a service-account key must be at hand


def _open_google_sheet(source: str, options: OpenOptions) -> WorkbookBackend:
    if options.output is not None:
        raise UsageError("--output applies to Excel workbooks, not to a Google Sheet")
    from sheets_okr.sources.gsheets.sheet import GoogleSheet  # gspread only when needed

    return GoogleSheet(google_sheet_key(source) or source, credentials=options.credentials)


def _resolve_google_sheet(source: str, folder: Path) -> tuple[str, str]:
    return source, f"gsheet:{google_sheet_key(source)}"


# Text files people export a sheet as; .txt is Excel's "Unicode Text" (tab-separated UTF-16)
# and "Text (Tab delimited)". Matched by suffix alone, so that a missing file is still named
# as a CSV file and refused as one.
TEXT_FILE_SUFFIXES = (".csv", ".tsv", ".tab", ".txt")


def _open_text_file(source: str, options: OpenOptions) -> WorkbookBackend:
    from sheets_okr.sources.text.table import TextTable

    return TextTable(Path(source), output=options.output)


def _open_workbook_file(source: str, options: OpenOptions) -> WorkbookBackend:
    from sheets_okr.sources.excel.workbook import ExcelWorkbook

    return ExcelWorkbook(Path(source), output=options.output, backups=options.backups)


def _resolve_workbook_file(source: str, folder: Path) -> tuple[str, str]:
    # Relative to the configuration file, so that cron's working folder does not matter.
    path = str(folder / Path(source).expanduser())
    return path, os.path.realpath(path)


GOOGLE_SHEET = SourceKind(
    "a Google Sheet",
    takes=lambda source: google_sheet_key(source) is not None,
    open=_open_google_sheet,
    resolve=_resolve_google_sheet,
    needs_credentials=True,
)
TEXT_FILE = SourceKind(
    "a CSV file",
    takes=lambda source: source.lower().endswith(TEXT_FILE_SUFFIXES),
    open=_open_text_file,
    resolve=_resolve_workbook_file,  # a path, relative to the configuration, like a workbook's
)
WORKBOOK_FILE = SourceKind(
    "an Excel workbook",
    takes=lambda source: True,  # whatever no other kind takes is a file path
    open=_open_workbook_file,
    resolve=_resolve_workbook_file,
)
KINDS = (GOOGLE_SHEET, TEXT_FILE, WORKBOOK_FILE)  # asked in this order; the last takes any path


def kind_of(source: str) -> SourceKind:
    """The kind of source a SOURCE text names; UsageError when it is malformed."""
    for kind in KINDS:
        if kind.takes(source):
            return kind
    raise UsageError(f"{source}: not a source sheets-okr can read")  # KINDS ends with paths


def open_source(
    source: str,
    *,
    output: Path | None = None,
    backups: int = BACKUPS_KEPT,
    credentials: Path | None = None,
) -> WorkbookBackend:
    """The backend for a SOURCE: `gsheet:KEY`, a Google Sheets URL, a CSV or TSV file path,
    or an Excel file path.

    `output` and `backups` apply to writing an Excel file (see ExcelWorkbook); a CSV file
    is synced only into a new workbook at `output` (see TextTable). `credentials` is a
    service-account key for Google Sheets (default: GOOGLE_APPLICATION_CREDENTIALS).
    """
    return kind_of(source).open(source, OpenOptions(output, backups, credentials))
