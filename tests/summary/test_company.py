"""The summary of several trackers: a company view, then a section for each tracker."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from sheets_okr.actions.summarise import summarise_run
from sheets_okr.actions.trackers import RunReport, sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.deliver.mail import build_message
from sheets_okr.summary.company import CompanyDigest, build_company
from sheets_okr.summary.fit import EMAIL_HTML_BUDGET, html_size_as_sent
from sheets_okr.summary.render import Rendered, render_company
from tests.support.run_configs import (
    AS_OF,
    no_okr_tabs,
    small_tracker,
    two_trackers_and_one_on_q3,
    unreadable_cells,
    write_config,
)
from tests.support.summary_plans import big_plan

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
    return build_company(report.trackers, report.as_of)


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
        "[OKR] 2026-Q4: 57% overall · 65% pace · 2 at risk, 0 off track · 2 of 4 trackers FAILED"
    )
    custom = render_company(company, "en", subject_template="{as_of} · {failed} failed")
    assert custom.subject == "Nov 30, 2026 · 2 failed"


def test_the_korean_summary(company: CompanyDigest) -> None:
    """In Korean: the title, the failure word and the note."""
    korean = render_company(company, "ko", now=NOW)
    assert (
        korean.subject
        == "[OKR] 2026-Q4: 전체 57% · 기대 진도 65% · 위험 2, 이탈 0 · 트래커 4개 중 2개 실패"
    )
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
    page = render_company(build_company(renamed.trackers, renamed.as_of), "en").page
    assert "<script>x</script>" not in page
    assert "&lt;script&gt;x&lt;/script&gt;" in page


def test_many_long_trackers_still_fit_the_gmail_budget(tmp_path: Path) -> None:
    """Five trackers of 100 long KRs in Korean: lists shrink until the HTML fits."""
    first = big_plan(tmp_path / "t0.xlsx")
    for i in range(1, 5):
        shutil.copy(first, tmp_path / f"t{i}.xlsx")
    config = load_config(write_config(tmp_path, [(f"Team {i}", f"t{i}.xlsx") for i in range(5)]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    company, rendered = summarise_run(report, config.scoring, lang="ko")
    assert html_size_as_sent(rendered.html) <= EMAIL_HTML_BUDGET
    assert len(company.trackers) == 5
    assert "외" in rendered.html  # "외 N개": it says what it left out


def test_trackers_synced_with_unreadable_cells_are_not_failed(tmp_path: Path) -> None:
    """allow_problems = true: written, so counted as synced "with unreadable cells", not
    FAILED; the subject says so, and FAILED stays for the tracker that really failed."""
    small_tracker(tmp_path / "growth.xlsx", "Growth")
    unreadable_cells(tmp_path / "events.xlsx")
    path = write_config(tmp_path, [("Growth", "growth.xlsx"), ("Events", "events.xlsx")])
    path.write_text(path.read_text() + "allow_problems = true\n")
    report = sync_trackers(load_config(path), as_of=AS_OF, dry_run=True)
    company = build_company(report.trackers, report.as_of)
    assert [t.outcome for t in company.trackers] == ["ok", "partial"]
    assert (company.synced, company.failed, company.unreadable) == (2, 0, 1)
    rendered = render_company(company, "en", now=NOW)
    assert rendered.subject == ("[OKR] 2026-Q4: 45% overall · 65% pace · 2 at risk, 0 off track"
                                " · 1 of 2 trackers with unreadable cells")  # fmt: skip
    assert "FAILED" not in rendered.subject
    assert "2 of 2 trackers synced · 1 with unreadable cells" in rendered.text
    assert "Some cells of this tracker could not be read: 1 cell could not be read" in (
        rendered.text
    )
    korean = render_company(company, "ko", now=NOW)
    assert korean.subject.endswith("트래커 2개 중 1개에 읽을 수 없는 셀")
    no_okr_tabs(tmp_path / "brand.xlsx")
    path.write_text(path.read_text() + '[[tracker]]\nname = "Brand"\nsource = "brand.xlsx"\n')
    report = sync_trackers(load_config(path), as_of=AS_OF, dry_run=True)
    company = build_company(report.trackers, report.as_of)
    assert (company.synced, company.failed, company.unreadable) == (2, 1, 1)
    assert render_company(company, "en").subject.endswith(" · 1 of 3 trackers FAILED")


def test_the_company_quarter_is_the_trackers_not_the_as_of_dates(tmp_path: Path) -> None:
    """Early January, plans only for 2026-Q4: the company view is 2026-Q4, its expected pace
    the trackers' own (the quarter is over: 100%), its health theirs."""
    small_tracker(tmp_path / "growth.xlsx", "Growth", current=5)
    small_tracker(tmp_path / "korea.xlsx", "Korea", current=6)
    config = load_config(write_config(tmp_path, [("Growth", "growth.xlsx"),
                                                 ("Korea", "korea.xlsx")]))  # fmt: skip
    report = sync_trackers(config, as_of=dt.date(2027, 1, 4), dry_run=True)
    company = build_company(report.trackers, report.as_of, config.scoring)
    digests = [t.digest for t in company.trackers if t.digest is not None]
    assert [(d.quarter, d.expected, d.health) for d in digests] == [
        ("2026-Q4", 1.0, "off_track"), ("2026-Q4", 1.0, "off_track"),
    ]  # fmt: skip
    assert (company.quarter, company.expected, company.health) == ("2026-Q4", 1.0, "off_track")
    assert company.score == pytest.approx(0.55)
    text = render_company(company, "en", now=NOW).text
    assert "As of Jan 4, 2027 · 100% of the quarter gone" in text
    assert "2027-Q1" not in text


