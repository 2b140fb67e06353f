"""The Sheets API budget shared by the host's processes, and retry waits that never go at once.

The budget tests use real files and real processes with small windows; the retry tests draw
many delays, since the waits are random.
"""

from __future__ import annotations

import logging
import math
import os
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from gspread.exceptions import APIError

from sheets_okr.sources.gsheets.budget import BUDGET_NAME, SharedRequestBudget
from sheets_okr.sources.gsheets.client import RequestBudget, RetryPolicy, SheetsHttpClient
from sheets_okr.sources.gsheets.key import load_key, make_credentials
from tests.support.sheets_emulator import SheetsEmulator

ROOT = Path(__file__).resolve().parents[2]

# One process's part: take COUNT requests from a budget of LIMIT per WINDOW seconds, and write
# the time each was counted at (the clock read under the lock) to OUT.
_TAKER = """
import sys, time
from sheets_okr.sources.gsheets.budget import SharedRequestBudget

limit, window, count, out = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
readings = []

def clock():
    readings.append(time.time())
    return readings[-1]

budget = SharedRequestBudget(limit, window, clock=clock)
sys.stdin.readline()  # the test starts both processes taking at once
counted = []
for _ in range(count):
    budget.take()
    counted.append(readings[-1])
with open(out, "w") as file:
    file.write("".join(f"{moment!r}\\n" for moment in counted))
"""


def fake_time(start: float = 0.0) -> tuple[list[float], list[float], Callable[[float], None]]:
    """A clock (now[0]) that only moves when slept, and the waits slept."""
    now, waits = [start], []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        now[0] += seconds

    return now, waits, sleep


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def test_two_processes_share_one_budget(tmp_path: Path) -> None:
    """Two processes on one state folder together send at most `limit` in any window."""
    limit, window, count = 4, 0.5, 6
    state = tmp_path / "state"
    env = dict(os.environ, SHEETS_OKR_STATE_DIR=str(state))
    outs = [tmp_path / f"taken-{index}.txt" for index in range(2)]
    takers = [
        subprocess.Popen(
            [sys.executable, "-c", _TAKER, str(limit), str(window), str(count), str(out)],
            stdin=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for out in outs
    ]
    for taker in takers:
        assert taker.stdin is not None
        taker.stdin.write("go\n")
        taker.stdin.close()
    for taker in takers:
        assert taker.wait(timeout=30) == 0
    counted = sorted(float(line) for out in outs for line in out.read_text().splitlines())
    assert len(counted) == 2 * count
    for first, later in zip(counted, counted[limit:], strict=False):
        assert later - first >= window, "more than `limit` requests in one window"
    budget_file = state / BUDGET_NAME
    assert mode(state) == 0o700
    assert mode(budget_file) == 0o600
    assert len(budget_file.read_text().splitlines()) <= limit


def test_the_budget_file_is_found_at_each_take_in_the_state_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Making the budget touches no disk; each take() counts in the current state folder."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "first"))
    budget = SharedRequestBudget(5, 60.0)
    assert not (tmp_path / "first").exists()
    budget.take()
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "second"))
    budget.take()
    budget.take()
    assert len((tmp_path / "first" / BUDGET_NAME).read_text().splitlines()) == 1
    assert len((tmp_path / "second" / BUDGET_NAME).read_text().splitlines()) == 2


