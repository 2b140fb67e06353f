"""Words of the summary as a reader sees them: legend markers, plurals, Korean word order,
a subject that says OKR once, the score said once."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import render_company
from tests.support import okr_sheets
from tests.support.run_configs import no_okr_tabs, small_tracker, write_config
from tests.support.summary_plans import AS_OF, team_plan

NOW = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture(scope="module", name="plan")
def _plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-team plan synced on three dates."""
    return team_plan(tmp_path_factory.mktemp("copy") / "okrs.xlsx")


def test_the_legend_shows_each_lines_marker(plan: Path) -> None:
    """One line per team: the legend shows each line's marker (● ■), not only a colour."""
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "en")
    legend = re.search(r'class="legend"[^>]*>(.*?)</td>', rendered.page, re.S)
    assert legend is not None
    words = re.sub(r"<[^>]+>", "", legend.group(1))
    assert "━●━ Brand" in words
    assert "━■━ Growth" in words


def test_the_score_is_said_once_at_the_top(plan: Path) -> None:
    """The lead sentence starts with the score in large type; it is not also printed
    above it."""
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "en")
    lead = re.search(r'class="lead"[^>]*>(.*?)</td>', rendered.html, re.S)
    assert lead is not None
    words = " ".join(re.sub(r"<[^>]+>", " ", lead.group(1)).split())
    assert words.count("28%") == 1
    assert re.search(r'<strong class="score"[^>]*>28%</strong>, 37 points behind', lead.group(1))


def test_korean_counts_read_in_korean_order(plan: Path) -> None:
    """Korean counts name the whole first: "핵심 결과 5개 중 위험 1, 이탈 2"."""
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "ko")
    assert "핵심 결과 5개 중 위험 1, 이탈 2, 체크인 없음 1" in rendered.text


def test_a_plan_named_okr_is_not_said_twice(tmp_path: Path) -> None:
    """ "마케팅팀 OKR.xlsx": the subject is "[OKR] 마케팅팀 2026-Q4: ...", OKR once."""
    plan = okr_sheets.korean_team_sheet(tmp_path)
    _, rendered = summarise(str(plan), ReadOptions(okr_sheets.AS_OF), "ko")
    assert rendered.subject.startswith("[OKR] 마케팅팀 2026-Q4: ")
    assert rendered.subject.count("OKR") == 1


def test_korean_amounts_have_one_spacing(tmp_path: Path) -> None:
    """Amounts of money in a Korean summary: a space before 원 whatever the size."""
    from tests.support.summary_plans import key_result, objective, write_and_sync

    rows = [objective("매출 확대", "김민지", "영업"),
            key_result("소액 결제 늘리기", "김민지", 5_000, 9_000, 6_000, "원"),
            key_result("대형 계약 늘리기", "김민지", 12_000, 50_000, 20_000, "원")]  # fmt: skip
    plan = write_and_sync(tmp_path / "won.xlsx", rows, [])
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "ko")
    assert "5,000 원에서 9,000 원으로" in rendered.text
    assert "1만 2,000 원에서 5만 원으로" in rendered.text
    assert not re.search(r"\d원", rendered.text)


def test_one_tracker_is_singular(tmp_path: Path) -> None:
    """A run of one tracker says "1 of 1 tracker synced" and names nobody "furthest
    behind" (there is nothing to compare), and "the tracker FAILED" when it failed."""
    small_tracker(tmp_path / "growth.xlsx", "Growth")
    config = load_config(write_config(tmp_path, [("Growth", "growth.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), "en", now=NOW)
    assert "1 of 1 tracker synced" in rendered.text
    assert "1 of 1 tracker synced" in rendered.html
    assert "furthest behind" not in (rendered.text + rendered.html).lower()
    no_okr_tabs(tmp_path / "brand.xlsx")
    config = load_config(write_config(tmp_path, [("Brand", "brand.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    subject = render_company(build_company(report.trackers, report.as_of), "en").subject
    assert subject.endswith(" · the tracker FAILED")
