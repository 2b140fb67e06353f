"""The summary's page, email HTML, plain text, subject and chart, rendered from real workbooks."""

from __future__ import annotations

import dataclasses
import html
import io
import re
from email.message import EmailMessage
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.deliver.mail import build_message
from sheets_okr.summary.chart import WIDTH_PX, trend_alt
from sheets_okr.summary.digest import Digest, KrLine
from sheets_okr.summary.phrases import Phrases
from sheets_okr.summary.render import Rendered, figures, render, safe_url
from sheets_okr.summary.subject import subject
from tests.support.summary_plans import (
    AS_OF,
    IMG,
    NEWLINE_TITLE,
    SCRIPT,
    big_plan,
    hostile_plan,
    team_plan,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
GMAIL_CLIP = 100_000


class _ItemText(HTMLParser):
    """The text of every `td.item` (one KR row) and of the whole body, tags removed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.items: list[str] = []
        self.text: list[str] = []
        self._depth = 0  # nesting of td inside the current item; 0: outside any item
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("head", "style", "title"):
            self._in_head = True
        if tag != "td":
            return
        if self._depth:
            self._depth += 1
        elif "item" in (dict(attrs).get("class") or "").split():
            self._depth = 1
            self.items.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("head", "style", "title"):
            self._in_head = False
        if tag == "td" and self._depth:
            self._depth -= 1

    def handle_data(self, data: str) -> None:
        if self._in_head:
            return
        self.text.append(data)
        if self._depth:
            self.items[-1] += data


class _Tags(HTMLParser):
    """Every start tag with its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def tags(markup: str) -> list[tuple[str, dict[str, str | None]]]:
    """The elements of an HTML document, in order."""
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    return parser.found


def parse(markup: str) -> _ItemText:
    """Parse HTML into its visible text and the text of each KR row."""
    parser = _ItemText()
    parser.feed(markup)
    parser.close()
    return parser


def squash(text: str) -> str:
    """Whitespace runs as single spaces."""
    return " ".join(text.split())


def email_html(message: EmailMessage) -> str:
    """The HTML part of a built message, decoded."""
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    return str(part.get_content())


@pytest.fixture(scope="module", name="team")
def _team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-team plan with three snapshots."""
    return team_plan(tmp_path_factory.mktemp("render") / "okrs.xlsx")


@pytest.fixture(scope="module", name="english")
def _english(team: Path) -> tuple[Digest, Rendered]:
    """The team plan's summary in English."""
    return summarise(str(team), ReadOptions(AS_OF), "en")


@pytest.fixture(scope="module", name="korean")
def _korean(team: Path) -> tuple[Digest, Rendered]:
    """The team plan's summary in Korean."""
    return summarise(str(team), ReadOptions(AS_OF), "ko")


@pytest.fixture(scope="module", name="hostile")
def _hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Digest, Rendered]:
    """A plan with HTML and a line break in its titles, summarized in English."""
    path = hostile_plan(tmp_path_factory.mktemp("hostile") / "okrs.xlsx")
    return summarise(str(path), ReadOptions(AS_OF), "en")


def every_kr(digest: Digest) -> list[KrLine]:
    """Every KR line the summary shows: attention, movers and the objectives overview."""
    lines = [*digest.attention.items, *digest.movers_up, *digest.movers_down]
    for _, _, _, blocks in digest.teams:
        for block in blocks.items:
            lines.extend(block.key_results)
    return lines


# --- autoescape ---------------------------------------------------------------------------


def test_hostile_titles_are_escaped_in_page_and_email(hostile: tuple[Digest, Rendered]) -> None:
    """A <script> KR title and an <img onerror> objective show as text, never as markup."""
    _, rendered = hostile
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    for markup in (rendered.page, rendered.html, email_html(message)):
        assert SCRIPT not in markup
        assert IMG not in markup
        assert "<script" not in markup.lower()
        assert "onerror=alert" not in markup.replace("onerror=alert(1)&gt;", "")
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markup
        assert "&lt;img src=x onerror=alert(1)&gt;" in markup
        elements = tags(markup)
        assert "script" not in [tag for tag, _ in elements]
        sources = [a.get("src") or "" for tag, a in elements if tag == "img"]
        assert len(sources) == 1  # the chart, and no image from the sheet
        assert sources[0].startswith(("cid:", "data:image/png;base64,"))
        assert not [name for _, a in elements for name in a if name.startswith("on")]
        visible = squash("".join(parse(markup).text))
        assert SCRIPT in visible  # the reader sees the title as typed
        assert IMG in visible


