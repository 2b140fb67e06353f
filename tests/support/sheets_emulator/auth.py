"""Service-account keys and the OAuth token endpoint (JWT bearer grant, RS256)."""

from __future__ import annotations

import functools
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from google.auth import jwt

JWT_GRANT = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth signs every service-account assertion for Google's endpoint, whatever the key's
# token_uri says (service_account.py: "aud": _GOOGLE_OAUTH2_TOKEN_ENDPOINT), and Google accepts it.
GOOGLE_TOKEN_ENDPOINT = "https://oauth2.googleapis.com/token"
SPREADSHEETS = "https://www.googleapis.com/auth/spreadsheets"
DRIVE = "https://www.googleapis.com/auth/drive"
# Scopes that let a token read spreadsheets, and the ones among them that also let it write.
READ_SCOPES = {
    SPREADSHEETS,
    SPREADSHEETS + ".readonly",
    DRIVE,
    DRIVE + ".readonly",
    DRIVE + ".file",
}
WRITE_SCOPES = {SPREADSHEETS, DRIVE, DRIVE + ".file"}


@functools.cache
def _key_pair() -> tuple[str, str]:
    """(private PEM, public PEM) of one RSA 2048 key per process: making one takes ~100 ms."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    public = (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )
    return private, public


@dataclass(frozen=True)
class Token:
    """An access token the emulator issued: for whom, and with which scopes."""

    account: str
    scopes: frozenset[str]


class TokenGrantError(Exception):
    """The token endpoint refuses the grant; `body` is the OAuth error JSON."""

    def __init__(self, error: str, description: str) -> None:
        super().__init__(description)
        self.body = {"error": error, "error_description": description}


class Authority:
    """Registered service accounts and the access tokens issued to them."""

    def __init__(self, token_uri: str) -> None:
        self.token_uri = token_uri
        self._keys: dict[str, str] = {}  # private_key_id -> client_email
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def service_account(self, email: str, project_id: str = "example-project") -> dict[str, Any]:
        """A complete service-account key JSON whose token_uri is the emulator's."""
        private, _public = _key_pair()
        key_id = secrets.token_hex(20)
        with self._lock:
            self._keys[key_id] = email
        return {
            "type": "service_account",
            "project_id": project_id,
            "private_key_id": key_id,
            "private_key": private,
            "client_email": email,
            "client_id": str(int.from_bytes(secrets.token_bytes(8), "big")),
            "auth_uri": "https://accounts.google.com/o/oauth2/auth",
            "token_uri": self.token_uri,
            "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
            "client_x509_cert_url": "https://www.googleapis.com/robot/v1/metadata/x509/"
            + email.replace("@", "%40"),
            "universe_domain": "googleapis.com",
        }

    @property
    def accounts(self) -> set[str]:
        """Every registered client_email."""
        with self._lock:
            return set(self._keys.values())

    def grant(self, form: dict[str, str]) -> dict[str, Any]:
        """Answer a token request: verify the signed JWT, issue an access token."""
        if form.get("grant_type") != JWT_GRANT:
            raise TokenGrantError(
                "unsupported_grant_type", "Invalid grant_type: " + str(form.get("grant_type"))
            )
        with self._lock:
            certs = dict.fromkeys(self._keys, _key_pair()[1])
            keys = dict(self._keys)
        try:
            # Verifies the RS256 signature with the key named by the header's kid, exp/iat
            # and that aud is this token endpoint (or Google's, which google-auth always uses).
            claims = jwt.decode(
                form.get("assertion", ""),
                certs=certs,
                audience=[self.token_uri, GOOGLE_TOKEN_ENDPOINT],
                clock_skew_in_seconds=30,
            )
            header = jwt.decode_header(form.get("assertion", ""))
        except Exception:
            raise TokenGrantError("invalid_grant", "Invalid JWT Signature.") from None
        account = keys.get(str(header.get("kid")))
        if account is None or claims.get("iss") != account:
            raise TokenGrantError("invalid_grant", "Invalid JWT Signature.")
        scopes = frozenset(str(claims.get("scope", "")).split())
        if not scopes & READ_SCOPES:
            raise TokenGrantError(
                "invalid_scope", "Invalid OAuth scope or ID token audience provided."
            )
        token = "ya29.emulator-" + secrets.token_urlsafe(24)
        with self._lock:
            self._tokens[token] = Token(account, scopes)
        return {"access_token": token, "expires_in": 3599, "token_type": "Bearer"}

    def token(self, authorization: str | None) -> Token | None:
        """The token an Authorization header carries, if the emulator issued it."""
        if not authorization or not authorization.startswith("Bearer "):
            return None
        with self._lock:
            return self._tokens.get(authorization[len("Bearer ") :].strip())
