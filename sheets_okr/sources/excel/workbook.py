"""Excel workbooks (.xlsx, .xlsm) on disk: read with python-calamine, written part by part.

The file is read once into memory; values, and later the workbook a sync edits, all come
from that one snapshot, so a save by somebody else between the steps cannot mix versions.
Before python-calamine sees it, it is checked, and refused with a sentence saying what to
do, when it is no .xlsx workbook (formats.py) or a zip bomb (archive.py); a tab reaching
far beyond its data is cut down first (extent.py), since python-calamine would abort.
"""

from __future__ import annotations

import contextlib
import io
import logging
import zipfile
import zlib
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import python_calamine

from sheets_okr.a1 import cell_address, quote_tab
from sheets_okr.errors import SheetsOkrError
from sheets_okr.files import same_file
from sheets_okr.sources.base import BACKUPS_KEPT
from sheets_okr.sources.excel.archive import refuse_oversized_file, refuse_zip_bombs
from sheets_okr.sources.excel.cells import scan_cells, sheet_paths
from sheets_okr.sources.excel.extent import (
    CELL_LIMIT,
    Bounded,
    bounded,
    refuse_too_many_cells,
)
from sheets_okr.sources.excel.formats import (
    refuse_unless_workbook_archive,
    refuse_unless_workbook_path,
    refuse_unless_zip,
    unreadable,
)
from sheets_okr.sources.grid import CellRange, CellValue, SheetGrid, WorkbookGrid

if TYPE_CHECKING:
    from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)


