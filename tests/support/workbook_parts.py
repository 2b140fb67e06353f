"""Real workbooks edited part by part, as other programs and people's hands leave them."""

from __future__ import annotations

import zipfile
from pathlib import Path

from tests.support.workbooks import small_rows, write_workbook

SHEET = "xl/worksheets/sheet1.xml"
NOTES_SHEET = "xl/worksheets/sheet2.xml"
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def plan(tmp_path: Path) -> Path:
    """The sample plan on tab 2026-Q4 and a Notes tab, as openpyxl writes them."""
    return write_workbook(tmp_path / "plan.xlsx", {"2026-Q4": small_rows(), "Notes": [["notes"]]})


def edited(path: Path, part: str, edit: tuple[bytes, bytes]) -> Path:
    """The workbook at `path` with the first `edit[0]` of one part replaced by `edit[1]`."""
    old, new = edit
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    assert old in parts[part], (part, old)
    parts[part] = parts[part].replace(old, new, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def register_shared_strings(path: Path) -> None:
    """Name xl/sharedStrings.xml in the content types and the workbook's relationships."""
    content_type = b"application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings"
    edited(
        path,
        "[Content_Types].xml",
        (
            b"</Types>",
            b"<Override PartName="
            b'"/xl/sharedStrings.xml" ContentType="%s+xml"/></Types>' % content_type,
        ),
    )
    edited(path, "xl/_rels/workbook.xml.rels", (b"</Relationships>", b'<Relationship Id='
           b'"rIdSst" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships'
           b'/sharedStrings" Target="sharedStrings.xml"/></Relationships>'))  # fmt: skip
