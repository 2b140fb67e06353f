"""Contract section 2: progress, score, milestones, rollups, pace, health, grades.

Every expected number below was worked out by hand from the contract's formulas.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
from pathlib import Path

import pandas as pd
import pytest

from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Commitment, KeyResult, Location, Objective, Tracker
from sheets_okr.score.scorecard import Scorecard, grade, health, pace, score_tracker
from sheets_okr.score.settings import ScoringSettings
from tests.support.workbooks import day, read, write_workbook

Q4 = Quarter(2026, 4)  # 2026-10-01 to 2026-12-31: 92 days
MID_Q4 = day("2026-11-30")  # 60 days into 2026-Q4
Q1 = Quarter(2026, 1)  # 2026-01-01 to 2026-03-31: 90 days
HALF_Q1 = day("2026-02-15")  # 45 of 90 days: expected exactly 0.5
AFTER_Q4 = day("2027-01-15")

_rows = itertools.count(2)


def objective(
    id_: str,
    *,
    quarter: Quarter = Q4,
    team: str | None = None,
    weight: float = 1.0,
    commitment: Commitment = Commitment.ASPIRATIONAL,
    readable: bool = True,
) -> Objective:
    """An objective row as the parser would produce it."""
    return Objective(
        id=id_,
        title=f"Objective {id_}",
        location=Location("OKRs", next(_rows)),
        quarter=quarter,
        team=team,
        weight=weight,
        commitment=commitment,
        readable=readable,
    )


def key_result(
    id_: str,
    objective_id: str,
    *,
    start: float = 0.0,
    target: float | None = 100.0,
    current: float | None = None,
    milestone_done: bool | None = None,
    weight: float = 1.0,
    readable: bool = True,
) -> KeyResult:
    """A key result row as the parser would produce it."""
    return KeyResult(
        id=id_,
        objective_id=objective_id,
        title=f"Key result {id_}",
        location=Location("OKRs", next(_rows)),
        start=start,
        target=target,
        current=current,
        milestone_done=milestone_done,
        weight=weight,
        readable=readable,
    )


def tracker(objectives: list[Objective], key_results: list[KeyResult]) -> Tracker:
    """A tracker of the given rows, with no actions and no problems."""
    return Tracker(tuple(objectives), tuple(key_results), (), ())


def score_one(
    kr: KeyResult, as_of: dt.date = MID_Q4, settings: ScoringSettings | None = None
) -> pd.Series:
    """The scored row of a single key result under objective O1."""
    card = score_tracker(tracker([objective("O1")], [kr]), as_of, settings)
    row = card.key_results.loc[kr.id]
    assert isinstance(row, pd.Series)
    return row


def is_null(value: object) -> bool:
    """True for a missing value as pandas stores it (None or NaN)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


# -- progress and score -------------------------------------------------------------------


def test_progress_is_the_share_of_the_way_from_start_to_target() -> None:
    """S=20, T=30, C=25 gives progress 0.5 and score 0.5."""
    row = score_one(key_result("K1", "O1", start=20, target=30, current=25))
    assert row["progress"] == pytest.approx(0.5)
    assert row["score"] == pytest.approx(0.5)
    assert bool(row["checked_in"]) is True


def test_overachievement_stays_visible_in_progress_but_score_is_clamped_to_1() -> None:
    """S=20, T=30, C=35 gives progress 1.5 and score 1.0 (health done)."""
    row = score_one(key_result("K1", "O1", start=20, target=30, current=35))
    assert row["progress"] == pytest.approx(1.5)
    assert row["score"] == pytest.approx(1.0)
    assert row["health"] == "done"


def test_regression_stays_visible_in_progress_but_score_is_clamped_to_0() -> None:
    """S=20, T=30, C=15 gives progress -0.5 and score 0.0."""
    row = score_one(key_result("K1", "O1", start=20, target=30, current=15))
    assert row["progress"] == pytest.approx(-0.5)
    assert row["score"] == 0.0


