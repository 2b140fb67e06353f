"""Reading whole workbooks into a Tracker, through real .xlsx files written with openpyxl."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import pytest

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Action, KeyResult, Level, Objective, Status, Tracker
from sheets_okr.read import columns as col
from sheets_okr.read.values import Unreadable
from tests.support.workbooks import DEFAULT_QUARTER, Rows, read, write_workbook

# The type layout used by most tests: A Type, B Title, C Owner, D Team, E Quarter, F Start,
# G Target, H Current, I Unit, J Weight, K Due, L Status, M ID, N Parent, O Commitment.
HEADER: list[Any] = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current",
                     "Unit", "Weight", "Due", "Status", "ID", "Parent", "Commitment"]  # fmt: skip
_INDEX = {name.lower(): index for index, name in enumerate(HEADER)}


def row(kind: Any, title: Any, **cells: Any) -> list[Any]:
    """One row of the HEADER layout: a Type, a Title and named cells (owner=..., target=...)."""
    values: list[Any] = [None] * len(HEADER)
    values[0], values[1] = kind, title
    for name, value in cells.items():
        values[_INDEX[name]] = value
    return values


def obj(title: Any, **cells: Any) -> list[Any]:
    """An objective row."""
    return row("Objective", title, **cells)


def kr(title: Any, **cells: Any) -> list[Any]:
    """A key result row."""
    return row("Key Result", title, **cells)


def act(title: Any, **cells: Any) -> list[Any]:
    """An action row."""
    return row("Action", title, **cells)


def parse(
    tmp_path: Path,
    tabs: Mapping[str, Rows],
    *,
    quarter: Quarter = DEFAULT_QUARTER,
    merges: dict[str, list[str]] | None = None,
    errors: dict[str, list[str]] | None = None,
) -> Tracker:
    """Write the tabs to a real workbook and read it back like `sheets-okr score` does."""
    path = write_workbook(tmp_path / "tracker.xlsx", dict(tabs), merges=merges, errors=errors)
    return read(path, quarter)


Node = TypeVar("Node", Objective, KeyResult, Action)


def by_title(nodes: Iterable[Node]) -> dict[str, Node]:
    """Nodes keyed by title (titles are unique within each test)."""
    return {node.title: node for node in nodes}


def messages(tracker: Tracker) -> list[str]:
    """Every problem as the command line prints it."""
    return [str(problem) for problem in tracker.problems]


def set_cached_value(path: Path, cell: str, value: str, sheet: str = "sheet1") -> None:
    """Give a formula cell written by openpyxl the calculated value Excel would have saved."""
    part = f"xl/worksheets/{sheet}.xml"
    with zipfile.ZipFile(path) as archive:
        entries = [(info, archive.read(info)) for info in archive.infolist()]
    pattern = re.compile(
        rb'(<c r="' + cell.encode() + rb'"[^>]*>\s*<f>[^<]*</f>\s*)(?:<v\s*/>|<v></v>)'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in entries:
            content = data
            if info.filename == part:
                content, count = pattern.subn(rb"\g<1><v>" + value.encode() + rb"</v>", data)
                assert count == 1, f"no value-less formula at {cell}"
            archive.writestr(info, content)


# --- layouts -----------------------------------------------------------------------------


def test_type_layout_reads_the_plan(small_tracker: Path) -> None:
    """The type layout gives objectives, key results and actions with their fields and links."""
    tracker = read(small_tracker)
    assert tracker.problems == ()
    objectives = by_title(tracker.objectives)
    traffic = objectives["Increase website traffic"]
    assert traffic.owner == "Sam"
    assert traffic.team == "Content"
    assert traffic.quarter == Quarter(2026, 4)
    assert traffic.location.tab == "2026-Q4"
    assert traffic.location.row == 2
    krs = by_title(tracker.key_results)
    visits = krs["Grow visits from 20 to 30"]
    assert (visits.start, visits.target, visits.current) == (20.0, 30.0, 25.0)
    assert visits.unit == "visits"
    assert visits.owner == "Lee"
    assert visits.objective_id == traffic.id
    assert visits.readable is True
    assert krs["Cut cost per MQL from 180 to 120"].objective_id == traffic.id
    deals = krs["Win 10 deals"]
    assert deals.objective_id == objectives["Improve the sales pipeline"].id
    assert deals.current is None
    (action,) = tracker.actions
    assert action.parent_id == visits.id
    assert action.due == dt.date(2026, 11, 15)
    assert action.status is Status.DONE
    (layout,) = tracker.layouts
    assert (layout.tab, layout.header_row, layout.tree_layout) == ("2026-Q4", 1, False)
    assert layout.columns[col.TYPE] == 0
    assert layout.columns[col.TITLE] == 1


def test_type_layout_defaults(tmp_path: Path) -> None:
    """Blank Start means 0, blank Weight means 1, blank Commitment means aspirational."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, obj("Grow"), kr("Visits", target=10)]})
    (objective,) = tracker.objectives
    (key_result,) = tracker.key_results
    assert objective.weight == 1.0
    assert objective.commitment.value == "aspirational"
    assert key_result.start == 0.0
    assert key_result.weight == 1.0
    assert tracker.problems == ()


