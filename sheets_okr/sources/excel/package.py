"""An .xlsx file as the zip package it is: the parts a sync changes, and all the others.

Only the parts a sync edits are parsed; every other part (threaded comments, pivots,
slicers, Power Query, pictures, macros, whatever a later Excel adds) is written back with
the same bytes, under the same name, in the same order. A tab is found the way Excel finds
it: its name in `xl/workbook.xml`, its relationship, its part; a new tab is registered in
those two and in `[Content_Types].xml`.
"""

from __future__ import annotations

import io
import posixpath
import zipfile

from lxml import etree

from sheets_okr.sources.excel.xml import (
    FORMULA_TAG,
    XmlPart,
    child,
    children,
    local_name,
    parse_part,
)

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
CALC_CHAIN = "xl/calcChain.xml"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_STYLES_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"
# Relationship type namespaces: Transitional (what Excel saves by default) and Strict.
_TRANSITIONAL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_STRICT = "http://purl.oclc.org/ooxml/officeDocument/relationships"
_STRICT_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
# The children of <workbook> that come after <calcPr> (CT_Workbook), to put one in place.
_AFTER_CALC = frozenset({"oleSize", "customWorkbookViews", "pivotCaches", "smartTagPr",
    "smartTagTypes", "webPublishing", "fileRecoveryPr", "webPublishObjects", "extLst"})  # fmt: skip
_MINIMAL_STYLES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet xmlns="%s">'
    b'<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    b'<fills count="2"><fill><patternFill patternType="none"/></fill>'
    b'<fill><patternFill patternType="gray125"/></fill></fills>'
    b'<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    b'<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    b'<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    b'<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    b"</styleSheet>"
)


class TabKindError(ValueError):
    """A tab the tool would make already exists as something it cannot write (a chart sheet)."""


