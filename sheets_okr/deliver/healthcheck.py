"""Pinging a dead-man's switch (healthchecks.io conventions) around a run.

`URL/start` when the run starts, `URL` when it succeeds, `URL/<exit code>` when it fails,
with a short report as the body. The service alerts when a failure arrives, and also when
no ping arrives at all: the failure cron itself cannot report (the job never ran).

A ping never fails the run: whatever goes wrong (refused, timed out, a garbled answer, a
bug) is logged as one warning and forgotten. The URL holds the check's secret token, so
messages only ever name its host, and of an error only its type (an error's text may quote
the URL).
"""

from __future__ import annotations

import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

BODY_LIMIT = 10_000  # healthchecks.io keeps the first 100 kB of a body; a summary needs less


def redacted(url: str) -> str:
    """The URL as messages may show it: scheme and host only."""
    try:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.hostname or '?'}/…"
    except ValueError:  # such as an unclosed [IPv6 address
        return "the configured URL"


@dataclass(frozen=True)
class Healthcheck:
    """A check URL (secret) and how long one ping may take."""

    url: str = field(repr=False)
    timeout: float = 10.0

    def start(self) -> bool:
        """Say that a run started (the service then also measures its duration)."""
        return self._ping("/start", "")

    def finish(self, exit_code: int, report: str = "") -> bool:
        """Say how the run ended: success for 0, failure with the exit code otherwise."""
        return self._ping("" if exit_code == 0 else f"/{exit_code}", report)

    def _ping(self, suffix: str, body: str) -> bool:
        try:
            base, _, query = self.url.partition("?")
            target = base.rstrip("/") + suffix + (f"?{query}" if query else "")
            request = urllib.request.Request(
                target,
                data=body[:BODY_LIMIT].encode("utf-8", "replace"),
                method="POST",
                headers={"Content-Type": "text/plain; charset=utf-8", "User-Agent": "sheets-okr"},
            )
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as error:
            log.warning("healthcheck %s answered HTTP %d; the run goes on",
                        redacted(self.url), error.code)  # fmt: skip
            return False
        except Exception as error:  # refused, timed out, a garbled answer, a bad URL, a bug
            log.warning("cannot ping the healthcheck %s (%s); the run goes on",
                        redacted(self.url), _kind(error))  # fmt: skip
            return False
        log.debug("pinged the healthcheck %s%s", redacted(self.url), suffix or " (success)")
        return True


def _kind(error: Exception) -> str:
    """What went wrong, by type only: URLError wraps the real reason."""
    reason = error.reason if isinstance(error, urllib.error.URLError) else error
    return type(reason).__name__ if isinstance(reason, BaseException) else type(error).__name__