def test_start_blank_means_zero() -> None:
    """A key result with the default start 0, T=10, C=4 has progress 0.4."""
    row = score_one(key_result("K1", "O1", target=10, current=4))
    assert row["progress"] == pytest.approx(0.4)


@pytest.mark.parametrize(
    ("current", "progress", "score"),
    [
        (150, 0.5, 0.5),  # (150-180)/(120-180) = -30/-60
        (120, 1.0, 1.0),
        (100, 80 / 60, 1.0),  # beat the target: (100-180)/(120-180) = 1.333...
        (200, -20 / 60, 0.0),  # got worse: (200-180)/(120-180) = -0.333...
        (180, 0.0, 0.0),
    ],
)
def test_lower_is_better_key_results_need_no_flag(
    current: float, progress: float, score: float
) -> None:
    """With T < S (cost per MQL from 180 to 120) the same formula rewards going down."""
    row = score_one(key_result("K1", "O1", start=180, target=120, current=current))
    assert row["progress"] == pytest.approx(progress)
    assert row["score"] == pytest.approx(score)


# -- milestones and check-ins ---------------------------------------------------------------


def test_milestone_done_scores_1_and_is_done() -> None:
    """A milestone (no target) marked done has progress 1, score 1 and health done."""
    row = score_one(key_result("K1", "O1", target=None, milestone_done=True))
    assert row["progress"] == 1.0
    assert row["score"] == 1.0
    assert row["health"] == "done"
    assert bool(row["checked_in"]) is True


def test_milestone_not_done_scores_0_but_counts_as_a_check_in() -> None:
    """A milestone checked in as not done scores 0 and is judged against the pace."""
    row = score_one(key_result("K1", "O1", target=None, milestone_done=False), day("2026-10-01"))
    assert row["progress"] == 0.0
    assert row["score"] == 0.0
    assert bool(row["checked_in"]) is True
    assert row["health"] == "on_track"  # first day of the quarter: expected 0, gap 0


def test_milestone_not_done_mid_quarter_is_off_track() -> None:
    """A milestone not done at pace 0.5 has gap 0.5 > 0.30: off_track."""
    card = score_tracker(
        tracker(
            [objective("O1", quarter=Q1)],
            [key_result("K1", "O1", target=None, milestone_done=False)],
        ),
        HALF_Q1,
    )
    row = card.key_results.loc["K1"]
    assert row["expected"] == pytest.approx(0.5)
    assert row["score"] == 0.0
    assert row["health"] == "off_track"


def test_milestone_without_check_in_has_no_data() -> None:
    """A milestone with neither Current nor Status: progress null, score 0, no_data."""
    row = score_one(key_result("K1", "O1", target=None, milestone_done=None))
    assert is_null(row["progress"])
    assert row["score"] == 0.0
    assert row["health"] == "no_data"
    assert bool(row["checked_in"]) is False


def test_no_check_in_has_null_progress_score_0_and_no_data() -> None:
    """A numeric key result with Current blank: progress null, score 0, health no_data."""
    row = score_one(key_result("K1", "O1", start=20, target=30, current=None))
    assert is_null(row["progress"])
    assert row["score"] == 0.0
    assert row["health"] == "no_data"
    assert bool(row["checked_in"]) is False


_MILESTONE_HEADER = ["Type", "Title", "Target", "Current", "Status"]


