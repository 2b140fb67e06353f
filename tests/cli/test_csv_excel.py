"""`score --format csv` as Excel opens it: a UTF-8 byte-order mark where the CSV starts a file
(and on --bom), none down a pipe (nor on --no-bom), and numbers rounded the way a cell shows
them; read here byte by byte, as Excel and a careful script read it."""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from sheets_okr.cli.data import CSV_COLUMNS, FIGURE_DIGITS, RATIO_DECIMALS, scorecard_csv
from tests.support.workbooks import TYPE_HEADER, write_workbook

AS_OF = "2026-11-30"
BOM = codecs.BOM_UTF8  # EF BB BF
KOREAN_OBJECTIVE = "한국 시장 매출 확대"
KOREAN_KEY_RESULT = "분기 매출 1억 5천만 원 달성"
NUMBER_COLUMNS = ("start", "target", "current", "weight", "progress", "score", "expected", "row")
RATIO_COLUMNS = ("weight", "progress", "score", "expected")
TIMEOUT = 60  # seconds for one `score` in a process of its own


@pytest.fixture(name="korean_tracker", scope="module")
def _korean_tracker(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tracker with Korean titles and the figures floats garble: 0.1 + 0.2 as a target,
    150,000,000 as a float, a weight of 1/3 and a regression (progress -0.5)."""
    return write_workbook(
        tmp_path_factory.mktemp("korean") / "okrs.xlsx",
        {
            "2026-Q4": [
                list(TYPE_HEADER),
                ["Objective", KOREAN_OBJECTIVE, "박지민", "마케팅", None, None, None, None,
                 None, 2.0],
                ["Key Result", KOREAN_KEY_RESULT, "박지민", None, None, 0, 150000000.0,
                 91059720.0, "원", 1.0],
                ["Key Result", "전환율을 0.1에서 0.3으로 개선", "이서연", None, None, 0.1,
                 0.1 + 0.2, 0.2, "비율", 1 / 3],
                ["Key Result", "이탈 고객 수를 10명에서 20명으로", "김민준", None, None, 10, 20, 5,
                 "명"],
            ]
        },
    )  # fmt: skip


def _score_to_file(tracker: Path, out: Path, *more: str, mode: str = "wb") -> bytes:
    """`sheets-okr score TRACKER --format csv MORE > OUT` (`>>` with mode "ab"), in a process
    of its own so that stdout is a real file; returns OUT's bytes."""
    with out.open(mode) as stdout:
        done = subprocess.run(
            [sys.executable, "-m", "sheets_okr", "score", str(tracker), "--as-of", AS_OF,
             "--format", "csv", *more],
            stdout=stdout,
            stderr=subprocess.PIPE,
            timeout=TIMEOUT,
            check=False,
        )  # fmt: skip
    assert done.returncode == 0, done.stderr.decode("utf-8", "replace")
    return out.read_bytes()


@pytest.fixture(name="saved_csv", scope="module")
def _saved_csv(korean_tracker: Path, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bytes of `score --format csv > scores.csv` on the Korean tracker, by default."""
    return _score_to_file(korean_tracker, tmp_path_factory.mktemp("saved") / "scores.csv")


def _rows_as_excel_reads(raw: bytes) -> list[dict[str, str]]:
    """The CSV decoded as UTF-8 by its byte-order mark, the way Excel and utf-8-sig read it."""
    assert raw.startswith(BOM), raw[:20]
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def _score_in_process(tracker: Path, *more: str) -> bytes:
    result = CliRunner().invoke(
        cli, ["score", str(tracker), "--as-of", AS_OF, "--format", "csv", *more]
    )
    assert result.exit_code == 0, result.output
    return result.stdout_bytes


def test_csv_saved_to_a_file_starts_with_one_byte_order_mark(saved_csv: bytes) -> None:
    """`score --format csv > scores.csv` starts with EF BB BF, once, then the header."""
    raw = saved_csv
    assert raw[:3] == b"\xef\xbb\xbf"
    assert raw.count(BOM) == 1
    assert raw[3:].startswith(b"level,id,parent_id,")


def test_csv_saved_to_a_file_keeps_korean_titles_intact(saved_csv: bytes) -> None:
    """Decoded as its byte-order mark says, the file holds the Korean titles as typed."""
    rows = _rows_as_excel_reads(saved_csv)
    titles = [row["title"] for row in rows]
    assert titles[:2] == [KOREAN_OBJECTIVE, KOREAN_KEY_RESULT]
    assert rows[0]["owner"] == "박지민"
    assert rows[1]["unit"] == "원"


def test_csv_header_has_no_byte_order_mark_for_a_utf8_sig_reader(saved_csv: bytes) -> None:
    """csv.reader over utf-8-sig gives the header as CSV_COLUMNS, "level" without "\\ufeff"."""
    header = next(csv.reader(io.StringIO(saved_csv.decode("utf-8-sig"), newline="")))
    assert tuple(header) == CSV_COLUMNS
    assert "\ufeff" not in header[0]


def test_csv_rows_end_in_crlf_and_nothing_else(saved_csv: bytes) -> None:
    """Every line ends in \\r\\n as the csv module writes it, never \\r\\r\\n or a bare \\n."""
    lines = saved_csv.split(b"\r\n")
    assert lines[-1] == b""  # the last row's \r\n ends the file
    assert len(lines) == 1 + 1 + 3 + 1  # the header, the objective, its three key results
    assert all(b"\r" not in line and b"\n" not in line for line in lines)


def test_csv_down_a_pipe_has_no_byte_order_mark(korean_tracker: Path) -> None:
    """A program reading `score --format csv |` gets plain UTF-8: "level" is the first column."""
    done = subprocess.run(
        [sys.executable, "-m", "sheets_okr", "score", str(korean_tracker), "--as-of", AS_OF,
         "--format", "csv"],
        capture_output=True,
        timeout=TIMEOUT,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(b"level,id,")
    rows = list(csv.DictReader(io.StringIO(done.stdout.decode("utf-8"), newline="")))
    assert rows[0]["level"] == "objective"
    assert rows[0]["title"] == KOREAN_OBJECTIVE


def test_csv_appended_to_a_file_gets_no_mark_in_the_middle(
    korean_tracker: Path, tmp_path: Path
) -> None:
    """`>> scores.csv` onto a file with content adds no byte-order mark after it."""
    out = tmp_path / "scores.csv"
    first = _score_to_file(korean_tracker, out)
    both = _score_to_file(korean_tracker, out, mode="ab")
    assert both.startswith(first)
    assert both.count(BOM) == 1


def test_no_bom_flag_leaves_the_mark_out_of_a_file(korean_tracker: Path, tmp_path: Path) -> None:
    """--no-bom writes plain UTF-8 even to a file, for scripts that read it as utf-8."""
    raw = _score_to_file(korean_tracker, tmp_path / "scores.csv", "--no-bom")
    assert raw.startswith(b"level,id,")
    assert BOM not in raw
    assert KOREAN_OBJECTIVE.encode("utf-8") in raw


def test_bom_flag_adds_the_mark_where_the_default_would_not(korean_tracker: Path) -> None:
    """--bom starts the CSV with EF BB BF even where stdout is not a file (PowerShell's `>`)."""
    assert not _score_in_process(korean_tracker).startswith(BOM)
    raw = _score_in_process(korean_tracker, "--bom")
    assert raw.startswith(BOM)
    assert raw.count(BOM) == 1
    assert _rows_as_excel_reads(raw)[0]["title"] == KOREAN_OBJECTIVE


def test_bom_flag_leaves_json_as_it_is(korean_tracker: Path) -> None:
    """The flag is about the CSV: `--format json --bom` is plain JSON."""
    result = CliRunner().invoke(
        cli, ["score", str(korean_tracker), "--as-of", AS_OF, "--format", "json", "--bom"]
    )
    assert result.exit_code == 0, result.output
    assert not result.stdout_bytes.startswith(BOM)
    json.loads(result.stdout)


_DECIMALS = re.compile(r"^-?\d+(?:\.(\d+))?$")


def _decimals(field: str) -> int:
    """How many decimals a plain number field has; fails on anything but a plain number."""
    match = _DECIMALS.match(field)
    assert match, f"{field!r} is not a plain number"
    return len(match.group(1) or "")


def test_csv_ratios_have_at_most_four_decimals(korean_tracker: Path) -> None:
    """Progress, score, expected and weight keep 4 decimals: 0.6070648 is 0.6071."""
    rows = _rows_as_excel_reads(_score_in_process(korean_tracker, "--bom"))
    for row in rows:
        for column in RATIO_COLUMNS:
            if row[column]:
                assert _decimals(row[column]) <= RATIO_DECIMALS, (column, row[column])
    revenue = rows[1]
    assert revenue["progress"] == "0.6071"  # 91,059,720 of 150,000,000
    assert rows[2]["weight"] == "0.3333"  # a weight of 1/3


def test_csv_numbers_are_plain_numbers_without_float_noise(korean_tracker: Path) -> None:
    """Every number field is digits, an optional '-' and '.', no separator, no "1e-05"; none
    ends in ".0" and none has more than 15 significant digits."""
    rows = _rows_as_excel_reads(_score_in_process(korean_tracker, "--bom"))
    for row in rows:
        for column in NUMBER_COLUMNS:
            field = row[column]
            if field:
                _decimals(field)
                assert not field.endswith(".0"), (column, field)
                assert len(field.lstrip("-").replace(".", "").strip("0")) <= FIGURE_DIGITS


def test_csv_figures_print_as_people_typed_them(korean_tracker: Path) -> None:
    """150000000.0 prints 150000000, 0.1 + 0.2 prints 0.3, a weight 2.0 prints 2."""
    objective, revenue, conversion, churn = _rows_as_excel_reads(
        _score_in_process(korean_tracker, "--bom")
    )
    assert (revenue["start"], revenue["target"], revenue["current"]) == (
        "0", "150000000", "91059720",
    )  # fmt: skip
    assert (conversion["start"], conversion["target"], conversion["current"]) == (
        "0.1", "0.3", "0.2",
    )  # fmt: skip
    assert objective["weight"] == "2"
    assert revenue["weight"] == "1"
    assert churn["row"] == "5"


def test_csv_leaves_missing_numbers_blank(korean_tracker: Path) -> None:
    """An objective row has no start, target, current or progress: blank, not 0 or "None"."""
    objective = _rows_as_excel_reads(_score_in_process(korean_tracker, "--bom"))[0]
    assert [objective[c] for c in ("start", "target", "current", "progress")] == [""] * 4


def test_csv_negative_progress_stays_a_number(korean_tracker: Path) -> None:
    """A regression's progress -0.5 is "-0.5", with no formula-guarding quote."""
    churn = _rows_as_excel_reads(_score_in_process(korean_tracker, "--bom"))[3]
    assert churn["progress"] == "-0.5"


def test_csv_numbers_are_the_json_numbers_rounded(korean_tracker: Path) -> None:
    """Each CSV ratio is its JSON value to 4 decimals: rounded, never otherwise changed."""
    rows = _rows_as_excel_reads(_score_in_process(korean_tracker, "--bom"))
    result = CliRunner().invoke(
        cli, ["score", str(korean_tracker), "--as-of", AS_OF, "--format", "json"]
    )
    (objective,) = json.loads(result.stdout)["objectives"]
    for row, item in zip(rows, [objective, *objective["key_results"]], strict=True):
        for column in RATIO_COLUMNS:
            if item.get(column) is not None:
                assert float(row[column]) == pytest.approx(item[column], abs=0.00005), column


def _one_key_result(**numbers: Any) -> dict[str, Any]:
    """The `score` data of one objective with one key result holding `numbers`."""
    key_result = {"id": "KR-1", "title": "매출", "owner": None, "unit": None, "tab": "Q4",
                  "row": 3, "start": None, "target": None, "current": None, "weight": 1,
                  "progress": None, "score": None, "expected": None} | numbers  # fmt: skip
    objective = {"id": "O-1", "title": "목표", "team": None, "quarter": "2026-Q4",
                 "owner": None, "aligns_to": None, "weight": 1, "score": None,
                 "expected": None, "tab": "Q4", "row": 2, "key_results": [key_result]}  # fmt: skip
    return {"objectives": [objective]}


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        ("progress", 0.6070648000000001, "0.6071"),
        ("progress", 0.5, "0.5"),
        ("progress", 1.0, "1"),
        ("progress", -0.00001, "0"),  # rounds to zero, never "-0"
        ("score", 0.99996, "1"),
        ("current", 0.1 + 0.2, "0.3"),
        ("current", 150000000.0, "150000000"),
        ("current", 1234567.891, "1234567.891"),
        ("current", 0.0000001, "0.0000001"),  # not 1e-07
        ("current", 1.5e20, "150000000000000000000"),  # not 1.5e+20
        ("current", -20.5, "-20.5"),
        ("target", 2**60, str(2**60)),  # an integer exactly, however long
        ("target", float("inf"), ""),  # no number a spreadsheet reads: blank
    ],
)
def test_csv_number_forms(column: str, value: float, field: str) -> None:
    """Ratios round to 4 decimals, figures to 15 significant digits, both positional."""
    rows = list(csv.DictReader(io.StringIO(scorecard_csv(_one_key_result(**{column: value})))))
    assert rows[1][column] == field
