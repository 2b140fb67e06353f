"""The word lists behind the plan checks: loading, extending, and the title helpers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sheets_okr.errors import UsageError
from sheets_okr.lint.wordlists import (
    WordLists,
    contains_word,
    from_to,
    has_number,
    has_percentage,
    numbers_in,
)
from tests.support.workbooks import day, write_workbook

WORDS = WordLists.load()


def _toml(tmp_path: Path, text: str, name: str = "team.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- loading -------------------------------------------------------------------------------


def test_load_ships_english_and_korean_lists() -> None:
    """The shipped lists hold English and Korean words for every role."""
    assert {"build", "increase", "improve", "lead", "implement"} <= WORDS.direction
    assert {"구축", "증가", "개선", "리드", "구현"} <= WORDS.direction
    assert {"improve", "engage", "향상", "상호작용", "인지도"} <= WORDS.vague
    assert {"launch", "set up", "시작", "출시"} <= WORDS.action
    assert {"three", "five"} <= WORDS.numbers


def test_load_lists_are_frozen_and_casefolded() -> None:
    """Every list is a frozenset of trimmed, casefolded, non-empty words."""
    for words in (WORDS.direction, WORDS.vague, WORDS.action, WORDS.numbers):
        assert isinstance(words, frozenset)
        assert words
        assert all(w == w.strip().casefold() and w for w in words)


def test_load_without_extra_files_is_repeatable() -> None:
    """Loading twice gives equal lists."""
    assert WordLists.load() == WORDS


def test_extra_file_extends_every_list(tmp_path: Path) -> None:
    """A team's TOML adds words to each role and keeps the shipped ones."""
    extra = _toml(
        tmp_path,
        '[objective]\ndirection = ["  Research ", ""]\n'
        '[key_result]\nvague = ["Socialize"]\naction = ["Onboard"]\n'
        '[numbers]\nwords = ["dozen"]\n',
    )
    words = WordLists.load([extra])
    assert "research" in words.direction
    assert "" not in words.direction
    assert "socialize" in words.vague
    assert "onboard" in words.action
    assert "dozen" in words.numbers
    assert words.direction > WORDS.direction
    assert WORDS.action < words.action


def test_extra_files_combine(tmp_path: Path) -> None:
    """Several extra files all add their words."""
    first = _toml(tmp_path, '[objective]\ndirection = ["research"]\n', "one.toml")
    second = _toml(tmp_path, '[objective]\ndirection = ["조사"]\n', "two.toml")
    words = WordLists.load([first, second])
    assert {"research", "조사"} <= words.direction


def test_extra_file_with_only_some_tables_is_fine(tmp_path: Path) -> None:
    """A file naming only one list leaves the others as shipped."""
    extra = _toml(tmp_path, '[key_result]\naction = ["onboard"]\n')
    words = WordLists.load([extra])
    assert words.direction == WORDS.direction
    assert words.action == WORDS.action | {"onboard"}


def test_extra_direction_word_stops_objective_finding(tmp_path: Path) -> None:
    """An objective flagged for no direction passes once a team lists its verb."""
    from sheets_okr.lint.checks import lint_tracker
    from sheets_okr.score.scorecard import score_tracker
    from tests.support.workbooks import read

    kr = ["Key Result", "Interview 12 customers", "Lee", None, None, 0, 12]
    act = ["Action", "Book the calls", "Lee", None, None, None, None, None, None, None,
           day("2026-12-10")]  # fmt: skip
    rows: list[list[Any]] = [
        ["Type", "Title", "Owner", "Team", "Quarter", "Start", "Target", "Current", "Unit",
         "Weight", "Due"],
        ["Objective", "Market research", "Sam", "Marketing"],
        kr, act, kr, act, kr, act,
        ["Objective", "Increase website traffic", "Sam", "Marketing"],
        kr, act, kr, act, kr, act,
        ["Objective", "Improve the sales pipeline", "Sam", "Marketing"],
        kr, act, kr, act, kr, act,
    ]  # fmt: skip
    tracker = read(write_workbook(tmp_path / "plan.xlsx", {"2026-Q4": rows}))
    card = score_tracker(tracker, day("2026-11-30"))
    before = lint_tracker(tracker, card)
    assert [(f.code, f.cell) for f in before] == [("objective-no-direction", "B2")]
    extra = _toml(tmp_path, '[objective]\ndirection = ["research"]\n')
    assert lint_tracker(tracker, card, words=WordLists.load([extra])) == []


def test_invalid_toml_is_a_usage_error_naming_the_file(tmp_path: Path) -> None:
    """A word file that is not TOML is a usage error that names the file."""
    bad = _toml(tmp_path, "[objective\ndirection = [", "broken.toml")
    with pytest.raises(UsageError, match=r"broken\.toml.*not valid TOML"):
        WordLists.load([bad])


