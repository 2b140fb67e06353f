"""`sheets-okr run` end to end: real workbooks, aiosmtpd with TLS on 127.0.0.1, a local
healthcheck server, and real processes where the lock and the logs matter."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_okr.cli import cli
from tests.support.ping_server import (
    TOKEN,
    PingServer,
)
from tests.support.processes import hold_in_another_process
from tests.support.run_configs import (
    AS_OF,
    PASSWORD_ENV,
    RECIPIENTS,
    email_table,
    example_tracker,
    no_okr_tabs,
    readable,
    received,
    run_cli,
    run_environment,
    small_tracker,
    tabs,
    write_config,
)
from tests.support.smtp import PASSWORD, Certificates, Server, free_port, parse_eml, serve

PING_ENV = "OKR_TEST_PING_URL"
TOOL_TABS = {"Summary", "History", "Checks"}


# --- fixtures and helpers -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, certs: Certificates) -> None:
    """State in tmp_path; the SMTP password and private CA in the environment, as cron has."""
    run_environment(tmp_path, monkeypatch, certs)


def three_trackers(folder: Path, broken: bool = True) -> list[tuple[str, str]]:
    """Growth (the example), Brand (no OKR tabs when broken), Korea (one KR at 80%)."""
    example_tracker(folder / "growth.xlsx")
    if broken:
        no_okr_tabs(folder / "brand.xlsx")
    else:
        small_tracker(folder / "brand.xlsx", "Brand", current=6)
    small_tracker(folder / "korea.xlsx", "Korea", current=8)
    return [("Growth", "growth.xlsx"), ("Brand", "brand.xlsx"), ("Korea", "korea.xlsx")]


def run_process(config: Path, *args: str, verbose: int = 0) -> subprocess.CompletedProcess[str]:
    """The same as a real process, with this test's environment, as cron starts it."""
    argv = [sys.executable, "-m", "sheets_okr", *["-v"] * verbose, "run", "--config",
            str(config), "--as-of", AS_OF.isoformat(), *args]  # fmt: skip
    return subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False,
                          env=dict(os.environ))  # fmt: skip


def unchanged(paths: Sequence[Path]) -> list[bytes]:
    """The bytes of files, to compare before and after."""
    return [path.read_bytes() for path in paths]


# --- the run --------------------------------------------------------------------------------


def test_one_broken_tracker_of_three(tmp_path: Path, smtp: Server) -> None:
    """Two synced, one failed: exit 1, stderr names it, the summary email mentions it."""
    config = write_config(tmp_path, three_trackers(tmp_path), email_table(smtp.port))
    result = run_cli(config)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("sheets-okr: Brand: ")
    assert "no OKR tab found" in result.stderr
    assert set(tabs(tmp_path / "growth.xlsx")) >= TOOL_TABS
    assert set(tabs(tmp_path / "korea.xlsx")) >= TOOL_TABS
    (message,) = received(smtp)
    assert [a.addr_spec for a in message["To"].addresses] == list(RECIPIENTS)
    assert message["Subject"].endswith(" · 1 of 3 trackers FAILED")
    text = readable(message)
    assert "This tracker could not be synced: " in text
    assert "no OKR tab found" in text
    for name in ("Growth", "Brand", "Korea"):
        assert name in text


def test_a_clean_run_is_silent_and_sends_one_summary(tmp_path: Path, smtp: Server) -> None:
    """Everything synced and sent: exit 0 and not a byte of output (cron mails none)."""
    config = write_config(tmp_path, three_trackers(tmp_path, broken=False),
                          email_table(smtp.port))  # fmt: skip
    result = run_cli(config)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "")
    (message,) = received(smtp)
    assert message["Subject"].startswith("[OKR] 2026-Q4: ")
    assert message["Subject"].endswith(" off track")  # no failure to report
    assert message.get_content_type() == "multipart/alternative"