def test_owner_with_ampersand_is_escaped(hostile: tuple[Digest, Rendered]) -> None:
    """Sheet text with & is escaped in HTML and left as typed in the plain text."""
    _, rendered = hostile
    assert "Mallory &amp; Co" in rendered.html
    assert "Mallory & Co" not in rendered.html
    assert "Mallory & Co" in rendered.text


def test_subject_stays_one_line(hostile: tuple[Digest, Rendered]) -> None:
    """The subject has no line break, even when sheet text holds one."""
    digest, rendered = hostile
    assert NEWLINE_TITLE in [k.title for k in every_kr(digest)]
    assert "\n" not in rendered.subject
    assert "\r" not in rendered.subject
    broken = dataclasses.replace(digest, quarter="2026-Q4\r\nBcc: everyone@example.com")
    line = subject(broken, Phrases("en"))
    assert "\n" not in line
    assert "\r" not in line
    assert line.startswith("[OKR] okrs 2026-Q4 Bcc: everyone@example.com: 45% vs 65% pace")
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    assert message["Subject"] == rendered.subject


def test_newline_title_is_one_line_in_plain_text(hostile: tuple[Digest, Rendered]) -> None:
    """A title with a line break stays on its list line in the plain-text part."""
    _, rendered = hostile
    assert NEWLINE_TITLE not in rendered.text
    assert "- [At risk] Line one Line two — 50% (±0.0)" in rendered.text.splitlines()


def test_only_http_links_from_the_sheet(english: tuple[Digest, Rendered]) -> None:
    """A source link is shown only when it is http(s), and stays one attribute value."""
    digest, _ = english
    for hostile_source in ("javascript:alert(1)", "data:text/html,<script>alert(1)</script>"):
        rendered = render(dataclasses.replace(digest, source=hostile_source))
        for markup in (rendered.page, rendered.html):
            assert [a for _, a in tags(markup) if "href" in a] == []
            assert "script" not in [t for t, _ in tags(markup)]
    sneaky = 'https://docs.google.com/spreadsheets/d/x"><script>alert(1)</script>'
    rendered = render(dataclasses.replace(digest, source=sneaky))
    for markup in (rendered.page, rendered.html):
        assert [a["href"] for _, a in tags(markup) if "href" in a] == [sneaky]
        assert "script" not in [t for t, _ in tags(markup)]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        (
            "https://docs.google.com/spreadsheets/d/abc/edit",
            "https://docs.google.com/spreadsheets/d/abc/edit",
        ),
        ("http://intranet.example.com/okrs", "http://intranet.example.com/okrs"),
        ("  HTTPS://EXAMPLE.COM/x  ", "HTTPS://EXAMPLE.COM/x"),
        ("javascript:alert(1)", None),
        (" JavaScript:alert(1)", None),
        ("data:text/html;base64,PHNjcmlwdD4=", None),
        ("vbscript:msgbox(1)", None),
        ("file:///etc/passwd", None),
        ("ftp://example.com/okrs.xlsx", None),
        ("//evil.example.com", None),
        ("/home/okr/okrs.xlsx", None),
        ("", None),
    ],
)
def test_safe_url_keeps_http_and_https_only(url: str, kept: str | None) -> None:
    """safe_url returns http(s) links (trimmed) and None for every other scheme."""
    assert safe_url(url) == kept


# --- plain text -----------------------------------------------------------------------------


