"""Writing files so that a crash or a kill leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import re
import stat
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NoReturn

log = logging.getLogger(__name__)

# Refusals that mean "this folder cannot be written", whoever runs the tool.
_NOT_WRITABLE = {
    errno.EACCES: "permission denied",
    errno.EPERM: "operation not permitted",
    errno.EROFS: "read-only file system",
}


class FolderNotWritable(OSError):
    """A file cannot be made in its folder; str() is the whole sentence for the user.

    An OSError, not a SheetsOkrError: this module sits beside errors.py in the bottom layer
    and may not import it (tests/test_layers.py), and every caller already reports an
    OSError as a failed operation (exit 1). No filename is set, so no caller prefixes the
    hidden temporary file's name, which means nothing to the user.
    """

    def __str__(self) -> str:
        return str(self.strerror)


def folder_error(error: OSError, path: Path) -> FolderNotWritable | None:
    """The user's error for a file that cannot be made in its folder, naming the folder and
    what to do; None for another failure (a full disk...), which keeps its own text."""
    folder = path.parent
    reason = _NOT_WRITABLE.get(error.errno or 0)
    if reason is not None:
        message = (
            f"cannot write {path.name}: the folder {folder} is not writable ({reason});"
            " give this user write access to it, or use a folder you can write to"
        )
    elif error.errno == errno.ENOENT and not folder.exists():
        message = (
            f"cannot write {path.name}: the folder {folder} does not exist; create it"
            " first, or choose a path in a folder that exists"
        )
    elif error.errno == errno.ENOTDIR:
        blocker = next((p for p in (folder, *folder.parents) if p.exists()), folder)
        message = (
            f"cannot write {path.name}: {blocker} is a file, not a folder; choose a"
            " path inside a folder"
        )
    else:
        return None
    return FolderNotWritable(error.errno, message)


def raise_for_folder(error: OSError, path: Path) -> NoReturn:
    """The user's sentence for a folder that cannot be written in; another error as it is."""
    friendly = folder_error(error, path)
    if friendly is None:
        raise error
    raise friendly from error


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary file in the target's folder (a rename across folders is not atomic).

    mkstemp makes it 0600 at once, so content meant to be private is never readable by
    others, not even for the moment before the final mode is set.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        raise_for_folder(error, path)
    os.close(handle)
    temporary = Path(name)
    try:
        yield temporary
    finally:
        temporary.unlink(missing_ok=True)


def fsync(path: Path, *, directory: bool = False) -> None:
    """Push a file (or a folder's list of names) to the disk; skipped where it cannot be."""
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


def remove_stale_temporaries(folder: Path, name: str | None = None) -> None:
    """Temporary files (.NAME.*.tmp) killed runs left in `folder`, untouched for an hour.

    Only those of the file `name`; any file's when `name` is None, for a folder only the
    tool writes in (the backups'). A run still writing (younger than an hour) is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(name)}\.[^.]+\.tmp" if name else r"\..+\.tmp")
    cutoff = _stale_cutoff()
    try:
        leftovers = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return
    for leftover in leftovers:
        # One that cannot be removed (a folder, another user's) must not stop the others.
        with contextlib.suppress(OSError):
            info = leftover.lstat()  # a link or a folder is not the tool's: left alone
            # ctime too: the previous version a kill left just after a swap keeps the
            # workbook's old mtime, but the rename that put it there set its ctime.
            if stat.S_ISREG(info.st_mode) and max(info.st_mtime, info.st_ctime) < cutoff:
                leftover.unlink(missing_ok=True)


def _stale_cutoff() -> float:
    """A temporary file untouched since this moment is a killed run's leftover."""
    return time.time() - STALE_AFTER_SECONDS


def atomic_write(
    path: Path,
    write: Callable[[Path], object],
    *,
    before_replace: Callable[[], None] | None = None,
    mode: int | None = None,
) -> None:
    """Call `write` on a temporary file beside `path`, then move it into place atomically.

    `before_replace` runs after the new file is complete and may raise to cancel: the last
    checks (locks, changes) and the backup happen as late as possible. The new file keeps
    the permissions of the file it replaces, or gets the umask's for a new file; `mode`
    (such as 0o600 for a private file) is used instead in both cases. A symlink is
    followed: the file it points to is replaced and the link stays. A folder that cannot
    be written is a SheetsOkrError naming the folder.
    """
    path = Path(os.path.realpath(path))
    remove_stale_temporaries(path.parent, path.name)  # never the file itself
    with _temporary_beside(path) as temporary:
        write(temporary)
        fsync(temporary)
        if mode is None:
            mode = path.stat().st_mode & 0o7777 if path.exists() else _default_mode()
        os.chmod(temporary, mode)
        if before_replace is not None:
            before_replace()
        os.replace(temporary, path)
    fsync(path.parent, directory=True)


def backup_path(path: Path, folder: Path) -> Path:
    """Where a backup of `path` taken now goes: folder/name.YYYYmmdd-HHMMSS-ffffff.suffix,
    stamped in UTC: local time goes back an hour once a year, and the names must sort by
    age, since prune_backups keeps the last ones in name order."""
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S-%f")
    return folder / f"{path.stem}.{stamp}{path.suffix}"


