"""The chart's font: one whose own character map covers every character drawn."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from sheets_okr.summary import chart_fonts
from sheets_okr.summary.chart_fonts import candidate_fonts, chart_font, missing_glyphs

HANGUL = "2026년 11월 기준"


def test_a_font_with_hangul_is_found_when_one_is_installed() -> None:
    """On a machine with a CJK font, the chosen font has a glyph for every Hangul syllable."""
    path = chart_font(HANGUL)
    if path is None:
        pytest.skip("no font with Hangul is installed (apt-get install fonts-noto-cjk)")
    assert missing_glyphs(HANGUL, path) == set()


def test_a_latin_only_font_is_never_chosen_for_hangul(monkeypatch: pytest.MonkeyPatch) -> None:
    """With only DejaVu Sans (no Hangul) there is no font for Korean labels: None and a
    warning, never boxes."""
    from matplotlib import font_manager

    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    assert missing_glyphs("년", dejavu) == {"년"}
    monkeypatch.setattr(chart_fonts, "candidate_fonts", lambda: (dejavu,))
    assert missing_glyphs(HANGUL, dejavu)  # a check on this font would fail
    assert chart_fonts.chart_font(HANGUL) is None
    assert chart_fonts.chart_font("Nov 2026") == dejavu


def test_no_font_logs_a_warning(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """When no candidate has the glyphs, the library logs a warning (it never prints)."""
    from matplotlib import font_manager

    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    monkeypatch.setattr(chart_fonts, "candidate_fonts", lambda: (dejavu,))
    with caplog.at_level(logging.WARNING, logger="sheets_okr.summary.chart_fonts"):
        assert chart_fonts.chart_font(HANGUL) is None
    assert "no installed font" in caplog.text


def test_candidates_put_korean_fonts_before_others() -> None:
    """Fonts that look Korean or CJK come before every other system font."""
    paths = candidate_fonts()
    assert paths
    names = [p.name.lower() for p in paths]
    cjk = [i for i, n in enumerate(names) if "cjk" in n or "nanum" in n]
    if cjk:
        assert min(cjk) < len(names) - len(cjk) or len(cjk) == len(names)


@pytest.mark.parametrize("text", ["Nov 2026 Dec 2026 0% 50% 100%", HANGUL])
def test_the_chosen_font_is_upright_and_regular(text: str) -> None:
    """The chart's labels are drawn in an upright face of weight 400, never the family's
    oblique, bold or light file."""
    from matplotlib.ft2font import FT2Font, StyleFlags

    path = chart_font(text)
    if path is None:
        pytest.skip("no installed font has these characters")
    font = FT2Font(str(path))
    assert StyleFlags.ITALIC not in font.style_flags, path
    assert "oblique" not in font.style_name.lower(), path
    os2 = font.get_sfnt_table("OS/2")
    assert os2 is not None, path
    assert os2["usWeightClass"] == 400, path
