"""Google's OAuth for YouTube: the web flow with offline access, and the refresh grant,
which keeps the refresh token we sent when Google returns none."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings

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
from publishing.publishers.youtube import YouTubePublisher


class GoogleClient(OAuthClient):
    """Google's web flow: offline access and a consent prompt every time, so a refresh
    token comes back even when the owner had connected before."""

    platform = "youtube_shorts"
    publisher = YouTubePublisher
    app_key_settings = ("GOOGLE_YOUTUBE_CLIENT_ID", "GOOGLE_YOUTUBE_CLIENT_SECRET")
    # Upload, read statistics, and (since the watch-time collector) read YouTube Analytics:
    # an account connected before that one keeps working on statistics alone.
    scopes = (
        "https://www.googleapis.com/auth/youtube.upload",
        "https://www.googleapis.com/auth/youtube.readonly",
        "https://www.googleapis.com/auth/yt-analytics.readonly",
    )
    scope_separator = " "
    authorize_params = {
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
    }

    @classmethod
    def oauth_endpoints(cls, sandbox: bool) -> OAuthEndpoints:
        api = cls.publisher.endpoints(sandbox)
        authorize = (
            f"{settings.SANDBOX_YOUTUBE_URL.rstrip('/')}/o/oauth2/v2/auth"
            if sandbox
            else settings.GOOGLE_AUTHORIZE_URL
        )
        return OAuthEndpoints(authorize, api.token, api.token, api.api)

    def exchange_code(self, *, code: str, redirect_uri: str) -> Grant:
        token = self._fetch_code_token(code=code, redirect_uri=redirect_uri)
        with platform_errors():
            return self._grant(token, refresh_token="")

    def refresh(self, *, access_token: str, refresh_token: str) -> Grant:
        if not refresh_token:
            raise OAuthError("no refresh token stored", permanent=True, code="no_refresh_token")
        session = self.session(token=_bearer(access_token, refresh_token))
        with platform_errors():
            # Authlib puts back the refresh token we sent when Google returns none.
            token = session.refresh_token(self.endpoints.token, refresh_token=refresh_token)
            return self._grant(dict(token), refresh_token=refresh_token)

    def identify(self, grant: Grant) -> Identity:
        session = self.session(token=_bearer(grant.access_token))
        with platform_errors():
            response = session.get(
                f"{self.endpoints.api}/channels", params={"part": "snippet", "mine": "true"}
            )
        body = json_body(response)
        if response.status_code != 200:
            nested = body.get("error")
            error: Mapping[str, Any] = nested if isinstance(nested, Mapping) else {}
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
            expires_in=expires_in(token),
            scopes=self._scopes(token.get("scope")),
        )


def _bearer(access_token: str, refresh_token: str = "") -> dict[str, str]:
    token = {"access_token": access_token, "token_type": "Bearer"}
    if refresh_token:
        token["refresh_token"] = refresh_token
    return token
