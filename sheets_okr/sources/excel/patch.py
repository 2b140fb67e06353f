"""A sync's write plan applied to the bytes of an .xlsx file, part by part.

What changes: the tool's cells in the worksheets people edit, the tool's own tabs, new
styles appended to styles.xml, and, when a tab is added, its registration. When formulas
may read what changed, the workbook asks to be recomputed on open (Excel does); the cached
values of people's formulas stay in place until then, so every reader sees them.
Everything else in the package keeps its bytes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Mapping

from sheets_okr.sources.excel.package import Package, TabKindError
from sheets_okr.sources.excel.print_setup import repeat_row
from sheets_okr.sources.excel.sheet_cells import CellEdit, SheetCells
from sheets_okr.sources.excel.styles import Look, StyleBook, StyleChange
from sheets_okr.sources.excel.tool_tabs import new_tab_xml, replace_rows, rows_xml
from sheets_okr.sources.writes import CellStyle, CellWrite, TabContent, WritePlan, WriteValue

log = logging.getLogger(__name__)


class _Looks:
    """The xf index each written cell gets, from the look it had and its CellStyle."""

    def __init__(self, styles: StyleBook, fills: Mapping[str, str]) -> None:
        self.styles = styles
        self.fills = fills

    def change(
        self, style: CellStyle, value: WriteValue, number_format: str = ""
    ) -> StyleChange | None:
        """What the style changes of a cell's look for this value (None: nothing)."""
        is_number = isinstance(value, int | float) and not isinstance(value, bool)
        if style is CellStyle.PERCENT and is_number:
            return StyleChange(Look.PERCENT)
        if style is CellStyle.FIGURE and is_number and number_format:
            return StyleChange(Look.NUMBER, number_format=number_format)
        if style is CellStyle.WRAPPED and isinstance(value, str) and value:
            return StyleChange(Look.WRAP)
        if style is CellStyle.DATE and isinstance(value, dt.date):
            return StyleChange(Look.DATE)
        if style is CellStyle.FILLED:
            colour = self.fills.get(value) if isinstance(value, str) else None
            return StyleChange(Look.FILL, colour)
        if style is CellStyle.TITLE:
            return StyleChange(Look.TITLE)
        if style is CellStyle.HEADER:
            return StyleChange(Look.BOLD)
        return None

    def for_cell(self, write: CellWrite) -> CellEdit:
        """The edit of one cell of a people's tab."""
        change = self.change(write.style, write.value)
        header = write.style is CellStyle.HEADER

        def style(base: int, left: int) -> int:
            if change is None:
                return base
            if header:
                # A header cell the tool adds looks like the people's header beside it.
                if base == 0 and write.column > 1 and left:
                    return left
                return base or self.styles.style(0, change)
            if change.look is Look.FILL and change.colour is None and not self.styles.fill_of(base):
                return base  # no fill to take away
            return self.styles.style(base, change)

        return CellEdit(write.row, write.column, write.value, style, header)

    def for_tab(self, style: CellStyle, value: WriteValue, number_format: str, top: bool) -> int:
        """The xf index of a cell of a tool tab: the default look, at the top of its row
        when `top` (a row made tall for wrapped text), with its style's change."""
        base = self.styles.style(0, StyleChange(Look.TOP)) if top else 0
        change = self.change(style, value, number_format)
        if change is None or (change.look is Look.FILL and change.colour is None):
            return base
        return self.styles.style(base, change)


def patch_workbook(snapshot: bytes, plan: WritePlan) -> bytes:
    """The workbook's bytes with the plan applied.

    Raises lxml's XMLSyntaxError, KeyError, ValueError or zipfile errors for a part that
    is damaged or missing; the caller turns them into one sentence.
    """
    package = Package(snapshot)
    if package.is_signed:
        log.warning(
            "the workbook is digitally signed, and a signature does not survive a change to"
            " its cells: Excel will show it as invalid; sign the workbook again if it must be"
        )
    styles_part = package.styles_part()
    styles = StyleBook(package.xml(styles_part))
    looks = _Looks(styles, plan.fills)
    date1904 = package.date1904
    by_tab: dict[str, list[CellWrite]] = defaultdict(list)
    for write in plan.cells:
        by_tab[write.tab].append(write)
    for title, writes in by_tab.items():
        part = package.worksheet(title)
        sheet = SheetCells(package.xml(part), title)
        sheet.apply([looks.for_cell(write) for write in writes], date1904=date1904)
        package.put_xml(sheet.part)
    stale_calc_chain = False
    for tab in plan.changed_tabs:
        stale_calc_chain |= _write_tab(package, tab, looks, date1904=date1904)
    if stale_calc_chain:
        package.drop_calc_chain()
    if styles.changed:
        package.put_xml(styles.part)
    if package.had_formulas():
        package.recalculate_on_open()
    return package.save()


def _write_tab(package: Package, tab: TabContent, looks: _Looks, *, date1904: bool) -> bool:
    """Write a tool tab whole; says whether formulas it held are gone (a stale calc chain)."""
    rows = rows_xml(tab, looks.for_tab, date1904=date1904)
    existing = package.tabs().get(tab.title)
    if existing is not None:
        part, kind = existing
        if kind != "worksheet" or not package.has(part):
            raise TabKindError(tab.title)  # a chart sheet, say, of the tool tab's name
        data, had_formulas = replace_rows(package.read(part), tab, rows)
        package.put(part, data)
        _repeat_header(package, tab)
        return had_formulas
    package.add_worksheet(tab.title, new_tab_xml(tab, rows, namespace=package.workbook.namespace))
    _repeat_header(package, tab)
    log.debug("added tab %s", tab.title)
    return False


def _repeat_header(package: Package, tab: TabContent) -> None:
    """Print a tool tab's header row (its last frozen row) at the top of every page."""
    if tab.frozen_rows and repeat_row(package.workbook, tab.title, tab.frozen_rows):
        package.put_xml(package.workbook)
