"""OKR sheets shaped the way real tools and teams make them: tool exports (flat, camelCase,
one row per key result), a Korean team sheet, linked Objectives and Key Results tabs, a
check-in log, one block per objective, Google-style hand grades, and CSV/TSV exports.

Each builder writes one file into a given folder and returns its path. The plans they lay
out are module constants, so tests compute what to expect from the same numbers.
tests/fixtures/okr_sheets/SOURCES.md says what each imitates and where its shape comes from;
all content is invented.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

AS_OF = dt.date(2026, 11, 15)
QUARTER_START = dt.date(2026, 10, 1)
NEXT_QUARTER_START = dt.date(2027, 1, 1)

PERCENT = "0.0%"
DOLLARS = '"$"#,##0'
WON = '"₩"#,##0'
_BOLD = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
_HEADING_FILL = PatternFill("solid", fgColor="FCE4D6")


@dataclass(frozen=True)
class PlanKR:
    """A key result as a fixture lays it out; None leaves the cell empty."""

    title: str
    owner: str
    start: float | None
    target: float | None
    current: float | None
    unit: str = ""
    weight: float = 1.0
    grade: float | None = None  # 0.0-1.0; a 0-100 sheet multiplies it by 100
    confidence: Any = None  # a number 0-10, or a word such as "High"
    fmt: str | None = None  # the number format of its Start/Target/Current cells
    id: str = ""


@dataclass(frozen=True)
class PlanObjective:
    """An objective and its key results."""

    title: str
    owner: str
    team: str
    key_results: tuple[PlanKR, ...]
    id: str = ""


Plan = tuple[PlanObjective, ...]

# A B2B SaaS marketing quarter: the plan most English fixtures lay out.
MARKETING: Plan = (
    PlanObjective(
        "Make Acme the default choice for mid-market RevOps teams", "Dana Kim", "Demand Gen",
        (
            PlanKR("Grow marketing-qualified leads from 420 to 700 a month", "Priya Nair",
                   420, 700, 560, "MQLs", confidence=7, id="KR-01"),
            PlanKR("Raise webinar signups from 300 to 900 per quarter", "Sam Ortiz",
                   300, 900, 510, "signups", confidence=5, id="KR-02"),
            PlanKR("Lift trial-to-paid conversion from 4% to 7%", "Lee Park",
                   0.04, 0.07, 0.052, "%", confidence=6, fmt=PERCENT, id="KR-03"),
        ),
        id="O-01",
    ),
    PlanObjective(
        "Turn marketing into the largest source of new pipeline", "Maya Chen", "Demand Gen",
        (
            PlanKR("Increase marketing-sourced pipeline from $1.2M to $2.0M", "Maya Chen",
                   1_200_000, 2_000_000, 1_450_000, "$", confidence=6, fmt=DOLLARS,
                   id="KR-04"),
            PlanKR("Cut cost per MQL from $180 to $120", "Priya Nair",
                   180, 120, 150, "$", confidence=4, fmt=DOLLARS, id="KR-05"),
            PlanKR("Book 60 first meetings through the partner program", "Jordan Lee",
                   0, 60, None, "meetings", confidence=3, id="KR-06"),
        ),
        id="O-02",
    ),
    PlanObjective(
        "Build a brand RevOps leaders trust", "Alex Romero", "Content",
        (
            PlanKR("Grow organic visits from 38,000 to 55,000 a month", "Alex Romero",
                   38_000, 55_000, 47_200, "visits", confidence=7, id="KR-07"),
            PlanKR("Reach 12 published customer stories", "Sam Ortiz",
                   0, 12, 5, "stories", confidence=8, id="KR-08"),
            PlanKR("Raise newsletter subscribers from 6,500 to 9,000", "Lee Park",
                   6_500, 9_000, 7_100, "subscribers", confidence=5, id="KR-09"),
        ),
        id="O-03",
    ),
)  # fmt: skip

# Tool A's export has no start value: its key results count up from 0.
TOOL_A: Plan = (
    PlanObjective(
        "Make Acme the default choice for mid-market RevOps teams", "Dana Kim", "Demand Gen",
        (
            PlanKR("Generate 700 marketing-qualified leads in October-December", "Priya Nair",
                   None, 700, 388, id="kr_7f3a1c"),
            PlanKR("Get 900 webinar signups across the Q4 series", "Sam Ortiz",
                   None, 900, 510, id="kr_7f3a1d"),
            PlanKR("Publish 6 comparison pages for RevOps buyers", "Lee Park",
                   None, 6, 6, id="kr_7f3a1e"),
        ),
        id="obj_2c91e0",
    ),
    PlanObjective(
        "Turn marketing into the largest source of new pipeline", "Maya Chen", "Demand Gen",
        (
            PlanKR("Source $800,000 of new pipeline from inbound", "Maya Chen",
                   None, 800_000, 310_000, id="kr_8b20f4"),
            PlanKR("Book 60 first meetings through the partner program", "Jordan Lee",
                   None, 60, None, id="kr_8b20f5"),
        ),
        id="obj_2c91e1",
    ),
    PlanObjective(
        "Build a brand RevOps leaders trust", "Alex Romero", "Content",
        (
            PlanKR("Win 40 G2 reviews from mid-market customers", "Alex Romero",
                   None, 40, 22, id="kr_9d11a0"),
            PlanKR("Reach 9,000 newsletter subscribers", "Lee Park",
                   None, 9_000, 7_100, id="kr_9d11a1"),
        ),
        id="obj_2c91e2",
    ),
)  # fmt: skip
# The key result a flat export lists under the first objective's text again, further down.
REPEATED_OBJECTIVE_KR = PlanKR("Grow product-qualified leads to 150", "Priya Nair",
                               None, 150, 40, id="kr_a0b1c2")  # fmt: skip

# Tool B (a Viva Goals / Ally.io style export): objectives, key results and deliverables.
TOOL_B: Plan = (
    PlanObjective(
        "Turn marketing into the largest source of new pipeline", "Maya Chen",
        "Demand Generation",
        (
            PlanKR("Marketing-sourced pipeline", "Maya Chen",
                   1_200_000, 2_000_000, 1_450_000, "Dollar", id="10412"),
            PlanKR("Sales-accepted opportunities from inbound", "Jordan Lee",
                   40, 75, 52, "Number", id="10413"),
        ),
        id="10411",
    ),
    PlanObjective(
        "Fill every webinar in the Q4 series", "Sam Ortiz", "Demand Generation",
        (
            PlanKR("Webinar registrations", "Sam Ortiz", 0, 1_200, 640, "Number", id="10422"),
            PlanKR("Live attendance rate", "Sam Ortiz", 35, 50, 41, "Percentage", id="10423"),
        ),
        id="10421",
    ),
)  # fmt: skip
TOOL_B_DELIVERABLE = "Launch the ROI calculator on the pricing page"

# A Korean marketing team's quarter.
KOREAN: Plan = (
    PlanObjective(
        "중견기업 고객의 인바운드 리드를 늘린다", "김민지", "마케팅",
        (
            PlanKR("월간 인바운드 리드를 120건에서 200건으로 늘린다", "김민지",
                   120, 200, 168, "건"),
            PlanKR("리드→SQL 전환율을 8%에서 12%로 높인다", "이서연",
                   0.08, 0.12, 0.095, "%", fmt=PERCENT),
            PlanKR("웨비나 등록자를 300명에서 600명으로 늘린다", "정우진",
                   300, 600, 410, "명"),
        ),
    ),
    PlanObjective(
        "마케팅이 영업 파이프라인의 가장 큰 원천이 된다", "박준호", "마케팅",
        (
            PlanKR("마케팅 기여 파이프라인을 15억 원에서 25억 원으로 키운다", "박준호",
                   1_500_000_000, 2_500_000_000, 1_900_000_000, "원", fmt=WON),
            PlanKR("리드 첫 응답 시간을 48시간에서 12시간으로 줄인다", "최하늘",
                   48, 12, 30, "시간"),
        ),
    ),
)  # fmt: skip

# Google-style grading: hand grades 0.0-1.0, some key results also carry their numbers.
GRADED: Plan = (
    PlanObjective(
        "Make Acme the default choice for mid-market RevOps teams", "Dana Kim", "Demand Gen",
        (
            PlanKR("Grow marketing-qualified leads from 420 to 700 a month", "Priya Nair",
                   420, 700, 560, weight=2, grade=0.4),
            PlanKR("Launch the partner referral program", "Jordan Lee",
                   None, None, None, grade=1.0),
            PlanKR("Raise webinar signups from 300 to 900 per quarter", "Sam Ortiz",
                   None, None, None, grade=0.3),
        ),
    ),
    PlanObjective(
        "Build a brand RevOps leaders trust", "Alex Romero", "Content",
        (
            PlanKR("Grow organic visits from 38,000 to 55,000 a month", "Alex Romero",
                   38_000, 55_000, 47_200),
            PlanKR("Win two industry awards", "Alex Romero", None, None, None, grade=0.5),
            PlanKR("Get Acme named in two analyst reports", "Lee Park",
                   None, None, None, grade=0.0),
        ),
    ),
)  # fmt: skip

# Confidence as words, currency targets in brackets.
CONFIDENCE_WORDS: Plan = (
    PlanObjective(
        "Turn marketing into the largest source of new pipeline", "Maya Chen", "Demand Gen",
        (
            PlanKR("Increase marketing-sourced pipeline from $1.2M to $2.0M", "Maya Chen",
                   1_200_000, 2_000_000, 1_450_000, confidence="High", fmt=DOLLARS),
            PlanKR("Grow inbound average deal size from $18,000 to $24,000", "Jordan Lee",
                   18_000, 24_000, 19_500, confidence="Medium", fmt=DOLLARS),
            PlanKR("Cut cost per opportunity from $2,400 to $1,800", "Priya Nair",
                   2_400, 1_800, 2_250, confidence="Low", fmt=DOLLARS),
        ),
    ),
    PlanObjective(
        "Make paid channels pay back within a year", "Sam Ortiz", "Demand Gen",
        (
            PlanKR("Lower blended CAC from $9,500 to $7,000", "Sam Ortiz",
                   9_500, 7_000, 8_800, confidence="Medium", fmt=DOLLARS),
            PlanKR("Raise paid-search pipeline from $300,000 to $500,000", "Sam Ortiz",
                   300_000, 500_000, 390_000, confidence="High", fmt=DOLLARS),
        ),
    ),
)  # fmt: skip
CONFIDENCE_MAP = {"High": 8, "Medium": 5, "Low": 2}

# A check-in log: (date, KR ID, value), appended as people checked in, not in date order.
LOG_PLAN: Plan = (
    PlanObjective(
        "Make Acme the default choice for mid-market RevOps teams", "Dana Kim", "Demand Gen",
        (
            PlanKR("Grow marketing-qualified leads from 420 to 700 a month", "Priya Nair",
                   420, 700, None, "MQLs", id="KR-01"),
            PlanKR("Raise webinar signups from 300 to 900 per quarter", "Sam Ortiz",
                   300, 900, None, "signups", id="KR-02"),
        ),
    ),
    PlanObjective(
        "Turn marketing into the largest source of new pipeline", "Maya Chen", "Demand Gen",
        (
            PlanKR("Increase marketing-sourced pipeline from $1.2M to $2.0M", "Maya Chen",
                   1_200_000, 2_000_000, None, "$", fmt=DOLLARS, id="KR-03"),
            PlanKR("Cut cost per MQL from $180 to $120", "Priya Nair",
                   180, 120, None, "$", fmt=DOLLARS, id="KR-04"),
            PlanKR("Book 60 first meetings through the partner program", "Jordan Lee",
                   0, 60, None, "meetings", id="KR-05"),
        ),
    ),
)  # fmt: skip
CHECKINS: tuple[tuple[dt.date, str, float], ...] = (
    (dt.date(2026, 10, 6), "KR-01", 431),
    (dt.date(2026, 10, 9), "KR-03", 1_260_000),
    (dt.date(2026, 10, 13), "KR-02", 360),
    (dt.date(2026, 10, 16), "KR-04", 171),
    (dt.date(2026, 10, 20), "KR-01", 480),
    (dt.date(2026, 11, 3), "KR-01", 522),
    (dt.date(2026, 11, 6), "KR-03", 1_410_000),
    (dt.date(2026, 11, 13), "KR-04", 158),
    (dt.date(2026, 11, 15), "KR-02", 540),  # on the as-of date: counts
    (dt.date(2026, 11, 1), "KR-02", 455),  # typed in late, below a newer row
    (dt.date(2026, 11, 17), "KR-01", 590),  # after the as-of date: ignored
    (dt.date(2026, 12, 1), "KR-04", 140),  # after the as-of date: ignored
)


def numbers(kr: PlanKR) -> tuple[float, float, float]:
    """Start, target and current of a key result that has all three."""
    if kr.start is None or kr.target is None or kr.current is None:
        raise ValueError(f"{kr.title}: no start, target or current")
    return kr.start, kr.target, kr.current


def key_results(plan: Plan) -> list[PlanKR]:
    """Every key result of a plan, in order."""
    return [kr for objective in plan for kr in objective.key_results]


# --- writing -------------------------------------------------------------------------------


def _put(
    sheet: Worksheet, row: int, values: Sequence[Any], fmts: Sequence[str | None] = ()
) -> None:
    """Write a row of values from column A; None leaves a cell empty."""
    for column, value in enumerate(values, start=1):
        if value is None:
            continue
        cell = sheet.cell(row, column, value)
        fmt = fmts[column - 1] if column - 1 < len(fmts) else None
        if fmt and isinstance(value, int | float):
            cell.number_format = fmt


def _header(sheet: Worksheet, row: int, names: Sequence[str], *, freeze: bool = True) -> None:
    """A bold, shaded header row, frozen like people freeze it."""
    _put(sheet, row, names)
    for column in range(1, len(names) + 1):
        cell = sheet.cell(row, column)
        cell.font = _BOLD
        cell.fill = _HEADER_FILL
        sheet.column_dimensions[get_column_letter(column)].width = 18
    if freeze:
        sheet.freeze_panes = sheet.cell(row + 1, 1).coordinate


def _title(sheet: Worksheet, text: str, width: int, row: int = 1) -> None:
    """A title row above the header, merged across the table."""
    sheet.cell(row, 1, text).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _notes_tab(workbook: Workbook, name: str, lines: Sequence[str]) -> None:
    sheet = workbook.create_sheet(name)
    for row, line in enumerate(lines, start=1):
        sheet.cell(row, 1, line)


def _new_workbook() -> tuple[Workbook, Worksheet]:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    return workbook, sheet


def _text(value: Any) -> str:
    """A cell as an export writes it to CSV: numbers plainly, dates as ISO, None as ''."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _write_delimited(
    path: Path, rows: Sequence[Sequence[Any]], *, encoding: str, delimiter: str = ","
) -> Path:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_text(value) for value in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


