"""The leadership summary's numbers and lists (build_digest) from real, synced workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_okr.actions.score import ReadOptions, score_backend
from sheets_okr.lint.checks import lint_tracker
from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.read.history import read_history
from sheets_okr.sources.registry import open_source
from sheets_okr.summary.chart import trend_alt
from sheets_okr.summary.digest import Digest, Limits, build_digest
from sheets_okr.summary.phrases import Phrases
from tests.support.summary_plans import (
    AS_OF,
    EXPECTED,
    SNAPSHOTS,
    key_result,
    objective,
    sync,
    team_plan,
)
from tests.support.workbooks import TYPE_HEADER, write_workbook


def digest_of(path: Path, as_of: dt.date = AS_OF, limits: Limits | None = None) -> Digest:
    """build_digest on a workbook the way `sheets-okr report` reads it."""
    grid, scored = score_backend(open_source(str(path)), ReadOptions(as_of))
    history = read_history(grid)
    findings = lint_tracker(scored.tracker, scored.card, history=history)
    return build_digest(
        scored.tracker, scored.card, history=history, findings=findings, source=str(path),
        limits=limits,
    )  # fmt: skip


@pytest.fixture(scope="module", name="plan")
def _plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-team plan synced on 2026-11-02, 11-16 and 11-30."""
    return team_plan(tmp_path_factory.mktemp("digest") / "okrs.xlsx")


@pytest.fixture(scope="module", name="digest")
def _digest(plan: Path) -> Digest:
    """Its digest at 2026-11-30 with the default limits."""
    return digest_of(plan)


def titles(lines: object) -> list[str]:
    """The titles of KR, objective or action lines, in order."""
    return [line.title for line in lines]  # type: ignore[attr-defined]


def test_headline_numbers(digest: Digest) -> None:
    """Score, pace, change since the last snapshot and the attention counts are right."""
    # Growth: (0.60 + 0.30 + 0.45) / 3 = 0.45; Brand: (0 + 0.20) / 2 = 0.10.
    assert digest.quarter == "2026-Q4"
    assert digest.as_of == AS_OF
    assert (digest.quarter_start, digest.quarter_end) == (
        dt.date(2026, 10, 1),
        dt.date(2026, 12, 31),
    )
    assert digest.score == pytest.approx(0.275)
    assert digest.expected == pytest.approx(EXPECTED)
    assert digest.health == "off_track"
    # 2026-11-16: Growth (0.40 + 0.30 + 0.55) / 3, Brand (0 + 0.10) / 2.
    previous = ((0.40 + 0.30 + 0.55) / 3 + 0.05) / 2
    assert digest.delta == pytest.approx(0.275 - previous)
    assert Phrases("en").points(digest.delta) == "+4.2 pp"
    assert digest.key_result_count == 5
    assert (digest.at_risk, digest.off_track, digest.no_check_in) == (1, 2, 1)


def test_needs_attention_sorted_by_gap_to_pace(digest: Digest) -> None:
    """At-risk and off-track KRs are listed furthest behind the pace first."""
    assert titles(digest.attention.items) == [
        "Reach 100 press mentions", "Sign 100 partners", "Cut churn to 100",
    ]  # fmt: skip
    gaps = [k.gap for k in digest.attention.items]
    assert gaps == sorted(gaps, reverse=True)
    assert gaps[0] == pytest.approx(EXPECTED - 0.20)
    assert [k.health for k in digest.attention.items] == ["off_track", "off_track", "at_risk"]
    assert digest.attention.more == 0
    first = digest.attention.items[0]
    assert (first.owner, first.objective, first.start, first.target, first.current) == (
        "Eve", "Build brand", 0.0, 100.0, 20.0,
    )  # fmt: skip


