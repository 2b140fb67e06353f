"""New cell styles for the tool's cells, appended to a workbook's styles.xml.

A cell's look is an index into `cellXfs`, and each xf points at a font, a fill and a number
format. People's cells keep their index, so nothing already in the part is changed or
renumbered: a tool cell that needs another look (a percent format, a health fill, a bold
header) gets a new xf, copied from the one it had, with only that one thing changed. Each
such xf, font, fill and number format is made once per sync and shared by every cell that
needs it.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from enum import Enum

from lxml import etree

from sheets_okr.sources.excel.xml import XmlPart, child, children, local_name

# Built-in number formats Excel knows by id (ECMA-376 18.8.30); custom ones start at 164.
PERCENT_FORMAT_ID = 9  # 0%
_BUILT_IN_FORMATS = {"0": 1, "0.00": 2, "#,##0": 3, "#,##0.00": 4, "0%": 9, "0.00%": 10}
FIRST_CUSTOM_FORMAT_ID = 164
DATE_FORMAT = "yyyy-mm-dd"
# What a font without a name is given, when the workbook's default font has none either.
DEFAULT_FONT_NAME = "Calibri"
# The order of a font's children the schema requires (CT_Font); <b/> comes first.
_FONT_ORDER = ("b", "i", "strike", "condense", "extend", "outline", "shadow", "u",
               "vertAlign", "sz", "color", "name", "family", "charset", "scheme")  # fmt: skip
# The order of the styleSheet's children (CT_Stylesheet), to put a missing list in place.
_SHEET_ORDER = ("numFmts", "fonts", "fills", "borders", "cellStyleXfs", "cellXfs",
                "cellStyles", "dxfs", "tableStyles", "colors", "extLst")  # fmt: skip


class Look(Enum):
    """What a tool cell's style changes of the style it had."""

    PERCENT = "percent"
    DATE = "date"
    BOLD = "bold"
    TITLE = "title"  # bold, 14 pt
    FILL = "fill"  # a solid fill of the given colour, or no fill
    NUMBER = "number"  # the number format of the given format code
    WRAP = "wrap"  # text wrapped within the column
    TOP = "top"  # at the top of a tall row, level with the first line of wrapped text beside it


@dataclass(frozen=True)
class StyleChange:
    """One change to a cell's style; `colour` is the RGB hex of a FILL (None: no fill),
    `number_format` the format code of a NUMBER."""

    look: Look
    colour: str | None = None
    number_format: str = ""


