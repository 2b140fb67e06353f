"""The [people] and [reminders] tables and the summary's day: what they accept, and the
message for each kind of mistake."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_okr.config.load import ConfigError, parse_config

FILE = Path("sheets-okr.toml")
TRACKER = '[[tracker]]\nname = "Growth"\nsource = "growth.xlsx"\n'
EMAIL = ('[email]\nhost = "smtp.example.com"\nfrom = "bot@example.com"\nto = ["ceo@example.com"]\n'
         'day = "Friday"\n')  # fmt: skip


def errors(text: str) -> list[str]:
    """The messages of a configuration that must be refused."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    return str(caught.value).splitlines()


def test_people_reminders_and_the_summary_day_are_read() -> None:
    """Names to addresses (a table with a language too), reminder and summary days."""
    text = (TRACKER + EMAIL + '[reminders]\nday = ["thu", "Monday"]\ndue_within = 5\n'
            '[people]\n"Lee" = "lee@example.com"\n"박지민" = { email = "jimin@example.com",'
            ' lang = "ko" }\n')  # fmt: skip
    config = parse_config(text, FILE)
    assert config.email is not None
    assert config.email.days == (4,)
    assert config.reminders is not None
    assert (config.reminders.days, config.reminders.due_within) == ((0, 3), 5)
    assert [(p.name, p.email, p.lang) for p in config.people.entries] == [
        ("Lee", "lee@example.com", None), ("박지민", "jimin@example.com", "ko"),
    ]  # fmt: skip


def test_without_the_tables_nobody_is_reminded_and_the_summary_goes_every_day() -> None:
    """No [reminders]: None; no [email] day: None (every run)."""
    config = parse_config(TRACKER + EMAIL.replace('day = "Friday"\n', ""), FILE)
    assert config.reminders is None
    assert config.email is not None
    assert config.email.days is None
    assert config.people.entries == ()


def test_mistakes_are_listed_by_line() -> None:
    """A day that is none, an address that is not one, a reminder table without a day."""
    text = (TRACKER + EMAIL.replace("Friday", "Fryday") + "[reminders]\ndue_within = 90\n"
            '[people]\n"Lee" = "lee at example"\n"Kim" = 3\n')  # fmt: skip
    said = errors(text)
    assert any(":8: [email] day must name days of the week" in line for line in said)
    assert any("[reminders] has no day" in line for line in said)
    assert any(":10: [reminders] due_within must be from 0 to 60" in line for line in said)
    assert any(":12: [people] Lee must be one email address" in line for line in said)
    assert any(":13: [people] Kim must be an address" in line for line in said)


def test_reminders_need_an_email_table() -> None:
    """[reminders] without [email] (the server and sender) is refused."""
    said = errors(TRACKER + '[reminders]\nday = "thursday"\n')
    assert any("need an [email] table" in line for line in said)


def test_the_example_configuration_documents_the_reminders() -> None:
    """The shipped example parses with its [people] and [reminders] tables."""
    from sheets_okr.resources import templates_dir

    text = (templates_dir() / "sheets-okr.example.toml").read_text("utf-8")
    config = parse_config(text, FILE)
    assert config.reminders is not None
    assert config.reminders.days
    assert config.people.entries


def test_an_address_outside_ascii_is_refused_with_its_key() -> None:
    """An address outside ASCII ("김민수@회사.kr") is refused at its line, never sent."""
    said = errors(TRACKER + EMAIL + '[people]\n"김민수" = "김민수@회사.kr"\n')
    assert any(":10: [people] 김민수 must be one email address (in ASCII)" in line for line in said)
