"""Real trackers and configuration files for the tests of `sheets-okr run`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook

from sheets_okr.quarters import Quarter
from sheets_okr.starter import create_workbook
from tests.conftest import TYPE_HEADER
from tests.helpers import write_workbook

AS_OF = dt.date(2026, 11, 30)


def example_tracker(path: Path) -> Path:
    """The example marketing quarter (`sheets-okr init --example`), laid out on 2026-Q4."""
    create_workbook(path, Quarter(2026, 4), example=True, as_of=AS_OF)
    return path


def small_tracker(path: Path, team: str, current: float = 5, quarter: str = "2026-Q4") -> Path:
    """One objective with one key result, 0 to 10, now `current`, on a tab named `quarter`."""
    return write_workbook(path, {quarter: [
        TYPE_HEADER,
        ["Objective", f"Grow {team}", "Sam", team],
        ["Key Result", f"Reach 10 {team} deals", "Lee", None, None, 0, 10, current],
    ]})  # fmt: skip


def no_okr_tabs(path: Path) -> Path:
    """A workbook with only a notes tab: "malformed" for sheets-okr."""
    return write_workbook(path, {"Notes": [["Just some notes"], ["nothing to score"]]})


def unreadable_cells(path: Path) -> Path:
    """A tracker with one Target that is not a number."""
    return write_workbook(path, {"2026-Q4": [
        TYPE_HEADER,
        ["Objective", "Grow brand", "Eve", "Brand"],
        ["Key Result", "Reach ten mentions", "Eve", None, None, 0, "thirty", 4],
        ["Key Result", "Reach 10 podcasts", "Eve", None, None, 0, 10, 4],
    ]})  # fmt: skip


def write_config(
    folder: Path, trackers: Sequence[tuple[str, str]], extra: str = "", head: str = ""
) -> Path:
    """sheets-okr.toml in `folder`: `head` (top-level keys), the trackers, then `extra`."""
    lines = [head] if head else []
    for name, source in trackers:
        lines += ["[[tracker]]", f'name = "{name}"', f'source = "{source}"', ""]
    path = folder / "sheets-okr.toml"
    path.write_text("\n".join(lines) + "\n" + extra, "utf-8")
    return path


def tabs(path: Path) -> list[str]:
    """The tab names of a workbook."""
    return list(load_workbook(path, read_only=True).sheetnames)
