"""Korean words in an English summary stay whole at 375 px in Debian's chromium.

Skipped where /usr/bin/chromium or playwright is absent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from tests.support.summary_plans import AS_OF, key_result, objective
from tests.support.workbooks import TYPE_HEADER, write_workbook

pytestmark = pytest.mark.browser

NAME = "이서연"
# How many lines each visible occurrence of a text spans.
LINES_SPANNED = """name => {
    const spans = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        for (let i = node.data.indexOf(name); i >= 0; i = node.data.indexOf(name, i + 1)) {
            const range = document.createRange();
            range.setStart(node, i);
            range.setEnd(node, i + name.length);
            const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
            if (tops.size) spans.push(tops.size);
        }
    }
    return spans;
}"""


def test_a_korean_name_in_an_english_email_is_not_broken(browser: Any, tmp_path: Path) -> None:
    """ "Waiting for a check-in from Alex Chen, Jordan Park, 이서연." at 375 px: the name
    stays on one line in the page and in the email."""
    rows = [TYPE_HEADER, objective("Grow the partner channel", "Dana", "Growth")]
    rows += [key_result(f"Sign partners for {owner}", owner, 0, 100, None)
             for owner in ("Alex Chen", "Jordan Park", NAME)]  # fmt: skip
    plan = write_workbook(tmp_path / "plan.xlsx", {"2026-Q4": rows})
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "en")
    assert f"Jordan Park, {NAME}." in rendered.text
    page = browser.new_page(viewport={"width": 375, "height": 800})
    try:
        for name, markup in (("page", rendered.page), ("email", rendered.html)):
            document = tmp_path / f"{name}.html"
            document.write_text(markup, "utf-8")
            page.goto(document.as_uri())
            page.wait_for_load_state("load")
            spans = page.evaluate(LINES_SPANNED, NAME)
            assert spans, name
            assert set(spans) == {1}, (name, spans)
    finally:
        page.close()
