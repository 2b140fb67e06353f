"""What sheets-okr keeps between runs: the log of summaries and reminders sent, and emails it
could not send.

The state folder is $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else
~/.local/state/sheets-okr (state_folder.py). The run lock (lock.py) and the Sheets API
budget (sources/gsheets/budget.py) live there too. It is private: the folders are made 0700
and the files 0600, since they hold who gets the summary and the unsent emails themselves.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Sequence
from pathlib import Path

from sheets_okr.files import atomic_write

# Re-exported: the state folder's place and privacy live in the foundation (state_folder.py),
# where sources/ can reach them too; deliver/ and its callers keep importing them from here.
from sheets_okr.state_folder import PRIVATE_FILE, PRIVATE_FOLDER, private_folder, state_dir

__all__ = [
    "PRIVATE_FILE",
    "PRIVATE_FOLDER",
    "already_reminded",
    "already_sent",
    "private_folder",
    "remember_reminded",
    "remember_sent",
    "state_dir",
    "unsent_path",
]


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


# Reminders share the sent-log with summaries, under a key of their own. An owner is
# reminded once per as-of date, whichever command or configuration reminded them first.
_REMINDERS = "remind:"


def already_reminded(as_of: dt.date, address: str) -> str | None:
    """When this owner was reminded for this as-of date, if they were."""
    return already_sent(_REMINDERS, as_of, (address,))


def remember_reminded(as_of: dt.date, address: str) -> None:
    """Note that this owner was reminded for this as-of date: never twice (--force aside)."""
    remember_sent(_REMINDERS, as_of, (address,))


def unsent_path(label: str, as_of: dt.date) -> Path:
    """Where an email that could not be sent is kept: unsent/LABEL-AS_OF-HHMMSS.eml (to be
    written 0600, PRIVATE_FILE)."""
    folder = private_folder(private_folder(state_dir()) / "unsent")
    stamp = dt.datetime.now().strftime("%H%M%S")
    return folder / f"{label}-{as_of.isoformat()}-{stamp}.eml"
