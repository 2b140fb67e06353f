"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import write_workbook

# The Sheets API emulator's fixtures (sheets_emulator, service_account_key, google_env).
pytest_plugins = ["tests.sheets_fixtures"]

TYPE_HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current",
               "Unit", "Weight", "Due", "Status"]  # fmt: skip


@pytest.fixture(name="small_tracker")
def _small_tracker(tmp_path: Path) -> Path:
    """A two-objective tracker in the type layout, header on row 1."""
    return write_workbook(
        tmp_path / "small.xlsx",
        {
            "2026-Q4": [
                TYPE_HEADER,
                ["Objective", "Increase website traffic", "Sam", "Content"],
                ["Key Result", "Grow visits from 20 to 30", "Lee", None, None,
                 20, 30, 25, "visits"],
                ["Action", "Publish 4 articles", "Lee", None, None, None, None, None, None, None,
                 "2026-11-15", "Done"],
                ["Key Result", "Cut cost per MQL from 180 to 120", "Kim", None, None,
                 180, 120, 150],
                ["Objective", "Improve the sales pipeline", "Dana", "Demand Gen"],
                ["Key Result", "Win 10 deals", "Dana", None, None, 0, 10, None],
            ]
        },
    )  # fmt: skip
