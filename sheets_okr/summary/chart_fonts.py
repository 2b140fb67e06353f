"""Which font file the chart is drawn with: one that has a glyph for every character drawn.

matplotlib's font cache can predate a CJK font installed later, and it falls back to DejaVu
Sans, which has no Hangul: the labels become empty boxes. So the candidates are the fonts
of the cache and the font files on the system (fc-list's, via findSystemFonts), Korean ones
first, and a font is taken only when its own character map covers the text.
"""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

# Preferred families, most first; any other installed font may still cover the text.
PREFERRED = ("Noto Sans CJK KR", "Noto Sans KR", "NanumGothic", "Malgun Gothic",
             "Apple SD Gothic Neo", "Noto Sans CJK JP", "Noto Sans CJK SC", "Source Han Sans",
             "DejaVu Sans")  # fmt: skip
_KOREAN_HINTS = ("cjk", "nanum", "malgun", "gothic", "hangul", "kr", "unfonts", "baekmuk")


@cache
def candidate_fonts() -> tuple[Path, ...]:
    """Font files to try, in order: the preferred families, other files that look Korean
    (sans before serif), then every other font matplotlib knows; within each, upright
    regular faces first (a family also holds oblique, bold and light files)."""
    from matplotlib import font_manager

    listed = font_manager.fontManager.ttflist
    entries = {Path(entry.fname): entry for entry in listed}  # a .ttc file holds several
    system = {Path(p) for p in font_manager.findSystemFonts()}

    def face(path: Path) -> tuple[bool, int, bool]:
        """(not upright, distance from weight 400, condensed), from the cache or the name."""
        entry = entries.get(path)
        name = path.name.lower()
        if entry is not None:
            weight = entry.weight if isinstance(entry.weight, int) else _WEIGHTS.get(
                str(entry.weight), 400)  # fmt: skip
            return entry.style != "normal", abs(weight - 400), entry.stretch != "normal"
        slanted = "italic" in name or "oblique" in name
        weight = 700 if "bold" in name else 200 if ("light" in name or "thin" in name) else 400
        return slanted, abs(weight - 400), "condensed" in name

    preferred = [p for name in PREFERRED
                 for p in sorted({Path(e.fname) for e in listed if e.name == name},
                                 key=lambda p: (face(p), p.name))]  # fmt: skip

    def rank(path: Path) -> tuple[bool, bool, tuple[bool, int, bool], str]:
        name = path.name.lower()
        korean = any(hint in name for hint in _KOREAN_HINTS)
        return (not korean, "serif" in name, face(path), name)

    others = sorted((system | set(entries)) - set(preferred), key=rank)
    return tuple(dict.fromkeys(p for p in [*preferred, *others] if p.exists()))


_WEIGHTS = {"ultralight": 200, "light": 300, "normal": 400, "regular": 400, "book": 400,
            "medium": 500, "semibold": 600, "demibold": 600, "bold": 700, "heavy": 800,
            "black": 900}  # fmt: skip


@cache
def _charmap(path: Path) -> frozenset[int]:
    from matplotlib.ft2font import FT2Font

    try:
        return frozenset(FT2Font(str(path)).get_charmap())
    except (OSError, RuntimeError, ValueError):  # a damaged or unsupported font file
        return frozenset()


def missing_glyphs(text: str, path: Path) -> set[str]:
    """The characters of `text` (spaces aside) that the font file has no glyph for."""
    covered = _charmap(path)
    return {c for c in text if not c.isspace() and ord(c) not in covered}


def chart_font(text: str) -> Path | None:
    """The first candidate font that has every character of `text`; None (with a warning)
    when none has."""
    for path in candidate_fonts():
        if not missing_glyphs(text, path):
            return path
    log.warning("no installed font has every character of the chart's labels (%s); they are"
                " drawn as numbers (install fonts-noto-cjk)", text)  # fmt: skip
    return None
