"""A tracker on track yet behind the pace says how far in its label, which a phone shows
whole, in Debian's chromium at 375 and 600 px (English and Korean).

Skipped where /usr/bin/chromium or playwright is absent.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import render_company
from tests.support.browser import WIDTHS, assert_fits_with_true_bars
from tests.support.run_configs import AS_OF, small_tracker, write_config

pytestmark = pytest.mark.browser

NOW = dt.datetime(2026, 11, 30, 9, 0)
LABELS = {"en": "On track, 10 points behind pace", "ko": "순항, 기대 진도보다 10%p 뒤"}
# Each status label in view: its text, how many lines it spans, its right edge.
PILLS = """pills => pills.map(p => {
    const tops = new Set([...p.getClientRects()].map(r => Math.round(r.top)));
    return [p.innerText.trim(), tops.size, p.getBoundingClientRect().right];
})"""


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_the_behind_pace_label_shows_whole_on_a_phone(
    browser: Any, tmp_path: Path, lang: str
) -> None:
    """Sales at 55% and Korea at 60% against a 65% pace: the company email's labels read
    "On track, 10 points behind pace" (and 5), on one line each, inside the screen."""
    small_tracker(tmp_path / "sales.xlsx", "Sales", current=5.5)
    small_tracker(tmp_path / "korea.xlsx", "Korea", current=6)
    config = load_config(write_config(tmp_path, [("Sales", "sales.xlsx"),
                                                 ("Korea", "korea.xlsx")]))  # fmt: skip
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), lang, now=NOW)
    document = tmp_path / "email.html"
    document.write_text(rendered.html, "utf-8")
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        try:
            assert_fits_with_true_bars(page, document, width, min_bars=3)
            pills = page.eval_on_selector_all("span.pill", PILLS)
            texts = [text for text, _, _ in pills]
            assert LABELS[lang] in texts, texts
            for text, lines, right in pills:
                assert lines == 1, (width, text)
                assert right <= width, (width, text, right)
        finally:
            page.close()
