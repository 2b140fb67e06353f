""" "Since when": a date only when every key result's change counts from that date; the
trend scores every key result at every date."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.actions.trackers import sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.render import Rendered, render_company
from tests.support import okr_sheets
from tests.support.run_configs import AS_OF, small_tracker, write_config
from tests.support.summary_plans import set_currents, sync

NOW = dt.datetime(2026, 11, 30, 9, 0)


def alt_text(markup: str) -> str:
    """The chart's alt text."""
    alt = re.search(r'<img[^>]*alt="([^"]*)"', markup)
    assert alt is not None
    return alt.group(1)


def test_a_check_in_log_names_no_single_date(tmp_path: Path) -> None:
    """Key results of a check-in log last checked in on different days: the change is
    "since the last check-ins", never the newest of those days."""
    plan = okr_sheets.checkin_log(tmp_path)
    _, english = summarise(str(plan), ReadOptions(okr_sheets.AS_OF), "en")
    assert "+12.2 since the last check-ins." in english.text
    assert "Biggest changes since the last check-ins" in english.text
    assert not re.search(r"since (Oct|Nov) \d+", english.text + english.html)
    _, korean = summarise(str(plan), ReadOptions(okr_sheets.AS_OF), "ko")
    assert "지난 체크인 이후 +12.2%p" in korean.text
    assert not re.search(r"\d+일 이후", korean.text)


def test_the_trend_carries_each_key_results_last_value(tmp_path: Path) -> None:
    """On Oct 9 only KR-03 checked in (7.5%): the quarter's point is every KR at its
    latest value (KR-01 3.9% since Oct 6, the rest 0), about 2%, not KR-03's 8% alone."""
    plan = okr_sheets.checkin_log(tmp_path)
    _, rendered = summarise(str(plan), ReadOptions(okr_sheets.AS_OF), "en")
    alt = alt_text(rendered.page)
    assert "Oct 9, 2026 2%," in alt
    assert "Oct 6, 2026 1%," in alt  # KR-01 alone of five: not its own 4%


def _company(tmp_path: Path, days: dict[str, tuple[dt.date, ...]]) -> Rendered:
    """A run of one-KR trackers, each synced (History written) on its own days."""
    for team, synced in days.items():
        path = small_tracker(tmp_path / f"{team}.xlsx", team, current=2)
        for day in synced:
            sync(path, day)
        set_currents(path, {f"Reach 10 {team} deals": 4})
    config = load_config(write_config(tmp_path, [(t, f"{t}.xlsx") for t in days]))
    report = sync_trackers(config, as_of=AS_OF, dry_run=True)
    return render_company(build_company(report.trackers, report.as_of), "en", now=NOW)


def test_trackers_with_different_baselines_name_no_date(tmp_path: Path) -> None:
    """One tracker last synced Nov 2, another Nov 16: the company's change is "since the
    last check-ins"; each tracker keeps its own date."""
    nov_2, nov_16 = dt.date(2026, 11, 2), dt.date(2026, 11, 16)
    rendered = _company(tmp_path, {"Growth": (nov_2,), "Korea": (nov_2, nov_16)})
    assert "Company score: 40%, 25 points behind the 65% pace, +20.0 since the last check-ins." in (
        rendered.text
    )
    assert "- Growth: 40%, 25 points behind the 65% pace, +20.0 since Nov 2, 2026" in rendered.text
    assert "- Korea: 40%, 25 points behind the 65% pace, +20.0 since Nov 16, 2026" in rendered.text


def test_trackers_with_one_baseline_name_it(tmp_path: Path) -> None:
    """Both trackers last synced Nov 16: the company's change is since Nov 16, 2026."""
    rendered = _company(tmp_path, {"Growth": (dt.date(2026, 11, 16),),
                                   "Korea": (dt.date(2026, 11, 16),)})  # fmt: skip
    assert "+20.0 since Nov 16, 2026." in rendered.text
