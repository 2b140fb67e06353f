"""The trend chart: the quarter score by date against the expected pace, as a PNG.

A PNG because Gmail and Outlook show no SVG; opaque on white so dark mode cannot swallow it.
"""

from __future__ import annotations

import datetime as dt
import io

from sheets_okr.summary.digest import Digest
from sheets_okr.summary.phrases import Phrases

WIDTH_PX = 552  # shown at this width in a 600 px email; drawn at twice that for sharp screens
_FONTS = ["Noto Sans CJK KR", "Noto Sans CJK JP", "NanumGothic", "Malgun Gothic",
          "Apple SD Gothic Neo", "DejaVu Sans"]  # fmt: skip


def trend_png(digest: Digest, phrases: Phrases) -> bytes:
    """The chart as PNG bytes (about 10 KB)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import font_manager
    from matplotlib import pyplot as plt
    from matplotlib.dates import DateFormatter
    from matplotlib.dates import date2num as _date2num
    from matplotlib.ticker import PercentFormatter
    from PIL import Image

    def date2num(day: dt.date) -> float:
        return float(_date2num(day))  # type: ignore[no-untyped-call]

    installed = {font.name for font in font_manager.fontManager.ttflist}
    # Only fonts that exist, so matplotlib falls back per glyph without a warning for each.
    plt.rcParams["font.family"] = [f for f in _FONTS if f in installed] or ["DejaVu Sans"]
    figure, axes = plt.subplots(figsize=(WIDTH_PX / 100, 2.2), dpi=200)
    start = date2num(digest.quarter_start)
    end = date2num(digest.quarter_end + dt.timedelta(days=1))
    axes.plot([start, end], [0, 1], color="#9CA3AF", linestyle="--", linewidth=1.2,
              label=phrases("expected"))  # fmt: skip
    if digest.trend:
        days = [(date2num(day)) for day, _ in digest.trend]
        scores = [score for _, score in digest.trend]
        axes.plot(days, scores, color="#2563EB", linewidth=2, marker="o", markersize=3.5,
                  label=phrases("overall"))  # fmt: skip
    axes.axvline((date2num(digest.as_of)), color="#D1D5DB", linewidth=0.8)
    top = max([1.0, *(score for _, score in digest.trend)])
    axes.set_ylim(0, top * 1.05)
    axes.set_xlim(start, end)
    axes.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
    axes.xaxis.set_major_formatter(DateFormatter("%m-%d"))  # type: ignore[no-untyped-call]
    axes.tick_params(labelsize=9, colors="#374151")  # still legible shrunk to a phone
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="y", color="#E5E7EB", linewidth=0.6)
    axes.legend(fontsize=9, frameon=False, loc="upper left")
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", facecolor="white", transparent=False)
    plt.close(figure)
    # 32 colours are plenty for two lines on white and shrink the file fourfold.
    image = Image.open(io.BytesIO(buffer.getvalue())).convert("RGB").quantize(colors=32)
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