@pytest.mark.parametrize(
    "text",
    [
        '[objective]\ndirection = "research"\n',
        "[objective]\ndirection = [1, 2]\n",
        '[objective]\ndirection = ["research", 3]\n',
        '[key_result]\nvague = {a = "b"}\n',
        "[numbers]\nwords = true\n",
        'objective = "research"\n',
        "key_result = [1]\n",
    ],
)
def test_wrong_types_are_usage_errors(tmp_path: Path, text: str) -> None:
    """A list that is not a list of strings, or a section that is not a table, is refused."""
    with pytest.raises(UsageError, match="word list"):
        WordLists.load([_toml(tmp_path, text)])


def test_missing_word_file_is_a_usage_error(tmp_path: Path) -> None:
    """A word file that cannot be read is a usage error naming it."""
    with pytest.raises(UsageError, match=r"nowhere\.toml"):
        WordLists.load([tmp_path / "nowhere.toml"])


# --- contains_word ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Improve the sales pipeline",
        "Sales pipeline improves",
        "Improved funnel conversion",
        "Improving funnel conversion",
        "IMPROVE FUNNEL CONVERSION",
    ],
)
def test_contains_word_matches_regular_forms(title: str) -> None:
    """A listed verb matches its regular endings, in any case."""
    assert contains_word(title, frozenset({"improve"})) == "improve"


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("plan", "Planned the launch"),
        ("plan", "Planning the launch"),
        ("simplify", "Simplified onboarding"),
        ("simplify", "Simplifies onboarding"),
        ("reach", "Reaches new buyers"),
        ("grow", "Growing website traffic"),
    ],
)
def test_contains_word_matches_doubled_and_y_endings(word: str, title: str) -> None:
    """Doubled consonants and y-to-i endings are forms of the word."""
    assert contains_word(title, frozenset({word})) == word


@pytest.mark.parametrize(
    ("word", "title"),
    [
        ("make", "Market research"),
        ("make", "Remake the site"),
        ("own", "Grow downloads"),
        ("cut", "Execute the plan"),
        ("lead", "Misleading copy"),
        ("run", "Prune the list"),
    ],
)
def test_contains_word_matches_whole_words_only(word: str, title: str) -> None:
    """A Latin word never matches inside another word."""
    assert contains_word(title, frozenset({word})) is None


def test_contains_word_irregular_forms_are_not_guessed() -> None:
    """Irregular forms (built) are not matched unless listed."""
    assert contains_word("Built a new channel", frozenset({"build"})) is None
    assert contains_word("Built a new channel", frozenset({"build", "built"})) == "built"


def test_contains_word_first_only_looks_at_the_first_latin_word() -> None:
    """With first_only a Latin word must open the title."""
    words = frozenset({"launch"})
    assert contains_word("Launch a new website", words, first_only=True) == "launch"
    assert contains_word("Plan the launch", words, first_only=True) is None
    assert contains_word("Plan the launch", words) == "launch"


def test_contains_word_korean_matches_inside_words() -> None:
    """A Korean word matches inside a longer word, since endings attach to it."""
    assert contains_word("웹사이트 트래픽 증가", WORDS.direction) == "증가"
    assert contains_word("웹사이트 트래픽을 증가시키기", frozenset({"증가"})) == "증가"
    assert contains_word("시장 조사", WORDS.direction) is None


def test_contains_word_first_only_korean_looks_at_the_last_word() -> None:
    """With first_only a Korean word must be in the last Korean word, where the verb goes."""
    words = frozenset({"시작"})
    assert contains_word("새 웹사이트 시작", words, first_only=True) == "시작"
    assert contains_word("시작 페이지 방문자 수", words, first_only=True) is None
    assert contains_word("시작 페이지 방문자 수", words) == "시작"


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("Set up the CRM", "set up"),
        ("Sets up the CRM", "set up"),
        ("Rolled out the new pricing page", "roll out"),
        ("Rolling out the new pricing page", "roll out"),
        ("Kick off the webinar series", "kick off"),
    ],
)
def test_contains_word_phrases_match_with_forms(title: str, found: str) -> None:
    """A listed phrase matches as whole words, its first word in any regular form."""
    assert contains_word(title, WORDS.action, first_only=True) == found


@pytest.mark.parametrize(
    "title",
    ["Set upper limits on ad spend", "Kick offers to the partners", "Offset up-front costs"],
)
def test_contains_word_phrases_match_whole_words_only(title: str) -> None:
    """A phrase does not match when its last word is only the start of another word."""
    assert contains_word(title, frozenset({"set up", "kick off"})) is None
    assert contains_word(title, frozenset({"set up", "kick off"}), first_only=True) is None


def test_contains_word_phrase_first_only_must_open_the_title() -> None:
    """With first_only a phrase must open the title."""
    words = frozenset({"raise awareness"})
    assert contains_word("Raise awareness of the brand", words, first_only=True)
    assert contains_word("Campaigns that raise awareness", words, first_only=True) is None
    assert contains_word("Campaigns that raised awareness", words) == "raise awareness"


