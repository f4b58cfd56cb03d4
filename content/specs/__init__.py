"""Channel specs: what each channel's piece contains, the platform's limits, the
creative attributes, and the checks and repairs run before saving.

The Pydantic models double as the Gemini response schemas, so what the model is
asked for and what is validated are the same thing. Platform limits are enforced
here, not trusted to the model. One module per channel (``instagram``,
``naver_blog``, ``youtube_shorts``, ``threads``) on a shared ``base``; a new channel
is one new module plus a line in ``SPECS``.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from content.channels import Channel
from content.specs import instagram, naver_blog, threads, youtube_shorts
from content.specs.base import (
    CALLS_TO_ACTION,
    EMOJI_DENSITIES,
    FORMATS,
    HOOK_STYLES,
    LENGTH_BUCKETS,
    OFFER_TYPES,
    TEMPLATES,
    TONES,
    ChannelSpec,
    CreativeAttributes,
    Problem,
    Scene,
    VideoScript,
    normalize_hashtags,
    normalize_tags,
    trim_to_sentences,
    utf8_bytes,
    without_emoji,
)
from content.specs.instagram import CarouselPage, InstagramDraft, instagram_caption
from content.specs.naver_blog import BlogImageSlot, BlogSection, NaverBlogDraft
from content.specs.threads import ThreadsDraft, threads_length
from content.specs.youtube_shorts import YouTubeShortsDraft

Draft = InstagramDraft | NaverBlogDraft | YouTubeShortsDraft | ThreadsDraft

SPECS: dict[str, ChannelSpec[Any]] = {
    Channel.INSTAGRAM: instagram.SPEC,
    Channel.NAVER_BLOG: naver_blog.SPEC,
    Channel.YOUTUBE_SHORTS: youtube_shorts.SPEC,
    Channel.THREADS: threads.SPEC,
}


def spec_for(channel: str) -> ChannelSpec[Any]:
    return SPECS[Channel(channel)]


def title_and_body(draft: BaseModel) -> tuple[str, str]:
    """What lists and reviews show for a draft: a title line and the main text."""
    spec = next(spec for spec in SPECS.values() if isinstance(draft, spec.draft_model))
    return spec.title_and_body(draft)


__all__ = [
    "CALLS_TO_ACTION",
    "EMOJI_DENSITIES",
    "FORMATS",
    "HOOK_STYLES",
    "LENGTH_BUCKETS",
    "OFFER_TYPES",
    "SPECS",
    "TEMPLATES",
    "TONES",
    "BlogImageSlot",
    "BlogSection",
    "CarouselPage",
    "ChannelSpec",
    "CreativeAttributes",
    "Draft",
    "InstagramDraft",
    "NaverBlogDraft",
    "Problem",
    "Scene",
    "ThreadsDraft",
    "VideoScript",
    "YouTubeShortsDraft",
    "instagram_caption",
    "normalize_hashtags",
    "normalize_tags",
    "spec_for",
    "threads_length",
    "title_and_body",
    "trim_to_sentences",
    "utf8_bytes",
    "without_emoji",
]
