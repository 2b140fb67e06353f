"""The plain data of `sheets-okr score`: the JSON object and the CSV rows (contract section 4)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from sheets_okr.cli.data import CSV_COLUMNS, scorecard_csv, scorecard_data
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import (
    Action,
    Commitment,
    KeyResult,
    Location,
    Objective,
    Problem,
    Status,
    Tracker,
)
from sheets_okr.score.scorecard import score_tracker
from tests.support.workbooks import (
    KEY_RESULT_FIELDS,
    OBJECTIVE_FIELDS,
    day,
    read,
    small_rows,
    write_workbook,
)

Q4 = Quarter(2026, 4)
AS_OF = day("2026-11-30")  # 60 of 92 days into 2026-Q4

PROBLEM_FIELDS = {"tab", "cell", "message"}


def _where(row: int) -> Location:
    return Location("OKRs 2026-Q4", row)


def sample_tracker(**titles: str) -> Tracker:
    """Three objectives: a scored one, one without KRs, one with a milestone; plus a problem."""
    objectives = (
        Objective("O-1", titles.get("o1", "Increase website traffic"), _where(4), Q4,
                  team="Content", owner="Sam", weight=2.0, commitment=Commitment.COMMITTED),
        Objective("O-2", "Improve the sales pipeline", _where(9), Q4, team="Demand Gen"),
        Objective("O-3", "한국 시장 웹사이트 트래픽 증가", _where(11), Q4, team="마케팅 코리아",
                  owner=titles.get("owner", "박지민")),
    )  # fmt: skip
    key_results = (
        KeyResult("KR-1", "O-1", titles.get("kr1", "Grow visits from 20 to 30"), _where(5),
                  start=20, target=30, current=25, unit="visits", owner="Lee"),
        KeyResult("KR-2", "O-1", "Cut cost per MQL from 180 to 120", _where(7),
                  start=180, target=120, current=210, unit="$", owner="Kim", weight=3.0),
        KeyResult("KR-3", "O-1", "Win 10 deals", _where(8), start=0, target=10, current=None),
        KeyResult("KR-4", "O-3", "파트너 포털 오픈", _where(12), target=None, milestone_done=True,
                  status=Status.DONE),
        KeyResult("KR-5", "O-3", "Broken row", _where(13), target=5, current=1, readable=False),
    )  # fmt: skip
    actions = (
        Action("A-1", "KR-1", "Publish 4 articles", _where(6), owner="Lee",
               due=day("2026-11-15"), status=Status.DONE),
    )  # fmt: skip
    problems = (Problem("OKRs 2026-Q4", "G13", 'Target "five" is not a number'),)
    return Tracker(objectives, key_results, actions, problems)


def sample_data(**titles: str) -> dict[str, Any]:
    """The scorecard data of the sample tracker on 2026-11-30."""
    plan = sample_tracker(**titles)
    return scorecard_data(plan, score_tracker(plan, AS_OF), "okrs.xlsx")


def _walk_types(value: Any, path: str = "$") -> list[str]:
    """Paths of every value that is not a plain JSON type (dict, list, str, int, float, bool)."""
    if isinstance(value, dict):
        bad = [f"{path} key {k!r}" for k in value if type(k) is not str]
        for key, item in value.items():
            bad += _walk_types(item, f"{path}.{key}")
        return bad
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _walk_types(item, f"{path}[{i}]")]
    if value is None or type(value) in (str, int, float, bool):
        return []
    return [f"{path}: {type(value).__module__}.{type(value).__name__}"]


def test_json_has_the_contract_fields() -> None:
    """as_of, objectives[] with key_results[], and problems[] carry the contract's fields."""
    data = sample_data()
    assert data["as_of"] == "2026-11-30"
    assert [o["id"] for o in data["objectives"]] == ["O-1", "O-2", "O-3"]
    for objective in data["objectives"]:
        assert objective.keys() >= OBJECTIVE_FIELDS
        for kr in objective["key_results"]:
            assert kr.keys() >= KEY_RESULT_FIELDS
    assert data["problems"]
    for problem in data["problems"]:
        assert problem.keys() >= PROBLEM_FIELDS