def test_an_unusable_budget_file_falls_back_to_the_process_with_one_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A state folder that cannot be made (below a file) warns once; the process still waits."""
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(blocker / "state"))
    now, waits, sleep = fake_time()
    budget = SharedRequestBudget(2, 10.0, clock=lambda: now[0], sleep=sleep)
    with caplog.at_level(logging.INFO, logger="sheets_okr.sources.gsheets.budget"):
        for _ in range(5):
            budget.take()
    warnings = [record for record in caplog.records if record.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert str(blocker / "state" / BUDGET_NAME) in warnings[0].getMessage()
    assert waits == [10.0, 10.0]  # the 3rd and the 5th wait for the window to pass
    assert blocker.is_file()


def test_junk_and_times_from_a_clock_set_back_do_not_stall_the_budget(tmp_path: Path) -> None:
    """Lines that are no time are skipped; a time ahead of the clock counts as now."""
    path = tmp_path / BUDGET_NAME
    path.write_text("half a li\nnan\ninf\n4600.0\n")  # 4600: an hour ahead of the clock
    now, waits, sleep = fake_time(1000.0)
    budget = SharedRequestBudget(2, 10.0, path=path, clock=lambda: now[0], sleep=sleep)
    budget.take()
    budget.take()
    assert len(waits) == 1
    assert 10.0 <= waits[0] <= 10.5  # one window and a little jitter, not an hour
    times = [float(line) for line in path.read_text().splitlines()]
    assert len(times) <= 2
    assert all(math.isfinite(moment) and moment <= now[0] for moment in times)


@pytest.mark.parametrize("attempt", range(1, 8))
def test_a_server_error_waits_at_least_half_the_backoff_step(attempt: int) -> None:
    """A 5xx retry waits between half the step and the whole step, never about 0."""
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, quota_delay=15.0)
    step = min(8.0, 2.0 ** (attempt - 1))
    waits = [policy.delay(attempt, None) for _ in range(2000)]
    assert step / 2 <= min(waits)
    assert max(waits) <= step


@pytest.mark.parametrize("attempt", range(1, 8))
def test_a_quota_error_waits_at_least_the_quota_delay(attempt: int) -> None:
    """A 429 retry waits the quota delay and at least half the step on top."""
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, quota_delay=15.0)
    step = min(8.0, 2.0 ** (attempt - 1))
    waits = [policy.delay(attempt, None, quota=True) for _ in range(2000)]
    assert 15.0 + step / 2 <= min(waits)
    assert max(waits) <= 15.0 + step


def test_retry_after_wins() -> None:
    """Google's Retry-After is waited as sent, but a server error's 0 still waits half a
    step (no retry at once)."""
    policy = RetryPolicy(base_delay=1.0, max_delay=8.0, quota_delay=15.0)
    assert policy.delay(4, 0.0) == pytest.approx(4.0)
    assert policy.delay(4, 0.0, quota=True) == 0.0
    assert policy.delay(1, 2.5, quota=True) == 2.5
    assert policy.delay(1, 100.0) == 100.0


def test_the_client_never_retries_a_server_error_at_once(
    google_env: SheetsEmulator, service_account_key: Path
) -> None:
    """Against the emulator, two 503s are retried after at least half of 1 s, then of 2 s."""
    google_env.create_spreadsheet("BudgetKey", {"Tab": [["x"]]})
    google_env.fail_next(503, 2)
    waits: list[float] = []
    client = SheetsHttpClient(
        make_credentials(load_key(service_account_key)),
        base_url=google_env.base_url,
        retry=RetryPolicy(attempts=3, base_delay=1.0, max_delay=8.0),
        sleep=waits.append,
        budget=RequestBudget(100),
    )
    answer = client.request("get", f"{google_env.base_url}/v4/spreadsheets/BudgetKey")
    assert answer.ok
    assert len(waits) == 2
    assert 0.5 <= waits[0] <= 1.0
    assert 1.0 <= waits[1] <= 2.0
    google_env.fail_next(503, 3)
    with pytest.raises(APIError):
        client.request("get", f"{google_env.base_url}/v4/spreadsheets/BudgetKey")


@pytest.mark.parametrize("shared", [True, False])
def test_a_clock_set_back_never_stalls_the_budget_past_one_window(
    tmp_path: Path, shared: bool
) -> None:
    """Fifty requests, then the clock steps back an hour: the next waits one window at
    most (the times kept count as now), not until the clock catches up."""
    now = [1_000_000.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds
        assert sum(slept) <= 61.0 + 2.0, f"waited {sum(slept):.0f} s"

    budget = (
        SharedRequestBudget(
            50, 60.0, path=tmp_path / BUDGET_NAME, clock=lambda: now[0], sleep=sleep
        )
        if shared
        else RequestBudget(50, 60.0, clock=lambda: now[0], sleep=sleep)
    )
    for _ in range(50):
        budget.take()
    now[0] -= 3600
    budget.take()
    assert 0 < sum(slept) <= 63.0
