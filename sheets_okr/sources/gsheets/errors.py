"""Failed Sheets API calls as one clear error each, with the contract's exit code."""

from __future__ import annotations

import requests
from gspread.exceptions import APIError

from sheets_okr.errors import SheetsOkrError, TemporaryFailure, UsageError
from sheets_okr.sources.gsheets.client import RETRYABLE, api_status


class AccessDenied(UsageError):
    """The service account may not open (or change) the spreadsheet: it must be shared."""


_PHASE_OUTCOME = {
    "read": "Nothing was read",
    "structure": "The sheet's values were not changed (its new tabs, formats or row tags may"
    " have been)",
    "values": "No value was written",
}


def _google_message(error: APIError) -> str:
    """Google's own words, short: an HTML error page from a proxy can run to kilobytes."""
    message = " ".join(str(error.error.get("message", "")).split()) or "no message"
    return message if len(message) <= 300 else message[:297] + "..."


def _reasons(error: APIError) -> set[str]:
    details = error.error.get("details", []) if isinstance(error.error, dict) else []
    return {str(d.get("reason", "")) for d in details if isinstance(d, dict)}


def translate(failure: Exception, *, sheet: str, account: str, phase: str) -> SheetsOkrError:
    """One clear error, with the right exit code, for a failed Sheets API call.

    `phase` is the step that failed ("read", "structure" or "values"), so the message says
    truthfully what was left as it was.
    """
    writing = phase != "read"
    outcome = _PHASE_OUTCOME.get(phase, "")
    if isinstance(failure, APIError):
        status = api_status(failure)
        message = _google_message(failure)
        if status == 403 and ("SERVICE_DISABLED" in _reasons(failure) or "has not been used"
                              in message or "is disabled" in message):  # fmt: skip
            return UsageError(
                f"{sheet}: the Google Sheets API is not enabled for the service account's"
                f" project; enable it in Google Cloud console (APIs & Services > Library)."
                f" Google says: {message}"
            )
        if status == 403:
            need = "Editor" if writing else "Viewer (Editor to sync)"
            return AccessDenied(
                f"{sheet}: the service account {account} may not {'change' if writing else 'open'}"
                f" this spreadsheet. Share the sheet with {account} as {need}."
                f" Google says: {message}"
            )
        if status == 404:
            return UsageError(
                f"{sheet}: no such spreadsheet. Check the key (the part of the sheet's address"
                " between /d/ and /edit)."
            )
        if status == 401:
            return UsageError(f"{sheet}: Google refused the credentials ({message})")
        if status in RETRYABLE:
            what = "quota exceeded" if status == 429 else f"Google answered {status}"
            tried = "gave up after retrying" if _repeatable_phase(phase, status) else "not retried"
            return TemporaryFailure(
                f"{sheet}: {what} ({message}); {tried}. {outcome}; run again later."
            )
        return SheetsOkrError(
            f"{sheet}: the Sheets API refused the request ({status}: {message}). {outcome}."
        )
    from google.auth import exceptions as auth_errors

    if isinstance(failure, auth_errors.TransportError):
        return TemporaryFailure(f"{sheet}: cannot reach the token endpoint ({failure}); run again")
    if isinstance(failure, auth_errors.RefreshError):
        if getattr(failure, "retryable", False):
            return TemporaryFailure(f"{sheet}: no access token yet ({failure}); run again later")
        return UsageError(
            f"{sheet}: the token endpoint refused the service-account key of {account}"
            f" ({failure}). Is the key deleted or disabled? Create a new key."
        )
    if isinstance(failure, requests.exceptions.SSLError):
        return SheetsOkrError(
            f"{sheet}: the Sheets API's TLS certificate was not accepted"
            f" ({type(failure).__name__}). {outcome}."
        )
    if isinstance(failure, requests.RequestException):
        return TemporaryFailure(
            f"{sheet}: cannot reach the Sheets API ({type(failure).__name__}). {outcome};"
            " run again later."
        )
    return SheetsOkrError(f"{sheet}: {failure}")


def _repeatable_phase(phase: str, status: int) -> bool:
    return phase != "structure" or status == 429
