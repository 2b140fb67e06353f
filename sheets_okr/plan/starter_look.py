"""The look of the starter workbook: named fonts, row heights, print set-up, number formats.

Spreadsheet programs fill a font with no name from their own default (LibreOffice prints it
in a serif face), and never grow a row for wrapped text that openpyxl wrote, so the starter
names every font and sets the height of each wrapped row itself.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

FONT_NAME = "Calibri"
FONT_SIZE = 11
# Column widths count the digit 0 of the default font; prose runs a little narrower, but
# the fallback faces (DejaVu Sans where Calibri is missing) run wider: take 85% of it.
_CHARS_PER_WIDTH = 0.85
_LINE_HEIGHT = 1.45  # points of row height per point of font size, CJK fallbacks included
_CURRENCY_SIGNS = {"$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£",
                   "¥": "¥", "jpy": "¥", "₩": "₩", "krw": "₩", "원": "₩"}  # fmt: skip


def font(*, size: float = FONT_SIZE, **style: Any) -> Font:
    """A font with its name and size spelled out, so no program falls back to its own."""
    return Font(name=FONT_NAME, size=size, **style)


def _text_width(text: str) -> int:
    """Characters of width: a wide (CJK) character takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrapped_lines(text: str, column_width: float, size: float = FONT_SIZE) -> int:
    """How many lines `text` wraps to in a column `column_width` wide, at `size` points."""
    per_line = max(int(column_width * _CHARS_PER_WIDTH * FONT_SIZE / size), 1)
    lines, used = 1, 0
    for word in text.split():
        width = _text_width(word)
        if used and used + 1 + width <= per_line:
            used += 1 + width
            continue
        if used:
            lines += 1
        lines += (width - 1) // per_line  # a word longer than a line breaks across lines
        used = (width - 1) % per_line + 1
    return lines


def fit_row_height(sheet: Worksheet, row: int, text: str, width: float, size: float) -> None:
    """Set `row`'s height to show `text` wrapped in a column `width` wide, every line."""
    lines = wrapped_lines(text, width, size)
    sheet.row_dimensions[row].height = math.ceil(lines * size * _LINE_HEIGHT + 2)


def set_up_printing(
    sheet: Worksheet, *, last_row: int, last_column: str, title_rows: str | None = None
) -> None:
    """Landscape, one page wide and as many tall as needed, the used range only, with
    `title_rows` (such as "3:3") repeated at the top of every page."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = False
    sheet.print_area = f"A1:{last_column}{last_row}"
    if title_rows:
        sheet.print_title_rows = title_rows


def figure_format(unit: object, values: Iterable[object]) -> str:
    """The number format for a KR's Start, Target and Current in `unit`: thousands
    separators, two decimals only when a figure has a fraction, a currency sign, a percent."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    whole = all(float(n).is_integer() for n in numbers)
    digits = "#,##0" if whole else "#,##0.00"
    word = str(unit or "").strip()
    if word == "%":
        if numbers and all(abs(n) <= 1 for n in numbers):
            return "0%" if all(float(n * 100).is_integer() for n in numbers) else "0.0%"
        return f'{digits}"%"'  # typed as 20 for 20%: show the sign, keep the number
    sign = _CURRENCY_SIGNS.get(word.casefold())
    if sign is not None:
        return f'"{sign}"{digits}'
    return digits
