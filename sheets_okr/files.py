"""Writing files so that a crash or a kill leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary file in the target's folder (a rename across folders is not atomic)."""
    handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def _fsync(path: Path, *, directory: bool = False) -> None:
    flags = os.O_RDONLY | (getattr(os, "O_DIRECTORY", 0) if directory else 0)
    try:
        descriptor = os.open(path, flags)
    except OSError:
        return  # some platforms cannot open folders; the rename is still atomic there
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


STALE_AFTER_SECONDS = 3600


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files an earlier killed run left beside `path`, older than an hour.

    Never the workbook itself; a run still writing (younger than an hour) is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(path.name)}\.[^.]+\.tmp")
    cutoff = dt.datetime.now().timestamp() - STALE_AFTER_SECONDS
    with contextlib.suppress(OSError):
        for leftover in path.parent.iterdir():
            if pattern.fullmatch(leftover.name) and leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)


def atomic_write(
    path: Path,
    write: Callable[[Path], object],
    *,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Call `write` on a temporary file beside `path`, then move it into place atomically.

    `before_replace` runs after the new file is complete and may raise to cancel: the last
    checks (locks, changes) and the backup happen as late as possible. The new file keeps
    the permissions of the file it replaces (mkstemp makes 0600 files). A symlink is
    followed: the file it points to is replaced and the link stays.
    """
    path = Path(os.path.realpath(path))
    _remove_stale_temporaries(path)
    with _temporary_beside(path) as temporary:
        write(temporary)
        _fsync(temporary)
        mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
        os.chmod(temporary, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    _fsync(path.parent, directory=True)


def keep_backup(path: Path, folder: Path, *, keep: int) -> Path:
    """Copy `path` into `folder` as name.YYYYmmdd-HHMMSS-ffffff.suffix; keep the newest `keep`."""
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    backup = folder / f"{path.stem}.{stamp}{path.suffix}"
    atomic_write(backup, lambda temporary: shutil.copyfile(path, temporary))
    # Only this workbook's backups: "okrs.*.xlsx" would also match those of okrs.v2.xlsx.
    own = re.compile(rf"{re.escape(path.stem)}\.\d{{8}}-\d{{6}}-\d{{6}}{re.escape(path.suffix)}")
    older = sorted(p for p in folder.iterdir() if own.fullmatch(p.name))
    for stale in older[:-keep] if keep > 0 else older:
        stale.unlink(missing_ok=True)
    return backup


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (through links, `..` or another spelling)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)
