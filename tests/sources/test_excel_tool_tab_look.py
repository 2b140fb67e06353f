"""How the tabs a sync writes to an .xlsx look on screen and on paper: print set-up with the
header on every page, figures in their unit's format, wrapped text in rows tall enough for
it, fonts with names; and rendered to PDF by LibreOffice, tidy pages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from lxml import etree
from openpyxl import load_workbook

from sheets_okr.plan.cell_look import wrapped_lines
from tests.support.commands import run
from tests.support.ooxml_schema import validation_errors
from tests.support.printing import pdf_pages, to_pdf, word_boxes
from tests.support.workbook_parts import parts, rewrite, tab_parts

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
WEEKS = ("2026-11-09", "2026-11-16", "2026-11-23", "2026-11-30")
TOOL_TABS = {"Summary": 5, "History": 1, "Checks": 1}  # each tab's header row
LONG_TITLE = (
    "Raise the share of enterprise demo requests that come from organic search and partner"
    " referrals from 12 to 20 percent"
)


def _synced(folder: Path, *weeks: str) -> Path:
    """`init --example` (with one long KR title), then a sync on each of `weeks`."""
    path = folder / "okrs.xlsx"
    assert run("init", str(path), "--example", "--as-of", weeks[-1]).exit_code == 0
    workbook = load_workbook(path)
    sheet = workbook.worksheets[0]
    row = next(r for r in range(1, sheet.max_row + 1) if sheet.cell(r, 1).value == "Key Result")
    sheet.cell(row, 2).value = LONG_TITLE
    workbook.save(path)
    for week in weeks:
        result = run("sync", str(path), "--as-of", week)
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def synced(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _synced(tmp_path_factory.mktemp("look"), *WEEKS)


def test_tool_tabs_print_landscape_one_page_wide_with_their_header_repeated(synced: Path) -> None:
    """Summary, History and Checks: landscape, fit to one page wide, header row on every page."""
    workbook = load_workbook(synced)
    for title, header_row in TOOL_TABS.items():
        sheet = workbook[title]
        assert sheet.page_setup.orientation == "landscape", title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), title
        fit = sheet.sheet_properties.pageSetUpPr
        assert fit is not None, title
        assert fit.fitToPage, title
        assert sheet.print_title_rows == f"${header_row}:${header_row}", title
        assert sheet.freeze_panes == f"A{header_row + 1}", title


def test_history_figures_take_the_format_of_their_unit(synced: Path) -> None:
    """History's Current shows dollars with a sign and separators, counts with separators."""
    history = load_workbook(synced)["History"]
    formats: dict[str, set[str]] = {}
    for row in range(2, history.max_row + 1):
        cell = history.cell(row, 4)
        if isinstance(cell.value, int | float):
            formats.setdefault(str(history.cell(row, 3).value), set()).add(cell.number_format)
    assert formats["Increase inbound pipeline from $400,000 to $650,000"] == {'"$"#,##0'}
    assert formats["Grow organic sessions from 18,000 to 30,000 per month"] == {"#,##0"}
    assert all(len(shown) == 1 for shown in formats.values())


def test_wrapped_titles_sit_in_rows_tall_enough_for_every_line(synced: Path) -> None:
    """A title longer than its column wraps, its row is 15+ points per wrapped line, and
    the row's other cells sit at its top, beside the first line."""
    workbook = load_workbook(synced)
    checked = 0
    for title, column in (("History", 3), ("Summary", 4), ("Checks", 5)):
        sheet = workbook[title]
        width = sheet.column_dimensions[chr(64 + column)].width
        for row in range(TOOL_TABS[title] + 1, sheet.max_row + 1):
            cell = sheet.cell(row, column)
            if not isinstance(cell.value, str) or not cell.value:
                continue
            assert cell.alignment.wrap_text, (title, cell.coordinate)
            lines = wrapped_lines(cell.value, width)
            if lines > 1:
                assert (sheet.row_dimensions[row].height or 0) >= 15 * lines, cell.coordinate
                # Every cell of a tall row sits at its top, level with the first line.
                tops = {c.alignment.vertical for c in sheet[row] if c.value is not None}
                assert tops == {"top"}, (title, row, tops)
                checked += 1
    history = workbook["History"]
    assert sum(history.cell(r, 3).value == LONG_TITLE for r in range(1, history.max_row + 1)) == 4
    assert checked >= 4


def test_every_font_a_sync_leaves_in_styles_xml_has_a_name(synced: Path) -> None:
    """The bold and title fonts the sync adds name a face, as the workbook's own do."""
    styles = etree.fromstring(parts(synced)["xl/styles.xml"])
    fonts = styles.findall(f".//{MAIN}font")
    assert len(fonts) > 2
    assert all(font.find(f"{MAIN}name") is not None for font in fonts)


