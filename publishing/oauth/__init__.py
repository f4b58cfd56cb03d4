"""OAuth 2 for connecting channel accounts, one module per provider (``meta``,
``google``) behind ``publishing.oauth.base.OAuthClient``. A platform connected with
OAuth is one line in ``CLIENTS``.
"""

from __future__ import annotations

from publishing.oauth.base import (
    SANDBOX_CLIENT,
    Grant,
    Identity,
    NotConfigured,
    OAuthClient,
    OAuthEndpoints,
    OAuthError,
)
from publishing.oauth.google import GoogleClient
from publishing.oauth.meta import InstagramClient, ThreadsClient

__all__ = [
    "CLIENTS",
    "OAUTH_PLATFORMS",
    "Grant",
    "Identity",
    "NotConfigured",
    "OAuthClient",
    "OAuthEndpoints",
    "OAuthError",
    "api_configured",
    "client_for",
]

CLIENTS: dict[str, type[OAuthClient]] = {
    "instagram": InstagramClient,
    "threads": ThreadsClient,
    "youtube_shorts": GoogleClient,
}
OAUTH_PLATFORMS = tuple(CLIENTS)


def api_configured(platform: str) -> bool:
    """Whether real accounts can be connected on ``platform`` (its app keys are set)."""
    return platform in CLIENTS and all(CLIENTS[platform].app_keys())


def client_for(platform: str, *, sandbox: bool) -> OAuthClient:
    """The OAuth client for ``platform``: the real app, or the simulator's.

    Raises NotConfigured for a real platform whose app keys are not set."""
    if platform not in CLIENTS:
        raise ValueError(f"{platform!r} is not connected with OAuth")
    client_class = CLIENTS[platform]
    if sandbox:
        client_id = client_secret = SANDBOX_CLIENT
    else:
        client_id, client_secret = client_class.app_keys()
        if not (client_id and client_secret):
            raise NotConfigured(f"the {platform} app keys are not set")
    return client_class(
        client_id=client_id,
        client_secret=client_secret,
        endpoints=client_class.oauth_endpoints(sandbox),
        sandbox=sandbox,
    )
