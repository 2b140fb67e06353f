"""The starter workbook: the example plan laid on a quarter, and the file `init` writes."""

from __future__ import annotations

import datetime as dt
import os
import stat
import tomllib
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.model.quarters import Quarter
from sheets_okr.plan.starter import PlanRow, create_workbook, example_rows
from sheets_okr.read import columns as col
from sheets_okr.resources import templates_dir
from sheets_okr.score.scorecard import pace
from tests.support.workbooks import day, read

Q4 = Quarter(2026, 4)


def _plan() -> dict[str, Any]:
    return tomllib.loads((templates_dir() / "example-quarter.toml").read_text("utf-8"))


def _key_results(rows: list[PlanRow]) -> dict[str, dict[str, Any]]:
    return {r.values[col.TITLE]: r.values for r in rows if r.level == "Key Result"}


def _actions(rows: list[PlanRow]) -> dict[str, dict[str, Any]]:
    return {r.values[col.TITLE]: r.values for r in rows if r.level == "Action"}


def test_templates_folder_holds_the_example_plan() -> None:
    """The example plan ships in the templates folder the package finds."""
    assert (templates_dir() / "example-quarter.toml").is_file()


def test_example_plan_has_the_shape_of_a_good_quarter() -> None:
    """3-5 objectives with 3-5 KRs each, every KR with at least one dated action."""
    plan = _plan()
    assert 3 <= len(plan["objectives"]) <= 5
    for objective in plan["objectives"]:
        assert 3 <= len(objective["key_results"]) <= 5
        assert objective["commitment"] in ("committed", "aspirational")
        for kr in objective["key_results"]:
            assert kr["start"] != kr["target"]
            assert kr["actions"]
            assert all(0 <= a["due_day"] < 90 for a in kr["actions"])


@pytest.mark.parametrize(
    ("quarter", "as_of"),
    [
        (Q4, day("2026-11-30")),
        (Quarter(2027, 1), day("2027-01-01")),
        (Quarter(2026, 2), day("2026-06-30")),
        (Quarter(2026, 1), day("2026-12-01")),
    ],
)
def test_example_dates_fall_inside_the_quarter(quarter: Quarter, as_of: dt.date) -> None:
    """Every Due date of a KR or an action lies between the quarter's first and last day."""
    rows = example_rows(quarter, as_of)
    dues = [r.values[col.DUE] for r in rows if col.DUE in r.values]
    assert len(dues) == len([r for r in rows if r.level != "Objective"])
    for due in dues:
        assert quarter.start() <= due <= quarter.end()
    assert {r.values[col.QUARTER] for r in rows if r.level == "Objective"} == {str(quarter)}


def test_example_currents_follow_the_pace_mid_quarter() -> None:
    """On 2026-11-30 (60/92 of Q4) MQLs 120->200 at pace 0.95 stand at 170 (169.57 rounded)."""
    krs = _key_results(example_rows(Q4, day("2026-11-30")))
    mqls = krs["Increase MQLs attributed to inbound marketing from 120 to 200"]
    assert mqls[col.CURRENT] == 170
    cost = krs["Reduce cost per MQL from $180 to $120"]  # 180 - 60 * 60/92 * 0.55 = 158.48
    assert cost[col.CURRENT] == 158
    newsletters = krs["Send 6 email newsletters"]  # 6 * 60/92 * 1.0 = 3.91
    assert newsletters[col.CURRENT] == 4


def test_example_currents_start_at_the_baseline_on_day_one() -> None:
    """On the quarter's first day nothing has moved yet: every Current equals its Start."""
    for values in _key_results(example_rows(Q4, day("2026-10-01"))).values():
        assert values[col.CURRENT] == values[col.START]


def test_example_currents_at_quarter_end_use_the_full_pace_capped_at_115_percent() -> None:
    """After the quarter the share is the KR's pace, capped at 1.15: 0->5 at 1.2 ends at 6."""
    krs = _key_results(example_rows(Q4, day("2027-01-15")))
    assert krs["Increase MQLs attributed to inbound marketing from 120 to 200"][col.CURRENT] == 196
    assert krs["Reduce cost per MQL from $180 to $120"][col.CURRENT] == 147  # 180 - 60 * 0.55
    assert krs["Grow sales-accepted leads from 40 to 70 per month"][col.CURRENT] == 73
    assert krs["Increase inbound pipeline from $400,000 to $650,000"][col.CURRENT] == 600_000
    assert krs["Train 5 team members to use the marketing CRM"][col.CURRENT] == 6  # 5 * 1.15


