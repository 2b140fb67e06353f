"""Telling a Google Sheet from a file path: `gsheet:KEY`, or the address the browser shows.

Plain text work, with no Google library, so that reading a configuration costs nothing.
"""

from __future__ import annotations

import re

from sheets_okr.errors import UsageError

# A Sheets URL as the browser shows it: .../spreadsheets/d/KEY/edit#gid=0 (also /u/1/ forms).
_GOOGLE_URL = re.compile(
    r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/([A-Za-z0-9_-]+)(?:[/?#].*)?$"
)
_KEY = re.compile(r"^[A-Za-z0-9_-]{10,}$")


def google_sheet_key(source: str) -> str | None:
    """The spreadsheet key of a `gsheet:KEY` or Google Sheets URL source; None for a path."""
    if source.startswith("gsheet:"):
        key = source.removeprefix("gsheet:").strip()
        if not _KEY.match(key):
            raise UsageError(
                f"{source}: not a spreadsheet key; it is the long part of the sheet's address"
                " between /d/ and /edit"
            )
        return key
    if re.match(r"^https?://docs\.google\.com/spreadsheets/(?:u/\d+/)?d/e/", source.strip()):
        raise UsageError(
            f"{source}: a published-to-web address has no spreadsheet key; use the address"
            " the browser shows while editing the sheet (…/spreadsheets/d/KEY/edit)"
        )
    match = _GOOGLE_URL.match(source.strip())
    if match:
        return match.group(1)
    if source.startswith(("https://docs.google.com/", "http://docs.google.com/")):
        raise UsageError(f"{source}: not a Google Sheets address (…/spreadsheets/d/KEY/…)")
    return None
