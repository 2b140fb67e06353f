"""Replacing a workbook: a person's save or Excel opening it during a sync is never lost, one
sync at a time, and backups keep the workbook's file and permissions."""

from __future__ import annotations

import errno
import logging
import os
import stat
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sheets_okr import files
from sheets_okr.errors import EXIT_TEMPORARY, TemporaryFailure
from sheets_okr.files import FolderNotWritable
from sheets_okr.sources.excel import replace
from sheets_okr.sources.excel.replace import replace_workbook
from sheets_okr.sources.excel.sync_lock import hold_workbook

BACKUPS = ".sheets-okr-backups"
NOBODY = 65534  # nobody:nogroup on Debian

# A sync in another process: holds the workbook; on "replace" from stdin it replaces the
# workbook; it lets go when stdin ends. It prints "held", "replaced" or "refused".
SYNC = """\
import sys
from pathlib import Path
from sheets_okr.errors import TemporaryFailure
from sheets_okr.sources.excel.replace import replace_workbook
from sheets_okr.sources.excel.sync_lock import hold_workbook
path = Path(sys.argv[1])
try:
    with hold_workbook(path, wait=float(sys.argv[2])):
        print("held", flush=True)
        for line in sys.stdin:
            snapshot = path.read_bytes()
            replace_workbook(path, snapshot, lambda t: t.write_bytes(b"by the other sync"),
                             backups=1, backup_folder=path.parent / ".sheets-okr-backups")
            print("replaced", flush=True)
except TemporaryFailure:
    print("refused", flush=True)
"""


@pytest.fixture(name="workbook")
def _workbook(tmp_path: Path) -> Path:
    """okrs.xlsx (0600) holding b"old", alone in a folder of its own."""
    path = tmp_path / "okrs.xlsx"
    path.write_bytes(b"old")
    os.chmod(path, 0o600)
    return path


def _replace(path: Path, content: bytes = b"new", *, backups: int = 3) -> None:
    """One sync's write: the workbook as read now becomes `content`."""
    replace_workbook(
        path,
        path.read_bytes(),
        lambda temporary: temporary.write_bytes(content),
        backups=backups,
        backup_folder=path.parent / BACKUPS,
    )


def _save_as_excel_does(path: Path, content: bytes) -> None:
    """Excel writes a new file beside the workbook and renames it over the workbook."""
    saved = path.with_name("A1B2C3D4")
    saved.write_bytes(content)
    os.replace(saved, path)


def _backups(path: Path) -> list[Path]:
    folder = path.parent / BACKUPS
    return sorted(folder.iterdir()) if folder.exists() else []


def _names(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()}


def _stale_from_here(monkeypatch: pytest.MonkeyPatch) -> None:
    """Files touched before this call count as a killed run's leftovers, those after as a run
    still writing: a file's ctime cannot be set back, so the cutoff is moved instead."""
    time.sleep(0.05)  # past the coarse clock the filesystem stamps files with
    cutoff = time.time()
    time.sleep(0.05)
    monkeypatch.setattr(files, "_stale_cutoff", lambda: cutoff)


def _at_the_last_moment(monkeypatch: pytest.MonkeyPatch, action: Callable[[], object]) -> None:
    monkeypatch.setattr(replace, "_before_swap", action)


def test_a_save_just_before_the_swap_is_kept_and_nothing_is_written(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A person's save after the last check stays in place, untouched; the sync exits 75."""
    snapshot = workbook.read_bytes()
    _at_the_last_moment(monkeypatch, lambda: _save_as_excel_does(workbook, b"person"))
    with pytest.raises(TemporaryFailure, match="changed while sheets-okr") as caught:
        replace_workbook(
            workbook,
            snapshot,
            lambda temporary: temporary.write_bytes(b"new"),
            backups=3,
            backup_folder=workbook.parent / BACKUPS,
        )
    assert caught.value.exit_code == EXIT_TEMPORARY
    assert workbook.read_bytes() == b"person"
    assert all(backup.read_bytes() != b"person" for backup in _backups(workbook))
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS}


