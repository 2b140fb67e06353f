"""Applying a sync's write plan to an .xlsx file without losing what people made.

The file is changed part by part (patch.py): the tool's cells and tabs, new styles, and the
registration of a new tab; every other part keeps its bytes, so nothing Excel writes is
lost, whatever its version. The new file is written beside the original and swapped in
only if the original is still the file that was read and nobody has it open (replace.py);
the version it replaces is kept in BACKUP_FOLDER beside the workbook.
"""

from __future__ import annotations

import logging
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from sheets_okr.errors import SheetsOkrError, SourceUnreadable
from sheets_okr.files import atomic_write, same_file
from sheets_okr.sources.excel.formats import error_text
from sheets_okr.sources.excel.package import TabKindError
from sheets_okr.sources.excel.patch import patch_workbook
from sheets_okr.sources.excel.replace import replace_workbook
from sheets_okr.sources.excel.safety import refuse_if_open
from sheets_okr.sources.excel.sync_lock import BACKUP_FOLDER
from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)

# What a damaged or incomplete package raises while its parts are patched: XML that is not
# well-formed, a part or attribute that is missing or malformed, a broken archive.
_DAMAGED = (
    etree.XMLSyntaxError, KeyError, ValueError, IndexError, TypeError,
    zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError,
)  # fmt: skip


def write_plan(
    path: Path, snapshot: bytes, plan: WritePlan, *, output: Path | None, backups: int
) -> str:
    """Write the plan into the workbook (or into `output`); returns what was written where."""
    if output is not None and same_file(output, path):
        output = None  # --output naming the workbook itself gets every check of an in-place save
    if output is None:
        refuse_in_place_write(path)
    data = patched(path, snapshot, plan)
    if output is None:
        replace_workbook(
            path,
            snapshot,
            lambda temporary: temporary.write_bytes(data),
            backups=backups,
            backup_folder=path.parent / BACKUP_FOLDER,
        )
    else:
        atomic_write(output, lambda temporary: temporary.write_bytes(data))
    target = output or path
    log.info("wrote %d cells and %d tabs to %s", len(plan.cells), len(plan.changed_tabs), target)
    return str(target)


def patched(path: Path, snapshot: bytes, plan: WritePlan) -> bytes:
    """The workbook's bytes with the plan applied, or one sentence saying why it cannot be."""
    try:
        return patch_workbook(snapshot, plan)
    except TabKindError as error:
        raise SheetsOkrError(
            f"{path} was not changed: it has a tab named {error} that is not a worksheet"
            " (a chart sheet?) or differs only in capitals, and sheets-okr keeps a worksheet"
            " of that name. Rename that tab and sync again."
        ) from error
    except _DAMAGED as error:
        raise SourceUnreadable(
            f"{path} was not changed: a part sheets-okr must change is damaged"
            f" ({error_text(error)}); open the workbook in Excel, save it again as .xlsx,"
            " and sync again."
        ) from error


def refuse_in_place_write(path: Path) -> None:
    """Raise when the workbook must not be replaced now: open elsewhere, or read-only.
    (Whether it changed since it was read is checked at the moment of the swap.)"""
    refuse_if_open(path)
    if not path.stat().st_mode & 0o222:
        raise SheetsOkrError(f"{path} is read-only; nothing was written")
