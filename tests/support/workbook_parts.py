"""Real workbooks edited part by part, as other programs and people's hands leave them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tests.support.workbooks import small_rows, write_workbook

SHEET = "xl/worksheets/sheet1.xml"
NOTES_SHEET = "xl/worksheets/sheet2.xml"
MAIN_NS = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parts(path: Path) -> dict[str, bytes]:
    """Every part of a package by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def rewrite(path: Path, replaced: dict[str, bytes]) -> None:
    """Write the package at `path` again with some of its parts replaced."""
    every = parts(path)
    every.update(replaced)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in every.items():
            package.writestr(name, data)


def tab_parts(every: dict[str, bytes]) -> dict[str, str]:
    """Each tab's worksheet part, by the tab's name, as workbook.xml and its rels say."""
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    rel_id = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    rels = ElementTree.fromstring(every["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): str(rel.get("Target")) for rel in rels}
    workbook = ElementTree.fromstring(every["xl/workbook.xml"])
    return {
        str(sheet.get("name")): "xl/" + targets[sheet.get(rel_id)].lstrip("/").removeprefix("xl/")
        for sheet in workbook.iter(f"{main}sheet")
    }


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
