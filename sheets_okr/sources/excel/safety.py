"""Before overwriting a workbook: is it open elsewhere, changed since read, or would a save
by openpyxl lose something in it? (research/sheets-and-excel.md section 5)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path

from sheets_okr.errors import SheetsOkrError, TemporaryFailure


class WouldLoseContent(SheetsOkrError):
    """The workbook holds parts that saving it with openpyxl would drop."""


# Parts openpyxl reads and writes back. Anything else in the archive would be lost.
_KEPT_PARTS = re.compile(
    r"""^(\[Content_Types\]\.xml|_rels/\.rels|docProps/(app|core|custom)\.xml
    |xl/(workbook\.xml|styles\.xml|sharedStrings\.xml|_rels/workbook\.xml\.rels)
    |xl/theme/theme\d+\.xml|xl/worksheets/sheet\d+\.xml|xl/worksheets/_rels/sheet\d+\.xml\.rels
    |xl/(comments\d*\.xml|comments/comment\d+\.xml)
    |xl/drawings/((vmlDrawing|commentsDrawing)\d+\.vml|drawing\d+\.xml)
    |xl/drawings/_rels/drawing\d+\.xml\.rels|xl/charts/chart\d+\.xml|xl/charts/_rels/chart\d+\.xml\.rels
    |xl/media/[^/]+|xl/tables/table\d+\.xml|xl/tables/_rels/table\d+\.xml\.rels
    |xl/pivotTables/.+|xl/pivotCache/.+|xl/externalLinks/.+)$""",
    re.VERBOSE,
)
# Parts openpyxl drops whose loss changes nothing people see or use.
_HARMLESS_PARTS = re.compile(
    r"^(xl/calcChain\.xml|docProps/thumbnail\.\w+|xl/printerSettings/.+"
    r"|xl/charts/(style|colors)\d+\.xml|xl/charts/_rels/.+)$"
)
_MACRO_PARTS = re.compile(
    r"^(xl/vbaProject\.bin|xl/vbaProjectSignature\.bin|xl/_rels/vbaProject\.bin\.rels"
    r"|xl/ctrlProps/.+|xl/activeX/.+|customUI/.+|xl/drawings/.+\.(emf|vml))$"
)
_NAMED_PARTS = (
    ("xl/threadedComments/", "threaded comments"),
    ("xl/persons/", "threaded comment authors"),
    ("xl/slicer", "slicers"),
    ("xl/timeline", "timelines"),
    ("xl/connections.xml", "data connections (Power Query)"),
    ("xl/queryTables/", "query tables (Power Query)"),
    ("xl/model/", "a data model (Power Pivot)"),
    ("customXml/", "custom XML parts (Power Query or SharePoint properties)"),
    ("xl/charts/chartEx", "charts of newer types (waterfall, funnel, treemap...)"),
    ("xl/metadata.xml", "dynamic array formulas"),
    ("xl/richData/", "pictures in cells"),
    ("xl/ctrlProps/", "form controls"),
    ("xl/webextensions/", "add-ins"),
)
_SHAPES = re.compile(rb"<(?:\w+:)?(?:sp|grpSp|cxnSp)\b")
# openpyxl warns with these words when it drops something it read.
LOSS_WARNING = re.compile(r"remov|lost|drop|discard|not supported", re.IGNORECASE)


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (`~$name`, Word-style `~$me`) or LibreOffice (`.~lock.name#`) keep."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]),
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [c for c in candidates if c.exists()]


def refuse_if_open(path: Path) -> None:
    """Exit 75 (retry later) while another program has the workbook open."""
    found = lock_files(path)
    if found:
        raise TemporaryFailure(
            f"{path} is open in Excel or LibreOffice (lock file {found[0].name}); close it"
            " and run again. If nobody has it open, the lock file is left over from a crash:"
            " delete it."
        )


def refuse_if_changed(path: Path, snapshot: bytes) -> None:
    """Exit 75 when the file on disk is no longer the one that was read."""
    try:
        current = path.read_bytes()
    except OSError as error:
        raise TemporaryFailure(f"{path} cannot be read again before saving: {error}") from error
    if hashlib.sha256(current).digest() != hashlib.sha256(snapshot).digest():
        raise TemporaryFailure(
            f"{path} changed while sheets-okr was working on it; nothing was written."
            " Run again to use the new version."
        )


def parts_a_save_would_lose(snapshot: bytes, *, keeps_macros: bool) -> list[str]:
    """What in the workbook openpyxl would not write back, named for people."""
    lost: list[str] = []
    with zipfile.ZipFile(io.BytesIO(snapshot)) as archive:
        for name in archive.namelist():
            if _KEPT_PARTS.match(name) or _HARMLESS_PARTS.match(name):
                if name.startswith("xl/drawings/drawing") and _SHAPES.search(archive.read(name)):
                    lost.append(f"shapes or text boxes ({name})")
                continue
            if keeps_macros and _MACRO_PARTS.match(name):
                continue
            label = next((text for prefix, text in _NAMED_PARTS if name.startswith(prefix)), None)
            lost.append(f"{label} ({name})" if label else name)
    return sorted(set(lost))
