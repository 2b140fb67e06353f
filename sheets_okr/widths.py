"""How many terminal (and monospaced) columns text takes: Korean takes two per syllable."""

from __future__ import annotations

import unicodedata

# Vowels and final consonants of decomposed (NFD) Korean join the syllable before them.
_CONJOINING_JAMO = ((0x1160, 0x11FF), (0xD7B0, 0xD7FF))


def char_width(ch: str) -> int:
    """Columns one character takes: wide (Korean, CJK) 2, combining and zero-width ones 0."""
    if unicodedata.category(ch) in ("Mn", "Me", "Cf") or any(
        low <= ord(ch) <= high for low, high in _CONJOINING_JAMO
    ):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns a string takes: wide (Korean) characters 2, zero-width ones 0."""
    return sum(char_width(ch) for ch in text)
