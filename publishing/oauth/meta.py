"""Meta's OAuth: Instagram Login and Threads.

Code → short-lived token (1 h) → long-lived (60 days), refreshed with the token itself
once it is a day old. Meta's long-lived exchange (``ig_exchange_token`` /
``th_exchange_token``) and refresh (``ig_refresh_token`` / ``th_refresh_token``) are not
OAuth grants Authlib knows: they are GETs that trade the access token itself (there is
no refresh token), so they are plain calls through ``core.http.http_session()``.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from typing import Any, ClassVar

import requests
from django.conf import settings

from core.http import http_session
from publishing.oauth.base import (
    Grant,
    Identity,
    OAuthClient,
    OAuthEndpoints,
    OAuthError,
    expires_in,
    json_body,
    platform_errors,
)
from publishing.publishers.instagram import InstagramPublisher
from publishing.publishers.threads import ThreadsPublisher

# Graph API error codes that pass: unknown/service (1, 2), rate limits (4, 17, 32, 613).
META_TRANSIENT_CODES = frozenset({1, 2, 4, 17, 32, 341, 613})


class MetaClient(OAuthClient):
    """Instagram Login and Threads: code → short-lived token (1 h) → long-lived (60 days),
    refreshed with the token itself once it is a day old."""

    exchange_grant: ClassVar[str]
    refresh_grant: ClassVar[str]
    me_fields: ClassVar[str]
    authorize_setting: ClassVar[str]  # settings names of the consent page
    code_setting: ClassVar[str]  # and of the code exchange
    min_refresh_age = dt.timedelta(hours=24)
    refreshes_expired = False

    @classmethod
    def oauth_endpoints(cls, sandbox: bool) -> OAuthEndpoints:
        api = cls.publisher.endpoints(sandbox)
        if sandbox:
            root = api.token
            return OAuthEndpoints(
                f"{root}/oauth/authorize", f"{root}/oauth/access_token", root, api.api
            )
        return OAuthEndpoints(
            getattr(settings, cls.authorize_setting),
            getattr(settings, cls.code_setting),
            api.token,
            api.api,
        )

    def exchange_code(self, *, code: str, redirect_uri: str) -> Grant:
        short = self._fetch_code_token(code=code, redirect_uri=redirect_uri)
        with platform_errors():
            long_lived = self._get(
                f"{self.endpoints.token}/access_token",
                grant_type=self.exchange_grant,
                client_secret=self.client_secret,
                access_token=short["access_token"],
            )
            return Grant(
                access_token=str(long_lived["access_token"]),
                expires_in=expires_in(long_lived),
                scopes=self._scopes(short.get("permissions") or short.get("scope")),
                user_id=str(short.get("user_id") or ""),
            )

    def refresh(self, *, access_token: str, refresh_token: str = "") -> Grant:
        with platform_errors():
            refreshed = self._get(
                f"{self.endpoints.token}/refresh_access_token",
                grant_type=self.refresh_grant,
                access_token=access_token,
            )
            granted = refreshed.get("permissions")
            return Grant(
                access_token=str(refreshed["access_token"]),
                expires_in=expires_in(refreshed),
                scopes=self._scopes(granted) if granted else (),
            )

    def identify(self, grant: Grant) -> Identity:
        with platform_errors():
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
        body = json_body(response)
        if response.status_code != 200 or "error" in body:
            raise _meta_error(response, body)
        return body

    def _fix_token_response(self, response: requests.Response) -> requests.Response:
        body = json_body(response)
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
    publisher = InstagramPublisher
    app_key_settings = ("META_INSTAGRAM_APP_ID", "META_INSTAGRAM_APP_SECRET")
    authorize_setting = "INSTAGRAM_AUTHORIZE_URL"
    code_setting = "INSTAGRAM_CODE_URL"
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
    publisher = ThreadsPublisher
    app_key_settings = ("META_THREADS_APP_ID", "META_THREADS_APP_SECRET")
    authorize_setting = "THREADS_AUTHORIZE_URL"
    code_setting = "THREADS_CODE_URL"
    scopes = ("threads_basic", "threads_content_publish", "threads_manage_insights")
    exchange_grant = "th_exchange_token"
    refresh_grant = "th_refresh_token"
    me_fields = "id,username"


def _meta_error(response: requests.Response, body: Mapping[str, Any]) -> OAuthError:
    """Graph ({"error": {...}}) and Instagram Login ({"error_type", "error_message"})
    errors, with the platform's message kept."""
    nested = body.get("error")
    error: Mapping[str, Any] = nested if isinstance(nested, Mapping) else body
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


def _replace_json(response: requests.Response, body: Mapping[str, Any]) -> requests.Response:
    response._content = json.dumps(body).encode()
    response.headers["Content-Type"] = "application/json"
    return response
