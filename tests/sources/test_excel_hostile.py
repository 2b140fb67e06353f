"""Workbooks built to hurt a reader: cells at XFD1048576, a million rows, cells of 32,767
characters. Each command runs in a process of its own, with a timeout (and for some a limit
of memory), so that an abort or a hang fails the test, not pytest."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from sheets_okr.a1 import quote_tab
from tests.support.commands import AS_OF, TIMEOUT, WARNING, Finished, run_in_process, score
from tests.support.workbook_parts import (
    MAIN_NS,
    NOTES_SHEET,
    SHEET,
    edited,
    plan,
    register_shared_strings,
)
from tests.support.workbooks import small_rows, write_workbook

MEMORY = 1024 * 1024 * 1024  # refusing what would need far more takes far less


def stray_value(tmp_path: Path, title: str) -> Path:
    """The plan with an "x" typed at XFD1048576 of tab `title`, saved by openpyxl."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "2026-Q4"
    for row in small_rows():
        sheet.append(row)
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "notes"
    workbook[title]["XFD1048576"] = "x"
    path = tmp_path / "stray.xlsx"
    workbook.save(path)
    return path


def assert_stray_reported(finished: Finished, tab: str, cell: str) -> None:
    """The run ended well, and one warning named the cell that was not read."""
    assert finished.exit_code == 0, finished.stderr
    (warning,) = [line for line in finished.stderr.splitlines() if line.startswith(WARNING)]
    assert f"tab {quote_tab(tab)}: 1 cell beyond" in warning, warning
    assert f"(the farthest at {cell}) was not read" in warning
    assert "delete it if typed by mistake" in warning


@pytest.mark.parametrize("title", ["2026-Q4", "Notes"])
def test_value_at_the_last_cell_is_reported_and_the_plan_read(tmp_path: Path, title: str) -> None:
    """A value at XFD1048576 (which aborted the process) is named in a warning; the plan reads."""
    path = stray_value(tmp_path, title)
    finished = score(path, "--format", "json")
    assert_stray_reported(finished, title, "XFD1048576")
    assert '"title": "Increase website traffic"' in finished.stdout


def test_sync_keeps_a_value_at_the_last_cell_and_writes_beside_the_data(tmp_path: Path) -> None:
    """lint and sync run on such a workbook; the stray value stays and tool columns follow
    the data, not XFD."""
    path = stray_value(tmp_path, "2026-Q4")
    for words in (["lint"], ["sync", "--dry-run"], ["sync"]):
        finished = run_in_process(words[0], str(path), *words[1:], "--as-of", AS_OF,
                                  timeout=TIMEOUT)  # fmt: skip
        assert_stray_reported(finished, "2026-Q4", "XFD1048576")
    sheet = load_workbook(path)["2026-Q4"]
    assert sheet["XFD1048576"].value == "x"
    assert sheet["M1"].value == "ID"  # right of the header's last column, L


@pytest.mark.parametrize(
    "cell",
    [
        b'<c r="XFD1048576" t="inlineStr"><is><t></t></is></c>',
        b'<c r="XFD1048576" t="s"><v>0</v></c>',
        b'<c r="XFD1048576"><f>1+1</f></c>',
        b'<c r="XFD1048576" t="e"><v>#REF!</v></c>',
    ],
    ids=["empty text", "shared string", "formula without value", "error"],
)
def test_other_cells_at_the_last_cell_are_reported(tmp_path: Path, cell: bytes) -> None:
    """Empty text, a formula or an error at XFD1048576 is reported like a value."""
    path = plan(tmp_path)
    if b't="s"' in cell:
        register_shared_strings(path)
        with zipfile.ZipFile(path, "a") as archive:
            archive.writestr(
                "xl/sharedStrings.xml", b'<sst xmlns="%s"><si><t>x</t></si></sst>' % MAIN_NS
            )
    edited(path, NOTES_SHEET, (b"</sheetData>", b'<row r="1048576">%s</row></sheetData>' % cell))
    assert_stray_reported(score(path), "Notes", "XFD1048576")


