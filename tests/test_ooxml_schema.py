"""The schema check of package parts (tests/support/ooxml_schema.py) on parts Excel wrote."""

from __future__ import annotations

import re
import zipfile

import pytest

from tests.support.excel_files import EXCEL_FILES, FIXTURES, ExcelFile
from tests.support.ooxml_schema import validation_errors

# A part Excel wrote with merged cells, x14 data bars in its extLst and x14ac attributes
# under mc:Ignorable, and the styles, workbook and package parts beside it.
BUDGET = FIXTURES / "x14_databars_budget.xlsx"
SHEET = "xl/worksheets/sheet1.xml"
CHECKED = re.compile(
    r"\[Content_Types\]\.xml|.*\.rels|xl/(worksheets/[^/]+\.xml|styles\.xml|workbook\.xml)"
)


def budget_part(name: str) -> bytes:
    """One part of BUDGET, as Excel wrote it."""
    with zipfile.ZipFile(BUDGET) as archive:
        return archive.read(name)


def first_xf_font(styles: bytes) -> bytes:
    """styles.xml with the fontId of the first cell format made "x"."""
    xfs = styles.index(b"<cellXfs")
    edited = re.sub(rb'fontId="\d+"', b'fontId="x"', styles[xfs:], count=1)
    return styles[:xfs] + edited


@pytest.mark.parametrize("fixture", EXCEL_FILES, ids=lambda f: f.name)
def test_every_checked_part_excel_wrote_is_valid(fixture: ExcelFile) -> None:
    """Worksheets, styles, workbook, content types and relationships of Excel's files pass."""
    with zipfile.ZipFile(fixture.path) as archive:
        names = [name for name in archive.namelist() if CHECKED.fullmatch(name)]
        errors = [e for name in names for e in validation_errors(name, archive.read(name))]
    assert errors == []
    assert {"[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/styles.xml"} <= set(names)
    assert any(name.startswith("xl/worksheets/") for name in names)


@pytest.mark.parametrize(
    ("part", "edit", "reported"),
    [
        pytest.param(SHEET, (b"</mergeCells>", b'</mergeCells><c r="Z1"/>'),
                     "}c': This element is not expected", id="cell-after-mergeCells"),
        pytest.param(SHEET, (b'<c r="B3" s="13" t="s"', b'<c r="B3" s="13" t="text"'),
                     "The value 'text' is not an element of the set", id="unknown-cell-type"),
        pytest.param(SHEET, (b' mc:Ignorable="x14ac"', b""),
                     "dyDescent' is not allowed", id="x14ac-without-mc-ignorable"),
        pytest.param("xl/styles.xml", None, "fontId", id="xf-fontId-not-a-number"),
        pytest.param("xl/_rels/workbook.xml.rels", (b' Target="styles.xml"', b""),
                     "'Target' is required", id="relationship-without-target"),
        pytest.param("[Content_Types].xml", (b' ContentType="application/xml"', b""),
                     "'ContentType' is required", id="default-without-content-type"),
    ],
)  # fmt: skip
def test_a_broken_part_is_reported(part: str, edit: tuple[bytes, bytes] | None, reported: str):
    """A part that breaks the schema gets an error naming the fault."""
    data = budget_part(part)
    assert validation_errors(part, data) == []
    if edit is None:
        broken = first_xf_font(data)
    else:
        assert edit[0] in data, edit[0]
        broken = data.replace(*edit, 1)
    errors = validation_errors(part, broken)
    assert any(reported in error for error in errors), errors
    assert all(error.startswith(f"{part}:") for error in errors)


def test_alternate_content_is_read_as_its_fallback() -> None:
    """An mc:Choice needing Excel's namespaces is passed over; the Fallback is validated."""
    choice = (
        b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility'
        b'/2006"><mc:Choice xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9'
        b'/main" Requires="x14"><x14:anything/></mc:Choice><mc:Fallback>%s</mc:Fallback>'
        b"</mc:AlternateContent></worksheet>"
    )
    data = budget_part(SHEET)
    assert validation_errors(SHEET, data.replace(b"</worksheet>", choice % b"", 1)) == []
    broken = data.replace(b"</worksheet>", choice % b"<bogus/>", 1)
    assert any("}bogus'" in error for error in validation_errors(SHEET, broken))


def test_not_well_formed_is_reported_and_other_parts_are_not_checked() -> None:
    """Broken XML in a checked part is an error; themes, Strict parts and media give []."""
    assert validation_errors(SHEET, b"<worksheet")[0].startswith(f"{SHEET}: not well-formed")
    assert validation_errors("xl/theme/theme1.xml", budget_part("xl/theme/theme1.xml")) == []
    strict = (
        b'<worksheet xmlns="http://purl.oclc.org/ooxml/spreadsheetml/main"><bogus/></worksheet>'
    )
    assert validation_errors(SHEET, strict) == []
    assert validation_errors("xl/media/image1.jpeg", b"\xff\xd8") == []