def test_plain_text_has_headline_attention_and_footer(english: tuple[Digest, Rendered]) -> None:
    """The text part carries the headline numbers, the attention list and the footer."""
    _digest, rendered = english
    lines = rendered.text.splitlines()
    assert lines[0] == rendered.subject
    assert rendered.subject == "[OKR] okrs 2026-Q4: 28% vs 65% pace, +4.2, 1 at risk, 2 off track"
    assert lines[1] == "As of Nov 30, 2026 · 65% of the quarter gone"
    assert "28%, 37 points behind the 65% pace, +4.2 since Nov 16, 2026. (Off track)" in lines
    assert "1 at risk, 2 off track, 1 without a check-in, of 5 key results" in lines
    assert "Furthest behind: Brand, at 10%." in lines
    start = lines.index("== Needs attention ==")
    assert lines[start + 1 : start + 7] == [
        "- [Off track] Reach 100 press mentions — 20% (+10.0)",
        "  Eve · from 0 to 100, now 20",
        "- [Off track] Sign 100 partners — 30% (±0.0)",
        "  Bob · from 0 to 100, now 30",
        "- [At risk] Cut churn to 100 — 45% (−10.0)",
        "  Cat · from 0 to 100, now 45",
    ]
    assert "== Biggest changes since Nov 16, 2026 ==" in lines
    assert "▲ +20.0 Grow ARR to 100 — now 60%" in lines  # the change leads
    assert "! Send the renewal offers · Ann · 10 days overdue" in lines
    assert "! Pitch three journalists · no owner · 5 days overdue" in lines
    assert "- Book the partner webinar · Bob · Dec 7, 2026 · due in 7 days" in lines
    footer = lines[lines.index("--") + 1 :]
    assert footer[0].startswith("How scores work: progress = (current − start) / (target − start)")
    assert footer[1].startswith("Source: okrs.xlsx · generated ")  # never the server's path
    assert "/" not in footer[1]
    assert "snapshot" not in rendered.text.lower()
    assert " pp" not in rendered.text
    assert "<" not in rendered.text.replace("<script>", "")  # no markup leaks into the text


# --- Korean ---------------------------------------------------------------------------------


def test_korean_fixed_text_dates_and_lang(korean: tuple[Digest, Rendered]) -> None:
    """--lang ko translates the fixed text and formats dates and changes the Korean way."""
    _, rendered = korean
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    for markup in (rendered.page, email_html(message)):
        assert '<html lang="ko"' in markup
        visible = squash("".join(parse(markup).text))
        for words in ("2026년 11월 30일 기준", "기대 진도 65%보다 37%p 뒤처짐", "주의 필요", "목표",
                      "기한 초과", "7일 이내 마감", "점수 계산", "+4.2%p", "이탈", "위험", "순항",
                      "2026년 12월 7일", "10일 지남", "0에서 100으로"):  # fmt: skip
            assert words in visible, words
        for english_words in ("Needs attention", "How scores work", "On track", "(으)로"):
            assert english_words not in visible
        assert "'Malgun Gothic'" in markup
        assert "'Apple SD Gothic Neo'" in markup
    assert rendered.subject == "[OKR] okrs 2026-Q4: 28%, 기대 진도 65%, +4.2%p, 위험 1, 이탈 2"
    assert "2026년 11월 30일 기준 · 분기 경과 65%" in rendered.text
    assert "- [이탈] Reach 100 press mentions — 20% (+10.0%p)" in rendered.text
    assert "  Eve · 0에서 100으로, 현재 20" in rendered.text
    assert message["Subject"] == rendered.subject


def test_korean_numbers_and_units() -> None:
    """Korean figures put short units right after the number, with Korean grouping."""
    words = Phrases("ko")
    assert words.number(12109, "명") == "12,109명"
    assert words.number(1_300_000, "₩") == "130만 원"
    assert words.points(-0.1) == "−10.0%p"
    assert Phrases("en").number(1200, "MQLs") == "1,200 MQLs"


# --- numbers as text ------------------------------------------------------------------------


def test_every_number_is_text(english: tuple[Digest, Rendered]) -> None:
    """Each KR row says its title, score, figures and change in words next to its bar."""
    digest, rendered = english
    words = Phrases("en")
    for markup in (rendered.page, rendered.html):
        parsed = parse(markup)
        rows = [squash(text) for text in parsed.items]
        shown = every_kr(digest)
        assert len(rows) == len(shown)
        for kr in shown:
            matches = [r for r in rows if f" {kr.title} " in f" {r} "]
            assert len(matches) == [k.title for k in shown].count(kr.title)
            movers = (*digest.movers_up, *digest.movers_down)
            for row in matches:
                if kr.health == "no_data":  # no check-in: no score and no change to show
                    said = f"{kr.owner} · {figures(kr, words)}"
                    assert row == f"{words.health(kr.health)} {kr.title} {said}"
                    continue
                assert words.percent(kr.score) in row.split()
                if kr in movers:  # a mover leads with its change, then says its status
                    mark = words("mark_up") if (kr.delta or 0) > 0 else words("mark_down")
                    assert row.startswith(f"{mark}{words.points(kr.delta)} {kr.title}")
                    assert words.health(kr.health) in row
                else:
                    assert row.startswith(f"{words.health(kr.health)} {kr.title}")
                assert squash(figures(kr, words)) in row
                assert words.points(kr.delta) in row
        visible = squash("".join(parsed.text))
        for text in ("28%, 37 points behind the 65% pace, +4.2 since Nov 16, 2026.",
                     "1 at risk, 2 off track, 1 without a check-in, of 5 key results",
                     "pace 65%"):  # fmt: skip
            assert text in visible
        for _, score, _, blocks in digest.teams:
            assert words.percent(score) in visible
            for block in blocks.items:
                assert (
                    f"{block.title} {words.health(block.health)} {words.percent(block.score)}"
                    in visible
                )


