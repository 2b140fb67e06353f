"""The plan checks of `sheets-okr lint`: the method's examples, and every rule both ways."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from sheets_okr.actions.init import init_workbook
from sheets_okr.actions.lint import lint_source
from sheets_okr.actions.score import ReadOptions
from sheets_okr.cli.data import findings_data
from sheets_okr.lint.checks import lint_tracker
from sheets_okr.lint.findings import Finding, Severity
from sheets_okr.lint.settings import LintSettings
from sheets_okr.lint.wordlists import WordLists
from sheets_okr.model.quarters import Quarter
from sheets_okr.model.tracker import Location, Objective, TabLayout, Tracker
from sheets_okr.read.history import HISTORY_HEADER, read_history
from sheets_okr.score.scorecard import score_tracker
from sheets_okr.score.settings import ScoringSettings
from sheets_okr.sources.excel.workbook import ExcelWorkbook
from tests.support.workbooks import day, read, write_workbook

AS_OF = day("2026-11-30")
TAB = "2026-Q4"
HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit",
          "Weight", "Due", "Status", "Commitment", "ID"]  # fmt: skip
# The column letter of each header, A to N.
LETTER = {name.casefold(): chr(ord("A") + i) for i, name in enumerate(HEADER)}
TITLE_CODES = frozenset({"objective-has-number", "objective-no-direction",
                         "kr-relative-percentage", "kr-vague", "kr-is-action"})  # fmt: skip
ALL_CODES = frozenset({
    "unreadable", "objective-count", "kr-count", "objective-without-krs",
    "objective-has-number", "objective-no-direction", "kr-not-measurable",
    "kr-target-equals-start", "kr-relative-percentage", "kr-vague", "kr-is-action",
    "kr-title-disagrees", "kr-no-owner", "kr-without-action", "action-no-due",
    "action-overdue", "action-after-quarter", "kr-stale", "quarter-end-below-pass",
})  # fmt: skip
_NEXT_SENTENCE = re.compile(r"[.!?]\s+[A-Z가-힣]")


# --- building plans ---------------------------------------------------------------------------


def row(kind: str, title: str | None, **cells: Any) -> list[Any]:
    """A row under HEADER: the level, the title and any other cells by lower-case name."""
    values: list[Any] = [None] * len(HEADER)
    values[0], values[1] = kind, title
    for name, value in cells.items():
        values[HEADER.index(next(h for h in HEADER if h.casefold() == name))] = value
    return values


def objective(title: str, **cells: Any) -> list[Any]:
    """An objective row, owned by Sam on the Marketing team unless told."""
    return row("Objective", title, **({"owner": "Sam", "team": "Marketing"} | cells))


def kr(title: str, **cells: Any) -> list[Any]:
    """A key result row, owned by Lee, from 0 to 10, unless told."""
    return row("Key Result", title, **({"owner": "Lee", "start": 0, "target": 10} | cells))


def action(title: str = "Draft the campaign plan", **cells: Any) -> list[Any]:
    """An action row, owned by Lee, due inside the quarter and not started, unless told."""
    defaults = {"owner": "Lee", "due": day("2026-12-15"), "status": "Not started"}
    return row("Action", title, **(defaults | cells))


GOOD_OBJECTIVES = ("Increase website traffic", "Improve the sales pipeline",
                   "Build a new demand generation channel")  # fmt: skip
GOOD_KRS = ("Grow organic sessions from 0 to 10", "Send 10 email newsletters",
            "Win 10 new deals")  # fmt: skip


def clean_rows(
    first_objective: str = GOOD_OBJECTIVES[0],
    first_kr: list[Any] | None = None,
) -> list[list[Any]]:
    """Three objectives of three key results, each with a dated action: nothing to find.

    Only the first objective's title and the first key result may be replaced.
    """
    rows: list[list[Any]] = [HEADER]
    for o, objective_title in enumerate((first_objective, *GOOD_OBJECTIVES[1:])):
        rows.append(objective(objective_title))
        for k, kr_title in enumerate(GOOD_KRS):
            rows.append(first_kr if (o, k) == (0, 0) and first_kr is not None else kr(kr_title))
            rows.append(action())
    return rows


def workbook(tmp_path: Path, tabs: dict[str, Sequence[Sequence[Any]]], name: str = "plan") -> Path:
    """A real .xlsx with these tabs."""
    return write_workbook(tmp_path / f"{name}.xlsx", tabs)


def lint_file(
    path: Path,
    as_of: dt.date = AS_OF,
    *,
    history: pd.DataFrame | None = None,
    words: WordLists | None = None,
    settings: LintSettings | None = None,
    scoring: ScoringSettings | None = None,
) -> list[Finding]:
    """Read a workbook, score it and lint it at the as-of date."""
    tracker = read(path)
    card = score_tracker(tracker, as_of, scoring)
    return lint_tracker(tracker, card, history=history, words=words, settings=settings)


def lint_rows(tmp_path: Path, rows: Sequence[Sequence[Any]], as_of: dt.date = AS_OF,
              **options: Any) -> list[Finding]:  # fmt: skip
    """Lint one tab of rows written to a real workbook."""
    return lint_file(workbook(tmp_path, {TAB: rows}), as_of, **options)


def codes(findings: list[Finding]) -> list[str]:
    """The codes of findings, in their order."""
    return [f.code for f in findings]


def where(findings: list[Finding], code: str) -> list[str]:
    """The cells of the findings with one code."""
    return [f.cell for f in findings if f.code == code]


def only(findings: list[Finding], code: str) -> Finding:
    """The single finding with a code."""
    found = [f for f in findings if f.code == code]
    assert len(found) == 1, findings
    return found[0]


def test_the_clean_plan_has_no_findings(tmp_path: Path) -> None:
    """The plan the other tests vary has nothing to find."""
    assert lint_rows(tmp_path, clean_rows()) == []


# --- the method's examples -------------------------------------------------------------------

GOOD_OBJECTIVE_EXAMPLES = [
    "Build a new demand generation channel",
    "Implement marketing technology infrastructure",
    "Lead the marketing department through COVID",
    "Increase website traffic",
    "Improve funnel conversion rate",
    "Improve the sales pipeline",
    "새로운 수요 창출 채널 구축",
    "마케팅 기술 인프라 구현",
    "COVID를 통해 마케팅 부서를 리드",
    "웹사이트 트래픽 증가",
    "유입경로 전환율 개선",
    "판매 파이프라인 개선",
]
BAD_OBJECTIVE_EXAMPLES = [
    ("Generate 53 MQLs", "objective-has-number"),
    ("53개의 MQL 생성", "objective-has-number"),
    ("Market research", "objective-no-direction"),
    ("시장 조사", "objective-no-direction"),
]
# Each good key result with the Start and Target its title implies.
GOOD_KR_EXAMPLES = [
    ("Get executive approval for 3 OKRs", 0, 3),
    ("Effectively measure 5 lifecycle stages", 0, 5),
    ("Send 3 email newsletters", 0, 3),
    ("Train 5 team members to use the marketing CRM", 0, 5),
    ("Increase MQLs attributed to inbound marketing from 20 to 30", 20, 30),
    ("3 OKRS에 대한 경영진 승인 받기", 0, 3),
    ("5가지 라이프사이클 단계를 효과적으로 측정", 0, 5),
    ("이메일 뉴스레터 3개 보내기", 0, 3),
    ("마케팅 CRM을 사용하도록 5명의 팀원 교육", 0, 5),
    ("인바운드 마케팅에 기인하는 MQL을 20에서 30으로 증가", 20, 30),
]
BAD_KR_EXAMPLES = [
    ("Improve brand awareness", "kr-vague"),
    ("브랜드 인지도 향상", "kr-vague"),
    ("Improve SEO performance by 50%", "kr-relative-percentage"),
    ("SEO 성능 50% 향상", "kr-relative-percentage"),
    ("Engage with customers who became MQLs", "kr-vague"),
    ("MQL이 된 고객과 상호작용", "kr-vague"),
    ("Launch a new website", "kr-is-action"),
    ("새 웹사이트 시작", "kr-is-action"),
    ("Respond to 90% of prospect inquiries within a day", "kr-relative-percentage"),
    ("하루 안에 잠재 고객 문의 90%에 응답", "kr-relative-percentage"),
]


@pytest.mark.parametrize("title", GOOD_OBJECTIVE_EXAMPLES)
def test_good_objective_examples_pass(tmp_path: Path, title: str) -> None:
    """The method's good objectives, in English and Korean, get no finding at all."""
    assert lint_rows(tmp_path, clean_rows(first_objective=title)) == []


