"""The page and the email's HTML in Debian's chromium: no overflow, true bar widths, chart shown.

Skipped where /usr/bin/chromium or playwright is absent. Screenshots go to tmp_path.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from PIL import Image

from sheets_okr.cli import cli
from tests.support.browser import WIDTHS, assert_fits_with_true_bars, email_preview
from tests.support.summary_plans import AS_OF, big_plan, team_plan

pytestmark = pytest.mark.browser

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
HANGUL = re.compile(r"[\uac00-\ud7a3]")
KOREAN_FONT = re.compile(r"CJK|KR|Gothic|Nanum|고딕", re.IGNORECASE)


def run(*args: str) -> None:
    """Run `sheets-okr ARGS` in-process; it must succeed."""
    result = CliRunner().invoke(cli, list(args), prog_name="sheets-okr")
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module", name="documents")
def _documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Report pages and email previews of the team plan (en, ko) and of a 100-KR plan."""
    folder = tmp_path_factory.mktemp("browser")
    state = folder / "state"
    plans = {"team": team_plan(folder / "team.xlsx"), "big": big_plan(folder / "big.xlsx")}
    documents = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHEETS_OKR_STATE_DIR", str(state))
        for name, plan in plans.items():
            for lang in ("en", "ko") if name == "team" else ("en",):
                page = folder / f"{name}-{lang}.html"
                run("report", str(plan), "-o", str(page), "--as-of", AS_OF.isoformat(),
                    "--lang", lang)  # fmt: skip
                eml = folder / f"{name}-{lang}.eml"
                run("email", str(plan), "--to", "ceo@example.com", "--dry-run", "-o", str(eml),
                    "--as-of", AS_OF.isoformat(), "--lang", lang)  # fmt: skip
                documents[f"page-{name}-{lang}"] = page
                documents[f"email-{name}-{lang}"] = email_preview(
                    eml, folder / f"{name}-{lang}.email.html"
                )
    return documents


CASES = [
    (f"{kind}-{plan}-{lang}", width)
    for plan, lang in (("team", "en"), ("team", "ko"), ("big", "en"))
    for kind in ("page", "email")
    for width in WIDTHS
]


