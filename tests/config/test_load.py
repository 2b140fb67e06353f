"""The run configuration: what it accepts, and the message for each kind of mistake."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sheets_okr.config.load import ConfigError, find_config, load_config, parse_config
from sheets_okr.errors import EXIT_USAGE
from sheets_okr.model.quarters import Quarter
from sheets_okr.read.column_map import FIELDS
from sheets_okr.resources import templates_dir

ROOT = Path(__file__).resolve().parents[2]
FILE = Path("sheets-okr.toml")

MINIMAL = """\
[[tracker]]
name = "Growth"
source = "growth.xlsx"
"""

FULL = """\
time_zone = "Asia/Seoul"

[scoring]
fiscal_year_start = 7
on_track_gap = 0.1
at_risk_gap = 0.25
stale_after = 4

[email]
host = "smtp.example.com"
port = 465
security = "ssl"
user = "bot@example.com"
password_env = "OKR_SMTP_PASSWORD"
from = "OKR bot <bot@example.com>"
to = ["ceo@example.com", "cmo@example.com"]
lang = "ko"
subject = "OKR {quarter}: {score}"

[healthcheck]
url = "https://hc-ping.com/0b5e2f4e-token"
timeout = 5

[google]
credentials = "keys/service-account.json"

[[tracker]]
name = "Growth"
source = "growth.xlsx"
quarter = "2026 Q4"

[[tracker]]
name = "Korea"
source = "gsheet:1AbCdEfGhIjKlMnOp"
allow_problems = true
"""


def errors(text: str) -> list[str]:
    """The messages of a configuration that must be refused, one per mistake."""
    with pytest.raises(ConfigError) as caught:
        parse_config(text, FILE)
    assert caught.value.exit_code == EXIT_USAGE
    return str(caught.value).splitlines()


def test_a_minimal_configuration_takes_the_defaults() -> None:
    """One tracker is enough; scoring has the contract's defaults; no email, no ping."""
    config = parse_config(MINIMAL, Path("/etc/okr/sheets-okr.toml"))
    (tracker,) = config.trackers
    assert tracker.name == "Growth"
    assert tracker.source == "/etc/okr/growth.xlsx"  # relative to the file, not to cron's cwd
    assert tracker.quarter is None
    assert not tracker.allow_problems
    assert (config.scoring.on_track_gap, config.scoring.at_risk_gap) == (0.15, 0.30)
    assert config.scoring.fiscal_year_start_month == 1
    assert config.lint.stale_after == 3
    assert config.email is None
    assert config.healthcheck is None
    assert config.credentials is None


def test_every_setting_is_read() -> None:
    """Each key of a full configuration lands in its place."""
    config = parse_config(FULL, Path("/etc/okr/sheets-okr.toml"))
    growth, korea = config.trackers
    assert growth.quarter == Quarter(2026, 4)
    assert korea.source == "gsheet:1AbCdEfGhIjKlMnOp"  # not a path: left alone
    assert korea.allow_problems
    assert config.scoring.fiscal_year_start_month == 7
    assert config.scoring.on_track_gap == 0.1
    assert config.lint.stale_after == 4
    assert config.credentials == Path("/etc/okr/keys/service-account.json")
    email = config.email
    assert email is not None
    assert (email.host, email.port, email.security, email.user) == (
        "smtp.example.com", 465, "ssl", "bot@example.com",
    )  # fmt: skip
    assert email.smtp.password_env == "OKR_SMTP_PASSWORD"
    assert email.recipients == ("ceo@example.com", "cmo@example.com")
    assert (email.lang, email.subject) == ("ko", "OKR {quarter}: {score}")
    assert config.healthcheck is not None
    assert config.healthcheck.url == "https://hc-ping.com/0b5e2f4e-token"
    assert config.healthcheck.timeout == 5.0


def test_the_healthcheck_url_never_shows_in_the_configuration_repr() -> None:
    """The URL's token stays out of reprs (and so out of debug logs)."""
    config = parse_config(FULL, FILE)
    assert "0b5e2f4e-token" not in repr(config)


