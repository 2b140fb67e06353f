"""Where sheets-okr keeps what outlives a run, and how that folder is kept private.

The state folder is $SHEETS_OKR_STATE_DIR, else $XDG_STATE_HOME/sheets-okr, else
~/.local/state/sheets-okr. It sits in the foundation layer because more than one step keeps
files there: deliver/ (what was sent, unsent emails, the run lock) and sources/ (the Sheets
API budget shared by the processes of the host).
"""

from __future__ import annotations

import os
from pathlib import Path

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
