"""A text file's sync: a new .xlsx workbook holding the file's values, with the plan applied.

The values go into a draft workbook of one tab (plain numbers as numbers, all other text as
text, never as a formula). The Excel backend then reads the draft and writes the plan into
it exactly as it syncs any workbook, saving the result as a second file. Both files live in
a private folder made beside the output, so that moving the result into place stays on one
file system: the output appears complete or not at all, an existing file is never written
over (a hard link fails when the name is taken, where a rename would replace it), and the
folder is removed however the write ends.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sheets_okr.a1 import cell_address
from sheets_okr.errors import SheetsOkrError, UsageError
from sheets_okr.files import folder_error
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from sheets_okr.sources.grid import CellValue, SheetGrid

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet._write_only import WriteOnlyWorksheet

    from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)

OUTPUT_SUFFIX = ".xlsx"
TEXT_LIMIT = 32_767  # characters an Excel cell holds; Excel calls a file with more damaged
# A number as a plain number is written: an optional minus, digits, an optional decimal part.
# "1,200", "$12,000", "20%", "+5" and "1e5" stay text, for the reader of values to read.
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")
_DIGITS = 15  # Excel keeps 15 significant digits; a longer number (an ID) stays text


def refuse_unusable_output(output: Path) -> None:
    """Raise UsageError when `output` cannot be the new workbook: not .xlsx, or taken."""
    if output.suffix.lower() != OUTPUT_SUFFIX:
        raise UsageError(
            f"--output {output}: the workbook made from a CSV file must be an .xlsx file."
        )
    if output.exists() or output.is_symlink():
        raise _exists(output)


def write_new_workbook(sheet: SheetGrid, plan: WritePlan, *, source: Path, output: Path) -> str:
    """Write the tab's values and the plan to the new workbook `output`; says where."""
    refuse_unusable_output(output)
    _refuse_unfit(sheet, source)
    try:
        folder = Path(tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".new", dir=output.parent))
    except OSError as error:
        friendly = folder_error(error, output)
        if friendly is None:
            raise
        raise friendly from error
    try:
        draft, finished = folder / "values.xlsx", folder / "synced.xlsx"
        save_values(sheet, draft)
        workbook = ExcelWorkbook(draft, output=finished, backups=0)
        workbook.read()
        workbook.write(plan)
        _place(finished, output)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    log.info("wrote %s, a new workbook made from %s", output, source)
    return str(output)


def save_values(sheet: SheetGrid, path: Path) -> None:
    """Save the tab's values as a workbook of one tab; text stays text, never a formula."""
    workbook = Workbook(write_only=True)
    tab = workbook.create_sheet(sheet.title)
    for row in sheet.rows:
        tab.append([_cell(tab, value) for value in row])
    workbook.save(path)


def as_number(text: str) -> int | float | None:
    """The number a cell's text is, when it is written as Excel shows that number ("12",
    "-3.5", "1200"); None for any other text ("007", "3.50", "1,200", "20%", "+5")."""
    if not _PLAIN_NUMBER.fullmatch(text) or sum(c.isdigit() for c in text) > _DIGITS:
        return None
    number: int | float = int(text) if "." not in text else float(text)
    # Written back, the number must read as the same text: "007" would become 7 and "3.50"
    # 3.5, and a title or an ID is not to change on its way into the workbook.
    shown = str(int(number)) if float(number).is_integer() else repr(float(number))
    return number if shown == text else None


def _cell(tab: WriteOnlyWorksheet, value: CellValue) -> Cell | int | float | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"a text file's grid holds only text, not {value!r}")
    number = as_number(value)
    if number is not None:
        return number
    cell = WriteOnlyCell(tab, value=ILLEGAL_CHARACTERS_RE.sub("", value))
    cell.data_type = "s"  # "=1+1", "+cmd", "@x" are text people typed, never formulas
    return cell


def _refuse_unfit(sheet: SheetGrid, source: Path) -> None:
    """Raise when a cell holds more text than Excel keeps in one: the file would be damaged."""
    for row_index, row in enumerate(sheet.rows):
        for col_index, value in enumerate(row):
            if isinstance(value, str) and len(value) > TEXT_LIMIT:
                raise SheetsOkrError(
                    f"{source}: cell {cell_address(row_index, col_index)} holds"
                    f" {len(value):,} characters, more than the {TEXT_LIMIT:,} an Excel cell"
                    " holds; shorten it. Nothing was written."
                )


def _place(finished: Path, output: Path) -> None:
    """Give the finished workbook the output's name, unless that name is taken by now."""
    try:
        os.link(finished, output)
    except FileExistsError as error:
        raise _exists(output) from error
    except OSError:
        # A file system without hard links (FAT, some network shares): the check just made
        # is the best there is, and the rename is still all or nothing.
        if output.exists() or output.is_symlink():
            raise _exists(output) from None
        os.replace(finished, output)
    with contextlib.suppress(OSError):  # the new name survives a crash; not every system can
        descriptor = os.open(output.parent, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _exists(output: Path) -> UsageError:
    return UsageError(
        f"{output} exists and was not changed; sync it directly: `sheets-okr sync {output}`."
    )
