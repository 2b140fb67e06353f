"""A reminder as an email: its subject, its plain text and its HTML, in English and Korean."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sheets_okr.remind.render import render_reminder
from sheets_okr.remind.select import KrToUpdate, Reason, Reminder

AS_OF = dt.date(2026, 11, 30)


def item(title: str = "Win 10 deals", **changes: object) -> KrToUpdate:
    """One key result to update, on tab 'Q4 2026' of growth.xlsx."""
    values: dict[str, object] = {
        "tracker": "Growth", "where": "growth.xlsx", "link": None, "tab": "Q4 2026",
        "cell": "H4", "id": "KR-2", "title": title, "objective": "Grow the pipeline",
        "start": 0.0, "target": 10.0, "current": 4.0, "unit": "deals", "due": None,
        "reasons": (Reason.STALE,), "stale_syncs": 3,
    }  # fmt: skip
    values.update(changes)
    return KrToUpdate(**values)  # type: ignore[arg-type]


def test_the_text_says_what_to_update_and_where() -> None:
    """Title, why, figures and the cell to edit (quoted as a formula names it), the file."""
    rendered = render_reminder(Reminder("lee@example.com", "Lee", "en", (item(),)), AS_OF)
    assert rendered.subject == "[OKR] Please update 1 key result before the summary goes out"
    text = rendered.text
    assert "Hi Lee," in text
    assert "Win 10 deals" in text
    assert "Unchanged over the last 3 syncs" in text
    assert "Now 4 · target 10 deals" in text
    assert "Update 'Q4 2026'!H4" in text
    assert "growth.xlsx" in text


def test_titles_from_the_sheet_are_escaped_in_the_html() -> None:
    """A title holding markup shows as text: no tag of the sheet's reaches the email."""
    evil = '<script>alert("x")</script> & <b>bold</b>'
    rendered = render_reminder(Reminder("lee@example.com", "<i>Lee</i>", "en", (item(evil),)),
                               AS_OF)  # fmt: skip
    assert "<script>" not in rendered.html
    assert "<b>bold</b>" not in rendered.html
    assert "&lt;script&gt;" in rendered.html
    assert "&lt;i&gt;Lee&lt;/i&gt;" in rendered.html


def test_a_google_sheet_is_linked_in_the_html() -> None:
    """The tracker's heading links to the sheet; only the sheet's https address is a link."""
    link = "https://docs.google.com/spreadsheets/d/1AbC/edit"
    rendered = render_reminder(
        Reminder("lee@example.com", "Lee", "en", (item(link=link, where=link),)), AS_OF
    )
    assert re.findall(r'href="([^"]*)"', rendered.html) == [link]
    assert link in rendered.text


def test_a_korean_reminder_is_in_korean() -> None:
    """Subject, greeting, reasons and dates in Korean, for several key results."""
    due = item("웨비나 400명", id="KR-4", reasons=(Reason.NO_CHECK_IN, Reason.DUE_SOON),
               current=None, due=dt.date(2026, 12, 3), unit="명")  # fmt: skip
    rendered = render_reminder(Reminder("j@example.com", "박지민", "ko", (item(), due)), AS_OF)
    assert rendered.subject == "[OKR] 요약 발송 전에 핵심 결과 2개를 업데이트해 주세요"
    assert "박지민님, 안녕하세요." in rendered.text
    assert "아직 체크인 없음" in rendered.text
    assert "마감 2026년 12월 3일" in rendered.text  # as the summary writes dates
    assert 'lang="ko"' in rendered.html


def test_an_overdue_key_result_says_since_when_in_both_languages() -> None:
    """An overdue key result says since when: "Overdue since Nov 20, 2026", in Korean too."""
    late = item(reasons=(Reason.OVERDUE,), due=dt.date(2026, 11, 20))
    english = render_reminder(Reminder("lee@example.com", "Lee", "en", (late,)), AS_OF)
    korean = render_reminder(Reminder("lee@example.com", "Lee", "ko", (late,)), AS_OF)
    assert "Overdue since Nov 20, 2026" in english.text
    assert "Overdue since Nov 20, 2026" in english.html
    assert "2026년 11월 20일부터 기한 초과" in korean.text