@pytest.mark.parametrize(("title", "code"), BAD_OBJECTIVE_EXAMPLES)
def test_bad_objective_examples_are_caught(tmp_path: Path, title: str, code: str) -> None:
    """The method's bad objectives get exactly their own warning, at the title cell."""
    findings = lint_rows(tmp_path, clean_rows(first_objective=title))
    assert [(f.code, f.severity, f.tab, f.cell) for f in findings] == [
        (code, Severity.WARNING, TAB, "B2")
    ]


@pytest.mark.parametrize(("title", "start", "target"), GOOD_KR_EXAMPLES)
def test_good_key_result_examples_pass(
    tmp_path: Path, title: str, start: float, target: float
) -> None:
    """The method's good key results, in English and Korean, get no finding at all."""
    rows = clean_rows(first_kr=kr(title, start=start, target=target))
    assert lint_rows(tmp_path, rows) == []


@pytest.mark.parametrize("title", [title for title, _, _ in GOOD_KR_EXAMPLES])
def test_good_key_result_examples_pass_as_milestones(tmp_path: Path, title: str) -> None:
    """The good key results state their number in the title, so a blank Target is no error."""
    rows = clean_rows(first_kr=kr(title, start=None, target=None))
    findings = lint_rows(tmp_path, rows)
    assert not [f for f in findings if f.code in TITLE_CODES or f.severity is Severity.ERROR]


@pytest.mark.parametrize(("title", "code"), BAD_KR_EXAMPLES)
def test_bad_key_result_examples_are_caught(tmp_path: Path, title: str, code: str) -> None:
    """The method's bad key results get exactly their own warning, at the title cell."""
    findings = lint_rows(tmp_path, clean_rows(first_kr=kr(title, start=0, target=50)))
    assert [(f.code, f.severity, f.tab, f.cell) for f in findings] == [
        (code, Severity.WARNING, TAB, "B3")
    ]


def test_examples_are_judged_alike_in_one_plan(tmp_path: Path) -> None:
    """All examples in one plan: every good one passes and every bad one has its code."""
    objectives: list[tuple[str, str | None]] = [(t, None) for t in GOOD_OBJECTIVE_EXAMPLES]
    objectives += BAD_OBJECTIVE_EXAMPLES
    krs: list[tuple[str, str | None, float, float]] = [
        (t, None, s, g) for t, s, g in GOOD_KR_EXAMPLES
    ]
    krs += [(t, c, 0, 50) for t, c in BAD_KR_EXAMPLES]
    rows: list[list[Any]] = [HEADER]
    expected: dict[str, set[str]] = {}
    for objective_title, code in objectives:
        rows.append(objective(objective_title, team=objective_title))
        expected[f"B{len(rows)}"] = {code} if code else set()
    rows.append(objective("Improve every example", team="Examples"))
    for kr_title, code, start, target in krs:
        rows += [kr(kr_title, start=start, target=target), action()]
        expected[f"B{len(rows) - 1}"] = {code} if code else set()
    findings = [f for f in lint_rows(tmp_path, rows) if f.code in TITLE_CODES]
    got: dict[str, set[str]] = {cell: set() for cell in expected}
    for found in findings:
        got[found.cell].add(found.code)
    assert got == expected


# --- counts -------------------------------------------------------------------------------------


CHANNELS = ("partner", "direct", "online", "event", "referral", "retail")


def _plan(objectives: int, krs: int = 3, team: str = "Marketing") -> list[list[Any]]:
    rows: list[list[Any]] = [HEADER]
    for o in range(objectives):
        rows.append(objective(f"Increase {CHANNELS[o]} revenue", team=team))
        for k in range(krs):
            rows += [kr(f"Win {k + 1} deals", start=0, target=k + 1), action()]
    return rows


