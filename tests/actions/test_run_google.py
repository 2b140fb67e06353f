"""`sheets-okr run` end to end over an Excel file and a Google Sheet: the Sheets API emulator
(real gspread and google-auth code), aiosmtpd with TLS, both on 127.0.0.1."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from sheets_okr.sources.gsheets import sheet as gsheets
from sheets_okr.sources.gsheets.client import RetryPolicy
from tests.support.run_configs import (
    email_table,
    example_tracker,
    readable,
    received,
    run_cli,
    run_environment,
    tabs,
    write_config,
)
from tests.support.sheets_emulator import SheetsEmulator
from tests.support.smtp import PASSWORD, Certificates, Server
from tests.support.workbooks import TYPE_HEADER

KEY = "1KoreaTrackerKey_run"
TOOL_TABS = {"Summary", "History", "Checks"}
KOREA: list[list[Any]] = [
    TYPE_HEADER,
    ["Objective", "한국 시장 수요 창출", "박지민", "Korea"],
    ["Key Result", "웨비나 참가 신청 400명", "박지민", None, None, 150, 400, 264, "명"],
    ["Key Result", "파트너 10곳 계약", "이서연", None, None, 0, 10, 3],
    ["Action", "파트너 목록 검토", "이서연", None, None, None, None, None, None, None,
     dt.date(2026, 11, 20), "진행 중"],
]  # fmt: skip


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    run_environment(tmp_path, monkeypatch, certs)


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Retries wait milliseconds here."""
    policy = RetryPolicy(
        attempts=3, base_delay=0.001, max_delay=0.01, quota_delay=0.001, timeout=(5.0, 30.0)
    )
    monkeypatch.setattr(gsheets, "DEFAULT_RETRY", policy)


@pytest.fixture(name="weekly")
def _weekly(
    tmp_path: Path,
    google_env: SheetsEmulator,
    service_account_key: Path,
    smtp: Server,
    monkeypatch: pytest.MonkeyPatch,
) -> Path:
    """An Excel tracker and a Google Sheet; the key file named by the configuration only."""
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS")  # the config's path must be used
    example_tracker(tmp_path / "growth.xlsx")
    google_env.create_spreadsheet(KEY, {"2026-Q4": KOREA})
    extra = f'[google]\ncredentials = "{service_account_key}"\n\n' + email_table(smtp.port)
    return write_config(tmp_path, [("Growth", "growth.xlsx"), ("Korea", f"gsheet:{KEY}")], extra)


def test_a_weekly_run_over_an_excel_file_and_a_google_sheet(
    weekly: Path, google_env: SheetsEmulator, smtp: Server
) -> None:
    """Both synced (tool tabs in the file and in the sheet), one summary of both, silent."""
    result = run_cli(weekly)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    assert set(tabs(weekly.parent / "growth.xlsx")) >= TOOL_TABS
    assert set(google_env.tab_titles(KEY)) >= TOOL_TABS
    history = google_env.values(KEY, "History")
    assert history[0][:3] == ["Date", "ID", "Title"]
    assert len(history) == 3  # one row per key result
    (message,) = received(smtp)
    assert message["Subject"].endswith(" off track")  # no failure
    text = readable(message)
    assert "Growth" in text
    assert "Korea" in text
    assert "웨비나 참가 신청 400명" in text
    assert PASSWORD not in text


def test_a_sheet_not_shared_with_the_service_account_fails_only_its_tracker(
    weekly: Path, google_env: SheetsEmulator, smtp: Server
) -> None:
    """Korea not shared: exit 1, stderr and the email say so; Growth synced and summarised."""
    google_env.create_spreadsheet(KEY, {"2026-Q4": KOREA}, shared_with=["someone@example.com"])
    result = run_cli(weekly)
    assert result.exit_code == 1
    assert result.stderr.startswith("sheets-okr: Korea: ")
    assert set(tabs(weekly.parent / "growth.xlsx")) >= TOOL_TABS
    assert "Summary" not in google_env.tab_titles(KEY)
    (message,) = received(smtp)
    assert message["Subject"].endswith(" · 1 of 2 trackers FAILED")
    assert "This tracker could not be synced: " in readable(message)


def test_a_sheets_quota_that_stays_exhausted_is_a_temporary_failure(
    weekly: Path, google_env: SheetsEmulator, smtp: Server
) -> None:
    """Google answers 429 to every retry: the run exits 75 (retry later), Excel still synced."""
    google_env.fail_next(429, count=50)
    result = run_cli(weekly)
    assert result.exit_code == 75, result.stderr
    assert result.stderr.startswith("sheets-okr: Korea: ")
    assert set(tabs(weekly.parent / "growth.xlsx")) >= TOOL_TABS
    assert len(received(smtp)) == 1
