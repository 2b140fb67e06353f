"""The summary of several trackers in Debian's chromium: no overflow, true bars, at 600 and
375 px, with a failed tracker's long error. Skipped where chromium or playwright is absent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from tests.support.browser import WIDTHS, assert_fits_with_true_bars, email_preview
from tests.support.run_configs import AS_OF, no_okr_tabs, write_config
from tests.support.summary_plans import big_plan, team_plan

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", name="documents")
def _documents(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The page and the email preview of a dry run over three trackers, in English and Korean."""
    folder = tmp_path_factory.mktemp("browser-run")
    team_plan(folder / "team.xlsx")
    big_plan(folder / "big.xlsx")
    no_okr_tabs(folder / "a-very-long-file-name-that-some-team-chose-for-its-okr-tracker.xlsx")
    trackers = [
        ("Growth", "team.xlsx"),
        ("Demand generation in every region", "big.xlsx"),
        ("Brand", "a-very-long-file-name-that-some-team-chose-for-its-okr-tracker.xlsx"),
    ]
    documents = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SHEETS_OKR_STATE_DIR", str(folder / "state"))
        for lang in ("en", "ko"):
            email = ('[email]\nhost = "localhost"\nfrom = "bot@example.com"\n'
                     f'to = ["ceo@example.com"]\nlang = "{lang}"\n')  # fmt: skip
            config = write_config(folder, trackers, email)
            page, eml = folder / f"run-{lang}.html", folder / f"run-{lang}.eml"
            argv = ["run", "--config", str(config), "--as-of", AS_OF.isoformat(), "--dry-run",
                    "-o", str(page), "--eml", str(eml)]  # fmt: skip
            result = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
            assert result.exit_code == 1, result.output  # Brand failed
            documents[f"page-{lang}"] = page
            documents[f"email-{lang}"] = email_preview(eml, folder / f"run-{lang}.email.html")
    return documents


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("document", ["page-en", "email-en", "page-ko", "email-ko"])
def test_the_run_summary_renders_without_overflow_with_true_bars(
    browser: Any, documents: dict[str, Path], document: str, width: int, tmp_path: Path
) -> None:
    """No sideways scrolling, a container of at most 600 px, bars as wide as their scores,
    a row per tracker and the failed one marked."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    try:
        assert_fits_with_true_bars(page, documents[document], width)
        outcomes = page.eval_on_selector_all("td.tracker", "els => els.map(e => e.dataset.outcome)")
        assert outcomes == ["ok", "ok", "failed"]
        # The company chart, one line per tracker with History (the team plan's).
        images = page.eval_on_selector_all(
            "img", "els => els.map(i => [i.complete, i.naturalWidth])"
        )
        assert images == [[True, 1104]]
        page.screenshot(path=str(tmp_path / f"{document}-{width}.png"), full_page=True)
    finally:
        page.close()
