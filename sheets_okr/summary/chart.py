"""The trend chart: the quarter score by date against the pace, as a PNG.

A PNG because Gmail and Outlook show no SVG; opaque on white so dark mode cannot swallow it.
The only words drawn are month names and the as-of date; the legend is HTML beside the image
(summary/render.py), so it is in the reader's font whatever this server has installed. The
font the PNG is drawn with is one that has a glyph for every character drawn, checked in the
font file's own character map (chart_fonts.py); where none has, the labels are drawn as
numbers and a warning is logged.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from babel.dates import format_date

from sheets_okr.summary.chart_fonts import chart_font
from sheets_okr.summary.digest import Digest
from sheets_okr.summary.phrases import Phrases

if TYPE_CHECKING:
    from sheets_okr.summary.company import CompanyDigest

WIDTH_PX = 552  # shown at this width in a 600 px email; drawn at twice that for sharp screens
# Colours of what the chart draws, each at least 3:1 against white (WCAG 1.4.11).
SCORE_COLOUR = "#1D4ED8"
PACE_COLOUR = "#6B7280"
AS_OF_COLOUR = "#374151"
TEXT_COLOUR = "#374151"
# One line per team, told apart by colour and by marker (for readers who see no colour).
# No status colour (the green, amber and red of On track, At risk and Off track, nor the
# blue of Done): a team's line must not read as its health. Blues, purples and a slate,
# after the colour-blind-safe palettes of Okabe-Ito and Paul Tol, darkened to 3:1 or more.
TEAM_COLOURS = ("#0072B2", "#AA3377", "#332288", "#785EF0", "#0E7490", "#1F2937")
TEAM_MARKERS = ("o", "s", "^", "D", "v", "P")
MARKER_SYMBOLS = {"o": "●", "s": "■", "^": "▲", "D": "◆", "v": "▼", "P": "✚"}


class Span(Protocol):
    """What a chart spans: a quarter, up to an as-of date (a Digest, a CompanyDigest)."""

    @property
    def quarter_start(self) -> dt.date: ...
    @property
    def quarter_end(self) -> dt.date: ...
    @property
    def as_of(self) -> dt.date: ...


@dataclass(frozen=True)
class ChartLine:
    """One line of the chart: whose it is, its colour, its marker and its points."""

    label: str
    colour: str
    marker: str
    points: tuple[tuple[dt.date, float], ...]

    @property
    def symbol(self) -> str:
        """The marker as the legend's text shows it (● ■ ▲ ...), beside its colour."""
        return MARKER_SYMBOLS.get(self.marker, "●")


def chart_lines(digest: Digest, phrases: Phrases) -> tuple[ChartLine, ...]:
    """The lines drawn: one per team where the plan has several, else the quarter score."""
    teams = [(team, points) for team, points in digest.team_trends if points]
    if len(teams) > 1:
        colours, markers = TEAM_COLOURS, TEAM_MARKERS
        return tuple(
            ChartLine(name or phrases("team_none"), colours[i % 6], markers[i % 6], points)
            for i, (name, points) in enumerate(teams)
        )
    return (ChartLine(phrases("chart_score"), SCORE_COLOUR, "o", digest.trend),)


def has_chart(digest: Digest) -> bool:
    """A chart only from two dates on: one point is a dot, not a trend."""
    return len({day for day, _ in digest.trend}) >= 2


def month_ticks(digest: Span, phrases: Phrases, numbers_only: bool = False) -> list[
    tuple[dt.date, str]
]:  # fmt: skip
    """The first day of each month of the quarter, labelled with month and year."""
    day = digest.quarter_start.replace(day=1)
    if day < digest.quarter_start:
        day = _next_month(day)
    ticks = []
    while day <= digest.quarter_end:
        pattern = "y-MM" if numbers_only else phrases("chart_month")
        ticks.append((day, format_date(day, pattern, locale=phrases.locale)))
        day = _next_month(day)
    return ticks


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + day.month // 12, day.month % 12 + 1, 1)


def as_of_label(digest: Span, phrases: Phrases, numbers_only: bool = False) -> str:
    """The label of the as-of line."""
    return digest.as_of.isoformat() if numbers_only else phrases.date(digest.as_of)


def drawn_texts(digest: Span, phrases: Phrases, numbers_only: bool = False) -> list[str]:
    """Every piece of text the PNG draws: month ticks, the as-of label, percentages."""
    ticks = [label for _, label in month_ticks(digest, phrases, numbers_only)]
    return [*ticks, as_of_label(digest, phrases, numbers_only), "0%", "25%", "50%", "75%",
            "100%", "125%"]  # fmt: skip