@pytest.mark.parametrize(
    ("current", "status", "score", "health_value"),
    [
        (None, "Done", 1.0, "done"),
        ("Yes", None, 1.0, "done"),
        ("True", None, 1.0, "done"),
        (1, None, 1.0, "done"),
        ("완료", None, 1.0, "done"),
        (None, "완료", 1.0, "done"),
        (None, "In progress", 0.0, "on_track"),  # checked in, not done; pace 0 on day one
        ("No", None, 0.0, "on_track"),
        (None, None, 0.0, "no_data"),
    ],
)
def test_milestone_check_in_is_its_current_or_its_status(
    tmp_path: Path, current: object, status: object, score: float, health_value: str
) -> None:
    """Read from a workbook, Done/Yes/True/1/완료 in Current or Status complete a milestone."""
    path = write_workbook(
        tmp_path / "milestone.xlsx",
        {
            "2026-Q4": [
                _MILESTONE_HEADER,
                ["Objective", "Launch the partner program"],
                ["Key Result", "Partner portal live", None, current, status],
            ]
        },
    )
    parsed = read(path)
    assert parsed.problems == ()
    card = score_tracker(parsed, day("2026-10-01"))  # first day of Q4: expected 0
    (row,) = card.key_results.itertuples()
    assert row.score == score
    assert row.health == health_value


# -- objective, team and quarter rollups ----------------------------------------------------


def test_objective_score_is_the_kr_weighted_mean() -> None:
    """Scores 0.5 (w1) and 1.0 (w3) give (0.5*1 + 1.0*3) / 4 = 0.875."""
    card = score_tracker(
        tracker(
            [objective("O1")],
            [
                key_result("K1", "O1", start=20, target=30, current=25),
                key_result("K2", "O1", target=10, current=12, weight=3),
            ],
        ),
        MID_Q4,
    )
    assert card.objectives.loc["O1", "score"] == pytest.approx(0.875)


def test_kr_without_check_in_counts_as_zero_in_the_objective_score() -> None:
    """Scores 0.5 (w1), 1.0 (w3) and no check-in (w2) give 3.5 / 6 = 0.58333."""
    card = score_tracker(
        tracker(
            [objective("O1")],
            [
                key_result("K1", "O1", start=20, target=30, current=25),
                key_result("K2", "O1", target=10, current=10, weight=3),
                key_result("K3", "O1", target=10, current=None, weight=2),
            ],
        ),
        MID_Q4,
    )
    assert card.objectives.loc["O1", "score"] == pytest.approx(3.5 / 6)
    assert card.objectives.loc["O1", "health"] != "no_data"


def test_overachieving_kr_contributes_at_most_1_to_its_objective() -> None:
    """Progress 1.5 and 0.0 average their clamped scores: (1.0 + 0.0) / 2 = 0.5."""
    card = score_tracker(
        tracker(
            [objective("O1")],
            [
                key_result("K1", "O1", start=20, target=30, current=35),
                key_result("K2", "O1", start=20, target=30, current=10),
            ],
        ),
        MID_Q4,
    )
    assert card.objectives.loc["O1", "score"] == pytest.approx(0.5)


def test_objective_without_key_results_has_null_score_and_no_data() -> None:
    """An objective with no key result at all: score null, health no_data, no grade."""
    card = score_tracker(tracker([objective("O1"), objective("O2")], []), MID_Q4)
    row = card.objectives.loc["O1"]
    assert is_null(row["score"])
    assert row["health"] == "no_data"
    assert row["grade"] is None
    assert row["expected"] == pytest.approx(60 / 92)
    assert card.quarters.loc["2026-Q4", "health"] == "no_data"
    assert is_null(card.quarters.loc["2026-Q4", "score"])


def test_key_result_with_an_error_is_left_out_of_the_objective_score() -> None:
    """An unreadable KR (current 0) beside a KR at 0.8 leaves the objective at 0.8, not 0.4."""
    card = score_tracker(
        tracker(
            [objective("O1")],
            [
                key_result("K1", "O1", target=10, current=8),
                key_result("K2", "O1", target=10, current=0, readable=False),
            ],
        ),
        MID_Q4,
    )
    assert card.objectives.loc["O1", "score"] == pytest.approx(0.8)
    assert "K2" not in card.key_results.index


def test_objective_whose_only_kr_has_an_error_has_null_score() -> None:
    """When every KR of an objective has an error, none is left: score null, no_data."""
    card = score_tracker(
        tracker([objective("O1")], [key_result("K1", "O1", current=50, readable=False)]),
        MID_Q4,
    )
    assert is_null(card.objectives.loc["O1", "score"])
    assert card.objectives.loc["O1", "health"] == "no_data"


