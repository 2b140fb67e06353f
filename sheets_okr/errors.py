"""The one exception family the command line turns into a message and an exit code."""

from __future__ import annotations

# Exit codes of the contract (tracker-contract.md section 4).
EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_TEMPORARY = 75  # EX_TEMPFAIL from sysexits.h: worth retrying later


class SheetsOkrError(Exception):
    """A failure reported cleanly to the user; exit_code says which kind."""

    exit_code = EXIT_FINDINGS


class UsageError(SheetsOkrError):
    """A bad option, source or setting: the user must change how they call the tool."""

    exit_code = EXIT_USAGE


class SourceUnreadable(SheetsOkrError):
    """The workbook exists but cannot be opened or read as a workbook."""


class NoOkrTabs(SheetsOkrError):
    """No tab of the workbook has an OKR header row."""


class TemporaryFailure(SheetsOkrError):
    """Something outside the tool is busy (a lock, a quota); the same call may work later."""

    exit_code = EXIT_TEMPORARY
