"""Finding the line of a key in TOML text, for error messages."""

from __future__ import annotations

from sheets_okr.config.toml_lines import KeyLines

TEXT = '''\
# a comment
time_zone = "UTC"

[email]
host = "smtp.example.com"
note = """
port = 1
[not.a.table]
"""
to = [
  "a@example.com",
  "[b]@example.com",
]
port = 587

[[tracker]]
name = "A"

[[tracker]]
"name" = "B"
source.path = "b.xlsx"

[tracker.extra]
x = 1
'''


def test_keys_of_tables_and_the_top_level_have_their_lines() -> None:
    """Top-level keys, table headers and their keys are found."""
    lines = KeyLines.scan(TEXT)
    assert lines.line_of(("time_zone",)) == 2
    assert lines.line_of(("email",)) == 4
    assert lines.line_of(("email", "host")) == 5
    assert lines.line_of(("email", "port")) == 14


def test_multi_line_strings_and_arrays_are_stepped_over() -> None:
    """A `port = 1` inside a multi-line string is not the email's port."""
    lines = KeyLines.scan(TEXT)
    assert lines.line_of(("email", "note")) == 6
    assert lines.line_of(("email", "to")) == 10
    assert ("not", "a", "table") not in lines.lines


def test_arrays_of_tables_are_indexed() -> None:
    """Each [[tracker]] is its own table: ("tracker", 1, key) is in the second one."""
    lines = KeyLines.scan(TEXT)
    assert lines.line_of(("tracker", 0)) == 16
    assert lines.line_of(("tracker", 0, "name")) == 17
    assert lines.line_of(("tracker", 1, "name")) == 20  # a quoted key
    assert lines.line_of(("tracker", 1, "source", "path")) == 21  # a dotted key
    assert lines.line_of(("tracker", 1, "extra", "x")) == 24  # a sub-table of the last one


def test_a_key_not_written_falls_back_to_its_table() -> None:
    """A missing key points at its table's header; an unknown table at nothing."""
    lines = KeyLines.scan(TEXT)
    assert lines.line_of(("tracker", 0, "source")) == 16
    assert lines.line_of(("scoring", "stale_after")) is None


def test_quotes_in_a_comment_open_no_multi_line_string() -> None:
    """Three quotes after a # are a comment's: the keys after them keep their own lines."""
    text = ('[[tracker]]\nname = "A" # the """ team\nsource = "a.xlsx"\n\n[[tracker]]\n'
            'name = "B"\nsource = "b.xlsx"\nquarter = "soon"\n')  # fmt: skip
    lines = KeyLines.scan(text)
    assert lines.line_of(("tracker", 0, "source")) == 3
    assert lines.line_of(("tracker", 1, "quarter")) == 8


def test_a_hash_inside_a_string_is_no_comment() -> None:
    """A # inside a string is text; a multi-line string or array ends where it closes."""
    text = ("note = '#1' + 0\n"  # not TOML, but nothing here may throw it off
            'a = "# not a comment """\nb = 1\n'
            "c = '''\nx = 2\n''' # \"\"\" closed\nd = [\n  \"]\", # ]\n]\ne = 3\n")  # fmt: skip
    lines = KeyLines.scan(text)
    assert lines.line_of(("b",)) == 3
    assert ("x",) not in lines.lines
    assert lines.line_of(("d",)) == 7
    assert lines.line_of(("e",)) == 10
