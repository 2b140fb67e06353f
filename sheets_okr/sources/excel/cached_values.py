"""Putting back the calculated values of formulas, which openpyxl drops when it saves.

Without them every formula cell reads as "no value" until somebody opens and saves the
file in Excel: a Current computed by a formula would stop the next scheduled sync, and
other readers (pandas, LibreOffice set to never recalculate) would see blanks. A sync never
changes the cells people's formulas read, so the values from the file as it was read still
hold; the workbook also asks Excel and LibreOffice to recalculate on open.
"""

from __future__ import annotations

import io
import re
import zipfile

from sheets_okr.sources.excel.cells import sheet_paths

_NS = r"(?:\w+:)?"
# Possessive runs that stop at "<": a long damaged part cannot make them backtrack (60 KB
# took 10 s with plain runs).
_FORMULA = rf"<{_NS}f\b[^<>/]*+/>|<{_NS}f\b[^<>]*+>[^<]*+</{_NS}f>"
# A formula cell with its cached value, in the original file.
_CACHED = re.compile(
    rf"<{_NS}c\b([^<>/]*+)>(?:{_FORMULA})<{_NS}v>([^<]*+)</{_NS}v></{_NS}c>".encode()
)
# A formula cell whose value openpyxl left empty, in the saved file.
_EMPTY = re.compile(
    rf"<{_NS}c\b([^<>/]*+)>({_FORMULA})(?:<{_NS}v\s*/>|<{_NS}v></{_NS}v>)?</{_NS}c>".encode()
)
_REF = re.compile(rb'\br="([A-Z]{1,3}\d+)"')
_TYPE = re.compile(rb'\s*\bt="[^"]*"')


def _cached_values(xml: bytes) -> dict[bytes, tuple[bytes, bytes]]:
    """Cell reference -> (type attribute, cached value) of every formula cell with a value."""
    found: dict[bytes, tuple[bytes, bytes]] = {}
    for match in _CACHED.finditer(xml):
        ref = _REF.search(match.group(1))
        if ref is not None:
            kind = re.search(rb'\bt="([^"]*)"', match.group(1))
            found[ref.group(1)] = (kind.group(1) if kind else b"", match.group(2))
    return found


def _restore(xml: bytes, cached: dict[bytes, tuple[bytes, bytes]]) -> bytes:
    def put_back(match: re.Match[bytes]) -> bytes:
        attributes, formula = match.group(1), match.group(2)
        ref = _REF.search(attributes)
        if ref is None or ref.group(1) not in cached:
            return match.group(0)
        kind, value = cached[ref.group(1)]
        attributes = _TYPE.sub(b"", attributes) + (b' t="' + kind + b'"' if kind else b"")
        tag = match.group(0)[1 : match.group(0).index(b"c") + 1]  # c, or x:c with a prefix
        prefix = tag[:-1]
        return b"<%s%s>%s<%sv>%s</%sv></%s>" % (
            tag,
            attributes,
            formula,
            prefix,
            value,
            prefix,
            tag,
        )

    return _EMPTY.sub(put_back, xml)


def restore_cached_values(saved: bytes, original: bytes) -> bytes:
    """The saved workbook with the original's formula values put back where they are missing."""
    with zipfile.ZipFile(io.BytesIO(original)) as before:
        original_parts = sheet_paths(before)
        cached = {
            name: values
            for name, part in original_parts.items()
            if part in before.namelist() and (values := _cached_values(before.read(part)))
        }
    if not cached:
        return saved
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(saved)) as after,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as rebuilt,
    ):
        saved_parts = {part: name for name, part in sheet_paths(after).items()}
        for info in after.infolist():
            data = after.read(info.filename)
            name = saved_parts.get(info.filename)
            if name in cached:
                data = _restore(data, cached[name])
            rebuilt.writestr(info, data)
    return output.getvalue()
