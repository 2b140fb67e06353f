"""A Google Sheet as a workbook backend: one read, at most one write (plus one structural
call the first time), through gspread's HTTP client and google-auth's service accounts.
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from gspread.urls import SPREADSHEETS_API_V4_BASE_URL

from sheets_okr.errors import SheetsOkrError, SourceUnreadable, TemporaryFailure
from sheets_okr.sources.grid import CellValue, SheetGrid, WorkbookGrid
from sheets_okr.sources.gsheets.client import (
    DEFAULT_RETRY,
    RetryPolicy,
    SheetsHttpClient,
    api_base_url,
)
from sheets_okr.sources.gsheets.columns import (
    answers_by_anchor,
    plan_column_repair,
    plan_row_repair,
)
from sheets_okr.sources.gsheets.errors import translate
from sheets_okr.sources.gsheets.grid import (
    READ_FIELDS,
    STRUCTURAL_FIELDS,
    SheetInfo,
    decode_answer,
    sheet_from_json,
)
from sheets_okr.sources.gsheets.key import (
    ServiceAccountKey,
    find_key_file,
    load_key,
    make_credentials,
)
from sheets_okr.sources.gsheets.refusals import refused_as_invalid, what_changed
from sheets_okr.sources.gsheets.write import (
    Requests,
    RowWrite,
    build_requests,
    take_anchor_ids,
)
from sheets_okr.sources.writes import WritePlan

log = logging.getLogger(__name__)


class GoogleSheet:
    """A spreadsheet on Google Sheets, opened by key with a service-account key.

    Nothing is sent until read(); the key file is checked then, so `--help` and dry Excel
    runs never need Google credentials.
    """

    def __init__(
        self,
        key: str,
        *,
        credentials: Path | None = None,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.key = key
        self._credentials = credentials
        self._retry = retry or DEFAULT_RETRY
        self._sleep = sleep
        self._http: SheetsHttpClient | None = None
        self._account: ServiceAccountKey | None = None
        self._grid: WorkbookGrid | None = None
        self._sheets: dict[str, SheetInfo] = {}

    @property
    def name(self) -> str:
        """gsheet:KEY (the key is an address, not a secret)."""
        return f"gsheet:{self.key}"

    @property
    def requests_made(self) -> int:
        """Sheets API requests sent so far, retries included (token requests not counted)."""
        return self._http.requests_made if self._http else 0

    def read(self) -> WorkbookGrid:
        """Every grid tab's values, merges and visibility, in one spreadsheets.get."""
        # Compact JSON (Google indents it unless told not to: three times the bytes), its
        # cells turned into values as they are parsed.
        params: dict[str, Any] = {
            "includeGridData": "true", "fields": READ_FIELDS, "prettyPrint": "false"
        }  # fmt: skip
        url = f"{SPREADSHEETS_API_V4_BASE_URL}/{self.key}"
        answer = self._call(
            lambda http: decode_answer(http.request("get", url, params=params).content), "read"
        )
        if not isinstance(answer, dict):
            raise SourceUnreadable(f"{self.name}: the Sheets API answered something unexpected")
        grids: list[SheetGrid] = []
        self._sheets = {}
        for sheet in answer.get("sheets", []):
            converted = sheet_from_json(sheet)
            if converted is not None:
                grids.append(converted[0])
                self._sheets[converted[1].title] = converted[1]
        self._grid = WorkbookGrid(self.name, tuple(grids))
        log.debug("read %d tabs from %s", len(grids), self.name)
        return self._grid

    def exclusive(self) -> contextlib.AbstractContextManager[None]:
        """Nothing to hold: each write checks the anchors and headers it read (write.py)."""
        return contextlib.nullcontext()

    def preflight(self) -> SheetsOkrError | None:
        """Nothing to check before writing that would not cost a request."""
        return None

    def write(self, plan: WritePlan) -> str:
        """Apply a plan: anchors, new tabs and formats first if needed, then every value."""
        if self._grid is None:
            raise RuntimeError("read() must come before write()")
        sheets = {title: _copy(info) for title, info in self._sheets.items()}
        requests = build_requests(plan, self._grid, sheets)
        skipped: set[int] = set()
        if requests.structural:
            skipped = self._structural(requests)
        body = requests.value_body(skipped)
        if body["data"]:
            try:
                answer = self._write_values(body)
            except SheetsOkrError as error:
                if refused_as_invalid(error.__cause__):
                    # Google answers 400 both to a malformed request and to a data filter that
                    # no longer fits the sheet: the sheet itself tells which.
                    changed = what_changed(
                        self._look, self.name, requests.written(skipped), requests.tab_ranges
                    )
                    if changed:
                        raise TemporaryFailure(
                            f"{self.name}: rows or columns were deleted while syncing ({changed};"
                            " the write no longer fits the sheet); no value was written. Run"
                            " the sync again."
                        ) from error
                raise
            written = requests.written(skipped)
            _warn_unwritten(self.name, answer, written)
            self._put_right(answer, written)
        log.info(
            "%s: wrote %d rows and %d ranges of the tool's tabs in %d Sheets API requests",
            self.name, len(requests.rows) - len(skipped), len(requests.tab_ranges),
            self.requests_made,
        )  # fmt: skip
        return self.name

    def _look(self, method: str, path: str, params: dict[str, Any], body: Any) -> Any:
        """One read request (a GET, or a search sent as a POST); its answer."""
        url = f"{SPREADSHEETS_API_V4_BASE_URL}/{self.key}{path}"
        return self._call(
            lambda http: http.request(method, url, params=params, json=body).json(), "read"
        )

    def _write_values(self, body: dict[str, Any]) -> Any:
        """One values:batchUpdateByDataFilter; its answer."""
        url = f"{SPREADSHEETS_API_V4_BASE_URL}/{self.key}/values:batchUpdateByDataFilter"
        compact = {"prettyPrint": "false"}
        return self._call(
            lambda http: http.request("post", url, params=compact, json=body).json(), "values"
        )

    def _put_right(self, answer: Any, written: list[RowWrite]) -> None:
        """When the answer shows columns moved (or values sorted under the row tags) while
        the write ran, put back what it hit, in one more request.

        Moved columns: the figures are written under their headers too. Sorted values:
        the figures wait for the next sync, which tags the rows again (exit 75).
        """
        assert self._grid is not None
        formulas = {title: info.formulas for title, info in self._sheets.items()}
        columns_moved = True
        repair = plan_column_repair(answer, written, self._grid, formulas)
        if repair is None:
            columns_moved = False
            repair = plan_row_repair(answer, written, self._grid, formulas)
        if repair is None:
            return
        log.warning("%s: the sheet changed while syncing; putting the cells hit back", self.name)
        if repair.data:
            self._write_values({"valueInputOption": "RAW", "data": repair.data})
        if not columns_moved:
            lost = f" Could not put back: {', '.join(repair.lost)}." if repair.lost else ""
            raise TemporaryFailure(
                f"{self.name}: rows were sorted (their values moved) while the sync wrote; the"
                f" cells it hit were put back.{lost} Run the sync again to write the figures."
            )
        if repair.lost:
            raise TemporaryFailure(
                f"{self.name}: columns were inserted, deleted or moved while the sync wrote,"
                f" and {', '.join(repair.lost)} could not be put back as they were (a formula"
                " or an error was there; a formula's value was put back): restore them from"
                " File > Version history. The figures are in place."
            )

    def _structural(self, requests: Requests) -> set[int]:
        """Send the structural batchUpdate; returns anchors of rows that moved meanwhile."""
        new_rows = [row for row in requests.rows if row.new_anchor]
        body: dict[str, Any] = {"requests": requests.structural}
        if new_rows:
            # The anchors are placed where the rows were when read: the answer shows the
            # sheet after the change, so a row people moved meanwhile is caught here.
            tabs = sorted({row.tab for row in new_rows})
            body |= {
                "includeSpreadsheetInResponse": True,
                "responseIncludeGridData": True,
                "responseRanges": ["'" + tab.replace("'", "''") + "'" for tab in tabs],
            }
        url = f"{SPREADSHEETS_API_V4_BASE_URL}/{self.key}:batchUpdate"
        params = {"fields": STRUCTURAL_FIELDS if new_rows else "replies", "prettyPrint": "false"}
        answer = self._call(
            lambda http: http.request("post", url, params=params, json=body).json(), "structure"
        )
        if new_rows:
            replies = answer.get("replies", []) if isinstance(answer, dict) else []
            try:
                take_anchor_ids(requests, replies if isinstance(replies, list) else [])
            except ValueError as error:
                raise TemporaryFailure(
                    f"{self.name}: the sheet's rows were tagged, but the Sheets API's answer"
                    f" did not say how ({error}); no value was written. Run the sync again."
                ) from error
        updated = answer.get("updatedSpreadsheet") if isinstance(answer, dict) else None
        if not new_rows or not isinstance(updated, dict):
            return set()  # nothing to check (or a server that does not send the sheet back)
        return _moved_rows(self.name, self._grid, updated, new_rows)

    def _call(self, send: Callable[[SheetsHttpClient], Any], phase: str) -> Any:
        http = self._client()
        try:
            return send(http)
        except SheetsOkrError:
            raise
        except Exception as error:
            if not _is_api_failure(error):
                raise
            assert self._account is not None
            raise translate(
                error, sheet=self.name, account=self._account.email, phase=phase
            ) from error

    def _client(self) -> SheetsHttpClient:
        if self._http is None:
            self._account = load_key(find_key_file(self._credentials))
            base_url = api_base_url()
            self._http = SheetsHttpClient(
                make_credentials(self._account),
                base_url=base_url,
                retry=self._retry,
                sleep=self._sleep,
            )
            log.debug("Sheets API at %s as %s", base_url, self._account.email)
        return self._http