# --- (a) tool A: a flat camelCase export, the objective repeated on every key result row ----

# The export's columns, in its order (SOURCES.md: matthugh1/MHOKR okr-reporting.service.ts).
TOOL_A_HEADER = [
    "objectiveId", "title", "ownerName", "status", "progress", "isPublished", "period",
    "startDate", "endDate", "parentId", "orgId", "keyResultId", "keyResultTitle",
    "keyResultOwnerName", "keyResultStatus", "keyResultProgress", "keyResultTargetValue",
    "keyResultCurrentValue",
]  # fmt: skip


def _tool_a_percent(kr: PlanKR) -> float | None:
    """The tool's own progress of a key result, 0-100, as its export shows it."""
    if kr.current is None or kr.target is None:
        return None
    return round(100 * kr.current / kr.target, 1)


def _tool_a_rows(objective_again_below: bool) -> list[list[Any]]:
    rows: list[list[Any]] = [list(TOOL_A_HEADER)]
    statuses = ("ON_TRACK", "AT_RISK", "ON_TRACK", "OFF_TRACK")
    entries = [(objective, kr) for objective in TOOL_A for kr in objective.key_results]
    if objective_again_below:
        entries.append((TOOL_A[0], REPEATED_OBJECTIVE_KR))
    for number, (objective, kr) in enumerate(entries):
        percents = [_tool_a_percent(k) or 0.0 for k in objective.key_results]
        progress = round(sum(percents) / len(percents), 1)
        objective_status = "ON_TRACK" if progress >= 40 else "AT_RISK"
        rows.append([
            objective.id, objective.title, objective.owner, objective_status, progress, True,
            "Q4 2026", QUARTER_START, dt.date(2026, 12, 31), None, "org_acme", kr.id,
            kr.title, kr.owner, statuses[number % 4], _tool_a_percent(kr), kr.target,
            kr.current,
        ])  # fmt: skip
    return rows


