"""Google's JSON error envelope, and the bodies of the errors a test can inject."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

# The canonical status and message Google's front end gives each HTTP code.
_STATUS = {
    400: ("INVALID_ARGUMENT", "Request contains an invalid argument."),
    401: (
        "UNAUTHENTICATED",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential. See "
        "https://developers.google.com/identity/sign-in/web/devconsole-project.",
    ),
    403: ("PERMISSION_DENIED", "The caller does not have permission"),
    404: ("NOT_FOUND", "Requested entity was not found."),
    409: ("ABORTED", "The operation was aborted."),
    429: ("RESOURCE_EXHAUSTED", "Resource has been exhausted (e.g. check quota)."),
    500: ("INTERNAL", "Internal error encountered."),
    503: ("UNAVAILABLE", "The service is currently unavailable."),
    504: ("DEADLINE_EXCEEDED", "The service is currently unavailable."),
}
CONSUMER = "123456789"


def _phrase(code: int) -> str:
    try:
        return HTTPStatus(code).phrase
    except ValueError:
        return "Error"


class ApiError(Exception):
    """An error answer: raised anywhere in a handler, sent as Google's envelope."""

    def __init__(
        self,
        code: int,
        message: str | None = None,
        *,
        status: str | None = None,
        details: list[dict[str, Any]] | None = None,
    ) -> None:
        default_status, default_message = _STATUS.get(code, ("UNKNOWN", _phrase(code)))
        self.code = code
        self.message = message if message is not None else default_message
        self.status = status or default_status
        self.details = details
        super().__init__(f"{code} {self.status}: {self.message}")

    def envelope(self) -> dict[str, Any]:
        """{"error": {"code", "message", "status", ["details"]}}."""
        error: dict[str, Any] = {"code": self.code, "message": self.message, "status": self.status}
        if self.details:
            error["details"] = self.details
        return {"error": error}


def quota_error(*, write: bool) -> ApiError:
    """The 429 Google answers when the per-minute, per-user quota is used up."""
    kind = "Write" if write else "Read"
    message = (
        f"Quota exceeded for quota metric '{kind} requests' and limit '{kind} requests per "
        f"minute per user' of service 'sheets.googleapis.com' for consumer "
        f"'project_number:{CONSUMER}'."
    )
    info = {
        "@type": "type.googleapis.com/google.rpc.ErrorInfo",
        "reason": "RATE_LIMIT_EXCEEDED",
        "domain": "googleapis.com",
        "metadata": {
            "service": "sheets.googleapis.com",
            "quota_metric": f"sheets.googleapis.com/{kind.lower()}_requests",
            "quota_limit": f"{kind}RequestsPerMinutePerUser",
            "consumer": f"projects/{CONSUMER}",
        },
    }
    return ApiError(429, message, details=[info])


def injected_error(code: int, *, write: bool) -> ApiError:
    """The error fail_next sends for a status code, with Google's wording."""
    if code == 429:
        return quota_error(write=write)
    return ApiError(code)


def bad_request(message: str) -> ApiError:
    """400 INVALID_ARGUMENT with this message."""
    return ApiError(400, message)