@pytest.mark.parametrize("objectives", [3, 4, 5])
def test_three_to_five_objectives_pass(tmp_path: Path, objectives: int) -> None:
    """A team with 3-5 objectives in the quarter gets no count warning."""
    assert lint_rows(tmp_path, _plan(objectives)) == []


def test_too_many_objectives_warn_with_the_reason(tmp_path: Path) -> None:
    """Six objectives warn at the first one, saying more split attention."""
    found = only(lint_rows(tmp_path, _plan(6)), "objective-count")
    assert (found.severity, found.cell) == (Severity.WARNING, "B2")
    assert "Marketing has 6 objectives in 2026-Q4" in found.message
    assert "3-5" in found.message
    assert "enough attention" in found.message


@pytest.mark.parametrize("objectives", [1, 2])
def test_too_few_objectives_warn_with_the_reason(tmp_path: Path, objectives: int) -> None:
    """Fewer than three objectives warn, saying the method asks for 3-5 and why."""
    found = only(lint_rows(tmp_path, _plan(objectives)), "objective-count")
    noun = "objective" if objectives == 1 else "objectives"
    assert f"has {objectives} {noun} in 2026-Q4" in found.message
    assert "3-5" in found.message
    assert "areas that matter" in found.message


def test_objectives_are_counted_per_team_and_quarter(tmp_path: Path) -> None:
    """Counts are per team and per quarter: only the team with two objectives is warned."""
    q4 = _plan(3, team="Content") + _plan(2, team="Demand Gen")[1:]
    q3 = _plan(3, team="Content")
    path = workbook(tmp_path, {"2026-Q3": q3, TAB: q4})
    findings = [f for f in lint_file(path) if f.code == "objective-count"]
    assert len(findings) == 1
    assert (findings[0].tab, findings[0].cell) == (TAB, f"B{2 + 3 * 7}")
    assert findings[0].message.startswith("Demand Gen has 2 objectives in 2026-Q4")


def test_objectives_without_team_count_as_the_plan(tmp_path: Path) -> None:
    """Without a Team the whole plan is counted and called the plan."""
    rows = [[*r[:3], None, *r[4:]] for r in _plan(2)]
    found = only(lint_rows(tmp_path, rows), "objective-count")
    assert found.message.startswith("The plan has 2 objectives")


@pytest.mark.parametrize("krs", [3, 4, 5])
def test_three_to_five_key_results_pass(tmp_path: Path, krs: int) -> None:
    """Three to five key results per objective get no count warning."""
    assert lint_rows(tmp_path, _plan(3, krs)) == []


@pytest.mark.parametrize(
    ("krs", "reason"),
    [(1, "fewer rarely show real progress"), (2, "fewer rarely show real progress"),
     (6, "more split the team's attention")],
)  # fmt: skip
def test_key_result_count_outside_three_to_five_warns(
    tmp_path: Path, krs: int, reason: str
) -> None:
    """Too few or too many key results warn at each objective, with why the method asks."""
    findings = lint_rows(tmp_path, _plan(3, krs))
    assert codes(findings) == ["kr-count"] * 3
    assert where(findings, "kr-count") == [f"B{2 + i * (1 + 2 * krs)}" for i in range(3)]
    noun = "key result" if krs == 1 else "key results"
    for found in findings:
        assert found.severity is Severity.WARNING
        assert f"has {krs} {noun}; the method asks for 3-5" in found.message
        assert reason in found.message


def test_objective_without_key_results_is_an_error(tmp_path: Path) -> None:
    """An objective with no key result is an error (not a count warning)."""
    rows = _plan(3)
    rows.insert(1, objective("Improve the partner program"))
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("objective-without-krs", Severity.ERROR, "B2")
    ]


def test_objective_with_only_actions_still_lacks_key_results(tmp_path: Path) -> None:
    """Actions under an objective do not stand in for key results."""
    rows = _plan(3)
    rows[1:1] = [objective("Improve the partner program"), action("Call the partners")]
    assert codes(lint_rows(tmp_path, rows)) == ["objective-without-krs"]


# --- objective titles ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    ["Win more B2B deals in Q4", "Increase website traffic in 2026",
     "Lead the marketing department through COVID-19", "4분기 웹사이트 트래픽 증가",
     "Double inbound pipeline"],
)  # fmt: skip
def test_objective_names_and_years_are_no_number(tmp_path: Path, title: str) -> None:
    """Names (B2B, Q4, COVID-19), years and number words do not make an objective a KR."""
    assert lint_rows(tmp_path, clean_rows(first_objective=title)) == []


@pytest.mark.parametrize(
    "title", ["Reach 10k newsletter subscribers", "Grow pipeline 3x", "MQL 200건 생성"]
)
def test_objective_with_a_quantity_is_flagged(tmp_path: Path, title: str) -> None:
    """Any stated quantity in an objective suggests making it a key result."""
    found = only(lint_rows(tmp_path, clean_rows(first_objective=title)), "objective-has-number")
    assert "key result" in found.message


@pytest.mark.parametrize(
    "title", ["Demand generation channel", "Website traffic", "Brand", "브랜드 인지도"]
)
def test_objective_without_direction_is_flagged(tmp_path: Path, title: str) -> None:
    """An objective naming an area without saying which way to move it warns."""
    found = only(lint_rows(tmp_path, clean_rows(first_objective=title)), "objective-no-direction")
    assert found.cell == "B2"
    assert "Increase" in found.message


@pytest.mark.parametrize(
    "title",
    ["Significantly grow website traffic", "Make onboarding effortless",
     "웹사이트 트래픽을 증가시키기", "고객 유지율 높이기"],
)  # fmt: skip
def test_objective_with_direction_anywhere_passes(tmp_path: Path, title: str) -> None:
    """A direction verb anywhere in the title (or inside a Korean word) is enough."""
    assert lint_rows(tmp_path, clean_rows(first_objective=title)) == []


# --- measurable key results ----------------------------------------------------------------------


