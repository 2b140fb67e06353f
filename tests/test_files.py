"""atomic_write: the old file or the new one, never half, and no temporary files left over."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import shutil
import stat
import subprocess
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_okr import files
from sheets_okr.cli import cli
from sheets_okr.files import (
    STALE_AFTER_SECONDS,
    FolderNotWritable,
    atomic_write,
    backup_path,
    remove_stale_temporaries,
)
from tests.support.workbooks import small_rows, write_workbook


@pytest.fixture(name="umask")
def _umask() -> Iterator[int]:
    """A known umask (022) for the duration of a test."""
    previous = os.umask(0o022)
    try:
        yield 0o022
    finally:
        os.umask(previous)


def _writer(content: bytes, seen: list[Path] | None = None) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        if seen is not None:
            seen.append(path)
        path.write_bytes(content)

    return write


def test_atomic_write_creates_the_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    """The content lands in place and the folder holds only the target afterwards."""
    target = tmp_path / "okrs.xlsx"
    atomic_write(target, _writer(b"new"))
    assert target.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["okrs.xlsx"]


def test_atomic_write_writes_beside_the_target_first(tmp_path: Path) -> None:
    """The writer gets a hidden temporary file in the target's folder, not the target."""
    target = tmp_path / "okrs.xlsx"
    seen: list[Path] = []
    atomic_write(target, _writer(b"new", seen))
    (temporary,) = seen
    assert temporary.parent == tmp_path
    assert temporary != target
    assert temporary.name.startswith(".okrs.xlsx.")
    assert not temporary.exists()


@pytest.mark.parametrize("mode", [0o600, 0o640, 0o644, 0o664, 0o755])
def test_atomic_write_keeps_the_mode_of_the_file_it_replaces(tmp_path: Path, mode: int) -> None:
    """A replaced file keeps its permission bits."""
    target = tmp_path / "okrs.xlsx"
    target.write_bytes(b"old")
    os.chmod(target, mode)
    atomic_write(target, _writer(b"new"))
    assert target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir()] == ["okrs.xlsx"]


def test_atomic_write_gives_a_new_file_the_umask_mode(tmp_path: Path, umask: int) -> None:
    """A new file gets 0666 minus the umask (0644 under 022), like any file the user creates."""
    target = tmp_path / "okrs.xlsx"
    atomic_write(target, _writer(b"new"))
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask


def test_failed_write_keeps_the_old_file_and_cleans_up(tmp_path: Path) -> None:
    """When the writer raises, the original stays untouched and no temporary file remains."""
    target = tmp_path / "okrs.xlsx"
    target.write_bytes(b"old")

    def fail(path: Path) -> None:
        path.write_bytes(b"half")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        atomic_write(target, fail)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["okrs.xlsx"]