def test_a_logged_key_result_points_to_the_log_tab() -> None:
    """A key result checked in on a log tab says to add a row there, not to edit a cell."""
    logged = item(tab="Check-ins", cell="", log=True)
    rendered = render_reminder(Reminder("lee@example.com", "Lee", "en", (logged,)), AS_OF)
    assert "Add a row to 'Check-ins' for KR-2" in rendered.text
    assert "Update 'Check-ins'" not in rendered.text


def test_the_intro_starts_with_a_capital_and_the_html_is_light_only() -> None:
    """The English intro starts "The OKR summary"; the HTML declares the light scheme only."""
    rendered = render_reminder(Reminder("lee@example.com", "Lee", "en", (item(),)), AS_OF)
    assert "\nThe OKR summary goes to leadership soon." in rendered.text
    assert '<meta name="color-scheme" content="light">' in rendered.html
    assert "dark" not in rendered.html


def test_an_owner_known_by_address_only_is_greeted_without_it() -> None:
    """A reminder without a name greets "Hi," and never "Hi lee@example.com,"."""
    rendered = render_reminder(Reminder("lee@example.com", "", "en", (item(),)), AS_OF)
    assert rendered.text.startswith("Hi,\n")
    assert "Hi lee@example.com" not in rendered.text + rendered.html


def test_everyone_sharing_an_address_is_greeted() -> None:
    """Lee and Kim sharing one address are both greeted, in English and in Korean."""
    shared = Reminder("team@example.com", "Lee", "en", (item(),), ("Lee", "Kim"))
    assert render_reminder(shared, AS_OF).text.startswith("Hi Lee and Kim,")
    korean = Reminder("team@example.com", "이서연", "ko", (item(),), ("이서연", "김민수"))
    assert render_reminder(korean, AS_OF).text.startswith("이서연님, 김민수님, 안녕하세요.")


def test_a_milestone_says_it_is_not_done() -> None:
    """A key result without a target shows as a milestone not done yet."""
    rendered = render_reminder(
        Reminder("lee@example.com", "Lee", "en", (item(target=None, current=None),)), AS_OF
    )
    assert "Milestone, not done yet" in rendered.text


def test_figures_say_a_word_unit_once_and_a_sign_on_each_figure() -> None:
    """As the summary says figures: "Now 1 · target 4 case studies", "$4", "60%", "4명"."""

    def text(lang: str = "en", **changes: Any) -> str:
        return render_reminder(Reminder("l@example.com", "Lee", lang, (item(**changes),)),
                               AS_OF).text  # fmt: skip

    assert "Now 1 · target 4 case studies\n" in text(current=1.0, target=4.0, unit="case studies")
    assert "Now $4 · target $10\n" in text(unit="$")
    assert "Now 60% · target 100%\n" in text(current=60.0, target=100.0, unit="%")
    assert "현재 4명 · 목표값 10명\n" in text("ko", unit="명")
    assert "No value yet · target 4 case studies\n" in text(current=None, target=4.0,
                                                           unit="case studies")  # fmt: skip


def test_the_preheader_is_a_whole_sentence_in_both_languages() -> None:
    """The inbox preview line ends with a full stop, never the intro's colon; it counts."""
    hidden = re.compile(r'<div style="display:none;[^"]*">([^<&]*)')
    one = render_reminder(Reminder("l@example.com", "Lee", "en", (item(),)), AS_OF)
    two = render_reminder(Reminder("l@example.com", "Lee", "en", (item(), item())), AS_OF)
    korean = render_reminder(Reminder("l@example.com", "이", "ko", (item(), item())), AS_OF)
    previews = [hidden.search(r.html) for r in (one, two, korean)]
    assert [p.group(1) if p else None for p in previews] == [
        "1 key result of yours needs a check-in before the OKR summary goes to leadership.",
        "2 key results of yours need a check-in before the OKR summary goes to leadership.",
        "OKR 요약이 경영진에게 발송되기 전에 담당하신 핵심 결과 2개의 체크인이 필요합니다.",
    ]