def tool_a_export(folder: Path, *, objective_again_below: bool = False) -> Path:
    """Tool A's OKR export as .xlsx: one row per key result, the objective's id, title and
    owner repeated on each; with `objective_again_below`, the first objective's text comes
    again on one more row after the last objective (row `tool_a_repeated_row()`)."""
    workbook, sheet = _new_workbook()
    sheet.title = "OKRs"
    rows = _tool_a_rows(objective_again_below)
    _header(sheet, 1, rows[0])
    for row, values in enumerate(rows[1:], start=2):
        _put(sheet, row, values)
        sheet.cell(row, 8).number_format = "yyyy-mm-dd"
        sheet.cell(row, 9).number_format = "yyyy-mm-dd"
    path = folder / "okr-export.xlsx"
    workbook.save(path)
    return path


def tool_a_repeated_row() -> int:
    """The sheet row on which tool A's export repeats the first objective further down."""
    return 2 + len(key_results(TOOL_A))


def tool_a_export_csv(folder: Path, *, delimiter: str = ",", bom: bool = True) -> Path:
    """Tool A's export as a CSV (or TSV) file, UTF-8 with a BOM as Excel saves "CSV UTF-8"."""
    suffix = ".tsv" if delimiter == "\t" else ".csv"
    return _write_delimited(folder / f"okr-export{suffix}", _tool_a_rows(False),
                            encoding="utf-8-sig" if bom else "utf-8",
                            delimiter=delimiter)  # fmt: skip


