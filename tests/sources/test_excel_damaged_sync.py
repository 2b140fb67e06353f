"""Sync on 500 workbooks with randomly damaged XML: every one ends with an exit code of the
contract and a sentence, never a traceback, and what it writes reads as well as what it read.

The damage is drawn from a fixed seed, so a failure comes back on every run; the edits are
those of tests/sources/test_excel_damaged_commands.py (broken tags, bad characters, far-away
cells, odd values) in any XML part, the parts sync patches most of all.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from tests.sources.test_excel_damaged_commands import PARTS, SNIPPETS, _parts, _with
from tests.support.commands import AS_OF, CONTRACT_EXIT_CODES, run

WORKBOOKS = 500
BATCHES = 10
_XML_PARTS = [name for name in PARTS if name.endswith((".xml", ".rels"))]
# The parts sync changes are damaged more often than the others.
_PATCHED = [name for name in _XML_PARTS if name.startswith(("xl/worksheets/", "xl/styles"))]


def damaged(rng: random.Random) -> bytes:
    """The sample workbook with one to four edits in one XML part."""
    parts = _parts()
    name = rng.choice(_PATCHED if rng.random() < 0.5 else _XML_PARTS)
    content = bytearray(parts[name])
    for _ in range(rng.randint(1, 4)):
        position = rng.randrange(len(content) + 1)
        content[position : position + rng.randint(0, 2)] = rng.choice(SNIPPETS)
    parts[name] = bytes(content)
    return _with(parts)


@pytest.mark.parametrize("batch", range(BATCHES))
def test_sync_ends_every_damaged_workbook_cleanly(tmp_path: Path, batch: int) -> None:
    """Exit 0, 1, 2 or 75 with no traceback; a written workbook is read again by score."""
    rng = random.Random(batch)
    path = tmp_path / "damaged.xlsx"
    for number in range(WORKBOOKS // BATCHES):
        data = damaged(rng)
        path.write_bytes(data)
        result = run("sync", str(path), "--as-of", AS_OF, "--allow-problems", "--backups", "0")
        where = (batch, number, result.output[-600:])
        assert result.exit_code in CONTRACT_EXIT_CODES, where
        assert result.exception is None or isinstance(result.exception, SystemExit), (
            *where,
            repr(result.exception),
        )
        assert "Traceback" not in result.output, where
        if path.read_bytes() != data:  # written: it reads at least as well as before
            again = run("score", str(path), "--as-of", AS_OF)
            assert again.exit_code in (0, 1), (*where, again.output[-600:])
            assert "cannot be read" not in again.output, (*where, again.output[-600:])
