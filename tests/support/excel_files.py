"""Workbooks that Microsoft Excel itself saved, and a way to add an OKR tab to any of them.

The files in `FIXTURES` come from public test corpora (see SOURCES.md beside them). They
hold the parts that Excel 2013..365 writes and that other libraries rarely do: threaded
comments, dynamic arrays, pictures in cells, slicers, timelines, Power Query, chartEx
charts, form controls, cell checkboxes and so on.

`add_okr_tab` builds a test input from one of them without going through the code under
test (it imports nothing from `sheets_okr`): every part is copied unchanged, and only the
three parts that register a worksheet are edited, by splicing text into them.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree
from xml.sax.saxutils import escape, unescape

FIXTURES: Path = Path(__file__).resolve().parent.parent / "fixtures" / "excel_written"

Cell = str | float | int | None


@dataclass(frozen=True)
class ExcelFile:
    """One fixture file and short tags for the Excel features its parts hold."""

    name: str
    features: tuple[str, ...]

    @property
    def path(self) -> Path:
        return FIXTURES / self.name


EXCEL_FILES: tuple[ExcelFile, ...] = (
    ExcelFile("threaded_comments.xlsx", ("threaded-comments", "legacy-comments", "vml")),
    ExcelFile("dynamic_array_sort_filter_unique.xlsx", ("dynamic-arrays", "calc-chain")),
    ExcelFile(
        "dynamic_array_sequence_filter.xlsx", ("dynamic-arrays", "array-formulas", "calc-chain")
    ),
    ExcelFile("pictures_in_cells.xlsx", ("pictures-in-cells",)),
    ExcelFile("pictures_in_and_over_cells.xlsx", ("pictures-in-cells", "pictures")),
    ExcelFile("pivot_slicer.xlsx", ("pivot", "slicer", "defined-names")),
    ExcelFile("pivot_timeline.xlsx", ("pivot", "timeline", "defined-names")),
    ExcelFile("table_slicer_chart.xlsx", ("table", "slicer", "chart", "defined-names")),
    ExcelFile("power_query.xlsx", ("power-query", "custom-xml", "table", "defined-names")),
    ExcelFile("chartex_charts.xlsx", ("chartex", "defined-names")),
    ExcelFile("form_controls.xlsx", ("form-controls", "shapes", "vml")),
    ExcelFile(
        "form_controls_macro.xlsm",
        ("macros", "form-controls", "shapes", "textboxes", "pictures", "vml", "defined-names"),
    ),
    ExcelFile(
        "x14_databars_budget.xlsx",
        (
            "x14-conditional-formats",
            "conditional-formats",
            "table",
            "chart",
            "shapes",
            "custom-xml",
            "merged-cells",
            "defined-names",
            "calc-chain",
        ),
    ),
    ExcelFile("sparklines.xlsx", ("sparklines",)),
    ExcelFile("cell_checkboxes.xlsx", ("checkboxes",)),
    ExcelFile("date1904.xlsx", ("1904-dates",)),
    ExcelFile(
        "pivot_chartsheet_mixed.xlsx",
        (
            "pivot",
            "table",
            "chart",
            "chartsheet",
            "legacy-comments",
            "vml",
            "x14-conditional-formats",
            "conditional-formats",
            "shared-formulas",
            "rich-text",
            "merged-cells",
            "hidden-sheets",
            "defined-names",
            "calc-chain",
        ),
    ),
    ExcelFile(
        "pivot_tables_2013.xlsx",
        (
            "pivot",
            "table",
            "legacy-comments",
            "vml",
            "conditional-formats",
            "data-validation",
            "shared-formulas",
            "array-formulas",
            "merged-cells",
            "defined-names",
            "local-defined-names",
            "calc-chain",
        ),
    ),
    ExcelFile("shapes_textboxes.xlsx", ("shapes", "textboxes", "smartart")),
    ExcelFile(
        "data_model_cube.xlsx",
        (
            "data-model",
            "cube-functions",
            "connections",
            "shared-formulas",
            "defined-names",
            "calc-chain",
        ),
    ),
)

CONTENT_TYPES = "[Content_Types].xml"
WORKSHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

# Transitional names first, ISO Strict ones second.
MAIN_NS = (
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/spreadsheetml/main",
)
RELATIONSHIPS_NS = (
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "http://purl.oclc.org/ooxml/officeDocument/relationships",
)
OFFICE_DOCUMENT = tuple(ns + "/officeDocument" for ns in RELATIONSHIPS_NS)
WORKSHEET_RELATIONSHIP = tuple(ns + "/worksheet" for ns in RELATIONSHIPS_NS)

SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Characters XML 1.0 cannot carry; OOXML writes them as _xHHHH_.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
OOXML_ESCAPE_LOOKALIKE = re.compile("_(x[0-9A-Fa-f]{4}_)")
MAX_CELL_TEXT = 32767
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def add_okr_tab(
    source: Path,
    target: Path,
    rows: Sequence[Sequence[str | float | int | None]],
    *,
    title: str = "OKRs",
) -> None:
    """Copy an Excel-written workbook, adding one worksheet `title` holding `rows` (row 1 first).

    Every part of `source` is copied with the same bytes, the same compression type and in
    the same order, except `[Content_Types].xml`, the workbook part and the workbook's
    relationships, into which the new sheet is spliced as text. The new worksheet is
    appended as the last part and the last tab, so `localSheetId`s stay right.
    """
    with zipfile.ZipFile(source) as archive:
        infos = archive.infolist()
        parts = {info.filename: archive.read(info) for info in infos}

    workbook_part = _workbook_part(parts)
    workbook_dir = PurePosixPath(workbook_part).parent
    rels_part = str(workbook_dir / "_rels" / (PurePosixPath(workbook_part).name + ".rels"))
    for needed in (CONTENT_TYPES, rels_part):
        if needed not in parts:
            raise ValueError(f"{source}: no {needed}")

    workbook = _text(parts, workbook_part)
    rels = _text(parts, rels_part)
    content_types = _text(parts, CONTENT_TYPES)
    strict = MAIN_NS[1] in workbook

    sheet_number = _unused_sheet_number(parts, rels, content_types, workbook_dir)
    sheet_target = f"worksheets/sheet{sheet_number}.xml"
    sheet_part = str(workbook_dir / sheet_target)
    rel_id = _unused_relationship_id(rels)

    edited = {
        CONTENT_TYPES: _add_override(content_types, "/" + sheet_part),
        rels_part: _add_relationship(rels, rel_id, WORKSHEET_RELATIONSHIP[strict], sheet_target),
        workbook_part: _add_sheet(workbook, title, rel_id, strict),
    }
    sheet_xml = _worksheet_xml(rows, MAIN_NS[strict])

    with zipfile.ZipFile(target, "w") as out:
        for info in infos:
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = info.compress_type
            copy.external_attr = info.external_attr
            copy.create_system = info.create_system
            copy.comment = info.comment
            data = (
                edited[info.filename].encode("utf-8")
                if info.filename in edited
                else parts[info.filename]
            )
            out.writestr(copy, data)
        new = zipfile.ZipInfo(sheet_part, infos[-1].date_time if infos else (1980, 1, 1, 0, 0, 0))
        new.compress_type = zipfile.ZIP_DEFLATED
        out.writestr(new, sheet_xml.encode("utf-8"))


def column_letters(index: int) -> str:
    """`1` -> `A`, `27` -> `AA`."""
    if not 1 <= index <= MAX_COLUMNS:
        raise ValueError(f"column {index} is outside 1..{MAX_COLUMNS}")
    letters = ""
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _text(parts: dict[str, bytes], name: str) -> str:
    data = parts[name]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ValueError(f"{name} is UTF-16; only UTF-8 parts can be spliced")
    return data.decode("utf-8")


def _workbook_part(parts: dict[str, bytes]) -> str:
    """The package's main part, as `_rels/.rels` names it."""
    rels = parts.get("_rels/.rels")
    if rels is not None:
        for relationship in ElementTree.fromstring(rels).iter(f"{{{PACKAGE_RELS}}}Relationship"):
            if relationship.get("Type") in OFFICE_DOCUMENT:
                target = relationship.get("Target", "").lstrip("/")
                if target in parts:
                    return target
    if "xl/workbook.xml" in parts:
        return "xl/workbook.xml"
    raise ValueError("no workbook part in the package")


