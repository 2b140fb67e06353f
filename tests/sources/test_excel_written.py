"""Syncing workbooks Excel itself wrote: every part people made comes through byte for byte.

Each fixture (tests/fixtures/excel_written, sources in SOURCES.md) gets an OKR tab, built
without the code under test, and is synced twice, a week apart. Only the OKR tab's part,
styles.xml and the three parts that register the tool's tabs may differ afterwards; the
people's cells of the OKR tab keep value, formula and style; the tool's cells hold the
scores; openpyxl, python-calamine and LibreOffice read the result.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
import warnings
import zipfile
from pathlib import Path

import pytest
import python_calamine
from lxml import etree
from openpyxl import load_workbook

from sheets_okr.sources.excel.cells import sheet_paths
from tests.support.commands import run
from tests.support.excel_files import EXCEL_FILES, FIXTURES, ExcelFile, add_okr_tab
from tests.support.ooxml_schema import validation_errors
from tests.support.workbook_parts import parts

OKR_ROWS: list[list[str | float | int | None]] = [
    ["Objective", "Key Result", "Owner", "Start", "Target", "Current"],
    ["Grow signups", "Weekly signups", "Mina", 100, 200, 150],
    ["Grow signups", "Trial to paid %", "Mina", 2, 5, 3],
    ["Grow signups", "Referral share", "Jun", 0, 40, 10],
    ["Launch in Korea", "Korean landing pages live", "지현", 0, 12, 12],
    ["Launch in Korea", "Partner webinars held", "지현", 0, 6, 0],
]
PEOPLES_COLUMNS = 6  # A:F above; the tool writes from G on
# The parts a sync may change: the OKR tab's, the styles, and the registration of new tabs.
REGISTRATION = {"xl/styles.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                "[Content_Types].xml"}  # fmt: skip
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
SYNCS = ("2026-11-23", "2026-11-30")
# A fixture with a tab of the people's own named like one of the tool's (a 28-tab actuarial
# model with a "Checks" tab): sync refuses it, naming the tab, and changes nothing.
HOLDS_A_TOOL_TAB_NAME = "pivot_tables_2013.xlsx"
SYNCED = [f for f in EXCEL_FILES if f.name != HOLDS_A_TOOL_TAB_NAME]


def okr_part(path: Path) -> str:
    """The part that holds the OKRs tab."""
    with zipfile.ZipFile(path) as archive:
        return sheet_paths(archive)["OKRs"]


def peoples_cells(xml: bytes) -> dict[str, bytes]:
    """Each cell of columns A:F of a sheet, as its XML (value, formula and style)."""
    cells: dict[str, bytes] = {}
    for cell in etree.fromstring(xml).iter(f"{MAIN}c"):
        reference = cell.get("r", "")
        if ord(reference[0]) - ord("A") < PEOPLES_COLUMNS and reference[1].isdigit():
            cells[reference] = etree.tostring(cell)
    return cells


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """Each fixture with an OKR tab (before) and after two syncs, by fixture name."""
    folder = tmp_path_factory.mktemp("excel_written")
    done: dict[str, tuple[Path, Path]] = {}
    for fixture in SYNCED:
        before = folder / f"before-{fixture.name}"
        add_okr_tab(fixture.path, before, OKR_ROWS)
        after = folder / fixture.name
        shutil.copyfile(before, after)
        for as_of in SYNCS:
            result = run("sync", str(after), "--as-of", as_of, "--backups", "0")
            assert result.exit_code == 0, (fixture.name, result.output)
            assert "Traceback" not in result.output
        done[fixture.name] = (before, after)
    return done


@pytest.mark.parametrize("fixture", SYNCED, ids=lambda f: f.name)
def test_every_part_people_made_is_kept_byte_for_byte(
    synced: dict[str, tuple[Path, Path]], fixture: ExcelFile
) -> None:
    """No part is lost, and only the OKR tab, styles and tab registration differ."""
    before, after = synced[fixture.name]
    old, new = parts(before), parts(after)
    assert set(old) <= set(new)
    changed = {name for name in old if old[name] != new[name]}
    assert changed <= REGISTRATION | {okr_part(before)}, changed
    added = set(new) - set(old)
    assert len(added) == 3  # Summary, History and Checks
    assert all(re.fullmatch(r"xl/worksheets/sheet\d+\.xml", name) for name in added)


@pytest.mark.parametrize("fixture", SYNCED, ids=lambda f: f.name)
def test_styles_and_workbook_only_grow(
    synced: dict[str, tuple[Path, Path]], fixture: ExcelFile
) -> None:
    """Existing styles keep their index and content; workbook.xml only gains the new tabs
    and their print titles."""
    before, after = synced[fixture.name]
    old, new = parts(before), parts(after)
    old_styles = etree.fromstring(old["xl/styles.xml"])
    new_styles = etree.fromstring(new["xl/styles.xml"])
    for listing in ("cellXfs", "fonts", "fills", "numFmts"):
        was, now = old_styles.find(f"{MAIN}{listing}"), new_styles.find(f"{MAIN}{listing}")
        if was is None:
            continue
        assert now is not None
        assert [etree.tostring(e) for e in was] == [etree.tostring(e) for e in now][: len(was)]
        assert int(now.get("count", "0")) == len(now)
    old_sheets = [
        s.get("name") for s in etree.fromstring(old["xl/workbook.xml"]).iter(f"{MAIN}sheet")
    ]
    new_sheets = [
        s.get("name") for s in etree.fromstring(new["xl/workbook.xml"]).iter(f"{MAIN}sheet")
    ]
    assert new_sheets == [*old_sheets, "Summary", "History", "Checks"]
    # People's defined names are kept as they were; the sync adds the print titles of its tabs.
    was_names = [etree.tostring(n) for n in etree.fromstring(old["xl/workbook.xml"]).iter(
        f"{MAIN}definedName")]  # fmt: skip
    now_names = list(etree.fromstring(new["xl/workbook.xml"]).iter(f"{MAIN}definedName"))
    assert [etree.tostring(n) for n in now_names][: len(was_names)] == was_names
    added = [(n.get("name"), n.get("localSheetId"), n.text) for n in now_names[len(was_names) :]]
    first = len(old_sheets)
    assert added == [
        ("_xlnm.Print_Titles", str(first), "'Summary'!$5:$5"),
        ("_xlnm.Print_Titles", str(first + 1), "'History'!$1:$1"),
        ("_xlnm.Print_Titles", str(first + 2), "'Checks'!$1:$1"),
    ]


@pytest.mark.parametrize("fixture", SYNCED, ids=lambda f: f.name)
def test_peoples_okr_cells_keep_value_formula_and_style(
    synced: dict[str, tuple[Path, Path]], fixture: ExcelFile
) -> None:
    """Columns A:F of the OKR tab are the same elements after two syncs."""
    before, after = synced[fixture.name]
    assert peoples_cells(parts(after)[okr_part(after)]) == peoples_cells(
        parts(before)[okr_part(before)]
    )


@pytest.mark.parametrize("fixture", SYNCED, ids=lambda f: f.name)
def test_the_tool_cells_hold_the_scores_for_both_readers(
    synced: dict[str, tuple[Path, Path]], fixture: ExcelFile
) -> None:
    """python-calamine and openpyxl read the tool's columns, and the History of both weeks."""
    _, after = synced[fixture.name]
    book = python_calamine.CalamineWorkbook.from_path(str(after))
    rows = book.get_sheet_by_name("OKRs").to_python()
    header = [str(v) for v in rows[0]]
    progress = header.index("Progress")
    assert [row[progress] for row in rows[1:]] == pytest.approx([0.5, 1 / 3, 0.25, 1.0, 0.0])
    history = book.get_sheet_by_name("History").to_python()
    dates = {str(row[0])[:10] for row in history[1:] if row[0]}
    assert dates == set(SYNCS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # openpyxl warns about the parts it does not model
        workbook = load_workbook(after)
    okrs = workbook["OKRs"]
    assert okrs.cell(1, progress + 1).value == "Progress"
    assert okrs.cell(2, progress + 1).number_format == "0%"
    assert okrs.cell(2, 1).value == "Grow signups"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="needs LibreOffice (soffice)")
