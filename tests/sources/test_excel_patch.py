"""The part-by-part writer: each cell written where it belongs, in the form Excel writes.

Packages are built here by hand, part by part, so that each test shows the XML a writer
other than openpyxl (or Excel itself) produces: rows without `r`, a prefixed namespace,
merged ranges, array formulas, pictures in cells, 1904 dates.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re
import zipfile

import pytest
import python_calamine
from openpyxl import load_workbook

from sheets_okr.sources.excel.cell_values import CELL_TEXT_LIMIT, serial_date
from sheets_okr.sources.excel.package import TabKindError
from sheets_okr.sources.excel.patch import patch_workbook
from sheets_okr.sources.writes import CellStyle, CellWrite, TabContent, WritePlan, WriteValue
from tests.support.ooxml_schema import validation_errors

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/>'
    "{extra}</Types>"
)  # fmt: skip
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><fonts count="1"><font><sz val="11"/><name val="Calibri"/>'
    '</font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill>'
    '<patternFill patternType="gray125"/></fill></fills><borders count="1"><border/></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    "</cellXfs></styleSheet>"
)


def package(sheet: str, *, workbook_pr: str = "", extra: dict[str, str] | None = None,
            sheets: str = "", rels: str = "", types: str = "") -> bytes:  # fmt: skip
    """A workbook whose first tab, OKRs, is `sheet` (the worksheet XML), as Excel lays it out."""
    parts = {
        "[Content_Types].xml": CONTENT_TYPES.format(extra=types),
        "_rels/.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{MAIN}" xmlns:r="{REL}">{workbook_pr}<sheets>'
            f'<sheet name="OKRs" sheetId="1" r:id="rId1"/>{sheets}</sheets>'
            '<calcPr calcId="191029"/></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{REL}/styles" Target="styles.xml"/>{rels}'
            "</Relationships>"
        ),
        "xl/styles.xml": STYLES,
        "xl/worksheets/sheet1.xml": sheet,
        **(extra or {}),
    }
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return output.getvalue()


def worksheet(rows: str, *, before: str = "", after: str = "", prefix: str = "") -> str:
    """A worksheet's XML around the given rows (prefix: "x:" for a prefixed namespace)."""
    declaration = f'xmlns:{prefix[:-1]}="{MAIN}"' if prefix else f'xmlns="{MAIN}"'
    p = prefix
    return (
        f"<{p}worksheet {declaration}>{before}<{p}sheetData>{rows}</{p}sheetData>{after}"
        f"</{p}worksheet>"
    )


def cell(row: int, column: int, value: WriteValue, style: CellStyle = CellStyle.PLAIN) -> CellWrite:
    """A write of one OKRs cell."""
    return CellWrite("OKRs", row, column, value, None, style)


def patched(snapshot: bytes, *cells: CellWrite, tabs: tuple[TabContent, ...] = (),
            fills: dict[str, str] | None = None) -> bytes:  # fmt: skip
    """The package after a plan of these writes; every part it wrote is valid OOXML."""
    data = patch_workbook(snapshot, WritePlan(cells=cells, tabs=tabs, fills=fills or {}))
    with zipfile.ZipFile(io.BytesIO(snapshot)) as old, zipfile.ZipFile(io.BytesIO(data)) as new:
        before = {name: old.read(name) for name in old.namelist()}
        for name in new.namelist():
            if before.get(name) != new.read(name):
                assert validation_errors(name, new.read(name)) == [], name
    return data


def part(data: bytes, name: str) -> str:
    """One part's text."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return archive.read(name).decode("utf-8")


def values(data: bytes, tab: str = "OKRs") -> list[list[object]]:
    """A tab's values as python-calamine reads them."""
    book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return [list(row) for row in book.get_sheet_by_name(tab).to_python()]


ROWS = (
    '<row r="1" spans="1:2"><c r="A1" t="inlineStr"><is><t>Title</t></is></c>'
    '<c r="B1" s="1"><v>46000</v></c></row>'
    '<row r="3" spans="1:2"><c r="A3" t="inlineStr"><is><t>KR</t></is></c></row>'
)