def test_key_result_without_number_or_target_is_an_error(tmp_path: Path) -> None:
    """A KR with no number in the title and a blank Target is an error at the Target cell."""
    rows = clean_rows(first_kr=kr("Grow organic sessions", start=None, target=None))
    found = only(lint_rows(tmp_path, rows), "kr-not-measurable")
    assert (found.severity, found.cell) == (Severity.ERROR, "G3")


def test_key_result_with_number_in_title_and_blank_target_is_no_error(tmp_path: Path) -> None:
    """ "Send 3 email newsletters" with a blank Target says what counts as done."""
    rows = clean_rows(first_kr=kr("Send 3 email newsletters", start=None, target=None))
    assert lint_rows(tmp_path, rows) == []


def test_key_result_with_number_word_and_blank_target_is_no_error(tmp_path: Path) -> None:
    """A number word in the title counts like a digit."""
    rows = clean_rows(first_kr=kr("Send three email newsletters", start=None, target=None))
    assert lint_rows(tmp_path, rows) == []


def test_explicit_milestone_is_measurable(tmp_path: Path) -> None:
    """A KR without a number whose Status says done or not is an explicit milestone."""
    rows = clean_rows(first_kr=kr("Get the campaign plan approved", start=None, target=None,
                                  status="Done"))  # fmt: skip
    assert lint_rows(tmp_path, rows) == []


def test_key_result_with_numeric_target_is_measurable(tmp_path: Path) -> None:
    """A Target in the sheet measures a KR whose title has no number."""
    rows = clean_rows(first_kr=kr("Grow organic sessions", start=100, target=200))
    assert lint_rows(tmp_path, rows) == []


def test_target_equal_to_start_is_one_error_at_the_target(tmp_path: Path) -> None:
    """T = S is a single kr-target-equals-start error at the Target cell, not also unreadable."""
    rows = clean_rows(first_kr=kr("Grow organic sessions", start=20, target=20))
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("kr-target-equals-start", Severity.ERROR, "G3")
    ]


def test_unreadable_target_is_reported_once_as_unreadable(tmp_path: Path) -> None:
    """A Target that cannot be read is an unreadable error, not also a missing target."""
    rows = clean_rows(first_kr=kr("Grow organic sessions", target="thirty"))
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("unreadable", Severity.ERROR, "G3")
    ]
    assert "thirty" in findings[0].message


@pytest.mark.parametrize(
    "title",
    ["Raise demo-to-trial conversion by 15%", "Keep churn under 5 percent",
     "재방문율 20프로 증가", "전환율 30퍼센트 개선"],
)  # fmt: skip
def test_relative_percentage_warns(tmp_path: Path, title: str) -> None:
    """A KR in percentages without from A to B warns and suggests from A to B."""
    found = only(lint_rows(tmp_path, clean_rows(first_kr=kr(title))), "kr-relative-percentage")
    assert (found.severity, found.cell) == (Severity.WARNING, "B3")
    assert "from A to B" in found.message


@pytest.mark.parametrize(
    "title", ["Raise demo-to-trial conversion from 2% to 4%", "전환율을 2%에서 4%로 개선"]
)
def test_percentage_from_a_to_b_passes(tmp_path: Path, title: str) -> None:
    """A percentage written from A to B, with matching Start and Target, passes."""
    assert lint_rows(tmp_path, clean_rows(first_kr=kr(title, start=2, target=4))) == []


def test_korean_program_is_no_percentage(tmp_path: Path) -> None:
    """프로그램 and 프로모션 start like 프로 (percent) but are not percentages."""
    for title in ("추천 프로그램 가입자 200명 확보", "프로모션 페이지 방문 5,000회 달성"):
        assert lint_rows(tmp_path, clean_rows(first_kr=kr(title, start=0, target=10))) == []


@pytest.mark.parametrize(
    "title",
    ["Engage with customers", "Support the sales team", "Focus on enterprise accounts",
     "Raise awareness of the brand", "Optimize the landing pages", "고객과 소통 강화"],
)  # fmt: skip
def test_vague_key_result_warns(tmp_path: Path, title: str) -> None:
    """A KR naming an effort with no quantity warns at its title."""
    found = only(lint_rows(tmp_path, clean_rows(first_kr=kr(title))), "kr-vague")
    assert (found.severity, found.cell) == (Severity.WARNING, "B3")


@pytest.mark.parametrize(
    "title",
    ["Engage 200 customers in webinars", "Improve NPS from 0 to 10", "고객 10명과 상호작용"],
)
def test_key_result_with_quantity_is_not_vague(tmp_path: Path, title: str) -> None:
    """A vague verb followed by a quantity is a measurable key result."""
    assert lint_rows(tmp_path, clean_rows(first_kr=kr(title))) == []


@pytest.mark.parametrize(
    "title",
    ["Launch a new website", "Set up the CRM", "Rolled out the new pricing page",
     "Hire a content writer", "Research and develop SEO", "웨비나 시리즈 출시"],
)  # fmt: skip
def test_action_in_disguise_warns(tmp_path: Path, title: str) -> None:
    """A KR that opens with something to do, and measures nothing, warns at its title."""
    found = only(lint_rows(tmp_path, clean_rows(first_kr=kr(title))), "kr-is-action")
    assert (found.severity, found.cell) == (Severity.WARNING, "B3")
    assert "action" in found.message


@pytest.mark.parametrize(
    "title",
    ["Launch 3 webinars", "Grow leads from the new website", "Set upper limits on ad spend",
     "Sign-ups after the product launch reach 10"],
)  # fmt: skip
def test_measured_result_is_not_an_action(tmp_path: Path, title: str) -> None:
    """A KR with a quantity, or an action word that does not open it, is no action."""
    assert "kr-is-action" not in codes(lint_rows(tmp_path, clean_rows(first_kr=kr(title))))


