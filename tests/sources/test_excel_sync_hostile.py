"""sync on workbooks python-calamine reads but openpyxl, which sync saves with, cannot load
as they are: control characters, no calcPr, damaged parts, a merge reaching XFD1048576."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook

from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.commands import AS_OF, TIMEOUT, assert_refused, run, run_in_process, score
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
    """A workbook.xml without calcPr (not written by Excel) is synced and asks for a recalc."""
    path = plan(tmp_path)
    with zipfile.ZipFile(path) as archive:
        calculation = re.search(rb"<calcPr[^>]*>", archive.read("xl/workbook.xml"))
    assert calculation is not None
    edited(path, "xl/workbook.xml", (calculation.group(0), b""))
    result = run("sync", str(path), "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(path) as archive:
        assert re.search(rb'<calcPr[^>]*fullCalcOnLoad="1"', archive.read("xl/workbook.xml"))


def test_sync_of_xml_openpyxl_cannot_load_says_what_to_do(tmp_path: Path) -> None:
    """Damaged document properties that the reader skips stop sync with one sentence, exit 1."""
    path = edited(plan(tmp_path), "docProps/core.xml", (b"</cp:coreProperties>", b""))
    assert run("score", str(path), "--as-of", AS_OF).exit_code == 0
    before = path.read_bytes()
    line = assert_refused(run("sync", str(path), "--as-of", AS_OF), 1, "was not changed")
    assert "openpyxl, which sheets-okr saves with, cannot load it (no element found: " in line
    assert line.endswith("open it in Excel, save it again as .xlsx, and sync again.")
    assert path.read_bytes() == before


def test_sync_refuses_a_merge_reaching_the_last_cell(tmp_path: Path) -> None:
    """A merged range A2:XFD1048576 reads; sync (whose openpyxl would make 17 billion merged
    cells) stops with one sentence, and the dry run says it would."""
    path = write_workbook(tmp_path / "merged.xlsx", {"2026-Q4": small_rows(), "Notes": [["x"]]},
                          merges={"Notes": ["A2:B3"]})  # fmt: skip
    edited(path, NOTES_SHEET, (b'ref="A2:B3"', b'ref="A2:XFD1048576"'))
    before = path.read_bytes()
    assert score(path).exit_code == 0
    refusal = "tab Notes merges A2:XFD1048576, 17,179,852,800 cells"
    dry = run_in_process("sync", str(path), "--dry-run", "--as-of", AS_OF, timeout=TIMEOUT)
    assert f"a real sync would stop here: {path} was not changed: {refusal}" in dry.stderr
    finished = run_in_process("sync", str(path), "--as-of", AS_OF, timeout=TIMEOUT)
    assert finished.exit_code == 1
    assert finished.stderr.strip().endswith(
        "unmerge it, or merge only the cells in use, and sync again."
    )
    assert refusal in finished.stderr
    assert path.read_bytes() == before