# --- (b) tool B: a Viva Goals / Ally.io style export: Object Type, Start, Target ----------

# The export's columns (SOURCES.md: matthugh1/MHOKR viva-goals-csv-parser.service.ts).
TOOL_B_HEADER = [
    "Id", "Title", "Team", "Creator", "Owner", "Period", "Start Date", "End Date",
    "Description", "Aligned To (weight, Objective ID)", "Metric Name", "Unit", "Target",
    "Object Type", "Goal Type", "Start", "Created At", "Last Check-in", "Progress %",
    "Actual Progress", "Status", "Last Check-in Note", "Score", "Checkins",
]  # fmt: skip
# What a team writes to read tool B: the headers that cannot be guessed, and its word for an
# action.
TOOL_B_MAP = """\
[columns]
"Object Type" = "type"
"Actual Progress" = "current"
"Progress %" = "ignore"
"Aligned To (weight, Objective ID)" = "ignore"

[values.type]
Deliverable = "action"
"""


def _tool_b_rows() -> list[list[Any]]:
    rows: list[list[Any]] = [list(TOOL_B_HEADER)]
    common = {"Creator": "Dana Kim", "Period": "Q4 2026", "Start Date": "2026-10-01",
              "End Date": "2026-12-31", "Created At": "2026-09-24 09:12:40 UTC",
              "Goal Type": "Team"}  # fmt: skip

    def line(cells: dict[str, Any]) -> list[Any]:
        values = {**common, **cells}
        assert set(values) <= set(TOOL_B_HEADER), set(values) - set(TOOL_B_HEADER)
        return [values.get(name) for name in TOOL_B_HEADER]

    for objective in TOOL_B:
        rows.append(line({"Id": objective.id, "Title": objective.title, "Team": objective.team,
                          "Owner": objective.owner, "Object Type": "Objective",
                          "Status": "On Track"}))  # fmt: skip
        for kr in objective.key_results:
            start, target, current = numbers(kr)
            percent = round(100 * (current - start) / (target - start))
            checkin = (f"Checkin Date: 2026-11-09; User: {kr.owner}; Note: weekly update; "
                       f"Status: On Track; Current Value: {_text(kr.current)}; "
                       "Activity Date: 2026-11-09 16:02:11 UTC;")  # fmt: skip
            rows.append(line({
                "Id": kr.id, "Title": kr.title, "Team": objective.team, "Owner": kr.owner,
                "Aligned To (weight, Objective ID)":
                    f"{objective.title}(weight: 50%, Id: {objective.id})",
                "Metric Name": kr.title, "Unit": kr.unit, "Target": kr.target,
                "Object Type": "Key result", "Start": kr.start, "Last Check-in": "2026-11-09",
                "Progress %": percent, "Actual Progress": kr.current,
                "Status": "On Track" if percent >= 40 else "At Risk",
                "Last Check-in Note": "weekly update", "Checkins": checkin,
            }))  # fmt: skip
            if kr is TOOL_B[0].key_results[0]:
                rows.append(line({"Id": "10419", "Title": TOOL_B_DELIVERABLE,
                                  "Team": objective.team, "Owner": kr.owner,
                                  "Object Type": "Deliverable",
                                  "Status": "Not Started"}))  # fmt: skip
    return rows


