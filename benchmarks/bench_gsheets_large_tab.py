"""A tracker beside a 30,000-row data tab in a Google Sheet: what score and sync cost.

Run: .venv/bin/python benchmarks/bench_gsheets_large_tab.py [--rows 30000] [--columns 10]

The sheet lives in the local emulator (which answers as Google does: field masks, indented
JSON unless prettyPrint=false, gzip). Each command runs as a process of its own, so its
peak memory (maxrss) is its own, not the emulator's. Printed for `score` and a weekly
`sync`: API requests, wall time and peak memory, as ratios against two baselines measured
in the same run:
- the same tracker without the data tab (what the data tab adds);
- the read as it was before (every cell's formatted text too, indented JSON), on the same
  sheet (what asking only for what is used saves).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_gsheets_calls import point_at, tracker_rows  # noqa: E402
from tests.support.sheets_emulator import SheetsEmulator  # noqa: E402

KEY = "1LargeTabBenchmark_xyz"
AS_OF = dt.date(2026, 11, 30)
# The read before: every cell's formatted text as well, and Google's indented JSON.
_OLD_READ = (
    "from sheets_okr.sources.gsheets import grid, sheet\n"
    "grid.READ_FIELDS = grid.READ_FIELDS.replace('effectiveValue,', "
    "'effectiveValue,formattedValue,')\n"
    "sheet.READ_FIELDS = grid.READ_FIELDS\n"
    "_request = sheet.SheetsHttpClient.request\n"
    "def request(self, method, endpoint, params=None, *args, **kwargs):\n"
    "    if isinstance(params, dict):\n"
    "        params = {k: v for k, v in params.items() if k != 'prettyPrint'}\n"
    "    return _request(self, method, endpoint, params, *args, **kwargs)\n"
    "sheet.SheetsHttpClient.request = request\n"
)
# The peak is read from /proc/self/status (VmHWM, this process's own memory since exec):
# ru_maxrss of a child also counts the parent's size at fork, here the emulator's.
_RUN = (
    "import re, resource, sys\n{patch}\n"
    "from sheets_okr.cli import main\n"
    "sys.argv = ['sheets-okr', *{args!r}]\n"
    "try:\n    main()\nexcept SystemExit as done:\n    code = done.code\n"
    "try:\n"
    "    peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read())[1])\n"
    "except (OSError, TypeError):\n"
    "    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
    "print('MAXRSS', peak, file=sys.stderr)\n"
)


def data_tab(rows: int, columns: int) -> list[list[Any]]:
    """Raw data people keep beside their plan: a header, then numbers, dates and words."""
    header = [f"Field {c}" for c in range(columns)]
    out: list[list[Any]] = [header]
    for r in range(rows):
        out.append(
            [
                dt.date(2026, 1, 1) + dt.timedelta(days=r % 365) if c == 0
                else f"campaign-{r % 97}" if c == 1
                else round((r * 31 + c * 17) % 1000 / 7, 2)
                for c in range(columns)
            ]
        )  # fmt: skip
    return out


def measure(emu: SheetsEmulator, args: list[str], *, old_read: bool) -> tuple[int, float, float]:
    """Requests, seconds and peak MB of one command in a process of its own."""
    emu.clear_log()
    script = _RUN.format(patch=_OLD_READ if old_read else "", args=args)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    seconds = time.perf_counter() - started
    line = next((ln for ln in done.stderr.splitlines() if ln.startswith("MAXRSS")), "")
    if not line or "Traceback" in done.stderr:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return len(emu.api_requests), seconds, int(line.split()[1]) / 1024


def main() -> None:
    """Measure and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--columns", type=int, default=10)
    parser.add_argument("--krs", type=int, default=100)
    options = parser.parse_args()
    emu = SheetsEmulator()
    try:
        with tempfile.TemporaryDirectory() as folder:
            point_at(emu, Path(folder))
            tracker = tracker_rows(options.krs, 0)
            large = data_tab(options.rows, options.columns)
            source = f"gsheet:{KEY}"
            print(f"{options.krs} KRs beside a {options.rows:,} x {options.columns} data tab")
            print(f"{'':28} {'requests':>9} {'seconds':>9} {'peak MB':>9}")
            for command in ("score", "sync"):
                args = [command, source, "--as-of", AS_OF.isoformat()]
                results = {}
                for name, tabs, old in (
                    ("tracker alone", {"2026-Q4": tracker}, False),
                    ("with the data tab", {"2026-Q4": tracker, "Raw data": large}, False),
                    ("same, read as before", {"2026-Q4": tracker, "Raw data": large}, True),
                ):
                    emu.create_spreadsheet(KEY, tabs)
                    if command == "sync":  # a weekly sync: the first one already ran
                        measure(emu, args, old_read=old)
                        emu.set_cell(KEY, "2026-Q4", "H3", 150)
                    results[name] = measure(emu, args, old_read=old)
                base = results["tracker alone"]
                for name, (requests, seconds, memory) in results.items():
                    print(
                        f"{command + ': ' + name:<28} {requests:>9} {seconds:>8.2f}s"
                        f" {memory:>8.0f}  ({seconds / base[1]:.2f}x time,"
                        f" {memory / base[2]:.2f}x memory of the tracker alone)"
                    )
                new, old_read = results["with the data tab"], results["same, read as before"]
                print(
                    f"  asking only for what is used: {new[1] / old_read[1]:.2f}x the time and"
                    f" {new[2] / old_read[2]:.2f}x the memory of the read before"
                )
    finally:
        emu.stop()


if __name__ == "__main__":
    main()