def _unused_sheet_number(
    parts: dict[str, bytes], rels: str, content_types: str, workbook_dir: PurePosixPath
) -> int:
    """One more than the highest N of any `worksheets/sheetN.xml` the package knows of."""
    names = [*parts, *re.findall(r'PartName="([^"]*)"', content_types)]
    names += [str(workbook_dir / t) for t in re.findall(r'Target="([^"]*)"', rels)]
    pattern = re.compile(r"worksheets/sheet(\d+)\.xml$", re.IGNORECASE)
    taken = {int(found.group(1)) for name in names if (found := pattern.search(name))}
    return max(taken, default=0) + 1


def _unused_relationship_id(rels: str) -> str:
    ids = set(re.findall(r'\bId="([^"]*)"', rels))
    number = max((int(n) for n in re.findall(r'\bId="rId(\d+)"', rels)), default=0) + 1
    while f"rId{number}" in ids:
        number += 1
    return f"rId{number}"


def _qualified_name(xml: str, element: str) -> str:
    """`element` with the prefix its first start tag in `xml` uses (`sheets`, `x:sheets`)."""
    found = re.search(rf"<((?:[\w.-]+:)?{element})[\s>/]", xml)
    if found is None:
        raise ValueError(f"no <{element}> element")
    return found.group(1)


def _append_child(xml: str, element: str, child: str) -> str:
    """Put `child` just before the end of the first `element`, keeping all else as it is."""
    name = _qualified_name(xml, element)
    start = re.search(rf"<{re.escape(name)}(\s[^>]*)?(/?)>", xml)
    if start is None:
        raise ValueError(f"no <{name}> start tag")
    if start.group(2):  # <sheets/>: open it up
        attributes = start.group(1) or ""
        opened = f"<{name}{attributes}>{child}</{name}>"
        return xml[: start.start()] + opened + xml[start.end() :]
    end = re.compile(rf"</{re.escape(name)}\s*>").search(xml, start.end())
    if end is None:
        raise ValueError(f"<{name}> is never closed")
    return xml[: end.start()] + child + xml[end.start() :]


