"""Cell values in and out: test-side Python values, RAW and USER_ENTERED input, rendering."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from tests.support.sheets_emulator.errors import bad_request
from tests.support.sheets_emulator.formatting import format_number
from tests.support.sheets_emulator.kinds import ErrorCell, Formula, Percent, from_serial, to_serial
from tests.support.sheets_emulator.model import Cell, Row, Scalar

DATE_FORMAT = {"type": "DATE", "pattern": "yyyy-mm-dd"}
DATE_TIME_FORMAT = {"type": "DATE_TIME", "pattern": "yyyy-mm-dd hh:mm:ss"}
DATE_TYPES = ("DATE", "DATE_TIME", "TIME")
# What a formula written through the API evaluates to here: the emulator computes nothing.
NOT_EVALUATED = ErrorCell("ERROR", "emulator does not evaluate formulas")

_NUMBER = re.compile(r"^[+-]?(\d{1,3}(,\d{3})+|\d*)(\.\d+)?([eE][+-]?\d+)?$")
_PERCENT = re.compile(r"^([+-]?(?:\d{1,3}(?:,\d{3})+|\d*)(?:\.(\d+))?)\s*%$")
_CURRENCY = re.compile(r"^([+-]?)\$(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_ISO_DATE_TIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_US_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def num(x: float) -> int | float:
    """A number as Google's JSON writes it: 25.0 goes out as 25."""
    if isinstance(x, float) and x.is_integer() and abs(x) < 2**53:
        return int(x)
    return x


def python_cell(value: Any, existing: Cell | None = None) -> Cell | None:
    """The cell for a test-side value (None, scalar, date, datetime, Percent, Formula, ErrorCell).

    Like a person typing, a plain value keeps the cell's existing format.
    """
    fmt = dict(existing.fmt) if existing is not None else {}
    note = existing.note if existing is not None else None
    if value is None:
        return Cell(fmt=fmt, note=note) if fmt or note else None
    if isinstance(value, ErrorCell):
        value = Formula("=" + value.display, value)
    if isinstance(value, Percent):
        fmt["numberFormat"] = {"type": "PERCENT", "pattern": value.pattern}
        return Cell(value.value, fmt, note)
    if isinstance(value, dt.datetime):
        fmt["numberFormat"] = dict(DATE_TIME_FORMAT)
        return Cell(to_serial(value), fmt, note)
    if isinstance(value, dt.date):
        fmt["numberFormat"] = dict(DATE_FORMAT)
        return Cell(to_serial(value), fmt, note)
    if isinstance(value, Formula | str | bool | int | float):
        return Cell(value, fmt, note)
    raise TypeError(f"cannot put {value!r} in a cell")


def _user_entered(text: str, cell: Cell) -> Scalar | Formula:
    """Parse text as if typed into the browser (en_US), setting a format where Sheets would."""
    stripped = text.strip()
    has_format = cell.number_format is not None
    if stripped.startswith("=") and len(stripped) > 1:
        return Formula(stripped, NOT_EVALUATED)
    if text.startswith("'"):
        return text[1:]
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE"
    if any(c.isdigit() for c in stripped):
        if _NUMBER.match(stripped):
            value = float(stripped.replace(",", ""))
            return int(value) if re.match(r"^[+-]?[\d,]+$", stripped) else value
        if match := _PERCENT.match(stripped):
            decimals = match.group(2)
            if not has_format:
                pattern = "0.00%" if decimals else "0%"
                _set_number_format(cell, {"type": "PERCENT", "pattern": pattern})
            return float(match.group(1).replace(",", "")) / 100
        if match := _CURRENCY.match(stripped):
            if not has_format:
                _set_number_format(cell, {"type": "CURRENCY", "pattern": '"$"#,##0.00'})
            amount = float(match.group(2).replace(",", "") + (match.group(3) or ""))
            return -amount if match.group(1) == "-" else amount
        parsed = _date(stripped)
        if parsed is not None:
            keep = has_format and (cell.number_format or {}).get("type") in DATE_TYPES
            if not keep:
                with_time = isinstance(parsed, dt.datetime)
                number_format = dict(DATE_TIME_FORMAT if with_time else DATE_FORMAT)
                if _US_DATE.match(stripped):
                    number_format = {"type": "DATE", "pattern": "M/d/yyyy"}
                _set_number_format(cell, number_format)
            return to_serial(parsed)
    if stripped[:1] in ("+", "-") and len(stripped) > 1:
        # Sheets reads "+x" and "-x" as formulas too ("- item" shows #ERROR!).
        return Formula("=" + stripped, NOT_EVALUATED)
    return text


def _set_number_format(cell: Cell, number_format: dict[str, str]) -> None:
    # A new format dict: formats are shared between cells, never changed in place.
    cell.fmt = {**cell.fmt, "numberFormat": number_format}


def _date(text: str) -> dt.date | dt.datetime | None:
    try:
        if match := _ISO_DATE_TIME.match(text):
            year, month, day, hour, minute, second = (int(p or 0) for p in match.groups())
            return dt.datetime(year, month, day, hour, minute, second)
        if match := _ISO_DATE.match(text):
            return dt.date(*(int(p) for p in match.groups()))
        if match := _US_DATE.match(text):
            month, day, year = (int(p) for p in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def write_input(row: Row, col: int, raw: Any, option: str, where: str) -> Formula | None:
    """Write one ValueRange value into a cell; return the Formula when this created one.

    `raw` None is skipped by the caller; "" clears the value and keeps the format.
    """
    if isinstance(raw, list | dict):
        raise bad_request(f"Invalid values{where}: list_value and struct_value are not allowed")
    cell = row.cell(col, create=True)  # `row` is one the caller may change (writable_row)
    assert cell is not None
    if raw == "":
        cell.value = None
    elif isinstance(raw, bool | int | float):
        cell.value = raw
    elif option == "RAW":
        cell.value = str(raw)
    else:
        cell.value = _user_entered(str(raw), cell)
    row.trim()
    return cell.value if isinstance(cell.value, Formula) else None


def formatted_value(cell: Cell | None) -> str | None:
    """formattedValue: what the cell shows."""
    value = cell.effective if cell is not None else None
    if value is None or cell is None:
        return None
    if isinstance(value, ErrorCell):
        return value.display
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        return format_number(value, cell.number_format)
    return value


def render(cell: Cell | None, value_render: str, date_render: str) -> Any:
    """A cell in a values response: FORMATTED_VALUE, UNFORMATTED_VALUE or FORMULA."""
    if cell is None or cell.value is None:
        return ""
    if value_render == "FORMULA" and isinstance(cell.value, Formula):
        return cell.value.text
    if value_render == "FORMATTED_VALUE":
        return formatted_value(cell) or ""
    value = cell.effective
    if value is None:
        return ""
    if isinstance(value, ErrorCell):
        return value.display
    if isinstance(value, bool | str):
        return value
    kind = (cell.number_format or {}).get("type")
    if kind in DATE_TYPES and date_render == "FORMATTED_STRING":
        return formatted_value(cell)
    return num(value)


def python_value(cell: Cell | None) -> Any:
    """The effective value as the test API hands it back (dates as date/datetime)."""
    value = cell.effective if cell is not None else None
    if cell is None or isinstance(value, bool) or not isinstance(value, int | float):
        return value
    kind = (cell.number_format or {}).get("type")
    if kind == "DATE":
        return from_serial(value, with_time=False)
    if kind == "DATE_TIME":
        return from_serial(value, with_time=True)
    return value