@pytest.mark.parametrize(
    ("title", "start", "target"),
    [("Grow visits from 20 to 30", 10, 30), ("Grow visits from 20 to 30", 20, 40),
     ("방문자를 20에서 30으로 증가", 20, 40)],
)  # fmt: skip
def test_title_disagreeing_with_start_and_target_warns(
    tmp_path: Path, title: str, start: float, target: float
) -> None:
    """A title saying from A to B while Start and Target say otherwise warns at the Target."""
    found = only(
        lint_rows(tmp_path, clean_rows(first_kr=kr(title, start=start, target=target))),
        "kr-title-disagrees",
    )
    assert (found.severity, found.cell) == (Severity.WARNING, "G3")
    assert f"from 20 to 30 but Start and Target are {start:g} and {target:g}" in found.message


def test_title_agreeing_with_start_and_target_passes(tmp_path: Path) -> None:
    """From A to B with Start A and Target B is no finding."""
    rows = clean_rows(first_kr=kr("Cut cost per MQL from $180 to $120", start=180, target=120))
    assert lint_rows(tmp_path, rows) == []


@pytest.mark.parametrize(
    ("title", "start", "target"),
    [("Grow pipeline from $1.2M to $1.5M", 1_200_000, 1_500_000),
     ("Grow organic sessions from 20k to 30k", 20_000, 30_000),
     ("Raise conversion from 2.5% to 4%", "2.5%", "4%"),
     ("방문자 수를 2만에서 3만으로 증가", "2만", "3만"),
     ("Grow organic sessions from 20k to 30k", 20, 30)],
)  # fmt: skip
def test_title_with_a_scale_agreeing_with_start_and_target_passes(
    tmp_path: Path, title: str, start: Any, target: Any
) -> None:
    """From $1.2M to $1.5M agrees with a Start of 1,200,000 and a Target of 1,500,000 (and
    20% with a cell holding 20%): a good key result is no noise."""
    rows = clean_rows(first_kr=kr(title, start=start, target=target))
    assert "kr-title-disagrees" not in codes(lint_rows(tmp_path, rows))


def test_title_with_a_scale_disagreeing_with_start_and_target_warns(tmp_path: Path) -> None:
    """A scale does not excuse a Target that says something else."""
    rows = clean_rows(first_kr=kr("Grow pipeline from $1.2M to $1.5M", start=1_200_000,
                                  target=2_000_000))  # fmt: skip
    found = only(lint_rows(tmp_path, rows), "kr-title-disagrees")
    # Figures as people write them, never as 1.2e+06.
    assert "but Start and Target are 1,200,000 and 2,000,000;" in found.message


# --- ownership, dates, coverage ----------------------------------------------------------------


def test_key_result_without_owner_warns_at_the_owner_cell(tmp_path: Path) -> None:
    """A KR with nobody in Owner warns at its Owner cell."""
    findings = lint_rows(tmp_path, clean_rows(first_kr=kr("Win 10 new deals", owner=None)))
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("kr-no-owner", Severity.WARNING, "C3")
    ]


def test_key_result_with_owner_passes(tmp_path: Path) -> None:
    """A KR with an owner gets no ownership finding."""
    assert "kr-no-owner" not in codes(lint_rows(tmp_path, clean_rows()))


def test_key_result_without_action_is_a_note(tmp_path: Path) -> None:
    """A KR with no action under it is an info note at its title."""
    rows = clean_rows()
    del rows[3]  # the first key result's action
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("kr-without-action", Severity.INFO, "B3")
    ]


def test_action_under_the_objective_does_not_cover_a_key_result(tmp_path: Path) -> None:
    """An action hanging from the objective leaves the key results without one."""
    rows = [HEADER, objective("Increase website traffic"), action()]
    rows += [kr(f"Win {n} deals", start=0, target=n) for n in (1, 2, 3)]
    rows += _plan(2)[1:]
    findings = lint_rows(tmp_path, rows)
    assert where(findings, "kr-without-action") == ["B4", "B5", "B6"]


def test_action_without_due_warns_at_the_due_cell(tmp_path: Path) -> None:
    """An action with a blank Due warns at its Due cell."""
    rows = clean_rows()
    rows[3] = action(due=None)
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("action-no-due", Severity.WARNING, "K4")
    ]


@pytest.mark.parametrize("status", ["Not started", "In progress", "Blocked", None])
def test_overdue_action_not_done_warns(tmp_path: Path, status: str | None) -> None:
    """An action due before the as-of date and not done warns at its Due cell."""
    rows = clean_rows()
    rows[3] = action(due=day("2026-11-10"), status=status)
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("action-overdue", Severity.WARNING, "K4")
    ]
    assert "2026-11-10" in findings[0].message


def test_overdue_action_that_is_done_passes(tmp_path: Path) -> None:
    """A past action that is Done is no finding."""
    rows = clean_rows()
    rows[3] = action(due=day("2026-11-10"), status="Done")
    assert lint_rows(tmp_path, rows) == []


def test_action_due_on_the_as_of_date_is_not_overdue(tmp_path: Path) -> None:
    """An action due today is not yet overdue."""
    rows = clean_rows()
    rows[3] = action(due=AS_OF, status="In progress")
    assert lint_rows(tmp_path, rows) == []


def test_action_due_after_the_quarter_warns(tmp_path: Path) -> None:
    """An action due after its quarter's last day warns at its Due cell, naming the end."""
    rows = clean_rows()
    rows[3] = action(due=day("2027-01-05"))
    findings = lint_rows(tmp_path, rows)
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("action-after-quarter", Severity.WARNING, "K4")
    ]
    assert "2026-12-31" in findings[0].message


def test_action_due_on_the_last_day_is_within_the_quarter(tmp_path: Path) -> None:
    """An action due on the quarter's last day lands within it."""
    rows = clean_rows()
    rows[3] = action(due=day("2026-12-31"))
    assert lint_rows(tmp_path, rows) == []


def test_action_under_objective_uses_the_objective_quarter(tmp_path: Path) -> None:
    """An action hanging from an objective is checked against that objective's quarter."""
    rows = clean_rows()
    rows.insert(2, action(due=day("2027-02-01")))
    assert where(lint_rows(tmp_path, rows), "action-after-quarter") == ["K3"]