def test_cells_go_in_row_and_column_order_with_dimension_and_spans_widened() -> None:
    """A cell after, before and between existing ones, and a new row between two rows."""
    sheet = worksheet(ROWS, before='<dimension ref="A1:B3"/>')
    data = patched(package(sheet), cell(1, 4, "Score"), cell(2, 1, "new row"), cell(3, 3, 0.5))
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert re.findall(r'<c r="([A-Z]+\d+)"', xml) == ["A1", "B1", "D1", "A2", "A3", "C3"]
    assert re.findall(r'<row r="(\d+)"', xml) == ["1", "2", "3"]
    assert '<dimension ref="A1:D3"/>' in xml
    assert '<row r="1" spans="1:4">' in xml
    assert '<row r="3" spans="1:3">' in xml
    assert values(data) == [["Title", dt.date(2025, 12, 9), "", "Score"],
                            ["new row", "", "", ""], ["KR", "", 0.5, ""]]  # fmt: skip


def test_rows_and_cells_without_references_are_placed_by_their_order() -> None:
    """Rows and cells without `r` (allowed, and written by some tools) keep their places."""
    rows = "<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c></row>"
    data = patched(package(worksheet(rows)), cell(1, 3, 9), cell(2, 1, 7))
    assert values(data) == [[1.0, 2.0, 9.0], [7.0, "", ""]]


def test_text_is_an_inline_string_never_a_formula_or_a_shared_string() -> None:
    """A formula-looking title, an error word, spaces and a literal _x0041_ come back as typed."""
    texts = ['=HYPERLINK("http://x")', "#REF!", "  padded ", "_x0041_ and \x01 bell"]
    data = patched(package(worksheet(ROWS)), *(cell(5, i + 1, t) for i, t in enumerate(texts)))
    assert values(data)[4] == texts
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert "<f>" not in xml
    assert 't="s"' not in xml
    assert '<t xml:space="preserve">  padded </t>' in xml
    assert "xl/sharedStrings.xml" not in zipfile.ZipFile(io.BytesIO(data)).namelist()


def test_text_longer_than_a_cell_holds_is_cut(caplog: pytest.LogCaptureFixture) -> None:
    """Excel calls a cell of over 32,767 characters damaged: the text is cut, with a warning."""
    with caplog.at_level(logging.WARNING):
        data = patched(package(worksheet(ROWS)), cell(5, 1, "x" * 40_000))
    assert len(str(values(data)[4][0])) == CELL_TEXT_LIMIT
    assert "OKRs!A5: text of 40,000 characters" in caplog.text.replace("40000", "40,000")


def test_dates_are_serial_numbers_in_the_workbooks_date_system() -> None:
    """2026-11-30 is 46356 from 1900 and 44894 from 1904, and reads back as the same day."""
    assert serial_date(dt.date(2026, 11, 30), date1904=False) == 46356
    assert serial_date(dt.date(2026, 11, 30), date1904=True) == 44894
    assert serial_date(dt.date(1900, 1, 1), date1904=False) == 1
    for flag in ("", '<workbookPr date1904="1"/>'):
        data = patched(package(worksheet(ROWS), workbook_pr=flag),
                       cell(5, 1, dt.date(2026, 11, 30), CellStyle.DATE))  # fmt: skip
        assert values(data)[4][0] == dt.date(2026, 11, 30)


