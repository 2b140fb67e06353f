"""Other processes for tests: one that holds the run lock until it is killed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HOLDER = """\
import sys, time
from pathlib import Path
from sheets_okr.deliver.lock import run_lock
with run_lock(Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""


def hold_in_another_process(path: Path) -> subprocess.Popen[str]:
    """A real process holding the lock until killed."""
    process = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    assert process.stdout.readline().strip() == "held"
    return process
