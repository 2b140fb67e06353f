"""A CSV or TSV file as a source: one tab of text cells, read once; never written itself.

Every cell stays the text as written ("1,200", "$12,000", "20%", "2026-10-15"): the reader
of values reads text the way people type it. Only an empty cell becomes None, and a file
written with decimal commas has its numbers rewritten with decimal points (numbers.py).

A text file cannot hold the columns and tabs a sync writes, so a sync needs an output: a
new .xlsx workbook made from the file's values (xlsx.py). The file itself is never changed.
"""

from __future__ import annotations

import contextlib
import csv
import io
import logging
import re
from pathlib import Path
from typing import TYPE_CHECKING

from sheets_okr.errors import SheetsOkrError, SourceUnreadable, UsageError
from sheets_okr.sources.excel.extent import CELL_LIMIT
from sheets_okr.sources.grid import CellValue, SheetGrid, WorkbookGrid
from sheets_okr.sources.text.dialect import TAB_SUFFIXES, layout_of
from sheets_okr.sources.text.encoding import decode
from sheets_okr.sources.text.numbers import uses_decimal_commas, with_decimal_points

if TYPE_CHECKING:
    from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)

SIZE_LIMIT = 50 * 1024 * 1024  # bytes: a tracker's export is kilobytes; this is a data dump
# What one Excel sheet holds: a file past either could not become the workbook a sync writes.
ROW_LIMIT = 1_048_576
COLUMN_LIMIT = 16_384
TITLE_LIMIT = 31  # characters of an Excel tab name (UTF-16 code units, as Excel counts)
_TITLE_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


class TextTable:
    """A CSV or TSV file. Reading never changes it; a sync writes a new workbook to `output`."""

    def __init__(self, path: Path, *, output: Path | None = None) -> None:
        self.path = path
        self.output = output
        self._grid: SheetGrid | None = None

    @property
    def name(self) -> str:
        """The path as given."""
        return str(self.path)

    def read(self) -> WorkbookGrid:
        """The file as one tab named after it, each row as its cells' text."""
        _refuse_unless_file(self.path)
        size = self.path.stat().st_size
        if size > SIZE_LIMIT:
            raise SourceUnreadable(
                f"{self.path} was not read: at {size / 1024 / 1024:,.0f} MB it is far larger"
                f" than any tracker (sheets-okr reads CSV files up to {SIZE_LIMIT // 2**20} MB);"
                " export only the tab that holds the plan."
            )
        decoded = decode(self.path, self.path.read_bytes())
        layout = layout_of(self.path, decoded.text)
        rows = _split(self.path, decoded.text[layout.start :], layout.delimiter)
        if uses_decimal_commas(rows, layout.delimiter):
            log.info("%s writes numbers with decimal commas (1,25); read as such", self.path)
            rows = with_decimal_points(rows)
        self._grid = SheetGrid(tab_title(self.path), rows)
        log.debug(
            "read %d rows from %s (%s, delimiter %r)",
            len(rows), self.path, decoded.encoding, layout.delimiter,
        )  # fmt: skip
        return WorkbookGrid(str(self.path), (self._grid,))

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to hold: the text file is only read; the new workbook is written whole."""
        return contextlib.nullcontext()

    def preflight(self) -> SheetsOkrError | None:
        """Why a sync would be refused now: no output to write to, or one that exists."""
        if self.output is None:
            return self._needs_output()
        from sheets_okr.sources.text.xlsx import refuse_unusable_output

        try:
            refuse_unusable_output(self.output)
        except SheetsOkrError as refusal:
            return refusal
        return None

    def write(self, plan: WritePlan) -> str:
        """Make a new workbook at `output` from the file's values and apply the plan to it;
        says where. Without an output, refused: the file cannot hold what a sync writes."""
        if self._grid is None:
            raise RuntimeError("read() must come before write()")
        if self.output is None:
            raise self._needs_output()
        from sheets_okr.sources.text.xlsx import write_new_workbook  # openpyxl only here

        return write_new_workbook(self._grid, plan, source=self.path, output=self.output)

    def _needs_output(self) -> UsageError:
        kind = "TSV" if self.path.suffix.lower() in TAB_SUFFIXES else "CSV"
        return UsageError(
            f"{self.path} is a {kind} file, which cannot hold the tool's columns and tabs; add"
            " --output tracker.xlsx to write a new tracker workbook from it."
        )


def tab_title(path: Path) -> str:
    """The file's name without its suffix, made a name Excel takes for a tab: none of
    []:*?/\\ (each becomes _), no apostrophe at either end, at most 31 characters, not blank."""
    title = _TITLE_FORBIDDEN.sub("_", path.stem).strip("'")
    while len(title.encode("utf-16-le")) > 2 * TITLE_LIMIT:
        title = title[:-1]
    return title if title.strip() else "Sheet1"


def _refuse_unless_file(path: Path) -> None:
    """Raise UsageError, as for a workbook, when the path names no readable file."""
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not a CSV file; name the file inside it.")
    if not path.exists():
        raise UsageError(f"{path}: no such file; check the path and the file's name.")
    if not path.is_file():
        raise UsageError(f"{path} is not a regular file; name the CSV file itself.")


def _split(path: Path, text: str, delimiter: str) -> list[list[CellValue]]:
    """The rows of the text, each cell's text kept as written; an empty cell is None.

    strict: a quote left open would otherwise swallow every later line into one cell
    without a word, and the rows below it would silently go unscored.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[list[CellValue]] = []
    cells = 0
    try:
        for fields in reader:
            rows.append([_cell(field) for field in fields])
            cells += len(fields)
            if len(fields) > COLUMN_LIMIT or len(rows) > ROW_LIMIT or cells > CELL_LIMIT:
                raise _too_large(path, len(fields), len(rows), cells)
    except csv.Error as error:
        raise SourceUnreadable(
            f"{path} cannot be read as CSV: line {reader.line_num}: {error}; a cell that opens"
            ' with a quote (") must close it, and a quote inside such a cell is written'
            ' twice ("").'
        ) from error
    return rows


def _cell(field: str) -> CellValue:
    # A carriage return left at a cell's end is a line ending split oddly, not content.
    return field.removesuffix("\r") or None


def _too_large(path: Path, columns: int, rows: int, cells: int) -> SourceUnreadable:
    if columns > COLUMN_LIMIT:
        what = f"row {rows} has {columns:,} cells, more than the {COLUMN_LIMIT:,} columns"
        what += " an Excel sheet holds"
    elif rows > ROW_LIMIT:
        what = f"it has more than the {ROW_LIMIT:,} rows an Excel sheet holds"
    else:
        what = f"it holds more than {CELL_LIMIT:,} cells, the most sheets-okr reads of a tab"
    return SourceUnreadable(f"{path} was not read: {what}; export only the plan's rows.")