# --- numbers ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "title",
    [
        "Win more B2B deals",
        "Improve the sales pipeline in Q4",
        "Lead the marketing department through COVID-19",
        "Increase website traffic in 2026",
        "Build the 2027 plan",
        "Grow H2 revenue for FY26",
        "4분기 웹사이트 트래픽 증가",
        "2026년 4분기 매출 증가",
        "12월까지 파이프라인 개선",
        "Increase website traffic",
    ],
)
def test_numbers_in_skips_names_quarters_and_years(title: str) -> None:
    """Names (B2B, Q4, COVID-19), years, quarters and months are not quantities."""
    assert numbers_in(title) == []


@pytest.mark.parametrize(
    ("title", "numbers"),
    [
        ("Generate 53 MQLs", ["53"]),
        ("53개의 MQL 생성", ["53"]),
        ("마케팅 CRM을 사용하도록 5명의 팀원 교육", ["5"]),
        ("3개월 안에 리드 200건 확보", ["3", "200"]),
        ("Grow organic sessions from 18,000 to 30,000 per month", ["18,000", "30,000"]),
        ("Raise the NPS to 4.5", ["4.5"]),
        ("Reduce cost per MQL from $180 to $120", ["180", "120"]),
        ("Reach 10k newsletter subscribers", ["10k"]),
        ("Grow pipeline 3x", ["3x"]),
        ("Add $2M of pipeline in 2026", ["2M"]),
        ("Improve SEO performance by 50%", ["50"]),
    ],
)
def test_numbers_in_finds_quantities(title: str, numbers: list[str]) -> None:
    """Digits on their own, with a Korean counter, separators, or a k/M/x suffix are numbers."""
    assert numbers_in(title) == numbers


def test_has_number_counts_number_words() -> None:
    """Number words count like digits; words merely containing one do not."""
    assert has_number("Send three email newsletters", WORDS)
    assert has_number("Double the webinar sign-ups", WORDS)
    assert has_number("Send 3 email newsletters", WORDS)
    assert not has_number("Someone improves the brand", WORDS)
    assert not has_number("Win more B2B deals in Q4", WORDS)
    assert not has_number("브랜드 인지도 향상", WORDS)


@pytest.mark.parametrize(
    "title",
    [
        "Improve SEO performance by 50%",
        "Respond to 90 % of inquiries",
        "Raise open rate 5 percent",
        "Cut churn by five per cent",
        "SEO 성능 50% 향상",
        "전환율 30퍼센트 개선",
        "재방문율 20프로 증가",
        "재방문율 20 프로 증가",
    ],
)
def test_has_percentage_finds_percentages(title: str) -> None:
    """A percent sign or word, in English or Korean, is a percentage."""
    assert has_percentage(title)


@pytest.mark.parametrize(
    "title",
    [
        "Send 3 email newsletters",
        "Improve brand awareness",
        "마케팅 프로그램 3개 출시",
        "프로모션 페이지 방문자 5,000명 달성",
        "프로세스 개선 워크숍 2회 진행",
        "Grow the Pro plan from 40 to 60 accounts",
    ],
)
def test_has_percentage_ignores_other_words(title: str) -> None:
    """Words that only start like a percent word (프로그램, Pro) are no percentage."""
    assert not has_percentage(title)


@pytest.mark.parametrize(
    ("title", "pair"),
    [
        ("Increase MQLs attributed to inbound marketing from 20 to 30", (20.0, 30.0)),
        ("Reduce cost per MQL from $180 to $120", (180.0, 120.0)),
        ("Grow organic sessions from 18,000 to 30,000 per month", (18000.0, 30000.0)),
        ("Raise conversion from 2.5% to 4%", (2.5, 4.0)),
        ("Grow visits from 20 to 30.", (20.0, 30.0)),
        ("인바운드 마케팅에 기인하는 MQL을 20에서 30으로 증가", (20.0, 30.0)),
        ("뉴스레터 구독자를 2,400명에서 3,500명으로 확대", (2400.0, 3500.0)),
        ("전환율을 20%에서 30%로 개선", (20.0, 30.0)),
    ],
)
def test_from_to_reads_both_numbers(title: str, pair: tuple[float, float]) -> None:
    """A title saying from A to B (A에서 B로) gives A and B."""
    assert from_to(title) == pair


@pytest.mark.parametrize(
    "title",
    ["Send 3 email newsletters", "Improve SEO performance by 50%", "From now on, ship weekly",
     "브랜드 인지도 향상", "하루 안에 잠재 고객 문의 90%에 응답"],
)  # fmt: skip
def test_from_to_without_a_pair_is_none(title: str) -> None:
    """A title without from A to B gives None."""
    assert from_to(title) is None
