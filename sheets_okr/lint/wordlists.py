"""Word lists for the plan checks, kept in TOML files so teams can extend them."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from sheets_okr.errors import UsageError

# A number standing on its own, with a non-Latin counter (53개, 5명) or a short scale (10k, 2M,
# 3x), but not inside a name such as B2B, Q4 or COVID-19; years, and the Korean quarter and
# month names (4분기, 12월), are no measure either.
_NUMBER = re.compile(
    r"(?<![A-Za-z\d\-])\d+(?:[.,]\d+)*(?:[kKmMxX](?![A-Za-z\d])|(?![A-Za-z\d]|\s*분기|월))"
)
_YEAR = re.compile(r"^(19|20)\d\d$")
# 프로 is a percentage only after a number (20프로): alone it opens 프로그램, 프로모션...
_PERCENT = re.compile(r"\d\s*%|\bper\s*cent\b|\bpercent\b|퍼센트|\d\s*프로(?![a-z])", re.IGNORECASE)
# A scale written right after a number (1.2M, 20k, 2만, 5%), as values.read_number reads it.
_SCALE = r"(?:[kKMB](?![A-Za-z\d])|bn(?![A-Za-z])|mn(?![A-Za-z])|[천만억]|%)?"
# Bounded and possessive, so that a long run of digits cannot make it backtrack for minutes.
_FROM_TO = re.compile(
    rf"\bfrom\s+\S{{0,20}}?(?<![\d,.])(\d[\d,.]*+)({_SCALE})\D{{0,12}}?\s+to\s+\S{{0,20}}?"
    rf"(?<![\d,.])(\d[\d,.]*+)({_SCALE})"
    rf"|(?<![\d,.])(\d[\d,.]*+)({_SCALE})\S{{0,12}}?\s*에서\s*(\d[\d,.]*+)({_SCALE})",
    re.IGNORECASE,
)
_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "b": 1e9, "bn": 1e9, "천": 1e3, "만": 1e4, "억": 1e8,
           "%": 0.01}  # fmt: skip
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_TOKEN = re.compile(r"[A-Za-z]+(?:'[a-z]+)?|[\uac00-\ud7a3]+")


@dataclass(frozen=True)
class WordLists:
    """Words by role; Latin words match whole words, Korean ones inside words."""

    direction: frozenset[str]
    vague: frozenset[str]
    action: frozenset[str]
    numbers: frozenset[str]

    @classmethod
    def load(cls, extra: Iterable[Path] = ()) -> WordLists:
        """The shipped English and Korean lists, plus any a team gives."""
        folder = resources.files("sheets_okr.lint") / "words"
        texts = [(folder / name).read_text("utf-8") for name in ("en.toml", "ko.toml")]
        sources = ["en.toml", "ko.toml"]
        for path in extra:
            try:
                texts.append(Path(path).read_text("utf-8"))
            except (OSError, UnicodeDecodeError) as error:
                raise UsageError(f"{path}: cannot read the word list ({error})") from error
            sources.append(str(path))
        lists: dict[str, set[str]] = {k: set() for k in ("direction", "vague", "action", "numbers")}
        for source, text in zip(sources, texts, strict=True):
            try:
                data = tomllib.loads(text)
            except tomllib.TOMLDecodeError as error:
                raise UsageError(f"{source}: the word list is not valid TOML: {error}") from error
            lists["direction"] |= _words(data, "objective", "direction")
            lists["vague"] |= _words(data, "key_result", "vague")
            lists["action"] |= _words(data, "key_result", "action")
            lists["numbers"] |= _words(data, "numbers", "words")
        return cls(**{k: frozenset(v) for k, v in lists.items()})


def _words(data: dict[str, object], table: str, key: str) -> set[str]:
    section = data.get(table, {})
    if not isinstance(section, dict):
        raise UsageError(f"word list [{table}] must be a table holding {key} = [...]")
    values = section.get(key, [])
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise UsageError(f"word list [{table}] {key} must be a list of strings")
    return {v.strip().casefold() for v in values if v.strip()}


def _forms(word: str) -> set[str]:
    """A Latin word and its regular endings: improve, improves, improved, improving."""
    forms = {word, word + "s", word + "es", word + "ed", word + "d", word + "ing"}
    if word.endswith("e"):
        forms.add(word[:-1] + "ing")
    if word.endswith("y"):
        forms |= {word[:-1] + "ies", word[:-1] + "ied"}
    if (
        len(word) > 2
        and word[-1] not in "aeiouwy"
        and word[-2] in "aeiou"
        and word[-3] not in "aeiou"
    ):
        forms |= {word + word[-1] + "ed", word + word[-1] + "ing"}  # plan -> planned
    return forms


def _tokens(title: str) -> list[str]:
    return [t.casefold() for t in _TOKEN.findall(title)]


def contains_word(title: str, words: frozenset[str], *, first_only: bool = False) -> str | None:
    """The first listed word found in a title (for Latin words and phrases, as whole words).

    With `first_only` a Latin word or phrase must open the title and a Korean word must be in
    its last Korean word, where Korean puts the verb.
    """
    tokens = _tokens(title)
    latin = [t for t in tokens if not _HANGUL.search(t)]
    korean = [t for t in tokens if _HANGUL.search(t)]
    candidates = latin[:1] if first_only else latin
    index = _index(words)
    found = {index.forms[token] for token in candidates if token in index.forms}
    pool = korean[-1:] if first_only else korean  # Korean verbs come last
    found |= {word for word in index.korean if any(word in token for token in pool)}
    found |= {
        word for word, parts in index.phrases
        if _has_phrase(tokens, parts, first_only=first_only)
    }  # fmt: skip
    return min(found) if found else None  # the first in sorted order, as documented


@dataclass(frozen=True)
class _Index:
    forms: dict[str, str]  # every form of a single Latin word -> the listed word
    korean: tuple[str, ...]
    phrases: tuple[tuple[str, list[str]], ...]


@lru_cache(maxsize=32)
def _index(words: frozenset[str]) -> _Index:
    """Lookups built once per word list: matching is then a set membership per token."""
    forms: dict[str, str] = {}
    korean, phrases = [], []
    for word in sorted(words, reverse=True):  # the first word wins a shared form
        if _HANGUL.search(word):
            korean.append(word)
        elif len(word.split()) > 1:
            phrases.append((word, word.split()))
        else:
            forms.update(dict.fromkeys(_forms(word), word))
    return _Index(forms, tuple(korean), tuple(phrases))


def _has_phrase(tokens: list[str], parts: list[str], *, first_only: bool) -> bool:
    """Whether whole tokens spell a phrase, its first word in any form (set up, rolled out)."""
    first, rest = _forms(parts[0]), parts[1:]
    starts = range(1) if first_only else range(len(tokens) - len(parts) + 1)
    return any(
        tokens[i] in first and tokens[i + 1 : i + len(parts)] == rest
        for i in starts
        if i + len(parts) <= len(tokens)
    )


def numbers_in(title: str) -> list[str]:
    """Numbers a title states (years left out)."""
    return [n for n in _NUMBER.findall(title) if not _YEAR.match(n)]


def has_number(title: str, words: WordLists) -> bool:
    """Whether a title states a quantity, in digits or as a number word."""
    return bool(numbers_in(title)) or bool(set(_tokens(title)) & words.numbers)


def has_percentage(title: str) -> bool:
    """Whether a title speaks in percentages."""
    return bool(_PERCENT.search(title))


def _from_to_parts(title: str) -> tuple[str, str, str, str] | None:
    """The A and B of "from A to B" (or "A에서 B로") as written, each with its scale."""
    match = _FROM_TO.search(title)
    if match is None:
        return None
    if match.group(1):
        return match.group(1), match.group(2), match.group(3), match.group(4)
    return match.group(5), match.group(6), match.group(7), match.group(8)


def _plain(number: str) -> float:
    return float(number.replace(",", "").rstrip("."))


def from_to(title: str) -> tuple[float, float] | None:
    """The A and B of a title saying "from A to B" (or "A에서 B로"), as written."""
    parts = _from_to_parts(title)
    if parts is None:
        return None
    try:
        return _plain(parts[0]), _plain(parts[2])
    except ValueError:
        return None


def from_to_readings(title: str) -> list[tuple[float, float]]:
    """The A and B of a title as written and, when it gives a scale (1.2M, 20k, 2만, 5%),
    as the numbers the cells hold: from $1.2M to $1.5M also reads as 1,200,000 to 1,500,000.
    """
    parts = _from_to_parts(title)
    if parts is None:
        return []
    try:
        first, second = _plain(parts[0]), _plain(parts[2])
    except ValueError:
        return []
    scaled = (
        first * _SCALES.get(parts[1].casefold(), 1.0),
        second * _SCALES.get(parts[3].casefold(), 1.0),
    )
    return [(first, second)] if scaled == (first, second) else [(first, second), scaled]
