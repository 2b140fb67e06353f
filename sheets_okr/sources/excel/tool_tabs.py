"""The tabs the tool owns (Summary, History, Checks, Column map), written whole.

A new one is a worksheet part of its own; an existing one keeps its part and everything in
it but the rows (column widths, frozen panes and anything drawn on it people set), and its
rows are replaced. History grows by a row per key result per week, so its rows are written
as text directly rather than built as a tree: a tracker of 10,000 key results reaches a
million cells in a quarter.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from xml.sax.saxutils import escape

from sheets_okr.a1 import column_letter
from sheets_okr.sources.excel.cell_values import (
    CELL_TEXT_LIMIT,
    cell_text,
    excel_length,
    number_text,
)
from sheets_okr.sources.excel.print_setup import (
    PRINT_SETUP,
    fit_for_printing,
)
from sheets_okr.sources.excel.xml import DECLARATION, FORMULA_TAG
from sheets_okr.sources.writes import CellStyle, TabContent, WriteValue

# The xf index of a tool tab's cell: its style, its value, its row's number format, and
# whether its row is tall (its cells then sit at the top, level with wrapped lines).
StyleIndex = Callable[[CellStyle, WriteValue, str, bool], int]
# What needs escaping in a cell's text: XML's own characters, characters XML cannot hold,
# and text Excel would read as an _xHHHH_ escape.
_NEEDS_ESCAPE = re.compile("[&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]|_x[0-9A-Fa-f]{4}_")


def rows_xml(tab: TabContent, style_of: StyleIndex, *, date1904: bool) -> bytes:
    """A tab's rows as <row> elements: text inline, numbers and dates as numbers.

    The same titles, dates and health words come back row after row (History holds every
    key result every week), so each distinct text and each look is worked out once.
    """
    texts: dict[str, str] = {}
    looks: dict[tuple[CellStyle, object, str, bool], str] = {}
    letters = [column_letter(i) for i in range(max((len(r) for r in tab.rows), default=0))]
    pieces: list[str] = []
    for row_index, (values, styles) in enumerate(zip(tab.rows, tab.styles, strict=True), 1):
        row = str(row_index)
        number_format = tab.number_format(row_index - 1)
        height = tab.height(row_index - 1)
        cells: list[str] = []
        for column, value in enumerate(values):
            style = styles[column] if column < len(styles) else CellStyle.PLAIN
            # A look depends on the style and the value's type, and on more for some styles:
            # a fill on the word, a wrap on there being text, a figure on its row's format.
            key = (
                style,
                value if style is CellStyle.FILLED else (type(value), value != ""),
                number_format if style is CellStyle.FIGURE else "",
                height > 0,
            )
            look = looks.get(key)
            if look is None:
                index = style_of(style, value, key[2], key[3])
                look = looks[key] = f' s="{index}"' if index else ""
            reference = letters[column] + row
            if isinstance(value, str) and value:
                text = texts.get(value)
                if text is None:
                    text = texts[value] = _inline_text(value, reference)
                cells.append(f'<c r="{reference}"{look} t="inlineStr">{text}</c>')
            elif isinstance(value, str | None) or (
                isinstance(value, float) and not math.isfinite(value)
            ):
                if look:  # empty, or no number a cell can hold
                    cells.append(f'<c r="{reference}"{look}/>')
            elif isinstance(value, bool):
                cells.append(f'<c r="{reference}"{look} t="b"><v>{int(value)}</v></c>')
            else:
                cells.append(
                    f'<c r="{reference}"{look}><v>{number_text(value, date1904=date1904)}</v></c>'
                )
        if cells and height:
            pieces.append(f'<row r="{row}" ht="{height:g}" customHeight="1">{"".join(cells)}</row>')
        elif cells:
            pieces.append(f'<row r="{row}">{"".join(cells)}</row>')
    return "".join(pieces).encode("utf-8")


def _inline_text(value: str, reference: str) -> str:
    """The <is> element of a text cell."""
    text = escape(cell_text(value, reference)) if _NEEDS_ESCAPE.search(value) else value
    if len(text) * 2 > CELL_TEXT_LIMIT and excel_length(text) > CELL_TEXT_LIMIT:
        text = escape(cell_text(value, reference))
    space = ' xml:space="preserve"' if text != text.strip() or "\n" in text else ""
    return f"<is><t{space}>{text}</t></is>"


def new_tab_xml(tab: TabContent, rows: bytes, *, namespace: str) -> bytes:
    """A whole worksheet part for a tab the tool adds: widths, frozen header rows, rows."""
    parts = [
        f'<worksheet xmlns="{namespace}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr>'
        f'<dimension ref="{_extent(tab).decode()}"/>'
    ]
    if tab.frozen_rows > 0:
        below = f"A{tab.frozen_rows + 1}"
        parts.append(
            '<sheetViews><sheetView workbookViewId="0">'
            f'<pane ySplit="{tab.frozen_rows}" topLeftCell="{below}" activePane="bottomLeft"'
            ' state="frozen"/>'
            f'<selection pane="bottomLeft" activeCell="{below}" sqref="{below}"/>'
            "</sheetView></sheetViews>"
        )
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/>')
    if tab.widths:
        columns = "".join(
            f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>'
            for i, w in enumerate(tab.widths, start=1)
        )
        parts.append(f"<cols>{columns}</cols>")
    parts.append("<sheetData>")
    head = "".join(parts).encode("utf-8")
    tail = b"</sheetData>" + PRINT_SETUP + b"</worksheet>"
    return DECLARATION + head + rows + tail


def replace_rows(part: bytes, tab: TabContent, rows: bytes) -> tuple[bytes, bool]:
    """An existing tool tab's part with new rows, everything around them kept as it is; also
    whether its old rows held formulas. The part is not parsed: History reaches millions
    of cells, and only what lies between <sheetData> and </sheetData> changes."""
    start = _first_outside_comments(_SHEET_DATA, part)
    if start is None:
        raise KeyError("<sheetData> in a tool tab")
    name, self_closing = start.group(1), start.group(0).endswith(b"/>")
    if self_closing:
        old_rows, end = b"", start.end()
    else:
        close = part.find(b"</" + name + b">", start.end())
        if close < 0:
            raise ValueError("a tool tab's <sheetData> is not closed")
        old_rows, end = part[start.end() : close], close + len(name) + 3
    had_formulas = bool(FORMULA_TAG.search(old_rows))
    opening = start.group(0)[:-2] + b">" if self_closing else start.group(0)
    prefix = name[: -len(b"sheetData")]
    rows = rows if not prefix else _prefixed(rows, prefix)
    head = _DIMENSION.sub(b'\\1"' + _extent(tab) + b'"', part[: start.start()], count=1)
    head, tail = head + opening, part[end:]
    printable = fit_for_printing(head, tail, name)
    if printable is not None:
        head, tail = printable
    return head + rows + b"</" + name + b">" + tail, had_formulas


_SHEET_DATA = re.compile(rb"<((?:[\w.-]+:)?sheetData)\b[^>]*>")
_DIMENSION = re.compile(rb'(<(?:[\w.-]+:)?dimension\b[^>]*?\bref=)"[^"]*"')
_TAG = re.compile(rb"<(/?)(row|c|is|t|v)\b")


def _first_outside_comments(pattern: re.Pattern[bytes], part: bytes) -> re.Match[bytes] | None:
    """The first match of `pattern` that is not inside an XML comment."""
    for match in pattern.finditer(part):
        opened = part.rfind(b"<!--", 0, match.start())
        if opened < 0 or part.find(b"-->", opened) < match.start():
            return match
    return None


def _extent(tab: TabContent) -> bytes:
    """The tab's used range, from A1 (A1:A1 for an empty tab)."""
    height = max(len(tab.rows), 1)
    width = max((len(row) for row in tab.rows), default=1) or 1
    return f"A1:{column_letter(width - 1)}{height}".encode()


def _prefixed(rows: bytes, prefix: bytes) -> bytes:
    """Rows for a part whose main namespace has a prefix (x:row, x:c...)."""
    return _TAG.sub(lambda match: b"<" + match.group(1) + prefix + match.group(2), rows)
