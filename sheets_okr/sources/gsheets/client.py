"""Talking to the Sheets API: the service-account key, the base URL, timeouts and retries.

gspread's own HTTPClient does the requests (through google-auth's AuthorizedSession, which
signs a JWT with the key and fetches tokens from the key's own token_uri). This subclass adds
what a cron job needs: a base URL that can point at a proxy or a local emulator, a timeout on
every request, a bounded number of jittered retries, a per-minute request budget shared with
the host's other sheets-okr processes (budget.py), and one clear error per failure.
gspread's BackOffHTTPClient is not used: in 6.2.1 it never gives up (research 1.1).
"""

from __future__ import annotations

import logging
import os
import random
import time
from collections.abc import Callable, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from gspread.exceptions import APIError
from gspread.http_client import HTTPClient

from sheets_okr.errors import UsageError
from sheets_okr.sources.gsheets.budget import RequestBudget, SharedRequestBudget

__all__ = [
    "API_ENV",
    "DEFAULT_RETRY",
    "GOOGLE_API",
    "RETRYABLE",
    "SHARED_BUDGET",
    "RequestBudget",
    "RetryPolicy",
    "SharedRequestBudget",
    "SheetsHttpClient",
    "api_base_url",
    "api_status",
]

log = logging.getLogger(__name__)

GOOGLE_API = "https://sheets.googleapis.com"
API_ENV = "SHEETS_OKR_SHEETS_API"
RETRYABLE = frozenset({408, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry: Google's exponential backoff with equal jitter.

    No retry goes out at once: a server error (5xx, 408) met again a moment later only adds
    to the load that caused it, so every wait is at least half its backoff step. Quota
    errors (429) wait at least `quota_delay` more: Google refills the per-minute quota after
    a minute, so a quick retry only fails again. `deadline` bounds a whole sync (the read
    and the write together), keeping a run well inside its schedule.
    """

    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 32.0
    quota_delay: float = 15.0
    deadline: float = 300.0
    # connect, read (seconds): the read timeout exceeds Google's 180 s processing limit.
    timeout: tuple[float, float] = (10.0, 190.0)

    def delay(self, attempt: int, retry_after: float | None, *, quota: bool = False) -> float:
        """Seconds to wait before retry number `attempt` (1 is the first retry).

        Google's Retry-After, when sent, is waited as sent. Otherwise the step doubles from
        `base_delay` up to `max_delay`, and the wait is half the step plus a random share of
        the other half ("equal jitter"): clients that failed together spread out, and none
        retries at once. A quota error (`quota`) adds `quota_delay`.
        """
        step = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        if retry_after is not None:
            # As sent, but a server error's "Retry-After: 0" is still no retry at once.
            return retry_after if quota else max(retry_after, step / 2)
        wait = step / 2 + random.uniform(0, step / 2)
        return wait + self.quota_delay if quota else wait


DEFAULT_RETRY = RetryPolicy()


# Every client of the process shares it, and through a file in the state folder so do the
# other sheets-okr processes of the host (budget.py).
SHARED_BUDGET: RequestBudget = SharedRequestBudget()


def api_base_url() -> str:
    """The Sheets API root: SHEETS_OKR_SHEETS_API, or Google's."""
    value = os.environ.get(API_ENV, "").strip() or GOOGLE_API
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise UsageError(f"{API_ENV}={value!r} is not an http(s) address such as {GOOGLE_API}")
    base = value.rstrip("/")
    for suffix in ("/v4/spreadsheets", "/v4"):  # accept the API root written either way
        base = base.removesuffix(suffix)
    if parts.scheme == "http" and parts.hostname not in ("127.0.0.1", "localhost", "::1"):
        log.warning("%s is plain http: access tokens cross the network unencrypted", API_ENV)
    return base


class SheetsHttpClient(HTTPClient):
    """gspread's HTTP client, pointed at `base_url`, with timeouts and bounded retries.

    Every request is counted in `requests_made` (retries included) for logs and benchmarks.
    """

    def __init__(
        self,
        auth: Any,
        session: requests.Session | None = None,
        *,
        base_url: str = GOOGLE_API,
        retry: RetryPolicy = DEFAULT_RETRY,
        sleep: Callable[[float], None] = time.sleep,
        budget: RequestBudget | None = None,
    ) -> None:
        super().__init__(auth, session)
        self.base_url = base_url
        self.retry = retry
        self.sleep = sleep
        self.budget = budget or SHARED_BUDGET
        self.requests_made = 0
        self._deadline: float | None = None  # set by the first request: one per sync
        self.set_timeout(retry.timeout)

    def request(
        self,
        method: str,
        endpoint: str,
        params: Any = None,
        data: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        files: Any = None,
        headers: MutableMapping[str, str] | None = None,
    ) -> requests.Response:
        """One API call, retried while the failure is temporary and the call is safe to repeat."""
        url = (
            self.base_url + endpoint.removeprefix(GOOGLE_API)
            if endpoint.startswith(GOOGLE_API)
            else endpoint
        )
        if self._deadline is None:
            self._deadline = time.monotonic() + self.retry.deadline
        attempt = 0
        while True:
            attempt += 1
            self.budget.take()
            self.requests_made += 1
            try:
                return super().request(method, url, params, data, json, files, headers)
            except APIError as error:
                status = api_status(error)
                if status not in RETRYABLE or not _repeatable(method, url, status):
                    raise
                failure: Exception = error
                wait = self.retry.delay(attempt, _retry_after(error.response), quota=status == 429)
            except requests.exceptions.SSLError:
                raise  # a certificate problem does not go away by waiting
            except (
                requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError
            ) as error:  # fmt: skip
                # Only a connection never made is sure not to have reached Google.
                sent = not isinstance(error, requests.ConnectTimeout)
                if sent and not _repeatable(method, url, 0):
                    raise
                failure, wait = error, self.retry.delay(attempt, None)
            left = self._deadline - time.monotonic()
            if attempt >= self.retry.attempts or wait > left:
                raise failure
            log.info("Sheets API: %s; retry %d in %.1f s", _describe(failure), attempt, wait)
            self.sleep(wait)


def api_status(error: APIError) -> int:
    # A non-JSON error page (an HTML 502 from a proxy) gives code -1: use the HTTP status.
    return error.code if error.code != -1 else error.response.status_code


def _repeatable(method: str, url: str, status: int) -> bool:
    """Whether a failed call may be sent again.

    Reads (GETs and the reads sent as POSTs: developerMetadata:search, getByDataFilter) and
    value writes are idempotent (the same values written twice). A structural batchUpdate is
    repeated only on 429, which means Google did not apply it; after a 5xx or a timeout it
    may have been applied, and the next run reconciles instead.
    """
    if method.lower() == "get" or "/values:" in url or "/values/" in url:
        return True
    if url.endswith(("/developerMetadata:search", ":getByDataFilter")):
        return True
    return status == 429


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


def _describe(failure: Exception) -> str:
    if isinstance(failure, APIError):
        return f"HTTP {api_status(failure)} {failure.error.get('status', '')}".strip()
    return type(failure).__name__
