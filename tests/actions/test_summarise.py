"""The summary command layer: a long plan in any language still fits Gmail's clip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.summary.digest import Limits
from sheets_okr.summary.fit import EMAIL_HTML_BUDGET, html_size_as_sent
from tests.support.workbooks import write_workbook

KOREAN_KR = "한국 시장에서 인바운드 마케팅으로 발굴한 영업 기회를 분기 말까지 꾸준히 늘리기"


def _korean_plan(path: Path) -> Path:
    rows: list[list[Any]] = [["Type", "Title", "Owner", "Team", "Start", "Target", "Current",
                              "Unit", "Due", "Status"]]  # fmt: skip
    for o in range(20):
        rows.append(["Objective", f"목표 {o + 1}: 한국 시장 웹사이트 트래픽과 수요 창출 증가",
                     f"담당자 {o}", "마케팅"])  # fmt: skip
        for k in range(5):
            rows.append(["Key Result", f"핵심 결과 {o + 1}.{k + 1}: {KOREAN_KR}", f"박지민 {k}",
                         None, 0, 100, (o * 5 + k) * 7 % 90, "건"])  # fmt: skip
            action = f"행동 {o + 1}.{k + 1}: 참석자 전원에게 후속 연락"
            rows.append(["Action", action, f"이서연 {k}", None, None, None, None, None,
                         "2026-11-20", "진행 중"])  # fmt: skip
    return write_workbook(path, {"2026-Q4": rows})


def test_a_long_korean_plan_is_shortened_until_the_email_fits(tmp_path: Path) -> None:
    """100 Korean KRs: lists shrink below the defaults so the HTML as sent stays in budget."""
    path = _korean_plan(tmp_path / "okrs.xlsx")
    digest, rendered = summarise(str(path), ReadOptions(dt.date(2026, 11, 30)), "ko")
    assert html_size_as_sent(rendered.html) <= EMAIL_HTML_BUDGET
    shown = sum(len(blocks.items) for _, _, _, blocks in digest.teams)
    assert shown < Limits().objectives  # shortened from the default lists
    assert "외" in rendered.html  # "외 N개": the summary says how much it left out


def test_a_short_plan_keeps_the_default_lists(tmp_path: Path) -> None:
    """A small plan is not shortened: every objective is shown."""
    path = write_workbook(
        tmp_path / "okrs.xlsx",
        {"2026-Q4": [
            ["Type", "Title", "Owner", "Start", "Target", "Current"],
            ["Objective", "Increase website traffic", "Sam"],
            ["Key Result", "Grow visits from 0 to 10", "Lee", 0, 10, 5],
        ]},
    )  # fmt: skip
    digest, _ = summarise(str(path), ReadOptions(dt.date(2026, 11, 30)))
    assert [len(blocks.items) for _, _, _, blocks in digest.teams] == [1]


def test_limits_shrink_to_a_floor() -> None:
    """Shrinking limits ends at a floor instead of showing nothing."""
    limits: Limits | None = Limits()
    last = Limits()
    while limits is not None:
        last, limits = limits, limits.smaller()
    assert last.objectives >= 2
    assert last.key_results_per_objective >= 2