def test_unreadable_cells_in_a_workbook_leave_the_row_out_with_a_problem(tmp_path: Path) -> None:
    """Target "thirty" and Target = Start are reported; only the readable KR scores (0.5)."""
    path = write_workbook(
        tmp_path / "messy.xlsx",
        {
            "2026-Q4": [
                ["Type", "Title", "Start", "Target", "Current"],
                ["Objective", "Increase website traffic"],
                ["Key Result", "Grow visits from 20 to 30", 20, 30, 25],
                ["Key Result", "Publish case studies", 0, "thirty", 12],
                ["Key Result", "Keep churn flat", 5, 5, 5],
            ]
        },
    )
    parsed = read(path)
    cells = {(p.tab, p.cell) for p in parsed.problems}
    assert cells == {("2026-Q4", "D4"), ("2026-Q4", "D5")}
    card = score_tracker(parsed, MID_Q4)
    (objective_id,) = card.objectives.index
    assert card.objectives.loc[objective_id, "score"] == pytest.approx(0.5)
    assert len(card.key_results) == 1


def test_team_quarter_and_quarter_scores_are_objective_weighted_means() -> None:
    """Team A: 0.2 (w1) and 0.8 (w3) give 2.6/4 = 0.65; with team B at 0.5 (w2): 3.6/6 = 0.6."""
    card = score_tracker(
        tracker(
            [
                objective("O1", team="A", weight=1),
                objective("O2", team="A", weight=3),
                objective("O3", team="B", weight=2),
                objective("O4", team="B", weight=5),  # no KRs: null, not part of any mean
            ],
            [
                key_result("K1", "O1", target=10, current=2),
                key_result("K2", "O2", target=10, current=8),
                key_result("K3", "O3", target=10, current=5),
            ],
        ),
        MID_Q4,
    )
    assert card.teams.loc[("A", "2026-Q4"), "score"] == pytest.approx(0.65)
    assert card.teams.loc[("B", "2026-Q4"), "score"] == pytest.approx(0.5)
    assert card.quarters.loc["2026-Q4", "score"] == pytest.approx(0.6)
    # expected 60/92 = 0.652: team A gap 0.002 and the quarter gap 0.052 are on track
    assert card.teams.loc[("A", "2026-Q4"), "health"] == "on_track"
    assert card.teams.loc[("B", "2026-Q4"), "expected"] == pytest.approx(60 / 92)
    assert card.quarters.loc["2026-Q4", "health"] == "on_track"


def test_quarters_are_rolled_up_separately() -> None:
    """On 2026-11-30 a Q3 objective has expected 1 (ended), a Q4 one 60/92."""
    q3 = Quarter(2026, 3)
    card = score_tracker(
        tracker(
            [objective("O1", quarter=q3), objective("O2")],
            [key_result("K1", "O1", target=4, current=3), key_result("K2", "O2", target=4)],
        ),
        MID_Q4,
    )
    assert list(card.quarters.index) == ["2026-Q3", "2026-Q4"]
    assert card.quarters.loc["2026-Q3", "expected"] == 1.0
    assert bool(card.quarters.loc["2026-Q3", "ended"]) is True
    assert card.quarters.loc["2026-Q3", "score"] == pytest.approx(0.75)
    assert card.quarters.loc["2026-Q4", "expected"] == pytest.approx(60 / 92)
    assert bool(card.quarters.loc["2026-Q4", "ended"]) is False
    assert card.quarters.loc["2026-Q4", "score"] == 0.0
    assert card.objectives.loc["O1", "expected"] == 1.0


