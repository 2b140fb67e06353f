"""Damaged workbooks never crash the reader: they become a Tracker plus problems.

(a) in-memory grids damaged at random, parsed directly (fast, many examples);
(b) damaged workbooks written to real .xlsx files and read like the command line does;
(c) real .xlsx files damaged byte by byte: reading either works or raises a SheetsOkrError.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from sheets_okr.a1 import column_index
from sheets_okr.errors import SheetsOkrError
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Action, KeyResult, Objective, Tracker
from sheets_okr.read.columns import DISPLAY_NAMES
from sheets_okr.read.parse import parse_workbook
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from sheets_okr.sources.grid import (
    CellError,
    CellRange,
    CellValue,
    MissingFormulaValue,
    SheetGrid,
    WorkbookGrid,
)
from tests.support.workbooks import sample_workbook_bytes

DEFAULT_QUARTER = Quarter(2026, 4)
A1 = re.compile(r"[A-Z]{1,3}[1-9][0-9]*")
ERROR_CODES = ["#REF!", "#N/A", "#DIV/0!", "#VALUE!", "#NAME?", "#NUM!", "#NULL!"]

# Words that steer the reader into its interesting branches when they land in a cell.
TRICKY_WORDS = [
    "Objective", "Key Result", "Action", "KR", "O", "A", "목표", "핵심 결과", "행동",
    "Done", "Yes", "완료", "No", "In progress", "Blocked", "committed", "aspirational",
    "1,200", "$12,000", "₩1,300,000", "30 MQLs", "20%", " 45 ", "(1,200)", "1.2k", "1,300만원",
    "thirty", "12,5", "20 to 30", "2026-Q4", "Q3 2026", "2026년 4분기", "9999-Q4", "0000-Q1",
    "2026-10-15", "2026년 10월 15일", "10/15/2026", "O-1", "KR-1", "X", "", "   ", "9" * 400,
    *DISPLAY_NAMES.values(),
]  # fmt: skip

OKR_FIELDS = ["Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit", "Weight", "Due",
              "Status", "ID", "Parent", "Confidence", "Commitment"]  # fmt: skip


def any_value(*, for_xlsx: bool = False) -> st.SearchStrategy[Any]:
    """Any cell value a backend can hand over (for_xlsx: any value openpyxl can write)."""
    text = (
        st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
        if for_xlsx
        else st.text(max_size=20)
    )
    values: list[st.SearchStrategy[Any]] = [
        st.none(),
        text,
        st.sampled_from(TRICKY_WORDS),
        st.integers(min_value=-(10**12), max_value=10**12),
        st.floats(allow_nan=not for_xlsx, allow_infinity=not for_xlsx),
        st.booleans(),
        st.dates(min_value=dt.date(1900, 3, 1) if for_xlsx else dt.date.min),
        st.datetimes(min_value=dt.datetime(1900, 3, 1) if for_xlsx else dt.datetime.min),
        st.times(),
        st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=3000)),
    ]
    if for_xlsx:
        values.append(st.sampled_from(["=1+1", "=A1*2", "=SUM(", '=IF(TRUE,"Done","")']))
    else:
        values.append(st.builds(CellError, st.sampled_from(ERROR_CODES)))
        values.append(st.builds(MissingFormulaValue, st.text(max_size=10)))
    return st.one_of(values)


@st.composite
def valid_tab(draw: st.DrawFn) -> list[list[Any]]:
    """A tab of a valid plan in either layout, possibly below a banner, as rows of cells."""
    tree = draw(st.booleans())
    fields = draw(st.lists(st.sampled_from(OKR_FIELDS), unique=True, max_size=len(OKR_FIELDS)))
    levels = ["Objective", "Key Result", "Action"] if tree else ["Type", "Title"]
    header = draw(st.permutations([*levels, *fields]))
    banner: list[list[Any]] = [[draw(st.sampled_from(["OKRs", "Q4 2026 plan", None]))]
                               for _ in range(draw(st.integers(0, 3)))]  # fmt: skip
    rows: list[list[Any]] = [*banner, header]
    kinds = draw(st.lists(st.sampled_from(["Objective", "Key Result", "Action"]), max_size=12))
    for number, kind in enumerate(["Objective", *kinds]):
        start = draw(st.integers(0, 100))
        values: dict[str, Any] = {
            "Owner": draw(st.sampled_from(["Sam", "Lee", "김민수"])),
            "Team": draw(st.sampled_from(["Content", "Sales", None])),
            "Quarter": draw(st.sampled_from(["2026-Q4", "Q1 2027", None])),
            "Start": start,
            "Target": draw(st.one_of(st.none(), st.integers(start + 1, start + 100))),
            "Current": draw(st.one_of(st.none(), st.integers(0, 200), st.just("Done"))),
            "Unit": "visits",
            "Weight": draw(st.integers(1, 3)),
            "Due": draw(st.dates(dt.date(2026, 1, 1), dt.date(2026, 12, 31))),
            "Status": draw(st.sampled_from(["Done", "In progress", None])),
            "ID": f"N-{number}",
            "Parent": None,
            "Confidence": draw(st.integers(0, 10)),
            "Commitment": draw(st.sampled_from(["committed", "aspirational", None])),
            "Type": kind,
            "Title": f"{kind} {number}",
            "Objective": f"Objective {number}" if kind == "Objective" else None,
            "Key Result": f"Key Result {number}" if kind == "Key Result" else None,
            "Action": f"Action {number}" if kind == "Action" else None,
        }
        rows.append([values[name] for name in header])
    return rows


@st.composite
def damaged_tab(draw: st.DrawFn, *, for_xlsx: bool = False) -> tuple[list[list[Any]], list[Any]]:
    """A valid tab damaged at random, and merged ranges (some beyond the data)."""
    rows = draw(valid_tab())
    header_row = next(i for i, r in enumerate(rows) if len(r) > 1 or r[0] in DISPLAY_NAMES.values())
    width = max(len(r) for r in rows)
    operations = draw(
        st.lists(
            st.tuples(
                st.sampled_from(["cell", "header", "delete", "duplicate", "shuffle", "ragged"]),
                st.integers(0, 10_000),
                st.integers(0, 10_000),
                any_value(for_xlsx=for_xlsx),
            ),
            max_size=12,
        )
    )
    for operation, a, b, value in operations:
        if not rows:
            break
        r = a % len(rows)
        if operation == "cell":
            c = b % (width + 2)
            rows[r].extend([None] * (c + 1 - len(rows[r])))
            rows[r][c] = value
        elif operation == "header" and header_row < len(rows):
            header = rows[header_row]
            if header:
                names = st.sampled_from([*DISPLAY_NAMES.values(), "Notes"])
                header[b % len(header)] = draw(st.one_of(names, any_value(for_xlsx=for_xlsx)))
        elif operation == "delete":
            del rows[r]
        elif operation == "duplicate":
            rows.insert(b % (len(rows) + 1), list(rows[r]))
        elif operation == "shuffle":
            rows = draw(st.permutations(rows))
        else:
            del rows[r][b % (len(rows[r]) + 1) :]
    limit = len(rows) + 3
    merged = draw(
        st.lists(
            st.tuples(
                st.integers(0, limit),
                st.integers(0, width + 3),
                st.integers(0, limit + 2),
                st.integers(0, width + 3),
            ),
            max_size=4,
        )
    )
    return rows, merged


SHEET_TITLES = ["2026-Q4", "Q3 2026", "Plan", "OKRs 팀", "Summary", "History", "Notes",
                "2026-Q3 vs 2026-Q4", "마케팅 2026년 4분기"]  # fmt: skip


def assert_well_formed(tracker: Tracker, titles: set[str]) -> None:
    """The result of any parse: problems point at real cells; the plan holds together."""
    assert isinstance(tracker, Tracker)
    for problem in tracker.problems:
        if problem.tab == "":
            assert problem.cell == ""
            assert not tracker.layouts
        else:
            assert problem.tab in titles
            assert A1.fullmatch(problem.cell), problem
            assert column_index(problem.cell.rstrip("0123456789")) >= 0
        assert problem.message
        assert str(problem)
    if not tracker.layouts:
        assert any(problem.tab == "" for problem in tracker.problems)
    nodes: list[Objective | KeyResult | Action] = [
        *tracker.objectives,
        *tracker.key_results,
        *tracker.actions,
    ]
    ids = [node.id for node in nodes]
    assert len(ids) == len(set(ids)), "every node has its own id"
    assert all(ids)
    objective_ids = {o.id for o in tracker.objectives}
    for key_result in tracker.key_results:
        assert key_result.objective_id in objective_ids or key_result.objective_id == ""
        if key_result.readable:
            assert key_result.objective_id in objective_ids
            if key_result.target is not None:
                assert key_result.target != key_result.start
                assert all(
                    abs(x) < float("inf")
                    for x in (key_result.start, key_result.target, key_result.current or 0)
                )
    for action in tracker.actions:
        assert action.parent_id in {*objective_ids, *(k.id for k in tracker.key_results), ""}


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    tabs=st.lists(
        st.tuples(st.sampled_from(SHEET_TITLES), damaged_tab(), st.booleans()), max_size=3
    )
)
def test_damaged_grids_always_parse(tabs: list[tuple[str, Any, bool]]) -> None:
    """Any damage to an in-memory grid gives a Tracker whose problems name valid cells."""
    sheets = tuple(
        SheetGrid(title, rows, tuple(CellRange(*m) for m in merged), hidden)
        for title, (rows, merged), hidden in tabs
    )
    grid = WorkbookGrid("memory", sheets)
    tracker = parse_workbook(grid, DEFAULT_QUARTER)
    assert_well_formed(tracker, {sheet.title for sheet in sheets})


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(any_value(), max_size=8), max_size=8),
    header=st.permutations(["Type", "Title", *OKR_FIELDS]),
)
def test_arbitrary_values_under_a_full_header_always_parse(
    rows: list[list[CellValue]], header: list[str]
) -> None:
    """Rows of arbitrary values under a header naming every column still parse cleanly."""
    sheet = SheetGrid("2026-Q4", [list(header), *rows])
    tracker = parse_workbook(WorkbookGrid("memory", (sheet,)), DEFAULT_QUARTER)
    assert_well_formed(tracker, {"2026-Q4"})


def _write(path: Path, tabs: list[tuple[str, list[list[Any]], list[Any]]]) -> None:
    """Write damaged tabs with openpyxl: error codes as error cells, ranges merged."""
    workbook = Workbook()
    for index, (title, rows, merged) in enumerate(tabs):
        sheet = workbook.active if index == 0 else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                target = sheet.cell(r, c, value)
                if isinstance(value, str) and value in ERROR_CODES:
                    target.data_type = "e"
        for first_row, first_col, last_row, last_col in merged:
            if (first_row, first_col) < (last_row, last_col) and first_col <= last_col:
                sheet.merge_cells(
                    start_row=first_row + 1, start_column=first_col + 1,
                    end_row=max(first_row, last_row) + 1, end_column=last_col + 1,
                )  # fmt: skip
    workbook.save(path)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    tabs=st.lists(
        st.tuples(st.sampled_from(SHEET_TITLES), damaged_tab(for_xlsx=True)),
        min_size=1,
        max_size=3,
        unique_by=lambda tab: tab[0],
    ),
    errors=st.lists(st.sampled_from(ERROR_CODES), max_size=3),
)
def test_damaged_xlsx_files_always_parse(
    tabs: list[tuple[str, tuple[list[list[Any]], list[Any]]]], errors: list[str]
) -> None:
    """Damaged workbooks written to real .xlsx files read into a Tracker plus problems."""
    flat = [(title, rows, merged) for title, (rows, merged) in tabs]
    first_rows = flat[0][1]
    for number, code in enumerate(errors):  # error cells below the data of the first tab
        first_rows.append([*([None] * number), code])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.xlsx"
        _write(path, flat)
        grid = ExcelWorkbook(path).read()
        tracker = parse_workbook(grid, DEFAULT_QUARTER)
    assert_well_formed(tracker, {title for title, _, _ in flat})


SAMPLE = sample_workbook_bytes()


def _stored(data: bytes) -> bytes:
    """The same workbook re-zipped without compression, so byte damage reaches the XML."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info), zipfile.ZIP_STORED)
    return out.getvalue()


