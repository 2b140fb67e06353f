"""The summary email: MIME structure, headers, and sending over TLS to aiosmtpd on 127.0.0.1."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from pathlib import Path

import pytest
import trustme
from click.testing import CliRunner, Result

from sheets_okr.actions.score import ReadOptions
from sheets_okr.actions.summarise import summarise
from sheets_okr.cli import cli
from sheets_okr.deliver.mail import build_message
from sheets_okr.summary.digest import Digest
from sheets_okr.summary.render import Rendered
from tests.support.smtp import PASSWORD, USER, Certificates, Server, free_port, parse_eml, serve
from tests.support.summary_plans import AS_OF, team_plan

SENDER = "okr-bot@example.com"
SUBJECT_START = "[OKR] okrs 2026-Q4: 28% vs 65% pace, +4.2, 1 at risk, 2 off track"
PARTS = ["multipart/alternative", "text/plain", "multipart/related", "text/html", "image/png"]


# --- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module", name="plan")
def _plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two-team plan synced on three dates."""
    return team_plan(tmp_path_factory.mktemp("mail") / "okrs.xlsx")


@pytest.fixture(scope="module", name="summary")
def _summary(plan: Path) -> tuple[Digest, Rendered]:
    """Its summary at 2026-11-30 in English."""
    return summarise(str(plan), ReadOptions(AS_OF), "en")