# -- expected pace ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        ("2026-06-30", 0.0),  # before the quarter
        ("2026-09-30", 0.0),  # the day before
        ("2026-10-01", 0.0),  # first day
        ("2026-10-02", 1 / 92),
        ("2026-11-30", 60 / 92),
        ("2026-12-31", 91 / 92),  # last day
        ("2027-01-01", 1.0),  # next quarter's first day
        ("2027-03-15", 1.0),  # long after
    ],
)
def test_pace_is_the_share_of_the_quarter_elapsed(as_of: str, expected: float) -> None:
    """clamp((d - q0).days / (q1 - q0).days, 0, 1) for 2026-Q4 (92 days)."""
    assert pace(Q4, day(as_of)) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("as_of", "expected"), [("2026-08-01", 0.0), ("2026-11-30", 60 / 92), ("2027-02-01", 1.0)]
)
def test_expected_on_objectives_and_key_results_follows_the_as_of_date(
    as_of: str, expected: float
) -> None:
    """Before, inside and after the quarter the pace is 0, 60/92 and 1 on every row."""
    card = score_tracker(
        tracker([objective("O1")], [key_result("K1", "O1", target=10, current=5)]), day(as_of)
    )
    assert card.objectives.loc["O1", "expected"] == pytest.approx(expected)
    assert card.key_results.loc["K1", "expected"] == pytest.approx(expected)
    assert card.quarters.loc["2026-Q4", "expected"] == pytest.approx(expected)


def test_fiscal_year_starting_in_april_shifts_quarters() -> None:
    """With an April start, FY2026 Q1 runs 2025-04-01 to 2025-06-30 (91 days)."""
    fy_q1 = Quarter(2026, 1)
    assert fy_q1.start(4) == day("2025-04-01")
    assert fy_q1.end(4) == day("2025-06-30")
    assert pace(fy_q1, day("2025-05-01"), 4) == pytest.approx(30 / 91)
    assert Quarter(2026, 4).start(4) == day("2026-01-01")
    plan = tracker([objective("O1", quarter=fy_q1)], [key_result("K1", "O1", current=40)])
    card = score_tracker(plan, day("2025-05-01"), ScoringSettings(fiscal_year_start_month=4))
    assert card.objectives.loc["O1", "expected"] == pytest.approx(30 / 91)
    assert card.key_results.loc["K1", "health"] == "on_track"  # ahead: 0.4 > 0.33


def test_fiscal_year_starting_in_july_scores_against_the_fiscal_quarter() -> None:
    """With a July start 2026-Q3 is Jan-Mar 2026: on 2026-02-15 the pace is 45/90 = 0.5."""
    q3 = Quarter(2026, 3)
    plan = tracker([objective("O1", quarter=q3)], [key_result("K1", "O1", target=10, current=2)])
    fiscal = score_tracker(plan, HALF_Q1, ScoringSettings(fiscal_year_start_month=7))
    assert fiscal.quarters.loc["2026-Q3", "start"] == day("2026-01-01")
    assert fiscal.quarters.loc["2026-Q3", "end"] == day("2026-03-31")
    assert fiscal.objectives.loc["O1", "expected"] == pytest.approx(0.5)
    assert fiscal.key_results.loc["K1", "health"] == "at_risk"  # gap 0.5 - 0.2 = 0.3
    calendar = score_tracker(plan, HALF_Q1)  # calendar 2026-Q3 is Jul-Sep 2026: pace 0
    assert calendar.objectives.loc["O1", "expected"] == 0.0
    assert calendar.quarters.loc["2026-Q3", "start"] == day("2026-07-01")
    assert calendar.key_results.loc["K1", "health"] == "on_track"


def test_fiscal_quarter_of_the_default_quarter_follows_the_setting() -> None:
    """2026-05-15 lies in FY2027 Q1 with an April start and in FY2026 Q4 with a July start."""
    assert Quarter.containing(day("2026-05-15"), 4) == Quarter(2027, 1)
    assert Quarter.containing(day("2026-05-15"), 7) == Quarter(2026, 4)
    assert Quarter.containing(day("2026-05-15")) == Quarter(2026, 2)


