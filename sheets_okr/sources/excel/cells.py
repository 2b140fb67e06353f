"""What the fast reader cannot tell apart: error cells and formulas saved without a value.

python-calamine returns both as "" (the same as an empty cell). Reading them as blank would
turn a Target of #REF! into a milestone, so the sheet XML is scanned for them directly:
`t="e"` cells, and formula cells whose cached `<v>` is missing or empty (what openpyxl
writes). Only the raw bytes are searched, which costs a fraction of a full parse.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from xml.etree import ElementTree

from sheets_okr.a1 import column_index
from sheets_okr.sources.grid import CellError, CellValue, MissingFormulaValue

_MAIN_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL_NS = "{http://schemas.openxmlformats.org/package/2006/relationships}"

# Each pattern stays inside one tag or one element's text ([^<>], [^<]) and the quantifiers
# that could split a run two ways are possessive or in a lookahead, so a scan takes linear
# time on any XML: a cell of 32,767 characters, or a comment of a million "<c t="e"" pieces.
_FORMULA = rb"<(?:\w+:)?f\b[^<>/]*+/>|<(?:\w+:)?f\b[^<>]*+>([^<]*+)</(?:\w+:)?f>"
_ERROR_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^<>]*?\bt="e")([^<>]*+)>'
    rb"(?:" + _FORMULA + rb")?"
    rb"<(?:\w+:)?v>([^<]*+)</(?:\w+:)?v>"
)
_FORMULA_CELL = re.compile(
    rb"<(?:\w+:)?c\b([^<>/]*+)>"
    rb"(?:" + _FORMULA + rb")"
    rb"(?:<(?:\w+:)?v\s*+/>|<(?:\w+:)?v></(?:\w+:)?v>)?</(?:\w+:)?c>"
)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STRING_TYPE = re.compile(rb'\bt="str"')

SpecialCells = dict[tuple[int, int], CellValue]


def sheet_paths(archive: zipfile.ZipFile) -> dict[str, str]:
    """Each tab's name mapped to its worksheet XML part inside the archive."""
    workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    targets = {
        rel.get("Id"): rel.get("Target", "") for rel in rels.iter(f"{_PKG_REL_NS}Relationship")
    }
    paths: dict[str, str] = {}
    for sheet in workbook.iter(f"{_MAIN_NS}sheet"):
        target = targets.get(sheet.get(f"{_REL_NS}id"), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
        paths[sheet.get("name", "")] = posixpath.normpath(path)
    return paths


def special_cells(xml: bytes) -> SpecialCells:
    """Error cells and value-less formula cells of one worksheet, by 0-based (row, column)."""
    found: SpecialCells = {}
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            position = _position(match.group(1))
            if position is not None:
                found[position] = CellError(match.group(3).decode("utf-8", "replace"))
    if b"<f" in xml or b":f" in xml:
        for match in _FORMULA_CELL.finditer(xml):
            attributes = match.group(1)
            if _STRING_TYPE.search(attributes):
                continue  # a formula whose result is the empty string: a blank cell
            position = _position(attributes)
            if position is not None and position not in found:
                formula = (match.group(2) or b"").decode("utf-8", "replace")
                found[position] = MissingFormulaValue("=" + formula if formula else "")
    return found


def _position(attributes: bytes) -> tuple[int, int] | None:
    ref = _REF.search(attributes)
    if ref is None:
        return None
    return int(ref.group(2)) - 1, column_index(ref.group(1).decode())