def test_json_values_match_the_scores() -> None:
    """Objective O-1: KR scores 0.5 (w1), 0 (w3, regressed) and 0 (no check-in) give 0.1."""
    data = sample_data()
    o1 = data["objectives"][0]
    assert o1 == o1 | {
        "title": "Increase website traffic",
        "team": "Content",
        "quarter": "2026-Q4",
        "weight": 2.0,
        "health": "off_track",  # gap 0.652 - 0.1 = 0.552
    }
    assert o1["score"] == pytest.approx(0.5 / 5)
    assert o1["expected"] == pytest.approx(60 / 92)
    kr1, kr2, kr3 = o1["key_results"]
    assert kr1 == kr1 | {"id": "KR-1", "owner": "Lee", "start": 20, "target": 30, "current": 25}
    assert kr1["weight"] == 1.0
    assert kr1["progress"] == pytest.approx(0.5)
    assert kr1["score"] == pytest.approx(0.5)
    assert kr1["health"] == "at_risk"  # gap 60/92 - 0.5 = 0.152 > 0.15
    assert kr2["progress"] == pytest.approx(-0.5)  # (210-180)/(120-180)
    assert kr2["score"] == 0.0
    assert kr3["progress"] is None
    assert kr3["score"] == 0.0
    assert kr3["health"] == "no_data"


def test_json_figures_are_written_as_people_typed_them() -> None:
    """Start 20 and target 30 come out as the integers 20 and 30, not 20.0."""
    kr1 = sample_data()["objectives"][0]["key_results"][0]
    assert type(kr1["start"]) is int
    assert type(kr1["target"]) is int
    assert type(kr1["current"]) is int


def test_objective_without_key_results_has_null_score_in_json() -> None:
    """O-2 has no KRs: score null, health no_data, and an empty key_results list."""
    o2 = sample_data()["objectives"][1]
    assert o2["score"] is None
    assert o2["health"] == "no_data"
    assert o2["key_results"] == []
    assert o2["expected"] == pytest.approx(60 / 92)


def test_teams_without_any_score_are_listed_with_no_data() -> None:
    """Every team of the plan is in `teams`; Demand Gen (no KRs yet) has score null."""
    teams = {t["team"]: t for t in sample_data()["teams"]}
    assert set(teams) == {"Content", "Demand Gen", "마케팅 코리아"}
    assert teams["Demand Gen"]["score"] is None
    assert teams["Demand Gen"]["health"] == "no_data"
    assert teams["Content"]["score"] == pytest.approx(0.1)
    assert teams["마케팅 코리아"]["score"] == 1.0


def test_key_result_with_an_error_is_not_in_the_json() -> None:
    """KR-5 (unreadable) is left out; its objective O-3 is scored from KR-4 alone (done)."""
    o3 = sample_data()["objectives"][2]
    assert [kr["id"] for kr in o3["key_results"]] == ["KR-4"]
    assert o3["score"] == 1.0
    assert o3["health"] == "done"
    assert o3["key_results"][0]["target"] is None
    assert o3["key_results"][0]["progress"] == 1.0


def test_problems_in_json_point_at_tab_and_cell() -> None:
    """A problem carries its tab, its cell and the message."""
    (problem,) = sample_data()["problems"]
    assert problem["tab"] == "OKRs 2026-Q4"
    assert problem["cell"] == "G13"
    assert problem["message"] == 'Target "five" is not a number'
    assert problem["text"] == "'OKRs 2026-Q4'!G13: Target \"five\" is not a number"


def test_json_dumps_strictly_with_plain_types_only() -> None:
    """No NaN, no numpy or pandas types: json.dumps(allow_nan=False) works and round-trips."""
    data = sample_data()
    assert _walk_types(data) == []
    text = json.dumps(data, allow_nan=False, ensure_ascii=False)
    assert json.loads(text) == data


