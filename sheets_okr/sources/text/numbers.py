"""Numbers written with a decimal comma, as Excel writes CSV files where the comma is the
decimal mark (Germany, France, Korea's neighbours in Europe...): "1,25", "1.250,5 €".

Read as they stand, "1,250" would be twelve hundred and fifty, silently a thousand times
too much. Excel writes such files with ";" between cells, so a ";" file is taken as one
with decimal commas, unless a cell plainly uses a decimal point ("20.5"); a file of any
delimiter whose numbers plainly use decimal commas ("12,5") is taken as one too. The
numbers of such a file are rewritten the way the reader of values reads them ("1.25",
"1250.5 €"); every other cell stays as written.
"""

from __future__ import annotations

import re

from sheets_okr.sources.grid import CellValue

# A number a decimal comma makes plain: "12,5", "0,75", "1,2345" (not "1,250": thousands?).
_PLAIN_COMMA = re.compile(r"^[-+−]?(?:\d+,(?:\d{1,2}|\d{4,})|0,\d+)$")
_PLAIN_POINT = re.compile(r"^[-+−]?(?:\d+\.(?:\d{1,2}|\d{4,})|0\.\d+)$")
# A whole cell holding one decimal-comma number, with a currency or a unit around it.
_COMMA_NUMBER = re.compile(
    r"^(?P<before>[^\d,.]*?)(?P<number>[-+−]?(?:\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+,\d+))"
    r"(?P<after>[^\d,.]*)$"
)


def uses_decimal_commas(rows: list[list[CellValue]], delimiter: str) -> bool:
    """Whether the file's numbers are written with decimal commas."""
    comma = point = False
    for row in rows:
        for cell in row:
            if isinstance(cell, str):
                text = cell.strip()
                comma = comma or bool(_PLAIN_COMMA.match(text))
                point = point or bool(_PLAIN_POINT.match(text))
    if comma and point:
        return False  # mixed: each cell is read as it stands, and odd ones are reported
    return comma or (delimiter == ";" and not point)


def with_decimal_points(rows: list[list[CellValue]]) -> list[list[CellValue]]:
    """The rows with each decimal-comma number rewritten: "1.250,5 €" -> "1250.5 €"."""
    return [[_rewritten(cell) for cell in row] for row in rows]


def _rewritten(cell: CellValue) -> CellValue:
    if not isinstance(cell, str) or ("," not in cell and "." not in cell):
        return cell
    match = _COMMA_NUMBER.match(cell.strip())
    if match is None:
        return cell
    number = match["number"].replace(".", "").replace(",", ".")
    return f"{match['before']}{number}{match['after']}"
