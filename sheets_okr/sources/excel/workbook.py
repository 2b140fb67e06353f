"""Excel workbooks (.xlsx, .xlsm) on disk: read with python-calamine, written with openpyxl.

The file is read once into memory; values, and later the workbook a sync edits, all come
from that one snapshot, so a save by somebody else between the steps cannot mix versions.
"""

from __future__ import annotations

import io
import logging
import zipfile
import zlib
from pathlib import Path
from typing import TYPE_CHECKING
from xml.etree.ElementTree import ParseError

import python_calamine

from sheets_okr.errors import SheetsOkrError, SourceUnreadable, UsageError
from sheets_okr.sources.base import BACKUPS_KEPT
from sheets_okr.sources.excel.cells import sheet_paths, special_cells
from sheets_okr.sources.grid import CellRange, CellValue, SheetGrid, WorkbookGrid

if TYPE_CHECKING:
    from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)

EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm"})


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
        """Every worksheet's cached values, merged ranges and visibility."""
        if not self.path.is_file():
            raise UsageError(f"{self.path}: no such file")
        if self.path.suffix.lower() not in EXCEL_SUFFIXES:
            raise UsageError(f"{self.path}: not an Excel workbook (.xlsx or .xlsm)")
        try:
            return self._read()
        except (
            # zipfile raises NotImplementedError (unknown compression or version), EOFError,
            # RuntimeError (encrypted) and zlib.error for damaged archives; ElementTree
            # raises ParseError for damaged XML that the fast reader tolerated.
            OSError, zipfile.BadZipFile, KeyError, ValueError, ParseError,
            NotImplementedError, EOFError, RuntimeError, zlib.error,
        ) as error:  # fmt: skip
            raise SourceUnreadable(
                f"{self.path}: cannot be read as a workbook ({error})"
            ) from error
        except Exception as error:
            # python-calamine raises its own error types (CalamineError, ZipError, XmlError,
            # PasswordError...) that share no public base class; all mean an unreadable file.
            if type(error).__module__.startswith("python_calamine"):
                raise SourceUnreadable(
                    f"{self.path}: cannot be read as a workbook ({error})"
                ) from error
            raise

    def write(self, plan: WritePlan) -> str:
        """Apply a sync's plan to the snapshot read last and save it safely; says where."""
        if self._snapshot is None:
            raise RuntimeError("read() must come before write()")
        from sheets_okr.sources.excel.write import write_plan  # openpyxl only when writing

        return write_plan(self.path, self._snapshot, plan, output=self.output, backups=self.backups)

    def preflight(self) -> SheetsOkrError | None:
        """Why writing would be refused right now (for a dry run), or None."""
        if self._snapshot is None or self.output is not None:
            return None
        from sheets_okr.sources.excel.write import refuse_in_place_write

        try:
            refuse_in_place_write(self.path, self._snapshot)
        except SheetsOkrError as refusal:
            return refusal
        return None

    def _read(self) -> WorkbookGrid:
        self._snapshot = self.path.read_bytes()
        workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(self._snapshot))
        with zipfile.ZipFile(io.BytesIO(self._snapshot)) as archive:
            parts = sheet_paths(archive)
            sheets: list[SheetGrid] = []
            for meta in workbook.sheets_metadata:
                if meta.typ != python_calamine.SheetTypeEnum.WorkSheet:
                    continue
                if not meta.name:
                    raise ValueError("a worksheet has no name")
                sheet = workbook.get_sheet_by_name(meta.name)
                rows: list[list[CellValue]] = sheet.to_python(skip_empty_area=False)  # type: ignore[assignment]
                part = parts.get(meta.name)
                if part is not None and part in archive.namelist():
                    _overlay(rows, special_cells(archive.read(part)))
                merged = tuple(
                    CellRange(first[0], first[1], last[0], last[1])
                    for first, last in (sheet.merged_cell_ranges or ())
                )
                hidden = meta.visible != python_calamine.SheetVisibleEnum.Visible
                sheets.append(SheetGrid(meta.name, rows, merged, hidden))
        workbook.close()
        log.debug("read %d tabs from %s", len(sheets), self.path)
        return WorkbookGrid(str(self.path), tuple(sheets))


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
