"""How Sheets shows a number: the automatic format, number patterns and date patterns."""

from __future__ import annotations

import functools
import re
from typing import Any

from tests.support.sheets_emulator.kinds import serial_datetime

DEFAULT_PATTERNS = {
    "DATE": "M/d/yyyy",  # en_US, the locale the emulator reports
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "TIME": "h:mm:ss am/pm",
    "PERCENT": "0.00%",
    "CURRENCY": "$#,##0.00",
    "SCIENTIFIC": "0.00E+00",
}
_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am/pm|a/p|\.0+|.',
    re.IGNORECASE,
)
_MONTHS = "January February March April May June July August September October November December"
_DAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday"


def general(x: float) -> str:
    """The automatic format: "25", "0.25", "1200", "0.3333333333", "1.00E+15"."""
    if x == 0:
        return "0"
    if abs(x) >= 1e15 or abs(x) < 1e-9:
        mantissa, exponent = f"{x:.2E}".split("E")
        return f"{mantissa}E{'+' if int(exponent) >= 0 else '-'}{abs(int(exponent)):02d}"
    if float(x).is_integer():
        return str(int(x))
    whole = int(abs(x))
    digits_before = len(str(whole)) if whole else 0
    text = f"{x:.{max(0, 10 - digits_before)}f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def format_number(x: float, number_format: dict[str, Any] | None) -> str:
    """formattedValue of a number under a numberFormat {type, pattern} (or none)."""
    kind = number_format.get("type") if number_format else None
    pattern = str(number_format.get("pattern") or "") if number_format else ""
    return _format_number(type(x).__name__, x, kind if isinstance(kind, str) else None, pattern)


@functools.lru_cache(maxsize=8192)
def _format_number(_type: str, x: float, kind: str | None, pattern: str) -> str:
    # A grid answer shows the same few numbers under the same few formats many times.
    if kind in ("DATE", "DATE_TIME", "TIME"):
        return format_date(x, pattern or DEFAULT_PATTERNS[kind])
    if not pattern:
        pattern = DEFAULT_PATTERNS.get(str(kind), "")
    if not pattern or kind == "TEXT":
        return general(x)
    return _apply_pattern(x, pattern)


def _literal(text: str) -> str:
    """The literal parts of a pattern: quotes, escapes and [$€] currency brackets undone."""
    text = re.sub(r"\[\$([^\]-]*)[^\]]*\]", r"\1", text)
    text = re.sub(r'"([^"]*)"', r"\1", text)
    text = re.sub(r"_.", " ", text)
    text = re.sub(r"\*.", "", text)
    return re.sub(r"\\(.)", r"\1", text)


def _apply_pattern(x: float, pattern: str) -> str:
    sections = pattern.split(";")
    sign = ""
    if x < 0 and len(sections) > 1:
        section, x = sections[1], -x
    else:
        section = sections[0]
        if x < 0:
            sign, x = "-", -x
    core = re.search(r"[#0?][#0?,]*(\.[#0?]*)?|\.[#0?]+", section)
    if core is None:
        return sign + _literal(section)
    prefix, suffix = section[: core.start()], section[core.end() :]
    if "%" in suffix:
        x *= 100
    if re.match(r"E[+-]", suffix, re.IGNORECASE):
        decimals = len(core.group(1) or ".") - 1
        mantissa, exponent = f"{x:.{decimals}E}".split("E")
        return f"{sign}{_literal(prefix)}{mantissa}E+{int(exponent):02d}".replace("E+-", "E-")
    integer_part, _, fraction = core.group(0).partition(".")
    most, least = len(fraction), fraction.count("0")
    text = f"{x:.{most}f}"
    whole, _, digits = text.partition(".")
    digits = digits.rstrip("0").ljust(least, "0") if most > least else digits
    if "," in integer_part:
        whole = f"{int(whole):,}"
    if whole == "0" and "0" not in integer_part:
        whole = ""
    body = whole + ("." + digits if digits else "")
    return sign + _literal(prefix) + body + _literal(suffix)


def format_date(serial: float, pattern: str) -> str:
    """formattedValue of a serial date/time under a pattern such as "yyyy-mm-dd"."""
    moment = serial_datetime(serial)
    tokens = _DATE_TOKEN.findall(pattern)
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        before = next((t.lower() for t in reversed(tokens[:i]) if t.strip(":-/ ")), "")
        after = next((t.lower() for t in tokens[i + 1 :] if t.strip(":-/ ")), "")
        is_minute = low in ("m", "mm") and (before.startswith("h") or after.startswith("s"))
        hour = moment.hour % 12 or 12 if twelve_hour else moment.hour
        values = {
            "yyyy": f"{moment.year:04d}",
            "yy": f"{moment.year % 100:02d}",
            "mmmmm": _MONTHS.split()[moment.month - 1][0],
            "mmmm": _MONTHS.split()[moment.month - 1],
            "mmm": _MONTHS.split()[moment.month - 1][:3],
            "mm": f"{moment.minute:02d}" if is_minute else f"{moment.month:02d}",
            "m": str(moment.minute) if is_minute else str(moment.month),
            "dddd": _DAYS.split()[moment.weekday()],
            "ddd": _DAYS.split()[moment.weekday()][:3],
            "dd": f"{moment.day:02d}",
            "d": str(moment.day),
            "hh": f"{hour:02d}",
            "h": str(hour),
            "ss": f"{moment.second:02d}",
            "s": str(moment.second),
            "am/pm": "AM" if moment.hour < 12 else "PM",
            "a/p": "a" if moment.hour < 12 else "p",
        }
        if low in values:
            out.append(values[low])
        elif token.startswith(".0"):
            out.append("." + "0" * (len(token) - 1))
        else:
            out.append(_literal(token))
    return "".join(out)
