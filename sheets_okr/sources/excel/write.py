"""Applying a sync's write plan to an .xlsx file without losing what people made.

Only tool-owned cells and tabs are touched; the workbook is loaded from the snapshot that
was read, saved to a temporary file beside the original, and moved into place after the
lock files and the original's bytes are checked again. The previous version is kept in
BACKUP_FOLDER beside the workbook.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import logging
import warnings
import zipfile
import zlib
from collections.abc import Mapping
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Font, PatternFill
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.properties import CalcProperties
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.errors import SheetsOkrError, SourceUnreadable
from sheets_okr.files import atomic_write, keep_backup, same_file
from sheets_okr.sources.excel.cached_values import restore_cached_values
from sheets_okr.sources.excel.control_chars import escape_control_characters
from sheets_okr.sources.excel.formats import error_text
from sheets_okr.sources.excel.safety import (
    LOSS_WARNING,
    WouldLoseContent,
    parts_a_save_would_lose,
    refuse_if_changed,
    refuse_if_open,
)
from sheets_okr.sources.writes import (
    CellStyle,
    CellWrite,
    TabContent,
    WritePlan,
    WriteValue,
    same_value,
)

log = logging.getLogger(__name__)

BACKUP_FOLDER = ".sheets-okr-backups"
MACRO_SUFFIXES = frozenset({".xlsm", ".xltm"})
_NUMBER_FORMATS = {CellStyle.PERCENT: "0%", CellStyle.DATE: "yyyy-mm-dd"}
_NO_FILL = PatternFill(fill_type=None)
_PLAIN_VALUES = (str, int, float, dt.date, dt.time, dt.timedelta, type(None))
# What openpyxl raises on parts that python-calamine read but it cannot: damaged XML
# (SyntaxError), missing or odd parts and attributes, bad numbers and references.
_LOAD_ERRORS = (
    SyntaxError, LookupError, ValueError, TypeError, AttributeError,
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
)  # fmt: skip


def write_plan(
    path: Path, snapshot: bytes, plan: WritePlan, *, output: Path | None, backups: int
) -> str:
    """Write the plan into the workbook (or into `output`); returns what was written where."""
    keeps_macros = path.suffix.lower() in MACRO_SUFFIXES
    if output is not None and same_file(output, path):
        output = None  # --output naming the workbook itself gets every check of an in-place save
    in_place = output is None
    if in_place:
        refuse_in_place_write(path, snapshot)
    workbook = _load(path, snapshot, keeps_macros=keeps_macros, strict=in_place)
    fills = _fill_ids(workbook, plan.fills)
    _apply_cells(workbook, plan.cells, fills)
    for tab in plan.changed_tabs:
        _write_tab(workbook, tab, fills)
    # openpyxl keeps no calculated values of formulas; Excel and LibreOffice recompute on open.
    if workbook.calculation is None:  # a workbook.xml without calcPr (not written by Excel)
        workbook.calculation = CalcProperties()
    workbook.calculation.fullCalcOnLoad = True
    target = output or path

    def before_replace() -> None:
        if in_place:
            refuse_if_open(path)
            refuse_if_changed(path, snapshot)
            if backups > 0:
                keep_backup(path, path.parent / BACKUP_FOLDER, keep=backups)

    def save(temporary: Path) -> None:
        buffer = io.BytesIO()
        workbook.save(buffer)
        temporary.write_bytes(restore_cached_values(buffer.getvalue(), snapshot))

    atomic_write(target, save, before_replace=before_replace)
    log.info("wrote %d cells and %d tabs to %s", len(plan.cells), len(plan.changed_tabs), target)
    return str(target)


def refuse_in_place_write(path: Path, snapshot: bytes) -> None:
    """Raise when the workbook must not be replaced: open elsewhere, read-only, or holding
    parts a save would lose. (openpyxl's own warnings are checked later, on loading.)"""
    refuse_if_open(path)
    if not path.stat().st_mode & 0o222:
        raise SheetsOkrError(f"{path} is read-only; nothing was written")
    lost = parts_a_save_would_lose(snapshot, keeps_macros=path.suffix.lower() in MACRO_SUFFIXES)
    if lost:
        raise WouldLoseContent(_refusal(path, lost))


def _refusal(path: Path, lost: list[str]) -> str:
    listed = "; ".join(lost)
    return (
        f"{path} was not changed: saving it would lose {listed}. sheets-okr saves with"
        " openpyxl, which cannot write these back. Write the results to another file with"
        " --output, or move those parts to a workbook of their own."
    )


def _load(path: Path, snapshot: bytes, *, keeps_macros: bool, strict: bool) -> Workbook:
    try:
        try:
            workbook, caught = _open(snapshot, keeps_macros=keeps_macros)
        except SyntaxError:  # ElementTree's ParseError: most often a control character
            workbook, caught = _open(escape_control_characters(snapshot), keeps_macros=keeps_macros)
    except _LOAD_ERRORS as error:
        raise SourceUnreadable(
            f"{path} was not changed: openpyxl, which sheets-okr saves with, cannot load it"
            f" ({error_text(error)}); open it in Excel, save it again as .xlsx, and sync again."
        ) from error
    losses = sorted({str(w.message) for w in caught if LOSS_WARNING.search(str(w.message))})
    for message in {str(w.message) for w in caught} - set(losses):
        log.debug("openpyxl: %s", message)
    if losses and strict:
        raise WouldLoseContent(_refusal(path, losses))
    for message in losses:
        log.warning("%s: %s (the original is unchanged)", path, message)
    return workbook


def _open(snapshot: bytes, *, keeps_macros: bool) -> tuple[Workbook, list[warnings.WarningMessage]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        workbook = load_workbook(
            io.BytesIO(snapshot), keep_vba=keeps_macros, keep_links=True, rich_text=True
        )
    return workbook, caught


def _fill_ids(workbook: Workbook, colours: Mapping[str, str]) -> dict[str | None, int]:
    """The index in the workbook's fills of each FILLED value's colour (None: no fill).

    Setting a fill through cell.fill hashes it against every fill of the workbook, once
    per cell: on a 10,000-row sync that took longer than openpyxl's save. The index is
    found once per colour and put in the cell's style directly.
    """
    ids: dict[str | None, int] = {None: workbook._fills.add(_NO_FILL)}  # type: ignore[attr-defined]
    for value, colour in colours.items():
        fill = PatternFill("solid", fgColor=colour)
        ids[value] = workbook._fills.add(fill)  # type: ignore[attr-defined]
    return ids


def _apply_cells(
    workbook: Workbook, cells: tuple[CellWrite, ...], fills: dict[str | None, int]
) -> None:
    for write in cells:
        sheet = workbook[write.tab]
        cell = sheet.cell(write.row, write.column)
        if write.style is CellStyle.HEADER and write.column > 1:
            _copy_look(sheet.cell(write.row, write.column - 1), cell)  # the people's header look
        _set(cell, write.value, write.style, fills)


def _copy_look(source: Cell | MergedCell, cell: Cell | MergedCell) -> None:
    if isinstance(cell, Cell) and source.has_style:
        # The stubs type these proxies as Serialisable; openpyxl's docs copy them like this.
        cell.font = copy.copy(source.font)  # type: ignore[assignment]
        cell.fill = copy.copy(source.fill)  # type: ignore[assignment]
        cell.border = copy.copy(source.border)  # type: ignore[assignment]
        cell.alignment = copy.copy(source.alignment)  # type: ignore[assignment]


def _set(
    cell: Cell | MergedCell, value: WriteValue, style: CellStyle, fills: dict[str | None, int]
) -> None:
    """Store a value with its style; text is always text, never a formula or an error."""
    if isinstance(cell, MergedCell):
        # A person merged a range over a tool-owned cell; their layout wins.
        log.warning("%s is inside a merged range; not written", cell.coordinate)
        return
    if isinstance(value, str):
        cell.value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.data_type = "s"
    else:
        cell.value = value
    number_format = _NUMBER_FORMATS.get(style)
    if number_format and value is not None and not isinstance(value, str):
        cell.number_format = number_format
    if style is CellStyle.FILLED:
        fill = fills.get(value, fills[None]) if isinstance(value, str) else fills[None]
        if not cell.has_style:
            cell._style = StyleArray()  # type: ignore[attr-defined]  # as openpyxl's setter does
        cell._style.fillId = fill  # type: ignore[attr-defined]
    elif style is CellStyle.HEADER and not cell.has_style:
        cell.font = Font(bold=True)
    elif style is CellStyle.TITLE:
        cell.font = Font(bold=True, size=14)


def _write_tab(workbook: Workbook, tab: TabContent, fills: dict[str | None, int]) -> None:
    """Replace a tool-owned tab's values; the tab itself (and anything drawn on it) stays."""
    if tab.title in workbook.sheetnames:
        sheet = workbook[tab.title]
    else:
        sheet = workbook.create_sheet(tab.title)
        for index, width in enumerate(tab.widths, start=1):
            sheet.column_dimensions[_letter(index)].width = width
        sheet.freeze_panes = f"A{tab.frozen_rows + 1}"
    old_rows, old_columns = sheet.max_row, sheet.max_column
    cells = sheet._cells  # read without creating cells: most History rows are unchanged
    for row_number, (values, styles) in enumerate(zip(tab.rows, tab.styles, strict=True), 1):
        if _holds(cells, row_number, values, old_columns):
            continue
        for column, value in enumerate(values, start=1):
            style = styles[column - 1] if column - 1 < len(styles) else CellStyle.PLAIN
            _set(sheet.cell(row_number, column), value, style, fills)
        for column in range(len(values) + 1, old_columns + 1):
            _clear(sheet, row_number, column)
    for row_number in range(len(tab.rows) + 1, old_rows + 1):
        for column in range(1, old_columns + 1):
            _clear(sheet, row_number, column)


def _holds(
    cells: dict[tuple[int, int], Cell | MergedCell],
    row: int,
    values: tuple[WriteValue, ...],
    width: int,
) -> bool:
    """Whether a row of the sheet already shows exactly these values (and nothing more)."""
    for column in range(1, max(width, len(values)) + 1):
        cell = cells.get((row, column))
        old = cell.value if cell is not None else None
        new = values[column - 1] if column - 1 < len(values) else None
        if not isinstance(old, _PLAIN_VALUES) or not same_value(old, new):
            return False
    return True


def _clear(sheet: Worksheet, row: int, column: int) -> None:
    cell = sheet._cells.get((row, column))
    if cell is not None:
        cell.value = None
        if cell.fill.fill_type is not None:
            cell.fill = _NO_FILL  # no health colour left on an emptied row


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