def test_the_port_follows_the_security_by_default() -> None:
    """Without a port: 587 for STARTTLS, 465 for implicit TLS."""
    email = '[email]\nhost = "h"\nfrom = "a@b.c"\nto = ["d@e.f"]\n'
    starttls = parse_config(email + MINIMAL, FILE).email
    ssl = parse_config(email + 'security = "ssl"\n' + MINIMAL, FILE).email
    assert starttls is not None
    assert ssl is not None
    assert (starttls.port, ssl.port) == (587, 465)


def test_the_as_of_date_is_today_in_the_configured_time_zone() -> None:
    """At 20:00 UTC on Nov 29 it is already Nov 30 in Seoul."""
    config = parse_config('time_zone = "Asia/Seoul"\n' + MINIMAL, FILE)
    evening = dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC)
    assert config.today(evening) == dt.date(2026, 11, 30)
    utc = parse_config('time_zone = "UTC"\n' + MINIMAL, FILE)
    assert utc.today(evening) == dt.date(2026, 11, 29)


def test_the_healthcheck_url_may_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """url_env names a variable; unset, the check is configured but has no URL."""
    text = '[healthcheck]\nurl_env = "OKR_PING"\n' + MINIMAL
    monkeypatch.setenv("OKR_PING", "https://hc-ping.com/abc")
    check = parse_config(text, FILE).healthcheck
    assert check is not None
    assert check.url == "https://hc-ping.com/abc"
    monkeypatch.delenv("OKR_PING")
    unset = parse_config(text, FILE).healthcheck
    assert unset is not None
    assert unset.url is None


# --- each mistake and its message -----------------------------------------------------------


def test_an_unknown_key_names_its_line_and_the_nearest_known_key() -> None:
    """A typo in a [[tracker]] is reported with its line and a suggestion."""
    text = MINIMAL + '\n[[tracker]]\nname = "Brand"\nsorce = "brand.xlsx"\n'
    assert errors(text) == [
        "sheets-okr.toml:5: [[tracker]] has no source",
        "sheets-okr.toml:7: unknown key 'sorce' in [[tracker]] (did you mean 'source'?)",
    ]