def trend_png(digest: Digest, phrases: Phrases) -> bytes:
    """The chart as PNG bytes (about 10 KB); empty before a second date."""
    if not has_chart(digest):
        return b""
    return lines_png(digest, chart_lines(digest, phrases), phrases)


def company_lines(company: CompanyDigest, phrases: Phrases) -> tuple[ChartLine, ...]:
    """One line per tracker of the company's quarter that has scores on two dates or more."""
    shown = [
        (section.name, section.digest.trend)
        for section in company.trackers
        if section.digest is not None
        and section.digest.quarter == company.quarter
        and has_chart(section.digest)
    ]
    colours, markers = TEAM_COLOURS, TEAM_MARKERS
    return tuple(
        ChartLine(name, colours[i % 6], markers[i % 6], points)
        for i, (name, points) in enumerate(shown)
    )


def company_png(company: CompanyDigest, phrases: Phrases) -> bytes:
    """The company's chart, one line per tracker (team); empty when none has two dates."""
    lines = company_lines(company, phrases)
    return lines_png(company, lines, phrases) if lines else b""


def company_alt(company: CompanyDigest, phrases: Phrases) -> str:
    """Alt text of the company chart: each tracker's scores by date."""
    return " ".join(
        phrases("trend_alt_team", team=line.label, points=", ".join(
            f"{phrases.date(day)} {phrases.percent(score)}" for day, score in line.points))
        for line in company_lines(company, phrases)
    )  # fmt: skip


def lines_png(span: Span, lines: tuple[ChartLine, ...], phrases: Phrases) -> bytes:
    """The lines against the pace over the quarter, as PNG bytes."""
    digest = span
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.dates import date2num as _date2num
    from matplotlib.font_manager import FontProperties
    from matplotlib.ticker import FixedLocator, PercentFormatter
    from PIL import Image

    def date2num(day: dt.date) -> float:
        return float(_date2num(day))  # type: ignore[no-untyped-call]

    path = chart_font("".join(drawn_texts(digest, phrases)))
    numbers_only = path is None
    if path is None:  # no font with these glyphs: numbers, which every font has
        path = chart_font("".join(drawn_texts(digest, phrases, True)))
    font = FontProperties(fname=str(path), size=9) if path else FontProperties(size=9)
    figure, axes = plt.subplots(figsize=(WIDTH_PX / 100, 2.2), dpi=200)
    start = date2num(digest.quarter_start)
    end = date2num(digest.quarter_end + dt.timedelta(days=1))
    axes.plot([start, end], [0, 1], color=PACE_COLOUR, linestyle=(0, (4, 3)), linewidth=1.4)
    for line in lines:
        axes.plot([date2num(day) for day, _ in line.points], [s for _, s in line.points],
                  color=line.colour, linewidth=2.2 if len(lines) == 1 else 1.8,
                  marker=line.marker, markersize=4)  # fmt: skip
    top = max([1.0, *(score for line in lines for _, score in line.points)]) * 1.08
    as_of = date2num(digest.as_of)
    axes.axvline(as_of, color=AS_OF_COLOUR, linewidth=1.0, linestyle=(0, (1, 2)))
    right = as_of > start + (end - start) * 0.75
    axes.text(as_of + (-2 if right else 2), top * 0.97, as_of_label(digest, phrases, numbers_only),
              ha="right" if right else "left", va="top", color=TEXT_COLOUR,
              fontproperties=font)  # fmt: skip
    axes.set_ylim(0, top)
    axes.set_xlim(start, end)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.yaxis.set_major_locator(FixedLocator([v / 4 for v in range(6) if v / 4 <= top]))
    ticks = month_ticks(digest, phrases, numbers_only)
    axes.set_xticks([date2num(day) for day, _ in ticks], [label for _, label in ticks])
    axes.tick_params(colors=TEXT_COLOUR)
    for label in [*axes.get_xticklabels(), *axes.get_yticklabels()]:
        label.set_fontproperties(font)  # still legible shrunk to a phone
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#E5E7EB", linewidth=0.6)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white", transparent=False)
    plt.close(figure)
    # 48 colours are plenty for a few lines on white and shrink the file fourfold.
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").quantize(colors=48)
    small = io.BytesIO()
    image.save(small, format="PNG", optimize=True)
    return small.getvalue()


def trend_alt(digest: Digest, phrases: Phrases) -> str:
    """Alt text carrying the chart's numbers, for readers who see no images."""
    points = ", ".join(
        f"{phrases.date(day)} {phrases.percent(score)}" for day, score in digest.trend
    )
    return phrases("trend_alt", points=points or "–", date=phrases.date(digest.as_of),
                 expected=phrases.percent(digest.expected))  # fmt: skip