def test_type_layout_reads_every_type_word(tmp_path: Path) -> None:
    """O, KR, A, Initiative, Task and the Korean words are levels too."""
    rows: list[list[Any]] = [
        HEADER,
        row("O", "o1"),
        row("KR", "k1", target=1),
        row("A", "a1"),
        row("Initiative", "a2"),
        row("Task", "a3"),
        row("목표", "o2"),
        row("핵심 결과", "k2", target=1),
        row("주요 결과", "k3", target=1),
        row("행동", "a4"),
        row("작업", "a5"),
        row("objective", "o3"),
        row("key result", "k4", target=1),
        row("ACTION", "a6"),
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    assert [o.title for o in tracker.objectives] == ["o1", "o2", "o3"]
    assert [k.title for k in tracker.key_results] == ["k1", "k2", "k3", "k4"]
    assert [a.title for a in tracker.actions] == ["a1", "a2", "a3", "a4", "a5", "a6"]


def test_tree_layout_with_a_merged_objective_cell(tmp_path: Path) -> None:
    """A merged Objective cell yields the objective and all KRs, the first on its own row."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Action", "Owner", "Team", "Start", "Target", "Current"],
        ["Grow traffic", "Visits 20 to 30", None, "Lee", "Content", 20, 30, 25],
        [None, "Signups 100 to 200", None, "Kim", None, 100, 200, 150],
        [None, "Bounce rate 60 to 40", None, "Ann", None, 60, 40, 50],
        [None, None, "Publish 4 articles", "Lee"],
        ["Improve pipeline", None, None, "Dana", "Sales"],
        [None, "Win 10 deals", None, "Dana", None, 0, 10, 4],
        [None, None, "Call 50 leads", "Dana"],
    ]
    tracker = parse(tmp_path, {"Plan": rows}, merges={"Plan": ["A2:A5"]})
    assert tracker.problems == ()
    objectives = by_title(tracker.objectives)
    assert list(objectives) == ["Grow traffic", "Improve pipeline"]
    traffic = objectives["Grow traffic"]
    assert traffic.team == "Content"
    assert traffic.location.row == 2
    assert traffic.owner is None  # the row's Owner belongs to its deepest level, the KR
    krs = by_title(tracker.key_results)
    assert list(krs) == ["Visits 20 to 30", "Signups 100 to 200", "Bounce rate 60 to 40",
                         "Win 10 deals"]  # fmt: skip
    visits = krs["Visits 20 to 30"]
    assert visits.location.row == 2
    assert visits.owner == "Lee"
    assert (visits.start, visits.target, visits.current) == (20.0, 30.0, 25.0)
    for title in ("Visits 20 to 30", "Signups 100 to 200", "Bounce rate 60 to 40"):
        assert krs[title].objective_id == traffic.id
    assert krs["Win 10 deals"].objective_id == objectives["Improve pipeline"].id
    actions = by_title(tracker.actions)
    assert actions["Publish 4 articles"].parent_id == krs["Bounce rate 60 to 40"].id
    assert actions["Call 50 leads"].parent_id == krs["Win 10 deals"].id
    (layout,) = tracker.layouts
    assert layout.tree_layout is True


def test_tree_layout_action_without_key_result_belongs_to_objective(tmp_path: Path) -> None:
    """In the tree layout an action with no KR since its objective belongs to the objective."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Action"],
        ["Grow traffic", None, "Audit the site"],
        [None, "Visits", None],
    ]
    tracker = parse(tmp_path, {"Plan": rows})
    (objective,) = tracker.objectives
    (action,) = tracker.actions
    assert action.parent_id == objective.id
    assert tracker.key_results[0].objective_id == objective.id


def test_tree_layout_reports_a_row_with_values_but_no_level(tmp_path: Path) -> None:
    """A tree row with figures but no level cell is reported rather than dropped silently."""
    rows: list[list[Any]] = [
        ["Objective", "Key Result", "Action", "Target"],
        ["Grow traffic", "Visits", None, 30],
        [None, None, None, 40],
    ]
    tracker = parse(tmp_path, {"Plan": rows})
    assert [(p.tab, p.cell) for p in tracker.problems] == [("Plan", "A3")]


def test_header_below_a_title_banner(tmp_path: Path) -> None:
    """A header on row 4 under a merged banner is found, and cells keep their real addresses."""
    rows: list[list[Any]] = [
        ["Marketing OKRs - Q4 2026"],
        [],
        ["Updated weekly by the team leads"],
        HEADER,
        obj("Grow traffic"),
        kr("Visits", start=20, target="thirty"),
    ]
    tracker = parse(tmp_path, {"2026-Q4": rows}, merges={"2026-Q4": ["A1:H1"]})
    (layout,) = tracker.layouts
    assert layout.header_row == 4
    assert [o.location.row for o in tracker.objectives] == [5]
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("G6", 'Target "thirty" is not a number')
    ]