def test_a_wrong_type_names_the_line_the_table_the_key_and_the_value() -> None:
    """`port = "587x"` is refused as the issue's example says."""
    text = MINIMAL + '\n[email]\nhost = "h"\nport = "587x"\nfrom = "a@b.c"\nto = ["d@e.f"]\n'
    assert errors(text) == ['sheets-okr.toml:7: [email] port must be an integer, not "587x"']


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('time_zone = "Mars/Olympus"\n' + MINIMAL,
         "sheets-okr.toml:1: time_zone is not a time zone such as \"Asia/Seoul\":"
         " 'Mars/Olympus'"),
        ("timezone = 'UTC'\n" + MINIMAL,
         "sheets-okr.toml:1: unknown key 'timezone' in the top level (did you mean"
         " 'time_zone'?)"),
        ("[scoring]\nfiscal_year_start = 13\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] fiscal_year_start must be from 1 to 12, not 13"),
        ("[scoring]\nfiscal_year_start = true\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] fiscal_year_start must be an integer, not true"),
        ("[scoring]\non_track_gap = \"15%\"\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] on_track_gap must be a number, not \"15%\""),
        ("[scoring]\nat_risk_gap = 1.5\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] at_risk_gap must be from 0 to 1, not 1.5"),
        ("[scoring]\non_track_gap = 0.4\nat_risk_gap = 0.3\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] on_track_gap must not be larger than at_risk_gap"),
        ("[scoring]\nstale_after = 0\n" + MINIMAL,
         "sheets-okr.toml:2: [scoring] stale_after must be from 1 to 100, not 0"),
        ('[google]\ncredential = "k.json"\n' + MINIMAL,
         "sheets-okr.toml:2: unknown key 'credential' in [google] (did you mean"
         " 'credentials'?)"),
        ("scoring = 3\n" + MINIMAL,
         "sheets-okr.toml:1: scoring must be a table [scoring], not 3"),
        ("",
         "sheets-okr.toml: no [[tracker]]: add one with a name and a source"),
        ('[tracker]\nname = "A"\nsource = "a.xlsx"\n',
         "sheets-okr.toml:1: tracker must be written as [[tracker]] tables, one for each"),
        ('[[tracker]]\nsource = "a.xlsx"\n',
         "sheets-okr.toml:1: [[tracker]] has no name"),
        ('[[tracker]]\nname = ""\nsource = "a.xlsx"\n',
         "sheets-okr.toml:2: [[tracker]] name must not be empty"),
        ('[[tracker]]\nname = "A"\nsource = 3\n',
         "sheets-okr.toml:3: [[tracker]] source must be a string, not 3"),
        (MINIMAL + '[[tracker]]\nname = "Growth"\nsource = "b.xlsx"\n',
         "sheets-okr.toml:5: [[tracker]] name 'Growth' is the name of another tracker"),
        (MINIMAL + '[[tracker]]\nname = "B"\nsource = "./growth.xlsx"\n',
         "sheets-okr.toml:6: [[tracker]] source './growth.xlsx' is the source of another"
         " tracker"),
        ('[[tracker]]\nname = "A"\nsource = "gsheet:1AbCdEfGhIjK"\n[[tracker]]\nname = "B"\n'
         'source = "https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK/edit#gid=0"\n',
         "sheets-okr.toml:6: [[tracker]] source"
         " 'https://docs.google.com/spreadsheets/d/1AbCdEfGhIjK/edit#gid=0' is the source of"
         " another tracker"),
        ('[[tracker]]\nname = "A"\nsource = "gsheet:abc"\n',
         "sheets-okr.toml:3: [[tracker]] source gsheet:abc: not a spreadsheet key; it is the"
         " long part of the sheet's address between /d/ and /edit"),
        (MINIMAL + 'quarter = "next quarter"\n',
         "sheets-okr.toml:4: [[tracker]] quarter must be a quarter such as \"2026-Q4\", not"
         " 'next quarter'"),
        (MINIMAL + 'allow_problems = "yes"\n',
         "sheets-okr.toml:4: [[tracker]] allow_problems must be true or false, not \"yes\""),
    ],
)  # fmt: skip
def test_each_mistake_has_its_message(text: str, message: str) -> None:
    """Every check names the file, the line, the table and the key."""
    assert errors(text) == [message]


