"""The company view names teams: every team of every tracker at every level of detail, and
the team furthest behind company-wide."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from sheets_okr.actions.trackers import RunReport, sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import render_company
from tests.support.run_configs import AS_OF, small_tracker, two_trackers_and_one_on_q3, write_config
from tests.support.summary_plans import team_plan, teams_tracker

NOW = dt.datetime(2026, 11, 30, 9, 0)
TRACKERS = ("North", "South", "East", "West")


def visible(markup: str) -> str:
    """The words of an HTML document as a reader sees them: tags gone, spaces squashed."""
    body = markup.rsplit("</head>", maxsplit=1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&nbsp;", " ").split())


@pytest.fixture(scope="module", name="four")
def _four(tmp_path_factory: pytest.TempPathFactory) -> RunReport:
    """Four trackers of five teams each, read as `run` does."""
    folder = tmp_path_factory.mktemp("four")
    for i, name in enumerate(TRACKERS):
        teams_tracker(folder / f"{name}.xlsx", name, [10 + 10 * i + 5 * n for n in range(5)])
    config = load_config(write_config(folder, [(n, f"{n}.xlsx") for n in TRACKERS]))
    return sync_trackers(config, as_of=AS_OF, dry_run=True)


@pytest.mark.parametrize("detail", ["full", "brief", "headline"])
def test_every_team_is_named_at_every_level_of_detail(four: RunReport, detail: str) -> None:
    """Shortened for Gmail ("brief", "headline"), the company email still lists every team
    of every tracker with its score and health, in the HTML and in the plain text."""
    company = build_company(four.trackers, four.as_of, detail=detail)
    rendered = render_company(company, "en", now=NOW)
    html, text = visible(rendered.html), rendered.text
    for i, name in enumerate(TRACKERS):
        for n in range(5):
            score = 10 + 10 * i + 5 * n  # against a 65% pace
            health = "On track" if score >= 55 else "At risk" if score >= 40 else "Off track"
            line = f"{name} team {n} · {score}% · {health}"
            assert line in html, (detail, line)
            assert line in text, (detail, line)


def test_the_furthest_behind_is_a_team_company_wide(tmp_path: Path) -> None:
    """When a tracker has several teams, the company view names the worst team of all
    ("Brand (Growth), 10%"), not the worst tracker as a whole."""
    team_plan(tmp_path / "growth.xlsx")  # Growth 45%, Brand 10%: the tracker 28% as a whole
    small_tracker(tmp_path / "korea.xlsx", "Korea", current=2)  # 20%
    config = load_config(write_config(tmp_path, [("Growth", "growth.xlsx"),
                                                 ("Korea", "korea.xlsx")]))  # fmt: skip
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), "en", now=NOW)
    said = "Furthest behind: Brand (Growth), 10% against a 65% pace."
    assert said in visible(rendered.html)
    assert said in rendered.text
    assert "Korea, 20%" not in rendered.text


def test_nobody_is_furthest_behind_when_all_are_ahead(tmp_path: Path) -> None:
    """Two trackers both ahead of the pace: no "furthest behind" anywhere, preheader
    included."""
    small_tracker(tmp_path / "a.xlsx", "Alpha", current=8)
    small_tracker(tmp_path / "b.xlsx", "Beta", current=9)
    config = load_config(write_config(tmp_path, [("Alpha", "a.xlsx"), ("Beta", "b.xlsx")]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), "en", now=NOW)
    assert "furthest behind" not in rendered.html.lower()
    assert "furthest behind" not in rendered.text.lower()


def preheader_of(markup: str) -> str:
    """The inbox preview line hidden at the top of the email."""
    found = re.search(r'class="preheader"[^>]*>(.*?)</div>', markup, re.S)
    assert found is not None
    return " ".join(re.sub(r"[\u034f\u2007\u200c\u00a0]|&[#\w]+;", " ", found.group(1)).split())


def test_the_preheader_says_furthest_behind_once_of_the_quarter(tmp_path: Path) -> None:
    """The run's preheader names who is furthest behind once, of the company's quarter
    only (a tracker still on 2026-Q3 is not compared), then the key result that needs
    help."""
    config = load_config(two_trackers_and_one_on_q3(tmp_path))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    rendered = render_company(build_company(report.trackers, report.as_of), "en", now=NOW)
    line = preheader_of(rendered.html)
    assert line.lower().count("furthest behind") == 1, line
    assert line.startswith("Growth is furthest behind, 50% against a 65% pace."), line
    assert "Brand" not in line
    assert "Reach 10 Growth deals (Lee, Growth)" in line
