"""How the workbook `init` writes looks on screen and on paper: named fonts, print set-up,
number formats from the unit, guide rows tall enough for their wrapped lines."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from sheets_okr.model.quarters import Quarter
from sheets_okr.plan.cell_look import figure_format, wrapped_lines
from sheets_okr.plan.starter import _GUIDE, HEADER_ROW, LAYOUT, create_workbook
from sheets_okr.plan.starter_look import FONT_NAME
from sheets_okr.read import columns as col
from tests.support.ooxml_schema import validation_errors
from tests.support.printing import pdf_text, to_pdf, word_boxes
from tests.support.workbooks import day

Q4 = Quarter(2026, 4)
MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
# The example workbook prints on 2 pages (the OKR tab on one landscape page, the guide on
# another); before the print set-up it took 7. The bound leaves room for other paper sizes.
MAX_PAGES = 4


@pytest.fixture(scope="module", params=[True, False], ids=["example", "empty"])
def workbook_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("starter") / "okrs.xlsx"
    create_workbook(path, Q4, example=request.param, as_of=day("2026-11-30"))
    return path


@pytest.fixture(scope="module")
def example_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("example") / "okrs.xlsx"
    create_workbook(path, Q4, example=True, as_of=day("2026-11-30"))
    return path


def test_every_font_in_styles_xml_has_a_name(workbook_path: Path) -> None:
    """No <font> is left for the spreadsheet program to fill with its own (serif) default."""
    with zipfile.ZipFile(workbook_path) as package:
        styles = etree.fromstring(package.read("xl/styles.xml"))
    fonts = styles.findall(f".//{MAIN}font")
    assert fonts
    for font in fonts:
        name = font.find(f"{MAIN}name")
        assert name is not None, etree.tostring(font)
        assert name.get("val") == FONT_NAME, etree.tostring(font)


def test_every_written_cell_uses_the_named_font(workbook_path: Path) -> None:
    """openpyxl reads back Calibri, 11 pt unless a title or heading, for every cell."""
    workbook = load_workbook(workbook_path)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.font.name == FONT_NAME, (sheet.title, cell.coordinate)
                assert cell.font.sz == 11 or cell.font.b, (sheet.title, cell.coordinate)
    assert workbook.worksheets[0]["A1"].font.sz == 16


def test_every_tab_prints_landscape_one_page_wide(workbook_path: Path) -> None:
    """Landscape, fit to one page wide and any number tall; the guide its own rows only."""
    workbook = load_workbook(workbook_path)
    assert [s.title for s in workbook.worksheets] == ["OKRs 2026-Q4", "How to use"]
    for sheet in workbook.worksheets:
        assert sheet.page_setup.orientation == "landscape", sheet.title
        assert sheet.page_setup.fitToWidth == 1, sheet.title
        assert sheet.page_setup.fitToHeight == 0, sheet.title
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None, sheet.title
        assert fit.fitToPage is True, sheet.title
    okrs, guide = workbook.worksheets
    # The OKR tab prints its used range, so rows people add later print too.
    assert not okrs.print_area
    assert guide.print_area == f"'How to use'!$A$1:$A${len(_GUIDE)}"


def test_the_okr_tab_repeats_its_header_and_freezes_header_and_title(workbook_path: Path) -> None:
    """Each printed page starts with the header row; the screen keeps it and Title in view."""
    okrs = load_workbook(workbook_path).worksheets[0]
    assert okrs.print_title_rows == f"${HEADER_ROW}:${HEADER_ROW}"
    assert okrs.freeze_panes == f"C{HEADER_ROW + 1}"
    assert okrs.cell(HEADER_ROW, 2).value == "Title"


def test_example_figures_show_thousands_separators_and_currency(example_path: Path) -> None:
    """Start, Target and Current of each example KR take the format of its unit."""
    okrs = load_workbook(example_path).worksheets[0]
    figures = [LAYOUT.index(k) + 1 for k in (col.START, col.TARGET, col.CURRENT)]
    title, unit = LAYOUT.index(col.TITLE) + 1, LAYOUT.index(col.UNIT) + 1
    formats: dict[str, set[str]] = {}
    for row in range(HEADER_ROW + 1, okrs.max_row + 1):
        if okrs.cell(row, 1).value == "Key Result":
            shown = {okrs.cell(row, c).number_format for c in figures}
            formats[str(okrs.cell(row, title).value)] = shown
            expected = '"$"#,##0' if okrs.cell(row, unit).value == "$" else "#,##0"
            assert shown == {expected}, okrs.cell(row, title).value
        else:
            assert {okrs.cell(row, c).number_format for c in figures} == {"General"}
    assert formats["Increase inbound pipeline from $400,000 to $650,000"] == {'"$"#,##0'}
    assert formats["Grow organic sessions from 18,000 to 30,000 per month"] == {"#,##0"}
    assert len(formats) == 13


@pytest.mark.parametrize(
    ("unit", "values", "expected"),
    [
        ("MQLs", [120, 200, 170], "#,##0"),
        ("", [1.5, 3, 2.25], "#,##0.00"),
        (None, [None, 4, 3], "#,##0"),
        ("$", [400000, 650000, 530435], '"$"#,##0'),
        ("USD", [1.5, 2, 1.75], '"$"#,##0.00'),
        ("€", [10, 20, 15], '"€"#,##0'),
        ("£", [10, 20, 15], '"£"#,##0'),
        ("¥", [10, 20, 15], '"¥"#,##0'),
        ("₩", [1_300_000, 2_000_000, 1_500_000], '"₩"#,##0'),
        ("KRW", [1_300_000, 2_000_000, 1_500_000], '"₩"#,##0'),
        ("%", [0.2, 0.3, 0.25], "0%"),
        ("%", [0.02, 0.035, 0.03], "0.0%"),
        ("%", [20, 30, 25], '#,##0"%"'),
        ("명", [8000, 15000, 12109], "#,##0"),
    ],
)
def test_figure_format_follows_the_unit(
    unit: str | None, values: list[float | None], expected: str
) -> None:
    """Thousands separators always; decimals only for fractions; a sign for money and %."""
    assert figure_format(unit, values) == expected


def test_wrapped_lines_counts_lines_from_the_column_width() -> None:
    """About 0.85 characters per unit of width at 11 pt; wide (Korean) characters count 2."""
    assert wrapped_lines("", 110) == 1
    assert wrapped_lines("word " * 18, 110) == 1  # 89 characters
    assert wrapped_lines("word " * 19, 110) == 2  # 94 characters
    assert wrapped_lines("word " * 19, 110, size=13) == 2
    assert wrapped_lines("가나다 " * 30, 110) == 3  # 30 words of 6 (+1): 13 a line
    assert wrapped_lines("x" * 200, 10) == 25  # a long word breaks every 8 characters


def test_guide_rows_are_tall_enough_for_their_wrapped_lines(workbook_path: Path) -> None:
    """Every guide row has a height, 15+ points a line, so no wrapped line prints over another."""
    guide = load_workbook(workbook_path)["How to use"]
    width = guide.column_dimensions["A"].width
    for row, (text, heading) in enumerate(_GUIDE, start=1):
        size = 13 if heading else 11
        height = guide.row_dimensions[row].height
        assert height is not None, row
        assert height >= 15 * wrapped_lines(text, width, size), row
        assert guide.cell(row, 1).alignment.wrap_text


def test_every_part_init_writes_is_valid_against_the_ooxml_schema(workbook_path: Path) -> None:
    """Print set-up, defined names and formats keep the package loadable by Excel."""
    with zipfile.ZipFile(workbook_path) as package:
        for name in package.namelist():
            assert validation_errors(name, package.read(name)) == [], name


@pytest.fixture(scope="module")
def example_pdf(example_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_pdf(example_path, tmp_path_factory.mktemp("pdf"))


def test_the_empty_tracker_prints_on_two_pages_with_rows_people_add(tmp_path: Path) -> None:
    """No print area holds the empty tracker to its first rows: it prints on two pages (the
    OKR tab's header and the guide), and a key result typed below prints as well."""
    path = tmp_path / "okrs.xlsx"
    create_workbook(path, Q4, example=False, as_of=day("2026-11-30"))
    assert len(pdf_text(to_pdf(path, tmp_path)).rstrip("\f").split("\f")) == 2
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    for row, (level, title) in enumerate(
        [("Objective", "Grow the newsletter"), ("Key Result", "Reach 3,500 subscribers")],
        start=HEADER_ROW + 3,
    ):
        sheet.cell(row, 1, level)
        sheet.cell(row, 2, title)
    workbook.save(path)
    assert "Reach 3,500 subscribers" in pdf_text(to_pdf(path, tmp_path / "again"))


def test_the_example_workbook_prints_on_a_few_pages(example_pdf: Path) -> None:
    """Each tab prints one page wide: the whole example is a couple of pages, not 7 or 15,
    and the first page holds the whole header row, Type to Health."""
    pages = pdf_text(example_pdf).rstrip("\f").split("\f")
    assert 2 <= len(pages) <= MAX_PAGES
    header = [line for line in pages[0].splitlines() if line.lstrip().startswith("Type")]
    assert header
    assert re.search(r"Title.*Start.*Target.*Current.*Health", header[0])


def test_the_guide_prints_every_paragraph_on_lines_of_its_own(example_pdf: Path) -> None:
    """Each guide paragraph starts a line and its words follow in order: no wrapped line of
    one row is printed over the next row."""
    text = pdf_text(example_pdf)
    guide = text[text.index("How this tracker works") :]
    lines = [" ".join(line.split()) for line in guide.splitlines()]
    flowing = " ".join(line for line in lines if line)
    for paragraph, _ in _GUIDE:
        if not paragraph:
            continue
        words = " ".join(paragraph.split())
        opening = " ".join(words.split()[:4])
        assert any(line.startswith(opening) for line in lines), paragraph
        assert words in flowing, paragraph


def test_no_printed_word_runs_off_the_page(example_pdf: Path) -> None:
    """Every word lies inside the page, clear of its right edge by most of the margin: the
    guide's wrapped text is not cut off, nor the OKR tab's last column."""
    pages = word_boxes(example_pdf)
    assert pages
    for number, (width, words) in enumerate(pages):
        right = max(x_max for _, _, x_max, _ in words)
        assert right <= width - 18, (number + 1, right, width)
