"""The lines of the company chart are told apart by neutral colours, never the green, amber
and red a reader takes for a status, and the HTML legend shows the colours the PNG draws."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import Rendered, render_company
from tests.support.run_configs import write_config
from tests.support.summary_plans import AS_OF, SNAPSHOTS, team_plan

NOW = dt.datetime(2026, 11, 30, 9, 0)
# The status colours of the summary's labels and bars: Done, On track, At risk, Off track,
# No data (templates/_macros.html.j2).
STATUS = {"#1D4ED8", "#15803D", "#B45309", "#B91C1C", "#4B5563"}
GREEN_AMBER_RED = ("#15803D", "#B45309", "#B91C1C")


def rgb(colour: str) -> tuple[int, int, int]:
    """#RRGGBB as numbers."""
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def contrast_on_white(colour: str) -> float:
    """The WCAG contrast ratio of a colour against white."""

    def linear(channel: int) -> float:
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def near(pixels: list[tuple[int, int, int]], colour: str, within: int = 16) -> int:
    """How many pixels are drawn in (about) this colour."""
    want = rgb(colour)
    return sum(max(abs(a - b) for a, b in zip(p, want, strict=True)) <= within for p in pixels)


@pytest.fixture(scope="module", name="rendered")
def _rendered(tmp_path_factory: pytest.TempPathFactory) -> Rendered:
    """A run of three trackers with History, the worst one (Brand) far behind the pace."""
    folder = tmp_path_factory.mktemp("palette")
    for name, scale in (("Growth", 1.0), ("Brand", 0.3), ("Sales", 1.4)):
        snapshots = [(day, {title: value * scale for title, value in currents.items()})
                     for day, currents in SNAPSHOTS]  # fmt: skip
        team_plan(folder / f"{name}.xlsx", snapshots)
    config = load_config(write_config(folder, [(n, f"{n}.xlsx") for n in ("Growth", "Brand",
                                                                          "Sales")]))  # fmt: skip
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    return render_company(build_company(report.trackers, report.as_of), "en", now=NOW)


def legend(markup: str) -> list[tuple[str, str]]:
    """The legend's entries under the chart: (colour of its key, tracker's name)."""
    found = re.search(r'class="legend"[^>]*>(.*?)</td>', markup, re.S)
    assert found is not None
    keys = re.findall(r'class="key"[^>]*style="[^"]*color:\s*(#[0-9A-Fa-f]{6})[^>]*>[^<]*</span>'
                      r"\s*([^<]+?)\s*</span>", found.group(1))  # fmt: skip
    return [(colour.upper(), name) for colour, name in keys]


def test_tracker_lines_use_no_status_colour_and_stand_out(rendered: Rendered) -> None:
    """Each tracker's line (as its legend key shows it) is a colour of no status (not the
    green, amber, red, blue or grey of the labels), distinct, at 3:1 or more on white."""
    entries = legend(rendered.html)
    assert [name for _, name in entries] == ["Growth", "Brand", "Sales"]
    colours = [colour for colour, _ in entries]
    labels = {c.upper() for c in re.findall(r'class="pill"[^>]*background-color:\s*(#\w{6})',
                                            rendered.html)}  # fmt: skip
    assert labels  # the labels still carry the status colours
    assert labels <= STATUS
    assert len(set(colours)) == len(colours)
    for colour in colours:
        assert colour not in STATUS | labels, colour
        assert contrast_on_white(colour) >= 3.0, colour


def test_the_legend_shows_the_colours_the_png_draws(rendered: Rendered) -> None:
    """The PNG draws every line in its legend colour (page and email alike), and draws
    nothing in the status green, amber or red."""
    assert legend(rendered.html) == legend(rendered.page)
    image = Image.open(io.BytesIO(rendered.chart_png)).convert("RGB")
    raw = image.tobytes()
    pixels = [(raw[i], raw[i + 1], raw[i + 2]) for i in range(0, len(raw), 3)]
    for colour, name in legend(rendered.html):
        assert near(pixels, colour) > 200, (name, colour)
    for colour in GREEN_AMBER_RED:
        assert near(pixels, colour, 24) == 0, colour


def test_a_trackers_colour_follows_its_place_not_its_score(tmp_path: Path) -> None:
    """The palette is not a health scale: a tracker's colour follows its place in the run,
    not its score (two runs of the same trackers in another order swap the colours)."""
    for name, scale in (("A", 1.0), ("B", 0.3)):
        team_plan(tmp_path / f"{name}.xlsx", [(day, {t: v * scale for t, v in c.items()})
                                              for day, c in SNAPSHOTS])  # fmt: skip
    seen = []
    for order in (("A", "B"), ("B", "A")):
        config = load_config(write_config(tmp_path, [(n, f"{n}.xlsx") for n in order]))
        report = sync_trackers(config, as_of=AS_OF, dry_run=True)
        seen.append(legend(render_company(build_company(report.trackers, report.as_of),
                                          "en", now=NOW).html))  # fmt: skip
    assert [c for c, _ in seen[0]] == [c for c, _ in seen[1]]
    assert [n for _, n in seen[0]] == ["A", "B"]
    assert [n for _, n in seen[1]] == ["B", "A"]