@pytest.mark.parametrize("as_of", ["2026-10-01", "2026-10-20", "2026-11-30", "2026-12-31"])
def test_every_example_current_is_within_rounding_of_its_pace(as_of: str) -> None:
    """(Current - Start) / (Target - Start) equals elapsed x pace up to rounding to whole units."""
    elapsed = pace(Q4, day(as_of))
    krs = _key_results(example_rows(Q4, day(as_of)))
    for objective in _plan()["objectives"]:
        for kr in objective["key_results"]:
            values = krs[kr["title"]]
            span = kr["target"] - kr["start"]
            progress = (values[col.CURRENT] - kr["start"]) / span
            share = min(elapsed * kr["pace"], 1.15)
            assert progress == pytest.approx(share, abs=0.5 / abs(span) + 1e-12), kr["title"]


def test_example_action_statuses_follow_the_as_of_date() -> None:
    """On 2026-11-30: past actions are Done unless late, those due within 14 days In progress."""
    actions = _actions(example_rows(Q4, day("2026-11-30")))
    assert actions["Build a funnel dashboard in the CRM"][col.STATUS] == "Done"  # due 10-21
    late = actions["Move budget to the two best-performing channels"]  # due 11-10, late
    assert late[col.STATUS] == "In progress"
    webinar = actions["Launch a three-part webinar series on pipeline reporting"]  # due today
    assert webinar[col.DUE] == day("2026-11-30")
    assert webinar[col.STATUS] == "In progress"
    seo = actions["Publish 12 SEO articles on integration topics"]  # due 12-20, 20 days out
    assert seo[col.DUE] == day("2026-12-20")
    assert seo[col.STATUS] == "Not started"


def test_example_has_a_korean_objective() -> None:
    """One objective is written in Korean, with Korean key results."""
    rows = example_rows(Q4, day("2026-11-30"))
    korean = [r for r in rows if r.level == "Objective" and "한국" in r.values[col.TITLE]]
    assert len(korean) == 1
    assert korean[0].values[col.TEAM] == "Marketing"  # one team, so the plan has 3-5 objectives


def test_create_workbook_writes_a_tracker_the_reader_parses_cleanly(tmp_path: Path) -> None:
    """The example workbook parses with no problems and matches the plan's size."""
    path = tmp_path / "okrs.xlsx"
    create_workbook(path, Q4, example=True, as_of=day("2026-11-30"))
    tracker = read(path)
    assert tracker.problems == ()
    plan = _plan()
    assert len(tracker.objectives) == len(plan["objectives"])
    assert len(tracker.key_results) == sum(len(o["key_results"]) for o in plan["objectives"])
    assert [layout.tab for layout in tracker.layouts] == ["OKRs 2026-Q4"]
    assert {o.quarter for o in tracker.objectives} == {Q4}
    assert all(kr.current is not None for kr in tracker.key_results)
    assert all(a.due is not None and a.status is not None for a in tracker.actions)


def test_create_workbook_leaves_no_temporary_files(tmp_path: Path) -> None:
    """Only the workbook itself is left in the folder."""
    path = tmp_path / "okrs.xlsx"
    create_workbook(path, Q4, example=True, as_of=day("2026-11-30"))
    create_workbook(path, Q4, example=False, as_of=day("2026-11-30"))
    assert [p.name for p in tmp_path.iterdir()] == ["okrs.xlsx"]


def test_create_workbook_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path) -> None:
    """Replacing a 0640 workbook leaves a 0640 workbook (not mkstemp's 0600)."""
    path = tmp_path / "okrs.xlsx"
    create_workbook(path, Q4, example=False)
    os.chmod(path, 0o640)
    create_workbook(path, Q4, example=True, as_of=day("2026-11-30"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert read(path).objectives