EMAIL = '[email]\nhost = "smtp.example.com"\nfrom = "bot@example.com"\nto = ["ceo@example.com"]\n'


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('security = "tls"',
         '[email] security must be one of "starttls", "ssl", not "tls"'),
        ('lang = "fr"', '[email] lang must be one of "en", "ko", not "fr"'),
        ("port = 70000", "[email] port must be from 1 to 65535, not 70000"),
        ('password_env = "my password"',
         "[email] password_env must name an environment variable (letters, digits and _,"
         " such as SHEETS_OKR_SMTP_PASSWORD); the password goes in an environment variable;"
         " password_env names it"),
        ('subject = "{quarter}: {scroe}"',
         "[email] subject has an unknown placeholder {scroe}; use {quarter}, {as_of},"
         " {score}, {trackers}, {failed}, {unreadable}, {at_risk}, {off_track},"
         " {no_check_in}"),
        ('subject = "{quarter"',
         "[email] subject is not a valid template (expected '}' before end of string);"
         " write {{ for a {"),
        ('password = "hunter2"',
         "unknown key 'password' in [email]: the password goes in an environment variable;"
         " password_env names it"),
    ],
)  # fmt: skip
def test_each_email_mistake_has_its_message(extra: str, message: str) -> None:
    """The [email] checks, each on the line of its key (line 5, after the four above)."""
    assert errors(EMAIL + extra + "\n" + MINIMAL) == [f"sheets-okr.toml:5: {message}"]


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ('[email]\nfrom = "bot@example.com"\nto = ["ceo@example.com"]\n',
         "sheets-okr.toml:1: [email] has no host"),
        ('[email]\nhost = "h"\nfrom = "bot"\nto = ["ceo@example.com"]\n',
         "sheets-okr.toml:3: [email] from must be an email address, not 'bot'"),
        ('[email]\nhost = "h"\nfrom = "bot@example.com"\nto = "ceo@example.com"\n',
         "sheets-okr.toml:4: [email] to must be a list of strings such as [\"a\", \"b\"], not"
         " \"ceo@example.com\""),
        ('[email]\nhost = "h"\nfrom = "bot@example.com"\nto = []\n',
         "sheets-okr.toml:4: [email] to must list at least one value, none of them empty"),
        ('[email]\nhost = "h"\nfrom = "bot@example.com"\nto = ["ceo"]\n',
         "sheets-okr.toml:4: [email] to must hold email addresses, not 'ceo'"),
        ('[email]\nhost = "h"\nfrom = "bot@example.com"\nto = ["ceo@example junk"]\n',
         "sheets-okr.toml:4: [email] to must hold email addresses, not 'ceo@example junk'"),
        ('[email]\nhost = "h"\nfrom = "a@b.com, c@d.com"\nto = ["ceo@example.com"]\n',
         "sheets-okr.toml:3: [email] from must be an email address, not 'a@b.com, c@d.com'"),
        ("[healthcheck]\ntimeout = 5\n",
         "sheets-okr.toml:1: [healthcheck] needs url or url_env (the name of a variable"
         " holding the URL)"),
        ('[healthcheck]\nurl = "ftp://hc.example.com/secret-token"\n',
         "sheets-okr.toml:2: [healthcheck] url must be an http(s) address"),
        ("[healthcheck]\nurl = 12345\n",
         "sheets-okr.toml:2: [healthcheck] url must be a string"),
    ],
)  # fmt: skip
def test_each_email_and_healthcheck_table_mistake(table: str, message: str) -> None:
    """Missing and malformed values of [email] and [healthcheck]; a URL is never repeated."""
    assert errors(table + MINIMAL) == [message]


SECRET = "Tr0ub4dor&3-hc-9f3ac1"  # grep-able: what must never be repeated


@pytest.mark.parametrize(
    ("table", "hint"),
    [
        (EMAIL + f'password_env = "{SECRET}"\n',
         "[email] password_env must name an environment variable (letters, digits and _, such"
         " as SHEETS_OKR_SMTP_PASSWORD); the password goes in an environment variable;"
         " password_env names it"),
        (EMAIL + "password_env = 31415926\n", "[email] password_env must be a string"),
        (EMAIL + f'password = "{SECRET}"\n',
         "unknown key 'password' in [email]: the password goes in an environment variable;"
         " password_env names it"),
        (EMAIL + f'pass = "{SECRET}"\n',
         "unknown key 'pass' in [email]: the password goes in an environment variable;"
         " password_env names it"),
        (EMAIL + f'smtp_password = "{SECRET}"\n',
         "unknown key 'smtp_password' in [email]: the password goes in an environment"
         " variable; password_env names it"),
        (f'[healthcheck]\nurl_env = "https://hc-ping.com/{SECRET}"\n',
         "[healthcheck] url_env must be the name of an environment variable, not the URL: put"
         " the URL in the environment variable, and its name here (such as"
         " SHEETS_OKR_HEALTHCHECK_URL)"),
        (f'[healthcheck]\nurl_env = "{SECRET}"\n',
         "[healthcheck] url_env must name an environment variable (letters, digits and _,"
         " such as SHEETS_OKR_HEALTHCHECK_URL)"),
        (f'[healthcheck]\nurl = "hc-ping.com/{SECRET}"\n',
         "[healthcheck] url must be an http(s) address"),
    ],
)  # fmt: skip
def test_a_secret_under_the_wrong_key_is_never_repeated(table: str, hint: str) -> None:
    """A password or check URL typed where a variable's name belongs: the message says
    where it goes instead, and the secret string appears nowhere in it."""
    (message,) = errors(table + MINIMAL)
    assert SECRET not in message
    assert "31415926" not in message
    assert message.endswith(hint)


