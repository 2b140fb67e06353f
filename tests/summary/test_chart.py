"""The trend chart: glyphs for every label, month ticks with the year, a labelled as-of
line, lines of at least 3:1 contrast, one line per team, and no chart before two dates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import logging
import warnings
from pathlib import Path

import pytest
from PIL import Image

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.summary import chart as chart_module
from sheets_okr.summary import chart_fonts
from sheets_okr.summary.chart import (
    AS_OF_COLOUR,
    PACE_COLOUR,
    SCORE_COLOUR,
    TEAM_COLOURS,
    chart_lines,
    drawn_texts,
    month_ticks,
    trend_png,
)
from sheets_okr.summary.chart_fonts import chart_font, missing_glyphs
from sheets_okr.summary.digest import Digest
from sheets_okr.summary.phrases import Phrases
from tests.support.summary_plans import AS_OF, SNAPSHOTS, team_plan


@pytest.fixture(scope="module", name="digest")
def _digest(tmp_path_factory: pytest.TempPathFactory) -> Digest:
    """The two-team plan's digest, synced on three dates."""
    path = team_plan(tmp_path_factory.mktemp("chart") / "okrs.xlsx")
    return summarise(str(path), ReadOptions(AS_OF), "ko")[0]


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(colour: str, background: str = "#FFFFFF") -> float:
    """The WCAG contrast ratio of two colours."""
    high, low = sorted((_luminance(colour), _luminance(background)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_character_drawn_has_a_glyph(digest: Digest, lang: str) -> None:
    """The font the PNG is drawn with has a glyph for every character of every label (this
    fails when, say, Hangul month names would be drawn in a Latin-only font)."""
    phrases = Phrases(lang)
    texts = "".join(drawn_texts(digest, phrases))
    path = chart_font(texts)
    if path is None:  # no such font here: the chart falls back to numbers, which must fit
        texts = "".join(drawn_texts(digest, phrases, numbers_only=True))
        path = chart_font(texts)
    assert path is not None
    assert missing_glyphs(texts, path) == set()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_drawing_warns_of_nothing(
    digest: Digest, lang: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Drawing the chart raises no matplotlib warning (missing glyphs, unknown fonts) and
    logs none."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING):
        warnings.simplefilter("always")
        png = trend_png(digest, Phrases(lang))
    assert png.startswith(b"\x89PNG")
    assert [str(w.message) for w in caught] == []
    assert [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")] == []


def test_without_a_korean_font_labels_are_numbers(
    digest: Digest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """A server without a CJK font draws the Korean chart's labels as numbers, with a
    warning, and matplotlib warns of no missing glyph."""
    from matplotlib import font_manager

    dejavu = Path(font_manager.findfont("DejaVu Sans"))
    monkeypatch.setattr(chart_fonts, "candidate_fonts", lambda: (dejavu,))
    drawn: list[str] = []
    original = chart_module.month_ticks

    def spy(d: Digest, p: Phrases, numbers_only: bool = False) -> list[tuple[dt.date, str]]:
        ticks = original(d, p, numbers_only)
        drawn.extend(label for _, label in ticks)
        return ticks

    monkeypatch.setattr(chart_module, "month_ticks", spy)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        trend_png(digest, Phrases("ko"))
    assert [str(w.message) for w in caught] == []
    assert drawn[-3:] == ["2026-10", "2026-11", "2026-12"]  # what the axis got
    assert "no installed font" in caplog.text


def test_month_ticks_carry_the_year_in_the_language(digest: Digest) -> None:
    """Ticks are the months of the quarter with their year, in the reader's language."""
    assert [label for _, label in month_ticks(digest, Phrases("en"))] == [
        "Oct 2026", "Nov 2026", "Dec 2026",
    ]  # fmt: skip
    assert [label for _, label in month_ticks(digest, Phrases("ko"))] == [
        "2026년 10월", "2026년 11월", "2026년 12월",
    ]  # fmt: skip
    assert Phrases("en").date(AS_OF) in drawn_texts(digest, Phrases("en"))  # as-of label


def test_lines_have_at_least_three_to_one_contrast() -> None:
    """Every line drawn stands out from the white background by 3:1 or more (WCAG 1.4.11)."""
    for colour in (SCORE_COLOUR, PACE_COLOUR, AS_OF_COLOUR, *TEAM_COLOURS):
        assert contrast(colour) >= 3.0, colour


def test_one_line_per_team(digest: Digest) -> None:
    """A plan of two teams gets a line for each, named after the team."""
    lines = chart_lines(digest, Phrases("en"))
    assert [line.label for line in lines] == ["Brand", "Growth"]
    assert [len(line.points) for line in lines] == [3, 3]
    assert lines[0].points[-1][1] == pytest.approx(0.10)
    assert len({line.colour for line in lines}) == 2


def test_no_chart_before_a_second_date(tmp_path: Path, digest: Digest) -> None:
    """With one date there is no chart (a single dot says nothing), and the page says so."""
    one = dataclasses.replace(digest, trend=digest.trend[-1:], team_trends=())
    assert trend_png(one, Phrases("en")) == b""
    path = team_plan(tmp_path / "okrs.xlsx", SNAPSHOTS[-1:])
    _, rendered = summarise(str(path), ReadOptions(AS_OF), "en")
    assert rendered.chart_png == b""
    assert "<img" not in rendered.page
    assert Phrases("en")("no_chart") in rendered.page


def test_chart_is_opaque_and_twice_as_wide(digest: Digest) -> None:
    """The PNG is drawn at twice its 552 px, without alpha, so dark mode cannot show through."""
    image = Image.open(io.BytesIO(trend_png(digest, Phrases("en"))))
    assert image.width == 1104
    assert image.mode in ("P", "RGB")
