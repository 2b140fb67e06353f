"""The spreadsheets.values endpoints: get, batchGet, update, batchUpdate, ByDataFilter, clear."""

from __future__ import annotations

import copy
from typing import Any

from tests.support.sheets_emulator.a1 import column_letters, format_range
from tests.support.sheets_emulator.errors import ApiError, bad_request
from tests.support.sheets_emulator.grid_json import Window
from tests.support.sheets_emulator.ranges import (
    Context,
    Target,
    filter_targets,
    grid_error,
    resolve_a1,
)
from tests.support.sheets_emulator.values import render, write_input

INPUT_OPTIONS = ("RAW", "USER_ENTERED")
RENDER_OPTIONS = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")


def window_range(window: Window) -> str:
    return format_range(window.sheet.title, window.r0, window.r1, window.c0, window.c1)


def value_range(
    window: Window, value_render: str, date_render: str, major: str = "ROWS"
) -> dict[str, Any]:
    """A ValueRange for a window, trailing empty cells and rows trimmed."""
    if value_render not in RENDER_OPTIONS:
        raise bad_request(f"Invalid valueRenderOption: {value_render}")
    sheet = window.sheet
    grid = [
        [render(sheet.cell(r, c), value_render, date_render) for c in range(window.c0, window.c1)]
        for r in range(window.r0, window.r1)
    ]
    if major == "COLUMNS":
        grid = [list(column) for column in zip(*grid, strict=True)] if grid else []
    for line in grid:
        while line and line[-1] == "":
            line.pop()
    while grid and not grid[-1]:
        grid.pop()
    result: dict[str, Any] = {"range": window_range(window), "majorDimension": major}
    if grid:
        result["values"] = grid
    return result


def _render_options(ctx: Context, prefix: str = "") -> tuple[str, str, str]:
    source = ctx.body if prefix == "body" and isinstance(ctx.body, dict) else {}

    def get(name: str, default: str) -> str:
        return str(source.get(name) or ctx.param(name) or default)

    return (
        get("valueRenderOption", "FORMATTED_VALUE"),
        get("dateTimeRenderOption", "SERIAL_NUMBER"),
        get("majorDimension", "ROWS"),
    )


def values_get(ctx: Context, range_text: str) -> dict[str, Any]:
    """GET values/{range}."""
    value_render, date_render, major = _render_options(ctx)
    return value_range(resolve_a1(ctx.book, range_text).window, value_render, date_render, major)


def values_batch_get(ctx: Context) -> dict[str, Any]:
    """GET values:batchGet?ranges=..&ranges=.."""
    value_render, date_render, major = _render_options(ctx)
    ranges = [
        value_range(resolve_a1(ctx.book, text).window, value_render, date_render, major)
        for text in ctx.query.get("ranges", [])
    ]
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key}
    if ranges:
        result["valueRanges"] = ranges
    return result


def input_option(ctx: Context, source: dict[str, Any] | None = None) -> str:
    option = (source or {}).get("valueInputOption") or ctx.param("valueInputOption")
    if not option:
        raise bad_request("'valueInputOption' is required but not specified")
    if option not in INPUT_OPTIONS:
        raise bad_request(
            "Invalid value at 'value_input_option' "
            f'(type.googleapis.com/google.apps.sheets.v4.ValueInputOption), "{option}"'
        )
    return str(option)


