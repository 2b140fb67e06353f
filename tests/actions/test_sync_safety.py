"""Sync and the plan checks, and the refusals that keep people's work safe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_okr import files
from sheets_okr.cli import cli
from sheets_okr.files import atomic_write
from tests.support.workbooks import write_workbook

AS_OF = "2026-11-30"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def _example(tmp_path: Path) -> Path:
    path = tmp_path / "okrs.xlsx"
    code, _, err = _run("init", str(path), "--example", "--as-of", AS_OF)
    assert code == 0, err
    return path


def test_checks_tab_after_sync_equals_lint_json(tmp_path: Path) -> None:
    """The Checks tab holds exactly what `lint --format json` reports for the same date."""
    path = _example(tmp_path)
    code, out, _ = _run("lint", str(path), "--as-of", AS_OF, "--format", "json")
    assert code == 0
    findings = json.loads(out)["findings"]
    assert findings, "the example has two deliberately late actions"
    code, _, err = _run("sync", str(path), "--as-of", AS_OF)
    assert code == 0, err
    rows = list(load_workbook(path)["Checks"].iter_rows(values_only=True))
    assert rows[0] == ("Severity", "Code", "Tab", "Cell", "Advice")
    assert [
        {"severity": r[0], "code": r[1], "tab": r[2], "cell": r[3], "message": r[4]}
        for r in rows[1:]
    ] == findings


def test_checks_tab_lists_title_findings_of_a_bad_plan(tmp_path: Path) -> None:
    """A plan with a vague key result gets that finding in Checks, at the title cell."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {"2026-Q4": [
            ["Type", "Title", "Owner", "Start", "Target", "Current"],
            ["Objective", "Increase website traffic", "Sam"],
            ["Key Result", "Improve brand awareness", "Lee", 0, 10, 5],
        ]},
    )  # fmt: skip
    code, _, err = _run("sync", str(path), "--as-of", AS_OF)
    assert code == 0, err
    rows = list(load_workbook(path)["Checks"].iter_rows(values_only=True))
    assert ("warning", "kr-vague", "2026-Q4", "B3") in [r[:4] for r in rows]


