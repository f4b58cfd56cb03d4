"""One module per platform behind ``publishing.publishers.base.Publisher``.

A platform is its publisher class: endpoints, limits and quota window, error parsing,
text rules and the post it builds from a piece. A new platform is one module and one
line in ``PUBLISHERS`` (and one in ``publishing.oauth.CLIENTS`` when it connects with
OAuth).
"""

from __future__ import annotations

from publishing.publishers.base import Endpoints, Publisher
from publishing.publishers.instagram import InstagramPublisher
from publishing.publishers.naver import NaverBlogPublisher
from publishing.publishers.threads import ThreadsPublisher
from publishing.publishers.youtube import YouTubePublisher

PUBLISHERS: dict[str, type[Publisher]] = {
    "instagram": InstagramPublisher,
    "threads": ThreadsPublisher,
    "youtube_shorts": YouTubePublisher,
    "naver_blog": NaverBlogPublisher,
}


def publisher_class(platform: str) -> type[Publisher]:
    """The publisher of ``platform`` (a content.channels.Channel value); its class
    attributes and class methods say what the platform is."""
    try:
        return PUBLISHERS[platform]
    except KeyError:
        raise ValueError(f"no publisher for platform {platform!r}") from None


def publisher_for(platform: str) -> Publisher:
    return publisher_class(platform)()


def endpoints_for(platform: str, sandbox: bool) -> Endpoints:
    """The API roots publishers use for ``platform``: the real one or the sandbox."""
    return publisher_class(platform).endpoints(sandbox)
