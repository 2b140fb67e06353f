"""The Excel backend: reading real .xlsx files into grids, and refusing what is not one."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from sheets_okr.errors import SourceUnreadable, UsageError
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from sheets_okr.sources.grid import (
    CellError,
    CellRange,
    MissingFormulaValue,
    SheetGrid,
    WorkbookGrid,
)
from tests.support.workbook_parts import SHEET, edited
from tests.support.workbooks import write_workbook


def cell(grid: SheetGrid, address: str) -> object:
    """The value at an A1 address of a grid (None beyond its rows or columns)."""
    column = ord(address[0]) - ord("A")
    row = int(address[1:]) - 1
    if row >= len(grid.rows) or column >= len(grid.rows[row]):
        return None
    return grid.rows[row][column]


@pytest.fixture(name="workbook_path")
def _workbook_path(tmp_path: Path) -> Path:
    """A workbook with typed, formatted, merged, error and formula cells and a hidden tab."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Q4 2026"
    sheet["A1"] = "Title"
    sheet["B1"] = 42
    sheet["C1"] = 12.5
    sheet["D1"] = True
    sheet["A2"] = dt.date(2026, 10, 15)
    sheet["A2"].number_format = "yyyy-mm-dd"
    sheet["B2"] = dt.datetime(2026, 10, 15, 13, 30)
    sheet["C2"] = 0.25
    sheet["C2"].number_format = "0%"
    sheet["D2"] = 0.125
    sheet["D2"].number_format = "0.0%"
    sheet["A3"] = "Content"
    sheet.merge_cells("A3:A5")
    sheet["B3"] = "#N/A"
    sheet["B3"].data_type = "e"
    sheet["C3"] = "=B1*2"
    sheet["A7"] = "last"
    notes = workbook.create_sheet("Notes")
    notes["A1"] = "hidden notes"
    notes.sheet_state = "hidden"
    workbook.create_sheet("Visible")
    path = tmp_path / "tracker.xlsx"
    workbook.save(path)
    return path


@pytest.fixture(name="grid")
def _grid(workbook_path: Path) -> WorkbookGrid:
    """The grid read from the workbook fixture."""
    return ExcelWorkbook(workbook_path).read()


def test_read_gives_every_tab_in_order(grid: WorkbookGrid, workbook_path: Path) -> None:
    """Every worksheet comes back in workbook order, with the path as the source."""
    assert [sheet.title for sheet in grid.sheets] == ["Q4 2026", "Notes", "Visible"]
    assert grid.source == str(workbook_path)


def test_read_gives_plain_values(grid: WorkbookGrid) -> None:
    """Text, numbers and booleans come back as Python values."""
    sheet = grid.sheets[0]
    assert cell(sheet, "A1") == "Title"
    assert cell(sheet, "B1") == 42
    assert cell(sheet, "C1") == 12.5
    assert cell(sheet, "D1") is True


def test_read_gives_dates_as_dates(grid: WorkbookGrid) -> None:
    """Date-formatted cells come back as dates and datetimes, not serial numbers."""
    sheet = grid.sheets[0]
    assert cell(sheet, "A2") == dt.date(2026, 10, 15)
    assert cell(sheet, "B2") == dt.datetime(2026, 10, 15, 13, 30)


def test_read_gives_percentages_as_fractions(grid: WorkbookGrid) -> None:
    """A cell showing 25% holds 0.25."""
    sheet = grid.sheets[0]
    assert cell(sheet, "C2") == pytest.approx(0.25)
    assert cell(sheet, "D2") == pytest.approx(0.125)


def test_read_reports_merged_ranges(grid: WorkbookGrid) -> None:
    """Merged ranges are reported 0-based and inclusive; the value sits in the first cell."""
    sheet = grid.sheets[0]
    assert sheet.merged == (CellRange(2, 0, 4, 0),)
    assert cell(sheet, "A3") == "Content"
    assert cell(sheet, "A4") in ("", None)


def test_read_marks_error_cells(grid: WorkbookGrid) -> None:
    """An error cell becomes a CellError, never a blank."""
    assert cell(grid.sheets[0], "B3") == CellError("#N/A")


def test_read_marks_formulas_without_a_value(grid: WorkbookGrid) -> None:
    """A formula saved without a value becomes a MissingFormulaValue carrying the formula."""
    assert cell(grid.sheets[0], "C3") == MissingFormulaValue("=B1*2")


def test_read_notes_where_formulas_are(grid: WorkbookGrid) -> None:
    """Every formula cell's 0-based position is in its tab's `formulas`; other tabs have none."""
    assert grid.sheets[0].formulas == frozenset({(2, 2)})
    assert grid.sheets[1].formulas == grid.sheets[2].formulas == frozenset()


def test_read_notes_shared_formulas_and_formulas_with_values(tmp_path: Path) -> None:
    """Shared formulas (every cell) and formulas saved with values are noted; values kept."""
    path = write_workbook(tmp_path / "shared.xlsx", {"Plan": [["Score", "Calc"], [1], [2], [3]]})
    cells = (
        (b'<c r="A2" t="n"><v>1</v></c>',
         b'<c r="A2"><f t="shared" ref="A2:A4" si="0">ROW()-1</f><v>1</v></c>'),
        (b'<c r="A3" t="n"><v>2</v></c>', b'<c r="A3"><f t="shared" si="0"/><v>2</v></c>'),
        (b'<c r="A4" t="n"><v>3</v></c>',
         b'<c r="A4"><f t="shared" si="0" /><v>3</v></c><c r="B4"><f>A4*2</f><v>6</v></c>'),
    )  # fmt: skip
    for edit in cells:
        edited(path, SHEET, edit)
    sheet = ExcelWorkbook(path).read().sheets[0]
    assert sheet.formulas == frozenset({(1, 0), (2, 0), (3, 0), (3, 1)})
    assert [row[0] for row in sheet.rows[1:]] == [1, 2, 3]
    assert sheet.rows[3][1] == 6


