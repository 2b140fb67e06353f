"""Zip bombs shaped as workbooks: a few megabytes on disk that unpack to gigabytes. Each is
refused with one sentence before python-calamine unpacks it; the command runs in a process
of its own under 1 GB of memory, so that a regression fails the test, not the machine."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.support.commands import score
from tests.support.workbook_parts import MAIN_NS, SHEET, plan, register_shared_strings
from tests.support.zip_bombs import MB, Member, declaring, deflated, repeated, with_parts

BOMB_MEMORY = 1024 * MB  # a refusal needs a fraction of this; unpacking any bomb, far more


def shared_strings(megabytes: int) -> Member:
    """Shared strings as Excel writes them, one string being `megabytes` MB of letters."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="%s" count="1"'
        b' uniqueCount="1"><si><t xml:space="preserve">' % MAIN_NS
    )
    return repeated(head, b"A", megabytes, b"</t></si></sst>")


def whitespace_sheet(workbook: bytes, megabytes: int) -> Member:
    """The plan's sheet with `megabytes` MB of spaces between its tags."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        head, tail = archive.read(SHEET).split(b"<sheetData>")
    return repeated(head + b"<sheetData>", b" ", megabytes, tail, crc=True)


def bomb(tmp_path: Path, parts: dict[str, Member]) -> Path:
    """The plan with some parts replaced by bombs; shared strings are registered first, as
    Excel registers them (a bomb is never unpacked to edit the archive)."""
    base = plan(tmp_path)
    if "xl/sharedStrings.xml" in parts:
        register_shared_strings(base)
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(with_parts(base.read_bytes(), parts))
    assert path.stat().st_size < 8 * MB
    return path


def assert_bomb_refused(path: Path, *phrases: str) -> None:
    """score exits 1 with one sentence on the bomb, within the timeout and 1 GB of memory."""
    finished = score(path, memory=BOMB_MEMORY)
    assert finished.exit_code == 1, finished.stderr
    (line,) = finished.stderr.splitlines()
    assert line.startswith(f"sheets-okr: {path} was not read: ")
    for phrase in (*phrases, "zip bomb", "a copy saved by Excel"):
        assert phrase in line, (phrase, line)


def test_shared_strings_bomb_is_refused_by_its_declared_size(tmp_path: Path) -> None:
    """Shared strings of 3 GB (3 MB on disk) are refused from the size they declare."""
    path = bomb(tmp_path, {"xl/sharedStrings.xml": shared_strings(3 * 1024)})
    assert_bomb_refused(path, "xl/sharedStrings.xml unpacks to more than 200 MB")


def test_shared_strings_bomb_lying_about_its_size_is_refused_while_unpacking(
    tmp_path: Path,
) -> None:
    """Shared strings declaring 20 KB but unpacking to 3 GB are refused by counting bytes."""
    part = declaring(shared_strings(3 * 1024), 20_000)
    path = bomb(tmp_path, {"xl/sharedStrings.xml": part})
    assert_bomb_refused(path, "xl/sharedStrings.xml unpacks to more than 200 MB")


def test_whitespace_bomb_is_refused_by_its_compression_ratio(tmp_path: Path) -> None:
    """A sheet padded with 150 MB of spaces (under the part limit) is refused for its ratio."""
    workbook = plan(tmp_path).read_bytes()
    path = bomb(tmp_path, {SHEET: whitespace_sheet(workbook, 150)})
    assert_bomb_refused(path, f"{SHEET} unpacks to more than 200 times")


def test_whitespace_bomb_lying_about_its_size_is_refused_while_unpacking(tmp_path: Path) -> None:
    """The same sheet declaring its old, honest size is refused by counting what it unpacks."""
    workbook = plan(tmp_path).read_bytes()
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        honest = archive.getinfo(SHEET).file_size
    path = bomb(tmp_path, {SHEET: declaring(whitespace_sheet(workbook, 150), honest)})
    assert_bomb_refused(path, f"{SHEET} unpacks to more than 200 times")


def test_parts_adding_up_to_more_than_a_gigabyte_are_refused(tmp_path: Path) -> None:
    """Seven pictures declaring 150 MB each (each compressed 150:1) are refused together."""
    picture = declaring(deflated(b"\x89PNG"), 150 * MB, stored=1 * MB)
    parts = {f"xl/media/image{n}.png": picture for n in range(1, 8)}
    assert_bomb_refused(bomb(tmp_path, parts), "its parts unpack to more than 1,024 MB in all")


def test_an_archive_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    """An archive of 10,001 parts (a workbook has a few dozen) is refused."""
    empty = deflated(b"")
    parts = {f"customXml/item{n}.xml": empty for n in range(10_001)}
    assert_bomb_refused(bomb(tmp_path, parts), "parts (a workbook has a few dozen)")