# -- health ------------------------------------------------------------------------------------


def _health_at(score: float, expected: float, settings: ScoringSettings | None = None) -> str:
    values = health(
        pd.Series([score]), pd.Series([expected]), pd.Series([True]), settings or ScoringSettings()
    )
    return str(values.iloc[0])


@pytest.mark.parametrize(
    ("score", "expected", "health_value"),
    [
        (0.5, 0.65, "on_track"),  # gap 0.65 - 0.5 = 0.15000000000000002 in floats: still 0.15
        (0.49, 0.65, "at_risk"),  # gap 0.16
        (0.5, 0.8, "at_risk"),  # gap 0.8 - 0.5 = 0.30000000000000004 in floats: still 0.30
        (0.49, 0.8, "off_track"),  # gap 0.31
        (0.7, 1.0, "at_risk"),  # 1.0 - 0.7 = 0.30000000000000004
        (0.85, 1.0, "on_track"),  # 1.0 - 0.85 = 0.15000000000000002
        (0.9, 0.5, "on_track"),  # ahead of pace: negative gap
        (1.0, 0.2, "done"),
        (0.0, 0.0, "on_track"),
    ],
)
def test_health_thresholds_at_the_exact_boundaries(
    score: float, expected: float, health_value: str
) -> None:
    """gap <= 0.15 is on_track and gap <= 0.30 at_risk, despite binary floating point."""
    assert _health_at(score, expected) == health_value


def test_health_without_data_is_no_data_whatever_the_numbers() -> None:
    """A row without data is no_data even when its score and pace would say on track."""
    values = health(
        pd.Series([0.0, 1.0]), pd.Series([0.0, 0.5]), pd.Series([False, False]), ScoringSettings()
    )
    assert list(values) == ["no_data", "no_data"]


@pytest.mark.parametrize(
    ("current", "health_value"),
    [
        (35, "on_track"),  # gap 0.5 - 0.35 = 0.15
        (34, "at_risk"),  # gap 0.16
        (20, "at_risk"),  # gap 0.30
        (19, "off_track"),  # gap 0.31
        (60, "on_track"),  # ahead
        (100, "done"),
        (130, "done"),
    ],
)
def test_key_result_health_at_half_pace(current: float, health_value: str) -> None:
    """At expected 0.5 (2026-02-15 in 2026-Q1), a 0-to-100 KR at `current` has this health."""
    card = score_tracker(
        tracker([objective("O1", quarter=Q1)], [key_result("K1", "O1", current=current)]),
        HALF_Q1,
    )
    assert card.key_results.loc["K1", "expected"] == 0.5
    assert card.key_results.loc["K1", "health"] == health_value
    assert card.objectives.loc["O1", "health"] == health_value


@pytest.mark.parametrize(
    ("current", "health_value"),
    [(85, "on_track"), (84, "at_risk"), (70, "at_risk"), (69, "off_track")],
)
def test_health_after_the_quarter_compares_with_a_pace_of_1(
    current: float, health_value: str
) -> None:
    """After the quarter, 0.85 is on track (gap 0.15) and 0.70 at risk (gap 0.30)."""
    card = score_tracker(
        tracker([objective("O1")], [key_result("K1", "O1", current=current)]), AFTER_Q4
    )
    assert card.key_results.loc["K1", "health"] == health_value


@pytest.mark.parametrize(
    ("current", "default_health", "tuned_health"),
    [
        (45, "on_track", "on_track"),  # gap 0.05
        (44, "on_track", "at_risk"),  # gap 0.06
        (40, "on_track", "at_risk"),  # gap 0.10
        (39, "on_track", "off_track"),  # gap 0.11
        (25, "at_risk", "off_track"),  # gap 0.25
    ],
)
def test_health_thresholds_are_configurable(
    current: float, default_health: str, tuned_health: str
) -> None:
    """With on_track_gap 0.05 and at_risk_gap 0.10 the same KR is judged more strictly."""
    plan = tracker([objective("O1", quarter=Q1)], [key_result("K1", "O1", current=current)])
    default = score_tracker(plan, HALF_Q1)
    tuned = score_tracker(plan, HALF_Q1, ScoringSettings(on_track_gap=0.05, at_risk_gap=0.10))
    assert default.key_results.loc["K1", "health"] == default_health
    assert tuned.key_results.loc["K1", "health"] == tuned_health
    assert tuned.objectives.loc["O1", "health"] == tuned_health


