"""The leadership summary's numbers and lists (build_digest) from real, synced workbooks."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_okr.actions.score import ReadOptions, score_backend
from sheets_okr.lint.checks import lint_tracker
from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.lint.settings import LintSettings
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


def digest_of(
    path: Path, as_of: dt.date = AS_OF, limits: Limits | None = None, stale_after: int = 3
) -> Digest:
    """build_digest on a workbook the way `sheets-okr report` reads it."""
    grid, scored = score_backend(open_source(str(path)), ReadOptions(as_of))
    history = read_history(grid)
    findings = lint_tracker(scored.tracker, scored.card, history=history,
                            settings=LintSettings(stale_after))  # fmt: skip
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
    assert Phrases("en").points(digest.delta) == "+4.2"
    assert digest.since == dt.date(2026, 11, 16)  # the change is counted from the last sync
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


def test_movers_leave_out_what_needs_attention(digest: Digest) -> None:
    """Movers are the KRs whose score changed since the last sync, biggest change first,
    except those already listed as needing attention: a KR is listed once."""
    assert titles(digest.movers_up) == ["Grow ARR to 100"]
    assert [k.delta for k in digest.movers_up] == [pytest.approx(0.20)]
    assert digest.movers_down == ()  # Cut churn (-10) is at risk: listed under attention
    full = digest_of_limits(digest, Limits(attention=1))
    assert titles(full.movers_down) == ["Cut churn to 100"]


def digest_of_limits(digest: Digest, limits: Limits) -> Digest:
    """The same workbook's digest with other limits."""
    return digest_of(Path(digest.source), limits=limits)


def test_each_key_result_is_listed_once(digest: Digest) -> None:
    """Attention, movers and the objectives overview never list the same KR twice; each
    objective counts its KRs listed above."""
    listed = [*titles(digest.attention.items), *titles(digest.movers_up),
              *titles(digest.movers_down)]  # fmt: skip
    for _, _, _, blocks in digest.teams:
        for block in blocks.items:
            listed.extend(titles(block.key_results))
    assert sorted(listed) == sorted(set(listed))
    assert len(listed) == digest.key_result_count
    above = sum(b.above for _, _, _, blocks in digest.teams for b in blocks.items)
    assert above == 4


def test_objectives_grouped_by_team_worst_first(digest: Digest) -> None:
    """Objectives come grouped by team, the team furthest behind first, with the team's
    rolled-up score and health."""
    assert [(team, health) for team, _, health, _ in digest.teams] == [
        ("Brand", "off_track"), ("Growth", "at_risk"),
    ]  # fmt: skip
    assert [score for _, score, _, _ in digest.teams] == [pytest.approx(0.10), pytest.approx(0.45)]
    assert digest.worst_team is not None
    assert digest.worst_team[0] == "Brand"
    brand, growth = (blocks for _, _, _, blocks in digest.teams)
    assert titles(growth.items) == ["Grow revenue"]
    full = digest_of(Path(digest.source), limits=Limits(attention=0, movers=0))
    _, (_, _, _, growth_all) = full.teams
    assert titles(growth_all.items[0].key_results) == [  # furthest behind first
        "Sign 100 partners", "Cut churn to 100", "Grow ARR to 100",
    ]  # fmt: skip
    assert titles(brand.items[0].key_results) == ["Lift awareness to 10"]
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
    assert titles(digest.movers_down) == ["Cut churn to 100"]  # not among the two shown
    (_, _, _, brand), (_, _, _, growth) = digest.teams
    assert (titles(growth.items), growth.more) == (["Grow revenue"], 0)
    # Sign 100 partners and Grow ARR are listed above; Cut churn is a mover.
    assert titles(growth.items[0].key_results) == []
    assert growth.items[0].above == 3
    # A cap of one objective still shows every team's worst one.
    assert (titles(brand.items), brand.more) == (["Build brand"], 0)
    assert (len(digest.overdue.items), digest.overdue.more) == (1, 1)
    assert (len(digest.due_soon.items), digest.due_soon.more) == (1, 2)
    assert len(digest.findings.items) == 1
    assert digest.findings.more >= 1


def test_objective_cap_never_drops_a_team(tmp_path: Path) -> None:
    """The objective limit bounds the overview as a whole, but every team keeps its worst
    objective: a cap of 1 with two teams shows both."""
    digest = digest_of(
        team_plan(tmp_path / "okrs.xlsx", SNAPSHOTS[-1:]), limits=Limits(objectives=1)
    )
    shown = sum(len(blocks.items) for _, _, _, blocks in digest.teams)
    left_out = sum(blocks.more for _, _, _, blocks in digest.teams)
    assert (shown, left_out) == (2, 0)
    assert all(blocks.items for _, _, _, blocks in digest.teams)