def test_movers_up_and_down(digest: Digest) -> None:
    """Movers are the KRs whose score changed since the last snapshot, biggest change first."""
    assert titles(digest.movers_up) == ["Grow ARR to 100", "Reach 100 press mentions"]
    assert [k.delta for k in digest.movers_up] == [pytest.approx(0.20), pytest.approx(0.10)]
    assert titles(digest.movers_down) == ["Cut churn to 100"]
    assert digest.movers_down[0].delta == pytest.approx(-0.10)


def test_objectives_grouped_by_team(digest: Digest) -> None:
    """Objectives come grouped by team with the team's rolled-up score and health."""
    assert [(team, health) for team, _, health, _ in digest.teams] == [
        ("Growth", "at_risk"), ("Brand", "off_track"),
    ]  # fmt: skip
    assert [score for _, score, _, _ in digest.teams] == [pytest.approx(0.45), pytest.approx(0.10)]
    growth, brand = (blocks for _, _, _, blocks in digest.teams)
    assert titles(growth.items) == ["Grow revenue"]
    assert titles(growth.items[0].key_results) == [
        "Grow ARR to 100", "Sign 100 partners", "Cut churn to 100",
    ]  # fmt: skip
    assert titles(brand.items[0].key_results) == [
        "Lift awareness to 10",
        "Reach 100 press mentions",
    ]
    assert brand.items[0].key_results[0].health == "no_data"
    assert (growth.more, brand.more, growth.items[0].more) == (0, 0, 0)


def test_overdue_and_due_within_seven_days(digest: Digest) -> None:
    """Open actions past due and due in the next 7 days are listed; done ones are not."""
    overdue = [(a.title, a.owner, a.days) for a in digest.overdue.items]
    assert overdue == [
        ("Send the renewal offers", "Ann", -10),
        ("Pitch three journalists", None, -5),
    ]
    soon = [(a.title, a.due, a.days) for a in digest.due_soon.items]
    assert soon == [
        ("Review the partner list", dt.date(2026, 11, 30), 0),
        ("Call the ten biggest partners", dt.date(2026, 12, 3), 3),
        ("Book the partner webinar", dt.date(2026, 12, 7), 7),
    ]
    listed = {a.title for a in (*digest.overdue.items, *digest.due_soon.items)}
    assert not listed & {"Price the new tier", "Draft the partner contract"}  # done
    assert not listed & {"Print the partner kit", "Plan the partner summit"}  # 8 and 20 days


def test_caps_count_what_is_left_out(plan: Path) -> None:
    """Capped lists keep the first N rows and count the rest for "and N more"."""
    limits = Limits(
        attention=2, movers=1, objectives=1, key_results_per_objective=2, actions=1, findings=1
    )
    digest = digest_of(plan, limits=limits)
    assert titles(digest.attention.items) == ["Reach 100 press mentions", "Sign 100 partners"]
    assert digest.attention.more == 1
    assert titles(digest.movers_up) == ["Grow ARR to 100"]
    assert titles(digest.movers_down) == ["Cut churn to 100"]
    (_, _, _, growth), (_, _, _, brand) = digest.teams
    assert (titles(growth.items), growth.more) == (["Grow revenue"], 0)
    assert titles(growth.items[0].key_results) == ["Grow ARR to 100", "Sign 100 partners"]
    assert growth.items[0].more == 1
    # The objectives limit is for the whole overview: Brand's objective is left out.
    assert (brand.items, brand.more) == ((), 1)
    assert (len(digest.overdue.items), digest.overdue.more) == (1, 1)
    assert (len(digest.due_soon.items), digest.due_soon.more) == (1, 2)
    assert len(digest.findings.items) == 1
    assert digest.findings.more >= 1


def test_objective_cap_spans_teams(tmp_path: Path) -> None:
    """Many teams cannot each fill the objective limit: it bounds the overview as a whole."""
    digest = digest_of(
        team_plan(tmp_path / "okrs.xlsx", SNAPSHOTS[-1:]), limits=Limits(objectives=1)
    )
    shown = sum(len(blocks.items) for _, _, _, blocks in digest.teams)
    left_out = sum(blocks.more for _, _, _, blocks in digest.teams)
    assert (shown, left_out) == (1, 1)