def test_the_value_of_url_env_must_be_an_address(monkeypatch: pytest.MonkeyPatch) -> None:
    """The variable url_env names holds something else: the message talks about the
    variable's value (never shown), on the line of url_env."""
    monkeypatch.setenv("OKR_PING", f"hc-ping.com/{SECRET}")
    (message,) = errors('[healthcheck]\nurl_env = "OKR_PING"\n' + MINIMAL)
    assert message == (
        "sheets-okr.toml:2: [healthcheck] url_env names OKR_PING, whose value must be an"
        " http(s) address such as https://hc-ping.com/<uuid>"
    )


def test_url_and_url_env_together_are_one_too_many() -> None:
    """Both given: "only one of", not "needs either"."""
    text = '[healthcheck]\nurl = "https://hc-ping.com/x"\nurl_env = "OKR_PING"\n' + MINIMAL
    assert errors(text) == [
        "sheets-okr.toml:1: [healthcheck] needs only one of url and url_env, not both"
    ]


@pytest.mark.parametrize(
    ("subject", "reason"),
    [
        ("{score:.0%}", "cannot be filled in (Unknown format code '%' for object of type 'str')"),
        ("{quarter!x}", "cannot be filled in (Unknown conversion specifier x)"),
        ("{trackers:%Y}", "cannot be filled in (Invalid format specifier"),
        ("{trackers[0]}", "cannot be filled in (TypeError)"),
        ("{quarter.year}", "cannot be filled in (AttributeError)"),
        ("{}", "has an unknown placeholder {}"),
        ("OKR\\n{quarter}", "must be one line (an email subject has no line breaks)"),
        ("OKR\\r{quarter}", "must be one line (an email subject has no line breaks)"),
    ],
)  # fmt: skip
def test_a_subject_the_summary_cannot_fill_in_is_refused_at_load(subject: str, reason: str) -> None:
    """The template is filled in with values of the summary's types when the file is read:
    a format they do not take is a configuration error on the subject's line (exit 2)."""
    (message,) = errors(EMAIL + f'subject = "{subject}"\n' + MINIMAL)
    assert message.startswith(f"sheets-okr.toml:5: [email] subject {reason}")


def test_a_subject_with_formats_the_values_take_is_accepted() -> None:
    """Widths on text, number formats on counts: all fine."""
    text = EMAIL + 'subject = "{quarter:>8} {score:>4} {failed:d}/{trackers:02d} {as_of!r}"\n'
    email = parse_config(text + MINIMAL, FILE).email
    assert email is not None
    assert email.subject == "{quarter:>8} {score:>4} {failed:d}/{trackers:02d} {as_of!r}"


def test_a_comment_with_three_quotes_opens_no_string() -> None:
    """`name = "A" # the \"\"\" team`: the mistake on line 8 is reported on line 8."""
    text = ('[[tracker]]\nname = "A" # the """ team\nsource = "a.xlsx"\n\n'
            '[[tracker]]\nname = "B"\nsource = "b.xlsx"\nquarter = "soon"\n')  # fmt: skip
    assert errors(text) == [
        "sheets-okr.toml:8: [[tracker]] quarter must be a quarter such as \"2026-Q4\", not 'soon'"
    ]


def test_google_credentials_must_exist_when_a_tracker_is_a_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """[google] credentials naming no file, with a Google Sheet tracker: ConfigError (exit 2)
    on the line of the setting; without the setting, GOOGLE_APPLICATION_CREDENTIALS."""
    sheet = '[[tracker]]\nname = "K"\nsource = "gsheet:1AbCdEfGhIjKlMnOp"\n'
    path = tmp_path / "sheets-okr.toml"
    path.write_text('[google]\ncredentials = "missing.json"\n' + sheet)
    with pytest.raises(ConfigError) as caught:
        load_config(path).check_credentials()
    assert caught.value.exit_code == EXIT_USAGE
    assert str(caught.value) == (
        f"{path}:2: [google] credentials {tmp_path / 'missing.json'} is not a file; the Google"
        " Sheet tracker K needs a service-account key"
    )
    (tmp_path / "missing.json").write_text("{}")
    load_config(path).check_credentials()  # there: the backend checks what is in it
    path.write_text(sheet)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    with pytest.raises(ConfigError, match="set \\[google\\] credentials, or GOOGLE_APP"):
        load_config(path).check_credentials()
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "gone.json"))
    with pytest.raises(ConfigError, match=r"GOOGLE_APPLICATION_CREDENTIALS names .*gone\.json"):
        load_config(path).check_credentials()
    path.write_text(MINIMAL)  # Excel only: no key needed
    load_config(path).check_credentials()


