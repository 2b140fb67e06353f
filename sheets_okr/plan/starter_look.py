"""The look of the starter workbook: named fonts, row heights, print set-up.

Spreadsheet programs fill a font with no name from their own default (LibreOffice prints it
in a serif face), so the starter names every font.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from sheets_okr.plan.cell_look import FONT_SIZE, wrapped_height

FONT_NAME = "Calibri"


def font(*, size: float = FONT_SIZE, **style: Any) -> Font:
    """A font with its name and size spelled out, so no program falls back to its own."""
    return Font(name=FONT_NAME, size=size, **style)


def fit_row_height(sheet: Worksheet, row: int, text: str, width: float, size: float) -> None:
    """Set `row`'s height to show `text` wrapped in a column `width` wide, every line."""
    sheet.row_dimensions[row].height = wrapped_height(text, width, size)


def set_up_printing(
    sheet: Worksheet, *, print_area: str | None = None, title_rows: str | None = None
) -> None:
    """Landscape, one page wide and as many tall as needed, with `title_rows` (such as
    "3:3") repeated at the top of every page. Without a `print_area` the used range
    prints, rows and columns people add included."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.print_options.gridLines = False
    if print_area:
        sheet.print_area = print_area
    if title_rows:
        sheet.print_title_rows = title_rows
