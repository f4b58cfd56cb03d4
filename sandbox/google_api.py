"""What the YouTube Data API and the YouTube Analytics API share in the sandbox: Google's
error body, its OAuth scopes and how a sandbox token carries the scopes it was granted.

A token's ``kind`` claim is ``access`` or ``refresh``, followed by ``-`` and one letter
per granted scope (``access-aru``). A bare kind is a token issued before tokens
carried scopes: it holds what the consent asked for then, upload and readonly.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from sandbox.server import Reply

UPLOAD_SCOPE = "https://www.googleapis.com/auth/youtube.upload"
READ_SCOPE = "https://www.googleapis.com/auth/youtube.readonly"
MANAGE_SCOPE = "https://www.googleapis.com/auth/youtube"
ANALYTICS_SCOPE = "https://www.googleapis.com/auth/yt-analytics.readonly"
MONETARY_SCOPE = "https://www.googleapis.com/auth/yt-analytics-monetary.readonly"
# What Gagecast's consent asks for: the sandbox's default grant.
DEFAULT_SCOPES = (UPLOAD_SCOPE, READ_SCOPE, ANALYTICS_SCOPE)
LEGACY_SCOPES = (UPLOAD_SCOPE, READ_SCOPE)  # a token whose kind names no scopes
SCOPE_LETTERS = {
    UPLOAD_SCOPE: "u",
    READ_SCOPE: "r",
    MANAGE_SCOPE: "y",
    ANALYTICS_SCOPE: "a",
    MONETARY_SCOPE: "m",
}
STATUS_NAMES = {
    400: "INVALID_ARGUMENT",
    401: "UNAUTHENTICATED",
    403: "PERMISSION_DENIED",
    404: "NOT_FOUND",
    429: "RESOURCE_EXHAUSTED",
    500: "INTERNAL",
    503: "UNAVAILABLE",
}


def scoped_kind(kind: str, scopes: Iterable[str]) -> str:
    """A token kind that carries ``scopes`` (scopes the sandbox does not know are left out)."""
    letters = sorted({SCOPE_LETTERS[scope] for scope in scopes if scope in SCOPE_LETTERS})
    return f"{kind}-{''.join(letters)}"


def scopes_of(kind: str) -> tuple[str, ...]:
    """The scopes a token kind carries (a bare kind: ``LEGACY_SCOPES``)."""
    _, dash, letters = kind.partition("-")
    if not dash:
        return LEGACY_SCOPES
    return tuple(scope for scope, letter in SCOPE_LETTERS.items() if letter in letters)


def requested_scopes(value: object) -> tuple[str, ...]:
    """Scopes from a ``scope`` parameter (space or comma separated); none: the default grant."""
    names = tuple(name for name in str(value or "").replace(",", " ").split() if name)
    return names or DEFAULT_SCOPES


def youtube_error(
    status: int,
    reason: str,
    message: str,
    *,
    domain: str = "youtube.api",
    headers: Mapping[str, str] | None = None,
    location: str | None = None,
) -> Reply:
    """An error the way Google's APIs (YouTube Data, YouTube Analytics) send one."""
    detail: dict[str, Any] = {"message": message, "domain": domain, "reason": reason}
    if location:
        detail.update(
            location=location, locationType="header" if location == "Authorization" else "parameter"
        )
    body = {
        "error": {
            "code": status,
            "message": message,
            "errors": [detail],
            "status": STATUS_NAMES.get(status, "UNKNOWN"),
        }
    }
    return Reply(status=status, body=body, headers=dict(headers or {}))


def oauth_error(error: str, description: str, status: int = 400) -> Reply:
    """An error the way Google's token endpoint sends one."""
    return Reply(status=status, body={"error": error, "error_description": description})


def unauthenticated() -> Reply:
    return youtube_error(
        401,
        "authError",
        "Request had invalid authentication credentials. Expected OAuth 2 access token, login "
        "cookie or other valid authentication credential.",
        domain="global",
        location="Authorization",
        headers={
            "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", error="invalid_token"'
        },
    )


def insufficient_scopes(needed: Iterable[str]) -> Reply:
    """A valid token without a scope the method needs (Google's 403)."""
    return youtube_error(
        403,
        "insufficientPermissions",
        "Request had insufficient authentication scopes.",
        domain="global",
        headers={
            "WWW-Authenticate": 'Bearer realm="https://accounts.google.com/", '
            f'error="insufficient_scope", scope="{" ".join(needed)}"'
        },
    )