def tool_b_export_csv(folder: Path) -> Path:
    """Tool B's explorer export as CSV (UTF-8, no BOM): a type column `Object Type`
    (Objective, Key result, Deliverable), `Start` and `Target`, and the current value
    in `Actual Progress`."""
    return _write_delimited(folder / "goals-export.csv", _tool_b_rows(), encoding="utf-8")


# --- (c) Korean team sheets ------------------------------------------------------------------

KOREAN_HEADER = ["목표", "핵심성과", "담당자", "시작", "목표", "현재", "달성률", "비고"]


def korean_team_sheet(folder: Path) -> Path:
    """A Korean team's sheet: a merged title row, `목표` twice (the objective's text in A,
    merged down over its key results; the target number in E), `핵심성과`, `시작`/`현재`,
    a typed-in 달성률 as a percentage, and a notes tab."""
    workbook, sheet = _new_workbook()
    sheet.title = "OKR"
    _title(sheet, "2026년 4분기 마케팅팀 OKR", len(KOREAN_HEADER))
    sheet.cell(2, 1, "매주 월요일 오전까지 현재 값을 입력해 주세요.")
    _header(sheet, 3, KOREAN_HEADER)
    sheet.freeze_panes = "C4"
    row = 4
    for objective in KOREAN:
        first = row
        for kr in objective.key_results:
            start, target, current = numbers(kr)
            rate = (current - start) / (target - start)
            fmt = kr.fmt
            _put(sheet, row,
                 [objective.title if row == first else None, kr.title, kr.owner, kr.start,
                  kr.target, kr.current, round(rate, 3), None],
                 [None, None, None, fmt, fmt, fmt, PERCENT])  # fmt: skip
            row += 1
        sheet.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
        sheet.cell(first, 1).alignment = Alignment(vertical="center", wrap_text=True)
    sheet.cell(5, 8, "11월 웨비나 2회 추가")
    _notes_tab(workbook, "메모", ["분기 회고 메모", "10월: 리드 품질 기준 변경 (MQL 정의 v2)"])
    path = folder / "마케팅팀 OKR.xlsx"
    workbook.save(path)
    return path


KOREAN_EXPORT_HEADER = ["목표(Objective)", "핵심성과(Key Result)", "담당자(Owner)",
                        "시작값(Start)", "Target / 목표값", "현재값(Current)",
                        "단위(Unit)"]  # fmt: skip


def _korean_amount(value: float, unit: str) -> str:
    """A value as a Korean export writes it: 8%, 15억, 120."""
    if unit == "%":
        return f"{value * 100:g}%"
    if value >= 100_000_000:
        return f"{value / 100_000_000:g}억"
    return _text(value)


