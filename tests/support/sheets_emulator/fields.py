"""Field masks ("userEnteredFormat(backgroundColor,textFormat)", "gridProperties.rowCount")."""

from __future__ import annotations

import functools
from typing import Any

from tests.support.sheets_emulator.jsontext import Fragment


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


# -- read masks: the `fields` query parameter of a read (Google's partial responses) ----------

# A field's name -> what of it to keep: a Mask of its sub-fields, or None for all of it.
Mask = dict[str, "Mask | None"]
_ABSENT: Any = object()


class MaskError(ValueError):
    """A `fields` parameter Google refuses (400), with the message Google gives."""


def read_mask(text: str) -> Mask | None:
    """The tree a partial-response mask names ("a,b(c,d/e),f.g"); None when it keeps all.

    "/" and "." both separate a path's parts, parentheses group sub-fields, and "*" stands
    for every field of its level. Spaces are not trimmed: as Google's, they are part of the
    name. The tree is shared between calls: never change it.
    """
    return _read_mask(text)


@functools.lru_cache(maxsize=256)
def _read_mask(text: str) -> Mask | None:
    root: Mask = {}
    end = _read_list(text, 0, root)
    if end != len(text) or not root:
        raise MaskError(f"Invalid field selection {text}")
    return _whole_if_starred(root)


def _read_list(text: str, i: int, into: Mask) -> int:
    """Read "path[(list)],..." from text[i:] into `into`; the index where the list ends."""
    while True:
        path: list[str] = []
        start = i
        while True:
            while i < len(text) and text[i] not in ",()/.":
                i += 1
            if i == start:
                raise MaskError(f"Invalid field selection {text}")
            path.append(text[start:i])
            if i < len(text) and text[i] in "/.":
                i += 1
                start = i
                continue
            break
        if i < len(text) and text[i] == "(":
            inner: Mask = {}
            i = _read_list(text, i + 1, inner)
            if i >= len(text) or text[i] != ")" or not inner:
                raise MaskError(f"Invalid field selection {text}")
            i += 1
            for sub_path, leaf in _paths(inner):
                _add(into, [*path, *sub_path], leaf)
        else:
            _add(into, path, None)
        if i < len(text) and text[i] == ",":
            i += 1
            continue
        return i


def _paths(mask: Mask) -> list[tuple[list[str], None]]:
    found: list[tuple[list[str], None]] = []
    for key, child in mask.items():
        if child is None:
            found.append(([key], None))
        else:
            found += [([key, *path], None) for path, _ in _paths(child)]
    return found


def _add(root: Mask, path: list[str], leaf: None) -> None:
    node = root
    for part in path[:-1]:
        child = node.setdefault(part, {})
        if child is None:  # an ancestor is kept whole already
            return
        node = child
    node[path[-1]] = leaf


def _whole_if_starred(node: Mask) -> Mask | None:
    for key, child in node.items():
        if child is not None:
            node[key] = _whole_if_starred(child)
    return None if "*" in node and node["*"] is None else node


def sub_mask(mask: Mask | None, name: str) -> tuple[bool, Mask | None]:
    """Whether a mask keeps the field `name`, and what of it (None: all of it)."""
    if mask is None:
        return True, None
    own = mask.get(name, _ABSENT)
    star = mask.get("*", _ABSENT)
    if star is _ABSENT:
        return own is not _ABSENT, None if own is _ABSENT else own
    if own is _ABSENT or own is None or star is None:
        return True, star if own is _ABSENT else None
    return True, _union(own, star)


def _union(one: Mask, other: Mask) -> Mask:
    merged: Mask = dict(one)
    for key, child in other.items():
        mine = merged.get(key, _ABSENT)
        if mine is _ABSENT:
            merged[key] = child
        elif mine is not None:
            merged[key] = None if child is None else _union(mine, child)
    return merged


def select(value: Any, mask: Mask | None) -> Any:
    """The part of a JSON value a mask keeps, element by element through lists.

    An object left with no field is dropped from its parent object, but stays `{}` as the
    element of a list (a cell, a row), where its place counts. A Fragment's value is read.
    """
    if mask is None:
        return value
    if isinstance(value, list):
        return [select(item, mask) for item in value]
    if isinstance(value, Fragment):
        value = value.value
    if not isinstance(value, dict):
        return value
    return select_fields(value, mask)


def select_fields(
    value: dict[str, Any], mask: Mask | None, done: tuple[str, ...] = ()
) -> dict[str, Any]:
    """select() of an object whose fields named in `done` are masked already (if kept)."""
    if mask is None:
        return value
    kept: dict[str, Any] = {}
    for key, item in value.items():
        wanted, sub = sub_mask(mask, key)
        if not wanted:
            continue
        if sub is None or key in done:
            kept[key] = item
            continue
        picked = select(item, sub)
        if picked != {}:
            kept[key] = picked
    return kept
