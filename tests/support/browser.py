"""Debian's chromium for tests, driven by playwright (no browser download): the `browser`
fixture (registered as a plugin) and the layout checks that the page and email tests share.
The fixture skips its test where /usr/bin/chromium or playwright is absent."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
WIDTHS = (600, 375)
# Each table.bar: its data-score, and its filled cell's share of its width (0 without one).
BAR_SHARES = """bars => bars.map(bar => {
    const fill = bar.querySelector("td.bar-fill");
    const width = bar.getBoundingClientRect().width;
    return [Number(bar.dataset.score), fill ? fill.getBoundingClientRect().width / width : 0];
})"""


@pytest.fixture(scope="module", name="browser")
def _browser() -> Iterator[Any]:
    """Debian's chromium driven by playwright (no browser download)."""
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def assert_fits_with_true_bars(
    page: Any, document: Path, width: int, *, min_bars: int = 10, max_container: int = 600
) -> None:
    """The page at this width: no sideways scrolling, a container of at most 600 px (or
    `max_container`), and at least ten bars (or `min_bars`), each as wide as its score."""
    page.goto(document.as_uri())
    page.wait_for_load_state("load")
    scroll_width, inner_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width == width
    container = page.eval_on_selector("table.container", "e => e.getBoundingClientRect().width")
    assert 0 < container <= max_container
    shares = page.eval_on_selector_all("table.bar", BAR_SHARES)
    assert len(shares) >= min_bars
    for score, share in shares:
        assert abs(share * 100 - score) <= 2, (score, share)


def email_preview(eml: Path, preview: Path) -> Path:
    """The email's HTML with its cid: image swapped for a data: URI, as a browser needs."""
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    markup = html_part.get_content()
    for part in message.walk():
        if part["Content-ID"]:
            uri = "data:image/png;base64," + base64.b64encode(part.get_content()).decode()
            markup = markup.replace("cid:" + str(part["Content-ID"]).strip("<>"), uri)
    assert "cid:" not in markup
    preview.write_text(markup, "utf-8")
    return preview
