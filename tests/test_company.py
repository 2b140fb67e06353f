"""The summary of several trackers: a company view, then a section for each tracker."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from sheets_okr.company import CompanyDigest, build_company, summarize_run
from sheets_okr.config import ScoringConfig, load_config
from sheets_okr.mail import build_message, html_size_as_sent
from sheets_okr.render import Rendered, render_company
from sheets_okr.runner import RunReport, sync_trackers
from sheets_okr.summary import EMAIL_HTML_BUDGET
from tests.run_configs import (
    AS_OF,
    no_okr_tabs,
    small_tracker,
    unreadable_cells,
    write_config,
)
from tests.summary_plans import big_plan

NOW = dt.datetime(2026, 11, 30, 9, 0)


@pytest.fixture(scope="module", name="report")
def _report(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    """Growth at 50%, Brand without OKR tabs, Korea at 80%, Events with an unreadable cell."""
    folder = tmp_path_factory.mktemp("company")
    small_tracker(folder / "growth.xlsx", "Growth", current=5)
    no_okr_tabs(folder / "brand.xlsx")
    small_tracker(folder / "korea.xlsx", "Korea", current=8)
    unreadable_cells(folder / "events.xlsx")
    config = load_config(write_config(folder, [
        ("Growth", "growth.xlsx"), ("Brand", "brand.xlsx"), ("Korea", "korea.xlsx"),
        ("Events", "events.xlsx"),
    ]))  # fmt: skip
    return sync_trackers(config, as_of=AS_OF, dry_run=True)


@pytest.fixture(scope="module", name="company")
def _company(report: RunReport) -> CompanyDigest:
    """Its company view."""
    return build_company(report, ScoringConfig())


def test_the_company_view_has_every_tracker_in_order(company: CompanyDigest) -> None:
    """Each tracker once, in the configured order, with its outcome."""
    assert [(t.name, t.outcome) for t in company.trackers] == [
        ("Growth", "ok"), ("Brand", "failed"), ("Korea", "ok"), ("Events", "problems"),
    ]  # fmt: skip
    assert (company.synced, company.failed) == (2, 2)
    brand = company.trackers[1]
    assert brand.digest is None
    assert "no OKR tab found" in brand.message
    assert company.trackers[3].digest is not None  # unreadable cells: still summarised


def test_the_company_score_is_the_mean_of_the_tracker_scores(company: CompanyDigest) -> None:
    """Growth 50%, Korea 80%, Events 40% (its readable KR): the company is at their mean."""
    scores = [t.digest.score for t in company.trackers if t.digest is not None]
    assert scores == pytest.approx([0.5, 0.8, 0.4])
    assert company.score == pytest.approx((0.5 + 0.8 + 0.4) / 3)
    assert company.quarter == "2026-Q4"
    assert company.expected == pytest.approx(60 / 92)
    assert company.key_result_count == 3


@pytest.fixture(scope="module", name="english")
def _english(company: CompanyDigest) -> Rendered:
    """The English rendering."""
    return render_company(company, "en", now=NOW)


def test_the_summary_names_the_failed_tracker_and_its_error(english: Rendered) -> None:
    """The page, the email and the text all say Brand failed, and why."""
    for body in (english.page, english.html, english.text):
        assert "Brand" in body
        assert "This tracker could not be synced: " in body
        assert "no OKR tab found" in body
        assert 'Target "thirty" is not a number' in body.replace("&#34;", '"')


def test_each_readable_tracker_has_its_own_section(english: Rendered) -> None:
    """A section per tracker that could be read (3), none for the failed one."""
    sections = re.findall(r'class="tracker-section"[^>]*>([^<]*)', english.page)
    assert [s.split(" · ")[0] for s in sections] == ["Growth", "Korea", "Events"]
    assert "Reach 10 Korea deals" in english.page
    assert len(re.findall(r'class="tracker" data-outcome="(\w+)"', english.page)) == 4
    assert "== Korea · 2026-Q4 · 80% (On track) ==" in english.text


def test_the_subject_counts_the_failures(company: CompanyDigest, english: Rendered) -> None:
    """Default subject: company score, tracker count, failures; a template replaces it."""
    assert english.subject == (
        "[OKR] 2026-Q4: 57% overall · 2 at risk, 0 off track · 2 of 4 trackers FAILED"
    )
    custom = render_company(company, "en", subject_template="{as_of} · {failed} failed")
    assert custom.subject == "Nov 30, 2026 · 2 failed"


def test_the_korean_summary(company: CompanyDigest) -> None:
    """In Korean: the title, the failure word and the note."""
    korean = render_company(company, "ko", now=NOW)
    assert korean.subject == "[OKR] 2026-Q4: 전체 57% · 위험 2, 이탈 0 · 트래커 4개 중 2개 실패"
    assert "OKR 요약, 전체 트래커" in korean.page
    assert "이 트래커를 동기화하지 못했습니다" in korean.html
    assert "2026년 11월 30일" in korean.text


def test_the_email_has_no_image_part(english: Rendered) -> None:
    """No chart: text and HTML alternatives only, no empty image."""
    message = build_message(english, sender="bot@example.com", recipients=["ceo@example.com"])
    kinds = [part.get_content_type() for part in message.walk()]
    assert kinds == ["multipart/alternative", "text/plain", "text/html"]


def test_a_hostile_tracker_name_is_escaped(report: RunReport) -> None:
    """A name with HTML is text in the page, never markup."""
    renamed = RunReport(report.as_of, report.dry_run, tuple(
        t if t.name != "Growth" else type(t)("<script>x</script>", t.source, t.outcome,
                                             t.exit_code, t.message, t.result)
        for t in report.trackers
    ))  # fmt: skip
    page = render_company(build_company(renamed, ScoringConfig()), "en").page
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_many_long_trackers_still_fit_the_gmail_budget(tmp_path: Path) -> None:
    """Five trackers of 100 long KRs in Korean: lists shrink until the HTML fits."""
    first = big_plan(tmp_path / "t0.xlsx")
    for i in range(1, 5):
        shutil.copy(first, tmp_path / f"t{i}.xlsx")
    config = load_config(write_config(tmp_path, [(f"Team {i}", f"t{i}.xlsx") for i in range(5)]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    company, rendered = summarize_run(report, config.scoring, lang="ko")
    assert html_size_as_sent(rendered.html) <= EMAIL_HTML_BUDGET
    assert len(company.trackers) == 5
    assert "외" in rendered.html  # "외 N개": it says what it left out
