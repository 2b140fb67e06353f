"""Running `sheets-okr` on a workbook the way people do, in-process or in a process of its own,
and checking that it ended the way the contract says: an exit code and a message, never a
traceback."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result

from sheets_okr.cli import cli

AS_OF = "2026-11-30"
CONTRACT_EXIT_CODES = {0, 1, 2, 75}
TIMEOUT = 60  # seconds a command may take on any workbook here before it counts as a hang
WARNING = "sheets-okr: WARNING: "


def run(*args: str) -> Result:
    """Run `sheets-okr ARGS` in-process, stdout and stderr kept apart."""
    return CliRunner().invoke(cli, list(args), prog_name="sheets-okr")


def assert_refused(result: Result, exit_code: int, *phrases: str) -> str:
    """The command ended with `exit_code` and one `sheets-okr: ...` line holding every phrase;
    returns that line."""
    assert result.exit_code == exit_code, (result.exit_code, result.output)
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = [line for line in result.stderr.splitlines() if line.startswith("sheets-okr: ")]
    assert len(lines) == 1, result.stderr
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
    assert lines[0].endswith("."), lines[0]
    return lines[0]


@dataclass(frozen=True)
class Finished:
    """How a command run in its own process ended."""

    exit_code: int
    stdout: str
    stderr: str


# Starts the command line under a limit of address space, set in the child itself.
_LIMITED = """\
import resource, runpy, sys
limit = int(sys.argv.pop(1))
if limit:
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
sys.argv[0] = "sheets-okr"
runpy.run_module("sheets_okr", run_name="__main__")
"""


def run_in_process(*args: str, timeout: float, memory: int = 0) -> Finished:
    """Run `sheets-okr ARGS` in a new Python process; an abort (a signal), a hang past
    `timeout` seconds or a need for more than `memory` bytes of address space (0: no limit)
    fails the calling test instead of taking pytest, or the machine, down with it."""
    try:
        done = subprocess.run(
            [sys.executable, "-c", _LIMITED, str(memory), *args],
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except subprocess.TimeoutExpired as expired:
        raise AssertionError(f"sheets-okr {' '.join(args)} ran past {timeout} s") from expired
    assert done.returncode >= 0, f"killed by signal {-done.returncode}: {done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, done.stderr[-4000:]
    assert done.returncode in CONTRACT_EXIT_CODES, (done.returncode, done.stderr[-2000:])
    return Finished(done.returncode, done.stdout, done.stderr)


def score(path: Path, *more: str, memory: int = 0) -> Finished:
    """`sheets-okr score PATH --as-of 2026-11-30` in its own process."""
    return run_in_process("score", str(path), "--as-of", AS_OF, *more, timeout=TIMEOUT,
                          memory=memory)  # fmt: skip