def prune_backups(path: Path, folder: Path, *, keep: int) -> None:
    """Delete all but the newest `keep` backups of `path` in `folder` (the stamps sort by age)."""
    # Only this workbook's backups: "okrs.*.xlsx" would also match those of okrs.v2.xlsx.
    own = re.compile(rf"{re.escape(path.stem)}\.\d{{8}}-\d{{6}}-\d{{6}}{re.escape(path.suffix)}")
    older = sorted(p for p in folder.iterdir() if own.fullmatch(p.name))
    for stale in older[:-keep] if keep > 0 else older:
        stale.unlink(missing_ok=True)


def make_backup_folder(folder: Path, original: Path) -> None:
    """Make `folder` for copies of `original`, or tighten it: no one may read a copy there
    who may not read `original` itself. Its group is the original's; temporary files older
    than an hour in it go. One that cannot be made, or is a symbolic link (whose target
    would be changed and emptied), is a FolderNotWritable naming it."""
    info = original.stat()
    allowed = _copies_folder_mode(info.st_mode, original.parent.stat().st_mode)
    try:
        folder.mkdir(mode=0o700)  # never more open than allowed, even before the chmod
        made = True
    except FileExistsError:
        made = False
    except OSError as error:
        raise_for_folder(error, folder)
    handle = _open_folder(folder)
    try:
        if made:
            _give_group(handle, folder, info.st_gid)
            os.chmod(handle, allowed)
        else:
            _tighten(handle, folder, allowed, info.st_gid)
    finally:
        if isinstance(handle, int):
            os.close(handle)
    remove_stale_temporaries(folder)


def _open_folder(folder: Path) -> int | Path:
    """The folder itself, never what a link in its place points to: a descriptor opened
    without following links, or the path where folders cannot be opened (Windows)."""
    try:
        if folder.is_symlink():
            raise OSError(errno.ELOOP, "a symbolic link", str(folder))
        if hasattr(os, "O_DIRECTORY"):  # O_NOFOLLOW: no link made since the check either
            return os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
        if not folder.is_dir():
            raise OSError(errno.ENOTDIR, "not a folder", str(folder))
        return folder
    except OSError as error:
        if error.errno not in (errno.ELOOP, errno.ENOTDIR):
            raise
        message = (
            f"{folder} is a symbolic link; sheets-okr keeps its backups only in a real folder"
            " beside the workbook: remove the link"
            if error.errno == errno.ELOOP
            else f"{folder} is a file, not a folder; move it"
        )
        raise FolderNotWritable(error.errno, f"cannot keep backups: {message}") from error


def _copies_folder_mode(file_mode: int, folder_mode: int) -> int:
    """Per class (group, other), the file's folder's bits, kept only when the file grants
    that class read. The owner always has rwx: it writes the copies."""
    mode = 0o700
    for read, bits in ((stat.S_IRGRP, 0o070), (stat.S_IROTH, 0o007)):
        if file_mode & read:
            mode |= folder_mode & bits
    if mode & 0o070:
        mode |= folder_mode & stat.S_ISGID  # a shared folder's new files keep its group
    return mode


def _tighten(handle: int | Path, folder: Path, allowed: int, group: int) -> None:
    info = os.stat(handle)
    mode = stat.S_IMODE(info.st_mode)
    tight = mode & ~(mode & 0o777 & ~allowed)
    if hasattr(os, "geteuid") and os.geteuid() not in (0, info.st_uid):
        if tight != mode:  # only its owner may change it
            log.warning("%s is more open than its files (mode %o); make it %o", folder, mode, tight)
        return
    if info.st_gid != group:
        _give_group(handle, folder, group)
    if tight != mode:
        log.info("%s was more open than its files: mode %o is now %o", folder, mode, tight)
        os.chmod(handle, tight)


def _give_group(handle: int | Path, name: Path, group: int) -> None:
    if not hasattr(os, "chown"):
        return
    try:
        os.chown(handle, -1, group)
    except OSError as error:
        log.warning(
            "%s keeps its group: this user may not give it group %d (%s)", name, group, error
        )


def give_owner(target: Path, like: os.stat_result, *, name: Path) -> str | None:
    """Give `target` the owner and group `like` has, as far as this user may (any group of
    theirs; another owner only as root). A link is not followed. Returns the warning naming
    the file `name` when they could not be kept, for the caller to log once that file is in
    place (before, nothing has changed for anyone)."""
    if not hasattr(os, "chown"):
        return None
    wanted = (like.st_uid, like.st_gid)
    try:
        os.chown(target, *wanted, follow_symlinks=False)
        return None
    except OSError:
        pass
    with contextlib.suppress(OSError):
        os.chown(target, -1, like.st_gid, follow_symlinks=False)
    info = os.stat(target, follow_symlinks=False)
    if (info.st_uid, info.st_gid) == wanted:
        return None
    return (
        f"{name} now belongs to {info.st_uid}:{info.st_gid} instead of {wanted[0]}:{wanted[1]}:"
        " this user may not keep its owner or group; its owner or root can change them back"
        " with chown"
    )


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (through links, `..` or another spelling)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)
