"""Helpers of the structural changes (insert, delete, move) that are not about lines."""

from __future__ import annotations

from typing import Any


def shift_ranges(
    merges: list[dict[str, Any]],
    rules: list[dict[str, Any]],
    dimension: str,
    start: int,
    end: int,
    delta: int,
) -> list[dict[str, Any]]:
    """Keep merges and conditional format ranges on the same cells after a change.

    The ranges change in place; the merges still covering a cell are returned.
    """
    keys = (
        ("startRowIndex", "endRowIndex")
        if dimension == "ROWS"
        else ("startColumnIndex", "endColumnIndex")
    )
    ranges = merges + [r for rule in rules for r in rule["ranges"]]
    for grid_range in ranges:
        for key in keys:
            if key not in grid_range:
                continue
            value = grid_range[key]
            if delta > 0 and (value > start or (value == start and key == keys[0])):
                grid_range[key] = value + delta
            elif delta < 0:
                grid_range[key] = value if value <= start else max(start, value + delta)
    return [m for m in merges if m[keys[0]] < m[keys[1]]]


def moved(items: list[Any], start: int, end: int, destination: int) -> list[Any]:
    """items with [start, end) moved to `destination` (counted before they are taken out)."""
    block = items[start:end]
    rest = items[:start] + items[end:]
    at = destination if destination <= start else destination - (end - start)
    return rest[:at] + block + rest[at:]