def test_verbose_says_one_line_per_tracker(tmp_path: Path, smtp: Server) -> None:
    """-v in a real process: a line per tracker and one for the email, nothing else."""
    config = write_config(tmp_path, three_trackers(tmp_path, broken=False),
                          email_table(smtp.port))  # fmt: skip
    done = run_process(config, verbose=1)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert [line.split(":")[1].strip() for line in lines] == ["Growth", "Brand", "Korea", "email"]
    assert lines[0].startswith("sheets-okr: Growth: wrote ")
    assert lines[3].startswith('sheets-okr: email: sent "[OKR] 2026-Q4: ')


def test_the_summary_goes_out_once_per_day(tmp_path: Path, smtp: Server) -> None:
    """A second run the same day syncs but does not send again; --force does."""
    config = write_config(tmp_path, three_trackers(tmp_path, broken=False),
                          email_table(smtp.port))  # fmt: skip
    assert run_cli(config).exit_code == 0
    again = run_cli(config, verbose=1)
    assert again.exit_code == 0
    assert "email: not sent: the summary of 2026-11-30 already went" in again.stderr
    assert len(received(smtp)) == 1
    assert run_cli(config, "--force").exit_code == 0
    assert len(received(smtp)) == 2


def test_a_dry_run_of_the_whole_pipeline(
    tmp_path: Path, smtp: Server, ping_server: PingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """--dry-run: changes and the subject printed, the email kept if asked; nothing written,
    sent, logged as sent or pinged."""
    monkeypatch.setenv(PING_ENV, ping_server.url)
    trackers = three_trackers(tmp_path, broken=False)
    paths = [tmp_path / source for _, source in trackers]
    before = unchanged(paths)
    extra = email_table(smtp.port) + f'\n[healthcheck]\nurl_env = "{PING_ENV}"\n'
    config = write_config(tmp_path, trackers, extra)
    eml, page = tmp_path / "summary.eml", tmp_path / "summary.html"
    result = run_cli(config, "--dry-run", "--eml", str(eml), "-o", str(page))
    assert result.exit_code == 0, result.output
    assert unchanged(paths) == before
    assert received(smtp) == []
    assert ping_server.pings == []
    assert not (tmp_path / "state" / "sent.json").exists()
    assert f"== Growth ({tmp_path / 'growth.xlsx'}) ==" in result.stdout
    assert "cells would change:" in result.stdout
    assert "Tab Summary would be created" in result.stdout
    assert '== email ==\nwould send "[OKR] 2026-Q4: ' in result.stdout
    saved = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(saved, EmailMessage)
    assert " overall · " in saved["Subject"]
    assert "Korea" in page.read_text("utf-8")


def test_a_second_run_exits_75_while_the_first_holds_the_lock(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """Another process holds the run lock: a real `sheets-okr run` exits 75 at once, touching
    no tracker and pinging nothing (the first run is not failing)."""
    paths = [small_tracker(tmp_path / "a.xlsx", "A")]
    before = unchanged(paths)
    config = write_config(tmp_path, [("A", "a.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\n')  # fmt: skip
    holder = hold_in_another_process(tmp_path / "state" / "run.lock")
    try:
        started = time.monotonic()
        done = run_process(config)
        elapsed = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert done.returncode == 75, done.stderr
    assert f"another sheets-okr run (process {holder.pid}) is still going" in done.stderr
    assert elapsed < 30  # no waiting for the lock (start-up of Python and pandas included)
    assert unchanged(paths) == before
    assert ping_server.pings == []
    assert run_process(config).returncode == 0  # the lock died with its holder


def test_verbose_may_follow_run_and_counts_with_the_groups(tmp_path: Path) -> None:
    """`run -v` is `-v run`; `-v run -v` is -vv (debug logs)."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = write_config(tmp_path, [("A", "a.xlsx")])
    once = run_process(config, "-v")
    assert once.returncode == 0, once.stderr
    assert once.stderr.startswith("sheets-okr: A: wrote ")
    assert "DEBUG" not in once.stderr
    twice = run_process(config, "-v", verbose=1)
    assert twice.returncode == 0, twice.stderr
    assert "sheets-okr: DEBUG: " in twice.stderr


def test_the_first_days_of_a_quarter_summarise_the_trackers_quarter(tmp_path: Path) -> None:
    """--as-of 2027-01-04 over trackers that only have 2026-Q4 plans: the company view is
    2026-Q4 with their expected pace (100%) and health (off track), not "2027-Q1, expected
    4%, on track"."""
    small_tracker(tmp_path / "growth.xlsx", "Growth", current=5)
    small_tracker(tmp_path / "korea.xlsx", "Korea", current=6)
    config = write_config(tmp_path, [("Growth", "growth.xlsx"), ("Korea", "korea.xlsx")])
    page = tmp_path / "summary.html"
    argv = ["run", "--config", str(config), "--as-of", "2027-01-04", "--dry-run", "-o", str(page)]
    result = CliRunner().invoke(cli, argv, prog_name="sheets-okr")
    assert result.exit_code == 0, result.output
    assert "would send" not in result.stdout  # no [email]: nothing to send
    html = page.read_text("utf-8")
    assert "OKR summary, all trackers · 2026-Q4" in html
    assert "As of Jan 4, 2027 · 100% of the quarter gone" in html  # one date format
    assert "2027-Q1" not in html
    company = html[: html.index('class="tracker"')]
    assert "Off track" in company
    assert "On track" not in company


# --- configuration and email failures -------------------------------------------------------


def test_a_configuration_error_exits_2_naming_the_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Found in the current folder; a typo stops the run before anything happens."""
    small_tracker(tmp_path / "a.xlsx", "A")
    write_config(tmp_path, [("A", "a.xlsx")], '[email]\nport = "587x"\n')
    monkeypatch.chdir(tmp_path)
    result = run_cli(None)
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "sheets-okr: sheets-okr.toml:5: [email] has no host",
        "sheets-okr.toml:5: [email] has no from",
        "sheets-okr.toml:5: [email] has no to",
        'sheets-okr.toml:6: [email] port must be an integer, not "587x"',
    ]
    assert "Summary" not in tabs(tmp_path / "a.xlsx")


def test_no_configuration_at_all_exits_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without --config, SHEETS_OKR_CONFIG or ./sheets-okr.toml: exit 2 saying where to put one."""
    monkeypatch.chdir(tmp_path)
    result = run_cli(None)
    assert result.exit_code == 2
    assert "no configuration: give --config FILE" in result.stderr


def test_a_missing_smtp_password_stops_before_syncing(
    tmp_path: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """user set, its password variable empty: exit 2 at once naming the variable."""
    monkeypatch.delenv(PASSWORD_ENV)
    paths = [small_tracker(tmp_path / "a.xlsx", "A")]
    before = unchanged(paths)
    config = write_config(tmp_path, [("A", "a.xlsx")], email_table(smtp.port))
    result = run_cli(config)
    assert result.exit_code == 2
    assert f"the environment variable {PASSWORD_ENV} that should hold" in result.stderr
    assert unchanged(paths) == before


def test_an_unreachable_smtp_server_exits_75_and_keeps_the_email(tmp_path: Path) -> None:
    """Trackers synced, the server down: exit 75, the .eml kept where the message says."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = write_config(tmp_path, [("A", "a.xlsx")], email_table(free_port()))
    result = run_cli(config)
    assert result.exit_code == 75
    assert "sheets-okr: email: cannot reach the SMTP server 127.0.0.1:" in result.stderr
    kept = Path(result.stderr.split("The email is saved in ")[1].strip())
    assert kept.parent == tmp_path / "state" / "unsent"
    assert "[OKR] 2026-Q4: 50% overall " in parse_eml(kept)["Subject"]
    assert "Summary" in tabs(tmp_path / "a.xlsx")


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_an_smtp_error_ending_in_a_period_is_one_sentence(tmp_path: Path) -> None:
    """A server without STARTTLS: "...not supported by server. The email is saved", with
    one period."""
    small_tracker(tmp_path / "a.xlsx", "A")
    for server in serve(auth_require_tls=False):
        config = write_config(tmp_path, [("A", "a.xlsx")], email_table(server.port))
        result = run_cli(config)
    assert result.exit_code == 1
    assert "STARTTLS extension not supported by server. The email is saved in " in (result.stderr)
    assert ".." not in result.stderr


def test_a_missing_google_key_exits_2_before_anything(tmp_path: Path) -> None:
    """[google] credentials naming no file, with a Google Sheet tracker: exit 2 on the
    line of the setting; the Excel tracker is not touched."""
    paths = [small_tracker(tmp_path / "a.xlsx", "A")]
    before = unchanged(paths)
    extra = ('[google]\ncredentials = "service-account.json"\n[[tracker]]\nname = "K"\n'
             'source = "gsheet:1AbCdEfGhIjKlMnOp"\n')  # fmt: skip
    config = write_config(tmp_path, [("A", "a.xlsx")], extra)
    result = run_cli(config)
    assert result.exit_code == 2
    assert result.stderr == (f"sheets-okr: {config}:6: [google] credentials"
                             f" {tmp_path / 'service-account.json'} is not a file; the Google"
                             " Sheet tracker K needs a service-account key\n")  # fmt: skip
    assert unchanged(paths) == before


def test_when_every_tracker_fails_no_email_goes_out(tmp_path: Path, smtp: Server) -> None:
    """Nothing could be read: both failures on stderr, exit 1, no email to leadership."""
    no_okr_tabs(tmp_path / "a.xlsx")
    config = write_config(tmp_path, [("A", "a.xlsx"), ("B", "b.xlsx")], email_table(smtp.port))
    result = run_cli(config)
    assert result.exit_code == 1
    assert [line.split(":")[1].strip() for line in result.stderr.splitlines()] == ["A", "B"]
    assert received(smtp) == []


def test_no_email_only_syncs_and_the_page_is_written(tmp_path: Path, smtp: Server) -> None:
    """--no-email with -o: trackers synced, the page written, nothing sent."""
    config = write_config(tmp_path, three_trackers(tmp_path, broken=False),
                          email_table(smtp.port, 'lang = "ko"\n'))  # fmt: skip
    page = tmp_path / "report.html"
    result = run_cli(config, "--no-email", "-o", str(page))
    assert (result.exit_code, result.stderr) == (0, "")
    assert received(smtp) == []
    assert "OKR 요약, 전체 트래커" in page.read_text("utf-8")


def test_the_page_must_be_html_before_anything_runs(tmp_path: Path) -> None:
    """-o summary.txt is a usage error before any tracker is touched."""
    paths = [small_tracker(tmp_path / "a.xlsx", "A")]
    before = unchanged(paths)
    config = write_config(tmp_path, [("A", "a.xlsx")])
    result = run_cli(config, "-o", str(tmp_path / "summary.txt"))
    assert result.exit_code == 2
    assert "the report is an .html file" in result.stderr
    assert unchanged(paths) == before


# --- healthcheck ----------------------------------------------------------------------------


def test_the_healthcheck_hears_the_start_and_the_success(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """A clean run pings /start, then the check URL with one line per tracker."""
    small_tracker(tmp_path / "a.xlsx", "A")
    config = write_config(tmp_path, [("A", "a.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\n')  # fmt: skip
    assert run_cli(config).exit_code == 0
    assert ping_server.paths == ["/start", "/"]
    assert ping_server.pings[1].body.startswith("ok: A: wrote ")


def test_the_healthcheck_hears_a_failure_with_its_exit_status(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """A broken tracker: /start, then /1 with the failing tracker named in the body; a
    missing one too (a tracker's failure, not the run's configuration)."""
    small_tracker(tmp_path / "a.xlsx", "A")
    no_okr_tabs(tmp_path / "notes.xlsx")
    config = write_config(tmp_path, [("A", "a.xlsx"), ("Notes", "notes.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\n')  # fmt: skip
    assert run_cli(config).exit_code == 1
    assert ping_server.paths == ["/start", "/1"]
    assert "failed: Notes: " in ping_server.pings[1].body
    config = write_config(tmp_path, [("A", "a.xlsx"), ("Gone", "gone.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\n')  # fmt: skip
    assert run_cli(config).exit_code == 1
    assert ping_server.paths[2:] == ["/start", "/1"]
    assert "failed: Gone: " in ping_server.pings[3].body


def test_an_unreachable_healthcheck_never_fails_the_run(tmp_path: Path) -> None:
    """Nobody at the check URL: the run still exits 0; stderr warns, without the token."""
    small_tracker(tmp_path / "a.xlsx", "A")
    url = f"http://127.0.0.1:{free_port()}/ping/{TOKEN}"
    config = write_config(tmp_path, [("A", "a.xlsx")],
                          f'[healthcheck]\nurl = "{url}"\ntimeout = 2\n')  # fmt: skip
    done = run_process(config)
    assert done.returncode == 0
    assert "cannot ping the healthcheck http://127.0.0.1/…" in done.stderr
    assert TOKEN not in done.stderr


def test_a_garbled_healthcheck_answer_never_fails_the_run(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """The check answers `garbage`: a real run still exits 0, warning without the token."""
    ping_server.raw = b"garbage\r\n\r\n"
    small_tracker(tmp_path / "a.xlsx", "A")
    config = write_config(tmp_path, [("A", "a.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\n')  # fmt: skip
    done = run_process(config)
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("(BadStatusLine); the run goes on") == 2
    assert "Traceback" not in done.stderr
    assert TOKEN not in done.stderr


def test_a_run_killed_by_sigterm_still_pings_its_failure(
    tmp_path: Path, ping_server: PingServer
) -> None:
    """SIGTERM (a timeout, systemctl stop) while the run waits: it pings /75 with a reason,
    says so on stderr and exits 75, instead of vanishing without a word."""
    ping_server.delay["/start"] = 20
    small_tracker(tmp_path / "a.xlsx", "A")
    config = write_config(tmp_path, [("A", "a.xlsx")],
                          f'[healthcheck]\nurl = "{ping_server.url}"\ntimeout = 30\n')  # fmt: skip
    argv = [sys.executable, "-m", "sheets_okr", "run", "--config", str(config), "--as-of",
            AS_OF.isoformat()]  # fmt: skip
    process = subprocess.Popen(argv, stderr=subprocess.PIPE, text=True, env=dict(os.environ))
    try:
        deadline = time.monotonic() + 60
        while not ping_server.pings and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ping_server.paths == ["/start"]
        process.terminate()
        _, stderr = process.communicate(timeout=30)
    finally:
        process.kill()
        process.wait()
    assert process.returncode == 75, stderr
    assert ping_server.paths == ["/start", "/75"]
    assert ping_server.pings[1].body == "the run was stopped (SIGTERM) before it finished"
    assert "sheets-okr: stopped by SIGTERM before the run finished" in stderr
    assert "Traceback" not in stderr
    assert "Summary" not in tabs(tmp_path / "a.xlsx")


# --- secrets --------------------------------------------------------------------------------


def test_secrets_appear_nowhere(
    tmp_path: Path, smtp: Server, ping_server: PingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The SMTP password and the healthcheck token are in no output (-vv, a real process),
    log, page, email (decoded), kept .eml, sent-log or state file, nor in any ping."""
    monkeypatch.setenv(PING_ENV, ping_server.url)
    extra = email_table(smtp.port) + f'\n[healthcheck]\nurl_env = "{PING_ENV}"\n'
    config = write_config(tmp_path, three_trackers(tmp_path), extra)
    page, eml = tmp_path / "summary.html", tmp_path / "summary.eml"
    done = run_process(config, "-o", str(page), "--eml", str(eml), verbose=2)
    assert done.returncode == 1, done.stderr
    assert "DEBUG" in done.stderr  # -vv really logged
    (message,) = received(smtp)
    assert len(ping_server.pings) == 2
    saved = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert isinstance(saved, EmailMessage)
    texts = {
        "stdout": done.stdout,
        "stderr": done.stderr,
        "page": page.read_text("utf-8"),
        "email as received": readable(message) + message.as_string(),
        "kept email": readable(saved) + eml.read_text("utf-8"),
        "ping bodies": "\n".join(p.body for p in ping_server.pings),
    }
    for path in (tmp_path / "state").rglob("*"):
        if path.is_file():
            texts[str(path)] = path.read_text("utf-8", "replace")
    assert "sent.json" in " ".join(texts)
    for where, text in texts.items():
        assert PASSWORD not in text, where
        assert TOKEN not in text, where
