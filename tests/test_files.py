"""atomic_write: the old file or the new one, never half, and no temporary files left over."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sheets_okr.files import atomic_write


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