def korean_export_csv(folder: Path, *, encoding: str = "cp949") -> Path:
    """A Korean tool's flat export with bilingual headers (`목표(Objective)`,
    `Target / 목표값`), the objective repeated on each row, saved as Excel on a Korean
    Windows does: cp949, CRLF; `encoding="utf-8-sig"` for the UTF-8 CSV."""
    rows: list[list[Any]] = [list(KOREAN_EXPORT_HEADER)]
    for objective in KOREAN:
        for kr in objective.key_results:
            start, target, current = numbers(kr)
            rows.append([objective.title, kr.title, kr.owner,
                         _korean_amount(start, kr.unit), _korean_amount(target, kr.unit),
                         _korean_amount(current, kr.unit),
                         "" if kr.unit == "%" else kr.unit])  # fmt: skip
    name = "okr_export.csv" if encoding == "cp949" else "okr_export_utf8.csv"
    return _write_delimited(folder / name, rows, encoding=encoding)


# --- (d) an Objectives tab and a Key Results tab linked by Obj_ID --------------------------

OBJECTIVES_HEADER = ["Obj_ID", "Objective", "Owner", "Team", "Quarter"]
KEY_RESULTS_HEADER = ["KR_ID", "Obj_ID", "Key Result", "Owner", "Baseline", "Target",
                      "Current", "Unit", "Due"]  # fmt: skip


def linked_tabs(folder: Path) -> Path:
    """Objectives in one tab, key results in another, linked by `Obj_ID` (key results
    sorted by owner, not grouped under their objective), and a Dashboard tab whose small
    table lists the objectives with their progress."""
    workbook, dashboard = _new_workbook()
    dashboard.title = "Dashboard"
    _title(dashboard, "Marketing Q4 2026 at a glance", 3)
    _put(dashboard, 3, ["Objective", "Progress", "Health"])
    for row, objective in enumerate(MARKETING, start=4):
        _put(dashboard, row, [objective.title, 0.42, "On track"], [None, PERCENT])
    dashboard.cell(8, 1, "Last updated")
    dashboard.cell(8, 2, dt.date(2026, 11, 13)).number_format = "yyyy-mm-dd"

    objectives = workbook.create_sheet("Objectives")
    _header(objectives, 1, OBJECTIVES_HEADER)
    for row, objective in enumerate(MARKETING, start=2):
        _put(
            objectives,
            row,
            [objective.id, objective.title, objective.owner, objective.team, "2026 Q4"],
        )

    results = workbook.create_sheet("Key Results")
    _header(results, 1, KEY_RESULTS_HEADER)
    pairs = sorted(((kr, objective) for objective in MARKETING for kr in objective.key_results),
                   key=lambda pair: (pair[0].owner, pair[0].id))  # fmt: skip
    for row, (kr, objective) in enumerate(pairs, start=2):
        fmt = kr.fmt
        _put(results, row,
             [kr.id, objective.id, kr.title, kr.owner, kr.start, kr.target, kr.current,
              kr.unit, dt.date(2026, 12, 31)],
             [None, None, None, None, fmt, fmt, fmt, None, "yyyy-mm-dd"])  # fmt: skip
    path = folder / "okrs-linked.xlsx"
    workbook.save(path)
    return path


# --- (e) a check-in log beside a key results tab without Current ---------------------------


def checkin_log(folder: Path, *, key: str = "id") -> Path:
    """A Key Results tab (flat: the objective repeated on each row) without a Current
    column, and a Check-ins tab of (Date, KR ID or Key Result, Value, Note) rows appended
    as people checked in, holding entries after the as-of date too."""
    workbook, results = _new_workbook()
    results.title = "Key Results"
    _header(results, 1, ["KR ID", "Objective", "Key Result", "Owner", "Start", "Target", "Unit"])
    titles = {kr.id: kr.title for kr in key_results(LOG_PLAN)}
    row = 2
    for objective in LOG_PLAN:
        for kr in objective.key_results:
            fmt = kr.fmt
            _put(results, row,
                 [kr.id, objective.title, kr.title, kr.owner, kr.start, kr.target, kr.unit],
                 [None, None, None, None, fmt, fmt])  # fmt: skip
            row += 1

    log = workbook.create_sheet("Check-ins")
    _header(log, 1, ["Date", "KR ID" if key == "id" else "Key Result", "Value", "Note"])
    for row, (day, kr_id, value) in enumerate(CHECKINS, start=2):
        _put(log, row, [day, kr_id if key == "id" else titles[kr_id], value, "weekly check-in"])
        log.cell(row, 1).number_format = "yyyy-mm-dd"
    _notes_tab(workbook, "How to use", ["Add one row to Check-ins per key result each Friday.",
                                        "Never edit the Key Results tab mid-quarter."])  # fmt: skip
    path = folder / f"okrs-checkins-by-{key}.xlsx"
    workbook.save(path)
    return path