def test_a_tracker_on_another_quarter_is_labelled_and_left_out(tmp_path: Path) -> None:
    """Two trackers on 2026-Q4, one with only 2026-Q3 plans: the company is 2026-Q4, the
    third is labelled with its quarter and left out of the company figures."""
    config = load_config(two_trackers_and_one_on_q3(tmp_path))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    company = build_company(report.trackers, report.as_of, config.scoring)
    assert company.quarter == "2026-Q4"
    assert company.other_quarter == 1
    assert company.score == pytest.approx((0.5 + 0.8) / 2)
    assert company.expected == pytest.approx(60 / 92)
    assert company.key_result_count == 2
    rendered = render_company(company, "en", now=NOW)
    label = "Shows 2026-Q3: left out of the company figures for 2026-Q4"
    assert label in rendered.text
    assert label in rendered.page
    assert "== Brand · 2026-Q3 · 10% (Off track) ==" in rendered.text


@pytest.fixture(scope="module", name="two_plans")
def _two_plans(tmp_path_factory: pytest.TempPathFactory) -> tuple[CompanyDigest, Rendered]:
    """A run of the two-team plan ("Growth") and a 100-KR plan of four teams ("Sales"),
    both with History, summarised as `run` does."""
    from tests.support.summary_plans import team_plan

    folder = tmp_path_factory.mktemp("two-plans")
    team_plan(folder / "growth.xlsx")
    big_plan(folder / "sales.xlsx", teams=4)
    config = load_config(write_config(folder, [("Growth", "growth.xlsx"),
                                               ("Sales", "sales.xlsx")]))  # fmt: skip
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    return summarise_run(report, config.scoring, lang="en", now=NOW)


def test_the_company_email_names_every_team(two_plans: tuple[CompanyDigest, Rendered]) -> None:
    """Capped for Gmail, the email still shows every team of every tracker, each with at
    least its worst objective."""
    company, rendered = two_plans
    text = html_to_text(rendered.html)
    for team in ("Team 0", "Team 1", "Team 2", "Team 3", "Growth", "Brand"):
        assert team in text, team
    for section in company.trackers:
        assert section.digest is not None
        assert all(blocks.items for _, _, _, blocks in section.digest.teams)


def test_the_company_page_is_never_capped(two_plans: tuple[CompanyDigest, Rendered]) -> None:
    """The page (run -o company.html) has all 20 objectives and 100 KRs of Sales, and no
    "and N more"."""
    _, rendered = two_plans
    for o in range(1, 21):
        assert f"Objective {o}: " in rendered.page
    assert not re.search(r"and \d+ more", rendered.page)
    assert re.search(r"and \d+ more", rendered.html)  # the email is capped


def test_the_company_subject_keeps_the_change(two_plans: tuple[CompanyDigest, Rendered]) -> None:
    """The run's subject says the score against the pace and the change since last time."""
    company, rendered = two_plans
    assert company.delta is not None
    assert re.fullmatch(
        r"\[OKR\] 2026-Q4: \d+% overall · 65% pace · [+−±][\d.]+ · .* off track", rendered.subject
    )
    assert "furthest behind" in html_to_text(rendered.html)


def html_to_text(markup: str) -> str:
    """The visible words of an HTML document, tags removed and spaces squashed."""
    return " ".join(re.sub(r"<[^>]+>", " ", markup.rsplit("</head>", maxsplit=1)[-1]).split())


def test_the_company_chart_has_a_line_per_team(two_plans: tuple[CompanyDigest, Rendered]) -> None:
    """With History, the company view draws one line per tracker against the pace, named in
    its legend and alt text, and the email carries it as an inline image."""
    from sheets_okr.summary.chart import company_lines
    from sheets_okr.summary.phrases import Phrases

    company, rendered = two_plans
    lines = company_lines(company, Phrases("en"))
    assert [line.label for line in lines] == ["Growth", "Sales"]
    assert rendered.chart_png.startswith(b"\x89PNG")
    message = build_message(rendered, sender="bot@example.com", recipients=["ceo@example.com"])
    kinds = [part.get_content_type() for part in message.walk()]
    assert "image/png" in kinds
    legend = re.search(r'class="legend"[^>]*>(.*?)</td>', rendered.page, re.S)
    assert legend is not None
    assert "Growth" in legend.group(1)
    assert "Sales" in legend.group(1)
    alt = re.search(r'<img[^>]*alt="([^"]*)"', rendered.page)
    assert alt is not None
    assert "Growth: Nov 2, 2026" in alt.group(1)


def test_the_company_view_names_who_needs_help(two_plans: tuple[CompanyDigest, Rendered]) -> None:
    """Above the trackers, the company view names the KR furthest behind, its owner and its
    tracker, so the first screen says whom to help."""
    company, rendered = two_plans
    assert company.behind is not None
    name, kr = company.behind
    text = html_to_text(rendered.html)
    assert f"Needs help most: {kr.title[:60]}" in text  # a long title is cut at 120
    assert f"({kr.owner}, {name})" in text
    assert text.index("Needs help most") < text.index("Trackers")
