"""Health as people read it in a sheet: words in the tracker's language.

The scorecard, JSON and CSV speak machine words (on_track); a sheet shows "On track" under
English headers and "순항" under Korean ones, the same words the leadership summary uses
(templates/i18n). Reading takes back any of them, machine words included, so a History tab
written by an earlier version, or in the other language, reads the same.
"""

from __future__ import annotations

import functools
import re
import tomllib
from collections.abc import Iterable

from sheets_okr.model.tracker import Health
from sheets_okr.resources import templates_dir

LANGUAGES = ("en", "ko")
_HANGUL = re.compile("[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")


@functools.cache
def health_words(lang: str) -> dict[str, str]:
    """Machine word -> the words a sheet shows, in one language (English when unknown)."""
    lang = lang if lang in LANGUAGES else "en"
    phrases = tomllib.loads((templates_dir() / "i18n" / f"{lang}.toml").read_text("utf-8"))
    return {health.value: str(phrases[f"health_{health.value}"]) for health in Health}


def shown_health(value: object, lang: str) -> str | None:
    """A health value as the sheet shows it (None stays None)."""
    if value is None:
        return None
    return health_words(lang).get(str(value), str(value))


@functools.cache
def _machine_words() -> dict[str, str]:
    found = {health.value: health.value for health in Health}
    for lang in LANGUAGES:
        for machine, words in health_words(lang).items():
            found[words.casefold()] = machine
    return found


def machine_health(text: str) -> str:
    """The machine word of a health a sheet shows, in any language ("" when it is none)."""
    cleaned = text.strip()
    return _machine_words().get(cleaned.casefold(), _machine_words().get(cleaned, ""))


def language_of(texts: Iterable[object]) -> str:
    """The tracker's language from its header cells: Korean when any holds Hangul."""
    return "ko" if any(isinstance(t, str) and _HANGUL.search(t) for t in texts) else "en"


def fills(colours: dict[str, str]) -> dict[str, str]:
    """A colour per health as shown in every language (and as machine words)."""
    out = dict(colours)
    for lang in LANGUAGES:
        for machine, words in health_words(lang).items():
            if machine in colours:
                out[words] = colours[machine]
    return out
