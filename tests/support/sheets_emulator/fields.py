"""Field masks ("userEnteredFormat(backgroundColor,textFormat)", "gridProperties.rowCount")."""

from __future__ import annotations

import functools
from typing import Any


def json_copy(value: Any) -> Any:
    """A deep copy of parsed JSON (dicts, lists and scalars), much faster than copy.deepcopy."""
    if isinstance(value, dict):
        return {key: json_copy(item) for key, item in value.items()}
    if isinstance(value, list):
        return [json_copy(item) for item in value]
    return value


def parse_mask(mask: str) -> list[list[str]]:
    """The paths a mask names: "a(b,c),d/e" -> [["a","b"], ["a","c"], ["d","e"]]."""
    return [list(path) for path in _parse_mask(mask)]


@functools.lru_cache(maxsize=256)
def _parse_mask(mask: str) -> tuple[tuple[str, ...], ...]:
    paths: list[tuple[str, ...]] = []

    def walk(text: str, prefix: list[str]) -> None:
        depth, start = 0, 0
        parts = []
        for i, char in enumerate(text):
            if char == "(":
                depth += 1
            elif char == ")":
                depth -= 1
            elif char == "," and depth == 0:
                parts.append(text[start:i])
                start = i + 1
        parts.append(text[start:])
        for part in (p.strip() for p in parts):
            if not part:
                continue
            if "(" in part and part.endswith(")"):
                head, _, inner = part.partition("(")
                walk(inner[:-1], prefix + _split(head))
            else:
                paths.append(tuple(prefix + _split(part)))

    walk(mask, [])
    return tuple(paths)


def _split(path: str) -> list[str]:
    return [p for p in path.replace("/", ".").split(".") if p]


def apply_mask(target: dict[str, Any], source: dict[str, Any], mask: str) -> None:
    """Copy the masked fields from source into target; a masked field absent in source is
    cleared, as the API does. "*" copies every top-level field."""
    for path in _parse_mask(mask):
        if path == ("*",):
            target.clear()
            target.update(json_copy(source))
            continue
        src: Any = source
        for key in path:
            src = src.get(key) if isinstance(src, dict) else None
        parents = [target]
        for key in path[:-1]:
            parents.append(parents[-1].setdefault(key, {}))
        if src is not None:
            parents[-1][path[-1]] = json_copy(src)
            continue
        parents[-1].pop(path[-1], None)
        # Drop the parents that clearing this field left empty.
        for parent, key in zip(reversed(parents[:-1]), reversed(path[:-1]), strict=True):
            if parent.get(key) == {}:
                del parent[key]
