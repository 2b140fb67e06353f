"""How much `score` costs over a bare read of the same workbook, and how fast the CLI starts.

Run: .venv/bin/python benchmarks/bench_read_score.py [--krs 10000] [--repeat 5]

Everything is measured in the same run, so the ratios hold on a noisy machine:
- score / bare read: reading, parsing, scoring and building the JSON of a tracker with
  N key results, against python-calamine (the fastest .xlsx reader available) reading the
  same file's values and nothing else. Target: under 2x.
- sync / openpyxl load and save: a weekly `sync` of the same tracker (already synced once,
  so it has its tool columns and a week of History) against openpyxl loading and saving
  that file, what a sync cost before it patched only the parts it changes. Target: under
  0.5x, since only the OKR tab and the tool's tabs are touched.
- `sheets-okr --help` / `python -c "import click"`: the console script's start-up against
  an interpreter that only loads click, the floor of any click program. Target: under 1.5x.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

KRS_PER_OBJECTIVE = 5
HEADER = ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit",
          "Weight", "Due", "Status", "Notes"]  # fmt: skip


def make_workbook(path: Path, key_results: int) -> None:
    """A tracker with `key_results` KRs (5 per objective) and one action per KR."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("OKRs 2026-Q4")
    sheet.append(HEADER)
    for o in range(key_results // KRS_PER_OBJECTIVE):
        sheet.append(["Objective", f"Increase pipeline in region {o}", f"Owner {o % 40}",
                      f"Team {o % 12}", "2026-Q4"])  # fmt: skip
        for k in range(KRS_PER_OBJECTIVE):
            start, target = 100 + k, 200 + 10 * k
            current = "1,234 MQLs" if k == 3 else start + (o * 7 + k * 13) % (target - start + 40)
            sheet.append(["Key Result", f"Grow MQLs in segment {k} from {start} to {target}",
                          f"Owner {k}", None, None, start, target, current, "MQLs",
                          1 + k % 2, dt.date(2026, 12, 31), None, "free text"])  # fmt: skip
            due = dt.date(2026, 11, 1 + k)
            sheet.append(["Action", f"Run campaign {o}-{k}", f"Owner {k}", None, None, None,
                          None, None, None, None, due, "In progress"])  # fmt: skip
    workbook.save(path)


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The fastest of `repeat` runs, in seconds (the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return min(times)


def bare_read(path: Path) -> None:
    """Values of every tab with python-calamine, nothing else."""
    import python_calamine

    workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    for name in workbook.sheet_names:
        workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    workbook.close()


def score(path: Path) -> object:
    """What `sheets-okr score` does before printing: read, parse and score, in process."""
    from sheets_okr.actions.score import ReadOptions, read_tracker
    from sheets_okr.score.scorecard import score_tracker

    day = dt.date(2026, 11, 30)
    tracker = read_tracker(str(path), ReadOptions(day))
    return tracker, score_tracker(tracker, day)


def score_json(path: Path) -> None:
    """All of `sheets-okr score --format json`, printing aside: also the JSON text."""
    import json

    from sheets_okr.actions.score import ReadOptions, score_source
    from sheets_okr.cli.data import scorecard_data

    scored = score_source(str(path), ReadOptions(dt.date(2026, 11, 30)))
    data = scorecard_data(scored.tracker, scored.card, scored.source)
    json.dumps(data, ensure_ascii=False)


def phases(path: Path, repeat: int) -> dict[str, float]:
    """The fastest time of each step of `score` alone."""
    import json

    from sheets_okr.cli.data import scorecard_data
    from sheets_okr.model.quarters import Quarter
    from sheets_okr.read.parse import parse_workbook
    from sheets_okr.score.scorecard import score_tracker
    from sheets_okr.sources.excel.workbook import ExcelWorkbook

    day = dt.date(2026, 11, 30)
    grid = ExcelWorkbook(path).read()
    tracker = parse_workbook(grid, Quarter(2026, 4))
    card = score_tracker(tracker, day)
    data = scorecard_data(tracker, card)
    return {
        "read (calamine + error-cell scan)": best_of(repeat, lambda: ExcelWorkbook(path).read()),
        "parse into the model": best_of(repeat, lambda: parse_workbook(grid, Quarter(2026, 4))),
        "score (pandas)": best_of(repeat, lambda: score_tracker(tracker, day)),
        "build the JSON data": best_of(repeat, lambda: scorecard_data(tracker, card)),
        "json.dumps": best_of(repeat, lambda: json.dumps(data, ensure_ascii=False)),
    }


def sync_ratio(folder: Path, key_results: int, repeat: int) -> tuple[float, float]:
    """Best times of a weekly sync and of an openpyxl load-and-save of its input."""
    import shutil

    from openpyxl import load_workbook

    from sheets_okr.actions.score import ReadOptions
    from sheets_okr.actions.sync import SyncOptions, sync_source

    no_backups = SyncOptions(backups=0)

    synced_once = folder / "synced.xlsx"
    make_workbook(synced_once, key_results)
    sync_source(str(synced_once), ReadOptions(dt.date(2026, 11, 15)), options=no_backups)

    def load_and_save() -> None:
        load_workbook(synced_once).save(folder / "resaved.xlsx")

    def weekly_sync() -> None:
        shutil.copyfile(synced_once, folder / "weekly.xlsx")  # not timed: a few ms
        started = time.perf_counter()
        sync_source(
            str(folder / "weekly.xlsx"), ReadOptions(dt.date(2026, 11, 30)), options=no_backups
        )
        durations.append(time.perf_counter() - started)

    durations: list[float] = []
    for _ in range(repeat):
        weekly_sync()
    return min(durations), best_of(repeat, load_and_save)


def startup(command: list[str], repeat: int) -> float:
    """Median wall time of a fresh process."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    """Measure and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--krs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--sync-repeat", type=int, default=2, help="runs of the slow sync part")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.xlsx"
        make_workbook(path, args.krs)
        size = path.stat().st_size / 1e6
        score_json(path)  # warm imports and caches once for both sides
        bare_read(path)
        baseline = best_of(args.repeat, lambda: bare_read(path))
        scored = best_of(args.repeat, lambda: score(path))
        whole = best_of(args.repeat, lambda: score_json(path))
        steps = phases(path, args.repeat)
    print(f"workbook: {args.krs:,} key results, {size:.1f} MB")
    print(f"bare read (python-calamine):       {baseline * 1000:7.1f} ms  1.00x")
    print(f"score: read + parse + score:       {scored * 1000:7.1f} ms  {scored / baseline:.2f}x"
          "  (target < 2x)")  # fmt: skip
    print(f"score --format json, all but print: {whole * 1000:6.1f} ms  {whole / baseline:.2f}x")
    for name, seconds in steps.items():
        print(f"  {name:<34} {seconds * 1000:7.1f} ms  {seconds / baseline:.2f}x")

    with tempfile.TemporaryDirectory() as folder:
        synced, floor = sync_ratio(Path(folder), args.krs, args.sync_repeat)
    print(f"openpyxl load + save (baseline):    {floor:7.2f} s   1.00x")
    print(f"sync, a weekly run:                 {synced:7.2f} s   {synced / floor:.2f}x"
          "  (target < 0.5x)")  # fmt: skip

    script = str(Path(sys.executable).with_name("sheets-okr"))
    click_only = startup([sys.executable, "-c", "import click"], args.repeat * 2)
    help_time = startup([script, "--help"], args.repeat * 2)
    print(f'python -c "import click": {click_only * 1000:.0f} ms;'
          f" sheets-okr --help: {help_time * 1000:.0f} ms")  # fmt: skip
    print(f"ratio --help / import click: {help_time / click_only:.2f}x")


if __name__ == "__main__":
    main()