def test_a_font_added_for_a_workbook_whose_fonts_have_no_name_is_named(tmp_path: Path) -> None:
    """A workbook whose default font has no name (some programs write one) gets bold fonts
    named Calibri, and its own fonts are left as they are."""
    path = tmp_path / "okrs.xlsx"
    assert run("init", str(path), "--example", "--as-of", WEEKS[-1]).exit_code == 0
    stored = parts(path)
    nameless = re.sub(rb'<name val="[^"]*"/>', b"", stored["xl/styles.xml"])
    rewrite(path, {"xl/styles.xml": nameless})
    assert run("sync", str(path), "--as-of", WEEKS[-1]).exit_code == 0
    styles = etree.fromstring(parts(path)["xl/styles.xml"])
    fonts = styles.findall(f".//{MAIN}font")
    before = etree.fromstring(nameless).findall(f".//{MAIN}font")
    assert [etree.tostring(f) for f in fonts[: len(before)]] == [etree.tostring(f) for f in before]
    added = fonts[len(before) :]
    assert added
    assert all(font.find(f"{MAIN}name").get("val") == "Calibri" for font in added)  # type: ignore[union-attr]


def test_a_tool_tab_without_the_tools_print_set_up_gets_it_and_one_people_fit_stays(
    tmp_path: Path,
) -> None:
    """Summary without print set-up (an older version made it) and History with the default
    portrait set-up LibreOffice writes on saving get landscape one page wide (History's paper
    size kept) and their print titles back; Checks, fit to two pages wide portrait by
    people, keeps that."""
    path = _synced(tmp_path, WEEKS[0])
    stored = parts(path)
    tabs = tab_parts(stored)
    summary = re.sub(rb"<sheetPr>.*?</sheetPr>|<pageSetup [^>]*/>", b"", stored[tabs["Summary"]])
    default = b'footer="0.3"/><pageSetup paperSize="9" orientation="portrait"/>'
    history = re.sub(rb"<sheetPr>.*?</sheetPr>|<pageSetup [^>]*/>", b"", stored[tabs["History"]])
    history = history.replace(b'footer="0.3"/>', default)
    assert history.count(b"<pageSetup ") == 1
    checks = stored[tabs["Checks"]].replace(
        b'orientation="landscape" fitToWidth="1"', b'orientation="portrait" fitToWidth="2"'
    )
    workbook = re.sub(rb"<definedNames>.*</definedNames>", b"", stored["xl/workbook.xml"])
    edits = {tabs["Summary"]: summary, tabs["History"]: history, tabs["Checks"]: checks,
             "xl/workbook.xml": workbook}  # fmt: skip
    rewrite(path, edits)
    assert run("sync", str(path), "--as-of", WEEKS[1]).exit_code == 0
    synced = load_workbook(path)
    for title in ("Summary", "History"):
        sheet = synced[title]
        assert sheet.page_setup.orientation == "landscape", title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, title  # type: ignore[union-attr]
        assert sheet.print_title_rows == f"${TOOL_TABS[title]}:${TOOL_TABS[title]}", title
    assert synced["History"].page_setup.paperSize == 9
    assert synced["Checks"].page_setup.orientation == "portrait"
    assert synced["Checks"].page_setup.fitToWidth == 2
    after = parts(path)
    for name in (tabs["Summary"], tabs["History"], tabs["Checks"], "xl/workbook.xml"):
        assert validation_errors(name, after[name]) == [], name
    assert run("sync", str(path), "--as-of", WEEKS[2]).exit_code == 0
    assert parts(path)["xl/workbook.xml"] == after["xl/workbook.xml"]


def test_every_part_a_sync_writes_is_valid_against_the_ooxml_schema(synced: Path) -> None:
    """Print set-up, print titles, wrapping and number formats keep the package valid."""
    for name, data in parts(synced).items():
        assert validation_errors(name, data) == [], name


@pytest.fixture(scope="module")
def synced_pdf(synced: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return to_pdf(synced, tmp_path_factory.mktemp("pdf"))


def test_each_synced_tab_prints_on_a_bounded_number_of_pages(synced_pdf: Path) -> None:
    """The OKR tab, the guide, Summary and Checks take a page or two each, and History's
    four weeks of 13 key results a few, each History page opening with its header."""
    pages = pdf_pages(synced_pdf)
    history = [p for p in pages if re.search(r"Date\s+ID\s+Title\s+Current", p)]
    summary = [p for p in pages if "OKR summary" in p]
    checks = [p for p in pages if re.search(r"Severity\s+Code\s+Tab\s+Cell\s+Advice", p)]
    assert 2 <= len(history) <= 4
    assert len(summary) == 1
    assert 1 <= len(checks) <= 2
    assert len(pages) <= 12
    for page in history:
        first = next(line for line in page.splitlines() if line.strip())
        assert re.search(r"Date\s+ID\s+Title", first), first
    assert re.search(r"\$\d{1,3}(,\d{3})+\b", "".join(history))  # dollars, with separators


def test_no_two_printed_words_overlap_and_none_runs_off_the_page(synced_pdf: Path) -> None:
    """pdftotext's word boxes: no word is printed over another (wrapped lines have their
    height), and every word lies inside its page."""
    for number, (width, words) in enumerate(word_boxes(synced_pdf), start=1):
        assert all(x_max <= width - 18 for _, _, x_max, _ in words), number
        words.sort(key=lambda box: box[1])
        for index, (x0, y0, x1, y1) in enumerate(words):
            for a0, b0, a1, b1 in words[index + 1 :]:
                if b0 >= y1:
                    break
                across = min(x1, a1) - max(x0, a0)
                down = min(y1, b1) - max(y0, b0)
                # Boxes of one line touch; a line printed over another overlaps by most of
                # a line's height.
                assert across <= 1 or down <= 0.5 * min(y1 - y0, b1 - b0), (number, x0, y0)
