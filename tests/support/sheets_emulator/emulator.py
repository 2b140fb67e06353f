"""SheetsEmulator: the Sheets API v4 on 127.0.0.1, and the Python API tests drive it with."""

from __future__ import annotations

import copy
import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from tests.support.sheets_emulator import human
from tests.support.sheets_emulator.auth import Authority
from tests.support.sheets_emulator.dispatch import Dispatcher, Failure
from tests.support.sheets_emulator.grid_json import sheet_properties
from tests.support.sheets_emulator.model import DevMeta, Sheet, Spreadsheet, metadata_json
from tests.support.sheets_emulator.server import EmulatorServer, LoggedRequest
from tests.support.sheets_emulator.values import formatted_value, python_value


@dataclass(frozen=True)
class CellState:
    """One cell as stored: what was entered, what it shows, and its format."""

    user_entered: Any  # a scalar (dates as serial numbers) or a Formula; None when empty
    effective: Any  # as emu.values() gives it: dates as date objects, errors as ErrorCell
    number_format: tuple[str, str] | None  # (type, pattern)
    formatted: str
    format: dict[str, Any]  # userEnteredFormat as JSON (numberFormat, backgroundColor, ...)
    background_color: dict[str, Any] | None
    note: str | None


UNMATCHED_FILTER_MODES = ("error", "ignore", "omit")