def test_korean_headers_and_titles(tmp_path: Path) -> None:
    """Korean header names, type words, statuses, numbers and dates read like English ones."""
    header = ["구분", "제목", "담당자", "팀", "분기", "시작값", "목표값", "현재값", "단위",
              "가중치", "마감일", "상태", "약속"]  # fmt: skip
    rows: list[list[Any]] = [
        header,
        ["목표", "신규 고객 확보", "김민수", "마케팅", "2026년 4분기", None, None, None, None,
         2, None, None, "확정"],
        ["핵심 결과", "월 매출 1억 달성", "이지은", None, None, "1,300만원", "1억", "5,000만원",
         "원", None, "2026년 12월 31일"],
        ["행동", "웨비나 개최", "박서준", None, None, None, None, None, None, None,
         "2026.11.15", "완료"],
        ["주요 결과", "출시 완료", "이지은", None, None, None, None, "완료"],
    ]  # fmt: skip
    tracker = parse(tmp_path, {"마케팅 OKR": rows})
    assert tracker.problems == ()
    (objective,) = tracker.objectives
    assert objective.title == "신규 고객 확보"
    assert objective.owner == "김민수"
    assert objective.team == "마케팅"
    assert objective.quarter == Quarter(2026, 4)
    assert objective.weight == 2.0
    assert objective.commitment.value == "committed"
    revenue, launch = tracker.key_results
    assert revenue.title == "월 매출 1억 달성"
    assert (revenue.start, revenue.target, revenue.current) == (13_000_000, 1e8, 50_000_000)
    assert revenue.unit == "원"
    assert revenue.due == dt.date(2026, 12, 31)
    assert launch.milestone_done is True
    (action,) = tracker.actions
    assert action.status is Status.DONE
    assert action.due == dt.date(2026, 11, 15)
    assert action.parent_id == revenue.id


# --- cell values -------------------------------------------------------------------------

NUMBER_FORMS: list[tuple[Any, float]] = [
    (1200, 1200.0),
    (12.5, 12.5),
    ("1,200", 1200.0),
    ("$12,000", 12000.0),
    ("₩1,300,000", 1300000.0),
    ("30 MQLs", 30.0),
    ("20%", 0.2),
    (" 45 ", 45.0),
    ("-5", -5.0),
    ("(1,200)", -1200.0),
    ("1.2k", 1200.0),
    ("1.2M", 1200000.0),
    ("1,300만원", 13000000.0),
    ("1.5억", 150000000.0),
]


@pytest.mark.parametrize("column", ["start", "target", "current"])
def test_every_number_form_in_start_target_and_current(tmp_path: Path, column: str) -> None:
    """Each number form of the contract reads to its value in Start, Target and Current."""
    others = {"start": 7, "target": 99_999_999_999, "current": 3}
    rows: list[list[Any]] = [HEADER, obj("Grow")]
    for index, (cell, _) in enumerate(NUMBER_FORMS):
        rows.append(kr(f"kr{index}", **{**others, column: cell}))
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    for index, (_, expected) in enumerate(NUMBER_FORMS):
        key_result = by_title(tracker.key_results)[f"kr{index}"]
        assert getattr(key_result, column) == pytest.approx(expected)
        assert key_result.readable is True


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("thirty", 'Target "thirty" is not a number'),
        ("12,5", 'Target "12,5" is not a number'),
        ("20 to 30", 'Target "20 to 30" is not a number'),
        (True, 'Target "True" is not a number'),
    ],
)
def test_unreadable_target_is_reported_not_guessed(tmp_path: Path, cell: Any, message: str) -> None:
    """A non-number Target is a problem at its cell; the KR is left out, not a milestone."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, obj("Grow"), kr("Visits", target=cell)]})
    assert [(p.tab, p.cell, p.message) for p in tracker.problems] == [("OKRs", "G3", message)]
    (key_result,) = tracker.key_results
    assert key_result.readable is False
    assert key_result.target is None
    assert key_result.milestone_done is None


def test_problem_message_format_is_the_contracts(tmp_path: Path) -> None:
    """A problem prints as `'Q4 2026'!F12: Target "thirty" is not a number`."""
    header = ["Type", "Title", "Owner", "Team", "Start", "Target", "Current"]
    rows: list[list[Any]] = [header, ["Objective", "Grow traffic"]]
    rows += [["Key Result", f"KR {n}", None, None, 0, 10, 5] for n in range(9)]
    rows.append(["Key Result", "Visits", None, None, 20, "thirty", 25])
    assert len(rows) == 12
    tracker = parse(tmp_path, {"Q4 2026": rows})
    assert messages(tracker) == ["'Q4 2026'!F12: Target \"thirty\" is not a number"]


def test_merged_team_cell_gives_each_objective_the_team(tmp_path: Path) -> None:
    """A Team cell merged over several objectives' rows is the team of each of them."""
    rows: list[list[Any]] = [
        HEADER,
        obj("Grow traffic", team="Content"),
        kr("Visits", target=30),
        obj("Grow signups"),
        kr("Signups", target=200),
        obj("Grow retention"),
        obj("Other team", team="Sales"),
    ]
    tracker = parse(tmp_path, {"OKRs": rows}, merges={"OKRs": ["D2:D6"]})
    assert tracker.problems == ()
    teams = {o.title: o.team for o in tracker.objectives}
    assert teams == {"Grow traffic": "Content", "Grow signups": "Content",
                     "Grow retention": "Content", "Other team": "Sales"}  # fmt: skip


