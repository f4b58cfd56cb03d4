"""OAuth 2 for connecting channel accounts: the consent URL, the code exchange, who
connected, and token refresh, for Instagram (Instagram Login), Threads and YouTube
(Google).

Authlib's requests client does what RFC 6749 standardises: the authorization URL with
its state, the authorization-code exchange (client id and secret in the form body,
``client_secret_post``: Meta documents only that; Google accepts it) and Google's
refresh grant, which keeps the refresh token we sent when Google returns none.

Meta's long-lived exchange (``ig_exchange_token`` / ``th_exchange_token``) and refresh
(``ig_refresh_token`` / ``th_refresh_token``) are not OAuth grants Authlib knows: they
are GETs that trade the access token itself (there is no refresh token), so they are
plain calls through ``core.http.http_session()``.

Sandbox accounts run this same code against the simulators, with client id and secret
``"sandbox"``. Nothing here touches the database: ``publishing.accounts`` does.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, ClassVar

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.requests_client import OAuth2Session
from django.conf import settings

from core.http import USER_AGENT, http_session
from publishing.endpoints import OAuthEndpoints, oauth_endpoints_for

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


class OAuthClient(ABC):
    """One platform's OAuth app (real or sandbox)."""

    platform: ClassVar[str]
    scopes: ClassVar[tuple[str, ...]]
    scope_separator: ClassVar[str] = ","
    authorize_params: ClassVar[Mapping[str, str]] = {}
    # A token younger than this cannot be refreshed (Meta: 24 hours).
    min_refresh_age: ClassVar[dt.timedelta] = dt.timedelta(0)

    def __init__(
        self, *, client_id: str, client_secret: str, endpoints: OAuthEndpoints, sandbox: bool
    ) -> None:
        self.client_id = client_id
        self.client_secret = client_secret
        self.endpoints = endpoints
        self.sandbox = sandbox

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
        with _platform_errors():
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


# --- Meta: Instagram Login and Threads --------------------------------------------------

# Graph API error codes that pass: unknown/service (1, 2), rate limits (4, 17, 32, 613).
META_TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613})


class MetaClient(OAuthClient):
    """Instagram Login and Threads: code → short-lived token (1 h) → long-lived (60 days),
    refreshed with the token itself once it is a day old."""

    exchange_grant: ClassVar[str]
    refresh_grant: ClassVar[str]
    me_fields: ClassVar[str]
    min_refresh_age = dt.timedelta(hours=24)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Grant:
        short = self._fetch_code_token(code=code, redirect_uri=redirect_uri)
        with _platform_errors():
            long_lived = self._get(
                f"{self.endpoints.token}/access_token",
                grant_type=self.exchange_grant,
                client_secret=self.client_secret,
                access_token=short["access_token"],
            )
            return Grant(
                access_token=str(long_lived["access_token"]),
                expires_in=_expires_in(long_lived),
                scopes=self._scopes(short.get("permissions") or short.get("scope")),
                user_id=str(short.get("user_id") or ""),
            )

    def refresh(self, *, access_token: str, refresh_token: str = "") -> Grant:
        with _platform_errors():
            refreshed = self._get(
                f"{self.endpoints.token}/refresh_access_token",
                grant_type=self.refresh_grant,
                access_token=access_token,
            )
            granted = refreshed.get("permissions")
            return Grant(
                access_token=str(refreshed["access_token"]),
                expires_in=_expires_in(refreshed),
                scopes=self._scopes(granted) if granted else (),
            )

    def identify(self, grant: Grant) -> Identity:
        with _platform_errors():
            me = self._get(
                f"{self.endpoints.api}/me", fields=self.me_fields, access_token=grant.access_token
            )
        # Instagram: user_id is the professional account id publishing addresses.
        external_id = str(me.get("user_id") or me.get("id") or grant.user_id)
        if not external_id:
            raise OAuthError("/me named no account", permanent=True, code="no_account")
        return Identity(external_id=external_id, display_name=str(me.get("username") or ""))

    def _get(self, url: str, **params: str) -> dict[str, Any]:
        response = http_session().get(url, params=params)
        body = _json(response)
        if response.status_code != 200 or "error" in body:
            raise _meta_error(response, body)
        return body

    def _fix_token_response(self, response: requests.Response) -> requests.Response:
        body = _json(response)
        if response.status_code >= 400 or "error" in body or "error_type" in body:
            error = _meta_error(response, body)
            if not error.permanent:
                raise error
            return _replace_json(response, {"error": error.code, "error_description": error.detail})
        # Instagram Login wraps the token in {"data": [{...}]}; Threads does not.
        data = body.get("data")
        if isinstance(data, list) and data and isinstance(data[0], dict):
            body = {**data[0]}
        body.setdefault("token_type", "bearer")
        return _replace_json(response, body)


class InstagramClient(MetaClient):
    platform = "instagram"
    scopes = (
        "instagram_business_basic",
        "instagram_business_content_publish",
        "instagram_business_manage_insights",
    )
    exchange_grant = "ig_exchange_token"
    refresh_grant = "ig_refresh_token"
    me_fields = "user_id,username"


class ThreadsClient(MetaClient):
    platform = "threads"
    scopes = ("threads_basic", "threads_content_publish", "threads_manage_insights")
    exchange_grant = "th_exchange_token"
    refresh_grant = "th_refresh_token"
    me_fields = "id,username"


