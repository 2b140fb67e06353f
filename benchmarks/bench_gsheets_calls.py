"""Sheets API requests per sync, against the naive gspread pattern, on the local emulator.

Run: .venv/bin/python benchmarks/bench_gsheets_calls.py [--sizes 10,100,1000] [--latency 0.1]

For each size (key results; one action each, 5 KRs per objective) the same sheet is synced:
- sheets-okr: the first sync (anchors, tabs and formats), then four weekly syncs, each a
  week later with every KR's Current changed (so History grows by one row per KR each
  week). Target: 2 requests in steady state, at every size.
- naive gspread: open_by_key, worksheets(), get_all_values() per tab, then update_cell per
  changed tool cell (what scripts built on gspread's high-level API usually do), on the same
  changes.
Wall time is then measured with `--latency` seconds added to every request (a far-away API),
against the naive pattern for the 10-KR size, as a ratio measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import gspread  # noqa: E402
from google.oauth2 import service_account  # noqa: E402

from sheets_okr.actions.score import ReadOptions  # noqa: E402
from sheets_okr.actions.sync import sync_source  # noqa: E402
from sheets_okr.sources.gsheets import client as gsheets_client  # noqa: E402
from sheets_okr.sources.gsheets.client import SheetsHttpClient  # noqa: E402
from sheets_okr.sources.gsheets.key import SCOPES  # noqa: E402
from tests.support.sheets_emulator import SheetsEmulator  # noqa: E402

KEY = "1BenchmarkSheetKey_xyz"
AS_OF = dt.date(2026, 11, 30)
HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit"]
TOOL_COLUMNS = 5  # ID, Progress, Score, Expected, Health


def tracker_rows(key_results: int, week: int) -> list[list[Any]]:
    """A tracker tab: 5 KRs per objective, one action per KR; Current moves each week."""
    rows: list[list[Any]] = [HEADER]
    for o in range(max(1, key_results // 5)):
        rows.append(["Objective", f"Grow pipeline in region {o}", f"Owner {o}", f"Team {o % 4}"])
        for k in range(5):
            current = 100 + (o + k + week * 7) % 90
            rows.append(["Key Result", f"Reach {200 + k} MQLs in segment {o}-{k}", "Lee",
                         None, None, 100, 200 + k, current, "MQLs"])  # fmt: skip
            rows.append(["Action", f"Campaign {o}-{k}", "Kim"])
    return rows


def ours(emu: SheetsEmulator, key_results: int, weeks: int = 4) -> tuple[int, list[int], float]:
    """Requests of the first sync and of each weekly sync, and the last one's seconds."""
    emu.create_spreadsheet(KEY, {"2026-Q4": tracker_rows(key_results, 0)})
    emu.clear_log()
    sync_source(f"gsheet:{KEY}", ReadOptions(AS_OF))
    first = len(emu.api_requests)
    weekly: list[int] = []
    seconds = 0.0
    for week in range(1, weeks + 1):
        _new_week(emu, key_results, week)
        emu.clear_log()
        started = time.perf_counter()
        sync_source(f"gsheet:{KEY}", ReadOptions(AS_OF + dt.timedelta(days=7 * week)))
        seconds = time.perf_counter() - started
        weekly.append(len(emu.api_requests))
    return first, weekly, seconds


def _new_week(emu: SheetsEmulator, key_results: int, week: int) -> None:
    for index, row in enumerate(tracker_rows(key_results, week)):
        if row[0] == "Key Result":
            emu.set_cell(KEY, "2026-Q4", f"H{index + 1}", row[7])


def naive(emu: SheetsEmulator, key_path: Path, key_results: int) -> tuple[int, float]:
    """The high-level gspread pattern writing the same tool cells one by one."""
    emu.create_spreadsheet(KEY + "n", {"2026-Q4": tracker_rows(key_results, 1)})
    credentials = service_account.Credentials.from_service_account_file(
        str(key_path), scopes=list(SCOPES)
    )
    # Our client only for its base URL (the emulator); it never retries a request here.
    http_client: Any = functools.partial(SheetsHttpClient, base_url=emu.base_url)
    client = gspread.Client(credentials, http_client=http_client)
    emu.clear_log()
    started = time.perf_counter()
    spreadsheet = client.open_by_key(KEY + "n")
    for worksheet in spreadsheet.worksheets():
        rows = worksheet.get_all_values()
        # One update per tool cell of each KR and objective row, as scripts that loop over
        # rows do (health, progress, score, expected, and the ID the first time).
        for number, row in enumerate(rows[1:], start=2):
            if row and row[0] in ("Objective", "Key Result"):
                for offset in range(TOOL_COLUMNS):
                    worksheet.update_cell(number, len(HEADER) + 1 + offset, "0.5")
    return len(emu.api_requests), time.perf_counter() - started


def point_at(emu: SheetsEmulator, folder: Path) -> Path:
    """Make every sheets-okr of this process and its children use the emulator: a service
    account key it signs for, its address, and a state folder of the benchmark's own."""
    key_path = folder / "key.json"
    key_path.write_text(json.dumps(emu.service_account("bench@example.iam.gserviceaccount.com")))
    os.environ["GOOGLE_APPLICATION_CREDENTIALS"] = str(key_path)
    os.environ["SHEETS_OKR_SHEETS_API"] = emu.base_url
    os.environ["SHEETS_OKR_STATE_DIR"] = str(folder / "state")
    return key_path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000", help="KR counts, comma-separated")
    parser.add_argument("--latency", type=float, default=0.1, help="seconds added per request")
    options = parser.parse_args()
    # The emulator has no quota; the naive pattern alone sends thousands of requests.
    gsheets_client.SHARED_BUDGET = gsheets_client.RequestBudget(10**9)
    emu = SheetsEmulator()
    try:
        with tempfile.TemporaryDirectory() as folder:
            key_path = point_at(emu, Path(folder))
            print(f"{'KRs':>6} {'first sync':>11} {'weekly syncs':>14} {'naive gspread':>14}")
            for size in (int(s) for s in options.sizes.split(",")):
                first, weekly, _ = ours(emu, size)
                naive_requests, _ = naive(emu, key_path, size)
                shown = ",".join(str(n) for n in weekly)
                print(f"{size:>6} {first:>11} {shown:>14} {naive_requests:>14}")
            emu.latency = options.latency
            _, weekly, ours_seconds = ours(emu, 10, weeks=1)
            steady = weekly[-1]
            _, naive_seconds = naive(emu, key_path, 10)
            print(
                f"\nwith {options.latency * 1000:.0f} ms per request, 10 KRs: sheets-okr steady"
                f" sync {ours_seconds:.2f} s ({steady} requests), naive gspread"
                f" {naive_seconds:.2f} s: ratio {ours_seconds / naive_seconds:.3f}x"
            )
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
