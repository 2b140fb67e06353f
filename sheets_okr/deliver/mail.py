"""The summary as an email, and sending it over SMTP with TLS.

multipart/alternative: a plain-text part, then multipart/related holding the HTML and the
chart as an inline CID image (research/email-and-scheduling.md, 3.1). Credentials come
from the environment, never from the command line, and never appear in messages.
"""

from __future__ import annotations

import logging
import os
import re
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.header import Header
from email.message import EmailMessage
from email.policy import EmailPolicy
from email.utils import formatdate, getaddresses, make_msgid, parseaddr
from pathlib import Path

from sheets_okr.errors import SheetsOkrError, TemporaryFailure, UsageError
from sheets_okr.files import atomic_write
from sheets_okr.summary.render import CHART_CID_PLACEHOLDER, Rendered

log = logging.getLogger(__name__)

SECURITY = ("starttls", "ssl")
PASSWORD_VARIABLE = "SHEETS_OKR_SMTP_PASSWORD"
CA_FILE_VARIABLE = "SHEETS_OKR_SMTP_CA_FILE"  # a private CA to trust (checks stay on)
# One label of a domain: letters or digits (any script), hyphens inside only.
_LABEL = re.compile(r"[^\W_](?:[\w-]*[^\W_])?")
_ADDRESS_LITERAL = re.compile(r"\[[0-9A-Fa-f:.]+\]")  # user@[192.0.2.1]
# OpenSSL's verify codes that a private CA does not explain: they need another fix.
_EXPIRED = (9, 10)  # X509_V_ERR_CERT_NOT_YET_VALID, X509_V_ERR_CERT_HAS_EXPIRED
_HOSTNAME_MISMATCH = 62  # X509_V_ERR_HOSTNAME_MISMATCH
# OpenSSL's reasons when a TLS handshake gets plain text back (a STARTTLS or plain port).
_NOT_TLS = frozenset({"WRONG_VERSION_NUMBER", "UNKNOWN_PROTOCOL", "PACKET_LENGTH_TOO_LONG",
                      "HTTP_REQUEST"})  # fmt: skip


def _is_address(address: str) -> bool:
    """One @, something before it, and a domain of dotted labels after it."""
    if address.count("@") != 1 or len(address) > 254 or any(c.isspace() for c in address):
        return False
    local, domain = address.split("@")
    if not local:
        return False
    if _ADDRESS_LITERAL.fullmatch(domain):
        return True
    labels = domain.split(".")
    # A dot is required: "ceo@example" is far more often a typo than a mail domain.
    return len(labels) >= 2 and all(_LABEL.fullmatch(label) for label in labels)


def check_address(text: str, option: str) -> str:
    """`text`, stripped, when it is one email address (CEO <ceo@example.com> too); else a
    UsageError naming the option and the bad value."""
    what = f"{option} {text!r}"
    if any(ord(c) < 32 or ord(c) == 127 for c in text):  # a line break would add a header
        raise UsageError(f"{what} holds a control character; give one email address")
    pairs = getaddresses([text])
    if len(pairs) > 1 and all(_is_address(address) for _, address in pairs):
        raise UsageError(f"{what} holds several addresses; give {option} once for each")
    stripped = text.strip()
    # parseaddr glues stray words onto the address ("a@b.com junk" -> "a@b.comjunk"): the
    # text must be the address itself, or end with it in angle brackets.
    address = pairs[0][1] if len(pairs) == 1 else ""
    whole = bool(address) and (stripped == address or stripped.endswith(f"<{address}>"))
    if not whole or not _is_address(address):
        raise UsageError(f"{what} is not an email address; give one such as ceo@example.com")
    return stripped


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send. The password is read from the environment when sending."""

    host: str
    port: int
    security: str = "starttls"
    user: str | None = None
    sender: str = ""
    timeout: float = 30.0
    password_env: str = PASSWORD_VARIABLE  # the environment variable holding the password

    def __post_init__(self) -> None:
        if self.security not in SECURITY:
            raise UsageError(f"SMTP security must be one of {', '.join(SECURITY)}")


class _HeaderPolicy(EmailPolicy):
    """Headers on one line up to 998 characters (the stdlib's 78 folds a subject that starts
    with "[" before its first word, and a reader sees a leading space); a non-ASCII subject
    as RFC 2047 encoded-words of at most 75 characters, each space inside a word (the
    stdlib's folding leaves spaces between encoded-words, where decoders drop them)."""

    def fold(self, name: str, value: str) -> str:
        if name.lower() == "subject" and not str(value).isascii():
            return self._encoded(name, str(value))
        return str(super().fold(name, value))

    def fold_binary(self, name: str, value: str) -> bytes:
        if name.lower() == "subject" and not str(value).isascii():
            return self._encoded(name, str(value)).encode("ascii")
        return bytes(super().fold_binary(name, value))

    def _encoded(self, name: str, value: str) -> str:
        words = Header(value, "utf-8", header_name=name).encode(linesep=self.linesep, maxlinelen=75)
        return f"{name}: {words}{self.linesep}"


HEADER_POLICY = _HeaderPolicy(max_line_length=998)  # email.policy.default, longer lines


def build_message(rendered: Rendered, *, sender: str, recipients: Sequence[str]) -> EmailMessage:
    """The email: text, then HTML with the chart related to it as an inline image."""
    message = EmailMessage(policy=HEADER_POLICY)
    message["Subject"] = rendered.subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=True)
    # "OKR bot <bot@example.com>": the domain of the address, not of the display text
    domain = parseaddr(sender)[1].rpartition("@")[2] or "sheets-okr.local"
    message["Message-ID"] = make_msgid(domain=domain)
    message.set_content(rendered.text)
    cid = make_msgid(domain=domain)
    html = rendered.html.replace(f"cid:{CHART_CID_PLACEHOLDER}", f"cid:{cid[1:-1]}")
    message.add_alternative(html, subtype="html")
    if not rendered.chart_png:  # a summary without a chart (several trackers)
        return message
    html_part = message.get_body(preferencelist=("html",))
    assert isinstance(html_part, EmailMessage)  # the alternative just added
    html_part.add_related(
        rendered.chart_png, maintype="image", subtype="png", cid=cid,
        disposition="inline", filename="okr-trend.png",
    )  # fmt: skip
    html_part.set_param("type", "text/html")  # RFC 2387 wants it; the stdlib leaves it out
    return message


