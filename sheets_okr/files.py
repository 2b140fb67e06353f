"""Writing files so that a crash or a kill leaves the old file or the new one, never half."""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import logging
import os
import re
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

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


@contextlib.contextmanager
def _temporary_beside(path: Path) -> Iterator[Path]:
    """A temporary file in the target's folder (a rename across folders is not atomic).

    mkstemp makes it 0600 at once, so content meant to be private is never readable by
    others, not even for the moment before the final mode is set.
    """
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as error:
        friendly = folder_error(error, path)
        if friendly is None:
            raise
        raise friendly from error
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


def _remove_stale_temporaries(path: Path) -> None:
    """Temporary files an earlier killed run left beside `path`, older than an hour.

    Never the workbook itself; a run still writing (younger than an hour) is left alone.
    """
    remove_stale_temporaries(path.parent, path.name)


def remove_stale_temporaries(folder: Path, name: str | None = None) -> None:
    """Temporary files (.NAME.*.tmp) killed runs left in `folder`, older than an hour.

    Only those of the file `name`; any file's when `name` is None, for a folder only the
    tool writes in (the backups'). A run still writing (younger than an hour) is left alone.
    """
    pattern = re.compile(rf"\.{re.escape(name)}\.[^.]+\.tmp" if name else r"\..+\.tmp")
    cutoff = dt.datetime.now().timestamp() - STALE_AFTER_SECONDS
    try:
        leftovers = [p for p in folder.iterdir() if pattern.fullmatch(p.name)]
    except OSError:
        return
    for leftover in leftovers:
        # One that cannot be removed (a folder, another user's) must not stop the others.
        with contextlib.suppress(OSError):
            if leftover.is_file() and leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)


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
    _remove_stale_temporaries(path)
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


def keep_backup(path: Path, folder: Path, *, keep: int) -> Path:
    """Copy `path` into `folder` as name.YYYYmmdd-HHMMSS-ffffff.suffix; keep the newest `keep`."""
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        friendly = folder_error(error, folder)
        if friendly is None:
            raise
        raise friendly from error
    backup = backup_path(path, folder)
    atomic_write(backup, lambda temporary: shutil.copyfile(path, temporary))
    prune_backups(path, folder, keep=keep)
    return backup


def backup_path(path: Path, folder: Path) -> Path:
    """Where a backup of `path` taken now goes: folder/name.YYYYmmdd-HHMMSS-ffffff.suffix."""
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S-%f")
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
    than an hour in it go. One that cannot be made is a FolderNotWritable naming it."""
    info = original.stat()
    allowed = _copies_folder_mode(info.st_mode, original.parent.stat().st_mode)
    try:
        folder.mkdir(mode=0o700)  # never more open than allowed, even before the chmod
    except FileExistsError:
        if not folder.is_dir():
            raise FolderNotWritable(
                errno.ENOTDIR, f"cannot keep backups: {folder} is a file, not a folder; move it"
            ) from None
        _tighten(folder, allowed, info.st_gid)
    except OSError as error:
        friendly = folder_error(error, folder)
        if friendly is None:
            raise
        raise friendly from error
    else:
        _give_group(folder, info.st_gid)
        os.chmod(folder, allowed)
    remove_stale_temporaries(folder)


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


def _tighten(folder: Path, allowed: int, group: int) -> None:
    info = folder.stat()
    mode = stat.S_IMODE(info.st_mode)
    tight = mode & ~(mode & 0o777 & ~allowed)
    if hasattr(os, "geteuid") and os.geteuid() not in (0, info.st_uid):
        if tight != mode:  # only its owner may change it
            log.warning("%s is more open than its files (mode %o); make it %o", folder, mode, tight)
        return
    if info.st_gid != group:
        _give_group(folder, group)
    if tight != mode:
        log.info("%s was more open than its files: mode %o is now %o", folder, mode, tight)
        os.chmod(folder, tight)


def _give_group(path: Path, group: int) -> None:
    if not hasattr(os, "chown"):
        return
    try:
        os.chown(path, -1, group)
    except OSError as error:
        log.warning(
            "%s keeps its group: this user may not give it group %d (%s)", path, group, error
        )


def give_owner(target: Path, like: os.stat_result, *, name: Path) -> None:
    """Give `target` the owner and group `like` has, as far as this user may (any group of
    theirs; another owner only as root); a warning names the file `name` when not."""
    if not hasattr(os, "chown"):
        return
    wanted = (like.st_uid, like.st_gid)
    try:
        os.chown(target, *wanted)
        return
    except OSError:
        pass
    with contextlib.suppress(OSError):
        os.chown(target, -1, like.st_gid)
    info = target.stat()
    if (info.st_uid, info.st_gid) != wanted:
        log.warning(
            "%s now belongs to %d:%d instead of %d:%d: this user may not keep its owner or"
            " group; its owner or root can change them back with chown",
            name, info.st_uid, info.st_gid, *wanted,
        )  # fmt: skip


def same_file(first: Path, second: Path) -> bool:
    """Whether two paths name one file (through links, `..` or another spelling)."""
    try:
        return os.path.samefile(first, second)
    except OSError:
        return os.path.realpath(first) == os.path.realpath(second)
