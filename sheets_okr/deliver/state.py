"""What sheets-okr keeps between runs: the log of summaries sent, and emails it could not send.

The state folder is $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else
~/.local/state/sheets-okr. The run lock (lock.py) lives there too.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from sheets_okr.files import atomic_write


def state_dir() -> Path:
    """Where sheets-okr keeps what it sent and what it could not send.

    $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else ~/.local/state/sheets-okr.
    """
    explicit = os.environ.get("SHEETS_OKR_STATE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sheets-okr"


def _sent_key(source: str, as_of: dt.date, recipients: Sequence[str]) -> str:
    text = "\n".join([source, as_of.isoformat(), *sorted(r.lower() for r in recipients)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def already_sent(source: str, as_of: dt.date, recipients: Sequence[str]) -> str | None:
    """When this summary was sent to these recipients, if it was."""
    log_file = state_dir() / "sent.json"
    try:
        sent = json.loads(log_file.read_text("utf-8"))
    except (OSError, ValueError):
        return None
    value = sent.get(_sent_key(source, as_of, recipients)) if isinstance(sent, dict) else None
    return str(value) if value else None


def remember_sent(source: str, as_of: dt.date, recipients: Sequence[str]) -> None:
    """Note that this summary went out, so a re-run does not send it twice."""
    folder = state_dir()
    folder.mkdir(parents=True, exist_ok=True)
    log_file = folder / "sent.json"
    try:
        sent = json.loads(log_file.read_text("utf-8"))
        if not isinstance(sent, dict):
            sent = {}
    except (OSError, ValueError):
        sent = {}
    sent[_sent_key(source, as_of, recipients)] = dt.datetime.now(dt.UTC).isoformat(
        timespec="seconds"
    )
    text = json.dumps(sent, indent=1, sort_keys=True)
    atomic_write(log_file, lambda temporary: temporary.write_text(text, "utf-8"))


def unsent_path(label: str, as_of: dt.date) -> Path:
    """Where an email that could not be sent is kept: unsent/LABEL-AS_OF-HHMMSS.eml."""
    folder = state_dir() / "unsent"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now().strftime("%H%M%S")
    return folder / f"{label}-{as_of.isoformat()}-{stamp}.eml"
