"""Putting one value into a worksheet's `<c>` element, as Excel itself stores it.

Text is always an inline string (`t="inlineStr"`): it can never be read as a formula or an
error, and the workbook's shared strings part, which every tab uses, stays as it was.
Numbers are `<v>` alone; dates are serial numbers counted in the workbook's date system
(1900, or 1904 for workbooks made on old Macs).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import re

from lxml import etree

from sheets_okr.sources.excel.xml import XML_NAMESPACE, local_name, sub_element
from sheets_okr.sources.writes import WriteValue

log = logging.getLogger(__name__)

# The most characters (UTF-16 units) a cell holds; Excel calls a file with more damaged.
CELL_TEXT_LIMIT = 32_767
_EPOCH_1900 = dt.datetime(1899, 12, 30)  # serial 0, given Excel's leap day of 1900
_EPOCH_1904 = dt.datetime(1904, 1, 1)
# Excel reads _xHHHH_ in text as the character HHHH: a literal one gets its "_" escaped,
# and characters XML cannot hold are written that way.
_LITERAL_ESCAPE = re.compile(r"_(x[0-9A-Fa-f]{4}_)")
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# A cell's attributes that describe its old value (its type, dynamic array or picture-in-cell
# metadata, phonetic guide) and would be wrong beside a new one.
_VALUE_ATTRIBUTES = ("t", "cm", "vm", "ph")
_VALUE_CHILDREN = frozenset({"f", "v", "is"})


def serial_date(value: dt.date, *, date1904: bool) -> float:
    """A date (or date and time) as the serial number Excel stores."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())
    moment = moment.replace(tzinfo=None)
    if date1904:
        return (moment - _EPOCH_1904).total_seconds() / 86_400
    days = (moment - _EPOCH_1900).total_seconds() / 86_400
    return days if days >= 61 else days - 1  # before 1900-03-01 Excel counts no 29 February


def number_text(value: float | int | dt.date, *, date1904: bool) -> str:
    """A number, or a date as its serial number, as a `<v>` holds it ("3", not "3.0")."""
    if isinstance(value, dt.date):
        return repr(serial_date(value, date1904=date1904)).removesuffix(".0")
    return repr(value).removesuffix(".0") if isinstance(value, float) else str(value)


def cell_text(value: str, where: str) -> str:
    """Text as a cell stores it: literal escapes kept literal, control characters escaped,
    cut to the most a cell holds."""
    text = _LITERAL_ESCAPE.sub(r"_x005F_\1", value)
    text = _NOT_XML.sub(lambda match: f"_x{ord(match.group(0)):04X}_", text)
    units = excel_length(text)
    if units > CELL_TEXT_LIMIT:
        log.warning("%s: text of %d characters cut to %d", where, units, CELL_TEXT_LIMIT)
        kept = text.encode("utf-16-le")[: (CELL_TEXT_LIMIT - 1) * 2]
        text = kept.decode("utf-16-le", errors="ignore") + "…"  # never half an emoji
    return text


def excel_length(text: str) -> int:
    """A text's length as Excel counts it: in UTF-16 units (an emoji counts two)."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def clear_value(cell: etree._Element) -> None:
    """Remove a cell's value (its type and cached value), keeping its style."""
    for attribute in _VALUE_ATTRIBUTES:
        cell.attrib.pop(attribute, "")
    for element in list(cell):
        if local_name(element) in _VALUE_CHILDREN:
            cell.remove(element)


def put_value(cell: etree._Element, value: WriteValue, *, date1904: bool, where: str) -> None:
    """Store a value in a cell (its style is set by the caller); None empties the cell."""
    clear_value(cell)
    if value is None or value == "":  # Excel keeps no empty text: the cell is empty
        return
    if isinstance(value, str):
        cell.set("t", "inlineStr")
        text = cell_text(value, where)
        inline = sub_element(cell, "is")
        element = sub_element(inline, "t")
        element.text = text
        if text != text.strip() or "\n" in text:
            element.set(f"{{{XML_NAMESPACE}}}space", "preserve")
        _first_children(cell, inline)
        return
    if isinstance(value, bool):
        cell.set("t", "b")
        number = "1" if value else "0"
    elif isinstance(value, dt.date) or (isinstance(value, int | float) and math.isfinite(value)):
        number = number_text(value, date1904=date1904)
    else:
        log.warning("%s: %r is no number a cell can hold; left empty", where, value)
        return
    element = sub_element(cell, "v")
    element.text = number
    _first_children(cell, element)


def _first_children(cell: etree._Element, element: etree._Element) -> None:
    """Move the value before any extension list the cell keeps (the schema's order)."""
    first = cell[0]
    if first is not element:
        first.addprevious(element)
