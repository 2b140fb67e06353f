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
        assert_fits_with_true_bars(page, documents[document], width)
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
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "td.kpi div"})["nodeId"]
        text = page.eval_on_selector("td.kpi div", "e => e.textContent")
        fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    finally:
        page.close()
    hangul = len(HANGUL.findall(text))
    assert hangul > 0, text
    korean = sum(f["glyphCount"] for f in fonts if KOREAN_FONT.search(f["familyName"]))
    assert korean == hangul, fonts