def test_quarter_end_follows_the_fiscal_year(tmp_path: Path) -> None:
    """With a fiscal year starting in April, FY2026-Q4 ends on 2026-03-31."""
    rows = [action(due=day("2026-03-15")) if r[0] == "Action" else r for r in clean_rows()]
    rows[3] = action(due=day("2026-04-02"))
    rows[5] = action(due=day("2026-03-31"))
    path = workbook(tmp_path, {TAB: rows})
    fiscal = ScoringSettings(fiscal_year_start_month=4)
    findings = lint_file(path, day("2026-03-01"), scoring=fiscal)
    found = only(findings, "action-after-quarter")
    assert found.cell == "K4"
    assert "2026-03-31" in found.message


def test_overdue_and_after_quarter_can_both_apply(tmp_path: Path) -> None:
    """An action due after the quarter, seen later still, is both late and out of the quarter."""
    rows = clean_rows()
    rows[3] = action(due=day("2027-01-05"))
    findings = lint_rows(tmp_path, rows, day("2027-01-20"))
    assert [f.code for f in findings if f.cell == "K4"] == [
        "action-after-quarter",
        "action-overdue",
    ]


# --- staleness ----------------------------------------------------------------------------------


def _with_ids(rows: list[list[Any]]) -> list[list[Any]]:
    """The rows with the ID column filled: O1, KR1, A1 and so on."""
    counters = {"Objective": "O", "Key Result": "KR", "Action": "A"}
    seen: dict[str, int] = {}
    out = [rows[0]]
    for r in rows[1:]:
        prefix = counters[r[0]]
        seen[prefix] = seen.get(prefix, 0) + 1
        out.append([*r[:-1], f"{prefix}{seen[prefix]}"])
    return out


def _history_rows(snapshots: Sequence[tuple[str, float | None]], kr_id: str = "KR1") -> list[Any]:
    rows: list[Any] = [list(HISTORY_HEADER)]
    for date, current in snapshots:
        rows.append([day(date), kr_id, "Grow organic sessions", current, None, None, None])
    return rows


def _stale_plan(current: float) -> list[list[Any]]:
    return _with_ids(clean_rows(first_kr=kr("Grow organic sessions", start=0, target=50,
                                            current=current)))  # fmt: skip


def _lint_with_history(
    tmp_path: Path,
    snapshots: Sequence[tuple[str, float | None]],
    current: float = 25,
    stale_after: int = 3,
) -> list[Finding]:
    path = workbook(tmp_path, {TAB: _stale_plan(current), "History": _history_rows(snapshots)})
    history = read_history(ExcelWorkbook(path).read())
    return lint_file(path, history=history, settings=LintSettings(stale_after=stale_after))


WEEKS = ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]


def test_history_tab_is_read_for_staleness(tmp_path: Path) -> None:
    """The History frame read from a workbook has the KR's snapshots."""
    path = workbook(tmp_path, {TAB: _stale_plan(25),
                               "History": _history_rows([(d, 25) for d in WEEKS])})  # fmt: skip
    history = read_history(ExcelWorkbook(path).read())
    assert list(history["id"]) == ["KR1"] * 4
    assert list(history["current"]) == [25.0] * 4


def test_current_unchanged_for_three_syncs_is_stale(tmp_path: Path) -> None:
    """A Current equal to the last three snapshots warns at the Current cell."""
    findings = _lint_with_history(tmp_path, [(WEEKS[0], 10), *[(d, 25) for d in WEEKS[1:]]])
    assert [(f.code, f.severity, f.cell) for f in findings] == [
        ("kr-stale", Severity.WARNING, "H3")
    ]
    assert "25" in findings[0].message
    assert "3 syncs" in findings[0].message


def test_current_that_moved_recently_is_not_stale(tmp_path: Path) -> None:
    """A change within the last three snapshots is progress."""
    snapshots = [(WEEKS[0], 25), (WEEKS[1], 25), (WEEKS[2], 20), (WEEKS[3], 25)]
    assert _lint_with_history(tmp_path, snapshots) == []


def test_current_that_moved_since_the_last_sync_is_not_stale(tmp_path: Path) -> None:
    """A Current that differs from the last snapshots is not stale."""
    assert _lint_with_history(tmp_path, [(d, 25) for d in WEEKS], current=30) == []


def test_too_few_snapshots_are_not_stale(tmp_path: Path) -> None:
    """Two unchanged snapshots are not enough for the default of three."""
    assert _lint_with_history(tmp_path, [(d, 25) for d in WEEKS[2:]]) == []


def test_stale_after_is_configurable(tmp_path: Path) -> None:
    """With stale_after 2, two unchanged snapshots are stale; with 5, four are not."""
    two = _lint_with_history(tmp_path, [(d, 25) for d in WEEKS[2:]], stale_after=2)
    assert codes(two) == ["kr-stale"]
    assert "2 syncs" in two[0].message
    assert _lint_with_history(tmp_path, [(d, 25) for d in WEEKS], stale_after=5) == []
    assert codes(_lint_with_history(tmp_path, [(d, 25) for d in WEEKS], stale_after=4)) == [
        "kr-stale"
    ]


def test_snapshot_of_the_as_of_day_is_not_counted(tmp_path: Path) -> None:
    """A snapshot taken on the as-of day itself (today's sync) is not an earlier sync."""
    snapshots = [(WEEKS[2], 25), (WEEKS[3], 25), (AS_OF.isoformat(), 25)]
    assert _lint_with_history(tmp_path, snapshots) == []


def test_stale_from_a_built_frame_and_without_history(tmp_path: Path) -> None:
    """A frame built by hand works as well; no history means no staleness check."""
    path = workbook(tmp_path, {TAB: _stale_plan(25)})
    frame = pd.DataFrame(
        {"date": [day(d) for d in WEEKS], "id": ["KR1"] * 4, "current": [25.0] * 4}
    )
    assert codes(lint_file(path, history=frame)) == ["kr-stale"]
    assert lint_file(path, history=None) == []
    assert lint_file(path, history=frame.iloc[0:0]) == []


def test_key_result_without_current_is_not_stale(tmp_path: Path) -> None:
    """A KR nobody has checked in on yet is not stale."""
    rows = _with_ids(clean_rows())
    path = workbook(tmp_path, {TAB: rows})
    frame = pd.DataFrame({"date": [day(d) for d in WEEKS], "id": ["KR1"] * 4,
                          "current": [float("nan")] * 4})  # fmt: skip
    assert lint_file(path, history=frame) == []


