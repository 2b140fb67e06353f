"""A summary of a Google Sheet (gsheet:KEY, read from the Sheets API emulator): its subject
and title name no key, and its links open the Sheet."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import render_company
from tests.support.run_configs import AS_OF, write_config
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.summary_plans import key_result, objective
from tests.support.workbooks import TYPE_HEADER

KEY = "1GoogleSummaryKey_abc"
URL = f"https://docs.google.com/spreadsheets/d/{KEY}/edit"
ROWS: list[list[Any]] = [
    TYPE_HEADER,
    objective("Grow revenue", "Dana", "Growth"),
    *[key_result(f"Sign partner group {n}", "Bob", 0, 100, 5) for n in range(6)],
    objective("Build brand", "Eve", "Brand"),
    *[key_result(f"Reach press group {n}", "Eve", 0, 100, 5) for n in range(6)],
]


def test_a_google_sheet_summary_names_no_key_and_links_the_sheet(
    google_env: SheetsEmulator,
) -> None:
    """`email gsheet:KEY`: the subject and title carry no key, "and N more" and "Open the
    tracker" link to the Sheet's address."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": ROWS})
    digest, rendered = summarise(f"gsheet:{KEY}", ReadOptions(AS_OF), "en")
    assert digest.source == f"gsheet:{KEY}"  # the source as the app produces it
    assert rendered.subject.startswith("[OKR] 2026-Q4: ")
    assert KEY not in rendered.subject
    title = re.search(r'class="title"[^>]*>(.*?)</td>', rendered.html, re.S)
    assert title is not None
    assert KEY not in title.group(1)
    assert "gsheet:" not in rendered.html
    more = rf'<a href="{re.escape(URL)}"[^>]*>and \d+ more key results?</a>'
    assert re.search(more, rendered.html)
    assert re.search(rf'<a href="{re.escape(URL)}"[^>]*>Open the tracker</a>', rendered.html)
    assert URL in rendered.text


def test_a_run_links_its_google_sheet(google_env: SheetsEmulator, service_account_key: Path,
                                      tmp_path: Path) -> None:  # fmt: skip
    """`run` over gsheet:KEY: the tracker's section links "Open the tracker" to the Sheet."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": ROWS})
    extra = f'[google]\ncredentials = "{service_account_key}"\n'
    config = load_config(write_config(tmp_path, [("Korea", f"gsheet:{KEY}")], extra))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), "en")
    assert re.search(rf'<a href="{re.escape(URL)}"[^>]*>Open the tracker</a>', rendered.html)
    assert "gsheet:" not in rendered.html
