"""Words a leader reads where the summary leaves rows out, has no figure, counts a change or
labels a score behind the pace: each says what it means, in English and Korean, in the HTML
and the plain text, of one tracker and of several."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from sheets_okr.actions.lint import lint_source
from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.actions.trackers import RunReport, sync_trackers
from sheets_okr.config.load import load_config
from sheets_okr.summary.company import build_company
from sheets_okr.summary.digest import Limits, build_digest
from sheets_okr.summary.render import Rendered, render, render_company
from tests.support.run_configs import small_tracker, write_config
from tests.support.summary_plans import AS_OF, crowded_plan, team_plan

NOW = dt.datetime(2026, 11, 30, 9, 0)
FEW = Limits(objectives=1, key_results_per_objective=1)  # 1 of 3 shown: "2 more"
MOST = Limits(objectives=2, key_results_per_objective=2)  # 2 of 3 shown: "1 more"
NAMED = r"(?: (?:key results?|objectives?|actions?|plan checks?)\b)"
BARE_MORE = {"en": re.compile(rf"and \d+ more(?!{NAMED})"), "ko": re.compile(r"외 \d+개")}
CHANGE = re.compile(r"(?<![\w.])[+−±]\d[\d,]*(?:\.\d+)?")


def visible(markup: str) -> str:
    """The words of an HTML document as a reader sees them: tags gone, spaces squashed."""
    body = markup.rsplit("</head>", maxsplit=1)[-1]
    return " ".join(re.sub(r"<[^>]+>", " ", body).replace("&nbsp;", " ").split())


def rendered_with(path: Path, lang: str, limits: Limits) -> Rendered:
    """One tracker's summary with its lists capped by `limits`."""
    scored, findings = lint_source(str(path), ReadOptions(AS_OF))
    digest = build_digest(scored.tracker, scored.card, history=scored.history,
                          findings=findings, source=scored.source, limits=limits)  # fmt: skip
    return render(digest, lang, now=NOW)