def test_trend_has_a_point_per_history_date(digest: Digest) -> None:
    """The trend is the quarter score at each History date, the as-of date last."""
    growth = [(20 + 30 + 55) / 300, (40 + 30 + 55) / 300, (60 + 30 + 45) / 300]
    brand = [0.05 / 2, 0.10 / 2, 0.20 / 2]
    assert [day for day, _ in digest.trend] == [day for day, _ in SNAPSHOTS]
    assert [score for _, score in digest.trend] == [
        pytest.approx((g + b) / 2) for g, b in zip(growth, brand, strict=True)
    ]
    assert digest.trend[-1][1] == pytest.approx(digest.score)


def test_trend_ends_at_the_as_of_date(plan: Path) -> None:
    """A later as-of date adds its own point; History rows after the as-of date are left out."""
    later = digest_of(plan, dt.date(2026, 12, 7))
    assert [day for day, _ in later.trend] == [*(day for day, _ in SNAPSHOTS), dt.date(2026, 12, 7)]
    earlier = digest_of(plan, dt.date(2026, 11, 16))
    assert [day for day, _ in earlier.trend] == [dt.date(2026, 11, 2), dt.date(2026, 11, 16)]


def test_no_history_means_no_change_and_no_movers(tmp_path: Path) -> None:
    """Before a second snapshot there is no change, no movers, and one trend point."""
    digest = digest_of(team_plan(tmp_path / "okrs.xlsx", SNAPSHOTS[-1:]))
    assert digest.delta is None
    assert (digest.movers_up, digest.movers_down) == ((), ())
    ((day, score),) = digest.trend
    assert day == AS_OF
    assert score == pytest.approx(0.275)


def _two_quarter_plan(path: Path) -> Path:
    """A 2026-Q3 tab and a 2026-Q4 tab filled in early, synced in September and November."""
    write_workbook(path, {
        "2026-Q3": [TYPE_HEADER, objective("Old", "Ann", "Growth"),
                    key_result("Old KR", "Ann", 0, 10, 5)],
        "2026-Q4": [TYPE_HEADER, objective("New", "Bob", "Growth"),
                    key_result("New KR", "Bob", 0, 10, 5)],
    })  # fmt: skip
    sync(path, dt.date(2026, 9, 20))
    sync(path, dt.date(2026, 11, 16))
    return path


def test_trend_leaves_out_history_from_before_the_quarter(tmp_path: Path) -> None:
    """A sync during Q3 wrote History for Q4's KRs; Q4's trend starts with Q4."""
    digest = digest_of(_two_quarter_plan(tmp_path / "okrs.xlsx"))
    assert digest.quarter == "2026-Q4"
    assert [day for day, _ in digest.trend] == [dt.date(2026, 11, 16), AS_OF]
    assert Phrases("en").date(dt.date(2026, 9, 20)) not in trend_alt(digest, Phrases("en"))


def test_findings_of_other_quarters_are_left_out(tmp_path: Path) -> None:
    """The Q4 summary shows the checks of Q4's rows, not those of the Q3 tab."""
    digest = digest_of(_two_quarter_plan(tmp_path / "okrs.xlsx"))
    tabs = {f.tab for f in digest.findings.items}
    assert tabs == {"2026-Q4"}


def test_errors_come_before_warnings(plan: Path) -> None:
    """With a cap on the checks, errors are the ones shown."""
    grid, scored = score_backend(open_source(str(plan)), ReadOptions(AS_OF))
    findings = [
        Finding("w", Severity.WARNING, "2026-Q4", "Z99", "a warning"),
        Finding("e", Severity.ERROR, "2026-Q4", "Z98", "an error"),
    ]
    digest = build_digest(scored.tracker, scored.card, history=read_history(grid),
                          findings=findings, limits=Limits(findings=1))  # fmt: skip
    assert [f.message for f in digest.findings.items] == ["an error"]
    assert digest.findings.more == 1
