"""sync on workbooks python-calamine reads but openpyxl, which sync saves with, cannot load
as they are: control characters, no calcPr, damaged parts, a merge reaching XFD1048576."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.commands import AS_OF, TIMEOUT, assert_refused, run, run_in_process
from tests.support.workbook_parts import NOTES_SHEET, SHEET, edited, plan
from tests.support.workbooks import small_rows, write_workbook

TITLE = b"<t>Increase website traffic</t>"


def test_sync_saves_control_characters_as_excel_writes_them(tmp_path: Path) -> None:
    """Raw control characters (XML forbids them, python-calamine reads them) no longer end
    sync in a traceback: they are saved as _xHHHH_, which reads back as the same text."""
    path = edited(
        plan(tmp_path), SHEET, (TITLE, b"<t>Increase\x01 website\x1b[31m traffic\x00</t>")
    )
    before = ExcelWorkbook(path).read().sheets[0].rows[1][1]
    assert before == "Increase\x01 website\x1b[31m traffic\x00"
    result = run("sync", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert ExcelWorkbook(path).read().sheets[0].rows[1][1] == before
    with zipfile.ZipFile(path) as archive:
        assert b"Increase_x0001_ website_x001B_[31m traffic_x0000_" in archive.read(SHEET)
    assert load_workbook(path)["2026-Q4"]["M1"].value == "ID"


def test_sync_of_a_workbook_without_calculation_properties(tmp_path: Path) -> None:
    """A workbook.xml without calcPr (not written by Excel) holding a formula is synced and
    asks for a recalculation; one without formulas gets no calcPr."""
    path = plan(tmp_path)
    with zipfile.ZipFile(path) as archive:
        calculation = re.search(rb"<calcPr[^>]*>", archive.read("xl/workbook.xml"))
    assert calculation is not None
    edited(path, "xl/workbook.xml", (calculation.group(0), b""))
    with zipfile.ZipFile(path) as archive:
        workbook_xml = archive.read("xl/workbook.xml")
        assert b"<f>" not in archive.read(SHEET)
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(path.read_bytes())
    edited(path, SHEET, (b"</sheetData>", b'<row r="99"><c r="Z99"><f>1+1</f><v>2</v></c></row>'
                         b"</sheetData>"))  # fmt: skip
    for synced, asks in ((path, True), (plain, False)):
        result = run("sync", str(synced), "--as-of", AS_OF)
        assert result.exit_code == 0, result.output
        with zipfile.ZipFile(synced) as archive:
            after = archive.read("xl/workbook.xml")
        assert bool(re.search(rb'<calcPr[^>]*fullCalcOnLoad="1"', after)) is asks
        # Beside the new tabs and their print titles, workbook.xml is as it was.
        assert b"<calcPr" in after or _without_tabs(after).endswith(
            _without_tabs(workbook_xml)[-200:]
        )


def _without_tabs(workbook_xml: bytes) -> bytes:
    """workbook.xml without its <sheet> entries and defined names."""
    return re.sub(
        rb"<sheet [^>]*/>|<definedNames/>|<definedNames>.*</definedNames>", b"", workbook_xml
    )


def test_sync_keeps_damaged_parts_it_does_not_change(tmp_path: Path) -> None:
    """Damaged document properties, which no reader needs, are kept as they are; sync works."""
    path = edited(plan(tmp_path), "docProps/core.xml", (b"</cp:coreProperties>", b""))
    with zipfile.ZipFile(path) as archive:
        damaged = archive.read("docProps/core.xml")
    assert run("sync", str(path), "--as-of", AS_OF).exit_code == 0
    with zipfile.ZipFile(path) as archive:
        assert archive.read("docProps/core.xml") == damaged
    assert ExcelWorkbook(path).read().sheets[0].rows[0][12] == "ID"


def test_sync_of_a_damaged_part_it_must_change_says_what_to_do(tmp_path: Path) -> None:
    """A part list cut short (which the reader does not need) stops sync with one sentence."""
    path = plan(tmp_path)
    edited(path, "[Content_Types].xml", (b"</Types>", b""))
    assert run("score", str(path), "--as-of", AS_OF).exit_code == 0
    before = path.read_bytes()
    line = assert_refused(run("sync", str(path), "--as-of", AS_OF), 1, "was not changed")
    assert "a part sheets-okr must change is damaged" in line
    assert line.endswith("open the workbook in Excel, save it again as .xlsx, and sync again.")
    assert path.read_bytes() == before


def test_sync_of_a_merge_reaching_the_last_cell(tmp_path: Path) -> None:
    """A merged range A2:XFD1048576 on another tab costs nothing: sync writes, merge kept."""
    path = write_workbook(tmp_path / "merged.xlsx", {"2026-Q4": small_rows(), "Notes": [["x"]]},
                          merges={"Notes": ["A2:B3"]})  # fmt: skip
    edited(path, NOTES_SHEET, (b'ref="A2:B3"', b'ref="A2:XFD1048576"'))
    with zipfile.ZipFile(path) as archive:
        notes = archive.read(NOTES_SHEET)
    finished = run_in_process("sync", str(path), "--as-of", AS_OF, timeout=TIMEOUT)
    assert finished.exit_code == 0, finished.stderr
    with zipfile.ZipFile(path) as archive:
        assert archive.read(NOTES_SHEET) == notes