def test_merged_owner_cell_gives_each_key_result_the_owner(tmp_path: Path) -> None:
    """An Owner cell merged over several KR rows is the owner of each of them."""
    rows = [HEADER, obj("Grow"), kr("a", owner="Lee", target=1), kr("b", target=1),
            kr("c", target=1)]  # fmt: skip
    tracker = parse(tmp_path, {"OKRs": rows}, merges={"OKRs": ["C3:C5"]})
    assert [k.owner for k in tracker.key_results] == ["Lee", "Lee", "Lee"]


def test_merged_title_does_not_spill_into_other_columns(tmp_path: Path) -> None:
    """A title merged across the Owner, Team and Quarter columns is only the title."""
    rows = [HEADER, obj("Grow traffic"), kr("Visits", target=30)]
    tracker = parse(tmp_path, {"OKRs": rows}, merges={"OKRs": ["B2:E2"]})
    assert tracker.problems == ()
    (objective,) = tracker.objectives
    assert (objective.title, objective.owner, objective.team) == ("Grow traffic", None, None)
    assert objective.quarter == DEFAULT_QUARTER


def test_merged_header_cell_does_not_fill_the_rows_below(tmp_path: Path) -> None:
    """A header cell merged down over data rows does not become their value."""
    rows = [HEADER, obj("Grow traffic"), kr("Visits", target=30)]
    tracker = parse(tmp_path, {"OKRs": rows}, merges={"OKRs": ["D1:D2", "C1:C3"]})
    assert tracker.problems == ()
    (objective,) = tracker.objectives
    assert objective.team is None
    assert tracker.key_results[0].owner is None


def test_merged_start_over_a_blank_target_is_not_a_target(tmp_path: Path) -> None:
    """A Start cell merged across the Target column does not make Target equal Start."""
    rows = [HEADER, obj("Grow"), kr("Launch", start=5, current="Done")]
    tracker = parse(tmp_path, {"OKRs": rows}, merges={"OKRs": ["F3:G3"]})
    assert tracker.problems == ()
    (key_result,) = tracker.key_results
    assert key_result.is_milestone
    assert key_result.milestone_done is True


def test_formula_without_cached_value_is_a_problem(tmp_path: Path) -> None:
    """A formula saved without its value (as openpyxl writes it) is a problem, not 0 or blank."""
    rows = [HEADER, obj("Grow"), kr("Visits", start=20, target="=10*3", current=25)]
    tracker = parse(tmp_path, {"OKRs": rows})
    (problem,) = tracker.problems
    assert (problem.tab, problem.cell) == ("OKRs", "G3")
    assert problem.message.startswith("Target is a formula without a calculated value")
    (key_result,) = tracker.key_results
    assert key_result.readable is False
    assert key_result.target is None
    assert key_result.milestone_done is None  # not mistaken for a milestone


def test_formula_in_current_of_a_milestone_is_a_problem(tmp_path: Path) -> None:
    """A value-less formula in a milestone's Current is reported, not read as "not done"."""
    rows = [HEADER, obj("Grow"), kr("Launch", current='=IF(TRUE,"Done","")')]
    tracker = parse(tmp_path, {"OKRs": rows})
    (problem,) = tracker.problems
    assert problem.cell == "H3"
    assert "formula without a calculated value" in problem.message
    assert tracker.key_results[0].readable is False


def test_formula_with_cached_value_is_read(tmp_path: Path) -> None:
    """A formula saved with its calculated value reads as that value."""
    rows = [HEADER, obj("Grow"), kr("Visits", start=20, target=30, current="=20+5")]
    path = write_workbook(tmp_path / "cached.xlsx", {"OKRs": rows})
    set_cached_value(path, "H3", "25")
    tracker = read(path)
    assert tracker.problems == ()
    (key_result,) = tracker.key_results
    assert key_result.current == 25.0
    assert key_result.readable is True


@pytest.mark.parametrize(
    ("code", "column"),
    [("#REF!", "target"), ("#N/A", "current"), ("#DIV/0!", "start"), ("#VALUE!", "weight")],
)
def test_error_cells_become_problems_naming_the_cell(
    tmp_path: Path, code: str, column: str
) -> None:
    """An error value in a figure cell is a problem at that cell, and the KR is left out."""
    address = f"{'ABCDEFGHIJKLMNO'[_INDEX[column]]}3"
    rows = [HEADER, obj("Grow"), kr("Visits", **{"start": 0, "target": 30, column: code})]
    tracker = parse(tmp_path, {"2026-Q4": rows}, errors={"2026-Q4": [address]})
    (problem,) = tracker.problems
    assert str(problem) == (
        f"'2026-Q4'!{address}: {col.DISPLAY_NAMES[column]} is the error {code}, expected a number"
    )
    assert tracker.key_results[0].readable is False


def test_error_in_title_is_a_problem(tmp_path: Path) -> None:
    """An error value in a Title cell is reported at that cell."""
    rows = [HEADER, obj("#REF!"), kr("Visits", target=1)]
    tracker = parse(tmp_path, {"OKRs": rows}, errors={"OKRs": ["B2"]})
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("B2", "Title is the error #REF!, expected text")
    ]
    assert tracker.objectives[0].readable is False


