"""Refusing zip bombs: archives whose parts unpack to far more than any workbook holds.

A few megabytes on disk can unpack to gigabytes (a sheet or shared strings of repeated
bytes, or runs of whitespace between XML tags); python-calamine and openpyxl would unpack
them whole into memory. So before either reader sees the file, every part is measured: its
declared size first (cheap), then the bytes it really unpacks to, counted while inflating in
small pieces and thrown away, since a declared size can lie. The limits are far above any
real tracker (a sheet of a million filled rows unpacks to about 50 MB, ten times smaller than
it is stored at most).
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from pathlib import Path

from sheets_okr.errors import SourceUnreadable

MB = 1024 * 1024
PART_LIMIT = 200 * MB  # what one part may unpack to
TOTAL_LIMIT = 1024 * MB  # what all parts may unpack to together (and the file's own size)
RATIO_LIMIT = 200  # how much larger than stored a part may unpack ...
RATIO_FROM = 10 * MB  # ... once it unpacks to more than this (small parts may compress well)
PARTS_LIMIT = 10_000  # parts in one archive; Excel writes a few dozen

_LOCAL_HEADER = struct.Struct("<4s5H3L2H")  # signature ... name length, extra field length
_LOCAL_SIGNATURE = b"PK\x03\x04"
_PIECE = 64 * 1024  # compressed bytes fed to the inflater at a time
_OUTPUT_PIECE = 1 * MB  # at most this much unpacked output held at a time


def refuse_oversized_file(path: Path, size: int) -> None:
    """Raise before reading a file too large to be a tracker into memory."""
    if size > TOTAL_LIMIT:
        raise SourceUnreadable(
            f"{path} was not read: at {size / MB:,.0f} MB it is far larger than any tracker"
            " (sheets-okr reads up to 1,024 MB); give the workbook that holds the plan."
        )


def refuse_zip_bombs(path: Path, archive: zipfile.ZipFile, data: bytes) -> None:
    """Raise SourceUnreadable when a part of the archive (the bytes `data`) unpacks too large."""
    members = archive.infolist()
    if len(members) > PARTS_LIMIT:
        raise _bomb(path, f"it holds {len(members):,} parts (a workbook has a few dozen)")
    declared = 0
    for info in members:
        declared += info.file_size
        _refuse_sizes(path, info.filename, info.file_size, info.compress_size, declared)
    unpacked = 0
    for info in members:
        stored = _stored_bytes(info, data)
        # Counting stops as soon as a limit is passed: a bomb is never inflated in full.
        ratio_room = max(RATIO_FROM, RATIO_LIMIT * len(stored))
        room = min(PART_LIMIT, TOTAL_LIMIT - unpacked, ratio_room)
        size = _unpacked_size(info, stored, limit=room)
        unpacked += size
        _refuse_sizes(path, info.filename, size, len(stored), unpacked)


def _refuse_sizes(path: Path, name: str, size: int, stored: int, total: int) -> None:
    if size > PART_LIMIT:
        raise _bomb(path, f"its part {name} unpacks to more than {PART_LIMIT // MB} MB")
    if total > TOTAL_LIMIT:
        raise _bomb(path, f"its parts unpack to more than {TOTAL_LIMIT // MB:,} MB in all")
    if size > RATIO_FROM and size > RATIO_LIMIT * max(stored, 1):
        raise _bomb(
            path,
            f"its part {name} unpacks to more than {RATIO_LIMIT} times the {stored:,} bytes it"
            " is stored in, far more than any spreadsheet compresses",
        )


def _bomb(path: Path, why: str) -> SourceUnreadable:
    return SourceUnreadable(
        f"{path} was not read: {why}, so it is damaged or built to exhaust memory (a zip"
        " bomb); check where it came from, and give sheets-okr a copy saved by Excel."
    )


def _stored_bytes(info: zipfile.ZipInfo, data: bytes) -> memoryview:
    """The part's compressed bytes as the archive stores them (after its local header)."""
    start = info.header_offset
    header = data[start : start + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(_LOCAL_SIGNATURE):
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    *_, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    begin = start + _LOCAL_HEADER.size + name_length + extra_length
    return memoryview(data)[begin : begin + info.compress_size]


def _unpacked_size(info: zipfile.ZipInfo, stored: memoryview, *, limit: int) -> int:
    """How many bytes the part inflates to, counted up to just past `limit`."""
    if info.compress_type == zipfile.ZIP_STORED:
        return len(stored)
    if info.compress_type != zipfile.ZIP_DEFLATED:
        # Excel, LibreOffice and Google Sheets only store or deflate; zipfile reports the rest.
        raise NotImplementedError(f"{info.filename} uses compression method {info.compress_type}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    size = 0
    for begin in range(0, len(stored), _PIECE):
        pending = bytes(stored[begin : begin + _PIECE])
        while pending and not inflater.eof:
            size += len(inflater.decompress(pending, _OUTPUT_PIECE))
            if size > limit:
                return size
            pending = inflater.unconsumed_tail
        if inflater.eof:
            break
    return size