def _meta_error(response: requests.Response, body: Mapping[str, Any]) -> OAuthError:
    """Graph ({"error": {...}}) and Instagram Login ({"error_type", "error_message"})
    errors, with the platform's message kept."""
    error = body.get("error") if isinstance(body.get("error"), Mapping) else body
    code = error.get("code")
    message = (
        error.get("message")
        or error.get("error_message")
        or error.get("error_description")
        or (error.get("error") if isinstance(error.get("error"), str) else "")
        or response.text[:200]
        or f"HTTP {response.status_code}"
    )
    transient = (
        response.status_code >= 500
        or response.status_code == 429
        or code in META_TRANSIENT_CODES
        or bool(error.get("is_transient"))
    )
    label = error.get("type") or error.get("error_type") or error.get("error") or ""
    return OAuthError(
        str(message),
        permanent=not transient,
        code=str(code if code is not None else label or response.status_code),
    )


# --- Google: YouTube ------------------------------------------------------------------


class GoogleClient(OAuthClient):
    """Google's web flow: offline access and a consent prompt every time, so a refresh
    token comes back even when the owner had connected before."""

    platform = "youtube_shorts"
    scopes = (
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
    )
    scope_separator = " "
    authorize_params = {
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
    }

    def exchange_code(self, *, code: str, redirect_uri: str) -> Grant:
        token = self._fetch_code_token(code=code, redirect_uri=redirect_uri)
        with _platform_errors():
            return self._grant(token, refresh_token="")

    def refresh(self, *, access_token: str, refresh_token: str) -> Grant:
        if not refresh_token:
            raise OAuthError("no refresh token stored", permanent=True, code="no_refresh_token")
        session = self.session(token=_bearer(access_token, refresh_token))
        with _platform_errors():
            # Authlib puts back the refresh token we sent when Google returns none.
            token = session.refresh_token(self.endpoints.token, refresh_token=refresh_token)
            return self._grant(dict(token), refresh_token=refresh_token)

    def identify(self, grant: Grant) -> Identity:
        session = self.session(token=_bearer(grant.access_token))
        with _platform_errors():
            response = session.get(
                f"{self.endpoints.api}/channels", params={"part": "snippet", "mine": "true"}
            )
        body = _json(response)
        if response.status_code != 200:
            error = body.get("error") if isinstance(body.get("error"), Mapping) else {}
            raise OAuthError(
                str(error.get("message") or response.text[:200] or response.status_code),
                permanent=response.status_code < 500 and response.status_code != 429,
                code=str(response.status_code),
            )
        items = body.get("items") or []
        if not items or not isinstance(items[0], Mapping) or not items[0].get("id"):
            raise OAuthError(
                "this Google account has no YouTube channel", permanent=True, code="no_channel"
            )
        channel = items[0]
        return Identity(
            external_id=str(channel["id"]),
            display_name=str((channel.get("snippet") or {}).get("title") or ""),
        )

    def _grant(self, token: Mapping[str, Any], *, refresh_token: str) -> Grant:
        return Grant(
            access_token=str(token["access_token"]),
            refresh_token=str(token.get("refresh_token") or refresh_token),
            expires_in=_expires_in(token),
            scopes=self._scopes(token.get("scope")),
        )


# --- Which client -----------------------------------------------------------------------

CLIENTS: dict[str, type[OAuthClient]] = {
    "instagram": InstagramClient,
    "threads": ThreadsClient,
    "youtube_shorts": GoogleClient,
}
OAUTH_PLATFORMS = tuple(CLIENTS)


def app_keys(platform: str) -> tuple[str, str]:
    """The platform app's (client id, client secret) from settings."""
    names = {
        "instagram": ("META_INSTAGRAM_APP_ID", "META_INSTAGRAM_APP_SECRET"),
        "threads": ("META_THREADS_APP_ID", "META_THREADS_APP_SECRET"),
        "youtube_shorts": ("GOOGLE_YOUTUBE_CLIENT_ID", "GOOGLE_YOUTUBE_CLIENT_SECRET"),
    }[platform]
    return getattr(settings, names[0]), getattr(settings, names[1])


def api_configured(platform: str) -> bool:
    """Whether real accounts can be connected on ``platform`` (its app keys are set)."""
    return platform in CLIENTS and all(app_keys(platform))


def client_for(platform: str, *, sandbox: bool) -> OAuthClient:
    """The OAuth client for ``platform``: the real app, or the simulator's.

    Raises NotConfigured for a real platform whose app keys are not set."""
    if platform not in CLIENTS:
        raise ValueError(f"{platform!r} is not connected with OAuth")
    if sandbox:
        client_id = client_secret = SANDBOX_CLIENT
    else:
        client_id, client_secret = app_keys(platform)
        if not (client_id and client_secret):
            raise NotConfigured(f"the {platform} app keys are not set")
    return CLIENTS[platform](
        client_id=client_id,
        client_secret=client_secret,
        endpoints=oauth_endpoints_for(platform, sandbox),
        sandbox=sandbox,
    )


# --- Helpers ----------------------------------------------------------------------------


@contextmanager
def _platform_errors() -> Iterator[None]:
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


def _json(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _replace_json(response: requests.Response, body: Mapping[str, Any]) -> requests.Response:
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response


def _expires_in(token: Mapping[str, Any]) -> int | None:
    # Some servers send expires_in as a string.
    try:
        seconds = int(token.get("expires_in") or 0)
    except (TypeError, ValueError):
        return None
    return seconds if seconds > 0 else None


def _bearer(access_token: str, refresh_token: str = "") -> dict[str, str]:
    token = {"access_token": access_token, "token_type": "Bearer"}
    if refresh_token:
        token["refresh_token"] = refresh_token
    return token