def test_a_save_during_the_undo_stays_in_place(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A second save landing between the swap and the swap back is the file left in place."""
    exchange = replace._exchange
    calls: list[int] = []

    def exchange_with_a_save_in_between(first: Path, second: Path) -> None:
        calls.append(1)
        if len(calls) == 2:  # the undo's first exchange
            _save_as_excel_does(workbook, b"second save")
        exchange(first, second)

    monkeypatch.setattr(replace, "_exchange", exchange_with_a_save_in_between)
    _at_the_last_moment(monkeypatch, lambda: _save_as_excel_does(workbook, b"first save"))
    with pytest.raises(TemporaryFailure):
        replace_workbook(
            workbook, b"old", lambda t: t.write_bytes(b"new"), backups=0, backup_folder=Path("x")
        )
    assert workbook.read_bytes() == b"second save"
    assert _names(workbook.parent) == {"okrs.xlsx"}


def test_a_lock_file_appearing_before_the_swap_stops_it(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel opening the workbook after the last check: the original stays, same file."""
    inode = workbook.stat().st_ino
    lock = workbook.with_name("~$okrs.xlsx")
    _at_the_last_moment(monkeypatch, lambda: lock.write_bytes(b"user"))
    with pytest.raises(TemporaryFailure, match=r"opened in Excel.*~\$okrs\.xlsx"):
        _replace(workbook)
    assert workbook.read_bytes() == b"old"
    assert workbook.stat().st_ino == inode
    assert _backups(workbook) == []
    assert _names(workbook.parent) == {"okrs.xlsx", "~$okrs.xlsx", BACKUPS}


def test_the_replaced_file_is_the_backup_itself(workbook: Path) -> None:
    """The new bytes are in place; the backup is the original file (same inode, mode 0600)."""
    inode = workbook.stat().st_ino
    _replace(workbook)
    assert workbook.read_bytes() == b"new"
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o600
    (backup,) = _backups(workbook)
    assert backup.read_bytes() == b"old"
    assert backup.stat().st_ino == inode
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    assert backup.name.startswith("okrs.")
    assert backup.suffix == ".xlsx"
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS}


def test_only_the_newest_backups_are_kept(workbook: Path) -> None:
    """With backups=2, four syncs leave the two versions before the last two writes."""
    for version in (b"v1", b"v2", b"v3", b"v4"):
        _replace(workbook, version, backups=2)
    assert [backup.read_bytes() for backup in _backups(workbook)] == [b"v2", b"v3"]


def test_no_backups_makes_no_backup_folder(workbook: Path) -> None:
    """backups=0: the old file is deleted and no folder is made."""
    _replace(workbook, backups=0)
    assert workbook.read_bytes() == b"new"
    assert _names(workbook.parent) == {"okrs.xlsx"}


def test_a_failed_write_leaves_the_workbook_and_no_temporary_file(workbook: Path) -> None:
    """The writer raising: the original is untouched and the folder as it was."""

    def fail(temporary: Path) -> None:
        temporary.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError):
        replace_workbook(workbook, b"old", fail, backups=0, backup_folder=Path("x"))
    assert workbook.read_bytes() == b"old"
    assert _names(workbook.parent) == {"okrs.xlsx"}


def test_a_symlinked_workbook_keeps_its_link(workbook: Path) -> None:
    """The file the link points to is replaced; the link stays a link."""
    link = workbook.with_name("link.xlsx")
    link.symlink_to(workbook.name)
    replace_workbook(
        link,
        b"old",
        lambda t: t.write_bytes(b"new"),
        backups=1,
        backup_folder=workbook.parent / BACKUPS,
    )
    assert link.is_symlink()
    assert workbook.read_bytes() == b"new"
    assert [b.read_bytes() for b in _backups(workbook)] == [b"old"]