class SheetsEmulator:
    """A Google Sheets API v4 emulator serving at once on 127.0.0.1 (a random port)."""

    def __init__(self) -> None:
        # The state exists before the server answers anything; the token endpoint's own URL
        # is known once the port is.
        self._state = Dispatcher(Authority(token_uri=""))
        self._lock = self._state.lock
        self._books = self._state.books
        self._server = EmulatorServer(self._state.answer)
        self.base_url = self._server.base_url
        self.token_uri = self.base_url + "/token"
        self._state.authority.token_uri = self.token_uri

    def __enter__(self) -> SheetsEmulator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving."""
        self._server.stop()

    def service_account(self, email: str) -> dict[str, Any]:
        """A service-account key JSON for `email` that this emulator's /token accepts."""
        return self._state.authority.service_account(email)

    # -- spreadsheets -------------------------------------------------------------------------

    def create_spreadsheet(
        self,
        key: str,
        tabs: dict[str, list[list[Any]]],
        *,
        title: str = "OKRs",
        shared_with: Iterable[str] | None = None,
    ) -> None:
        """Create (or replace) a spreadsheet; None shared_with lets every account use it."""
        rng = random.Random(key)
        sheets = []
        for index, (tab, rows) in enumerate((tabs or {"Sheet1": []}).items()):
            width = max((len(r) for r in rows), default=0)
            sheet_id = 0 if index == 0 else rng.randrange(1, 2**31)
            sheet = Sheet.blank(sheet_id, tab, max(1000, len(rows)), max(26, width))
            human.fill_rows(sheet, 0, rows)
            sheets.append(sheet)
        shared = frozenset(shared_with) if shared_with is not None else None
        with self._lock:
            self._books[key] = Spreadsheet(key, title, sheets, shared)

    def _sheet(self, key: str, tab: str) -> Sheet:
        sheet = self._books[key].sheet_by_title(tab)
        if sheet is None:
            raise KeyError(f"no tab {tab!r} in {key!r}")
        return sheet

    def values(self, key: str, tab: str) -> list[list[Any]]:
        """Effective values, trailing empties trimmed (dates as date, errors as ErrorCell)."""
        with self._lock:
            sheet = self._sheet(key, tab)
            rows = []
            for row in sheet.rows[: sheet.content_rows()]:
                line = [python_value(cell) for cell in row.cells]
                while line and line[-1] is None:
                    line.pop()
                rows.append(line)
            while rows and not rows[-1]:
                rows.pop()
            return rows

    def cell(self, key: str, tab: str, a1: str) -> CellState:
        """The stored state of one cell."""
        with self._lock:
            sheet = self._sheet(key, tab)
            row, col = human.cell_position(sheet, a1)
            cell = sheet.cell(row, col)
            fmt = copy.deepcopy(cell.fmt) if cell else {}
            number_format = cell.number_format if cell else None
            return CellState(
                user_entered=cell.value if cell else None,
                effective=python_value(cell),
                number_format=(
                    (number_format.get("type", ""), number_format.get("pattern", ""))
                    if number_format
                    else None
                ),
                formatted=formatted_value(cell) or "",
                format=fmt,
                background_color=fmt.get("backgroundColor"),
                note=cell.note if cell else None,
            )

    def tab_titles(self, key: str) -> list[str]:
        """The tabs' titles in order."""
        with self._lock:
            return [s.title for s in self._books[key].sheets]

    def sheet_properties(self, key: str, tab: str) -> dict[str, Any]:
        """SheetProperties as the API would return them."""
        with self._lock:
            sheet = self._sheet(key, tab)
            return sheet_properties(sheet, self._books[key].sheets.index(sheet))

    def conditional_formats(self, key: str, tab: str) -> list[dict[str, Any]]:
        """The tab's conditional format rules, in order."""
        with self._lock:
            return copy.deepcopy(self._sheet(key, tab).conditional_formats)

    def merges(self, key: str, tab: str) -> list[dict[str, Any]]:
        """The tab's merged ranges (GridRange JSON)."""
        with self._lock:
            return copy.deepcopy(self._sheet(key, tab).merges)

    def metadata(self, key: str) -> list[dict[str, Any]]:
        """All developer metadata, each with its CURRENT location."""
        with self._lock:
            return [metadata_json(m, loc) for m, loc in self._books[key].all_metadata()]

    def add_row_metadata(
        self,
        key: str,
        tab: str,
        row: int,
        metadata_key: str,
        metadata_value: str | None = None,
        *,
        metadata_id: int | None = None,
        visibility: str = "DOCUMENT",
    ) -> int:
        """Tag a row (0-based) as an earlier API run would have; returns the metadataId."""
        with self._lock:
            book = self._books[key]
            taken = book.metadata_ids()
            new_id = metadata_id or max(taken, default=0) + 1
            if new_id in taken:
                raise ValueError(f"metadataId {new_id} is taken")
            meta = DevMeta(new_id, metadata_key, metadata_value, visibility, "ROW")
            self._sheet(key, tab).rows[row].metadata.append(meta)
            return new_id

    # -- what a person does in the browser (indexes 0-based, ends exclusive) ---------------------

    def set_cell(self, key: str, tab: str, a1: str, value: Any) -> None:
        """Type a value into a cell (same kinds as create_spreadsheet)."""
        with self._lock:
            sheet = self._sheet(key, tab)
            human.set_cell(sheet, *human.cell_position(sheet, a1), value)

    def insert_rows(
        self, key: str, tab: str, index: int, count: int = 1, values: list[list[Any]] | None = None
    ) -> None:
        """Insert empty rows before `index`, then type `values` into them."""
        with self._lock:
            sheet = self._sheet(key, tab)
            sheet.insert("ROWS", index, count)
            human.fill_rows(sheet, index, values or [])

    def delete_rows(self, key: str, tab: str, start: int, end: int) -> None:
        """Delete rows [start, end), their metadata with them."""
        with self._lock:
            self._sheet(key, tab).delete("ROWS", start, end)

    def move_rows(self, key: str, tab: str, start: int, end: int, destination: int) -> None:
        """Drag rows [start, end) to `destination` (as moveDimension counts it)."""
        with self._lock:
            self._sheet(key, tab).move("ROWS", start, end, destination)

    def sort_rows(
        self, key: str, tab: str, start: int, end: int, column: int, *, descending: bool = False
    ) -> None:
        """Sort rows [start, end) by a column, moving whole rows (values and metadata)."""
        with self._lock:
            human.sort_rows(self._sheet(key, tab), start, end, column, descending=descending)

    def insert_columns(self, key: str, tab: str, index: int, count: int = 1) -> None:
        """Insert empty columns before `index`."""
        with self._lock:
            self._sheet(key, tab).insert("COLUMNS", index, count)

    def delete_columns(self, key: str, tab: str, start: int, end: int) -> None:
        """Delete columns [start, end)."""
        with self._lock:
            self._sheet(key, tab).delete("COLUMNS", start, end)

    def move_columns(self, key: str, tab: str, start: int, end: int, destination: int) -> None:
        """Drag columns [start, end) to `destination` (as moveDimension counts it)."""
        with self._lock:
            self._sheet(key, tab).move("COLUMNS", start, end, destination)

    def rename_tab(self, key: str, old: str, new: str) -> None:
        """Rename a tab."""
        with self._lock:
            if self._books[key].sheet_by_title(new) is not None:
                raise ValueError(f"a tab is already called {new!r}")
            self._sheet(key, old).title = new

    # -- the request log, faults and hooks ------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Every request so far, /token included, in arrival order."""
        with self._lock:
            return list(self._state.log)

    @property
    def api_requests(self) -> list[LoggedRequest]:
        """Only the /v4 requests."""
        return [r for r in self.requests if r.path.startswith("/v4/")]

    def clear_log(self) -> None:
        """Forget the requests logged so far."""
        with self._lock:
            self._state.log.clear()

    def fail_next(
        self,
        status: int,
        count: int = 1,
        *,
        method: str | None = None,
        path_contains: str | None = None,
        body: str | None = None,
        retry_after: int | None = None,
    ) -> None:
        """Answer the next `count` matching API requests with this error; they change nothing."""
        with self._lock:
            self._state.failures.append(
                Failure(status, count, method, path_contains, body, retry_after)
            )

    @property
    def latency(self) -> float:
        """Seconds slept before answering each /v4 request."""
        return self._state.latency

    @latency.setter
    def latency(self, seconds: float) -> None:
        self._state.latency = seconds

    def hang_next(self, seconds: float, count: int = 1) -> None:
        """Sleep this long before answering the next `count` API requests (then answer)."""
        with self._lock:
            self._state.hangs.extend([seconds] * count)

    def before_request(self, callback: Callable[[LoggedRequest], None] | None) -> None:
        """Run callback(request) in the server before each /v4 request is handled; None: stop."""
        self._state.before = callback

    @property
    def formulas_created_via_api(self) -> list[tuple[str, str, str]]:
        """(tab, A1, text) of every formula an API write created."""
        with self._lock:
            return list(self._state.formulas)

    @property
    def unmatched_filter(self) -> str:
        """What a values:batchUpdateByDataFilter entry whose filter matches no row does.

        Google's reference is silent, so each possible answer can be played (a guess each):
        "error" fails the whole write with 400 INVALID_ARGUMENT; "ignore" answers for the
        entry with its dataFilter and nothing updated; "omit" leaves the entry's answer out
        of `responses` altogether. `shuffle_answers` plays the other silence: the order of
        the answers, which Google promises for values:batchUpdate but not here.
        """
        return self._state.unmatched_filter

    @unmatched_filter.setter
    def unmatched_filter(self, mode: str) -> None:
        if mode not in UNMATCHED_FILTER_MODES:
            raise ValueError(f"unmatched_filter is one of {', '.join(UNMATCHED_FILTER_MODES)}")
        self._state.unmatched_filter = mode

    @property
    def shuffle_answers(self) -> bool:
        """Whether a values:batchUpdateByDataFilter answers its entries in another order."""
        return self._state.shuffle_answers

    @shuffle_answers.setter
    def shuffle_answers(self, shuffle: bool) -> None:
        self._state.shuffle_answers = shuffle

    def add_hidden_metadata(self, key: str, metadata_ids: set[int]) -> None:
        """Developer metadata another Cloud project keeps on the sheet with PROJECT
        visibility: this key never sees it (reads, searches), but its ids are taken."""
        with self._lock:
            self._state.books[key].hidden_metadata_ids.update(metadata_ids)

    @property
    def server_errors(self) -> list[str]:
        """Tracebacks of emulator bugs, each answered as a 500."""
        return list(self._state.server_errors)
