"""JSON text of an answer, with the values many of its cells share encoded only once.

A grid answer of a formatted 1000-row tab repeats the same userEnteredFormat and
effectiveFormat thousands of times: megabytes of JSON that json.dumps would encode cell by
cell. A Fragment stands for such a value; it is encoded once and spliced into the text.
"""

from __future__ import annotations

import json
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


def dumps(body: Any) -> str:
    """JSON text of `body`, in which Fragments stand for their values."""
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
