"""The state folder: where it is, and that it and what it keeps are private to the user."""

from __future__ import annotations

import datetime as dt
import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheets_okr.deliver.state import already_sent, remember_sent, state_dir, unsent_path

DAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _umask() -> Iterator[None]:
    """The usual umask (022), under which a folder made the ordinary way would be 0755."""
    previous = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture(name="state")
def _state(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SHEETS_OKR_STATE_DIR, two levels below tmp_path and not made yet."""
    folder = tmp_path / "var" / "sheets-okr"
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(folder))
    return folder


def mode(path: Path) -> int:
    """The permission bits of a file or folder."""
    return stat.S_IMODE(path.stat().st_mode)


def test_the_state_folder_comes_from_the_environment(state: Path) -> None:
    """$SHEETS_OKR_STATE_DIR names the state folder."""
    assert state_dir() == state


def test_the_sent_log_is_private(state: Path) -> None:
    """The first remembered summary makes the state folder 0700 and sent.json 0600; its
    parent is made the ordinary way (0755): only the state folder is the tool's."""
    remember_sent("okrs.xlsx", DAY, ["ceo@example.com"])
    assert mode(state) == 0o700
    assert mode(state / "sent.json") == 0o600
    assert mode(state.parent) == 0o755
    assert already_sent("okrs.xlsx", DAY, ["CEO@example.com"])


def test_a_readable_sent_log_becomes_private(state: Path) -> None:
    """A sent.json left 0644 by an older version is 0600 once written again, entries kept."""
    state.mkdir(parents=True)
    (state / "sent.json").write_text(json.dumps({"older": "2026-11-23T08:00:00+00:00"}))
    os.chmod(state / "sent.json", 0o644)
    remember_sent("okrs.xlsx", DAY, ["ceo@example.com"])
    assert mode(state / "sent.json") == 0o600
    assert "older" in json.loads((state / "sent.json").read_text())


def test_the_unsent_folder_is_private(state: Path) -> None:
    """unsent/ and the state folder above it are made 0700."""
    path = unsent_path("okr-summary", DAY)
    assert path.parent == state / "unsent"
    assert mode(state) == 0o700
    assert mode(state / "unsent") == 0o700
    assert path.name.startswith("okr-summary-2026-11-30-")


def test_an_existing_state_folder_keeps_its_mode(state: Path) -> None:
    """A state folder someone made on purpose (shared with a group, say) is left as it is."""
    state.mkdir(parents=True)
    os.chmod(state, 0o750)
    remember_sent("okrs.xlsx", DAY, ["ceo@example.com"])
    assert mode(state) == 0o750
    assert mode(state / "sent.json") == 0o600


def test_a_reminder_is_remembered_per_owner_and_date(state: Path) -> None:
    """A reminder is remembered per address (any case) and date, apart from summaries."""
    from sheets_okr.deliver.state import already_reminded, remember_reminded

    remember_reminded(DAY, "Lee@Example.com")
    assert already_reminded(DAY, "lee@example.com")
    assert not already_reminded(DAY + dt.timedelta(days=7), "lee@example.com")
    assert not already_reminded(DAY, "kim@example.com")
    assert not already_sent("/srv/okr/a.xlsx", DAY, ["lee@example.com"])
    assert mode(state / "sent.json") == 0o600