def latest_checkin(kr_id: str, as_of: dt.date = AS_OF) -> float | None:
    """The value of a key result's newest check-in on or before `as_of`, if any."""
    entries = [(day, value) for day, key, value in CHECKINS if key == kr_id and day <= as_of]
    return max(entries)[1] if entries else None


# --- (f) one block per objective -------------------------------------------------------------

BLOCK_HEADER = ["Key Result", "Owner", "Start", "Target", "Current", "Confidence", "Notes"]


def objective_blocks(folder: Path) -> Path:
    """One block per objective: a heading row merged across ("Objective 1: ..."), the
    block's own header row, its key results, a blank row, then the next block."""
    workbook, sheet = _new_workbook()
    sheet.title = "2026 Q4"
    width = len(BLOCK_HEADER)
    _title(sheet, "Marketing OKRs - Q4 2026", width)
    row = 3
    for number, objective in enumerate(MARKETING, start=1):
        sheet.cell(row, 1, f"Objective {number}: {objective.title}")
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row, 1).font = _BOLD
        sheet.cell(row, 1).fill = _HEADING_FILL
        _header(sheet, row + 1, BLOCK_HEADER, freeze=False)
        row += 2
        for kr in objective.key_results:
            fmt = kr.fmt
            _put(sheet, row,
                 [kr.title, kr.owner, kr.start, kr.target, kr.current, kr.confidence,
                  "on plan" if kr.current is not None else "not started"],
                 [None, None, fmt, fmt, fmt])  # fmt: skip
            row += 1
        row += 1
    path = folder / "okrs-blocks.xlsx"
    workbook.save(path)
    return path


# --- (g) Google-style grading sheet ----------------------------------------------------------

GRADING_HEADER = ["Objective", "Key Result", "Owner", "Weight", "Start", "Target", "Current",
                  "Grade", "Notes"]  # fmt: skip


def grading_sheet(folder: Path, *, scale: int = 1) -> Path:
    """A grading sheet in Google's practice: a title row, objectives on their own rows,
    key results below with a Weight and a hand Grade (0.0-1.0, or 0-100 with `scale=100`),
    some also with Start/Target/Current; empty header-only Q1 and Q2 tabs copied from the
    template, and a Notes tab."""
    workbook, sheet = _new_workbook()
    sheet.title = "Q4 2026"
    width = len(GRADING_HEADER)
    scale_text = "0.0-1.0" if scale == 1 else "0-100"
    _title(sheet, f"Demand Gen OKRs - Q4 2026 (grades {scale_text})", width)
    _header(sheet, 3, GRADING_HEADER)
    row = 4
    for objective in GRADED:
        _put(sheet, row, [objective.title, None, objective.owner])
        sheet.cell(row, 1).font = _BOLD
        row += 1
        for kr in objective.key_results:
            grade = None if kr.grade is None else round(kr.grade * scale, 6)
            _put(sheet, row,
                 [None, kr.title, kr.owner, kr.weight, kr.start, kr.target, kr.current, grade,
                  "self-graded" if grade is not None else None],
                 [None] * 7 + ["0.0" if scale == 1 else "0"])  # fmt: skip
            row += 1
    for quarter in ("Q1", "Q2"):
        empty = workbook.create_sheet(quarter)
        _header(empty, 3, GRADING_HEADER)
    _notes_tab(workbook, "Notes", ["Grading: 0.0 = no progress, 0.7 = a good stretch, "
                                   "1.0 = fully achieved."])  # fmt: skip
    path = folder / f"okr-grades-{scale_text}.xlsx"
    workbook.save(path)
    return path


# --- (h) Confidence words, a currency in brackets, Baseline / Stretch Goal --------------------

CONFIDENCE_HEADER = ["Objective", "Key Result", "Owner", "Baseline", "Target (USD)",
                     "Current (USD)", "Confidence", "Notes"]  # fmt: skip


def confidence_sheet(folder: Path) -> Path:
    """Key results with Confidence High/Medium/Low, `Target (USD)` and `Current (USD)` in
    dollar format, `Baseline` as the start; objectives on their own rows."""
    workbook, sheet = _new_workbook()
    sheet.title = "Pipeline OKRs"
    _title(sheet, "Q4 2026 pipeline OKRs (USD)", len(CONFIDENCE_HEADER))
    _header(sheet, 2, CONFIDENCE_HEADER)
    row = 3
    for objective in CONFIDENCE_WORDS:
        _put(sheet, row, [objective.title, None, objective.owner])
        row += 1
        for kr in key_results((objective,)):
            _put(sheet, row,
                 [None, kr.title, kr.owner, kr.start, kr.target, kr.current, kr.confidence],
                 [None, None, None, DOLLARS, DOLLARS, DOLLARS])  # fmt: skip
            row += 1
    _notes_tab(workbook, "Notes", ["Confidence: High = likely, Medium = 50/50, Low = unlikely."])
    path = folder / "pipeline-okrs.xlsx"
    workbook.save(path)
    return path