def test_libreoffice_opens_every_synced_workbook_with_the_values_in_place(
    synced: dict[str, tuple[Path, Path]], tmp_path: Path
) -> None:
    """LibreOffice, headless, converts each synced workbook's tabs and finds the scores."""
    files = [after for _, after in synced.values()]
    profile = tmp_path / "profile"
    subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to",
         "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
         "--outdir", str(tmp_path), *map(str, files)],
        check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    for path in files:
        okrs = tmp_path / f"{path.stem}-OKRs.csv"
        assert okrs.exists(), (path.name, sorted(p.name for p in tmp_path.iterdir()))
        with okrs.open(encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        assert rows[0][:6] == OKR_ROWS[0]
        header = rows[0]
        assert rows[1][header.index("Progress")] == "50%", path.name
        summary = tmp_path / f"{path.stem}-Summary.csv"
        assert summary.exists()
        assert "Grow signups" in summary.read_text("utf-8")


def test_a_workbook_with_a_tab_named_like_the_tools_is_refused_untouched(tmp_path: Path) -> None:
    """A people's "Checks" tab: exit 1 naming it, every byte of the workbook as it was."""
    path = tmp_path / HOLDS_A_TOOL_TAB_NAME
    add_okr_tab(FIXTURES / HOLDS_A_TOOL_TAB_NAME, path, OKR_ROWS)
    before = path.read_bytes()
    result = run("sync", str(path), "--as-of", SYNCS[0])
    assert result.exit_code == 1
    assert "already has a tab named Checks that sheets-okr did not make" in result.stderr
    assert path.read_bytes() == before


@pytest.mark.parametrize("fixture", SYNCED, ids=lambda f: f.name)
def test_every_part_sync_writes_is_valid_against_the_ooxml_schema(
    synced: dict[str, tuple[Path, Path]], fixture: ExcelFile
) -> None:
    """The OKR tab, the tool's tabs, styles, workbook, relationships and content types that
    sync wrote validate against ECMA-376 Transitional (as Excel would load them)."""
    before, after = synced[fixture.name]
    old, new = parts(before), parts(after)
    written = {name for name in new if old.get(name) != new[name]}
    assert written  # the OKR tab at least
    for name in sorted(written):
        assert validation_errors(name, new[name]) == [], name