def _is_api_failure(error: Exception) -> bool:
    """Failures of the API, the network or the token endpoint, as opposed to bugs."""
    import requests
    from google.auth.exceptions import GoogleAuthError
    from gspread.exceptions import APIError

    return isinstance(error, APIError | requests.RequestException | GoogleAuthError)


def _copy(info: SheetInfo) -> SheetInfo:
    return SheetInfo(
        info.sheet_id, info.title, info.row_count, info.column_count, info.frozen_rows,
        dict(info.anchors), dict(info.formats), {c: set(t) for c, t in info.filled_columns.items()},
        info.content_rows,
    )  # fmt: skip


def _trimmed(row: list[CellValue]) -> list[CellValue]:
    end = len(row)
    while end and row[end - 1] in (None, ""):
        end -= 1
    return row[:end]


def _moved_rows(
    name: str, grid: WorkbookGrid | None, updated: dict[str, Any], rows: list[RowWrite]
) -> set[int]:
    """Anchors just created on a row that no longer holds what was read there."""
    read = {sheet.title: sheet.rows for sheet in grid.sheets} if grid else {}
    where: dict[int, list[CellValue]] = {}
    for sheet in updated.get("sheets", []):
        converted = sheet_from_json(sheet)
        if converted is None:
            continue
        new_grid, info = converted
        for index, anchors in info.anchors.items():
            values = new_grid.rows[index] if index < len(new_grid.rows) else []
            for anchor in anchors:
                where[anchor.metadata_id] = values
    moved: set[int] = set()
    for row in rows:
        before = read.get(row.tab, [])
        expected = before[row.row - 1] if row.row - 1 < len(before) else []
        if row.metadata_id not in where or _trimmed(where[row.metadata_id]) != _trimmed(expected):
            moved.add(row.metadata_id)
    if moved:
        log.warning(
            "%s: %d rows moved while the sync tagged them; their figures wait for the next sync",
            name, len(moved),
        )  # fmt: skip
    return moved


def _warn_unwritten(name: str, answer: Any, rows: list[RowWrite]) -> None:
    """Google may skip a row filter that matches nothing (the row was deleted), answering
    for it with nothing written or not at all: say so."""
    answers = answers_by_anchor(answer)
    missing = sum(1 for row in rows if not answers.get(row.metadata_id, {}).get("updatedRange"))
    if missing:
        log.warning("%s: %d rows were deleted while syncing; nothing was written to them",
                    name, missing)  # fmt: skip