class Package:
    """The parts of an .xlsx snapshot, some of them parsed and changed."""

    def __init__(self, snapshot: bytes) -> None:
        self._archive = zipfile.ZipFile(io.BytesIO(snapshot))
        self._infos = self._archive.infolist()
        self._names = {info.filename for info in self._infos}
        self._parsed: dict[str, XmlPart] = {}
        self._changed: dict[str, bytes] = {}
        self._removed: set[str] = set()
        self._dirty: set[str] = set()  # parsed parts changed in place
        self._unpacked: dict[str, bytes] = {}
        self.workbook = self.xml(WORKBOOK)
        self.rels = self.xml(WORKBOOK_RELS)
        self._targets = {
            rel.get("Id", ""): rel for rel in self.rels.root if local_name(rel) == "Relationship"
        }

    # Reading

    def read(self, name: str) -> bytes:
        """A part's bytes as they are now (changed, or as in the snapshot)."""
        if name in self._dirty:
            return self._parsed[name].to_bytes()
        if name in self._changed:
            return self._changed[name]
        return self.original(name)

    def original(self, name: str) -> bytes:
        """A part's bytes as in the snapshot (unpacked once)."""
        data = self._unpacked.get(name)
        if data is None:
            data = self._unpacked[name] = self._archive.read(name)
        return data

    def has(self, name: str) -> bool:
        """Whether the package holds a part."""
        return (name in self._names or name in self._changed) and name not in self._removed

    def xml(self, name: str) -> XmlPart:
        """A part, parsed once; changes to it are kept when `put` or `save` is called."""
        part = self._parsed.get(name)
        if part is None:
            part = self._parsed[name] = parse_part(name, self.read(name))
        return part

    @property
    def date1904(self) -> bool:
        """Whether dates count from 1904 (workbooks made on old Macs) instead of 1900."""
        properties = child(self.workbook.root, "workbookPr")
        flag = properties.get("date1904", "0") if properties is not None else "0"
        return flag in ("1", "true")

    @property
    def is_signed(self) -> bool:
        """Whether the package carries a digital signature (which any change breaks)."""
        return any(name.startswith("_xmlsignatures/") for name in self._names)

    def tabs(self) -> dict[str, tuple[str, str]]:
        """Each tab's name: (its part, its kind: worksheet, chartsheet, dialogsheet...)."""
        sheets = child(self.workbook.root, "sheets")
        found: dict[str, tuple[str, str]] = {}
        for sheet in children(sheets, "sheet") if sheets is not None else ():
            rel = self._targets.get(_relationship_id(sheet))
            if rel is None:
                continue
            kind = rel.get("Type", "").rpartition("/")[2]
            found[sheet.get("name", "")] = (self._part_name(rel.get("Target", "")), kind)
        return found

    def worksheet(self, title: str) -> str:
        """The part of a worksheet tab; KeyError when the workbook has no such worksheet."""
        part, kind = self.tabs()[title]
        if kind != "worksheet" or not self.has(part):
            raise KeyError(title)
        return part

    # Changing

    def put(self, name: str, data: bytes) -> None:
        """Keep a part's new bytes."""
        self._changed[name] = data
        self._parsed.pop(name, None)
        self._dirty.discard(name)
        self._removed.discard(name)

    def put_xml(self, part: XmlPart) -> None:
        """Keep a parsed part's changes (it is written out when the package is saved)."""
        self._parsed[part.name] = part
        self._touch(part.name)

    def add_worksheet(self, title: str, data: bytes) -> str:
        """Add a worksheet as the last tab (so no tab's index changes); returns its part."""
        taken = {name.casefold() for name in self.tabs()}
        if title.casefold() in taken:  # Excel's tab names ignore case
            raise TabKindError(title)
        number = 1
        while self._taken(f"xl/worksheets/sheet{number}.xml"):
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self.put(part, data)
        self._content_type(part, _WORKSHEET_TYPE)
        rel_id = self._relate("worksheet", f"worksheets/sheet{number}.xml")
        sheets = child(self.workbook.root, "sheets")
        if sheets is None:
            raise KeyError("<sheets> in xl/workbook.xml")
        ids = [
            int(s.get("sheetId", ""))
            for s in children(sheets, "sheet")
            if s.get("sheetId", "").isdigit()
        ]
        sheet = etree.SubElement(sheets, self.workbook.tag("sheet"))
        sheet.set("name", title)
        sheet.set("sheetId", str(max(ids, default=0) + 1))
        sheet.set(f"{{{self._rel_namespace}}}id", rel_id)
        self._touch(WORKBOOK)
        return part

    def styles_part(self) -> str:
        """The styles part, made (as Excel's default styles) when the workbook has none."""
        for rel in self._targets.values():
            if rel.get("Type", "").endswith("/styles"):
                name = self._part_name(rel.get("Target", ""))
                if self.has(name):
                    return name
        name, number = "xl/styles.xml", 1
        while self._taken(name):  # a styles part nothing points to: left as it is
            number += 1
            name = f"xl/styles{number}.xml"
        self.put(name, _MINIMAL_STYLES % self.workbook.namespace.encode())
        self._content_type(name, _STYLES_TYPE)
        self._relate("styles", posixpath.basename(name))
        return name

    def recalculate_on_open(self) -> None:
        """Ask for every formula to be recomputed when the file is opened (Excel does; so
        does LibreOffice when set to recalculate on load, while by default it keeps the
        values saved)."""
        root = self.workbook.root
        calc = child(root, "calcPr")
        if calc is None:
            calc = etree.Element(self.workbook.tag("calcPr"))
            following = next((e for e in root if local_name(e) in _AFTER_CALC), None)
            if following is None:
                root.append(calc)
            else:
                following.addprevious(calc)
        if calc.get("fullCalcOnLoad") not in ("1", "true"):
            calc.set("fullCalcOnLoad", "1")
            self._touch(WORKBOOK)

    def drop_calc_chain(self) -> None:
        """Remove the order Excel last calculated formulas in; Excel rebuilds it silently, while
        one naming a cell that no longer holds a formula makes it repair the file."""
        if not self.has(CALC_CHAIN):
            return
        self._removed.add(CALC_CHAIN)
        for rel_id, rel in list(self._targets.items()):
            if self._part_name(rel.get("Target", "")) == CALC_CHAIN:
                self.rels.root.remove(rel)
                del self._targets[rel_id]
                self._touch(WORKBOOK_RELS)
        types = self.xml(CONTENT_TYPES)
        for override in children(types.root, "Override"):
            if override.get("PartName", "").lstrip("/") == CALC_CHAIN:
                types.root.remove(override)
                self._touch(CONTENT_TYPES)

    def had_formulas(self) -> bool:
        """Whether any worksheet held a formula (which may read the tool's cells) before the
        sync; the tool never writes one."""
        return CALC_CHAIN in self._names or any(
            FORMULA_TAG.search(self.original(part))
            for part, kind in self.tabs().values()
            if kind == "worksheet" and part in self._names
        )

    # Writing

    def save(self) -> bytes:
        """The package with its changes; every other part as it was, in its place."""
        for name in sorted(self._dirty):
            self.put(name, self._parsed[name].to_bytes())
        output = io.BytesIO()
        with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
            for info in self._infos:
                if info.filename in self._removed:
                    continue
                data = self._changed.pop(info.filename, None)
                _copy(target, info, self.original(info.filename) if data is None else data)
            for name, data in self._changed.items():  # parts added by this sync
                added = zipfile.ZipInfo(name, date_time=_DOS_EPOCH)
                target.writestr(added, data, zipfile.ZIP_DEFLATED, _COMPRESSION)
        return output.getvalue()

    # Helpers

    def _touch(self, name: str) -> None:
        """Mark a parsed part changed: it is written out when the package is saved."""
        self._dirty.add(name)

    @property
    def _rel_namespace(self) -> str:
        return _STRICT if self.workbook.namespace == _STRICT_MAIN else _TRANSITIONAL

    def _relate(self, kind: str, target: str) -> str:
        taken = set(self._targets)
        number = len(taken) + 1
        while f"rId{number}" in taken:
            number += 1
        rel_id = f"rId{number}"
        rel = etree.SubElement(self.rels.root, f"{{{_PACKAGE_RELS}}}Relationship")
        rel.attrib.update({"Id": rel_id, "Type": f"{self._rel_namespace}/{kind}", "Target": target})
        self._targets[rel_id] = rel
        self._touch(WORKBOOK_RELS)
        return rel_id

    def _taken(self, part: str) -> bool:
        """Whether a part name is in use, in any case (part names ignore case): as a part, a
        content type entry, a relationship's target, or the name of a part's relationships."""
        wanted = part.casefold()
        rels = posixpath.join(posixpath.dirname(part), "_rels", posixpath.basename(part) + ".rels")
        names = {n.casefold() for n in self._names | set(self._changed)}
        if wanted in names or rels.casefold() in names:
            return True
        targets = {self._part_name(r.get("Target", "")).casefold() for r in self._targets.values()}
        overrides = {
            o.get("PartName", "").lstrip("/").casefold()
            for o in children(self.xml(CONTENT_TYPES).root, "Override")
        }
        return wanted in targets or wanted in overrides

    def _content_type(self, part: str, content_type: str) -> None:
        """Name a new part's content type, replacing an entry left for that name."""
        types = self.xml(CONTENT_TYPES)
        for override in children(types.root, "Override"):
            if override.get("PartName", "").lstrip("/").casefold() == part.casefold():
                types.root.remove(override)
        override = etree.SubElement(types.root, types.tag("Override"))
        override.attrib.update({"PartName": "/" + part, "ContentType": content_type})
        self._touch(CONTENT_TYPES)

    def _part_name(self, target: str) -> str:
        if target.startswith("/"):
            return posixpath.normpath(target.lstrip("/"))
        return posixpath.normpath(posixpath.join(posixpath.dirname(WORKBOOK), target))


_DOS_EPOCH = (1980, 1, 1, 0, 0, 0)  # what Excel stamps its parts with
# zlib's level 1 packs a sheet's XML within about 10% of the default level 6, at a third of
# the time; the file is rewritten each week, so its time counts more than a few kilobytes.
_COMPRESSION = 1


def _relationship_id(sheet: etree._Element) -> str:
    """A <sheet>'s r:id, whichever namespace (Transitional or Strict) it is in."""
    for key, value in sheet.attrib.items():
        if str(key).endswith("}id"):
            return str(value)
    return ""


def _copy(target: zipfile.ZipFile, info: zipfile.ZipInfo, data: bytes) -> None:
    """Write a part under its name, date and compression (fresh headers: no stale sizes)."""
    copied = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copied.compress_type = info.compress_type if info.compress_type in (0, 8) else 8
    copied.external_attr = info.external_attr
    target.writestr(copied, data, compresslevel=_COMPRESSION)