def test_now_is_on_the_configured_clock() -> None:
    """now() is the moment in the configured time zone (the summary's "generated" date)."""
    config = parse_config('time_zone = "Asia/Seoul"\n' + MINIMAL, FILE)
    moment = config.now(dt.datetime(2026, 11, 29, 20, 0, tzinfo=dt.UTC))
    assert (moment.date(), moment.hour, str(moment.tzinfo)) == (dt.date(2026, 11, 30), 5,
                                                                "Asia/Seoul")  # fmt: skip


def test_a_toml_syntax_error_names_its_line() -> None:
    """tomllib's own message, with the line in front like every other mistake."""
    (message,) = errors(MINIMAL + 'quarter = "2026-Q4\n')
    assert message.startswith("sheets-okr.toml:4: not valid TOML: ")
    assert "line" not in message.removeprefix("sheets-okr.toml:4:")


def test_every_mistake_is_listed_at_once() -> None:
    """Three mistakes in three tables: three lines, in the order of the file."""
    text = ("time_zone = 9\n[scoring]\nstale_after = -1\n" + EMAIL + 'lang = "de"\n'
            + MINIMAL)  # fmt: skip
    assert errors(text) == [
        "sheets-okr.toml:1: time_zone must be a string, not 9",
        "sheets-okr.toml:3: [scoring] stale_after must be from 1 to 100, not -1",
        'sheets-okr.toml:8: [email] lang must be one of "en", "ko", not "de"',
    ]


# --- a tracker's column map ----------------------------------------------------------------

MAPPED = (
    MINIMAL
    + """\
[tracker.columns]
"Base" = "start"
"column:E" = "current"
[tracker.tabs."Team OKRs".columns]
"Goal" = "objective"
[tracker.values.confidence]
High = 8

[[tracker]]
name = "Korea"
source = "korea.xlsx"
"""
)


def test_a_tracker_may_carry_its_column_map() -> None:
    """[tracker.columns], [tracker.tabs."TAB".columns] and [tracker.values.FIELD] make the
    tracker's map; a tracker without them has none."""
    growth, korea = parse_config(MAPPED, FILE).trackers
    assert dict(growth.columns.columns) == {"Base": "start", "column:E": "current"}
    assert {tab: dict(e) for tab, e in growth.columns.tabs.items()} == {
        "Team OKRs": {"Goal": "objective"}
    }
    assert growth.columns.word_value("confidence", "high") == 8.0
    assert growth.columns.origin == "sheets-okr.toml: tracker Growth"
    assert korea.columns.is_empty


def test_a_tracker_may_name_a_map_file_beside_the_configuration(tmp_path: Path) -> None:
    """columns = "maps/growth.toml" is a map file, relative to the configuration file."""
    (tmp_path / "maps").mkdir()
    (tmp_path / "maps" / "growth.toml").write_text('[columns]\n"End" = "target"\n', "utf-8")
    path = tmp_path / "sheets-okr.toml"
    path.write_text(MINIMAL + 'columns = "maps/growth.toml"\n', "utf-8")
    (tracker,) = load_config(path).trackers
    assert dict(tracker.columns.columns) == {"End": "target"}
    assert tracker.columns.origin == str(tmp_path / "maps" / "growth.toml")


