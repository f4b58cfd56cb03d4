"""Where each platform lives for an account: the platform itself, the sandbox, or a
test server. Every URL comes from settings, so the same publisher code serves all."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from publishing.publishers.base import Endpoints

INSTAGRAM_API_VERSION = "v21.0"
THREADS_API_VERSION = "v1.0"


@dataclass(frozen=True)
class OAuthEndpoints:
    authorize: str  # the consent page the owner is sent to
    code: str  # authorization code -> (short-lived) token
    token: str  # Meta: long-lived exchange and refresh root; Google: same as ``code``
    api: str  # where to read who connected (Graph /me, YouTube channels.list)


def endpoints_for(platform: str, sandbox: bool) -> Endpoints:
    """The API roots publishers use for ``platform`` (a content.channels.Channel value)."""
    if platform == "instagram":
        if sandbox:
            root = settings.SANDBOX_INSTAGRAM_URL.rstrip("/")
            return Endpoints(api=f"{root}/{INSTAGRAM_API_VERSION}", token=root)
        return Endpoints(api=settings.INSTAGRAM_GRAPH_URL, token=settings.INSTAGRAM_TOKEN_URL)
    if platform == "threads":
        if sandbox:
            root = settings.SANDBOX_THREADS_URL.rstrip("/")
            return Endpoints(api=f"{root}/{THREADS_API_VERSION}", token=root)
        return Endpoints(api=settings.THREADS_GRAPH_URL, token=settings.THREADS_TOKEN_URL)
    if platform == "youtube_shorts":
        if sandbox:
            root = settings.SANDBOX_YOUTUBE_URL.rstrip("/")
            return Endpoints(
                api=f"{root}/youtube/v3", upload=f"{root}/upload/youtube/v3", token=f"{root}/token"
            )
        return Endpoints(
            api=settings.YOUTUBE_API_URL,
            upload=settings.YOUTUBE_UPLOAD_URL,
            token=settings.GOOGLE_TOKEN_URL,
        )
    if platform == "naver_blog":
        if sandbox:
            return Endpoints(api=f"{settings.SANDBOX_NAVER_URL.rstrip('/')}/xmlrpc")
        return Endpoints(api=settings.NAVER_BLOG_XMLRPC_URL)
    raise ValueError(f"no endpoints for platform {platform!r}")


def oauth_endpoints_for(platform: str, sandbox: bool) -> OAuthEndpoints:
    """The OAuth URLs for connecting an account on ``platform``."""
    api = endpoints_for(platform, sandbox)
    if platform in ("instagram", "threads"):
        if sandbox:
            root = api.token
            return OAuthEndpoints(
                f"{root}/oauth/authorize", f"{root}/oauth/access_token", root, api.api
            )
        prefix = platform.upper()
        return OAuthEndpoints(
            getattr(settings, f"{prefix}_AUTHORIZE_URL"),
            getattr(settings, f"{prefix}_CODE_URL"),
            api.token,
            api.api,
        )
    if platform == "youtube_shorts":
        if sandbox:
            root = settings.SANDBOX_YOUTUBE_URL.rstrip("/")
            return OAuthEndpoints(f"{root}/o/oauth2/v2/auth", api.token, api.token, api.api)
        return OAuthEndpoints(settings.GOOGLE_AUTHORIZE_URL, api.token, api.token, api.api)
    raise ValueError(f"{platform!r} is not connected with OAuth")
