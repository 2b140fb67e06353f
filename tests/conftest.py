"""Shared fixtures; the helpers they build on live in tests/support/."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.workbooks import small_rows, write_workbook

# Fixtures of the real parts tests run against: the Sheets API emulator (sheets_emulator,
# service_account_key, google_env), the SMTP server (certs, smtp), chromium (browser) and a
# healthcheck server (ping_server).
pytest_plugins = [
    "tests.support.google",
    "tests.support.smtp",
    "tests.support.browser",
    "tests.support.ping_server",
]


@pytest.fixture(name="small_tracker")
def _small_tracker(tmp_path: Path) -> Path:
    """The sample plan in a real workbook: tab 2026-Q4, header on row 1."""
    return write_workbook(tmp_path / "small.xlsx", {"2026-Q4": small_rows()})
