"""One module per platform behind ``publishing.publishers.base.Publisher``."""

from __future__ import annotations

from importlib import import_module

from publishing.publishers.base import Publisher

MODULES = {
    "instagram": ("publishing.publishers.instagram", "InstagramPublisher"),
    "threads": ("publishing.publishers.threads", "ThreadsPublisher"),
    "youtube_shorts": ("publishing.publishers.youtube", "YouTubePublisher"),
    "naver_blog": ("publishing.publishers.naver", "NaverBlogPublisher"),
}


def publisher_for(platform: str) -> Publisher:
    module_name, class_name = MODULES[platform]
    return getattr(import_module(module_name), class_name)()
