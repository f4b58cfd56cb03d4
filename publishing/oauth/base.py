"""OAuth 2 for connecting channel accounts: the consent URL, the code exchange, who
connected, and token refresh. One module per provider (``meta``: Instagram Login and
Threads; ``google``: YouTube) behind ``OAuthClient``; ``publishing.oauth`` picks the
client for a platform.

Authlib's requests client does what RFC 6749 standardises: the authorization URL with
its state, the authorization-code exchange (client id and secret in the form body,
``client_secret_post``: Meta documents only that; Google accepts it) and Google's
refresh grant. What a provider does beyond it lives in its module.

Sandbox accounts run this same code against the simulators, with client id and secret
``"sandbox"``. Nothing here touches the database: ``publishing.accounts`` does.
"""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

from core.http import USER_AGENT
from publishing.publishers.base import Publisher

SANDBOX_CLIENT = "sandbox"  # the simulators' client id and secret


class OAuthError(Exception):
    """The platform said no, or could not be reached.

    ``permanent``: asking again will not help (denied, bad code, revoked token) and the
    owner has to act; otherwise it may pass (5xx, 429, timeouts). ``code`` is the
    platform's error code or ours (``no_channel``, ``no_refresh_token``); ``detail``
    keeps the platform's own words.
    """

    def __init__(self, detail: str, *, permanent: bool, code: str = "") -> None:
        super().__init__(detail)
        self.detail = detail
        self.permanent = permanent
        self.code = code


class NotConfigured(Exception):
    """This platform's app keys are not set: only sandbox accounts can connect."""


@dataclass(frozen=True)
class Grant:
    """What a code exchange or a refresh gave: the tokens and what they allow."""

    access_token: str
    refresh_token: str = ""
    expires_in: int | None = None  # seconds from when the platform answered
    scopes: tuple[str, ...] = ()
    user_id: str = ""  # Meta's code exchange names the user; Google's does not

    def expires_at(self, now: dt.datetime) -> dt.datetime | None:
        return now + dt.timedelta(seconds=self.expires_in) if self.expires_in else None


@dataclass(frozen=True)
class Identity:
    """Who connected: the id publishers address and the name the owner recognises."""

    external_id: str
    display_name: str


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize: str  # the consent page the owner is sent to
    code: str  # authorization code -> (short-lived) token
    token: str  # Meta: long-lived exchange and refresh root; Google: same as ``code``
    api: str  # where to read who connected (Graph /me, YouTube channels.list)


class OAuthClient(ABC):
    """One platform's OAuth app (real or sandbox)."""

    platform: ClassVar[str]
    publisher: ClassVar[type[Publisher]]  # where the platform's API lives
    app_key_settings: ClassVar[tuple[str, str]]  # settings names: (client id, client secret)
    scopes: ClassVar[tuple[str, ...]]
    scope_separator: ClassVar[str] = ","
    authorize_params: ClassVar[Mapping[str, str]] = {}
    # A token younger than this cannot be refreshed (Meta: 24 hours).
    min_refresh_age: ClassVar[dt.timedelta] = dt.timedelta(0)
    # Whether an expired token can still be refreshed (Meta's cannot: the owner reconnects).
    refreshes_expired: ClassVar[bool] = True

    def __init__(
        self, *, client_id: str, client_secret: str, endpoints: OAuthEndpoints, sandbox: bool
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.endpoints = endpoints
        self.sandbox = sandbox

    @classmethod
    @abstractmethod
    def oauth_endpoints(cls, sandbox: bool) -> OAuthEndpoints:
        """The OAuth URLs of the real platform (from settings) or of the sandbox."""

    @classmethod
    def app_keys(cls) -> tuple[str, str]:
        """The platform app's (client id, client secret) from settings."""
        client_id, client_secret = cls.app_key_settings
        return getattr(settings, client_id), getattr(settings, client_secret)

    def session(self, **kwargs: Any) -> OAuth2Session:
        """An Authlib session with the house timeouts and user agent."""
        session = OAuth2Session(
            client_id=self.client_id,
            client_secret=self.client_secret,
            token_endpoint_auth_method="client_secret_post",
            default_timeout=(settings.HTTP_CONNECT_TIMEOUT_S, settings.HTTP_READ_TIMEOUT_S),
            **kwargs,
        )
        session.headers["User-Agent"] = USER_AGENT
        return session

    def authorization_url(self, *, redirect_uri: str, state: str) -> str:
        """The consent page to send the owner to; ``state`` comes back with the code."""
        url, _ = self.session(redirect_uri=redirect_uri).create_authorization_url(
            self.endpoints.authorize,
            state=state,
            scope=self.scope_separator.join(self.scopes),
            **self.authorize_params,
        )
        return url

    def can_refresh(self, issued_at: dt.datetime | None, now: dt.datetime) -> bool:
        return issued_at is None or now - issued_at >= self.min_refresh_age

    @abstractmethod
    def exchange_code(self, *, code: str, redirect_uri: str) -> Grant:
        """The code from the consent redirect → the token to keep. Raises OAuthError."""

    @abstractmethod
    def identify(self, grant: Grant) -> Identity:
        """Who this token belongs to. Raises OAuthError."""

    @abstractmethod
    def refresh(self, *, access_token: str, refresh_token: str) -> Grant:
        """A fresh token for a stored one. Raises OAuthError (permanent: reconnect)."""

    # --- Shared steps -----------------------------------------------------------------

    def _fetch_code_token(self, *, code: str, redirect_uri: str) -> dict[str, Any]:
        session = self.session(redirect_uri=redirect_uri)
        session.register_compliance_hook("access_token_response", self._fix_token_response)
        with platform_errors():
            return dict(
                session.fetch_token(self.endpoints.code, code=code, grant_type="authorization_code")
            )

    def _fix_token_response(self, response: requests.Response) -> requests.Response:
        """Reshape a platform's token answer into RFC 6749's before Authlib reads it."""
        return response

    def _scopes(self, granted: object) -> tuple[str, ...]:
        """The scopes the platform says it granted (a list or a separated string), or
        the ones we asked for when it does not say."""
        if isinstance(granted, list | tuple):
            names = [str(name) for name in granted]
        elif isinstance(granted, str):
            names = granted.replace(",", " ").split()
        else:
            names = []
        return tuple(names) or self.scopes


# --- Helpers ----------------------------------------------------------------------------


@contextmanager
def platform_errors() -> Iterator[None]:
    """Authlib and requests errors → OAuthError, permanent or not."""
    try:
        yield
    except OAuthError:
        raise
    except AuthlibBaseError as error:
        code = str(error.error or "")
        raise OAuthError(
            str(error.description or code),
            permanent=code not in ("server_error", "temporarily_unavailable"),
            code=code,
        ) from error
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 0
        raise OAuthError(
            f"HTTP {status}: {error.response.text[:200] if error.response is not None else ''}",
            permanent=400 <= status < 500 and status != 429,
            code=str(status),
        ) from error
    except requests.RequestException as error:
        raise OAuthError(f"{type(error).__name__}: {error}", permanent=False) from error
    except (KeyError, ValueError, TypeError) as error:  # an answer without the fields we need
        raise OAuthError(f"unexpected answer: {error!r}", permanent=False) from error


def json_body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def expires_in(token: Mapping[str, Any]) -> int | None:
    # Some servers send expires_in as a string.
    try:
        seconds = int(token.get("expires_in") or 0)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None
