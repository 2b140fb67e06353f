"""The one small interface every workbook backend offers; backends know nothing of OKRs."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from contextlib import AbstractContextManager

    from sheets_okr.errors import SheetsOkrError
    from sheets_okr.sources.grid import WorkbookGrid
    from sheets_okr.sources.writes import WritePlan

# Earlier versions a backend that keeps them (a workbook file) keeps by default (--backups).
BACKUPS_KEPT = 5


class WorkbookBackend(Protocol):
    """A workbook somewhere (a file, a Google Sheet) that can be read as grids of values."""

    @property
    def name(self) -> str:
        """How messages name the workbook: a path or a spreadsheet key, never a secret."""
        ...

    def read(self) -> WorkbookGrid:
        """Every tab's values; raises SheetsOkrError subclasses when it cannot."""
        ...

    def preflight(self) -> SheetsOkrError | None:
        """Why a write would be refused now (locked, read-only, would lose parts), or None."""
        ...

    def exclusive(self) -> AbstractContextManager[None]:
        """Held by a sync from its read to its write, so that two syncs of one workbook
        never interleave (a no-op where the backend has its own guard)."""
        ...

    def write(self, plan: WritePlan) -> str:
        """Apply a write plan to what was read last, all or nothing; says where it wrote."""
        ...
