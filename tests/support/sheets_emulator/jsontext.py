"""JSON text of an answer, with the values many of its cells share encoded only once.

A grid answer of a formatted 1000-row tab repeats the same userEnteredFormat and
effectiveFormat thousands of times: megabytes of JSON that json.dumps would encode cell by
cell. A Fragment stands for such a value; it is encoded once and spliced into the text.

Google indents its answers (two spaces, `"key": value`) unless asked for prettyPrint=false:
dumps(body, pretty=True) writes that, each Fragment indented once per depth it appears at.
"""

from __future__ import annotations

import json
import json.encoder
import math
from collections.abc import Callable
from typing import Any

_MARK = "\ue000"  # a private-use character, as a placeholder's first and last character
_OPTIONS: dict[str, Any] = {
    "ensure_ascii": False,
    "separators": (",", ":"),
    "check_circular": False,
}


class Fragment:
    """A JSON value that several places of one answer share (and nobody changes)."""

    __slots__ = ("_text", "value")

    def __init__(self, value: Any) -> None:
        self.value = value
        self._text: str | None = None

    @property
    def text(self) -> str:
        """The value as JSON, encoded the first time it is needed."""
        if self._text is None:
            self._text = dumps(self.value)
        return self._text


def dumps(body: Any, *, pretty: bool = False) -> str:
    """JSON text of `body`, in which Fragments stand for their values; indented if pretty."""
    if pretty:
        return _Pretty().text(body)
    fragments: list[Fragment] = []
    numbers: dict[int, int] = {}
    placeholders = 0

    def placeholder(value: object) -> str:
        nonlocal placeholders
        if not isinstance(value, Fragment):
            raise TypeError(f"{type(value).__name__} is not JSON serializable")
        number = numbers.get(id(value))
        if number is None:
            number = numbers[id(value)] = len(fragments)
            fragments.append(value)
        placeholders += 1
        return f"{_MARK}{number}{_MARK}"

    # Not indented: json's C encoder only serves compact output. Fragments are shared, so
    # the answer is a DAG and not a tree: check_circular would refuse nothing anyway.
    text = json.dumps(body, **_OPTIONS, default=placeholder)
    if not fragments:
        return text
    chunks = text.split('"' + _MARK)
    if len(chunks) != placeholders + 1:  # a string of the answer starts with the mark
        return json.dumps(body, **_OPTIONS, default=_value)
    parts = [chunks[0]]
    for chunk in chunks[1:]:
        number, _, rest = chunk.partition(_MARK + '"')
        parts += (fragments[int(number)].text, rest)
    return "".join(parts)


def _value(value: object) -> Any:
    if isinstance(value, Fragment):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


_encode_string: Callable[[str], str] = json.encoder.encode_basestring
_float_text = float.__repr__
_int_text = int.__repr__


class _Pretty:
    """Indented JSON as json.dumps(indent=2) writes it, and faster (json's C encoder does
    not indent: its Python one takes seconds for a large grid). Scalars are written in
    place, containers by recursion; a Fragment's text is made once per indentation."""

    def __init__(self) -> None:
        # (id(Fragment), indentation) -> (Fragment, its text): kept alive, so ids stay
        self._fragments: dict[tuple[int, str], tuple[Fragment, str]] = {}

    def text(self, body: Any) -> str:
        out: list[str] = []
        self._value(body, "\n", out)
        return "".join(out)

    def _value(self, value: Any, newline: str, out: list[str]) -> None:
        """Append `value` to out; `newline` is a line break and the current indentation."""
        kind = type(value)
        if kind is str:
            out.append(_encode_string(value))
        elif kind is dict:
            self._object(value, newline, out)
        elif kind is list:
            self._array(value, newline, out)
        elif kind is Fragment:
            out.append(self._fragment(value, newline))
        elif isinstance(value, dict):
            self._object(value, newline, out)
        elif isinstance(value, list | tuple):
            self._array(list(value), newline, out)
        else:
            out.append(_scalar(value))

    def _object(self, value: dict[str, Any], newline: str, out: list[str]) -> None:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        separator = "{" + inner
        between = "," + inner
        append = out.append
        for key, item in value.items():
            append(separator)
            append(_encode_string(key))
            append(": ")
            kind = type(item)
            if kind is str:
                append(_encode_string(item))
            elif kind is float and item - item == 0:  # finite
                append(_float_text(item))
            elif kind is int:
                append(_int_text(item))
            else:
                self._value(item, inner, out)
            separator = between
        append(newline)
        append("}")

    def _array(self, value: list[Any], newline: str, out: list[str]) -> None:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        separator = "[" + inner
        between = "," + inner
        for item in value:
            out.append(separator)
            self._value(item, inner, out)
            separator = between
        out.append(newline)
        out.append("]")

    def _fragment(self, fragment: Fragment, newline: str) -> str:
        key = (id(fragment), newline)
        known = self._fragments.get(key)
        if known is None:
            out: list[str] = []
            self._value(fragment.value, newline, out)
            known = self._fragments[key] = (fragment, "".join(out))
        return known[1]


def _scalar(value: Any) -> str:
    """A number, boolean or null as json.dumps writes it."""
    if value is True:
        return "true"
    if value is False:
        return "false"
    if value is None:
        return "null"
    if isinstance(value, int):
        return _int_text(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if value - value != 0:
            return "Infinity" if value > 0 else "-Infinity"
        return _float_text(value)
    if isinstance(value, str):
        return _encode_string(value)
    raise TypeError(f"{type(value).__name__} is not JSON serializable")