# --- email HTML rules -----------------------------------------------------------------------


def _body(markup: str) -> str:
    return markup.split("</head>", 1)[1]


def test_email_html_follows_the_mail_client_rules(english: tuple[Digest, Rendered]) -> None:
    """No <style> in the body, no flexbox, SVG or data: URIs, and every style is inlined."""
    _, rendered = english
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    markup = email_html(message)
    lowered = markup.lower()
    assert "<style" not in _body(lowered)
    assert not re.search(r"display\s*:\s*(inline-)?(flex|grid)", lowered)
    assert "<svg" not in lowered
    assert "data:" not in lowered
    assert "@font-face" not in lowered
    assert "url(" not in lowered
    # What stays in <head> (outside Outlook-only conditional comments) is @media rules only.
    head = re.sub(r"<!--.*?-->", "", markup.split("</head>", 1)[0], flags=re.S)
    for block in re.findall(r"<style[^>]*>(.*?)</style>", head, flags=re.S):
        outside_media = re.sub(r"@media[^{]*\{(?:[^{}]*\{[^{}]*\})*[^{}]*\}", "", block)
        assert not outside_media.strip(), outside_media
    # Bars are table cells with their width and colour in attributes and inline styles.
    cells = re.findall(r'<td class="bar-(?:fill|track)"[^>]*>', markup)
    assert len(cells) >= 10
    for cell in cells:
        assert re.search(r'style="[^"]*width:\d+%;background-color:#[0-9A-F]{6};height:\d+px', cell)
        assert re.search(r'width="\d+%"', cell)
        assert re.search(r'bgcolor="#[0-9A-F]{6}"', cell)
    # Text cells carry their look inline: font size and colour on every KR title cell.
    title_cells = re.findall(
        r'<td class="item"[^>]*>\s*<table[^>]*>\s*<tbody><tr>\s*<td[^>]*>', markup
    )
    assert len(title_cells) == markup.count('class="item"') > 0
    for title_cell in title_cells:
        assert re.search(r'style="[^"]*font-size:14px;[^"]*color:#111827', title_cell)
    assert 'width="600"' in markup
    assert "max-width:600px" in markup


def test_page_is_self_contained(english: tuple[Digest, Rendered]) -> None:
    """The page inlines the chart as data: and links no stylesheet or script."""
    _, rendered = english
    assert 'src="data:image/png;base64,' in rendered.page
    assert "<link" not in rendered.page
    assert "<script" not in rendered.page
    assert "@media print" in rendered.page
    assert "cid:" not in rendered.page


@pytest.fixture(scope="module", name="big")
def _big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 100-KR plan (20 objectives of 5 KRs, long titles) in one team."""
    return big_plan(tmp_path_factory.mktemp("big") / "okrs.xlsx")


@pytest.fixture(scope="module", name="big_teams")
def _big_teams(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The same 100-KR plan split over four teams."""
    return big_plan(tmp_path_factory.mktemp("big4") / "okrs.xlsx", teams=4)


@pytest.mark.parametrize(("plan", "lang"), [("big", "en"), ("big", "ko"), ("big_teams", "en")])
def test_big_plan_email_stays_under_gmail_clipping(
    plan: str, lang: str, request: pytest.FixtureRequest
) -> None:
    """A 100-KR plan's email HTML is under 100 KB, and capped lists say "and N more"."""
    path = request.getfixturevalue(plan)
    digest, rendered = summarise(str(path), ReadOptions(AS_OF), lang)
    assert digest.key_result_count == 100
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    part = message.get_body(preferencelist=("html",))
    assert part is not None
    assert len(email_html(message).encode("utf-8")) < GMAIL_CLIP
    transferred = part.get_payload(decode=False)
    assert isinstance(transferred, str)
    assert len(transferred.encode("ascii")) < GMAIL_CLIP  # as sent (quoted-printable or base64)
    words = Phrases(lang)
    left_out = [blocks.more for _, _, _, blocks in digest.teams if blocks.more]
    assert left_out
    assert digest.attention.more > 0
    visible = squash("".join(parse(email_html(message)).text))
    for kind, count in (("krs", digest.attention.more), ("actions", digest.overdue.more),
                        *(("objectives", n) for n in left_out)):  # fmt: skip
        assert words.more(kind, count) in visible
    if plan == "big":
        shown = sum(len(blocks.items) for _, _, _, blocks in digest.teams)
        assert 2 <= shown <= 6  # the default 6, fewer when the lists had to shrink to fit
        assert words.more("objectives", 20 - shown) in visible


