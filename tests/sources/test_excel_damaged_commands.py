"""Damaged workbooks through every command: each ends with an exit code of the contract and
a message, never a traceback (tests/read/test_parse_property.py fuzzes the reader alone).

The damage is what happens to real files: a copy cut short, bytes changed on the way, XML
parts edited by hand or by other programs (control characters, broken tags, far-away cells,
missing parts).
"""

from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.commands import AS_OF, CONTRACT_EXIT_CODES, run
from tests.support.workbooks import sample_workbook_bytes

# sync writes even when some rows cannot be read: the damage must reach the writer too.
COMMANDS = [
    ["score"],
    ["lint"],
    ["report", "-o", "summary.html"],
    ["sync", "--dry-run"],
    ["sync", "--allow-problems"],
]


SAMPLE = sample_workbook_bytes()
with zipfile.ZipFile(io.BytesIO(SAMPLE)) as _archive:
    PARTS = [info.filename for info in _archive.infolist()]

# Edits people's tools make to XML: broken tags, bad characters, cells far away, odd values.
SNIPPETS = [
    b"<", b">", b'"', b"&", b"\xff", b"\x00", b"\x01", b"\x1b", b"", b"x",
    b'<c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c>',
    b'<row r="1048576"><c><v>1</v></c></row>',
    b'<dimension ref="A1:XFD1048576"/>', b'<mergeCell ref="A1:XFD1"/>', b'<c r="A1"><f>1+</f></c>',
    b'<c r="B2" t="e"><v>#N/A</v></c>', b"<v>1e999</v>", b"<v>-0</v>", b'<calcPr calcId="1"/>',
    b" " * 1000, b"\xef\xbb\xbf", b"<!-- <c t=\"e\" -->",
]  # fmt: skip


def _with(parts: dict[str, bytes], *, stored: bool = False) -> bytes:
    out = io.BytesIO()
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(out, "w", method) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def _parts() -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(SAMPLE)) as archive:
        return {name: archive.read(name) for name in PARTS}


@st.composite
def damaged_workbooks(draw: st.DrawFn) -> bytes:
    """The sample workbook damaged in one of the ways files get damaged."""
    kind = draw(st.sampled_from(["bytes", "xml", "parts"]))
    if kind == "bytes":  # a copy cut short or changed on the way, possibly of a stored zip
        data = bytearray(_with(_parts(), stored=True) if draw(st.booleans()) else SAMPLE)
        for where, byte in draw(st.lists(st.tuples(st.floats(0, 0.999), st.integers(0, 255)),
                                         max_size=4)):  # fmt: skip
            data[int(where * len(data))] = byte
        cut = draw(st.one_of(st.none(), st.floats(0, 1)))
        return bytes(data if cut is None else data[: int(cut * len(data))])
    parts = _parts()
    if kind == "xml":  # XML edited by hand or by another program
        name = draw(st.sampled_from([p for p in PARTS if p.endswith((".xml", ".rels"))]))
        content = bytearray(parts[name])
        for where, snippet in draw(st.lists(st.tuples(st.floats(0, 0.999),
                                                      st.sampled_from(SNIPPETS)), min_size=1,
                                            max_size=4)):  # fmt: skip
            position = int(where * len(content))
            content[position : position + draw(st.integers(0, 2))] = snippet
        parts[name] = bytes(content)
        return _with(parts)
    for name in draw(st.lists(st.sampled_from(PARTS), max_size=2, unique=True)):
        del parts[name]  # a part lost
    if draw(st.booleans()):
        parts[draw(st.sampled_from(["xl/vbaProject.bin", "customXml/item1.xml", "x.txt"]))] = b""
    return _with(parts)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=damaged_workbooks())
def test_damaged_workbooks_end_every_command_cleanly(data: bytes) -> None:
    """score, lint, report, sync --dry-run and sync on a damaged workbook each end with an exit
    code of the contract and no traceback."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "damaged.xlsx"
        path.write_bytes(data)
        for words in COMMANDS:
            args = [str(Path(folder) / w) if w.endswith(".html") else w for w in words]
            result = run(args[0], str(path), *args[1:], "--as-of", AS_OF)
            assert result.exit_code in CONTRACT_EXIT_CODES, (words, result.output)
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                words,
                repr(result.exception),
            )
            assert "Traceback" not in result.output, (words, result.output)