def save_eml(message: EmailMessage, path: Path, *, mode: int | None = None) -> None:
    """Write the message as an .eml file (atomically); `mode` such as 0o600 for a private
    copy, else the usual mode of a new file."""
    atomic_write(path, lambda temporary: temporary.write_bytes(bytes(message)), mode=mode)


def _context() -> ssl.SSLContext:
    """Certificate and host name checks, with the private CA of SHEETS_OKR_SMTP_CA_FILE.

    Made before connecting, so that a CA file that cannot be read is a usage error rather
    than a server that seems unreachable.
    """
    context = ssl.create_default_context()  # verifies the certificate and the host name
    ca_file = os.environ.get(CA_FILE_VARIABLE)
    if ca_file:
        try:
            context.load_verify_locations(cafile=ca_file)
        except (OSError, ssl.SSLError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise UsageError(
                f"{CA_FILE_VARIABLE}={ca_file} cannot be used as the CA certificate ({reason});"
                " point it at the PEM certificate of the CA that signed the server's"
            ) from None
    return context


def _untrusted(where: str, error: ssl.SSLCertVerificationError) -> str:
    """Why the server's certificate was refused, and what to do about it."""
    said = f"{where}: the server's certificate is not trusted ({error.verify_message})"
    if error.verify_code == _HOSTNAME_MISMATCH:
        return f"{said}; connect by the host name the certificate is for"
    if error.verify_code in _EXPIRED:
        return f"{said}; the server's administrator must renew it"
    ca_file = os.environ.get(CA_FILE_VARIABLE)
    if ca_file:
        return f"{said}; the CA in {CA_FILE_VARIABLE}={ca_file} did not sign it"
    return (
        f"{said}; if the server uses a private or self-signed CA, trust it with"
        f" {CA_FILE_VARIABLE}=/path/ca.pem"
    )


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Deliver over STARTTLS or implicit TLS; raise a clean error on any failure."""
    password = os.environ.get(settings.password_env, "")
    if settings.user and not password:
        raise UsageError(f"set {settings.password_env} to the SMTP password of {settings.user}")
    where = f"{settings.host}:{settings.port}"
    context = _context()
    try:
        if settings.security == "ssl":
            smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                settings.host, settings.port, context=context, timeout=settings.timeout
            )
        else:
            smtp = smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout)
        with smtp:
            smtp.ehlo()
            if settings.security == "starttls":
                smtp.starttls(context=context)
                smtp.ehlo()
            if settings.user:
                smtp.login(settings.user, password)
            refused = smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise SheetsOkrError(f"{where} refused the SMTP user name or password") from error
    except ssl.SSLCertVerificationError as error:
        raise SheetsOkrError(_untrusted(where, error)) from error
    except smtplib.SMTPRecipientsRefused as error:
        raise SheetsOkrError(
            f"{where} refused every recipient: {', '.join(error.recipients)}"
        ) from error
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError) as error:
        raise TemporaryFailure(f"the SMTP server {where} went away: {_said(error)}") from error
    except smtplib.SMTPException as error:  # refused the sender, the data...
        raise SheetsOkrError(f"{where} did not accept the email: {_said(error)}") from error
    except OSError as error:  # refused, timed out, no such host, TLS failed midway
        if settings.security == "ssl" and _not_tls(error):  # a setting to fix: retrying won't
            raise SheetsOkrError(
                f"{where}: the server does not speak TLS on this port: try --smtp-security"
                ' starttls (port 587), or security = "starttls" in [email]'
            ) from error
        raise TemporaryFailure(f"cannot reach the SMTP server {where}: {_said(error)}") from error
    if refused:
        raise SheetsOkrError(f"{where} refused some recipients: {', '.join(refused)}")
    log.info("sent the summary to %d recipients via %s", len(message["To"].split(",")), where)


def _not_tls(error: OSError) -> bool:
    """Whether implicit TLS met a server that answered in plain text (a STARTTLS or plain
    port): OpenSSL read its "220 ..." greeting as a TLS record."""
    return isinstance(error, ssl.SSLError) and error.reason in _NOT_TLS


def _said(error: Exception) -> str:
    """An error's text without its closing period, as the message goes on after it
    ("STARTTLS extension not supported by server. The email is saved in ...")."""
    return str(error).rstrip().rstrip(".")
