"""Service-account keys for the Sheets API: finding the key file, checking it, and the
google-auth credentials it makes. No message ever repeats a value that might be a secret.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sheets_okr.errors import UsageError

CREDENTIALS_ENV = "GOOGLE_APPLICATION_CREDENTIALS"
# Only the spreadsheets scope: the tool never needs Drive (it opens sheets by key).
SCOPES = ("https://www.googleapis.com/auth/spreadsheets",)
_REQUIRED_KEY_FIELDS = ("client_email", "private_key", "token_uri")
# Other Google credential types, safe to name: a value outside these is never echoed, as a
# key pasted into the wrong field would be printed with it.
_OTHER_KEY_TYPES = frozenset({
    "authorized_user", "external_account", "external_account_authorized_user",
    "impersonated_service_account", "gdch_service_account",
})  # fmt: skip
# Fields that reach messages (client_email) or URLs, and so the errors of requests
# (token_uri, universe_domain): a private key pasted into one would be printed. Each must
# look like what it holds, and its value is never echoed.
_KEY_FIELD_SHAPES = (
    ("client_email", r"[^@\s]+@[^@\s]+\.[^@\s]+",
     "the service account's address, such as name@project.iam.gserviceaccount.com"),
    ("token_uri", r"https?://[\w.:\[\]-]+(/\S*)?",
     "the token address, https://oauth2.googleapis.com/token"),
    ("universe_domain", r"[\w-]+(\.[\w-]+)+", "googleapis.com"),
)  # fmt: skip
_NOT_SHOWN = "its value is not shown, as it may be a secret"
_NEW_KEY = ("create a new key in Google Cloud console under IAM & Admin > Service accounts >"
            " Keys > Add key > JSON")  # fmt: skip


@dataclass(frozen=True)
class ServiceAccountKey:
    """A service-account key file, checked; repr never shows the private key."""

    path: Path
    info: Mapping[str, Any]

    @property
    def email(self) -> str:
        """The address a spreadsheet must be shared with."""
        return str(self.info["client_email"])

    def __repr__(self) -> str:
        return f"ServiceAccountKey({str(self.path)!r}, {self.email!r})"


def find_key_file(credentials: Path | None) -> Path:
    """The key file from --credentials or GOOGLE_APPLICATION_CREDENTIALS."""
    if credentials is not None:
        return credentials
    from_env = os.environ.get(CREDENTIALS_ENV, "").strip()
    if from_env:
        return Path(from_env).expanduser()
    raise UsageError(
        "Google Sheets needs a service-account key: pass --credentials FILE or set"
        f" {CREDENTIALS_ENV} (see credentials.example.json and the README)"
    )


def load_key(path: Path) -> ServiceAccountKey:
    """Read and check a service-account key file; the message says what is wrong with it."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UsageError(f"{path}: no such service-account key file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot read the service-account key ({error})") from None
    try:
        info = json.loads(text)
    except json.JSONDecodeError as error:
        raise UsageError(
            f"{path}: not a service-account key (not JSON: line {error.lineno},"
            f" column {error.colno})"
        ) from None
    if not isinstance(info, dict):
        raise UsageError(f"{path}: not a service-account key (a JSON object is expected)")
    if info.get("type") != "service_account":
        if "installed" in info or "web" in info:
            kind = "an OAuth client file, not a service-account key"
        elif "type" not in info:
            kind = "of no type, not a service-account key"
        elif info["type"] in _OTHER_KEY_TYPES:
            kind = f"a key of type {info['type']!r}, not a service-account key"
        else:
            kind = f'type should be "service_account" ({_NOT_SHOWN})'
        raise UsageError(f"{path}: {kind}; {_NEW_KEY}")
    missing = [name for name in _REQUIRED_KEY_FIELDS if not info.get(name)]
    if missing:
        raise UsageError(f"{path}: the service-account key has no {', '.join(missing)}")
    if "PRIVATE KEY-----" not in str(info["private_key"]):
        raise UsageError(f"{path}: private_key is not a PEM private key")
    for name, shape, holds in _KEY_FIELD_SHAPES:
        value = info.get(name)
        if name in info and not (
            isinstance(value, str) and len(value) <= 320 and re.fullmatch(shape, value)
        ):
            raise UsageError(f"{path}: {name} should hold {holds} ({_NOT_SHOWN}); {_NEW_KEY}")
    return ServiceAccountKey(path, info)


def make_credentials(key: ServiceAccountKey) -> Any:
    """google-auth credentials for the key, limited to the spreadsheets scope."""
    from google.oauth2 import service_account

    try:
        return service_account.Credentials.from_service_account_info(  # type: ignore[no-untyped-call]
            dict(key.info), scopes=list(SCOPES)
        )
    except (ValueError, TypeError, IndexError) as error:
        # google-auth raises ValueError for a private key that does not parse; its text
        # never contains the key itself.
        raise UsageError(f"{key.path}: private_key cannot be used ({error})") from None