@pytest.fixture(scope="module", name="team")
def _team(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two teams in one file named with a capital (Korea.xlsx), three syncs of History;
    "Lift awareness to 10" has no check-in."""
    return team_plan(tmp_path_factory.mktemp("team") / "Korea.xlsx")


@pytest.fixture(scope="module", name="run")
def _run(tmp_path_factory: pytest.TempPathFactory, team: Path) -> RunReport:
    """A run of three trackers: Ops (three objectives of three KRs, each 60%), Sales (55%)
    and Korea (the two-team plan with History)."""
    folder = tmp_path_factory.mktemp("run")
    crowded_plan(folder / "ops.xlsx")
    small_tracker(folder / "sales.xlsx", "Sales", current=5.5)
    shutil.copy(team, folder / "Korea.xlsx")
    config = load_config(write_config(folder, [("Ops", "ops.xlsx"), ("Sales", "sales.xlsx"),
                                               ("Korea", "Korea.xlsx")]))  # fmt: skip
    return sync_trackers(config, as_of=AS_OF, dry_run=True)


def company(run: RunReport, lang: str, limits: Limits | None = None) -> Rendered:
    """The run's summary in `lang`, its lists capped by `limits`."""
    return render_company(build_company(run.trackers, run.as_of, limits=limits), lang, now=NOW)


@pytest.mark.parametrize(("limits", "krs", "objectives"), [
    (FEW, "and 2 more key results", "and 2 more objectives"),
    (MOST, "and 1 more key result", "and 1 more objective"),
])  # fmt: skip
def test_one_tracker_names_what_its_lists_leave_out(
    tmp_path: Path, limits: Limits, krs: str, objectives: str
) -> None:
    """A capped objective ends with "and 2 more key results", a capped team with "and 2 more
    objectives" (singular for one), in the HTML and the text; never a bare "and 2 more"."""
    rendered = rendered_with(crowded_plan(tmp_path / "ops.xlsx"), "en", limits)
    for shown in (visible(rendered.html), rendered.text):
        assert krs in shown
        assert objectives in shown
        assert not BARE_MORE["en"].search(shown), BARE_MORE["en"].findall(shown)


def test_the_company_email_names_what_its_lists_leave_out(run: RunReport) -> None:
    """In the company email the two left-out lines that came one after the other ("and 1
    more", "and 1 more") now say a key result and an objective, in English and Korean."""
    english, korean = company(run, "en", MOST), company(run, "ko", MOST)
    lines = english.text.splitlines()
    at = lines.index("and 1 more objective")
    assert lines[at - 1] == "    and 1 more key result"  # Ops' last objective, then Ops
    assert "and 1 more key result" in visible(english.html)
    assert "and 1 more objective" in visible(english.html)
    for shown in (visible(korean.html), korean.text):
        assert "외 핵심 결과 1개" in shown
        assert "외 목표 1개" in shown
    for lang, rendered in (("en", english), ("ko", korean)):
        for shown in (visible(rendered.html), rendered.text):
            assert not BARE_MORE[lang].search(shown), BARE_MORE[lang].findall(shown)


def test_a_key_result_without_a_check_in_shows_no_score_or_change(
    team: Path, run: RunReport
) -> None:
    """The KR "Lift awareness to 10" has no check-in: it reads "No data" and "no check-in
    yet", never "0% (No data) ±0", in the HTML and the text, of one tracker and of the company."""
    _, english = summarise(str(team), ReadOptions(AS_OF), "en")
    _, korean = summarise(str(team), ReadOptions(AS_OF), "ko")
    runs = (company(run, "en", Limits.uncapped()), company(run, "ko", Limits.uncapped()))
    for rendered, said, no_data in ((english, "no check-in yet", "No data"),
                                    (korean, "아직 체크인 없음", "데이터 없음"),
                                    (runs[0], "no check-in yet", "No data"),
                                    (runs[1], "아직 체크인 없음", "데이터 없음")):  # fmt: skip
        for shown in (visible(rendered.html), visible(rendered.page), rendered.text):
            at = shown.index("Lift awareness to 10")
            row = shown[at - 30 : shown.index(said, at) + len(said) + 12]
            assert no_data in row, row
            assert "%" not in row.split("Lift awareness to 10")[1], row
            assert not CHANGE.search(row), row
        line = next(x for x in rendered.text.splitlines() if "Lift awareness to 10" in x)
        assert line == f"    - Lift awareness to 10 — {no_data}, {said}"


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_change_has_one_decimal(team: Path, run: RunReport, lang: str) -> None:
    """Changes read alike within an email: "+20.0" beside "+4.2", "±0.0", never "+20" or
    "±0" (English and Korean, HTML and text, one tracker and the company)."""
    _, one = summarise(str(team), ReadOptions(AS_OF), lang)
    for rendered in (one, company(run, lang)):
        for shown in (visible(rendered.html), rendered.text):
            changes = CHANGE.findall(shown)
            assert changes
            assert all(re.fullmatch(r"[+−±][\d,]+\.\d", c) for c in changes), changes
    assert "+20.0" in one.text  # Grow ARR, 40% to 60%: a whole change keeps its ".0"
    assert "±0.0" in one.text


def lead_and_label(markup: str) -> tuple[str, str]:
    """The lead sentence and the status label beside it, as the reader sees them."""
    found = re.search(r'class="lead"[^>]*>(.*?)</td>', markup, re.S)
    assert found is not None
    pill = re.search(r'class="pill"[^>]*>(.*?)</span>', found.group(1), re.S)
    assert pill is not None

    def words(markup: str) -> str:  # inline tags only: they split no word
        return " ".join(re.sub(r"<[^>]+>", "", markup).replace("&nbsp;", " ").split())

    return words(found.group(1)), words(pill.group(1))


def test_on_track_behind_the_pace_says_how_far(tmp_path: Path, run: RunReport) -> None:
    """55% against a 65% pace is on track (within the margin), and its label says so with
    the gap the lead sentence gives: "On track, 10 points behind pace", not a bare green
    "On track"; ahead of the pace the label is "On track" alone."""
    behind = summarise(str(small_tracker(tmp_path / "s.xlsx", "Sales", 5.5)),
                       ReadOptions(AS_OF), "en")[1]  # fmt: skip
    sentence, label = lead_and_label(behind.html)
    assert sentence.startswith("55%, 10 points behind the 65% pace.")
    assert label == "On track, 10 points behind pace"
    assert "pace. (On track, 10 points behind pace)" in behind.text
    korean = summarise(str(tmp_path / "s.xlsx"), ReadOptions(AS_OF), "ko")[1]
    sentence, label = lead_and_label(korean.html)
    assert sentence.startswith("55%, 기대 진도 65%보다 10%p 뒤처짐.")
    assert label == "순항, 기대 진도보다 10%p 뒤"
    ahead = summarise(str(small_tracker(tmp_path / "a.xlsx", "Sales", 8)),
                      ReadOptions(AS_OF), "en")[1]  # fmt: skip
    assert lead_and_label(ahead.html)[1] == "On track"
    rendered = company(run, "en")  # the company at risk: its label says so, alone
    assert lead_and_label(rendered.html)[1] == "At risk"
    assert "== Ops · 2026-Q4 · 60% (On track, 5 points behind pace) ==" in rendered.text
    for name, gap in (("Ops", 5), ("Sales", 10)):
        said = f"{gap} points behind the 65% pace (On track, {gap} points behind pace)"
        assert f"- {name}: {65 - gap}%, {said}" in rendered.text
        row = re.search(rf'class="tracker"[^>]*>\s*<table.*?>{name}</td>(.*?)</table>',
                        rendered.html, re.S)  # fmt: skip
        assert row is not None
        assert f"On track, {gap} points behind pace {65 - gap}%" in visible(row.group(1))


def test_a_file_name_keeps_its_case(team: Path, tmp_path: Path) -> None:
    """A plan of two teams is named by its file: Korea.xlsx is "Korea" in the subject and
    the heading, korea.xlsx "korea", as the file is spelled (the tool lowercases nothing)."""
    _, rendered = summarise(str(team), ReadOptions(AS_OF), "en")
    assert rendered.subject.startswith("[OKR] Korea 2026-Q4: ")
    title = re.search(r'class="title"[^>]*>(.*?)</td>', rendered.html, re.S)
    assert title is not None
    assert visible(title.group(1)) == "Korea · 2026-Q4"
    lower = shutil.copy(team, tmp_path / "korea.xlsx")
    assert summarise(str(lower), ReadOptions(AS_OF), "en")[1].subject.startswith(
        "[OKR] korea 2026-Q4: "
    )