def test_cap_keeps_the_worst_objectives_of_many_teams(tmp_path: Path) -> None:
    """Four teams of five objectives, a cap of 6: each team's worst, then the two worst of
    the rest; the best are the ones counted in "and N more"."""
    from tests.support.summary_plans import big_plan

    digest = digest_of(big_plan(tmp_path / "big.xlsx", teams=4), limits=Limits(objectives=6))
    assert len(digest.teams) == 4
    assert all(blocks.items for _, _, _, blocks in digest.teams)
    shown = [b for _, _, _, blocks in digest.teams for b in blocks.items]
    assert len(shown) == 6
    assert sum(blocks.more for _, _, _, blocks in digest.teams) == 14
    uncapped = digest_of(tmp_path / "big.xlsx", limits=Limits.uncapped())
    every = [b for _, _, _, blocks in uncapped.teams for b in blocks.items]
    assert len(every) == 20
    assert sum(blocks.more for _, _, _, blocks in uncapped.teams) == 0
    left_out = [b for b in every if b.title not in {s.title for s in shown}]
    assert max(b.gap for b in left_out) <= sorted(b.gap for b in shown)[-len(digest.teams) - 1]
    for _, _, _, blocks in uncapped.teams:
        gaps = [b.gap for b in blocks.items]
        assert gaps == sorted(gaps, reverse=True)  # worst first


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
    subjects = {f.subject for f in digest.findings.items}
    assert "New" in subjects
    assert not subjects & {"Old", "Old KR"}


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


def test_owners_waiting_for_a_check_in_are_named(plan: Path) -> None:
    """The owners of KRs without a check-in (Dan) or with a stale one (Bob: Current 30 at
    both earlier syncs) are named, not only counted."""
    digest = digest_of(plan, stale_after=2)
    stale = [k for k in digest.attention.items if k.stale]
    assert titles(stale) == ["Sign 100 partners"]
    assert digest.stale == 1
    assert digest.waiting == ("Bob", "Dan")


def test_the_key_result_furthest_behind_and_its_owner(digest: Digest) -> None:
    """The summary knows the checked-in KR furthest behind the pace, for the preheader."""
    assert digest.behind is not None
    assert (digest.behind.title, digest.behind.owner) == ("Reach 100 press mentions", "Eve")


def test_the_plan_is_named_by_its_only_team(tmp_path: Path) -> None:
    """A plan of one team is named after it (the subject says whose plan); else the file."""
    path = tmp_path / "marketing-okrs.xlsx"
    write_workbook(path, {"2026-Q4": [TYPE_HEADER, objective("Grow", "Ann", "Marketing"),
                                      key_result("Leads", "Ann", 0, 10, 5)]})  # fmt: skip
    assert digest_of(path).name == "Marketing"
    two = team_plan(tmp_path / "okrs.xlsx", SNAPSHOTS[-1:])
    assert digest_of(two).name == "okrs"


def test_checks_name_their_row_not_its_cell_and_skip_overdue_actions(plan: Path) -> None:
    """A plan check says which objective or KR it is about (its title), never a cell
    address, and neither overdue actions (under Actions) nor stale check-ins (said on the
    key result's own row) are repeated there."""
    digest = digest_of(plan, stale_after=2)
    codes = [f.code for f in digest.findings.items]
    assert "action-overdue" not in codes
    assert "kr-stale" not in codes
    assert digest.stale == 1
    assert not any(hasattr(f, "cell") for f in digest.findings.items)


def test_the_newest_check_in_note_is_the_owners_comment(tmp_path: Path) -> None:
    """With a check-in log that has a Note column, each KR's comment is its newest note on
    or before the as-of date."""
    from tests.support.okr_sheets import AS_OF as LOG_AS_OF
    from tests.support.okr_sheets import checkin_log

    path = checkin_log(tmp_path)
    digest = digest_of(path, LOG_AS_OF, limits=Limits.uncapped())
    lines = [*digest.attention.items, *digest.movers_up, *digest.movers_down]
    lines += [k for _, _, _, blocks in digest.teams for b in blocks.items for k in b.key_results]
    logged = [k for k in lines if k.comment]
    assert logged
    assert {k.comment for k in logged} == {"weekly check-in"}
