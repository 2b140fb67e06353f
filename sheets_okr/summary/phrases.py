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
from markupsafe import Markup

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
        """The fixed text `key`, with {placeholders} filled in. When a value is HTML
        (Markup, such as a nowrap span), the result is HTML too, every other value escaped."""
        text = _catalogue(self.lang)[key]
        if any(isinstance(value, Markup) for value in values.values()):
            return Markup(text).format(**values)
        return text.format(**values)

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
        """A change of a fraction in points of percentage, signed, always with one decimal so
        the changes of one email read alike: +2.0, +4.5, ±0.0 (Korean: +4.5%p)."""
        if value is None or math.isnan(value):
            return "–"
        number = self._decimal(abs(value) * 100, "#,##0.0")
        sign = "+" if value > 5e-4 else "−" if value < -5e-4 else "±"
        return self("pp", value=sign + number)

    def plural(self, key: str, count: int, **values: object) -> str:
        """The fixed text `key` for a count: KEY_one for 1 where the language has it (1 day,
        2 days), else KEY_other, else KEY."""
        catalogue = _catalogue(self.lang)
        chosen = f"{key}_one" if count == 1 and f"{key}_one" in catalogue else f"{key}_other"
        return self(chosen if chosen in catalogue else key, count=count, **values)

    def number(self, value: float | None, unit: str | None = None) -> str:
        """A figure with its unit: 1,200 MQLs, $12,000, 5%, 1,300명, 10억 원."""
        if value is None or math.isnan(value):
            return "–"
        if self.lang == "ko" and unit in WON and abs(value) < PLAIN_LIMIT:  # 5,000 원, 10억 원
            return (
                korean_amount(value) if abs(value) >= 10_000 else self._decimal(value, "#,##0.##")
            ) + " 원"
        text = self._decimal(value, "#,##0.##")
        if not unit:
            return text
        if unit in {"$", "€", "£", "¥", "₩", "₹"}:
            return f"{unit}{text}"
        if unit in {"%", "‰"} or (self.lang == "ko" and len(unit) <= 2):
            return f"{text}{unit}"
        return f"{text} {unit}"

    def to(self, text: str) -> str:
        """Korean: the particle (으)로 that follows `text` as it is read aloud (100으로,
        5로, 10억 원으로); other languages have none."""
        return ro_particle(text) if self.lang == "ko" else ""

    def date(self, value: dt.date, style: str = "") -> str:
        """A date, in one format everywhere: Nov 30, 2026 / 2026년 11월 30일. (`style` is
        kept for callers of an earlier version; there is one style.)"""
        return format_date(value, _catalogue(self.lang)["date_format"], locale=self.locale)

    def health(self, value: str) -> str:
        """A health value as words: on_track -> On track / 순항."""
        return self(f"health_{value}")

    def lead(self, score: float | None, expected: float, shown: str | None = None) -> str:
        """The score against the pace, in whole points as both are shown: "55%, 10 points
        behind the 65% pace". `shown` is the score as the sentence shows it (HTML: the big
        figure the summary leads with), else the percentage."""
        pace = self.percent(expected)
        if score is None or math.isnan(score):
            return self("lead_no_score", expected=pace)
        text = self.percent(score) if shown is None else shown
        gap = round(expected * 100) - round(score * 100)
        if gap == 0:
            return self("lead_on", score=text, expected=pace)
        key = "lead_behind" if gap > 0 else "lead_ahead"
        return self.plural(key, abs(gap), score=text, expected=pace)

    def status(self, health: str, score: float | None, expected: float) -> str:
        """The health as words beside a score said against the pace: "On track, 10 points
        behind pace" when on track yet behind, so a green label never reads as "on
        the pace"; else the health alone."""
        words = self.health(health)
        if health != "on_track" or score is None or math.isnan(score):
            return words
        gap = round(expected * 100) - round(score * 100)
        return self.plural("status_behind", gap, health=words) if gap > 0 else words

    def more(self, kind: str, count: int) -> str:
        """What a capped list leaves out, named: "and 1 more key result", "and 3 more
        objectives" (kind: krs, objectives, actions, checks)."""
        return self.plural(f"more_{kind}", count)

    def counts(self, at_risk: int, off_track: int, no_check_in: int, total: int) -> str:
        """How many key results need attention: "2 at risk, 2 off track, 1 without a
        check-in, of 13 key results"."""
        parts = [self("count_at_risk", count=at_risk), self("count_off_track", count=off_track)]
        if no_check_in:
            parts.append(self("count_no_check_in", count=no_check_in))
        return self("counts", parts=", ".join(parts), of=self.plural("of_krs", total))

    def due(self, days: int) -> str:
        """When an action is due: 1 day overdue, due today, due in 3 days."""
        if days < 0:
            return self.plural("days_overdue", -days)
        return self("due_today") if days == 0 else self.plural("due_in", days)