# --- chart ----------------------------------------------------------------------------------


def test_chart_is_a_png_with_the_numbers_in_its_alt_text(english: tuple[Digest, Rendered]) -> None:
    """The trend chart is an opaque PNG drawn at twice the shown width; alt text has the numbers."""
    digest, rendered = english
    assert rendered.chart_png.startswith(PNG_SIGNATURE)
    image = Image.open(io.BytesIO(rendered.chart_png))
    assert image.format == "PNG"
    assert image.width == 2 * WIDTH_PX
    assert image.mode in ("P", "RGB")  # no alpha: dark mode cannot show through
    alt = trend_alt(digest, Phrases("en"))
    for text in ("Nov 2, 2026 19%", "Nov 16, 2026 23%", "Nov 30, 2026 28%", "65%"):
        assert text in alt
    for markup in (rendered.page, rendered.html):
        alts = [html.unescape(a) for a in re.findall(r'<img[^>]*alt="([^"]*)"', markup)]
        assert alts == [alt]


def test_korean_chart_alt_text(korean: tuple[Digest, Rendered]) -> None:
    """The Korean alt text uses Korean dates and words."""
    digest, rendered = korean
    alt = trend_alt(digest, Phrases("ko"))
    assert (
        "날짜별 분기 점수: 2026년 11월 2일 19%, 2026년 11월 16일 23%, 2026년 11월 30일 28%" in alt
    )
    assert rendered.chart_png.startswith(PNG_SIGNATURE)


def test_korean_plan_checks_say_severity_in_korean(korean: tuple[Digest, Rendered]) -> None:
    """The severity of a plan check is fixed text too: 경고, not 'warning'."""
    digest, rendered = korean
    assert digest.findings.items
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    for markup in (rendered.page, email_html(message)):
        visible = squash("".join(parse(markup).text))
        assert "경고" in visible
        assert "warning" not in visible
    checks = rendered.text.split("== 계획 점검 ==")[1]
    assert "- 경고 " in checks
    assert "warning" not in checks


def test_plain_text_says_how_many_actions_and_checks_are_left_out(team: Path) -> None:
    """Capped actions and checks end with "and N more" in the text part, as in the HTML."""
    from sheets_okr.actions.score import ReadOptions, score_backend
    from sheets_okr.lint.checks import lint_tracker
    from sheets_okr.read.history import read_history
    from sheets_okr.sources.registry import open_source
    from sheets_okr.summary.digest import Limits, build_digest

    grid, scored = score_backend(open_source(str(team)), ReadOptions(AS_OF))
    history = read_history(grid)
    findings = lint_tracker(scored.tracker, scored.card, history=history)
    digest = build_digest(scored.tracker, scored.card, history=history, findings=findings,
                          limits=Limits(actions=1, findings=1))  # fmt: skip
    assert (digest.overdue.more, digest.due_soon.more) == (1, 2)
    assert digest.findings.more
    text = render(digest, "en").text
    actions = text.split("== Actions ==")[1].split("== Plan checks ==")[0]
    assert "and 1 more" in actions
    assert "and 2 more" in actions
    checks = text.split("== Plan checks ==")[1].split("\n--\n")[0]
    assert f"and {digest.findings.more} more" in checks


# --- subject, preheader, links and caps -------------------------------------------------------


def test_subject_and_preheader_say_different_things(english: tuple[Digest, Rendered]) -> None:
    """The subject: whose plan, score vs pace, change, what is off track. The preheader,
    hidden at the top of the email, names the KR furthest behind and its owner instead of
    repeating the subject."""
    _, rendered = english
    message = build_message(rendered, sender="okr@example.com", recipients=["ceo@example.com"])
    assert message["Subject"] == "[OKR] okrs 2026-Q4: 28% vs 65% pace, +4.2, 1 at risk, 2 off track"
    hidden = re.search(r'<div class="preheader"[^>]*>([^<]*)', email_html(message))
    assert hidden is not None
    preheader = html.unescape(hidden.group(1)).split("\u2007")[0].strip()
    assert preheader.startswith(
        "Furthest behind: Reach 100 press mentions (Eve), 20% against a 65% pace."
    )
    assert "Waiting for a check-in from Dan." in preheader
    assert rendered.subject not in preheader