# --- quarter end ---------------------------------------------------------------------------------


def _quarter_rows(commitment: str, current: float) -> list[list[Any]]:
    """The clean plan at quarter end: the first objective's KRs at `current` of 10, the
    others done, every action done."""
    rows: list[list[Any]] = [HEADER]
    objectives = 0
    for r in clean_rows()[1:]:
        if r[0] == "Objective":
            objectives += 1
            rows.append(objective(r[1], commitment=commitment) if objectives == 1 else r)
        elif r[0] == "Key Result":
            rows.append(kr(r[1], current=current if objectives == 1 else 10))
        else:
            rows.append(action(status="Done"))
    return rows


@pytest.mark.parametrize(
    ("commitment", "current", "flagged"),
    [("Committed", 9, True), ("Committed", 10, False), ("Aspirational", 6, True),
     ("Aspirational", 7, False), ("Aspirational", 9, False)],
)  # fmt: skip
def test_quarter_end_pass_marks(
    tmp_path: Path, commitment: str, current: float, flagged: bool
) -> None:
    """After the quarter, committed objectives below 1.0 and aspirational below 0.7 get a note."""
    findings = lint_rows(tmp_path, _quarter_rows(commitment, current), day("2027-01-01"))
    got = [f for f in findings if f.code == "quarter-end-below-pass"]
    if not flagged:
        assert got == []
        return
    assert [(f.severity, f.cell) for f in got] == [(Severity.INFO, "B2")]
    assert f"{current * 10:.0f}%" in got[0].message
    assert ("100%" if commitment == "Committed" else "70%") in got[0].message
    assert commitment.lower() in got[0].message


@pytest.mark.parametrize("as_of", ["2026-11-30", "2026-12-31"])
def test_quarter_end_waits_for_the_quarter_to_end(tmp_path: Path, as_of: str) -> None:
    """Until the day after the quarter's last day, no pass mark applies."""
    findings = lint_rows(tmp_path, _quarter_rows("Committed", 2), day(as_of))
    assert "quarter-end-below-pass" not in codes(findings)


def test_aspirational_is_the_default_commitment(tmp_path: Path) -> None:
    """Without a Commitment an objective is aspirational and passes at 0.7."""
    rows = _quarter_rows("Aspirational", 6)
    rows[1] = objective(GOOD_OBJECTIVES[0])
    found = only(lint_rows(tmp_path, rows, day("2027-01-01")), "quarter-end-below-pass")
    assert "70%" in found.message


# --- cells, order and messages ------------------------------------------------------------------


def _everything(tmp_path: Path) -> tuple[Path, pd.DataFrame]:
    """A workbook firing every rule: a Q3 tab that ended badly and a busy Q4 tab."""
    q3 = [HEADER, objective("Improve the sales pipeline", commitment="Committed", id="O-Q3"),
          kr("Win 10 deals", current=2, id="KR-Q3"), action(due=day("2026-09-01"),
                                                            status="Done")]  # fmt: skip
    q4 = [
        HEADER,
        objective("Generate 53 MQLs", id="O1"),  # 2: has a number, 2 KRs
        kr("Improve brand awareness", owner=None, id="KR1"),  # 3: vague, no owner, no action
        kr("Grow visits from 20 to 30", start=10, target=30, current=12, id="KR2"),  # 4
        action(due=None, id="A1"),  # 5: no due
        action(due=day("2026-11-01"), status="In progress", id="A2"),  # 6: overdue
        action(due=day("2027-01-10"), id="A3"),  # 7: after the quarter
        objective("Market research", id="O2"),  # 8: no direction, no KR
        objective("시장 조사", id="O3"),  # 9
        kr("Launch a new website", id="KR3"),  # 10
        kr("Respond to 90% of prospect inquiries within a day", id="KR4"),  # 11
        kr("Grow organic sessions", start=None, target=None, id="KR5"),  # 12
        kr("Win new deals", start=5, target=5, id="KR6"),  # 13
        kr("Send 3 email newsletters", current="lots", id="KR7"),  # 14: unreadable Current
        kr("Win 9 deals", target=9, current=4, id="KR8"),  # 15: stale
        kr("Win 4 deals", target=4, id="KR9"),  # 16: the seventh key result of O3
    ]
    for index in range(len(q4) - 1, 8, -1):  # an action under each of KR3 to KR9
        q4.insert(index + 1, action(id=f"A-{index}"))
    history = [list(HISTORY_HEADER)] + [[day(d), "KR8", "Win 9 deals", 4] for d in WEEKS]
    path = workbook(tmp_path, {"2026-Q3": q3, TAB: q4, "History": history}, "everything")
    return path, read_history(ExcelWorkbook(path).read())


def test_every_rule_fires_somewhere(tmp_path: Path) -> None:
    """The workbook built to break every rule gets every code."""
    path, history = _everything(tmp_path)
    findings = lint_file(path, history=history)
    assert set(codes(findings)) == ALL_CODES


def test_findings_point_at_the_right_cells(tmp_path: Path) -> None:
    """Each finding names the tab and the cell to fix."""
    path, history = _everything(tmp_path)
    got = {(f.tab, f.cell, f.code) for f in lint_file(path, history=history)}
    q4 = {
        ("B2", "objective-has-number"), ("B2", "kr-count"),
        ("B3", "kr-vague"), ("C3", "kr-no-owner"), ("B3", "kr-without-action"),
        ("G4", "kr-title-disagrees"), ("K5", "action-no-due"), ("K6", "action-overdue"),
        ("K7", "action-after-quarter"), ("B8", "objective-no-direction"),
        ("B8", "objective-without-krs"), ("B9", "objective-no-direction"),
        ("B10", "kr-is-action"), ("B12", "kr-relative-percentage"),
        ("G14", "kr-not-measurable"), ("G16", "kr-target-equals-start"),
        ("H18", "unreadable"), ("H20", "kr-stale"), ("B9", "kr-count"),
    }  # fmt: skip
    q3 = {("B2", "quarter-end-below-pass"), ("B2", "objective-count"), ("B2", "kr-count")}
    assert got == {(TAB, c, code) for c, code in q4} | {("2026-Q3", c, code) for c, code in q3}