class StyleBook:
    """The workbook's styles.xml, to which new styles are only ever appended."""

    def __init__(self, part: XmlPart) -> None:
        self.part = part
        self._root = part.root
        self._xfs = self._list("cellXfs")
        self._xf_list = children(self._xfs, "xf")  # kept in step by _append
        self._made: dict[tuple[int, StyleChange], int] = {}
        self._fonts: dict[tuple[int, Look], int] = {}
        self._fills: dict[str | None, int] = {}
        self._format_ids: dict[str, int] = {}
        # Per list (fonts, fills...): each item's index by its signature, and how many there are.
        self._known: dict[str, tuple[dict[tuple[object, ...], int], int]] = {}
        self.changed = False

    def style(self, base: int, change: StyleChange) -> int:
        """The index of an xf that looks like xf `base` with `change` made (made once)."""
        key = (base, change)
        made = self._made.get(key)
        if made is None:
            made = self._made[key] = self._new_xf(base, change)
        return made

    def fill_of(self, index: int) -> int:
        """The fill an xf gives (0: none)."""
        xfs = self._xf_list
        fill = xfs[index].get("fillId", "0") if 0 <= index < len(xfs) else "0"
        return int(fill) if fill.isdigit() else 0

    def _new_xf(self, base: int, change: StyleChange) -> int:
        xfs = self._xf_list
        # An index past the list (a damaged part) is read by Excel as the default look.
        template = xfs[base] if 0 <= base < len(xfs) else xfs[0] if xfs else None
        xf = copy.deepcopy(template) if template is not None else self._element("xf")
        if template is None:
            xf.attrib.update(
                {"numFmtId": "0", "fontId": "0", "fillId": "0", "borderId": "0", "xfId": "0"}
            )
        if change.look is Look.PERCENT:
            _set_attributes(xf, numFmtId=str(PERCENT_FORMAT_ID), applyNumberFormat="1")
        elif change.look is Look.DATE:
            _set_attributes(xf, numFmtId=str(self._format_id(DATE_FORMAT)), applyNumberFormat="1")
        elif change.look is Look.NUMBER:
            code = change.number_format or "General"
            _set_attributes(xf, numFmtId=str(self._format_id(code)), applyNumberFormat="1")
        elif change.look is Look.WRAP:
            _align(xf, self._name("alignment"), wrapText="1")
        elif change.look is Look.TOP:
            _align(xf, self._name("alignment"), vertical="top")
        elif change.look is Look.FILL:
            _set_attributes(xf, fillId=str(self._fill(change.colour)), applyFill="1")
        else:
            font = self._font(int(xf.get("fontId", "0") or 0), change.look)
            _set_attributes(xf, fontId=str(font), applyFont="1")
        index = self._append(self._xfs, xf)
        if index == len(self._xf_list):  # a new one (not an equal one found)
            self._xf_list.append(xf)
        return index

    def _format_id(self, code: str) -> int:
        """The id of a number format code: Excel's own, one in the part, or a new one."""
        known = self._format_ids.get(code)
        if known is not None:
            return known
        formats = self._list("numFmts")
        codes = {f.get("formatCode"): f.get("numFmtId", "") for f in children(formats, "numFmt")}
        found = codes.get(code, "")
        if code == "General":
            known = 0
        elif found.isdigit():
            known = int(found)
        elif code in _BUILT_IN_FORMATS:
            known = _BUILT_IN_FORMATS[code]
        else:
            # Every id in the part, those of conditional formats (dxfs) too: two formats
            # may share a code, and an id given twice makes Excel repair the file.
            used = [
                int(i)
                for element in self._root.iter(self._name("numFmt"))
                if (i := element.get("numFmtId", "")).isdigit()
            ]
            known = max([FIRST_CUSTOM_FORMAT_ID - 1, *used]) + 1
            number_format = self._element("numFmt")
            number_format.set("numFmtId", str(known))
            number_format.set("formatCode", code)
            self._append(formats, number_format)
        self._format_ids[code] = known
        return known

    def _fill(self, colour: str | None) -> int:
        if colour is None:
            return 0  # fill 0 is "none" in every workbook Excel writes
        made = self._fills.get(colour)
        if made is None:
            fill = self._element("fill")
            pattern = etree.SubElement(fill, self._name("patternFill"), patternType="solid")
            etree.SubElement(pattern, self._name("fgColor"), rgb="FF" + colour.upper())
            etree.SubElement(pattern, self._name("bgColor"), indexed="64")
            made = self._fills[colour] = self._append(self._list("fills"), fill)
        return made

    def _font(self, base: int, look: Look) -> int:
        made = self._fonts.get((base, look))
        if made is None:
            fonts = self._list("fonts")
            existing = children(fonts, "font")
            template = existing[base] if 0 <= base < len(existing) else None
            font = copy.deepcopy(template) if template is not None else self._element("font")
            if child(font, "name") is None:
                # A font without a name is drawn in each program's own default face
                # (LibreOffice prints a serif one): name the workbook's default.
                _put_font_child(font, "name", self._default_font_name())
            _put_font_child(font, "b", None)
            if look is Look.TITLE:
                _put_font_child(font, "sz", "14")
            made = self._fonts[(base, look)] = self._append(fonts, font)
        return made

    def _default_font_name(self) -> str:
        """The name of the workbook's default font (the first), or Calibri."""
        fonts = children(self._list("fonts"), "font")
        name = child(fonts[0], "name") if fonts else None
        found = name.get("val", "") if name is not None else ""
        return found or DEFAULT_FONT_NAME

    def _list(self, name: str) -> etree._Element:
        """The styleSheet's list `name` (fonts, fills...), made in its place when missing."""
        found = child(self._root, name)
        if found is not None:
            return found
        made = self._element(name)
        made.set("count", "0")
        later = _SHEET_ORDER[_SHEET_ORDER.index(name) + 1 :]
        following = next((e for e in self._root if local_name(e) in later), None)
        if following is None:
            self._root.append(made)
        else:
            following.addprevious(made)
        return made

    def _append(self, listing: etree._Element, item: etree._Element) -> int:
        """The index of an item equal to `item` in a list, appended (count kept right) when
        there is none: a sync finds the styles an earlier one made, and the part stops
        growing (Excel allows about 64,000 cell formats)."""
        name = local_name(listing)  # not id(): lxml makes a new proxy object per lookup
        known = self._known.get(name)
        if known is None:
            items = children(listing, local_name(item))
            known = self._known[name] = ({}, len(items))
            for index, existing in enumerate(items):
                known[0].setdefault(_signature(existing), index)
        found, count = known
        signature = _signature(item)
        if signature in found:
            return found[signature]
        listing.append(item)
        listing.set("count", str(count + 1))
        found[signature] = count
        self._known[name] = (found, count + 1)
        self.changed = True
        return count

    def _name(self, local: str) -> str:
        return f"{{{self.part.namespace}}}{local}"

    def _element(self, local: str) -> etree._Element:
        # Appended into the part, it takes the part's own prefix for the namespace.
        return etree.Element(self._name(local))


def _signature(element: etree._Element) -> tuple[object, ...]:
    """What makes two style elements the same: name, attributes and children, in order."""
    attributes = tuple(sorted((str(k), str(v)) for k, v in element.attrib.items()))
    inner = tuple(_signature(c) for c in element if isinstance(c.tag, str))
    return (local_name(element), attributes, inner)


def _set_attributes(element: etree._Element, **values: str) -> None:
    for key, value in values.items():
        element.set(key, value)


def _align(xf: etree._Element, alignment_tag: str, **settings: str) -> None:
    """Set an xf's alignment (wrapping, vertical place); <alignment> is its first child."""
    alignment = child(xf, "alignment")
    if alignment is None:
        alignment = etree.Element(alignment_tag)
        xf.insert(0, alignment)
    for key, value in settings.items():
        alignment.set(key, value)
    xf.set("applyAlignment", "1")


def _put_font_child(font: etree._Element, name: str, value: str | None) -> None:
    """Set a font's <b/> or <sz val=".."/>, in the place the schema gives it."""
    namespace = etree.QName(font).namespace
    existing = child(font, name)
    if existing is None:
        existing = etree.Element(f"{{{namespace}}}{name}" if namespace else name)
        rank = _FONT_ORDER.index(name)
        after = next(
            (e for e in font if local_name(e) in _FONT_ORDER[rank + 1 :]),
            None,
        )
        if after is None:
            font.append(existing)
        else:
            after.addprevious(existing)
    if value is not None:
        existing.set("val", value)
    elif "val" in existing.attrib and existing.get("val") in ("0", "false"):
        existing.attrib.pop("val")  # <b val="0"/> is "not bold"
