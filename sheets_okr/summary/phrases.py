"""Phrases and number formats of the summary in the reader's language (English, Korean).

Fixed text lives in templates/i18n/LANG.toml; numbers and dates are formatted by Babel for
the language's locale.
"""

from __future__ import annotations

import datetime as dt
import math
import tomllib
from dataclasses import dataclass
from functools import cache

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent, format_scientific

from sheets_okr.errors import UsageError
from sheets_okr.resources import templates_dir

LANGUAGES = ("en", "ko")
# From here on a figure is written as 1.2E27: its last digits mean nothing, and Babel's
# decimal rounding fails outright on numbers of 25 digits and more (InvalidOperation).
PLAIN_LIMIT = 1e15


@cache
def _catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise UsageError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    text = (templates_dir() / "i18n" / f"{lang}.toml").read_text("utf-8")
    return {k: str(v) for k, v in tomllib.loads(text).items()}


@dataclass(frozen=True)
class Phrases:
    """Translations and formatters for one language."""

    lang: str

    @property
    def locale(self) -> str:
        """The Babel locale, such as ko_KR."""
        return _catalogue(self.lang)["locale"]

    def __call__(self, key: str, **values: object) -> str:
        """The fixed text `key`, with {placeholders} filled in."""
        return _catalogue(self.lang)[key].format(**values)

    def _decimal(self, value: float, pattern: str) -> str:
        """A figure in the locale's style; huge ones in scientific notation, inf as ∞ and
        NaN as a dash, since a sheet can hold any number and the summary must still go."""
        if math.isnan(value):
            return "–"
        if math.isinf(value):
            return "-∞" if value < 0 else "∞"
        if abs(value) >= PLAIN_LIMIT:
            return format_scientific(value, "0.###E0", locale=self.locale)
        return format_decimal(value, pattern, locale=self.locale)

    def percent(self, value: float | None) -> str:
        """A fraction as a whole percentage: 0.553 -> 55%."""
        if value is None or math.isnan(value):
            return "–"
        if math.isinf(value) or abs(value) * 100 >= PLAIN_LIMIT:
            return self._decimal(value * 100, "#,##0") + "%"
        return format_percent(value, "#,##0%", locale=self.locale)

    def points(self, value: float | None) -> str:
        """A change of a fraction in percentage points, signed: +4.5 pp (Korean: +4.5%p)."""
        if value is None or math.isnan(value):
            return "–"
        number = self._decimal(abs(value) * 100, "#,##0.#")
        sign = "+" if value > 5e-4 else "−" if value < -5e-4 else "±"
        return self("pp", value=sign + number)

    def number(self, value: float | None, unit: str | None = None) -> str:
        """A figure with its unit: 1,200 MQLs, $12,000, 1,300명."""
        if value is None or math.isnan(value):
            return "–"
        text = self._decimal(value, "#,##0.##")
        if not unit:
            return text
        if unit in {"$", "€", "£", "¥", "₩", "₹"}:
            return f"{unit}{text}"
        return f"{text}{unit}" if self.lang == "ko" and len(unit) <= 2 else f"{text} {unit}"

    def date(self, value: dt.date, style: str = "medium") -> str:
        """A date in the language's style: Nov 30, 2026 / 2026. 11. 30."""
        return format_date(value, style, locale=self.locale)

    def health(self, value: str) -> str:
        """A health value as words: on_track -> On track / 순항."""
        return self(f"health_{value}")