WON = frozenset({"원", "₩", "KRW", "won"})
_KOREAN_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))


def korean_amount(value: float) -> str:
    """An amount the Korean way, in 조, 억 and 만 (two units at most, the rest rounded):
    1,000,000,000 -> 10억; 15,600,000 -> 1,560만; 1,234,567,890 -> 12억 3,457만."""
    sign = "-" if value < 0 else ""
    total = round(abs(value))
    sizes = [(size, word) for size, word in _KOREAN_UNITS if total >= size]
    if not sizes:
        return f"{sign}{total:,}"
    size, word = sizes[0]
    top, remainder = divmod(total, size)
    lower = [(s, w) for s, w in _KOREAN_UNITS if s < size]
    if not remainder:
        return f"{sign}{top:,}{word}"
    if not lower:  # 만 is the smallest unit: the rest in plain digits
        return f"{sign}{top:,}{word} {remainder:,}"
    count = round(remainder / lower[0][0])
    if count * lower[0][0] >= size:  # rounding carried into the unit above
        return f"{sign}{top + 1:,}{word}"
    return f"{sign}{top:,}{word}" + (f" {count:,}{lower[0][1]}" if count else "")


# How the last sound of a number or letter ends: with a final consonant (받침), and ㄹ.
_DIGIT_FINAL = {"0": "ㅇ", "1": "ㄹ", "2": "", "3": "ㅁ", "4": "", "5": "", "6": "ㄱ",
                "7": "ㄹ", "8": "ㄹ", "9": ""}  # fmt: skip
# 십 백 천 만 ... 억 ... 조: a round number is read by its last unit.
_ZEROS_FINAL = {1: "ㅂ", 2: "ㄱ", 3: "ㄴ", 4: "ㄴ", 8: "ㄱ", 12: ""}
_CURRENCY_FINAL = {"$": "", "€": "", "£": "", "¥": "ㄴ", "₩": "ㄴ", "₹": ""}  # 달러 유로 ... 엔 원
_LETTER_FINAL = {"l": "ㄹ", "m": "ㅁ", "n": "ㄴ", "r": "ㄹ"}  # 엘, 엠, 엔, 알; others open


def _final(text: str) -> str | None:
    """The final consonant of `text` read aloud ("" for none); None when unknown."""
    text = text.rstrip(" )]}.")
    if not text:
        return None
    if text[0] in _CURRENCY_FINAL and text[-1].isdigit():  # $12,000: 만 이천 달러
        return _CURRENCY_FINAL[text[0]]
    last = text[-1]
    if "가" <= last <= "힣":
        index = (ord(last) - 0xAC00) % 28
        return "" if index == 0 else ("ㄹ" if index == 8 else "ㅇ")  # any other 받침
    if last.isdigit():
        digits = text.replace(",", "")
        run = len(digits) - len(digits.rstrip("0"))
        whole = digits.rstrip("0")
        if run and whole and whole[-1].isdigit() and "." not in digits[-run - 1 :]:
            known = [z for z in _ZEROS_FINAL if z <= run]
            return _ZEROS_FINAL[max(known)] if known else None
        return _DIGIT_FINAL[last]
    if last in _CURRENCY_FINAL:  # k$: 천 달러
        return _CURRENCY_FINAL[last]
    if last in "%‰":
        return ""  # 퍼센트, 퍼밀
    if last.isascii() and last.isalpha():
        return _LETTER_FINAL.get(last.lower(), "")
    return None


def ro_particle(text: str) -> str:
    """로 after a vowel or ㄹ, 으로 after any other final consonant; (으)로 when unknown."""
    final = _final(text)
    if final is None:
        return "(으)로"
    return "로" if final in ("", "ㄹ") else "으로"