def test_and_n_more_links_to_the_sheet(big: Path) -> None:
    """When the tracker has an address (a Google Sheet), "and N more" links to it."""
    import dataclasses as dc

    digest, _ = summarise(str(big), ReadOptions(AS_OF), "en")
    url = "https://docs.google.com/spreadsheets/d/abc123/edit"
    markup = render(dc.replace(digest, source=url), "en").html
    named = r"(?:key results?|objectives?|actions?|plan checks?)"
    links = re.findall(rf'<a href="([^"]+)"[^>]*>(and \d+ more {named})</a>', markup)
    assert links
    assert {href for href, _ in links} == {url}


def test_the_report_page_shows_every_objective(big: Path) -> None:
    """`report` writes the page in full (20 objectives, 100 KRs); only the email is capped."""
    digest, rendered = summarise(str(big), ReadOptions(AS_OF), "en")
    for o in range(1, 21):
        assert f"Objective {o}: " in rendered.page
    assert not re.search(r"and \d+ more", rendered.page)
    assert rendered.page.count('class="item') == 100
    assert sum(b.more for _, _, _, blocks in digest.teams for b in blocks.items) >= 0
    assert re.search(r"and \d+ more", rendered.html)


def test_owners_voice_beside_what_needs_attention(tmp_path: Path) -> None:
    """A Notes column's words and the confidence are shown beside each KR that needs
    attention, in the email and its text part; Korean headers (메모) are read too."""
    from tests.support.workbooks import write_workbook

    header: list[object] = [
        "유형",
        "제목",
        "담당자",
        "팀",
        "가중치",
        "시작",
        "목표",
        "현재",
        "단위",
        "자신감",
        "메모",
    ]
    rows: list[list[object]] = [
        ["목표", "매출 성장", "Dana", "Growth"],
        ["핵심 결과", "파트너 100곳 계약", "Bob", None, None, 0, 100, 10, None, 3,
         "법무 검토가 2주 늦어졌습니다"],
        ["핵심 결과", "리드 100건", "Ann", None, None, 0, 100, 90, None, 9, None],
    ]  # fmt: skip
    path = tmp_path / "okrs.xlsx"
    write_workbook(path, {"2026-Q4": [header, *rows]})
    digest, rendered = summarise(str(path), ReadOptions(AS_OF), "ko")
    (kr,) = digest.attention.items
    assert (kr.comment, kr.confidence) == ("법무 검토가 2주 늦어졌습니다", 3)
    text = squash("".join(parse(rendered.html).text))
    assert "“법무 검토가 2주 늦어졌습니다” — Bob · 자신감 3/10" in text
    assert "“법무 검토가 2주 늦어졌습니다”" in rendered.text


def test_email_is_light_only_and_outlook_safe(english: tuple[Digest, Rendered]) -> None:
    """The email declares light only (no half-designed dark mode), tells Outlook its pixels
    are 96 per inch (scaled Windows displays), and pads status labels with borders, which
    Word keeps where it drops a span's padding."""
    _, rendered = english
    markup = rendered.html
    assert '<meta name="color-scheme" content="light only">' in markup
    assert "prefers-color-scheme" not in markup
    mso = re.search(r"<!--\[if gte mso 9\]>(.*?)<!\[endif\]-->", markup, re.S)
    assert mso is not None
    assert "<o:PixelsPerInch>96</o:PixelsPerInch>" in mso.group(1)
    assert 'xmlns:o="urn:schemas-microsoft-com:office:office"' in markup
    pills = re.findall(r'<span class="pill" style="([^"]*)"', markup)
    assert pills
    for style in pills:
        assert "border-left:4px solid" in style
        assert "mso-border-alt" in style
    assert '<meta name="color-scheme" content="light only">' in rendered.page
    assert "word-break:keep-all" in markup  # a Korean name in English stays whole too


def test_korean_breaks_between_words(korean: tuple[Digest, Rendered]) -> None:
    """Korean text cells break between words, never inside one (word-break: keep-all)."""
    _, rendered = korean
    assert "word-break:keep-all" in rendered.html
    assert "word-break:break-word" not in rendered.html