@pytest.mark.parametrize(
    ("workbook_mode", "folder_mode", "backups_mode"),
    [
        (0o600, 0o755, 0o700),
        (0o664, 0o775, 0o775),
        (0o640, 0o755, 0o750),
        (0o640, 0o777, 0o770),
        (0o644, 0o700, 0o700),
    ],
)
def test_the_backup_folder_is_no_more_open_than_the_workbook(
    tmp_path: Path, workbook_mode: int, folder_mode: int, backups_mode: int
) -> None:
    """Per class, the folder's bits only where the workbook grants that class read."""
    folder = tmp_path / "team"
    folder.mkdir()
    os.chmod(folder, folder_mode)
    path = folder / "okrs.xlsx"
    path.write_bytes(b"old")
    os.chmod(path, workbook_mode)
    _replace(path)
    assert stat.S_IMODE((folder / BACKUPS).stat().st_mode) == backups_mode
    (backup,) = _backups(path)
    assert stat.S_IMODE(backup.stat().st_mode) == workbook_mode
    assert stat.S_IMODE(path.stat().st_mode) == workbook_mode


def test_an_open_backup_folder_is_tightened_and_its_stale_temporaries_go(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An existing 0755 folder becomes 0700 for a 0600 workbook; .x.tmp older than an hour go."""
    folder = workbook.parent / BACKUPS
    folder.mkdir()
    os.chmod(folder, 0o755)
    stale, young = folder / ".x.tmp", folder / ".okrs.20250101-000000-000000.xlsx.abc.tmp"
    stale.write_bytes(b"left by a killed run")
    _stale_from_here(monkeypatch)
    young.write_bytes(b"a run still writing")
    _replace(workbook)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert not stale.exists()
    assert young.exists()


def test_a_file_where_the_backup_folder_goes_stops_before_writing(workbook: Path) -> None:
    """A file named like the backup folder: a sentence naming it, and nothing written."""
    (workbook.parent / BACKUPS).write_bytes(b"")
    with pytest.raises(FolderNotWritable, match="is a file, not a folder"):
        _replace(workbook)
    assert workbook.read_bytes() == b"old"
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS}


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_owner_and_group_are_kept_for_the_workbook_and_its_backup(workbook: Path) -> None:
    """A workbook of nobody:nogroup synced by root stays nobody's, and so does its backup."""
    os.chown(workbook, NOBODY, NOBODY)
    _replace(workbook)
    (backup,) = _backups(workbook)
    for kept in (workbook, backup):
        assert (kept.stat().st_uid, kept.stat().st_gid) == (NOBODY, NOBODY)
    assert (workbook.parent / BACKUPS).stat().st_gid == NOBODY


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs root")
def test_an_owner_that_cannot_be_kept_is_a_warning(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """Where chown is refused (a user who is not root) the log says the owner changed."""
    os.chown(workbook, NOBODY, NOBODY)

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "chown", refuse)
    with caplog.at_level(logging.WARNING):
        _replace(workbook, backups=0)
    assert workbook.read_bytes() == b"new"
    assert f"{workbook} now belongs to 0:0 instead of 65534:65534" in caplog.text


def test_without_the_exchange_the_old_way_still_replaces_and_keeps_a_backup(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """renameat2 refused (EINVAL): checked, linked as the backup, renamed over."""

    def unsupported(first: Path, second: Path) -> None:
        raise OSError(errno.EINVAL, "Invalid argument")

    monkeypatch.setattr(replace, "_exchange", unsupported)
    inode = workbook.stat().st_ino
    _replace(workbook)
    assert workbook.read_bytes() == b"new"
    (backup,) = _backups(workbook)
    assert backup.read_bytes() == b"old"
    assert backup.stat().st_ino == inode
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS}


def test_without_the_exchange_a_save_before_the_check_still_stops_it(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The old way's own check still sees a save made before it."""

    def unsupported(first: Path, second: Path) -> None:
        raise OSError(errno.ENOSYS, "Function not implemented")

    monkeypatch.setattr(replace, "_exchange", unsupported)
    _at_the_last_moment(monkeypatch, lambda: _save_as_excel_does(workbook, b"person"))
    with pytest.raises(TemporaryFailure, match="changed while sheets-okr"):
        replace_workbook(
            workbook, b"old", lambda t: t.write_bytes(b"new"), backups=0, backup_folder=Path("x")
        )
    assert workbook.read_bytes() == b"person"
    assert _names(workbook.parent) == {"okrs.xlsx"}


@pytest.fixture(name="other_sync")
def _other_sync(workbook: Path) -> Iterator[Callable[..., subprocess.Popen[str]]]:
    """Start syncs in other processes; each is ended when the test ends."""
    started: list[subprocess.Popen[str]] = []

    def start(wait: float = 0.0) -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", SYNC, str(workbook), str(wait)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        started.append(process)
        return process

    yield start
    for process in started:
        process.kill()
        process.wait()


def _said(process: subprocess.Popen[str]) -> str:
    assert process.stdout is not None
    return process.stdout.readline().strip()


def _let_go(process: subprocess.Popen[str]) -> None:
    assert process.stdin is not None
    process.stdin.close()


def test_a_second_sync_is_refused_after_its_wait(
    workbook: Path, other_sync: Callable[..., subprocess.Popen[str]]
) -> None:
    """While another process holds the workbook, wait=0.3 ends in exit 75 after ~0.3 s."""
    holder = other_sync()
    assert _said(holder) == "held"
    started = time.monotonic()
    with (
        pytest.raises(TemporaryFailure, match="another sheets-okr sync is writing it"),
        hold_workbook(workbook, wait=0.3),
    ):
        pass
    assert 0.25 < time.monotonic() - started < 2


def test_a_waiting_sync_gets_the_workbook_when_the_first_lets_go(
    workbook: Path, other_sync: Callable[..., subprocess.Popen[str]]
) -> None:
    """With a longer wait the second sync holds the workbook once the first has finished."""
    holder = other_sync()
    assert _said(holder) == "held"
    threading.Timer(0.2, _let_go, [holder]).start()
    with hold_workbook(workbook, wait=5):
        assert holder.wait(timeout=5) == 0


def test_a_sync_waiting_through_a_replace_holds_the_lock_next(
    workbook: Path, other_sync: Callable[..., subprocess.Popen[str]]
) -> None:
    """The first sync replaces the workbook; the waiting one then holds the lock, so a third
    is refused (the lock did not go with the old file, now a backup, nor deadlock)."""
    first = other_sync()
    assert _said(first) == "held"
    holding, done = threading.Event(), threading.Event()

    def second_sync() -> None:
        with hold_workbook(workbook, wait=5):
            holding.set()
            done.wait(timeout=5)

    second = threading.Thread(target=second_sync)
    second.start()
    try:
        assert not holding.wait(timeout=0.3)  # waiting while the first holds
        assert first.stdin is not None
        first.stdin.write("replace\n")
        first.stdin.flush()
        assert _said(first) == "replaced"
        _let_go(first)
        assert holding.wait(timeout=5)
        assert workbook.read_bytes() == b"by the other sync"
        third = other_sync(wait=0.3)
        assert _said(third) == "refused"
    finally:
        done.set()
        second.join(timeout=5)


def test_a_workbook_deleted_during_the_sync_is_not_written_back(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook moved away before the swap: exit 75, no file made in its place."""
    _at_the_last_moment(monkeypatch, workbook.unlink)
    with pytest.raises(TemporaryFailure, match="moved or deleted"):
        _replace(workbook)
    assert _names(workbook.parent) == {BACKUPS}


def test_the_lock_is_a_file_of_its_own_and_the_workbook_is_never_opened(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The lock is .sheets-okr-backups/.okrs.xlsx.lock, as open as the workbook and kept."""
    os.chmod(workbook, 0o660)
    before = workbook.stat()
    opened: list[str] = []
    real_open = os.open

    def spy(path: str | Path, *args: Any, **kwargs: Any) -> int:
        opened.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", spy)
    lock = workbook.parent / BACKUPS / ".okrs.xlsx.lock"
    with hold_workbook(workbook, wait=0):
        assert lock.is_file()
    assert str(workbook) not in opened
    assert str(lock) in opened
    assert stat.S_IMODE(lock.stat().st_mode) == 0o660
    after = workbook.stat()
    assert (after.st_ino, after.st_mtime_ns, after.st_atime_ns) == (
        before.st_ino, before.st_mtime_ns, before.st_atime_ns,
    )  # fmt: skip
    assert lock.is_file()  # never deleted: deleting a lock file races with its next opener


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_named_like_a_workbook_ends_at_once_with_a_usage_error(tmp_path: Path) -> None:
    """`sheets-okr sync pipe.xlsx` on a FIFO exits 2 promptly saying it is no regular file."""
    fifo = tmp_path / "pipe.xlsx"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "sheets_okr", "sync", str(fifo)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2, done.stderr
    assert f"{fifo} is not a regular file" in done.stderr
    assert _names(tmp_path) == {"pipe.xlsx"}


def test_a_symlinked_backup_folder_is_refused_and_its_target_left_alone(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A link named .sheets-okr-backups stops the write; its target keeps its mode and files."""
    target = workbook.parent / "elsewhere"
    target.mkdir()
    os.chmod(target, 0o777)
    (target / ".theirs.tmp").write_bytes(b"not the tool's")
    link = workbook.parent / BACKUPS
    link.symlink_to(target)
    monkeypatch.setattr(files, "_stale_cutoff", lambda: time.time() + 60)  # any .tmp would go
    with (
        caplog.at_level(logging.WARNING),
        hold_workbook(workbook, wait=0),
        pytest.raises(FolderNotWritable) as caught,
    ):
        _replace(workbook)
    assert str(caught.value) == (
        f"cannot keep backups: {link} is a symbolic link; sheets-okr keeps its backups only in"
        " a real folder beside the workbook: remove the link"
    )
    assert "is not locked against a second sync at once" in caplog.text
    assert stat.S_IMODE(target.stat().st_mode) == 0o777
    assert _names(target) == {".theirs.tmp"}
    assert workbook.read_bytes() == b"old"
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS, "elsewhere"}


def test_a_swap_the_folder_refuses_names_the_workbook_and_warns_of_no_owner(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """EPERM at the swap (a sticky folder) names the workbook and its folder, no owner warning."""

    def refused(first: Path, second: Path) -> None:
        raise PermissionError(errno.EPERM, "Operation not permitted", str(first), None, str(second))

    monkeypatch.setattr(replace, "_exchange", refused)
    monkeypatch.setattr(replace, "give_owner", lambda *_, **__: f"{workbook} now belongs to 0:0")
    with caplog.at_level(logging.WARNING), pytest.raises(FolderNotWritable) as caught:
        _replace(workbook)
    message = str(caught.value)
    assert message.startswith(
        f"cannot replace okrs.xlsx: the folder {workbook.parent} does not let this user"
        " replace it (operation not permitted), so nothing was written; sync as the"
        " workbook's owner, or ask for write access to that folder"
    )
    assert ".tmp" not in message
    assert "now belongs to" not in caplog.text
    assert workbook.read_bytes() == b"old"
    assert _names(workbook.parent) == {"okrs.xlsx", BACKUPS}


def test_the_owner_warning_comes_once_the_new_file_is_in_place(
    workbook: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """An owner that could not be kept is logged after the swap, when the new file is there."""
    seen: list[bytes] = []

    def warn_of(record: logging.LogRecord) -> bool:
        seen.append(workbook.read_bytes())
        return True

    monkeypatch.setattr(replace, "give_owner", lambda *_, **__: f"{workbook} now belongs to 0:0")
    replace.log.addFilter(warn_of)
    try:
        with caplog.at_level(logging.WARNING):
            _replace(workbook)
    finally:
        replace.log.removeFilter(warn_of)
    assert f"{workbook} now belongs to 0:0" in caplog.text
    assert seen == [b"new"]