def test_json_of_a_workbook_is_plain_and_strict(tmp_path: Path) -> None:
    """A tracker read from a real workbook also gives strict JSON with plain types."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {
            "2026-Q4": [
                ["Type", "Title", "Owner", "Team", "Start", "Target", "Current", "Weight"],
                ["Objective", "Increase website traffic", "Sam", "Content", None, None, None, 2],
                ["Key Result", "Grow visits", "Lee", None, 20, 30, 25],
                ["Key Result", "Ship the new site", "Lee", None, None, None, "Done"],
                ["Key Result", "Win deals", "Kim", None, 0, 10],
                ["Objective", "Empty objective"],
                ["Key Result", "Bad target", "Kim", None, 0, "ten", 3],
            ]
        },
    )
    plan = read(path)
    data = scorecard_data(plan, score_tracker(plan, AS_OF), str(path))
    assert _walk_types(data) == []
    json.dumps(data, allow_nan=False)
    assert [p["cell"] for p in data["problems"]] == ["F7"]
    assert data["objectives"][1]["score"] is None


def _csv_rows(data: dict[str, Any]) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(scorecard_csv(data))))


def test_csv_has_one_row_per_objective_and_key_result() -> None:
    """3 objectives and 4 readable key results give 7 rows, each KR after its objective."""
    rows = _csv_rows(sample_data())
    assert [(r["level"], r["id"]) for r in rows] == [
        ("objective", "O-1"),
        ("key_result", "KR-1"),
        ("key_result", "KR-2"),
        ("key_result", "KR-3"),
        ("objective", "O-2"),
        ("objective", "O-3"),
        ("key_result", "KR-4"),
    ]
    header = scorecard_csv(sample_data()).splitlines()[0]
    assert header.split(",") == list(CSV_COLUMNS)


def test_csv_key_results_carry_their_objective() -> None:
    """A KR row names its objective as parent and repeats its team and quarter."""
    kr1 = _csv_rows(sample_data())[1]
    assert kr1["parent_id"] == "O-1"
    assert kr1["team"] == "Content"
    assert kr1["quarter"] == "2026-Q4"
    assert float(kr1["progress"]) == pytest.approx(0.5)
    assert kr1["current"] == "25"


def test_csv_numbers_keep_their_sign() -> None:
    """A regression's progress -0.5 is a number in the CSV, not escaped text."""
    kr2 = _csv_rows(sample_data())[2]
    assert float(kr2["progress"]) == pytest.approx(-0.5)


@pytest.mark.parametrize("dangerous", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)"])
def test_csv_escapes_text_a_spreadsheet_would_run_as_a_formula(dangerous: str) -> None:
    """Titles and owners starting with = + - @ get a leading quote in the CSV."""
    rows = _csv_rows(sample_data(o1=dangerous, kr1=dangerous, owner=dangerous))
    by_id = {r["id"]: r for r in rows}
    assert by_id["O-1"]["title"] == "'" + dangerous
    assert by_id["KR-1"]["title"] == "'" + dangerous
    assert by_id["O-3"]["owner"] == "'" + dangerous


def test_csv_leaves_ordinary_and_korean_text_alone() -> None:
    """Text that cannot start a formula is written as it is."""
    rows = _csv_rows(sample_data())
    by_id = {r["id"]: r for r in rows}
    assert by_id["O-3"]["title"] == "한국 시장 웹사이트 트래픽 증가"
    assert by_id["O-3"]["team"] == "마케팅 코리아"
    assert by_id["O-1"]["title"] == "Increase website traffic"


def test_csv_escapes_ids_that_people_typed_as_formulas() -> None:
    """An ID or Parent typed by a person is user text too: "=1+1" gets a leading quote."""
    plan = sample_tracker()
    o1 = plan.objectives[0]
    hostile = Objective("=1+1", o1.title, o1.location, Q4, aligns_to="@evil")
    kr = KeyResult("+2", "=1+1", "Grow visits", _where(5), target=10, current=5)
    plan = Tracker((hostile,), (kr,), (), ())
    rows = _csv_rows(scorecard_data(plan, score_tracker(plan, AS_OF)))
    assert [(r["id"], r["parent_id"]) for r in rows] == [("'=1+1", "'@evil"), ("'+2", "'=1+1")]


def test_score_csv_escapes_a_tab_named_like_a_formula(tmp_path: Path) -> None:
    """`score --format csv` gives the tab column the quote every other text column gets: a tab
    named `=1+cmd|' -c calc'!A0` (a DDE payload) would otherwise run when the CSV is opened."""
    hostile = "=1+cmd|' -c calc'!A0"
    workbook = write_workbook(tmp_path / "okrs.xlsx", {hostile: small_rows()})
    result = CliRunner().invoke(
        cli, ["score", str(workbook), "--format", "csv", "--as-of", "2026-11-30"]
    )
    assert result.exit_code in (0, 1), result.output  # 1 would only be plan findings
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows
    assert {row["tab"] for row in rows} == {"'" + hostile}
    for row in rows:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "@")), (column, value)