class ExcelWorkbook:
    """An Excel workbook file. Reading never changes the file.

    `output` sends a sync's result to another file and leaves this one as it is;
    `backups` is how many earlier versions a sync keeps (see write.BACKUP_FOLDER).
    """

    def __init__(
        self, path: Path, *, output: Path | None = None, backups: int = BACKUPS_KEPT
    ) -> None:
        self.path = path
        self.output = output
        self.backups = backups
        self._snapshot: bytes | None = None

    @property
    def name(self) -> str:
        """The path as given."""
        return str(self.path)

    def read(self) -> WorkbookGrid:
        """Every worksheet's cached values, merged ranges, visibility and formula cells."""
        refuse_unless_workbook_path(self.path)
        try:
            return self._read()
        except SheetsOkrError:
            raise
        except (
            # zipfile raises NotImplementedError (unknown compression or version), EOFError,
            # RuntimeError (encrypted) and zlib.error for damaged archives; ElementTree
            # raises ParseError for damaged XML that the fast reader tolerated.
            OSError, zipfile.BadZipFile, KeyError, ValueError, ParseError,
            NotImplementedError, EOFError, RuntimeError, zlib.error,
        ) as error:  # fmt: skip
            raise unreadable(self.path, error) from error
        except Exception as error:
            # python-calamine raises its own error types (CalamineError, ZipError, XmlError,
            # PasswordError...) that share no public base class; all mean an unreadable file.
            if type(error).__module__.startswith("python_calamine"):
                raise unreadable(self.path, error) from error
            raise

    def exclusive(self) -> AbstractContextManager[None]:
        """Keep other syncs off this workbook while one reads and writes it (sync_lock.py)."""
        if self.output is not None and not same_file(self.output, self.path):
            return contextlib.nullcontext()  # the workbook itself is only read
        from sheets_okr.sources.excel.sync_lock import hold_workbook

        return hold_workbook(self.path)

    def write(self, plan: WritePlan) -> str:
        """Apply a sync's plan to the snapshot read last and save it safely; says where."""
        if self._snapshot is None:
            raise RuntimeError("read() must come before write()")
        from sheets_okr.sources.excel.write import write_plan  # lxml only when writing

        return write_plan(self.path, self._snapshot, plan, output=self.output, backups=self.backups)

    def preflight(self) -> SheetsOkrError | None:
        """Why writing would be refused right now (for a dry run), or None."""
        if self._snapshot is None or self.output is not None:
            return None
        from sheets_okr.sources.excel.write import refuse_in_place_write

        try:
            refuse_in_place_write(self.path)
        except SheetsOkrError as refusal:
            return refusal
        return None

    def _read(self) -> WorkbookGrid:
        refuse_oversized_file(self.path, self.path.stat().st_size)
        snapshot = self.path.read_bytes()
        refuse_unless_zip(self.path, snapshot)
        with zipfile.ZipFile(io.BytesIO(snapshot)) as archive:
            refuse_unless_workbook_archive(self.path, archive)
            refuse_zip_bombs(self.path, archive, snapshot)
            names = set(archive.namelist())
            parts = {name: part for name, part in sheet_paths(archive).items() if part in names}
            sheet_xml = {part: archive.read(part) for part in set(parts.values())}
        sheet_parts = {part: bounded(xml) for part, xml in sheet_xml.items()}
        refuse_too_many_cells(self.path, sheet_parts.values())
        cuts = {part: sheet for part, sheet in sheet_parts.items() if sheet.cut}
        sheet_xml.update((part, sheet.xml) for part, sheet in cuts.items())
        # calamine reads the archive itself: it is given one holding the cut sheets.
        readable = _with_parts(snapshot, {part: sheet.xml for part, sheet in cuts.items()})
        self._snapshot = snapshot  # what a sync edits, and checks unchanged, is the file itself
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(readable))
        sheets: list[SheetGrid] = []
        for meta in workbook.sheets_metadata:
            if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue
            if not meta.name:
                raise ValueError("a worksheet has no name")
            sheet = workbook.get_sheet_by_name(meta.name)
            rows: list[list[CellValue]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
            part = parts.get(meta.name)
            formulas: frozenset[tuple[int, int]] = frozenset()
            if part is not None:
                scanned = scan_cells(sheet_xml[part])
                _overlay(rows, scanned.special)
                formulas = scanned.formulas
                if part in cuts:
                    self._warn_cut(meta.name, cuts[part])
            merged = tuple(
                CellRange(first[0], first[1], last[0], last[1])
                for first, last in (sheet.merged_cell_ranges or ())
            )
            hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
            sheets.append(SheetGrid(meta.name, rows, merged, hidden, formulas))
        workbook.close()
        log.debug("read %d tabs from %s", len(sheets), self.path)
        return WorkbookGrid(str(self.path), tuple(sheets))

    def _warn_cut(self, title: str, cut: Bounded) -> None:
        """Say which cells of a tab cut to CELL_LIMIT were not read (none: nothing to say)."""
        if cut.dropped:
            one = cut.dropped == 1
            log.warning(
                "%s: tab %s: %s beyond %s (the farthest at %s) %s not read, since sheets-okr"
                " reads at most %s cells of a tab; delete %s if typed by mistake (in Excel,"
                " Ctrl+End goes to the last cell).",
                self.path, quote_tab(title), "1 cell" if one else f"{cut.dropped:,} cells",
                cell_address(cut.rows - 1, cut.columns - 1), cut.farthest,
                "was" if one else "were", f"{CELL_LIMIT:,}", "it" if one else "them",
            )  # fmt: skip


def _with_parts(snapshot: bytes, replaced: dict[str, bytes]) -> bytes:
    """The archive with some parts' contents replaced (the snapshot itself when none are)."""
    if not replaced:
        return snapshot
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(snapshot)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as target,
    ):
        for info in source.infolist():
            data = replaced.get(info.filename)
            target.writestr(info.filename, source.read(info) if data is None else data)
    return output.getvalue()


def _overlay(rows: list[list[CellValue]], special: dict[tuple[int, int], CellValue]) -> None:
    """Put error and value-less formula markers where the fast reader saw only blanks."""
    for (row_index, col_index), value in special.items():
        while len(rows) <= row_index:
            rows.append([])
        row = rows[row_index]
        if len(row) <= col_index:
            row.extend([None] * (col_index + 1 - len(row)))
        if row[col_index] in ("", None):
            row[col_index] = value
