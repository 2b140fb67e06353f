"""How the tool's cells look wherever it writes them: number formats from a key result's
unit, and row heights that show every line of wrapped text.

Spreadsheet programs never grow a row for wrapped text a program wrote (LibreOffice prints
the lines on top of each other), so the tool works out each wrapped row's height itself.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Iterable, Sequence

from sheets_okr.sources.writes import CellStyle, WriteValue

FONT_SIZE = 11
# Column widths count the digit 0 of the default font; prose runs a little narrower, but
# the fallback faces (DejaVu Sans where Calibri is missing) run wider: take 85% of it.
_CHARS_PER_WIDTH = 0.85
_LINE_HEIGHT = 1.45  # points of row height per point of font size, CJK fallbacks included
MAX_ROW_HEIGHT = 409  # points: the tallest row Excel allows
_ONE_LINE = 18  # points: a row this tall or less keeps the default height
_CURRENCY_SIGNS = {"$": "$", "usd": "$", "€": "€", "eur": "€", "£": "£", "gbp": "£",
                   "¥": "¥", "jpy": "¥", "₩": "₩", "krw": "₩", "원": "₩"}  # fmt: skip


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


def wrapped_height(text: str, width: float, size: float = FONT_SIZE) -> int:
    """The row height in points that shows `text` wrapped in a column `width` wide."""
    return math.ceil(wrapped_lines(text, width, size) * size * _LINE_HEIGHT + 2)


def figure_format(unit: object, values: Iterable[object], scale: float | None = None) -> str:
    """The number format for a KR's Start, Target and Current in `unit`: thousands
    separators, two decimals only when a figure has a fraction, a currency sign, a percent.
    A `scale` of 100 says figures in % are fractions (0.02 for 2%), 1 that they are typed
    as shown (20 for 20%); without one, figures in % that are all fractions are taken so."""
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    whole = all(float(n).is_integer() for n in numbers)
    digits = "#,##0" if whole else "#,##0.00"
    word = str(unit or "").strip()
    if word == "%":
        fractions = numbers and all(abs(n) <= 1 for n in numbers) if scale is None else scale > 1
        if fractions:
            return "0%" if all(round(n * 100, 9).is_integer() for n in numbers) else "0.0%"
        return f'{digits}"%"'  # typed as 20 for 20%: show the sign, keep the number
    sign = _CURRENCY_SIGNS.get(word.casefold())
    if sign is not None:
        return f'"{sign}"{digits}'
    return digits


def row_heights(
    rows: Sequence[Sequence[WriteValue]],
    styles: Sequence[Sequence[CellStyle]],
    widths: Sequence[float],
) -> tuple[float, ...]:
    """Each row's height in points for its wrapped text to show whole (0: one line fits).

    History repeats every title each week, so each text's height is worked out once."""
    known: dict[tuple[str, float], float] = {}
    heights: list[float] = []
    for values, looks in zip(rows, styles, strict=True):
        height = 0.0
        for value, look, width in zip(values, looks, widths, strict=False):
            if look is not CellStyle.WRAPPED or not isinstance(value, str) or not value:
                continue
            needed = known.get((value, width))
            if needed is None:
                needed = wrapped_height(value, width)
                needed = 0 if needed <= _ONE_LINE else min(needed, MAX_ROW_HEIGHT)
                known[(value, width)] = needed
            height = max(height, needed)
        heights.append(height)
    return tuple(heights)
