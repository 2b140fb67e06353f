"""One sync of a workbook at a time: a lock file in the tool's own folder beside it.

The lock is an flock on BACKUP_FOLDER/.NAME.lock, never on the workbook itself: on SMB/CIFS
mounts Linux turns an flock into a mandatory lock, which would fail the sync's own read and
keep Windows users out of the workbook for the whole sync; on NFS an exclusive flock needs
a descriptor opened for writing, which the workbook's must not be; and opening a FIFO named
like a workbook would never return. The lock file is never deleted: a sync deleting it
while another opens it would let a third lock a new file beside the first's.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import stat
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from sheets_okr.errors import TemporaryFailure
from sheets_okr.files import make_backup_folder

log = logging.getLogger(__name__)

# Beside each workbook: its backups and this lock file (the tool's own files, nobody else's).
BACKUP_FOLDER = ".sheets-okr-backups"

_POLL_SECONDS = 0.1
# Why the backup folder could not be made when the workbook's folder takes no new files:
# then this sync cannot write the workbook either, and its write says so in one sentence.
_FOLDER_REFUSED = frozenset({errno.EACCES, errno.EPERM, errno.EROFS})


@contextlib.contextmanager
def hold_workbook(path: Path, *, wait: float = 30.0) -> Iterator[None]:
    """Hold this sync's lock on the workbook from its read to its write.

    Another sync holding it is waited for up to `wait` seconds, then TemporaryFailure
    (exit 75). The lock is advisory: Excel and readers are not affected, only syncs take
    it. Nothing is locked, and the workbook is not opened, when it is missing or not a
    regular file (the caller's read reports it), where there is no flock (Windows), or
    where the lock file cannot be made (a warning says so, unless the sync cannot write
    there anyway).
    """
    path = Path(os.path.realpath(path))
    descriptor = _lock(path, deadline=time.monotonic() + wait)
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)  # closing the descriptor releases the lock


def lock_path(path: Path) -> Path:
    """Where the lock of the workbook at `path` (its real path) is kept."""
    return path.parent / BACKUP_FOLDER / f".{path.name}.lock"


def _lock(path: Path, *, deadline: float) -> int | None:
    """An open descriptor of the lock file holding its flock, or None where none is held."""
    if sys.platform == "win32":
        log.debug("no flock on this system: %s is not locked against another sync", path)
        return None
    import fcntl

    try:
        workbook = path.stat()  # stat only: opening a FIFO would wait for a writer forever
    except OSError as error:
        log.debug("not locking %s: %s (its read reports it)", path, error)
        return None
    if not stat.S_ISREG(workbook.st_mode):
        log.debug("not locking %s: not a regular file (its read reports it)", path)
        return None
    descriptor = _open_lock_file(path, workbook)
    if descriptor is None:
        return None
    while True:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if time.monotonic() >= deadline:
                os.close(descriptor)
                raise TemporaryFailure(
                    f"{path} was not synced: another sheets-okr sync is writing it; run again later"
                ) from None
            time.sleep(_POLL_SECONDS)
            continue
        except OSError as error:  # a filesystem without flock (some network shares)
            os.close(descriptor)
            log.warning(
                "%s cannot be locked (%s): a second sync at once is not stopped", path, error
            )
            return None
        log.debug("holding %s", lock_path(path))
        return descriptor


def _open_lock_file(path: Path, workbook: os.stat_result) -> int | None:
    """The lock file's descriptor, made as open as the workbook (those who may edit the
    workbook may lock it) with its group; None, with the reason logged, where it cannot be."""
    try:
        make_backup_folder(path.parent / BACKUP_FOLDER, path)
    except OSError as error:
        refused = error.errno in _FOLDER_REFUSED
        log.log(
            logging.DEBUG if refused else logging.WARNING,
            "%s is not locked against a second sync at once: %s",
            path, error,
        )  # fmt: skip
        return None
    lock = lock_path(path)
    try:
        descriptor = _open(lock)
    except OSError as error:
        log.warning(
            "%s is not locked against a second sync at once: its lock file %s cannot be"
            " opened (%s); give this user write access to %s, or delete that file so that"
            " sheets-okr makes it again",
            path, lock, error, lock.parent,
        )  # fmt: skip
        return None
    info = os.fstat(descriptor)
    if not stat.S_ISREG(info.st_mode):
        os.close(descriptor)
        log.warning(
            "%s is not locked against a second sync at once: %s is not a regular file;"
            " delete it, and sheets-okr makes a lock file there again",
            path, lock,
        )  # fmt: skip
        return None
    _share_like(descriptor, info, workbook)
    return descriptor


def _open(lock: Path) -> int:
    """O_NOFOLLOW: a link planted in its place is not followed; O_NONBLOCK: nor a FIFO
    waited on. Another user's lock file this user may not write is opened read-only: an
    flock needs no more, except on NFS."""
    flags = os.O_NOFOLLOW | os.O_NONBLOCK
    try:
        return os.open(lock, os.O_RDWR | os.O_CREAT | flags, 0o600)
    except PermissionError:
        if not os.path.lexists(lock):
            raise  # the folder refuses a new file: no other user's lock file to share
        return os.open(lock, os.O_RDONLY | flags)


def _share_like(descriptor: int, info: os.stat_result, workbook: os.stat_result) -> None:
    """Give the lock file the workbook's group and read-write bits, as far as this user may
    (the umask trimmed the mode it was made with; a workbook shared later needs them too)."""
    mode = stat.S_IMODE(workbook.st_mode) & 0o666
    if hasattr(os, "geteuid") and os.geteuid() not in (0, info.st_uid):
        return  # another user's lock file: only its owner may change it
    with contextlib.suppress(OSError):
        if info.st_gid != workbook.st_gid:
            os.fchown(descriptor, -1, workbook.st_gid)
        if stat.S_IMODE(info.st_mode) != mode:
            os.fchmod(descriptor, mode)