@pytest.mark.parametrize(
    "kwargs",
    [
        {"on_track_gap": 0.3, "at_risk_gap": 0.2},
        {"on_track_gap": -0.1},
        {"fiscal_year_start_month": 0},
        {"fiscal_year_start_month": 13},
    ],
)
def test_scoring_settings_refuse_impossible_values(kwargs: dict[str, float]) -> None:
    """Thresholds out of order or a month outside 1-12 are refused."""
    with pytest.raises(ValueError, match="must"):
        ScoringSettings(**kwargs)  # type: ignore[arg-type]


# -- grade bands and pass marks -------------------------------------------------------------


@pytest.mark.parametrize(
    ("current", "band"),
    [(100, "green"), (70, "green"), (69, "yellow"), (40, "yellow"), (39, "red"), (0, "red")],
)
def test_grade_bands(current: float, band: str) -> None:
    """Green from 0.7, yellow from 0.4, red below, on objectives and key results."""
    card = score_tracker(
        tracker([objective("O1")], [key_result("K1", "O1", current=current)]), AFTER_Q4
    )
    assert card.key_results.loc["K1", "grade"] == band
    assert card.objectives.loc["O1", "grade"] == band


def test_grade_band_of_a_missing_score_is_none() -> None:
    """A null score has no grade band."""
    bands = grade(pd.Series([0.7, float("nan"), 0.4, 0.3999]))
    assert list(bands) == ["green", None, "yellow", "red"]


def test_quarter_grade_uses_the_quarter_score() -> None:
    """A quarter scoring (0.7 + 0.2) / 2 = 0.45 is yellow."""
    card = score_tracker(
        tracker(
            [objective("O1"), objective("O2")],
            [key_result("K1", "O1", current=70), key_result("K2", "O2", current=20)],
        ),
        AFTER_Q4,
    )
    assert card.quarters.loc["2026-Q4", "score"] == pytest.approx(0.45)
    assert card.quarters.loc["2026-Q4", "grade"] == "yellow"


@pytest.mark.parametrize(
    ("commitment", "current", "passed"),
    [
        (Commitment.COMMITTED, 100, True),
        (Commitment.COMMITTED, 120, True),
        (Commitment.COMMITTED, 99, False),
        (Commitment.COMMITTED, 70, False),
        (Commitment.ASPIRATIONAL, 70, True),
        (Commitment.ASPIRATIONAL, 69, False),
        (Commitment.ASPIRATIONAL, 100, True),
    ],
)
def test_committed_passes_at_1_and_aspirational_at_0_7(
    commitment: Commitment, current: float, passed: bool
) -> None:
    """A committed objective passes only at 1.0; an aspirational one from 0.7."""
    card = score_tracker(
        tracker(
            [objective("O1", commitment=commitment)], [key_result("K1", "O1", current=current)]
        ),
        AFTER_Q4,
    )
    assert bool(card.objectives.loc["O1", "passed"]) is passed


def test_objective_without_score_neither_passes_nor_fails() -> None:
    """An objective with no key results has passed = null."""
    card = score_tracker(tracker([objective("O1", commitment=Commitment.COMMITTED)], []), AFTER_Q4)
    assert is_null(card.objectives.loc["O1", "passed"])


# -- the whole tracker at once ----------------------------------------------------------------


