"""What the fast reader cannot tell apart: error cells and formulas saved without a value.

python-calamine returns both as "" (the same as an empty cell). Reading them as blank would
turn a Target of #REF! into a milestone, so the sheet XML is scanned for them directly:
`t="e"` cells, and formula cells whose cached `<v>` is missing or empty (what openpyxl
writes). The same scan notes where every formula cell is (a shared formula's other cells
too: each holds an `<f t="shared" si="0"/>`), so that a sync never writes over people's
formulas. Only the raw bytes are searched, which costs a fraction of a full parse.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
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
# Every formula cell (the formula is a cell's first child): its column letters and row
# number, its attributes, its formula text, and, only when no value follows the formula (an
# empty or absent `<v>` right before the cell's end), that end.
_FORMULA_CELL = re.compile(
    rb'<(?:\w+:)?c\b(?=[^<>]*?\br="([A-Z]{1,3})(\d++)")([^<>/]*+)>\s*+'
    rb"(?:" + _FORMULA + rb")"
    rb"(?:<(?:\w+:)?v\s*+/>|<(?:\w+:)?v></(?:\w+:)?v>)?(</(?:\w+:)?c>)?"
)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_STRING_TYPE = re.compile(rb'\bt="str"')

SpecialCells = dict[tuple[int, int], CellValue]


@dataclass(frozen=True)
class ScannedCells:
    """What the scan of one worksheet found, by 0-based (row, column)."""

    special: SpecialCells  # error cells and value-less formula cells
    formulas: frozenset[tuple[int, int]]  # every cell holding a formula


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


def scan_cells(xml: bytes) -> ScannedCells:
    """Error cells, value-less formula cells and where every formula is, in one worksheet."""
    found: SpecialCells = {}
    formulas: set[tuple[int, int]] = set()
    if b't="e"' in xml:
        for match in _ERROR_CELL.finditer(xml):
            position = _position(match.group(1))
            if position is not None:
                found[position] = CellError(match.group(3).decode("utf-8", "replace"))
    if b"<f" in xml or b":f" in xml:
        columns: dict[bytes, int] = {}  # column letters -> index, worked out once each
        for match in _FORMULA_CELL.finditer(xml):
            letters = match.group(1)
            column = columns.get(letters)
            if column is None:
                column = columns[letters] = column_index(letters.decode())
            position = (int(match.group(2)) - 1, column)
            formulas.add(position)
            if match.group(5) is None or _STRING_TYPE.search(match.group(3)):
                continue  # it has a value, or its result is the empty string: a blank cell
            if position not in found:
                formula = (match.group(4) or b"").decode("utf-8", "replace")
                found[position] = MissingFormulaValue("=" + formula if formula else "")
    return ScannedCells(found, frozenset(formulas))


def _position(attributes: bytes) -> tuple[int, int] | None:
    ref = _REF.search(attributes)
    if ref is None:
        return None
    return int(ref.group(2)) - 1, column_index(ref.group(1).decode())