def test_read_keeps_rows_from_a1(grid: WorkbookGrid) -> None:
    """Rows start at A1, blank rows included, so indexes are real cell positions."""
    sheet = grid.sheets[0]
    assert len(sheet.rows) >= 7
    assert cell(sheet, "A6") in ("", None)
    assert cell(sheet, "A7") == "last"


def test_read_flags_hidden_tabs(grid: WorkbookGrid) -> None:
    """A hidden tab is read and flagged hidden; visible ones are not."""
    assert [sheet.hidden for sheet in grid.sheets] == [False, True, False]
    assert cell(grid.sheets[1], "A1") == "hidden notes"


def test_read_of_leading_blank_rows_and_columns(tmp_path: Path) -> None:
    """Data starting at C3 keeps its position: blank leading rows and columns are kept."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["C3"] = "x"
    path = tmp_path / "offset.xlsx"
    workbook.save(path)
    (grid_sheet,) = ExcelWorkbook(path).read().sheets
    assert cell(grid_sheet, "C3") == "x"


def test_read_does_not_change_the_file(workbook_path: Path) -> None:
    """Reading leaves the file's bytes and modification time as they were."""
    before = hashlib.sha256(workbook_path.read_bytes()).hexdigest()
    mtime = workbook_path.stat().st_mtime_ns
    ExcelWorkbook(workbook_path).read()
    ExcelWorkbook(workbook_path).read()
    assert hashlib.sha256(workbook_path.read_bytes()).hexdigest() == before
    assert workbook_path.stat().st_mtime_ns == mtime


def test_name_is_the_path(workbook_path: Path) -> None:
    """The backend names itself by its path."""
    assert ExcelWorkbook(workbook_path).name == str(workbook_path)


def test_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    """A path that does not exist is the user's to fix."""
    with pytest.raises(UsageError, match="no such file"):
        ExcelWorkbook(tmp_path / "missing.xlsx").read()


def test_directory_is_a_usage_error(tmp_path: Path) -> None:
    """A directory is not a workbook file."""
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    with pytest.raises(UsageError):
        ExcelWorkbook(folder).read()


def test_csv_path_is_a_usage_error(tmp_path: Path) -> None:
    """A .csv file is refused as not an Excel workbook."""
    path = tmp_path / "tracker.csv"
    path.write_text("Type,Title\nObjective,Grow\n")
    with pytest.raises(UsageError, match=r"not an Excel workbook"):
        ExcelWorkbook(path).read()


def test_xlsx_saved_under_another_suffix_is_refused(tmp_path: Path) -> None:
    """Even a real workbook is refused under a suffix that is not Excel's."""
    path = write_workbook(tmp_path / "tracker.xlsx", {"OKRs": [["Type", "Title"]]})
    renamed = path.rename(tmp_path / "tracker.csv")
    with pytest.raises(UsageError):
        ExcelWorkbook(renamed).read()


def test_upper_case_suffix_is_accepted(tmp_path: Path) -> None:
    """The suffix is matched without regard to case."""
    path = write_workbook(tmp_path / "TRACKER.XLSX", {"OKRs": [["Type", "Title"]]})
    assert [s.title for s in ExcelWorkbook(path).read().sheets] == ["OKRs"]


@pytest.mark.parametrize("size", [0, 1, 100, 5000])
def test_random_bytes_are_source_unreadable(tmp_path: Path, size: int) -> None:
    """Random bytes named .xlsx raise SourceUnreadable, never another exception."""
    path = tmp_path / "random.xlsx"
    path.write_bytes(os.urandom(size))
    with pytest.raises(SourceUnreadable, match="cannot be read as a workbook"):
        ExcelWorkbook(path).read()


def test_text_file_named_xlsx_is_source_unreadable(tmp_path: Path) -> None:
    """A CSV saved with an .xlsx name is unreadable, not a crash."""
    path = tmp_path / "tracker.xlsx"
    path.write_text("Type,Title\nObjective,Grow\n")
    with pytest.raises(SourceUnreadable):
        ExcelWorkbook(path).read()


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.9, 0.99])
def test_truncated_workbook_is_source_unreadable(
    tmp_path: Path, workbook_path: Path, fraction: float
) -> None:
    """A real workbook cut short (an interrupted copy) raises SourceUnreadable."""
    data = workbook_path.read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: int(len(data) * fraction)])
    with pytest.raises(SourceUnreadable):
        ExcelWorkbook(path).read()


def test_zip_without_workbook_parts_is_source_unreadable(tmp_path: Path) -> None:
    """A valid zip that is not a workbook raises SourceUnreadable."""
    path = tmp_path / "not-a-workbook.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "hello")
    with pytest.raises(SourceUnreadable):
        ExcelWorkbook(path).read()