def test_unreadable_objective_and_its_key_results_are_left_out() -> None:
    """An objective with an error takes its KRs out of every score."""
    card = score_tracker(
        tracker(
            [objective("O1"), objective("O2", readable=False)],
            [key_result("K1", "O1", current=40), key_result("K2", "O2", current=100)],
        ),
        AFTER_Q4,
    )
    assert list(card.objectives.index) == ["O1"]
    assert list(card.key_results.index) == ["K1"]
    assert card.quarters.loc["2026-Q4", "score"] == pytest.approx(0.4)


def test_empty_tracker_scores_to_empty_frames() -> None:
    """A tracker with no rows gives empty frames, not an error."""
    card = score_tracker(tracker([], []), MID_Q4)
    assert isinstance(card, Scorecard)
    assert card.objectives.empty
    assert card.key_results.empty
    assert card.quarters.empty
    assert card.teams.empty


def test_two_thousand_key_results_score_like_the_formulas_say() -> None:
    """400 objectives with 5 KRs each (2,000 KRs) match a plain re-computation per row."""
    objectives = [objective(f"O{o}", team=f"T{o % 7}", weight=1 + o % 3) for o in range(400)]
    krs: list[KeyResult] = []
    for i in range(2000):
        owner = f"O{i // 5}"
        if i % 11 == 0:
            krs.append(key_result(f"K{i}", owner, start=0, target=None, milestone_done=i % 2 == 0))
        elif i % 13 == 0:
            krs.append(key_result(f"K{i}", owner, start=50, target=10, current=None))
        else:
            # lower-is-better for every fourth KR; currents run past both ends
            start, target = (200.0, 100.0) if i % 4 == 0 else (100.0, 200.0)
            krs.append(
                key_result(f"K{i}", owner, start=start, target=target,
                           current=80.0 + (i * 7) % 150, weight=1 + i % 4)
            )  # fmt: skip
    card = score_tracker(tracker(objectives, krs), MID_Q4)
    assert len(card.key_results) == 2000
    expected_pace = 60 / 92

    kr_score: dict[str, float] = {}
    for kr in krs:
        row = card.key_results.loc[kr.id]
        if kr.target is None:
            progress: float | None = None if kr.milestone_done is None else float(kr.milestone_done)
        elif kr.current is None:
            progress = None
        else:
            progress = (kr.current - kr.start) / (kr.target - kr.start)
        score = 0.0 if progress is None else min(max(progress, 0.0), 1.0)
        kr_score[kr.id] = score
        if progress is None:
            assert is_null(row["progress"])
            assert row["health"] == "no_data"
        else:
            assert row["progress"] == pytest.approx(progress)
        assert row["score"] == pytest.approx(score)
        assert row["expected"] == pytest.approx(expected_pace)

    total = total_weight = 0.0
    for o in objectives:
        mine = [kr for kr in krs if kr.objective_id == o.id]
        objective_score = sum(kr.weight * kr_score[kr.id] for kr in mine) / sum(
            kr.weight for kr in mine
        )
        assert card.objectives.loc[o.id, "score"] == pytest.approx(objective_score)
        total += o.weight * objective_score
        total_weight += o.weight
    assert card.quarters.loc["2026-Q4", "score"] == pytest.approx(total / total_weight)
    assert len(card.teams) == 7


def test_team_without_any_scored_objective_is_kept_with_no_data() -> None:
    """A team whose objectives have no KRs yet still appears in the team rollup, as no_data."""
    card = score_tracker(
        tracker(
            [objective("O1", team="A"), objective("O2", team="B")],
            [key_result("K1", "O1", target=10, current=5)],
        ),
        MID_Q4,
    )
    assert card.teams.loc[("A", "2026-Q4"), "score"] == pytest.approx(0.5)
    assert is_null(card.teams.loc[("B", "2026-Q4"), "score"])
    assert card.teams.loc[("B", "2026-Q4"), "health"] == "no_data"
    assert card.teams.loc[("B", "2026-Q4"), "expected"] == pytest.approx(60 / 92)
    assert card.quarters.loc["2026-Q4", "score"] == pytest.approx(0.5)