@pytest.mark.parametrize(("document", "width"), CASES)
def test_renders_without_overflow_with_true_bars(
    browser: Any, documents: dict[str, Path], document: str, width: int, tmp_path: Path
) -> None:
    """No sideways scrolling, a container of at most 600 px, bars as wide as their scores."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        assert_fits_with_true_bars(page, documents[document], width, min_bars=6)
        images = page.eval_on_selector_all(
            "img", "els => els.map(i => [i.complete, i.naturalWidth])"
        )
        assert images == [[True, 1104]]  # the chart, drawn at twice its 552 px
        shot = tmp_path / f"{document}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
    finally:
        page.close()
    data = shot.read_bytes()
    assert data.startswith(PNG_SIGNATURE)
    assert len(data) > 10_000
    image = Image.open(io.BytesIO(data))
    assert image.width == width  # a full-page shot is only as wide as the viewport
    assert image.height > 900


@pytest.mark.parametrize("document", ["page-team-ko", "email-team-ko"])
def test_korean_text_has_hangul_glyphs(
    browser: Any, documents: dict[str, Path], document: str
) -> None:
    """Every Hangul syllable of a Korean label is drawn from a Korean font, not as boxes."""
    page = browser.new_page(viewport={"width": 600, "height": 900})
    try:
        page.goto(documents[document].as_uri())
        assert page.evaluate("document.documentElement.lang") == "ko"
        cdp = page.context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "td.counts"})["nodeId"]
        text = page.eval_on_selector("td.counts", "e => e.textContent")
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        page.close()
    hangul = len(HANGUL.findall(text))
    assert hangul > 0, text
    korean = sum(f["glyphCount"] for f in fonts if KOREAN_FONT.search(f["familyName"]))
    assert korean == hangul, fonts


@pytest.mark.parametrize("document", ["page-team-en", "email-team-en", "page-team-ko"])
@pytest.mark.parametrize("width", [375, 600, 1280])
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_first_screen_says_score_pace_change_and_who(
    browser: Any,
    documents: dict[str, Path],
    document: str,
    width: int,
    scheme: str,
    tmp_path: Path,
) -> None:
    """On the first screen (900 px tall), light or dark, at 375, 600 and 1280 px: the lead
    sentence (score against pace, change since when), the team furthest behind and the
    owner of the KR that needs help; light only, so dark mode keeps the white page."""
    page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme=scheme)
    try:
        page.goto(documents[document].as_uri())
        first_screen = page.evaluate("""() => [...document.querySelectorAll(
            "td.lead, td.worst-team, td.item")].filter(e => e.getBoundingClientRect().top < 900)
            .map(e => e.innerText).join("\\n")""")
        background = page.evaluate("getComputedStyle(document.body).backgroundColor")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(path=str(tmp_path / f"{document}-{width}-{scheme}.png"))
    finally:
        page.close()
    assert background == "rgb(255, 255, 255)"
    assert scroll <= width
    text = " ".join(first_screen.split())
    if document.endswith("-ko"):
        assert "기대 진도 65%보다 37%p 뒤처짐" in text
        assert "2026년 11월 16일 이후" in text
    else:
        assert "28%, 37 points behind the 65% pace, +4.2 since Nov 16, 2026." in text
    assert "Brand" in text  # the team furthest behind
    assert "Eve" in text  # the owner of the KR furthest behind


@pytest.mark.parametrize("document", ["page-team-en", "email-team-en", "page-team-ko"])
def test_numbers_stay_with_their_units(
    browser: Any, documents: dict[str, Path], document: str
) -> None:
    """At 375 px a date, a change and a number with its unit never break apart ("±0 / pp",
    "Nov / 16"): their spaces are non-breaking, and each is drawn on one line."""
    page = browser.new_page(viewport={"width": 375, "height": 900})
    try:
        page.goto(documents[document].as_uri())
        lead = page.eval_on_selector("td.lead", "e => e.innerText")
        changes = page.evaluate("""() => [...document.querySelectorAll("span.change")]
            .map(s => [s.textContent,
                       new Set([...s.getClientRects()].map(x => Math.round(x.bottom))).size])""")
        figures = page.evaluate("document.body.innerText")
    finally:
        page.close()
    assert "Nov\u00a016,\u00a02026" in lead or "2026년\u00a011월\u00a016일" in lead
    assert changes
    assert all(lines == 1 for _, lines in changes)
    assert "100\u00a0k$" in figures or "100k$" in figures  # Grow ARR: target and unit


def test_the_page_of_a_big_plan_is_not_capped(browser: Any, documents: dict[str, Path]) -> None:
    """The report page of the 100-KR plan lists all 20 objectives, with no "and N more";
    the email of the same plan is capped."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    try:
        page.goto(documents["page-big-en"].as_uri())
        text = page.evaluate("document.body.innerText")
        container = page.eval_on_selector("table.container", "e => e.getBoundingClientRect().width")
    finally:
        page.close()
    assert all(f"Objective {o}: " in text for o in range(1, 21))
    assert not re.search(r"and \d+ more", text)
    assert container > 600  # wide screens get a wider column
    assert re.search(r"and \d+ more", documents["email-big-en"].read_text("utf-8"))


def test_printed_page_has_page_numbers_and_no_orphan_headings(
    browser: Any, documents: dict[str, Path], tmp_path: Path
) -> None:
    """Printed (chromium's PDF, read back with pdftotext), the long page numbers its pages
    "n/N" and never ends a page with a section heading whose content is on the next."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    page = browser.new_page()
    try:
        page.goto(documents["page-big-en"].as_uri())
        pdf = tmp_path / "page.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True)
    finally:
        page.close()
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) > 2
    headings = {"Needs attention", "Objectives", "Actions", "Plan checks", "Overdue",
                "Score against the pace", "Due in the next 7 days"}  # fmt: skip
    for number, content in enumerate(pages, start=1):
        lines = [line.strip() for line in content.splitlines() if line.strip()]
        assert lines[-1].replace(" ", "") == f"{number}/{len(pages)}"
        assert lines[-2] not in headings, (number, lines[-2])
