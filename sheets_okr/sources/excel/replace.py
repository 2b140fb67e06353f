"""Replacing a workbook people also edit: one sync at a time, and no save of theirs lost.

A sync holds an advisory lock on the workbook from its read to its write. The new file is
swapped with the old one in one step (Linux renameat2 RENAME_EXCHANGE), so what comes out
is exactly the file that was in place at that moment: a person's save or an Excel lock
file that came after the last check is seen and the swap undone. Else the file swapped
out is the backup itself (its inode, mode, owner, group). Elsewhere the old way is used:
check, keep a backup, rename over, leaving a window of milliseconds.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import functools
import hashlib
import logging
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

from sheets_okr.errors import TemporaryFailure
from sheets_okr.files import (
    atomic_write,
    backup_path,
    folder_error,
    fsync,
    give_owner,
    make_backup_folder,
    prune_backups,
    remove_stale_temporaries,
)
from sheets_okr.sources.excel.safety import lock_files, refuse_if_changed, refuse_if_open

log = logging.getLogger(__name__)

_POLL_SECONDS = 0.1
_AT_FDCWD = -100  # from <fcntl.h>: paths relative to the current folder
_RENAME_EXCHANGE = 2  # from <linux/fs.h>
# What renameat2 answers where the system or the filesystem cannot exchange.
_NO_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})

_Identity = tuple[int, int]  # (st_dev, st_ino): which file a path names right now


@contextlib.contextmanager
def hold_workbook(path: Path, *, wait: float = 30.0) -> Iterator[None]:
    """Hold this sync's lock on the workbook from its read to its write.

    An flock on the workbook itself, opened read-only: no file is added beside it, and
    Excel and readers are not affected (the lock is advisory; only syncs take it). Another
    sync holding it is waited for up to `wait` seconds, then TemporaryFailure (exit 75). A
    sync replaces the file, so a lock taken on a file that is no longer at `path` is
    dropped and taken again on the new one. A missing workbook is left for the caller's
    read to report. Without fcntl (Windows) nothing is locked.
    """
    path = Path(os.path.realpath(path))
    descriptor = _lock(path, deadline=time.monotonic() + wait)
    try:
        yield
    finally:
        if descriptor is not None:
            os.close(descriptor)  # closing the descriptor releases the lock


def _lock(path: Path, *, deadline: float) -> int | None:
    """An open descriptor of `path` holding its flock, or None where nothing can be locked."""
    if sys.platform == "win32":
        log.debug("no flock on this system: %s is not locked against another sync", path)
        return None
    import fcntl

    while True:
        try:
            descriptor = os.open(path, os.O_RDONLY)
        except OSError as error:
            log.debug("not locking %s: %s (its read reports it)", path, error)
            return None
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            if time.monotonic() >= deadline:
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
        if _identity_of(os.fstat(descriptor)) == _identity(path):
            log.debug("holding %s", path)
            return descriptor
        os.close(descriptor)  # the file was replaced while we waited: lock the new one


def replace_workbook(
    path: Path,
    snapshot: bytes,
    write: Callable[[Path], object],
    *,
    backups: int,
    backup_folder: Path,
) -> None:
    """Put the workbook `write` makes in place of `path`, whose bytes were `snapshot`.

    `write` fills a private temporary file beside `path`, which then gets the original's
    mode, owner and group (a warning says which could not be kept). The two are exchanged
    atomically; if the file taken out is no longer `snapshot` (a person saved) or Excel or
    LibreOffice opened the workbook meanwhile, the exchange is undone, the person's file
    stays in place untouched, and TemporaryFailure (exit 75) says to run again. Otherwise
    that file becomes the newest of `backups` backups in `backup_folder` (none when 0),
    which is made no more open than the workbook allows. A symlink stays; the file it
    points to is replaced. No temporary file is left behind.
    """
    path = Path(os.path.realpath(path))
    try:
        original = path.stat()
    except FileNotFoundError as error:
        raise _vanished(path) from error
    remove_stale_temporaries(path.parent, path.name)
    temporary = _temporary_beside(path)  # first: a folder refusing it is the error to report
    ours: _Identity | None = None  # set once our new file is complete
    try:
        if backups > 0:
            make_backup_folder(backup_folder, path)
        write(temporary)
        fsync(temporary)
        give_owner(temporary, original, name=path)
        os.chmod(temporary, stat.S_IMODE(original.st_mode))
        ours = _identity_of(temporary.stat())
        refuse_if_open(path)
        _before_swap()
        try:
            _exchange(temporary, path)
        except OSError as error:
            if error.errno == errno.ENOENT:
                raise _vanished(path) from error
            if error.errno not in _NO_EXCHANGE:
                raise
            log.debug("no atomic exchange here (%s): a save just before the rename is lost", error)
            _replace_the_old_way(path, snapshot, temporary, original, backups, backup_folder)
        else:
            _keep_or_undo(path, snapshot, temporary, ours, backups, backup_folder)
    finally:
        # After the exchange `temporary` may hold a person's file (an undo that failed):
        # only our own new file is ever deleted.
        if ours is None or _identity(temporary) in (ours, None):
            temporary.unlink(missing_ok=True)
        else:
            log.warning(
                "the previous version of %s is in %s; move it elsewhere to keep it (a hidden"
                " temporary file is deleted after an hour)", path, temporary,
            )  # fmt: skip
    fsync(path.parent, directory=True)
    if backups > 0:
        fsync(backup_folder, directory=True)


def _vanished(path: Path) -> TemporaryFailure:
    return TemporaryFailure(
        f"{path} was moved or deleted while sheets-okr was working on it; nothing was"
        " written. Run again."
    )


def _before_swap() -> None:
    """Nothing. Tests replace it to act at the last moment before the exchange (a person's
    save, Excel opening the workbook): the window the checks after it must close."""


def _keep_or_undo(
    path: Path, snapshot: bytes, temporary: Path, ours: _Identity, backups: int, folder: Path
) -> None:
    """After the exchange `temporary` holds the file that was at `path` at that moment: the
    backup if it is still the one read, else it goes back."""
    try:
        with temporary.open("rb") as taken:
            taken_digest = hashlib.file_digest(taken, "sha256").digest()
        changed = taken_digest != hashlib.sha256(snapshot).digest()
        locks = lock_files(path)
        if not changed and not locks and backups > 0:
            _move_into_backups(temporary, backup_path(path, folder))
    except BaseException:
        _put_back(path, temporary, ours)
        raise
    if changed or locks:
        _put_back(path, temporary, ours)
        raise TemporaryFailure(
            f"{path} changed while sheets-okr was writing it (someone saved it); nothing was"
            " written. Run again to use the new version."
            if changed
            else f"{path} was opened in Excel or LibreOffice while sheets-okr was writing it"
            f" (lock file {locks[0].name}); nothing was written. Close it and run again."
        )
    if backups > 0:
        prune_backups(path, folder, keep=backups)
    else:
        temporary.unlink()


def _move_into_backups(taken: Path, backup: Path) -> None:
    try:
        os.rename(taken, backup)  # the same file: its inode, mode, owner and group
    except OSError as error:
        if error.errno != errno.EXDEV:
            _raise_for_folder(error, backup)
        # A backup folder on another filesystem (a mount point): copy it there.
        _copy_backup(taken, backup, taken.stat())
        taken.unlink()


def _put_back(path: Path, temporary: Path, ours: _Identity) -> None:
    """Undo the exchange: the file taken from `path` goes back untouched; ours is deleted.

    A save landing at `path` between the two exchanges is newer than the file taken; it
    then stays at `path` (Excel's own save would have replaced the older file too).
    """
    if _identity(path) == ours:
        _exchange(temporary, path)
        if _identity(temporary) == ours:
            temporary.unlink()
            return
        _exchange(temporary, path)  # a save landed in between: the newest file back at path
    temporary.unlink()


def _replace_the_old_way(
    path: Path, snapshot: bytes, new: Path, original: os.stat_result, backups: int, folder: Path
) -> None:
    """Check, keep a backup, rename over: a save in the milliseconds between is lost."""
    refuse_if_open(path)
    refuse_if_changed(path, snapshot)
    if backups > 0:
        backup = backup_path(path, folder)
        try:
            os.link(path, backup)  # the same file, not a copy: mode, owner and group kept
        except OSError:
            _copy_backup(path, backup, original)
        prune_backups(path, folder, keep=backups)
    os.replace(new, path)


def _copy_backup(source: Path, backup: Path, original: os.stat_result) -> None:
    """A copy where the file itself cannot be moved or linked, with its mode, owner, group."""

    def copy(temporary: Path) -> None:
        shutil.copy2(source, temporary)
        give_owner(temporary, original, name=backup)

    atomic_write(backup, copy, mode=stat.S_IMODE(original.st_mode))


def _raise_for_folder(error: OSError, path: Path) -> NoReturn:
    """The user's sentence for a folder that cannot be written in; another error as it is."""
    friendly = folder_error(error, path)
    if friendly is None:
        raise error
    raise friendly from error


def _temporary_beside(path: Path) -> Path:
    """A new private (0600) file in the workbook's folder: a rename across folders is not
    atomic, and the workbook's content is never readable by others, not even for a moment."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        _raise_for_folder(error, path)
    os.close(handle)
    return Path(name)


def _exchange(first: Path, second: Path) -> None:
    """Swap what two paths name, in one step (Linux renameat2 with RENAME_EXCHANGE)."""
    renameat2 = _renameat2()
    if renameat2 is None:
        raise OSError(errno.ENOSYS, "renameat2 is not available on this system")
    names = (os.fsencode(first), os.fsencode(second))
    if renameat2(_AT_FDCWD, names[0], _AT_FDCWD, names[1], _RENAME_EXCHANGE) != 0:
        code = ctypes.get_errno()
        raise OSError(code, os.strerror(code), str(first), None, str(second))


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's renameat2 (glibc 2.28+), or None where there is none."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    path_type, folder_type = ctypes.c_char_p, ctypes.c_int  # (olddirfd, oldpath, newdirfd...)
    function.argtypes = [folder_type, path_type, folder_type, path_type, ctypes.c_uint]
    function.restype = ctypes.c_int
    return function


def _identity(path: Path) -> _Identity | None:
    try:
        return _identity_of(os.stat(path))
    except OSError:
        return None


def _identity_of(info: os.stat_result) -> _Identity:
    return (info.st_dev, info.st_ino)