def test_failed_write_of_a_new_file_leaves_nothing(tmp_path: Path) -> None:
    """When the writer raises and there was no file, there is still none afterwards."""

    def fail(path: Path) -> None:
        raise OSError("no space left")

    with pytest.raises(OSError, match="no space"):
        atomic_write(tmp_path / "okrs.xlsx", fail)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_accepts_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A path relative to the working folder is written there."""
    monkeypatch.chdir(tmp_path)
    atomic_write(Path("okrs.xlsx"), _writer(b"new"))
    assert (tmp_path / "okrs.xlsx").read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["okrs.xlsx"]


def test_atomic_write_through_a_symlink_updates_the_real_file(tmp_path: Path) -> None:
    """A workbook reached through a symlink is replaced where it lives; the link stays a link."""
    real = tmp_path / "shared" / "okrs.xlsx"
    real.parent.mkdir()
    real.write_bytes(b"old")
    os.chmod(real, 0o640)
    link = tmp_path / "okrs.xlsx"
    link.symlink_to(real)
    atomic_write(link, _writer(b"new"))
    assert link.is_symlink()
    assert real.read_bytes() == b"new"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert sorted(p.name for p in real.parent.iterdir()) == ["okrs.xlsx"]


@pytest.mark.parametrize("existing", [None, 0o644])
def test_atomic_write_gives_the_mode_it_is_told(
    tmp_path: Path, umask: int, existing: int | None
) -> None:
    """mode=0o600 makes a new file private, and a file it replaces (even a 0644 one) too."""
    target = tmp_path / "sent.json"
    if existing is not None:
        target.write_bytes(b"old")
        os.chmod(target, existing)
    atomic_write(target, _writer(b"new"), mode=0o600)
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert target.read_bytes() == b"new"


# --- folders that cannot be written --------------------------------------------------------


@contextlib.contextmanager
def unwritable(folder: Path) -> Iterator[Path]:
    """`folder`, made so that no new file can be created in it, then made writable again.

    Tests run as root here, and root ignores permission bits, so chmod 0555 alone proves
    nothing: as root the folder gets the immutable attribute (chattr +i), which refuses
    every new entry with EPERM whoever asks; an ordinary user gets chmod 0555. A probe
    file checks that the folder really refuses; the test is skipped where neither works
    (no chattr, or a file system without attributes).
    """
    if os.geteuid() == 0:
        chattr = shutil.which("chattr")
        if chattr is None:
            pytest.skip("running as root without chattr: no way to make a folder refuse root")
        locked = subprocess.run([chattr, "+i", str(folder)], check=False, capture_output=True)
        if locked.returncode:
            pytest.skip("this file system has no immutable attribute (chattr +i failed)")
        release = [chattr, "-i", str(folder)]
    else:
        os.chmod(folder, 0o555)
        release = []
    try:
        with contextlib.suppress(OSError):
            (folder / ".probe").touch()
            pytest.skip(f"{folder} still takes new files")
        yield folder
    finally:
        if release:
            subprocess.run(release, check=True)
        os.chmod(folder, 0o755)


def test_an_unwritable_folder_is_named_not_the_temporary_file(tmp_path: Path) -> None:
    """atomic_write in a folder that refuses new files raises one sentence naming the folder,
    the file meant and what to do; never the hidden .tmp name."""
    folder = tmp_path / "locked"
    folder.mkdir()
    with unwritable(folder), pytest.raises(FolderNotWritable) as caught:
        atomic_write(folder / "okrs.xlsx", _writer(b"new"))
    message = str(caught.value)
    assert message.startswith(f"cannot write okrs.xlsx: the folder {folder} is not writable (")
    assert "give this user write access to it, or use a folder you can write to" in message
    assert ".tmp" not in message
    assert list(folder.iterdir()) == []


def test_a_folder_that_is_a_file_is_named(tmp_path: Path) -> None:
    """A path whose folder is really a file says so (this refuses root too: no bits involved)."""
    blocker = tmp_path / "okrs.xlsx"
    blocker.write_bytes(b"a workbook")
    with pytest.raises(FolderNotWritable) as caught:
        atomic_write(blocker / "summary.html", _writer(b"page"))
    assert str(caught.value) == (
        f"cannot write summary.html: {blocker} is a file, not a folder; choose a path inside"
        " a folder"
    )


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    """A path in a folder that does not exist says so and names the folder."""
    with pytest.raises(FolderNotWritable) as caught:
        atomic_write(tmp_path / "absent" / "summary.html", _writer(b"page"))
    assert f"the folder {tmp_path / 'absent'} does not exist; create it" in str(caught.value)


def test_sync_in_an_unwritable_folder_names_the_folder(tmp_path: Path) -> None:
    """`sync` of a workbook whose folder refuses new files exits 1 with one sentence naming the
    folder (a sync writes a new copy beside the workbook), and leaves the workbook alone."""
    folder = tmp_path / "shared"
    folder.mkdir()
    workbook = write_workbook(folder / "okrs.xlsx", {"2026-Q4": small_rows()})
    before = workbook.read_bytes()
    with unwritable(folder):
        result = CliRunner().invoke(cli, ["sync", str(workbook), "--as-of", "2026-11-30"])
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        f"sheets-okr: cannot write okrs.xlsx: the folder {folder} is not writable"
        f" ({'operation not permitted' if os.geteuid() == 0 else 'permission denied'});"
        " give this user write access to it, or use a folder you can write to\n"
    )
    assert workbook.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["okrs.xlsx"]


def test_init_in_an_unwritable_folder_names_the_folder(tmp_path: Path) -> None:
    """`init` of a new workbook in a folder that refuses new files exits 1 naming the folder."""
    folder = tmp_path / "shared"
    folder.mkdir()
    with unwritable(folder):
        result = CliRunner().invoke(cli, ["init", str(folder / "okrs.xlsx")])
    assert result.exit_code == 1, result.output
    assert f"cannot write okrs.xlsx: the folder {folder} is not writable" in result.stderr
    assert ".tmp" not in result.stderr


# --- leftovers and backups ------------------------------------------------------------------


def test_a_leftover_renamed_just_now_is_kept_though_its_content_is_old(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A .tmp with an old mtime but renamed just now (a kill after the swap) stays an hour."""
    previous = tmp_path / "okrs.xlsx"
    previous.write_bytes(b"the previous version")
    old = time.time() - STALE_AFTER_SECONDS - 60
    os.utime(previous, (old, old))  # the workbook's own, old modification time
    leftover = tmp_path / ".okrs.xlsx.61gw4rny.tmp"
    os.rename(previous, leftover)  # what the swap does with the previous version
    remove_stale_temporaries(tmp_path, "okrs.xlsx")
    assert leftover.read_bytes() == b"the previous version"
    monkeypatch.setattr(files, "_stale_cutoff", lambda: time.time() + 1)  # an hour later
    remove_stale_temporaries(tmp_path, "okrs.xlsx")
    assert not leftover.exists()


@contextlib.contextmanager
def _local_zone(zone: str) -> Iterator[None]:
    """The process's local time zone set to a POSIX TZ string, then restored."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


def test_backup_names_are_stamped_in_utc(tmp_path: Path) -> None:
    """A backup's name carries UTC, whatever the local zone, so names sort by age all year."""
    with _local_zone("KIR-14"):  # UTC+14: a local stamp would be a day ahead
        name = backup_path(tmp_path / "okrs.xlsx", tmp_path).name
    stamp = dt.datetime.strptime(name, "okrs.%Y%m%d-%H%M%S-%f.xlsx").replace(tzinfo=dt.UTC)
    assert abs(stamp - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)
