"""The print set-up of the tabs the tool owns, put into worksheet parts as other programs
write them: prefixed namespaces, a self-closing <sheetData/>, custom views, comments."""

from __future__ import annotations

from lxml import etree

from sheets_okr.sources.excel.print_setup import fit_for_printing, repeat_row
from sheets_okr.sources.excel.tool_tabs import replace_rows
from sheets_okr.sources.excel.xml import parse_part
from sheets_okr.sources.writes import CellStyle, TabContent
from tests.support.ooxml_schema import validation_errors

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
TAB = TabContent("History", (("Date",), ("x",)), ((CellStyle.HEADER,), (CellStyle.TEXT,)))
ROWS = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c></row>'


def _replaced(part: bytes) -> bytes:
    data, _ = replace_rows(part, TAB, ROWS)
    return data


def _children(part: bytes) -> list[str]:
    root = etree.fromstring(part)
    return [etree.QName(element).localname for element in root if isinstance(element.tag, str)]


def test_a_prefixed_part_with_a_self_closing_sheet_data_gets_its_rows_and_set_up() -> None:
    """x:worksheet with <x:sheetData/>: rows land in sheetData, the set-up in x: elements."""
    part = (
        f'<?xml version="1.0"?><x:worksheet xmlns:x="{MAIN}"><x:dimension ref="A1"/>'
        '<x:sheetData/><x:pageMargins left="1" right="1" top="1" bottom="1" header="0"'
        ' footer="0"/></x:worksheet>'
    ).encode()
    data = _replaced(part)
    assert validation_errors("xl/worksheets/sheet1.xml", data) == []
    assert _children(data) == ["sheetPr", "dimension", "sheetData", "pageMargins", "pageSetup"]
    assert b"<x:row" in data
    assert b'<x:pageSetup orientation="landscape" fitToWidth="1" fitToHeight="0"/>' in data
    assert b'<x:pageMargins left="1"' in data  # people's margins kept


def test_a_comment_naming_sheet_data_and_custom_views_do_not_mislead_it() -> None:
    """A comment holding "<sheetData/>" keeps its place, the rows go in the real sheetData,
    and a custom view's own <pageSetup> is not the sheet's."""
    part = (
        f'<worksheet xmlns="{MAIN}"><!-- <sheetData/> --><sheetData></sheetData>'
        '<customSheetViews><customSheetView guid="{00000000-0000-0000-0000-000000000001}">'
        '<pageSetup orientation="portrait"/></customSheetView></customSheetViews>'
        "<headerFooter/></worksheet>"
    ).encode()
    data = _replaced(part)
    assert validation_errors("xl/worksheets/sheet1.xml", data) == []
    assert b"<!-- <sheetData/> -->" in data
    root = parse_part("sheet", data).root
    sheet_data = root.find(f"{{{MAIN}}}sheetData")
    assert sheet_data is not None
    assert len(sheet_data) == 1
    assert _children(data) == ["sheetPr", "sheetData", "customSheetViews", "pageMargins",
                               "pageSetup", "headerFooter"]  # fmt: skip


def test_a_tab_people_fit_to_pages_keeps_its_bytes() -> None:
    """fitToPage set (the tool's set-up, or people's own scaling): nothing to change."""
    head = f'<worksheet xmlns="{MAIN}"><sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><sheetData>'
    tail = b'<pageSetup orientation="portrait" fitToWidth="3"/></worksheet>'
    assert fit_for_printing(head.encode(), tail, b"sheetData") is None


def test_print_titles_are_local_to_the_tab_by_its_place_hidden_tabs_counted() -> None:
    """The name's localSheetId counts every tab, hidden ones too, and a quote in the tab's
    name is doubled; a tab that repeats rows already keeps them."""
    workbook = parse_part(
        "xl/workbook.xml",
        (
            f'<workbook xmlns="{MAIN}"><sheets><sheet name="Hidden" sheetId="1" state="hidden"/>'
            '<sheet name="Team\'s OKRs" sheetId="2"/><sheet name="History" sheetId="3"/>'
            "</sheets><calcPr/></workbook>"
        ).encode(),
    )
    assert repeat_row(workbook, "Team's OKRs", 3)
    assert repeat_row(workbook, "History", 1)
    assert not repeat_row(workbook, "History", 2)
    names = [(n.get("localSheetId"), n.text) for n in workbook.root.iter(f"{{{MAIN}}}definedName")]
    assert names == [("1", "'Team''s OKRs'!$3:$3"), ("2", "'History'!$1:$1")]
    assert _children(workbook.to_bytes()) == ["sheets", "definedNames", "calcPr"]
