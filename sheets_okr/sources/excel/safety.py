"""Before replacing a workbook: is it open in Excel or LibreOffice, or changed since it was read?"""

from __future__ import annotations

import hashlib
from pathlib import Path

from sheets_okr.errors import TemporaryFailure


def lock_files(path: Path) -> list[Path]:
    """Lock files Excel (`~$name`, Word-style `~$me`) or LibreOffice (`.~lock.name#`) keep."""
    candidates = [
        path.with_name("~$" + path.name),
        path.with_name("~$" + path.name[2:]),
        path.with_name(f".~lock.{path.name}#"),
    ]
    return [c for c in candidates if c.exists()]


def refuse_if_open(path: Path) -> None:
    """Exit 75 (retry later) while another program has the workbook open."""
    found = lock_files(path)
    if found:
        raise TemporaryFailure(
            f"{path} is open in Excel or LibreOffice (lock file {found[0].name}); close it"
            " and run again. If nobody has it open, the lock file is left over from a crash:"
            " delete it."
        )


def refuse_if_changed(path: Path, snapshot: bytes) -> None:
    """Exit 75 when the file on disk is no longer the one that was read."""
    try:
        current = path.read_bytes()
    except OSError as error:
        raise TemporaryFailure(f"{path} cannot be read again before saving: {error}") from error
    if hashlib.sha256(current).digest() != hashlib.sha256(snapshot).digest():
        raise TemporaryFailure(
            f"{path} changed while sheets-okr was working on it; nothing was written."
            " Run again to use the new version."
        )