def test_a_tab_named_summary_that_people_made_is_never_overwritten(tmp_path: Path) -> None:
    """A people's Summary tab makes sync refuse (exit 1) and leaves the workbook as it was."""
    path = _example(tmp_path)
    workbook = load_workbook(path)
    workbook.create_sheet("Summary")["A1"] = "Our own dashboard"
    workbook.save(path)
    before = path.read_bytes()
    code, _, err = _run("sync", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "Summary" in err
    assert "Rename that tab" in err
    assert path.read_bytes() == before


def test_a_tab_named_like_the_tools_in_another_case_is_refused(tmp_path: Path) -> None:
    """Excel tab names ignore case: a people's "summary" tab is refused, not duplicated
    as "Summary1", "Summary2"... on every sync."""
    path = _example(tmp_path)
    workbook = load_workbook(path)
    workbook.create_sheet("summary")["A1"] = "Our own notes"
    workbook.save(path)
    before = path.read_bytes()
    code, _, err = _run("sync", str(path), "--as-of", AS_OF)
    assert code == 1
    assert "summary" in err
    assert "Rename that tab" in err
    assert path.read_bytes() == before


def test_the_tools_own_tabs_are_rewritten_on_the_next_sync(tmp_path: Path) -> None:
    """Tabs a sync made are recognised as the tool's: a later sync updates them."""
    path = _example(tmp_path)
    assert _run("sync", str(path), "--as-of", "2026-11-15")[0] == 0
    assert _run("sync", str(path), "--as-of", AS_OF)[0] == 0
    summary = load_workbook(path)["Summary"]
    assert summary["B2"].value.date().isoformat() == AS_OF


def test_an_empty_tab_named_history_may_be_filled(tmp_path: Path) -> None:
    """An empty History tab (made ahead of time) is filled, not refused."""
    path = _example(tmp_path)
    workbook = load_workbook(path)
    workbook.create_sheet("History")
    workbook.save(path)
    assert _run("sync", str(path), "--as-of", AS_OF)[0] == 0
    assert load_workbook(path)["History"]["A1"].value == "Date"


def test_a_read_only_workbook_is_not_replaced(tmp_path: Path) -> None:
    """A workbook marked read-only is refused (exit 1) and stays as it was."""
    path = _example(tmp_path)
    before = path.read_bytes()
    os.chmod(path, 0o444)
    try:
        code, _, err = _run("sync", str(path), "--as-of", AS_OF)
    finally:
        os.chmod(path, 0o644)
    assert code == 1
    assert "read-only" in err
    assert path.read_bytes() == before


def test_temporary_files_left_by_a_killed_run_are_cleaned_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Old temporary files of the same workbook go; young ones and other files stay."""
    target = tmp_path / "okrs.xlsx"
    target.write_bytes(b"old")
    stale = tmp_path / ".okrs.xlsx.abcd1234.tmp"
    young = tmp_path / ".okrs.xlsx.efgh5678.tmp"
    other = tmp_path / ".other.xlsx.abcd1234.tmp"
    for leftover in (stale, other):
        leftover.write_bytes(b"half")
    # Staleness counts the ctime too, which cannot be set back: the cutoff moves instead.
    time.sleep(0.05)
    cutoff = time.time()
    time.sleep(0.05)
    monkeypatch.setattr(files, "_stale_cutoff", lambda: cutoff)
    young.write_bytes(b"half")
    atomic_write(target, lambda temporary: temporary.write_bytes(b"new"))
    assert target.read_bytes() == b"new"
    assert not stale.exists()
    assert young.exists()
    assert other.exists()


def test_a_dry_run_says_when_the_real_sync_would_be_refused(tmp_path: Path) -> None:
    """With the workbook open in Excel, --dry-run lists the changes and says sync would stop."""
    path = _example(tmp_path)
    (tmp_path / f"~${path.name}").write_text("someone")
    before = path.read_bytes()
    code, out, err = _run("sync", str(path), "--as-of", AS_OF, "--dry-run")
    assert code == 0
    assert "cells would change" in out
    assert "a real sync would stop here" in err
    assert "open in Excel or LibreOffice" in err
    assert path.read_bytes() == before


def test_a_dry_run_of_a_writable_workbook_warns_of_nothing(tmp_path: Path) -> None:
    """Without lock files or risky parts, --dry-run has nothing to warn about."""
    path = _example(tmp_path)
    code, _, err = _run("sync", str(path), "--as-of", AS_OF, "--dry-run")
    assert code == 0
    assert "would stop" not in err


def test_a_tab_with_a_column_filled_to_the_last_row_is_not_synced(tmp_path: Path) -> None:
    """A people's tab whose rows in use run far past any plan (a value copied down a whole
    column): nothing is written, one sentence says what to delete; score still reads it."""
    from openpyxl import Workbook

    from sheets_okr.actions.sync import ROWS_SYNCED

    path = tmp_path / "okrs.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("2026-Q4")
    sheet.append(["Type", "Title", "Owner", "Start", "Target", "Current", "Notes"])
    sheet.append(["Objective", "Grow", "Sam"])
    sheet.append(["Key Result", "Win 10 deals", "Dana", 0, 10, 4])
    for _ in range(ROWS_SYNCED):
        sheet.append([None, None, None, None, None, None, "x"])
    workbook.save(path)
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["sync", str(path), "--as-of", "2026-11-30"])
    assert result.exit_code == 1
    assert f"has {ROWS_SYNCED + 3:,} rows in use, more than the {ROWS_SYNCED:,}" in result.stderr
    assert "delete the rows below the plan" in result.stderr
    assert path.read_bytes() == before
    assert CliRunner().invoke(cli, ["score", str(path), "--as-of", "2026-11-30"]).exit_code == 0


def test_two_syncs_at_once_both_land_in_history(tmp_path: Path) -> None:
    """Two syncs of one workbook started together (other as-of dates): the second waits for
    the first, both exit 0, and History holds both dates' rows."""
    path = _example(tmp_path)
    dates = ("2026-11-23", "2026-11-30")
    for attempt in range(3):
        started = [
            subprocess.Popen(
                [sys.executable, "-m", "sheets_okr", "sync", str(path), "--as-of", day],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for day in dates
        ]
        for process in started:
            _, err = process.communicate(timeout=120)
            assert process.returncode == 0, (attempt, err)
        rows = list(load_workbook(path)["History"].iter_rows(min_row=2, values_only=True))
        written = {str(row[0])[:10] for row in rows if row[0]}
        assert set(dates) <= written, (attempt, written)