def test_unknown_type_is_a_problem_and_the_row_is_skipped(tmp_path: Path) -> None:
    """An unknown Type is a problem at the Type cell and the row is not read."""
    rows = [HEADER, obj("Grow"), row("Milestone", "Launch", target=1), kr("Visits", target=1)]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("A3", 'Type "Milestone" is not one of Objective, Key Result, Action')
    ]
    assert [k.title for k in tracker.key_results] == ["Visits"]
    assert tracker.key_results[0].objective_id == tracker.objectives[0].id


@pytest.mark.parametrize(
    ("cell", "errors", "expected"),
    [
        ('="Objective"', [], "Type is a formula without a calculated value"),
        ("#REF!", ["A2"], "Type is the error #REF!"),
    ],
)
def test_unreadable_type_cell_is_described(
    tmp_path: Path, cell: str, errors: list[str], expected: str
) -> None:
    """An error or value-less formula in a Type cell is described as such at the Type cell."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, row(cell, "Grow")]}, errors={"OKRs": errors})
    (problem,) = tracker.problems
    assert problem.cell == "A2"
    assert problem.message.startswith(expected)
    assert tracker.objectives == ()


def test_row_with_values_but_no_type_is_a_problem(tmp_path: Path) -> None:
    """A row with a title or figures but a blank Type is reported at the Type cell."""
    rows = [HEADER, obj("Grow"), row(None, "Visits", target=30)]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert [p.cell for p in tracker.problems] == ["A3"]
    assert tracker.key_results == ()


def test_key_result_before_any_objective_is_a_problem(tmp_path: Path) -> None:
    """A KR with no objective above it (and no Parent) is reported and left out."""
    rows = [HEADER, kr("Orphan", target=10), obj("Grow"), kr("Visits", target=10)]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("B2", "Key Result has no Objective above it (or in Parent)")
    ]
    orphan = by_title(tracker.key_results)["Orphan"]
    assert orphan.readable is False
    assert orphan.objective_id == ""


def test_action_before_anything_is_a_problem(tmp_path: Path) -> None:
    """An action with nothing above it is reported."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, act("Lost"), obj("Grow")]})
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("B2", "Action has no Key Result or Objective above it")
    ]


@pytest.mark.parametrize(("start", "target"), [(20, 20), (None, 0), ("1,000", 1000)])
def test_target_equal_to_start_is_a_problem(tmp_path: Path, start: Any, target: Any) -> None:
    """T = S is a problem at the Target cell and the KR is left out of scores."""
    rows = [HEADER, obj("Grow"), kr("Flat", start=start, target=target, current=5)]
    tracker = parse(tmp_path, {"OKRs": rows})
    (problem,) = tracker.problems
    assert problem.cell == "G3"
    assert "Target equals Start" in problem.message
    assert tracker.key_results[0].readable is False


