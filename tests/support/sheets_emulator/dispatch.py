"""Answering a request: the log, injected faults and delays, auth, access, atomic commits."""

from __future__ import annotations

import gc
import threading
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from tests.support.sheets_emulator.auth import WRITE_SCOPES, Authority, TokenGrantError
from tests.support.sheets_emulator.clone import clone
from tests.support.sheets_emulator.endpoints import invalid_json, route
from tests.support.sheets_emulator.errors import ApiError, injected_error
from tests.support.sheets_emulator.model import Spreadsheet
from tests.support.sheets_emulator.ranges import Context
from tests.support.sheets_emulator.server import (
    Answer,
    InvalidJson,
    LoggedRequest,
    error_answer,
    json_answer,
    pretty_print,
)

_MISSING_CREDENTIALS = (
    "Request is missing required authentication credential. Expected OAuth 2 access token, "
    "login cookie or other valid authentication credential. See "
    "https://developers.google.com/identity/sign-in/web/devconsole-project."
)


@dataclass
class Failure:
    """An error to inject into the next `count` matching API requests."""

    status: int
    count: int
    method: str | None = None
    path_contains: str | None = None
    body: str | None = None
    retry_after: int | None = None

    def matches(self, request: LoggedRequest) -> bool:
        """Whether the rule applies to this request (and still has uses left)."""
        if self.count <= 0:
            return False
        if self.method is not None and self.method.upper() != request.method:
            return False
        return self.path_contains is None or self.path_contains in request.path


class Dispatcher:
    """The emulator's state shared with the server threads, guarded by one lock."""

    def __init__(self, authority: Authority) -> None:
        self.lock = threading.RLock()
        self.authority = authority
        self.books: dict[str, Spreadsheet] = {}
        self.log: list[LoggedRequest] = []
        self.failures: list[Failure] = []
        self.hangs: list[float] = []
        self.before: Callable[[LoggedRequest], None] | None = None
        self.formulas: list[tuple[str, str, str]] = []
        self.latency = 0.0
        self.unmatched_filter = "error"
        self.shuffle_answers = False
        self.server_errors: list[str] = []

    def answer(
        self, logged: LoggedRequest, raw_path: str, authorization: str | None, body: Any
    ) -> Answer:
        """The full answer to one HTTP request (indented unless it says prettyPrint=false)."""
        with self.lock:
            self.log.append(logged)
        pretty = pretty_print(logged.query)
        if raw_path == "/token" and logged.method == "POST":
            try:
                grant = self.authority.grant(body if isinstance(body, dict) else {})
                return json_answer(200, grant, pretty=pretty)
            except TokenGrantError as refused:
                return json_answer(400, refused.body, pretty=pretty)
        if not raw_path.startswith("/v4/"):
            return error_answer(ApiError(404), pretty=pretty)
        try:
            return self._api(logged, raw_path, authorization, body, pretty)
        except ApiError as error:
            return error_answer(error, pretty=pretty)
        except Exception:
            # An emulator bug: answer 500 and keep the traceback for the test to show.
            self.server_errors.append(traceback.format_exc())
            return error_answer(
                ApiError(500, "emulator error (see emu.server_errors)"), pretty=pretty
            )

    def _take_failure(self, logged: LoggedRequest) -> Failure | None:
        with self.lock:
            for failure in self.failures:
                if failure.matches(logged):
                    failure.count -= 1
                    return failure
        return None

    def _api(
        self,
        logged: LoggedRequest,
        raw_path: str,
        authorization: str | None,
        body: Any,
        pretty: bool,
    ) -> Answer:
        callback = self.before
        if callback is not None:
            callback(logged)
        with self.lock:
            delay = self.latency + (self.hangs.pop(0) if self.hangs else 0.0)
        if delay > 0:
            time.sleep(delay)
        endpoint = route(logged.method, raw_path)
        failure = self._take_failure(logged)
        if failure is not None:
            headers = {"Retry-After": str(failure.retry_after)} if failure.retry_after else {}
            if failure.body is not None:
                kind = "text/html" if failure.body.lstrip().startswith("<") else "text/plain"
                headers["Content-Type"] = f"{kind}; charset=UTF-8"
                return failure.status, headers, failure.body.encode()
            writes = endpoint.writes if endpoint else logged.method != "GET"
            return error_answer(
                injected_error(failure.status, write=writes), headers, pretty=pretty
            )
        token = self.authority.token(authorization)
        if token is None:
            raise ApiError(401, _MISSING_CREDENTIALS if not authorization else None)
        if endpoint is None:
            raise ApiError(404)
        if isinstance(body, InvalidJson):
            raise invalid_json(body.text)
        with _GC_PAUSE, self.lock:
            book = self.books.get(endpoint.key)
            if book is None:
                raise ApiError(404)
            allowed = self.authority.accounts if book.shared_with is None else book.shared_with
            if token.account not in allowed:
                raise ApiError(403)
            if endpoint.writes and not token.scopes & WRITE_SCOPES:
                raise ApiError(403, "Request had insufficient authentication scopes.")
            # A write works on a copy, committed only when every part of it succeeded.
            work = clone(book) if endpoint.writes else book
            ctx = Context(work, logged.query, body, self.unmatched_filter, self.shuffle_answers)
            result = endpoint.handler(ctx)
            if endpoint.writes:
                self.books[endpoint.key] = work
                self.formulas.extend(ctx.formulas)
        with _GC_PAUSE:
            return json_answer(200, result, pretty=pretty)


class _GcPause:
    """Keeps Python's cyclic garbage collector off while any server thread is inside.

    A grid answer of a large sheet is hundreds of thousands of short-lived objects: each of
    the full collections they trigger walks every object of every spreadsheet, which cost
    more than building the answer. They hold no cycles, so reference counting frees them.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._inside = 0
        self._was_enabled = False

    def __enter__(self) -> None:
        with self._lock:
            if self._inside == 0:
                self._was_enabled = gc.isenabled()
                gc.disable()
            self._inside += 1

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._inside -= 1
            if self._inside == 0 and self._was_enabled:
                gc.enable()


_GC_PAUSE = _GcPause()