def _add_override(content_types: str, part_name: str) -> str:
    prefix = _qualified_name(content_types, "Types")[: -len("Types")]
    override = (
        f'<{prefix}Override PartName="{escape(part_name)}" ContentType="{WORKSHEET_CONTENT_TYPE}"/>'
    )
    return _append_child(content_types, "Types", override)


def _add_relationship(rels: str, rel_id: str, rel_type: str, target: str) -> str:
    prefix = _qualified_name(rels, "Relationships")[: -len("Relationships")]
    relationship = (
        f'<{prefix}Relationship Id="{rel_id}" Type="{rel_type}" Target="{escape(target)}"/>'
    )
    return _append_child(rels, "Relationships", relationship)


def _check_title(title: str, existing: list[str]) -> None:
    if not title or len(title) > 31:
        raise ValueError(f"sheet name {title!r} must be 1..31 characters")
    if SHEET_NAME_FORBIDDEN.search(title) or title.startswith("'") or title.endswith("'"):
        raise ValueError(f"sheet name {title!r} holds a character Excel forbids")
    if XML_ILLEGAL.search(title):
        raise ValueError(f"sheet name {title!r} holds a control character")
    if title.casefold() in {name.casefold() for name in existing}:
        raise ValueError(f"the workbook already has a sheet named {title!r}")


def _add_sheet(workbook: str, title: str, rel_id: str, strict: bool) -> str:
    prefix = _qualified_name(workbook, "sheets")[: -len("sheets")]
    sheet_tags = re.findall(rf"<{re.escape(prefix)}sheet\s[^>]*>", workbook)
    names = [
        unescape(m, {"&quot;": '"', "&apos;": "'"})
        for tag in sheet_tags
        for m in re.findall(r'\sname="([^"]*)"', tag)
    ]
    _check_title(title, names)
    sheet_ids = [int(i) for tag in sheet_tags for i in re.findall(r'\ssheetId="(\d+)"', tag)]
    namespace = RELATIONSHIPS_NS[strict]
    root = re.search(r"<(?:[\w.-]+:)?workbook\s[^>]*>", workbook)
    bound = re.search(rf'\sxmlns:([\w.-]+)="{re.escape(namespace)}"', root.group(0) if root else "")
    r = bound.group(1) if bound else "r"
    declaration = "" if bound else f' xmlns:r="{namespace}"'
    quoted = escape(title, {'"': "&quot;"})
    sheet = (
        f'<{prefix}sheet name="{quoted}" '
        f'sheetId="{max(sheet_ids, default=0) + 1}" {r}:id="{rel_id}"{declaration}/>'
    )
    return _append_child(workbook, "sheets", sheet)


def _cell_text(value: str) -> str:
    if len(value) > MAX_CELL_TEXT:
        raise ValueError(f"a cell holds at most {MAX_CELL_TEXT} characters")
    value = OOXML_ESCAPE_LOOKALIKE.sub(r"_x005F_\1", value)
    value = XML_ILLEGAL.sub(lambda m: f"_x{ord(m.group(0)):04X}_", value)
    return escape(value)


def _cell_xml(reference: str, value: str | float | int) -> str:
    if isinstance(value, bool):
        return f'<c r="{reference}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int):
        return f'<c r="{reference}"><v>{value}</v></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{reference}: Excel cannot store {value!r}")
        return f'<c r="{reference}"><v>{value!r}</v></c>'
    return (
        f'<c r="{reference}" t="inlineStr"><is>'
        f'<t xml:space="preserve">{_cell_text(value)}</t></is></c>'
    )


def _worksheet_xml(rows: Sequence[Sequence[Cell]], namespace: str) -> str:
    if len(rows) > MAX_ROWS:
        raise ValueError(f"a worksheet holds at most {MAX_ROWS} rows")
    body: list[str] = []
    first_col = last_col = first_row = last_row = 0
    for row_number, row in enumerate(rows, start=1):
        cells = []
        for col_number, value in enumerate(row, start=1):
            if value is None:
                continue
            cells.append(_cell_xml(f"{column_letters(col_number)}{row_number}", value))
            first_col = min(first_col or col_number, col_number)
            last_col = max(last_col, col_number)
            first_row = first_row or row_number
            last_row = row_number
        if cells:
            body.append(f'<row r="{row_number}">{"".join(cells)}</row>')
    dimension = ""
    if last_row:
        start = f"{column_letters(first_col)}{first_row}"
        end = f"{column_letters(last_col)}{last_row}"
        dimension = f'<dimension ref="{start if start == end else f"{start}:{end}"}"/>'
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n'
        f'<worksheet xmlns="{namespace}">{dimension}<sheetData>{"".join(body)}</sheetData>'
        "</worksheet>"
    )