def test_each_wrong_map_entry_is_named_with_its_line() -> None:
    """Every wrong entry of a tracker's map is listed at once, each on its own line."""
    text = (
        MINIMAL
        + """\
[tracker.columns]
"Base" = "begin"
"End" = "target"
[tracker.values.confidence]
High = "very"
[tracker.values.mood]
Happy = 1
"""
    )
    fields = "fields are " + ", ".join(FIELDS)
    assert errors(text) == [
        f"sheets-okr.toml:5: tracker Growth: [columns]: \"Base\" = 'begin': not a field; {fields}",
        "sheets-okr.toml:8: tracker Growth: [values.confidence] 'High': \"very\" is not a number",
        f"sheets-okr.toml:9: tracker Growth: [values.mood]: 'mood' is not a field; {fields}",
    ]


def test_a_map_file_that_is_not_there_or_goes_with_tables_is_refused() -> None:
    """columns = "file" must name a file, and the tabs and values go in that file too."""
    text = MINIMAL + 'columns = "nowhere.toml"\n[tracker.values.confidence]\nHigh = 8\n'
    assert errors(text) == [
        "sheets-okr.toml:4: tracker Growth: nowhere.toml: no such column map file",
        'sheets-okr.toml:5: [[tracker]] values cannot go with columns = "nowhere.toml": put'
        " it in that file",
    ]


def test_the_example_configurations_column_map_is_valid() -> None:
    """The commented map of the example configuration parses once uncommented."""
    text = (ROOT / "sheets-okr.example.toml").read_text("utf-8")
    lines = text.splitlines()
    start = lines.index("# [tracker.columns]")
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("# "))
    block = [line.removeprefix("# ") for line in lines[start:end]]
    head = "\n".join(lines[:start])
    tail = "\n".join(lines[end:])
    korea = parse_config(head + "\n" + "\n".join(block) + "\n" + tail, FILE).trackers[1]
    assert korea.columns.columns["Base"] == "start"
    assert korea.columns.word_value("confidence", "High") == 8.0


# --- the file -------------------------------------------------------------------------------


def test_the_example_configuration_parses_and_ships_in_the_package() -> None:
    """sheets-okr.example.toml at the root and in templates/ (the wheel) are one file, valid."""
    root = ROOT / "sheets-okr.example.toml"
    packaged = templates_dir() / "sheets-okr.example.toml"
    assert root.read_text("utf-8") == packaged.read_text("utf-8")
    config = load_config(root)
    assert [t.name for t in config.trackers] == ["Demand Gen", "Korea"]
    assert config.email is not None
    assert config.healthcheck is not None


def test_the_configuration_is_found_by_option_then_environment_then_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--config wins over SHEETS_OKR_CONFIG, which wins over ./sheets-okr.toml."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SHEETS_OKR_CONFIG", raising=False)
    with pytest.raises(ConfigError, match="no configuration: give --config FILE"):
        find_config(None)
    local = tmp_path / "sheets-okr.toml"
    local.write_text(MINIMAL)
    assert find_config(None) == Path("sheets-okr.toml")
    named = tmp_path / "named.toml"
    named.write_text(MINIMAL)
    monkeypatch.setenv("SHEETS_OKR_CONFIG", str(named))
    assert find_config(None) == named
    explicit = tmp_path / "explicit.toml"
    explicit.write_text(MINIMAL)
    assert find_config(explicit) == explicit


def test_a_configuration_that_is_not_there_is_a_usage_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A missing --config file or SHEETS_OKR_CONFIG target exits 2 naming it."""
    with pytest.raises(ConfigError, match="no such configuration file"):
        find_config(tmp_path / "nope.toml")
    monkeypatch.setenv("SHEETS_OKR_CONFIG", str(tmp_path / "gone.toml"))
    with pytest.raises(ConfigError, match=r"SHEETS_OKR_CONFIG names .*gone\.toml"):
        find_config(None)


def test_a_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    """Bytes that are not UTF-8 text are a configuration error, not a crash."""
    path = tmp_path / "sheets-okr.toml"
    path.write_bytes(b"\xff\xfe[[tracker]]")
    with pytest.raises(ConfigError, match="not UTF-8 text"):
        load_config(path)
