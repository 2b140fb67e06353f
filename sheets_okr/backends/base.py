"""The one small interface every workbook backend offers; backends know nothing of OKRs."""

from __future__ import annotations

from typing import Protocol

from sheets_okr.grid import WorkbookGrid


class WorkbookBackend(Protocol):
    """A workbook somewhere (a file, a Google Sheet) that can be read as grids of values."""

    @property
    def name(self) -> str:
        """How messages name the workbook: a path or a spreadsheet key, never a secret."""
        ...

    def read(self) -> WorkbookGrid:
        """Every tab's values; raises SheetsOkrError subclasses when it cannot."""
        ...
