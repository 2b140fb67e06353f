"""How one tracker's sync ended, in a run of many: the run, its summary and its exit agree."""

from __future__ import annotations

from enum import StrEnum


class Outcome(StrEnum):
    """How one tracker's sync ended."""

    OK = "ok"
    PARTIAL = "partial"  # synced, but some rows could not be read and were left out
    PROBLEMS = "problems"  # read and scored, but some rows could not be read: not written
    FAILED = "failed"  # could not be read or written at all

    @property
    def synced(self) -> bool:
        """Whether the tracker was written (or, on a dry run, would be)."""
        return self in (Outcome.OK, Outcome.PARTIAL)
