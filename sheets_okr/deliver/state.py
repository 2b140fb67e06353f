"""What sheets-okr keeps between runs: the log of summaries sent, and emails it could not send.

The state folder is $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else
~/.local/state/sheets-okr. The run lock (lock.py) lives there too. It is private: the
folders are made 0700 and the files 0600, since they hold who gets the summary and the
unsent emails themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from collections.abc import Sequence
from pathlib import Path

from sheets_okr.files import atomic_write

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600


def state_dir() -> Path:
    """Where sheets-okr keeps what it sent and what it could not send.

    $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else ~/.local/state/sheets-okr.
    """
    explicit = os.environ.get("SHEETS_OKR_STATE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "sheets-okr"


def private_folder(path: Path) -> Path:
    """Make `path` (and missing parents) if needed; a folder made here is 0700.

    Parents are made the usual way: only the state folder and what is under it are private.
    An existing folder keeps its mode: whoever made it chose it.
    """
    if not path.parent.is_dir():
        path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir(mode=PRIVATE_FOLDER, exist_ok=True)
    return path


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
    log_file = private_folder(state_dir()) / "sent.json"
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
    atomic_write(log_file, lambda temporary: temporary.write_text(text, "utf-8"), mode=PRIVATE_FILE)


def unsent_path(label: str, as_of: dt.date) -> Path:
    """Where an email that could not be sent is kept: unsent/LABEL-AS_OF-HHMMSS.eml (to be
    written 0600, PRIVATE_FILE)."""
    folder = private_folder(private_folder(state_dir()) / "unsent")
    stamp = dt.datetime.now().strftime("%H%M%S")
    return folder / f"{label}-{as_of.isoformat()}-{stamp}.eml"