STRETCH_HEADER = ["Objective", "Key Result", "Owner", "Baseline", "Stretch Goal", "Current",
                  "Unit"]  # fmt: skip


def stretch_goal_sheet(folder: Path) -> Path:
    """Metric key results written as `Baseline` and `Stretch Goal` (no Target column), the
    objective merged down over its key results."""
    workbook, sheet = _new_workbook()
    sheet.title = "Marketing"
    _header(sheet, 1, STRETCH_HEADER)
    row = 2
    for objective in MARKETING:
        first = row
        for kr in objective.key_results:
            fmt = kr.fmt
            _put(sheet, row,
                 [objective.title if row == first else None, kr.title, kr.owner, kr.start,
                  kr.target, kr.current, kr.unit],
                 [None, None, None, fmt, fmt, fmt])  # fmt: skip
            row += 1
        sheet.merge_cells(start_row=first, start_column=1, end_row=row - 1, end_column=1)
    path = folder / "okrs-stretch.xlsx"
    workbook.save(path)
    return path


# --- sheets that need a column map -----------------------------------------------------------


def _tree_tab(
    sheet: Worksheet, header: Sequence[str], plan: Plan, cells: Any, *, header_row: int = 1
) -> None:
    """A tree-layout tab: objectives on their own rows, each key result's row from
    `cells(kr)` (the values after the Key Result column)."""
    _header(sheet, header_row, header)
    row = header_row + 1
    for objective in plan:
        _put(sheet, row, [objective.title])
        row += 1
        for kr in objective.key_results:
            _put(sheet, row, [None, kr.title, *cells(kr)])
            row += 1


def letzter_wert_sheet(folder: Path) -> Path:
    """A German-speaking team's tab: English headers but `Letzter Wert` for the current
    value."""
    workbook, sheet = _new_workbook()
    sheet.title = "Team OKRs"
    _tree_tab(sheet, ["Objective", "Key Result", "Owner", "Start", "Target", "Letzter Wert"],
              MARKETING, lambda kr: [kr.owner, kr.start, kr.target, kr.current])  # fmt: skip
    path = folder / "team-okrs.xlsx"
    workbook.save(path)
    return path


def base_sheet(folder: Path) -> Path:
    """A tab whose start column is headed `Base` (baseline? a base salary? a base plan?)."""
    workbook, sheet = _new_workbook()
    sheet.title = "OKRs"
    _tree_tab(sheet, ["Objective", "Key Result", "Owner", "Base", "Target", "Actual"],
              MARKETING, lambda kr: [kr.owner, kr.start, kr.target, kr.current])  # fmt: skip
    path = folder / "okrs-base.xlsx"
    workbook.save(path)
    return path


# Q3's target in D, this quarter's in E, both headed "Target" under merged quarter labels.
REPEATED_TARGET_HEADER = ["Objective", "Key Result", "Start", "Target", "Target", "Current",
                          "Owner"]  # fmt: skip


def last_quarter_target(kr: PlanKR) -> float:
    """The Q3 target a repeated-header sheet keeps in column D beside this quarter's."""
    if kr.start is None or kr.target is None:
        raise ValueError(f"{kr.title}: no start or target")
    return kr.start + (kr.target - kr.start) / 2


def repeated_target_sheet(folder: Path) -> Path:
    """Two columns headed `Target`: D under a merged "Q3 2026" label, E under "Q4 2026"."""
    workbook, sheet = _new_workbook()
    sheet.title = "OKRs"
    sheet.cell(1, 4, "Q3 2026").font = _BOLD
    sheet.cell(1, 5, "Q4 2026").font = _BOLD
    sheet.merge_cells("E1:F1")
    _tree_tab(sheet, REPEATED_TARGET_HEADER, MARKETING,
              lambda kr: [kr.start, last_quarter_target(kr), kr.target, kr.current, kr.owner],
              header_row=2)  # fmt: skip
    path = folder / "okrs-two-targets.xlsx"
    workbook.save(path)
    return path


def two_team_tabs(folder: Path) -> Path:
    """Tabs "Team OKRs" and "Company OKRs", both with a `Wert` column: the current value
    in the team's tab, a word ("hoch", "mittel") in the company's."""
    workbook, team = _new_workbook()
    team.title = "Team OKRs"
    header = ["Objective", "Key Result", "Owner", "Start", "Target", "Wert"]
    _tree_tab(team, header, MARKETING[:2],
              lambda kr: [kr.owner, kr.start, kr.target, kr.current])  # fmt: skip
    company = workbook.create_sheet("Company OKRs")
    _tree_tab(company, header, MARKETING[2:],
              lambda kr: [kr.owner, kr.start, kr.target,
                         "hoch" if (kr.confidence or 0) >= 7 else "mittel"])  # fmt: skip
    path = folder / "okrs-two-tabs.xlsx"
    workbook.save(path)
    return path