def test_findings_are_in_sheet_order(tmp_path: Path) -> None:
    """Findings follow the tabs, then rows, then columns, as the sheet reads."""
    path, history = _everything(tmp_path)
    findings = lint_file(path, history=history)
    tabs = ["2026-Q3", TAB]

    def key(f: Finding) -> tuple[int, int, str]:
        letters = f.cell.rstrip("0123456789")
        return (tabs.index(f.tab), int(f.cell[len(letters) :]), letters)

    assert [key(f) for f in findings] == sorted(key(f) for f in findings)
    row3 = [(f.cell, f.code) for f in findings if f.tab == TAB and f.cell[1:] == "3"]
    assert row3 == [("B3", "kr-vague"), ("B3", "kr-without-action"), ("C3", "kr-no-owner")]


def test_every_message_is_one_sentence_of_advice(tmp_path: Path) -> None:
    """Every rule's message is one sentence ending in a full stop or a question mark."""
    path, history = _everything(tmp_path)
    findings = lint_file(path, history=history)
    for found in findings:
        message = found.message
        assert message == message.strip()
        assert "\n" not in message
        assert not _NEXT_SENTENCE.search(message), (found.code, message)
        if found.code != "unreadable":  # the reader's own problem text
            assert message[0].isupper(), (found.code, message)
            assert message.endswith((".", "?")), (found.code, message)


def test_findings_data_shape_and_counts(tmp_path: Path) -> None:
    """The JSON object has the as-of date, source, counts by severity and plain findings."""
    path, history = _everything(tmp_path)
    findings = lint_file(path, history=history)
    data = findings_data(findings, "2026-11-30", "everything.xlsx")
    assert set(data) == {"as_of", "source", "counts", "findings"}
    assert (data["as_of"], data["source"]) == ("2026-11-30", "everything.xlsx")
    for severity in Severity:
        expected = sum(f.severity is severity for f in findings)
        assert data["counts"][severity.value] == expected
    assert data["findings"][0] == {
        "severity": findings[0].severity.value, "code": findings[0].code,
        "tab": findings[0].tab, "cell": findings[0].cell, "message": findings[0].message,
    }  # fmt: skip


def test_findings_data_of_nothing() -> None:
    """No findings give zero counts of every severity."""
    data = findings_data([], "2026-11-30")
    assert data == {"as_of": "2026-11-30", "source": "",
                    "counts": {"error": 0, "warning": 0, "info": 0}, "findings": []}  # fmt: skip


def test_rules_work_on_a_model_level_tracker() -> None:
    """lint_tracker needs only the model: a tracker built in code is checked like a sheet."""
    layout = TabLayout(TAB, 1, {"type": 0, "title": 1, "owner": 2})
    quarter = Quarter(2026, 4)
    objectives = tuple(
        Objective(f"O{i}", title, Location(TAB, i + 2), quarter)
        for i, title in enumerate(["Market research", "Increase website traffic",
                                   "Improve the sales pipeline"])
    )  # fmt: skip
    tracker = Tracker(objectives, (), (), (), (layout,))
    findings = lint_tracker(tracker, score_tracker(tracker, AS_OF))
    assert [(f.code, f.cell) for f in findings] == [
        ("objective-no-direction", "B2"),
        ("objective-without-krs", "B2"),
        ("objective-without-krs", "B3"),
        ("objective-without-krs", "B4"),
    ]


def test_missing_column_points_at_the_title_cell(tmp_path: Path) -> None:
    """Without an Owner or Due column, findings point at the row's title cell."""
    rows = [["Type", "Title", "Start", "Target"], objective("Increase website traffic")[:2]]
    rows += [["Key Result", f"Win {n} deals", 0, n] for n in (1, 2, 3)]
    rows += [["Action", "Call the leads"]]
    rows += [["Objective", "Improve the sales pipeline"]]
    rows += [["Key Result", f"Win {n} deals", 0, n] for n in (4, 5, 6)]
    rows += [["Objective", "Build a new demand generation channel"]]
    rows += [["Key Result", f"Win {n} deals", 0, n] for n in (7, 8, 9)]
    findings = lint_rows(tmp_path, rows)
    assert only(findings, "action-no-due").cell == "B6"
    assert where(findings, "kr-no-owner")[:3] == ["B3", "B4", "B5"]


# --- the example plan --------------------------------------------------------------------------


def test_example_plan_follows_the_method(tmp_path: Path) -> None:
    """`init --example` gives a plan without errors or title warnings: only two late actions."""
    path = tmp_path / "okrs.xlsx"
    init_workbook(path, example=True, quarter=Quarter(2026, 4), as_of=AS_OF, force=False)
    data = findings_data(lint_source(str(path), ReadOptions(AS_OF))[1], AS_OF.isoformat())
    assert data["counts"] == {"error": 0, "warning": 2, "info": 0}
    assert [(f["code"], f["severity"]) for f in data["findings"]] == [
        ("action-overdue", "warning"),
        ("action-overdue", "warning"),
    ]
    assert [f["tab"] for f in data["findings"]] == ["OKRs 2026-Q4"] * 2
    assert all(f["cell"].startswith("K") for f in data["findings"])


def test_example_plan_after_a_sync_still_has_no_error(tmp_path: Path) -> None:
    """After `sync` writes its tabs (History included), the example still has no error."""
    from sheets_okr.actions.sync import SyncOptions, sync_source

    path = tmp_path / "okrs.xlsx"
    init_workbook(path, example=True, quarter=Quarter(2026, 4), as_of=AS_OF, force=False)
    sync_source(str(path), ReadOptions(AS_OF), options=SyncOptions(backups=0))
    data = findings_data(lint_source(str(path), ReadOptions(AS_OF))[1], AS_OF.isoformat())
    assert data["counts"]["error"] == 0
    assert {f["code"] for f in data["findings"]} == {"action-overdue"}