def test_blank_rows_are_skipped(tmp_path: Path) -> None:
    """Blank rows (empty or spaces only) between rows change nothing."""
    rows: list[list[Any]] = [
        HEADER,
        [],
        obj("Grow"),
        [None, None, None],
        ["  ", " "],
        kr("Visits", target=10),
        [],
        act("Write"),
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    (objective,) = tracker.objectives
    (key_result,) = tracker.key_results
    assert key_result.objective_id == objective.id
    assert tracker.actions[0].parent_id == key_result.id


def test_extra_unknown_columns_are_ignored(tmp_path: Path) -> None:
    """Columns the contract does not name are neither read nor reported."""
    header = ["Deck", "Type", "Formula check", "Title", "Start", "Target", "Links"]
    rows: list[list[Any]] = [
        header,
        ["see deck", "Objective", 12, "Grow", None, None, "http://x"],
        ["#1", "Key Result", "=A1", "Visits", 0, 10, True],
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    (layout,) = tracker.layouts
    assert layout.columns == {col.TYPE: 1, col.TITLE: 3, col.START: 4, col.TARGET: 5}
    assert tracker.key_results[0].target == 10.0


# --- hierarchy ---------------------------------------------------------------------------


def test_hierarchy_by_row_order(tmp_path: Path) -> None:
    """KRs join the objective above; actions the KR above, or the objective if none since."""
    rows: list[list[Any]] = [
        HEADER,
        obj("O1"),
        act("A-o1"),
        kr("K1", target=1),
        act("A-k1"),
        kr("K2", target=1),
        act("A-k2"),
        obj("O2"),
        act("A-o2"),
        kr("K3", target=1),
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    o = by_title(tracker.objectives)
    k = by_title(tracker.key_results)
    a = by_title(tracker.actions)
    assert [k[t].objective_id for t in ("K1", "K2", "K3")] == [o["O1"].id, o["O1"].id, o["O2"].id]
    assert a["A-o1"].parent_id == o["O1"].id
    assert a["A-k1"].parent_id == k["K1"].id
    assert a["A-k2"].parent_id == k["K2"].id
    assert a["A-o2"].parent_id == o["O2"].id


def test_hierarchy_restarts_on_each_tab(tmp_path: Path) -> None:
    """A KR at the top of a tab does not belong to the last objective of the previous tab."""
    tracker = parse(
        tmp_path,
        {"A": [HEADER, obj("Grow"), kr("k1", target=1)], "B": [HEADER, kr("k2", target=1)]},
    )
    assert [(p.tab, p.cell) for p in tracker.problems] == [("B", "B2")]
    assert by_title(tracker.key_results)["k2"].objective_id == ""


def test_parent_id_overrides_row_order(tmp_path: Path) -> None:
    """A filled Parent cell links a KR or action to that row instead of the one above."""
    rows: list[list[Any]] = [
        HEADER,
        obj("O1", id="O-1"),
        obj("O2", id="O-2"),
        kr("K1", target=1, parent="O-1", id="K-1"),
        act("A1", parent="K-1"),
        act("A2", parent="O-1"),
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    (key_result,) = tracker.key_results
    assert key_result.objective_id == "O-1"
    assert key_result.id == "K-1"
    assert key_result.id_in_sheet is True
    assert [a.parent_id for a in tracker.actions] == ["K-1", "O-1"]


def test_parent_id_across_tabs(tmp_path: Path) -> None:
    """A Parent may name a row on another tab, before or after its own."""
    tabs: dict[str, Rows] = {
        "Company": [HEADER, obj("Win the market", id="CO-1"), kr("Share", target=1, id="CO-KR")],
        "Team": [HEADER, kr("Team KR", target=1, parent="CO-1"), act("Do", parent="LATER")],
        "Later": [HEADER, obj("Later objective", id="LATER")],
    }
    tracker = parse(tmp_path, tabs)
    assert tracker.problems == ()
    assert by_title(tracker.key_results)["Team KR"].objective_id == "CO-1"
    assert by_title(tracker.key_results)["Team KR"].readable is True
    assert tracker.actions[0].parent_id == "LATER"


def test_objective_parent_is_its_alignment(tmp_path: Path) -> None:
    """An objective's Parent records what it aligns to."""
    rows = [HEADER, obj("Company", id="CO-1"), obj("Team", parent="CO-1")]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert by_title(tracker.objectives)["Team"].aligns_to == "CO-1"


def test_unknown_parent_is_a_problem(tmp_path: Path) -> None:
    """A Parent naming no row is a problem at the Parent cell; the KR is left out."""
    rows = [HEADER, obj("Grow"), kr("Visits", target=1, parent="NOPE")]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert messages(tracker) == ['OKRs!N3: Parent "NOPE" is not the ID of any row']
    (key_result,) = tracker.key_results
    assert key_result.readable is False
    assert key_result.objective_id == ""


def test_key_result_parent_must_be_an_objective(tmp_path: Path) -> None:
    """A KR whose Parent names another KR is a problem at the Parent cell."""
    rows = [HEADER, obj("Grow"), kr("K1", target=1, id="K-1"), kr("K2", target=1, parent="K-1")]
    tracker = parse(tmp_path, {"OKRs": rows})
    (problem,) = tracker.problems
    assert problem.cell == "N4"
    assert problem.message == 'Parent "K-1" is not the ID of an objective'
    assert by_title(tracker.key_results)["K2"].readable is False


def test_action_parent_must_be_a_key_result_or_objective(tmp_path: Path) -> None:
    """An action whose Parent names another action is a problem."""
    rows = [HEADER, obj("Grow"), act("A1", id="A-1"), act("A2", parent="A-1")]
    tracker = parse(tmp_path, {"OKRs": rows})
    (problem,) = tracker.problems
    assert problem.cell == "N4"
    assert problem.message.startswith('Parent "A-1" is not the ID of a')


# --- quarters ----------------------------------------------------------------------------


def test_quarter_from_column_tab_name_and_default(tmp_path: Path) -> None:
    """An objective's quarter is its Quarter cell, else the tab's name, else the default."""
    tabs: dict[str, Rows] = {
        "Q3 2026": [HEADER, obj("From cell", quarter="2027-Q1"), obj("From tab")],
        "Plan": [HEADER, obj("From default"), obj("Korean cell", quarter="2026년 2분기")],
    }
    tracker = parse(tmp_path, tabs, quarter=Quarter(2025, 1))
    assert tracker.problems == ()
    quarters = {o.title: o.quarter for o in tracker.objectives}
    assert quarters == {
        "From cell": Quarter(2027, 1),
        "From tab": Quarter(2026, 3),
        "From default": Quarter(2025, 1),
        "Korean cell": Quarter(2026, 2),
    }


@pytest.mark.parametrize("cell", ["sometime", "2026-Q3 or 2026-Q4", "9999-Q4"])
def test_unreadable_quarter_is_a_problem(tmp_path: Path, cell: str) -> None:
    """A Quarter cell that names no single datable quarter is a problem at its cell."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, obj("Grow", quarter=cell)]})
    assert [(p.cell, p.message) for p in tracker.problems] == [
        ("E2", f'Quarter "{cell}" is not a quarter such as 2026-Q4')
    ]


# --- IDs ---------------------------------------------------------------------------------


def test_duplicate_id_is_a_problem_on_the_second(tmp_path: Path) -> None:
    """The second row using an ID gets a problem naming the first; the first keeps the ID."""
    rows = [HEADER, obj("Grow", id="X-1"), kr("Visits", target=1, id="X-1")]
    tracker = parse(tmp_path, {"2026-Q4": rows})
    (problem,) = tracker.problems
    assert problem.cell == "M3"
    assert problem.message.startswith("ID \"X-1\" is also used at '2026-Q4'!B2")
    assert tracker.objectives[0].id == "X-1"
    assert tracker.key_results[0].id != "X-1"
    assert tracker.key_results[0].id_in_sheet is False


def test_provisional_ids_are_deterministic(tmp_path: Path) -> None:
    """Rows without an ID get the same provisional IDs on every read, marked not in the sheet."""
    rows = [HEADER, obj("Grow"), kr("Visits", target=1), kr("Visits", target=2), act("Write")]
    path = write_workbook(tmp_path / "ids.xlsx", {"OKRs": rows})
    first, second = read(path), read(path)
    nodes: list[Objective | KeyResult | Action] = [
        *first.objectives,
        *first.key_results,
        *first.actions,
    ]
    ids = [n.id for n in nodes]
    again: list[Objective | KeyResult | Action] = [
        *second.objectives,
        *second.key_results,
        *second.actions,
    ]
    assert ids == [n.id for n in again]
    assert len(set(ids)) == len(ids)
    assert all(n.id_in_sheet is False for n in nodes)
    assert ids[0].startswith("O-")
    assert ids[1].startswith("KR-")
    assert ids[3].startswith("A-")
    assert first.key_results[0].objective_id == ids[0]


def test_provisional_id_does_not_depend_on_the_row(tmp_path: Path) -> None:
    """Moving a row down (rows inserted above) keeps its provisional ID."""
    before = parse(tmp_path, {"OKRs": [HEADER, obj("Grow")]})
    after = parse(tmp_path, {"OKRs": [HEADER, [], [], obj("Grow")]})
    assert before.objectives[0].id == after.objectives[0].id


def test_numeric_id_and_parent_match(tmp_path: Path) -> None:
    """An ID typed as a number and a Parent naming it match as text."""
    rows = [HEADER, obj("Grow", id=7), kr("Visits", target=1, parent="7")]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    assert tracker.objectives[0].id == "7"
    assert tracker.key_results[0].objective_id == "7"


# --- milestones and check-ins --------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "status", "done"),
    [
        ("Done", None, True),
        ("Yes", None, True),
        (1, None, True),
        ("완료", None, True),
        ("TRUE", None, True),
        (True, None, True),
        (None, "Done", True),
        (None, "완료", True),
        ("No", None, False),
        (0, None, False),
        (None, "In progress", False),
        ("No", "Done", True),
        (None, None, None),
    ],
)
def test_milestone_done_from_current_or_status(
    tmp_path: Path, current: Any, status: Any, done: bool | None
) -> None:
    """A blank-Target KR is done when Current or Status says so; unchecked when both blank."""
    rows = [HEADER, obj("Grow"), kr("Launch", current=current, status=status)]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert tracker.problems == ()
    (key_result,) = tracker.key_results
    assert key_result.is_milestone
    assert key_result.milestone_done is done
    assert key_result.checked_in is (done is not None)
    assert key_result.readable is True


def test_no_check_in_is_not_a_problem(tmp_path: Path) -> None:
    """A numeric KR with a blank Current has no check-in yet and is still readable."""
    tracker = parse(tmp_path, {"OKRs": [HEADER, obj("Grow"), kr("Visits", start=5, target=10)]})
    assert tracker.problems == ()
    (key_result,) = tracker.key_results
    assert key_result.current is None
    assert key_result.checked_in is False
    assert key_result.readable is True


def test_other_key_result_fields(tmp_path: Path) -> None:
    """Weight, Due, Status and Confidence of a KR are read; a bad Due is reported."""
    header = [*HEADER, "Confidence"]
    rows: list[list[Any]] = [
        header,
        obj("Grow", weight=3, commitment="Committed"),
        [*kr("K1", target=10, weight="2", due=dt.date(2026, 12, 1), status="In progress"), 7],
        kr("K2", target=10, due="12/01/2026"),
        kr("K3", target=10, weight=0),
    ]
    tracker = parse(tmp_path, {"OKRs": rows})
    (objective,) = tracker.objectives
    assert objective.weight == 3.0
    assert objective.commitment.value == "committed"
    k1, k2, k3 = tracker.key_results
    assert (k1.weight, k1.due, k1.status, k1.confidence) == (
        2.0,
        dt.date(2026, 12, 1),
        Status.IN_PROGRESS,
        7.0,
    )
    assert [(p.cell, p.message.split(" ")[0]) for p in tracker.problems] == [
        ("K4", "Due"),
        ("J5", "Weight"),
    ]
    assert (k1.readable, k2.readable, k3.readable) == (True, False, False)


# --- tabs --------------------------------------------------------------------------------


def test_non_okr_tabs_are_ignored(tmp_path: Path) -> None:
    """Tabs without an OKR header in their first 10 rows are neither read nor reported."""
    tabs: dict[str, Rows] = {
        "Notes": [["Meeting notes"], ["Type your ideas here", 3, "#REF!"], ["Title", "x"]],
        "2026-Q4": [HEADER, obj("Grow"), kr("Visits", target=1)],
        "Dashboard": [["Quarter", "Score"], ["2026-Q4", 0.5]],
        "Late header": [*(["x"] for _ in range(10)), HEADER, obj("Never read")],
        "Empty": [],
    }
    tracker = parse(tmp_path, tabs)
    assert tracker.problems == ()
    assert [layout.tab for layout in tracker.layouts] == ["2026-Q4"]
    assert [o.title for o in tracker.objectives] == ["Grow"]


def test_tool_tabs_are_ignored(tmp_path: Path) -> None:
    """Summary, History and Checks are the tool's own tabs, never read as the plan."""
    okr_like = [HEADER, obj("Not a plan"), kr("Not a KR", target="bad")]
    tabs = {"Summary": okr_like, "History": okr_like, "Checks": okr_like,
            "OKRs": [HEADER, obj("Grow")]}  # fmt: skip
    tracker = parse(tmp_path, tabs)
    assert tracker.problems == ()
    assert [layout.tab for layout in tracker.layouts] == ["OKRs"]
    assert [o.title for o in tracker.objectives] == ["Grow"]


def test_workbook_without_okr_tab(tmp_path: Path) -> None:
    """A workbook with no OKR tab gives an empty Tracker with one workbook-level problem."""
    tracker = parse(tmp_path, {"Notes": [["hello"]], "Summary": [HEADER, obj("x")]})
    assert tracker.layouts == ()
    assert (tracker.objectives, tracker.key_results, tracker.actions) == ((), (), ())
    (problem,) = tracker.problems
    assert (problem.tab, problem.cell) == ("", "")
    assert str(problem).startswith("no OKR tab found")


def test_several_okr_tabs_in_both_layouts(tmp_path: Path) -> None:
    """Each tab's layout is detected on its own."""
    tabs: dict[str, Rows] = {
        "Type": [HEADER, obj("T-O"), kr("T-K", target=1)],
        "Tree": [["Objective", "Key Result", "Target"], ["R-O", "R-K", 5]],
    }
    tracker = parse(tmp_path, tabs)
    assert tracker.problems == ()
    assert [(layout.tab, layout.tree_layout) for layout in tracker.layouts] == [
        ("Type", False),
        ("Tree", True),
    ]
    assert [k.title for k in tracker.key_results] == ["T-K", "R-K"]


def test_problems_are_ordered_by_tab_then_row_then_column(tmp_path: Path) -> None:
    """Problems come in workbook order: tab by tab, then by row, then by column."""
    tabs: dict[str, Rows] = {
        "First": [HEADER, obj("O", weight=-1), kr("K", start="x", target="y")],
        "Second": [HEADER, kr("orphan", target=1)],
    }
    tracker = parse(tmp_path, tabs)
    assert [(p.tab, p.cell) for p in tracker.problems] == [
        ("First", "J2"),
        ("First", "F3"),
        ("First", "G3"),
        ("Second", "B2"),
    ]


def test_levels_of_every_node_match_their_kind(tmp_path: Path) -> None:
    """Objectives, KRs and actions land in their own lists, whatever the order of rows."""
    rows = [HEADER, obj("O"), act("A"), kr("K", target=1), obj("O2")]
    tracker = parse(tmp_path, {"OKRs": rows})
    assert {Level.OBJECTIVE: len(tracker.objectives), Level.KEY_RESULT: len(tracker.key_results),
            Level.ACTION: len(tracker.actions)} == {Level.OBJECTIVE: 2, Level.KEY_RESULT: 1,
                                                     Level.ACTION: 1}  # fmt: skip


def test_unreadable_is_a_value_error() -> None:
    """Unreadable stays a ValueError, so callers that catch ValueError still work."""
    assert issubclass(Unreadable, ValueError)


def test_a_numeric_key_result_keeps_its_score_whatever_its_status_says(tmp_path: Path) -> None:
    """Status words outside the contract's on a numeric KR are not a problem; it is scored."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {"2026-Q4": [
            ["Type", "Title", "Start", "Target", "Current", "Status"],
            ["Objective", "Increase website traffic"],
            ["Key Result", "Grow visits from 0 to 10", 0, 10, 5, "On track"],
            ["Key Result", "Grow signups from 0 to 10", 0, 10, 5, "In progress"],
        ]},
    )  # fmt: skip
    tracker = read(path)
    assert tracker.problems == ()
    assert [kr.readable for kr in tracker.key_results] == [True, True]
    assert [kr.status for kr in tracker.key_results] == [None, Status.IN_PROGRESS]


def test_concurrent_reads_leave_the_cycle_collector_as_it_was() -> None:
    """Pauses overlapping in several threads always end with the collector back on."""
    import gc
    import sys
    import threading

    from sheets_okr.read.parse import cycle_collector_paused

    def pause_often() -> None:
        for _ in range(300):
            with cycle_collector_paused():
                pass

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke races
    try:
        threads = [threading.Thread(target=pause_often) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert gc.isenabled()