def test_cells_placed_by_their_order_are_measured_too(tmp_path: Path) -> None:
    """A cell with no address, placed by its order in row 1,048,576, is found and reported."""
    path = edited(plan(tmp_path), SHEET, (b"</sheetData>", b'<row r="1048576"><c t="inlineStr">'
                  b"<is><t>x</t></is></c></row></sheetData>"))  # fmt: skip
    assert_stray_reported(score(path), "2026-Q4", "A1048576")


def test_tabs_spanning_too_many_cells_together_are_refused(tmp_path: Path) -> None:
    """Five tabs each holding one value at D1048576 (4 million cells each, from A1) are refused
    together with one sentence, before any is read into memory."""
    workbook = Workbook()
    for number in range(5):
        workbook.create_sheet(f"Data {number}")["D1048576"] = "x"
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    finished = score(path, memory=MEMORY)
    assert finished.exit_code == 1
    (line,) = finished.stderr.splitlines()
    assert line.startswith(f"sheets-okr: {path} was not read: its tabs span 20,971,5")
    assert "move large data to a workbook of its own" in line


def test_a_dimension_reaching_the_last_cell_reads_as_usual(tmp_path: Path) -> None:
    """<dimension ref="A1:XFD1048576"/> claims the whole sheet; the cells say otherwise."""
    path = plan(tmp_path)
    with zipfile.ZipFile(path) as archive:
        dimension = re.search(rb"<dimension [^>]*>", archive.read(SHEET))
    assert dimension is not None
    edited(path, SHEET, (dimension.group(0), b'<dimension ref="A1:XFD1048576"/>'))
    finished = score(path)
    assert finished.exit_code == 0
    assert finished.stderr == ""


def test_a_whole_column_of_values_is_read_without_a_warning(tmp_path: Path) -> None:
    """A tab with all 1,048,576 rows filled in one column (52 MB of XML) is read whole."""
    path = plan(tmp_path)
    rows = b"".join(b'<row r="%d"><c r="A%d"><v>%d</v></c></row>' % (r, r, r % 97)
                    for r in range(1, 1_048_577))  # fmt: skip
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    parts[NOTES_SHEET] = re.sub(
        rb"<sheetData>.*</sheetData>", b"<sheetData>" + rows + b"</sheetData>", parts[NOTES_SHEET]
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    finished = score(path)
    assert finished.exit_code == 0
    assert finished.stderr == ""


# -- cells of 32,767 characters --------------------------------------------------------------

EXCEL_CELL_LIMIT = 32_767


def filled(pattern: str) -> str:
    """Excel's longest cell: the pattern repeated to 32,767 characters."""
    return (pattern * (EXCEL_CELL_LIMIT // len(pattern) + 1))[:EXCEL_CELL_LIMIT]


@pytest.fixture(name="long_cells")
def _long_cells(tmp_path: Path) -> Path:
    """The plan with cells of 32,767 characters of the shapes that make patterns backtrack."""
    rows = small_rows()
    rows[1][1] = filled("1")  # a run of digits
    rows[2][1] = filled("Grow visits from 20 to 30 ")  # a phrase pasted over and over
    rows[2][2] = filled(" ")
    rows[2][8] = filled("a1")
    rows[4][1] = filled("from 1")
    rows[4][7] = filled("9")
    rows[5][1] = filled("목표 20에서 ")
    rows[6][1] = filled("1,")
    return write_workbook(tmp_path / "long.xlsx", {"2026-Q4": rows})


@pytest.mark.parametrize(
    "words",
    [["score"], ["lint"], ["report", "-o", "summary.html"], ["sync", "--dry-run"], ["sync"]],
    ids=" ".join,
)
def test_cells_of_32767_characters_finish(long_cells: Path, words: list[str]) -> None:
    """Every command on cells of Excel's longest length finishes well within a minute."""
    args = [str(long_cells.parent / w) if w.endswith(".html") else w for w in words]
    run_in_process(args[0], str(long_cells), *args[1:], "--as-of", AS_OF, timeout=TIMEOUT)