def write_values(
    ctx: Context,
    target: Target,
    body: dict[str, Any],
    option: str,
    echo: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """Write a ValueRange's values at a target; nulls are skipped. UpdateValuesResponse.

    With `echo` (value and date render options) the written cells come back as updatedData.
    """
    values = body.get("values") or []
    if not isinstance(values, list) or not all(isinstance(v, list) for v in values):
        raise bad_request("Invalid values: expected a list of lists")
    if body.get("majorDimension", "ROWS") == "COLUMNS":
        height = max((len(v) for v in values), default=0)
        values = [[col[i] if i < len(col) else None for col in values] for i in range(height)]
    window, sheet = target.window, target.window.sheet
    height, width = len(values), max((len(v) for v in values), default=0)
    if not height or not width:
        return {"spreadsheetId": ctx.book.key}
    text = target.text
    if target.rows_bounded and window.r0 + height > window.r1:
        last_row = window.r0 + height
        raise bad_request(
            f"Requested writing within range [{text}], but tried writing to row [{last_row}]"
        )
    if target.cols_bounded and window.c0 + width > window.c1:
        column = column_letters(window.c0 + width - 1)
        raise bad_request(
            f"Requested writing within range [{text}], but tried writing to column [{column}]"
        )
    r1, c1 = window.r0 + height, window.c0 + width
    written = format_range(sheet.title, window.r0, r1, window.c0, c1)
    if r1 > sheet.row_count or c1 > sheet.column_count:
        raise grid_error(sheet, written.rpartition("!")[2])
    for i, line in enumerate(values):
        if all(raw is None for raw in line):
            continue
        row = sheet.writable_row(window.r0 + i)
        for j, raw in enumerate(line):
            if raw is None:
                continue  # "Null values will be skipped."
            col = window.c0 + j
            formula = write_input(row, col, raw, option, f"[{i}][{j}]")
            if formula is not None:
                cell = format_range(sheet.title, window.r0 + i, window.r0 + i + 1, col, col + 1)
                ctx.formulas.append((sheet.title, cell.rpartition("!")[2], formula.text))
    result = {
        "spreadsheetId": ctx.book.key,
        "updatedRange": written,
        "updatedRows": height,
        "updatedColumns": width,
        "updatedCells": sum(len(line) for line in values),
    }
    if echo is not None:
        written_window = Window(sheet, window.r0, r1, window.c0, c1)
        result["updatedData"] = value_range(written_window, *echo)
    return result


def values_update(ctx: Context, range_text: str) -> dict[str, Any]:
    """PUT values/{range}?valueInputOption=..."""
    option = input_option(ctx)
    query = {name: values[0] for name, values in ctx.query.items()}
    target = resolve_a1(ctx.book, range_text)
    return write_values(ctx, target, ctx.body or {}, option, _echo(query))


def _prefixed(index: int, error: ApiError) -> ApiError:
    return ApiError(error.code, f"Invalid data[{index}]: {error.message}", status=error.status)


def _echo(source: dict[str, Any]) -> tuple[str, str] | None:
    """includeValuesInResponse with its render options, from a body or the query."""
    if str(source.get("includeValuesInResponse", "false")).lower() != "true":
        return None
    value_render = str(source.get("responseValueRenderOption") or "FORMATTED_VALUE")
    return value_render, str(source.get("responseDateTimeRenderOption") or "SERIAL_NUMBER")


def _totals(ctx: Context, responses: list[dict[str, Any]], sheets: set[int]) -> dict[str, Any]:
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key}
    for total, key in (
        ("totalUpdatedRows", "updatedRows"),
        ("totalUpdatedColumns", "updatedColumns"),
        ("totalUpdatedCells", "updatedCells"),
    ):
        if count := sum(r.get(key, 0) for r in responses):
            result[total] = count
    if sheets:
        result["totalUpdatedSheets"] = len(sheets)
    if responses:
        result["responses"] = responses
    return result


def values_batch_update(ctx: Context) -> dict[str, Any]:
    """POST values:batchUpdate: every ValueRange, all or nothing."""
    body = ctx.body or {}
    option = input_option(ctx, body)
    responses, sheets = [], set()
    for index, entry in enumerate(body.get("data") or []):
        try:
            target = resolve_a1(ctx.book, str(entry.get("range", "")))
            response = write_values(ctx, target, entry, option, _echo(body))
        except ApiError as error:
            raise _prefixed(index, error) from None
        sheets.add(target.window.sheet.sheet_id)
        responses.append(response)
    return _totals(ctx, responses, sheets)


def values_batch_update_by_filter(ctx: Context) -> dict[str, Any]:
    """POST values:batchUpdateByDataFilter: values follow the rows their metadata is on."""
    body = ctx.body or {}
    option = input_option(ctx, body)
    responses, sheets = [], set()
    for index, entry in enumerate(body.get("data") or []):
        data_filter = entry.get("dataFilter") or {}
        try:
            targets = filter_targets(ctx, data_filter)
            if not targets and ctx.unmatched_filter == "error":
                raise bad_request("No ranges matched the data filter.")
            merged: dict[str, Any] = {}
            for target in targets:
                response = write_values(ctx, target, entry, option, _echo(body))
                sheets.add(target.window.sheet.sheet_id)
                for key in ("updatedRows", "updatedColumns", "updatedCells"):
                    merged[key] = merged.get(key, 0) + response.get(key, 0)
                merged.setdefault("updatedRange", response.get("updatedRange"))
                if "updatedData" in response:
                    merged.setdefault("updatedData", response["updatedData"])
        except ApiError as error:
            raise _prefixed(index, error) from None
        if not targets and ctx.unmatched_filter == "omit":
            continue  # a guess: the entry that matched nothing gets no answer at all
        responses.append(
            {**{k: v for k, v in merged.items() if v}, "dataFilter": copy.deepcopy(data_filter)}
        )
    if ctx.shuffle_answers:  # a guess: no order is promised for these answers
        responses.reverse()
    return _totals(ctx, responses, sheets)


def values_batch_get_by_filter(ctx: Context) -> dict[str, Any]:
    """POST values:batchGetByDataFilter (the render options are in the body)."""
    body = ctx.body or {}
    value_render, date_render, major = _render_options(ctx, "body")
    found = []
    for data_filter in body.get("dataFilters") or []:
        for target in filter_targets(ctx, data_filter):
            found.append(
                {
                    "valueRange": value_range(target.window, value_render, date_render, major),
                    "dataFilters": [copy.deepcopy(data_filter)],
                }
            )
    result: dict[str, Any] = {"spreadsheetId": ctx.book.key}
    if found:
        result["valueRanges"] = found
    return result