def test_merged_array_and_formula_cells_are_peoples_and_never_written(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Inside a merge (not its first cell), an array formula's range or a formula: skipped."""
    rows = (
        '<row r="1"><c r="A1"><f t="array" ref="A1:A2">SEQUENCE(2)</f><v>1</v></c>'
        '<c r="C1"><f>1+1</f><v>2</v></c></row><row r="2"><c r="A2"><v>2</v></c></row>'
    )
    sheet = worksheet(rows, after='<mergeCells count="1"><mergeCell ref="D1:E2"/></mergeCells>')
    with caplog.at_level(logging.WARNING):
        data = patched(package(sheet), cell(2, 1, "x"), cell(1, 3, "y"), cell(2, 5, "z"),
                       cell(1, 4, "first"))  # fmt: skip
    assert values(data)[0][:4] == [1.0, "", 2.0, "first"]
    assert values(data)[1][0] == 2.0
    assert "OKRs!A2 is inside a merged range or an array formula" in caplog.text
    assert "OKRs!C1 holds a formula people wrote" in caplog.text
    assert "OKRs!E2 is inside a merged range" in caplog.text


def test_a_picture_in_a_cell_or_a_spill_anchor_overwritten_loses_its_metadata() -> None:
    """The vm/cm attributes of the old value do not stay on a new one."""
    rows = '<row r="1"><c r="A1" t="e" vm="1"><v>#VALUE!</v></c><c r="B1" cm="1"><v>3</v></c></row>'
    data = patched(package(worksheet(rows)), cell(1, 1, "text"), cell(1, 2, 4))
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert 'vm="' not in xml
    assert 'cm="' not in xml
    assert values(data)[0] == ["text", 4.0]


def test_a_prefixed_namespace_keeps_its_prefix() -> None:
    """A worksheet written as x:worksheet gets x:c cells and x:is text (no second namespace)."""
    rows = '<x:row r="1"><x:c r="A1"><x:v>1</x:v></x:c></x:row>'
    data = patched(package(worksheet(rows, prefix="x:")), cell(1, 2, "b"), cell(2, 1, 2))
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert '<x:c r="B1" t="inlineStr"><x:is><x:t>b</x:t></x:is></x:c>' in xml
    assert xml.count("xmlns") == 1
    assert values(data) == [[1.0, "b"], [2.0, ""]]


def test_new_styles_are_appended_and_existing_ones_keep_their_index() -> None:
    """Percent, date, health fill and bold header styles are new xfs made once each."""
    plan = (
        cell(1, 3, "Progress", CellStyle.HEADER),
        cell(3, 3, 0.5, CellStyle.PERCENT),
        cell(3, 4, 0.25, CellStyle.PERCENT),
        cell(3, 5, dt.date(2026, 1, 2), CellStyle.DATE),
        cell(3, 6, "on_track", CellStyle.FILLED),
        cell(3, 7, "on_track", CellStyle.FILLED),
    )
    data = patched(package(worksheet(ROWS)), *plan, fills={"on_track": "C6EFCE"})
    styles = part(data, "xl/styles.xml")
    xfs = re.findall(r"<xf [^>]*>", styles.split("<cellXfs")[1])
    assert xfs[:2] == re.findall(r"<xf [^>]*>", STYLES.split("<cellXfs")[1])
    assert 'cellXfs count="5"' in styles  # two kept, three made: percent, date, fill
    assert '<numFmt numFmtId="164" formatCode="yyyy-mm-dd"/>' in styles
    assert styles.count('rgb="FFC6EFCE"') == 1
    workbook = load_workbook(io.BytesIO(data))["OKRs"]
    assert workbook["C3"].number_format == workbook["D3"].number_format == "0%"
    assert workbook["E3"].number_format == "yyyy-mm-dd"
    assert workbook["F3"].fill.fgColor.rgb == workbook["G3"].fill.fgColor.rgb == "FFC6EFCE"
    assert workbook["B1"].number_format == "mm-dd-yy"  # the people's date style, untouched


def test_a_header_cell_takes_its_neighbours_look_or_else_is_bold() -> None:
    """Beside a styled header cell (xf 1 here) that xf is reused; beside a plain one, bold."""
    data = patched(package(worksheet(ROWS)), cell(1, 3, "Score", CellStyle.HEADER),
                   cell(3, 2, "Owner", CellStyle.HEADER))  # fmt: skip
    assert '<c r="C1" s="1" t="inlineStr">' in part(data, "xl/worksheets/sheet1.xml")
    assert load_workbook(io.BytesIO(data))["OKRs"]["B3"].font.b


def test_a_header_column_the_tool_adds_gets_a_width_unless_one_is_set() -> None:
    """<cols> gains a width for a new header column; a <col> covering it is left alone."""
    data = patched(package(worksheet(ROWS)), cell(1, 4, "Progress (sheets-okr)", CellStyle.HEADER))
    assert '<cols><col min="4" max="4" width="23" customWidth="1"/></cols><sheetData>' in part(
        data, "xl/worksheets/sheet1.xml"
    )
    covered = worksheet(ROWS, before='<cols><col min="1" max="16384" width="12"/></cols>')
    data = patched(package(covered), cell(1, 4, "Progress", CellStyle.HEADER))
    assert part(data, "xl/worksheets/sheet1.xml").count("<col ") == 1


def tab(title: str, *rows: tuple[WriteValue, ...]) -> TabContent:
    """A tool tab of plain cells."""
    return TabContent(title, rows, tuple((CellStyle.PLAIN,) * len(r) for r in rows), widths=(10,))


def test_a_new_tool_tab_is_registered_in_all_three_places() -> None:
    """Workbook, its relationships and the content types name the new part; others unchanged."""
    before = package(worksheet(ROWS))
    data = patched(before, tabs=(tab("Summary", ("OKR summary",), ("Score", 0.5)),))
    assert 'name="Summary" sheetId="2"' in part(data, "xl/workbook.xml")
    assert 'Target="worksheets/sheet2.xml"' in part(data, "xl/_rels/workbook.xml.rels")
    assert 'PartName="/xl/worksheets/sheet2.xml"' in part(data, "[Content_Types].xml")
    assert values(data, "Summary") == [["OKR summary", ""], ["Score", 0.5]]
    assert part(data, "xl/worksheets/sheet1.xml") == part(before, "xl/worksheets/sheet1.xml")


def test_an_existing_tool_tab_gets_new_rows_and_keeps_the_rest_of_its_part() -> None:
    """Only the rows between <sheetData> and </sheetData> change; panes and widths stay."""
    views = '<sheetViews><sheetView workbookViewId="0" zoomScale="80"/></sheetViews>'
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="9"><c r="A9"><v>9</v></c></row>'
    cols = '<cols><col min="1" max="1" width="30"/></cols>'
    history = worksheet(rows, before=f'<dimension ref="A1:A9"/>{views}{cols}')
    before = package(
        worksheet(ROWS),
        sheets='<sheet name="History" sheetId="2" r:id="rId9"/>',
        rels=f'<Relationship Id="rId9" Type="{REL}/worksheet" Target="worksheets/sheet9.xml"/>',
        extra={"xl/worksheets/sheet9.xml": history},
    )
    data = patched(before, tabs=(tab("History", ("Date", "Score"), ("2026-11-30", 0.5)),))
    xml = part(data, "xl/worksheets/sheet9.xml")
    assert views in xml
    assert '<col min="1" max="1" width="30"/>' in xml
    assert '<dimension ref="A1:B2"/>' in xml
    assert values(data, "History") == [["Date", "Score"], ["2026-11-30", 0.5]]
    assert part(data, "xl/workbook.xml").count("<sheet ") == 2


def test_a_chart_sheet_named_like_a_tool_tab_is_refused() -> None:
    """A chart sheet called History cannot become the tool's worksheet: TabKindError."""
    before = package(
        worksheet(ROWS),
        sheets='<sheet name="history" sheetId="2" r:id="rId9"/>',
        rels=f'<Relationship Id="rId9" Type="{REL}/chartsheet" Target="chartsheets/sheet1.xml"/>',
        extra={"xl/chartsheets/sheet1.xml": f'<chartsheet xmlns="{MAIN}"/>'},
    )
    with pytest.raises(TabKindError):
        patched(before, tabs=(tab("History", ("Date",)),))


def test_a_calc_chain_is_kept_unless_a_replaced_tool_tab_held_formulas() -> None:
    """Formulas on a tool tab are gone once it is rewritten: the calc chain naming them goes
    too (Excel rebuilds it); otherwise it is kept, and recalculation is asked for."""
    chain = {"xl/calcChain.xml": f'<calcChain xmlns="{MAIN}"><c r="A1" i="2"/></calcChain>'}
    chain_rel = f'<Relationship Id="rId8" Type="{REL}/calcChain" Target="calcChain.xml"/>'
    chain_type = ('<Override PartName="/xl/calcChain.xml" ContentType="application/'
                  'vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml"/>')  # fmt: skip
    summary_rel = f'<Relationship Id="rId9" Type="{REL}/worksheet" Target="worksheets/sheet9.xml"/>'
    for formula, kept in (("<f>1+1</f><v>2</v>", False), ("<v>2</v>", True)):
        summary = worksheet(f'<row r="1"><c r="A1">{formula}</c></row>')
        before = package(
            worksheet(ROWS), sheets='<sheet name="Summary" sheetId="2" r:id="rId9"/>',
            rels=summary_rel + chain_rel, types=chain_type,
            extra={"xl/worksheets/sheet9.xml": summary, **chain},
        )  # fmt: skip
        data = patched(before, tabs=(tab("Summary", ("OKR summary",)),))
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        assert ("xl/calcChain.xml" in names) is kept
        assert ("calcChain" in part(data, "xl/_rels/workbook.xml.rels")) is kept
        assert ("calcChain" in part(data, "[Content_Types].xml")) is kept
        assert 'fullCalcOnLoad="1"' in part(data, "xl/workbook.xml")


def test_parts_the_writer_does_not_change_keep_their_bytes_name_and_order() -> None:
    """Every untouched part comes out with the same bytes, in the same order."""
    extra = {"xl/threadedComments/threadedComment1.xml": "<ThreadedComments/>",
             "customXml/item1.xml": "<x>\r\n  spaced  </x>"}  # fmt: skip
    before = package(worksheet(ROWS), extra=extra)
    data = patched(before, cell(1, 3, 1))
    with zipfile.ZipFile(io.BytesIO(before)) as old, zipfile.ZipFile(io.BytesIO(data)) as new:
        assert old.namelist() == new.namelist()
        for name in old.namelist():
            if name != "xl/worksheets/sheet1.xml":
                assert old.read(name) == new.read(name), name


def test_a_new_cell_takes_the_look_of_its_formatted_row_or_column() -> None:
    """As when people type into it: a formatted row's style first, else its column's."""
    rows = (
        '<row r="1"><c r="A1"><v>1</v></c></row>'
        '<row r="2" s="1" customFormat="1"><c r="A2"><v>2</v></c></row>'
    )
    sheet = worksheet(rows, before='<cols><col min="3" max="3" width="9" style="1"/></cols>')
    data = patched(package(sheet), cell(1, 2, 5), cell(1, 3, 6), cell(2, 2, 7))
    xml = part(data, "xl/worksheets/sheet1.xml")
    assert '<c r="B1"><v>5</v></c>' in xml
    assert '<c r="C1" s="1"><v>6</v></c>' in xml
    assert '<c r="B2" s="1"><v>7</v></c>' in xml


def test_a_second_sync_finds_the_styles_the_first_made() -> None:
    """Styles are looked up before they are added: the same plan twice adds nothing more."""
    plan = (
        cell(3, 3, 0.5, CellStyle.PERCENT),
        cell(3, 4, "on_track", CellStyle.FILLED),
        cell(1, 3, "Score", CellStyle.HEADER),
        cell(3, 5, dt.date(2026, 1, 2), CellStyle.DATE),
    )
    summary = (TabContent("Summary", (("OKR summary",), ("Score", 0.5)),
                          ((CellStyle.TITLE,), (CellStyle.TEXT, CellStyle.PERCENT))),)  # fmt: skip
    fills = {"on_track": "C6EFCE"}
    once = patched(package(worksheet(ROWS)), *plan, tabs=summary, fills=fills)
    twice = patched(once, *plan, tabs=summary, fills=fills)
    assert part(twice, "xl/styles.xml") == part(once, "xl/styles.xml")


def test_a_new_number_format_id_is_free_even_when_two_formats_share_a_code() -> None:
    """Ids already given (those of conditional formats too) are never given again."""
    styles = STYLES.replace(
        "<fonts",
        '<numFmts count="2"><numFmt numFmtId="166" formatCode="0.0"/>'
        '<numFmt numFmtId="165" formatCode="0.0"/></numFmts><fonts',
    ).replace(
        "</styleSheet>",
        '<dxfs count="1"><dxf><numFmt numFmtId="170" formatCode="0.00"/></dxf></dxfs></styleSheet>',
    )
    data = patched(
        package(worksheet(ROWS), extra={"xl/styles.xml": styles}),
        cell(3, 3, dt.date(2026, 1, 2), CellStyle.DATE),
    )
    assert '<numFmt numFmtId="171" formatCode="yyyy-mm-dd"/>' in part(data, "xl/styles.xml")


def test_text_is_measured_in_utf16_units_as_excel_counts_it() -> None:
    """20,000 emoji are 40,000 units: cut to 32,767, never through an emoji's pair."""
    data = patched(package(worksheet(ROWS)), cell(5, 1, "🎯" * 20_000))
    text = str(values(data)[4][0])
    assert text.endswith("…")
    assert len(text.encode("utf-16-le")) // 2 <= 32_767
    assert set(text[:-1]) == {"🎯"}


def test_new_parts_take_names_free_in_any_case() -> None:
    """A Sheet2.xml (capital S) already there: the new tab's part is sheet3.xml, listed once."""
    before = package(
        worksheet(ROWS),
        sheets='<sheet name="Notes" sheetId="2" r:id="rId9"/>',
        rels=f'<Relationship Id="rId9" Type="{REL}/worksheet" Target="worksheets/Sheet2.xml"/>',
        types='<Override PartName="/xl/worksheets/Sheet2.xml" ContentType="application/vnd.'
        'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>',
        extra={"xl/worksheets/Sheet2.xml": worksheet("")},
    )
    data = patched(before, tabs=(tab("Summary", ("OKR summary",)),))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "xl/worksheets/sheet3.xml" in names
    assert "xl/worksheets/sheet2.xml" not in names
    assert part(data, "[Content_Types].xml").count("sheet3.xml") == 1


def test_rows_with_styled_blank_cells_far_right_still_get_each_cell_in_place() -> None:
    """A row formatted out to column AX is indexed once; cells land in order among them."""
    blanks = "".join(f'<c r="{column}1" s="1"/>' for column in ("H", "K", "P", "Z", "AB", "AX"))
    blanks += "".join(f'<c r="B{column}1" s="1"/>' for column in "ABCDEFGHIJ")
    rows = f'<row r="1"><c r="A1"><v>1</v></c>{blanks}</row>'
    data = patched(package(worksheet(rows)), cell(1, 7, "g"), cell(1, 9, "i"), cell(1, 8, "h"),
                   cell(1, 2, "b"))  # fmt: skip
    xml = part(data, "xl/worksheets/sheet1.xml")
    references = re.findall(r'<c r="([A-Z]+)1"', xml)
    assert references[:7] == ["A", "B", "G", "H", "I", "K", "P"]
    assert '<c r="H1" s="1" t="inlineStr"><is><t>h</t></is></c>' in xml
    assert values(data)[0][:9] == [1.0, "b", "", "", "", "", "g", "h", "i"]


def test_a_what_if_data_tables_cells_are_never_written(caplog: pytest.LogCaptureFixture) -> None:
    """Excel refuses a change to one cell of a data table, as of an array formula."""
    table = '<f t="dataTable" ref="B2:C3" dt2D="0" dtr="0" r1="A1"/>'
    rows = f'<row r="2"><c r="B2">{table}<v>1</v></c></row>'
    with caplog.at_level(logging.WARNING):
        data = patched(package(worksheet(rows)), cell(3, 3, 5))
    assert 'r="C3"' not in part(data, "xl/worksheets/sheet1.xml")
    assert "OKRs!C3 is inside a merged range or an array formula" in caplog.text