@pytest.fixture(autouse=True)
def _state_and_smtp_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sent-log in tmp_path, and no SMTP settings leaking in from the environment."""
    monkeypatch.setenv("SHEETS_OKR_STATE_DIR", str(tmp_path / "state"))
    for name in ("HOST", "PORT", "SECURITY", "USER", "PASSWORD", "FROM", "CA_FILE"):
        monkeypatch.delenv(f"SHEETS_OKR_SMTP_{name}", raising=False)


@pytest.fixture(name="smtps")
def _smtps(certs: Certificates) -> Iterator[Server]:
    """aiosmtpd on implicit TLS with AUTH (port 465 style)."""
    # aiosmtpd counts only STARTTLS as TLS for AUTH; on implicit TLS it must be told.
    yield from serve(ssl_context=certs.server, auth_require_tls=False)


def email_cli(plan: Path, *args: str, to: tuple[str, ...] = ("ceo@example.com",)) -> Result:
    """`sheets-okr email PLAN --to ... --as-of 2026-11-30 ARGS` in-process."""
    recipients = [part for address in to for part in ("--to", address)]
    argv = ["email", str(plan), *recipients, "--as-of", AS_OF.isoformat(), "--from", SENDER, *args]
    return CliRunner().invoke(cli, argv, prog_name="sheets-okr")


def smtp_args(server: Server, security: str = "starttls") -> tuple[str, ...]:
    """Options pointing the command at a test server."""
    return ("--smtp-host", "127.0.0.1", "--smtp-port", str(server.port),
            "--smtp-security", security, "--smtp-user", USER)  # fmt: skip


@pytest.fixture(name="credentials")
def _credentials(certs: Certificates, monkeypatch: pytest.MonkeyPatch) -> None:
    """The password and the private CA, given the way a cron job gives them: environment."""
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(certs.ca_file))


def assert_no_password(result: Result, *files: Path) -> None:
    """The password is in no output and no file the run left behind."""
    assert PASSWORD not in result.stdout
    assert PASSWORD not in result.stderr
    for path in files:
        assert PASSWORD.encode() not in path.read_bytes(), path


def saved_eml(result: Result) -> Path:
    """The .eml path the failure message names."""
    match = re.search(r"The email is saved in (\S+\.eml)", result.stderr)
    assert match, result.stderr
    return Path(match.group(1))


# --- MIME structure -------------------------------------------------------------------------


def structure(message: EmailMessage) -> list[str]:
    """Content types of every part, depth first."""
    return [part.get_content_type() for part in message.walk()]


def check_structure(message: EmailMessage, rendered: Rendered) -> None:
    """The exact part tree, inline image, resolving cids and no defects."""
    assert structure(message) == PARTS
    related = next(p for p in message.walk() if p.get_content_type() == "multipart/related")
    assert related.get_param("type") == "text/html"
    image = next(p for p in message.walk() if p.get_content_type() == "image/png")
    assert image.get_content_disposition() == "inline"
    assert image.get_filename() == "okr-trend.png"
    assert image.get_content() == rendered.chart_png
    html_part = message.get_body(preferencelist=("html",))
    assert html_part is not None
    markup = html_part.get_content()
    content_ids = {str(p["Content-ID"]).strip("<>") for p in message.walk() if p["Content-ID"]}
    cids = re.findall(r"""cid:([^"'\s)>]+)""", markup)
    assert cids
    assert set(cids) <= content_ids
    assert "sheets-okr-chart" not in markup  # the placeholder was replaced
    text_part = message.get_body(preferencelist=("plain",))
    assert text_part is not None
    assert text_part.get_content() == rendered.text
    assert all(not part.defects for part in message.walk())


def test_mime_structure(summary: tuple[Digest, Rendered]) -> None:
    """alternative > plain, related(type=text/html) > html, inline png; parsed back clean."""
    _, rendered = summary
    built = build_message(rendered, sender=SENDER, recipients=["ceo@example.com"])
    check_structure(built, rendered)
    parsed = message_from_bytes(bytes(built), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    check_structure(parsed, rendered)


def test_korean_message_parses_back(plan: Path) -> None:
    """A Korean summary survives encoding: subject, text and HTML come back unchanged."""
    _, rendered = summarise(str(plan), ReadOptions(AS_OF), "ko")
    built = build_message(rendered, sender=SENDER, recipients=["a@example.com"])
    parsed = message_from_bytes(bytes(built), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    check_structure(parsed, rendered)
    assert parsed["Subject"] == rendered.subject
    html_part = parsed.get_body(preferencelist=("html",))
    assert html_part is not None
    assert "2026년 11월 30일" in html_part.get_content()


@pytest.mark.parametrize(
    "line",
    [
        "[OKR] Marketing 2026-Q4: 45% vs 65% pace, +4.5, 1 at risk, 6 off track",
        "[OKR] 2026-Q4: 29% overall · 65% pace · +3.7 · 5 at risk, 6 off track",
        "[OKR] 마케팅팀 2026-Q4: 45%, 기대 진도 65%, +6.7%p, 위험 4, 이탈 0 · 아주 긴 제목 " * 2,
    ],
)
def test_the_subject_round_trips_exactly(summary: tuple[Digest, Rendered], line: str) -> None:
    """A long subject starting with "[" (English or Korean) parses back exactly: no leading
    space, no space lost between encoded-words, each encoded-word at most 75 characters."""
    _, rendered = summary
    subject_line = " ".join(line.split())
    built = build_message(
        dataclasses.replace(rendered, subject=subject_line), sender=SENDER, recipients=["a@b.co"]
    )
    raw = bytes(built)
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == subject_line
    header = raw.split(b"\nFrom:", 1)[0].decode("ascii")
    assert all(len(word) <= 75 for word in re.findall(r"=\?[^?]+\?[bBqQ]\?[^?]*\?=", header))
    assert all(len(row) <= 998 for row in header.splitlines())


def test_headers(summary: tuple[Digest, Rendered]) -> None:
    """Subject, From, To, Date and Message-ID are set and parse back."""
    _, rendered = summary
    built = build_message(
        rendered, sender=SENDER, recipients=["ceo@example.com", "cfo@example.com"]
    )
    parsed = message_from_bytes(bytes(built), policy=policy.default)
    assert parsed["Subject"] == rendered.subject
    assert parsed["Subject"].startswith(SUBJECT_START)
    assert parsed["From"] == SENDER
    assert [a.addr_spec for a in parsed["To"].addresses] == ["ceo@example.com", "cfo@example.com"]
    assert parsedate_to_datetime(parsed["Date"]).tzinfo is not None
    assert re.fullmatch(r"<[^<>@\s]+@example\.com>", parsed["Message-ID"])
    assert parsed["MIME-Version"] == "1.0"


# --- sending --------------------------------------------------------------------------------


@pytest.mark.usefixtures("credentials")
def test_starttls_with_auth_delivers(plan: Path, smtp: Server, tmp_path: Path) -> None:
    """STARTTLS with a checked certificate and AUTH delivers the whole message."""
    result = email_cli(plan, *smtp_args(smtp), to=("ceo@example.com", "cfo@example.com"))
    assert result.exit_code == 0, result.output
    ((mail_from, recipients, message),) = smtp.capture.messages
    assert mail_from == SENDER
    assert recipients == ["ceo@example.com", "cfo@example.com"]
    assert message["To"] == "ceo@example.com, cfo@example.com"
    assert message["Subject"].startswith(SUBJECT_START)
    assert structure(message) == PARTS
    assert all(not part.defects for part in message.walk())
    state = [p for p in (tmp_path / "state").rglob("*") if p.is_file()]
    assert [p.name for p in state] == ["sent.json"]
    assert_no_password(result, *state)


@pytest.mark.usefixtures("credentials")
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS:UserWarning")
def test_implicit_tls_with_auth_delivers(plan: Path, smtps: Server) -> None:
    """Implicit TLS (port 465 style) with AUTH delivers."""
    result = email_cli(plan, *smtp_args(smtps, "ssl"))
    assert result.exit_code == 0, result.output
    ((_, recipients, message),) = smtps.capture.messages
    assert recipients == ["ceo@example.com"]
    assert message["Subject"].startswith(SUBJECT_START)
    assert_no_password(result)


@pytest.mark.usefixtures("credentials")
def test_wrong_password_fails_cleanly(
    plan: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A refused login exits 1, delivers nothing, keeps the .eml and never shows a password."""
    wrong = "not-the-" + PASSWORD
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", wrong)
    result = email_cli(plan, *smtp_args(smtp))
    assert result.exit_code == 1
    assert smtp.capture.messages == []
    assert f"127.0.0.1:{smtp.port} refused the SMTP user name or password" in result.stderr
    assert "Traceback" not in result.output
    eml = saved_eml(result)
    assert eml.is_file()
    assert eml.is_relative_to(tmp_path / "state")
    assert structure(parse_eml(eml)) == PARTS
    assert wrong not in result.output
    assert wrong.encode() not in eml.read_bytes()
    assert_no_password(result, eml)
    # Nothing was sent, so nothing is remembered: with the right password it goes out.
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    again = email_cli(plan, *smtp_args(smtp))
    assert again.exit_code == 0, again.output
    assert len(smtp.capture.messages) == 1


@pytest.mark.usefixtures("credentials")
def test_ssl_against_a_starttls_server_exits_1_naming_the_fix(plan: Path, smtp: Server) -> None:
    """--smtp-security ssl on a STARTTLS port is a setting to fix: exit 1, not 75 (retry)."""
    result = email_cli(plan, *smtp_args(smtp, "ssl"))
    assert result.exit_code == 1, result.output
    assert (f"127.0.0.1:{smtp.port}: the server does not speak TLS on this port: try"
            " --smtp-security starttls (port 587)") in result.stderr  # fmt: skip
    assert "WRONG_VERSION_NUMBER" not in result.stderr
    assert smtp.capture.messages == []
    assert saved_eml(result).is_file()
    assert_no_password(result)


@pytest.mark.usefixtures("credentials")
def test_server_down_exits_75_and_keeps_the_eml(plan: Path, tmp_path: Path) -> None:
    """Nobody listening on the port: exit 75 (try later), the .eml kept where -o said."""
    port = free_port()
    output = tmp_path / "summary.eml"
    result = email_cli(plan, "--smtp-host", "127.0.0.1", "--smtp-port", str(port),
                       "--smtp-user", USER, "-o", str(output))  # fmt: skip
    assert result.exit_code == 75, result.output
    assert f"cannot reach the SMTP server 127.0.0.1:{port}" in result.stderr
    assert saved_eml(result) == output
    assert structure(parse_eml(output)) == PARTS
    assert_no_password(result, output)
    assert not (tmp_path / "state" / "sent.json").exists()


def test_untrusted_certificate_is_refused(
    plan: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the private CA the server's certificate fails the check: exit 1, nothing sent,
    and the message says how to trust a private CA."""
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    result = email_cli(plan, *smtp_args(smtp))
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith(
        f"sheets-okr: 127.0.0.1:{smtp.port}: the server's certificate is not trusted"
        " (unable to get local issuer certificate); if the server uses a private or"
        " self-signed CA, trust it with SHEETS_OKR_SMTP_CA_FILE=/path/ca.pem. The email is"
        " saved in "
    )
    assert smtp.capture.messages == []
    assert saved_eml(result).is_file()
    assert_no_password(result)


def test_a_ca_file_of_another_ca_is_named(
    plan: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SHEETS_OKR_SMTP_CA_FILE holding a CA that did not sign the server's certificate: exit 1,
    and the message names the file rather than suggesting to set it."""
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(other))
    result = email_cli(plan, *smtp_args(smtp))
    assert result.exit_code == 1, result.output
    assert f"; the CA in SHEETS_OKR_SMTP_CA_FILE={other} did not sign it." in result.stderr
    assert smtp.capture.messages == []


def test_a_ca_file_that_cannot_be_read_is_a_usage_error(
    plan: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A missing SHEETS_OKR_SMTP_CA_FILE exits 2 naming it, not 75 as if the server were down."""
    missing = tmp_path / "absent-ca.pem"
    monkeypatch.setenv("SHEETS_OKR_SMTP_PASSWORD", PASSWORD)
    monkeypatch.setenv("SHEETS_OKR_SMTP_CA_FILE", str(missing))
    result = email_cli(plan, *smtp_args(smtp))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(
        f"sheets-okr: SHEETS_OKR_SMTP_CA_FILE={missing} cannot be used as the CA certificate"
        " (No such file or directory); point it at the PEM certificate of the CA that signed"
        " the server's"
    )
    assert smtp.capture.messages == []


@pytest.mark.usefixtures("credentials")
def test_same_as_of_date_is_not_sent_twice(plan: Path, smtp: Server) -> None:
    """A second run for the same as-of date and recipients sends nothing unless --force."""
    assert email_cli(plan, *smtp_args(smtp)).exit_code == 0
    again = email_cli(plan, *smtp_args(smtp))
    assert again.exit_code == 0
    assert "already went to these recipients" in again.stderr
    assert "--force" in again.stderr
    assert len(smtp.capture.messages) == 1
    forced = email_cli(plan, *smtp_args(smtp), "--force")
    assert forced.exit_code == 0, forced.output
    assert len(smtp.capture.messages) == 2
    others = email_cli(plan, *smtp_args(smtp), to=("board@example.com",))
    assert others.exit_code == 0, others.output
    assert [rcpt for _, rcpt, _ in smtp.capture.messages][-1] == ["board@example.com"]


def test_dry_run_writes_a_parseable_eml_and_sends_nothing(
    plan: Path, smtp: Server, tmp_path: Path, summary: tuple[Digest, Rendered]
) -> None:
    """--dry-run -o X.eml writes the email, contacts no server and remembers nothing."""
    output = tmp_path / "preview.eml"
    result = email_cli(plan, "--dry-run", "-o", str(output), *smtp_args(smtp))
    assert result.exit_code == 0, result.output
    assert smtp.capture.messages == []
    message = parse_eml(output)
    check_structure(message, summary[1])
    assert message["Subject"].startswith(SUBJECT_START)
    assert message["To"] == "ceo@example.com"
    assert not (tmp_path / "state" / "sent.json").exists()


def test_dry_run_needs_an_output_file(plan: Path) -> None:
    """--dry-run without -o is a usage error (exit 2)."""
    result = email_cli(plan, "--dry-run")
    assert result.exit_code == 2
    assert "-o FILE.eml" in result.stderr


def test_sending_needs_an_smtp_host(plan: Path) -> None:
    """Sending without --smtp-host (or its variable) is a usage error (exit 2)."""
    result = email_cli(plan)
    assert result.exit_code == 2
    assert "--smtp-host" in result.stderr


def test_password_is_not_a_command_line_option(plan: Path) -> None:
    """There is no --smtp-password: a password on the command line shows in `ps`."""
    result = email_cli(plan, "--smtp-host", "127.0.0.1", "--smtp-password", PASSWORD)
    assert result.exit_code == 2
    assert "No such option" in result.stderr


def test_user_without_password_is_a_usage_error(plan: Path, smtp: Server) -> None:
    """An SMTP user without SHEETS_OKR_SMTP_PASSWORD is refused before connecting (exit 2)."""
    result = email_cli(plan, *smtp_args(smtp))
    assert result.exit_code == 2
    assert "SHEETS_OKR_SMTP_PASSWORD" in result.stderr
    assert smtp.capture.messages == []