STORED_SAMPLE = _stored(SAMPLE)


def _read_damaged(data: bytes) -> None:
    """Read damaged bytes as a workbook: a grid (then parsed) or a SheetsOkrError."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.xlsx"
        path.write_bytes(data)
        try:
            grid = ExcelWorkbook(path).read()
        except SheetsOkrError:
            return
    tracker = parse_workbook(grid, DEFAULT_QUARTER)
    assert_well_formed(tracker, {sheet.title for sheet in grid.sheets})


@settings(max_examples=150, deadline=None)
@given(
    data=st.data(),
    stored=st.booleans(),
    flips=st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), max_size=6),
    cut=st.one_of(st.none(), st.floats(0, 1)),
)
def test_byte_damage_reads_or_raises_a_sheets_okr_error(
    data: st.DataObject, stored: bool, flips: list[tuple[float, int]], cut: float | None
) -> None:
    """A real .xlsx truncated or with flipped bytes is read, or refused with SheetsOkrError."""
    damaged = bytearray(STORED_SAMPLE if stored else SAMPLE)
    for where, byte in flips:
        damaged[int(where * len(damaged))] = byte
    if cut is not None:
        del damaged[int(cut * len(damaged)) :]
    _read_damaged(bytes(damaged))


@settings(max_examples=150, deadline=None)
@given(
    part=st.sampled_from(
        [name for name in zipfile.ZipFile(io.BytesIO(SAMPLE)).namelist() if name.endswith("xml")]
        + ["xl/_rels/workbook.xml.rels", "_rels/.rels"]
    ),
    flips=st.lists(
        st.tuples(
            st.floats(0, 1, exclude_max=True),
            st.sampled_from([b"<", b">", b'"', b"/", b"&", b"\xff", b"\x00", b"x", b""]),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_xml_inside_a_valid_zip_reads_or_raises(
    part: str, flips: list[tuple[float, bytes]]
) -> None:
    """Damaged XML in a sound zip is read or refused with a SheetsOkrError, nothing else."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(SAMPLE)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = bytearray(source.read(info))
            if info.filename == part and content:
                for where, byte in flips:
                    position = int(where * len(content))
                    content[position : position + 1] = byte
            target.writestr(info.filename, bytes(content), zipfile.ZIP_DEFLATED)
    _read_damaged(out.getvalue())
