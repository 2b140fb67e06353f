"""Replacing a workbook people also edit: no save of theirs lost.

A sync holds its lock from its read to its write (sync_lock.py). The new file is
swapped with the old one in one step (Linux renameat2 RENAME_EXCHANGE), so what comes out
is exactly the file that was in place at that moment: a person's save or an Excel lock
file that came after the last check is seen and the swap undone. Else the file swapped
out is the backup itself (its inode, mode, owner, group). Elsewhere the old way is used:
check, keep a backup, rename over, leaving a window of milliseconds.
"""

from __future__ import annotations

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
from collections.abc import Callable
from pathlib import Path
from typing import NoReturn

from sheets_okr.errors import TemporaryFailure
from sheets_okr.files import (
    FolderNotWritable,
    atomic_write,
    backup_path,
    fsync,
    give_owner,
    make_backup_folder,
    prune_backups,
    raise_for_folder,
    remove_stale_temporaries,
)
from sheets_okr.sources.excel.safety import lock_files, refuse_if_changed, refuse_if_open

log = logging.getLogger(__name__)

_AT_FDCWD = -100  # from <fcntl.h>: paths relative to the current folder
_RENAME_EXCHANGE = 2  # from <linux/fs.h>
# What renameat2 answers where the system or the filesystem cannot exchange.
_NO_EXCHANGE = frozenset({errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP})
# What a folder answers when this user may not replace the workbook in it: a sticky folder
# (only a file's owner may), an immutable file or folder, a read-only disk.
_REFUSED = frozenset({errno.EPERM, errno.EACCES, errno.EROFS})

_Identity = tuple[int, int]  # (st_dev, st_ino): which file a path names right now


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
    mode, owner and group (once it is in place, a warning says which could not be kept;
    a folder refusing the swap is a FolderNotWritable naming it). The two are exchanged
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
    owner_lost: str | None = None
    try:
        if backups > 0:
            make_backup_folder(backup_folder, path)
        write(temporary)
        fsync(temporary)
        owner_lost = give_owner(temporary, original, name=path)
        os.chmod(temporary, stat.S_IMODE(original.st_mode))
        ours = _identity_of(temporary.stat())
        refuse_if_open(path)
        _before_swap()
        try:
            _exchange(temporary, path)
        except OSError as error:
            if error.errno not in _NO_EXCHANGE:
                _raise_for_swap(error, path)
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
    if owner_lost is not None:  # only now: before the new file was in place, nothing changed
        log.warning("%s", owner_lost)
    fsync(path.parent, directory=True)
    if backups > 0:
        fsync(backup_folder, directory=True)


def _vanished(path: Path) -> TemporaryFailure:
    return TemporaryFailure(
        f"{path} was moved or deleted while sheets-okr was working on it; nothing was"
        " written. Run again."
    )


def _raise_for_swap(error: OSError, path: Path) -> NoReturn:
    """The user's sentence for a swap that failed, naming the workbook, not the temporary file."""
    if error.errno == errno.ENOENT:
        raise _vanished(path) from error
    if error.errno not in _REFUSED:
        raise error
    reason = os.strerror(error.errno).lower()
    raise FolderNotWritable(
        error.errno,
        f"cannot replace {path.name}: the folder {path.parent} does not let this user replace"
        f" it ({reason}), so nothing was written; sync as the workbook's owner, or ask for"
        " write access to that folder (with the sticky bit set, only a file's owner may"
        " replace it)",
    ) from error


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
            raise_for_folder(error, backup)
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
    try:
        os.replace(new, path)
    except OSError as error:
        _raise_for_swap(error, path)


def _copy_backup(source: Path, backup: Path, original: os.stat_result) -> None:
    """A copy where the file itself cannot be moved or linked, with its mode, owner, group
    (the owner given once it is in place: until then its mode keeps it as private)."""
    atomic_write(backup, lambda temporary: shutil.copy2(source, temporary),
                 mode=stat.S_IMODE(original.st_mode))  # fmt: skip
    owner_lost = give_owner(backup, original, name=backup)
    if owner_lost is not None:
        log.warning("%s", owner_lost)


def _temporary_beside(path: Path) -> Path:
    """A new private (0600) file in the workbook's folder: a rename across folders is not
    atomic, and the workbook's content is never readable by others, not even for a moment."""
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise_for_folder(error, path)
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
