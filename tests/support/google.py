"""Pytest fixtures for the Google Sheets API emulator (registered through pytest_plugins)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.sheets_emulator import SheetsEmulator

SERVICE_ACCOUNT = "okr-sync@example-project.iam.gserviceaccount.com"


@pytest.fixture(name="sheets_emulator")
def _sheets_emulator() -> Iterator[SheetsEmulator]:
    """A started emulator on 127.0.0.1, stopped after the test."""
    emulator = SheetsEmulator()
    try:
        yield emulator
    finally:
        emulator.stop()


@pytest.fixture(name="service_account_key")
def _service_account_key(tmp_path: Path, sheets_emulator: SheetsEmulator) -> Path:
    """A service-account key file whose token_uri is the emulator's /token."""
    path = tmp_path / "service-account.json"
    path.write_text(json.dumps(sheets_emulator.service_account(SERVICE_ACCOUNT), indent=2))
    return path


@pytest.fixture(name="google_env")
def _google_env(
    monkeypatch: pytest.MonkeyPatch,
    sheets_emulator: SheetsEmulator,
    service_account_key: Path,
    tmp_path: Path,
) -> SheetsEmulator:
    """SHEETS_OKR_SHEETS_API and GOOGLE_APPLICATION_CREDENTIALS point at the emulator.

    The emulator has no quota: the tool's own per-minute budget (one per process, which a
    whole test run shares) is lifted, or hundreds of test syncs would wait on it.
    """
    from sheets_okr.sources.gsheets import client as gsheets_client

    monkeypatch.setattr(gsheets_client, "SHARED_BUDGET", gsheets_client.RequestBudget(10**9))
    # Commands run in processes of their own keep their budget file (and any other state)
    # in the test's folder, never in the home folder a real cron job uses.
    if "SHEETS_OKR_STATE_DIR" not in os.environ:
        monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("SHEETS_OKR_SHEETS_API", sheets_emulator.base_url)
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(service_account_key))
    return sheets_emulator
