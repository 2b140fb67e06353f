"""`init`: a new tracker workbook, empty or with the example quarter."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

from sheets_okr.errors import UsageError
from sheets_okr.model.quarters import Quarter

log = logging.getLogger(__name__)


def init_workbook(
    path: Path, *, example: bool, quarter: Quarter, as_of: dt.date, force: bool
) -> None:
    """Create a new tracker workbook; refuses to replace an existing file unless forced."""
    from sheets_okr.plan.starter import create_workbook  # openpyxl is only needed here

    if path.suffix.lower() != ".xlsx":
        raise UsageError(f"{path}: the new tracker must be an .xlsx file")
    if path.exists() and not force:
        raise UsageError(f"{path} already exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise UsageError(f"{path.parent}: no such folder")
    create_workbook(path, quarter, example=example, as_of=as_of)
    log.info("created %s%s", path, " with the example quarter" if example else "")
