"""A ready-made post shaped like its channel's draft, so that review, preview and
publishing treat it like any written piece: the fields the channel's spec defines, the
title and body lists show, and the creative attributes the learning loop counts.

What the staffer wrote is kept as written and checked by the channel's rules (as a hand
edit is, ``content.editing.checked_copy``); only what they left out is made up: an
Instagram headline from the first sentence, alt text from the shop and the headline,
a blog's place keywords from the shop's area and industry. Instagram and Threads take
closing lines of hashtags out of the text into their tags; a blog's text is split into
sections at lines that start with "## ". The attributes are read from the text where it
says them (format, hashtags, length, emoji, a question or a number first) and neutral
otherwise (a story opening, "visit", no offer).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import ValidationError as PydanticError

from content.channels import Channel
from content.editing import checked_copy
from content.models import ContentPiece
from content.specs import TONES, normalize_hashtags, normalize_tags, trim_to_sentences
from marketing.industries import industry_for
from marketing.models import Business

# Which of the post's parts a channel rule's complaint is about (by the draft field).
PART_OF = {
    "headline": "title",
    "title": "title",
    "image_headline": "title",
    "caption": "text",
    "text": "text",
    "sections": "text",
    "intro": "text",
    "hashtags": "tags",
    "tags": "tags",
    "alt_text": "alt_text",
}
# Characters below which a post is short, and from which it is long.
LENGTHS = {
    Channel.INSTAGRAM: (150, 600),
    Channel.THREADS: (100, 300),
    Channel.NAVER_BLOG: (1200, 2500),
}
HEADLINE_CHARS = 28  # Instagram's image headline (content.specs.instagram)
HASHTAG_LINE = re.compile(r"^(#[^\s#]+\s*)+$")
SECTION = re.compile(r"^##\s*(.+)$")

IMAGE_HEADLINE_CHARS = 40  # a Threads image's headline made from the text
BLOG_SECTIONS = (3, 8)  # content.specs.naver_blog
NO_LIMIT = 10**6  # the channel's rule counts the tags, and says when there are too many


@dataclass(frozen=True)
class Post:
    """What a row says of the post."""

    channel: str
    text: str
    title: str = ""
    tags: str = ""  # words or #words, between spaces or commas
    alt_text: str = ""
    image_name: str | None = None  # None: no image


def ready_made_copy(business: Business, post: Post) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """The piece's copy (model field -> value: fields, title, body and the attributes), and
    what breaks the channel's rules as (the post's part: "title", "text", "tags",
    "alt_text" or "" for the whole post, the reason)."""
    post = Post(**{**post.__dict__, "text": post.text.replace("\r\n", "\n").strip()})
    data = BUILDERS[Channel(post.channel)](business, post)
    low, high = BLOG_SECTIONS
    if post.channel == Channel.NAVER_BLOG and not low <= len(data["sections"]) <= high:
        return {}, [
            ("text", _("네이버 블로그 글은 '## 소제목' 줄로 시작하는 문단이 3–8개 있어야 해요."))
        ]
    attributes = _attributes(business, post)
    draft = ContentPiece(business=business, channel=post.channel, **attributes)
    try:
        copy, problems = checked_copy(draft, data)
    except PydanticError as exc:
        return {}, [
            (
                PART_OF.get(str(e["loc"][0]) if e["loc"] else "", "text"),
                _("형식이 올바르지 않아요."),
            )
            for e in exc.errors()
        ]
    found = [(PART_OF.get(p.field.split(".")[0], ""), p.message) for p in problems]
    return {**attributes, **copy}, found


def split_hashtags(text: str) -> tuple[str, list[str]]:
    """The text without its closing lines of hashtags, and those hashtags."""
    lines = text.rstrip().splitlines()
    tags: list[str] = []
    while lines and HASHTAG_LINE.match(lines[-1].strip()):
        tags = lines.pop().split() + tags
    return "\n".join(lines).rstrip(), tags


def _headline(title: str, text: str, limit: int) -> str:
    line = title or next((line.strip() for line in text.splitlines() if line.strip()), "")
    if title:
        return title  # the staffer's own headline: checked, never cut
    return trim_to_sentences(line, lambda t: len(t) <= limit) or line[: limit - 1] + "…"


def _instagram(business: Business, post: Post) -> dict[str, Any]:
    caption, trailing = split_hashtags(post.text)
    headline = _headline(post.title, caption, HEADLINE_CHARS)
    return {
        "headline": headline,
        "subline": "",
        "caption": caption,
        "hashtags": normalize_hashtags([*_words(post.tags), *trailing], NO_LIMIT),
        "alt_text": post.alt_text or f"{business.name} · {headline}"[:1000],
        "carousel_pages": [],
        "video_script": None,
    }


def _threads(business: Business, post: Post) -> dict[str, Any]:
    text = post.text
    tags = [t for t in normalize_hashtags(_words(post.tags), NO_LIMIT) if t not in text]
    if tags:
        text = f"{text}\n\n{' '.join(tags)}"
    headline = _headline(post.title, text, IMAGE_HEADLINE_CHARS) if post.image_name else ""
    return {"text": text, "image_headline": headline}


def _naver_blog(business: Business, post: Post) -> dict[str, Any]:
    body, trailing = split_hashtags(post.text)
    intro: list[str] = []
    sections: list[dict[str, Any]] = []
    for line in body.splitlines():
        heading = SECTION.match(line.strip())
        if heading:
            sections.append({"heading": heading.group(1).strip(), "lines": []})
        else:
            (sections[-1]["lines"] if sections else intro).append(line)
    title = post.title
    return {
        "title": title,
        "intro": "\n".join(intro).strip(),
        "sections": [
            {"heading": s["heading"], "body": "\n".join(s["lines"]).strip()} for s in sections
        ],
        "image_slots": [{"caption": title or business.name, "suggestion": post.image_name or ""}],
        "closing": "",
        "tags": normalize_tags([*_words(post.tags), *trailing], NO_LIMIT),
        "place_keywords": _place_keywords(business),
    }


BUILDERS = {
    Channel.INSTAGRAM: _instagram,
    Channel.THREADS: _threads,
    Channel.NAVER_BLOG: _naver_blog,
}


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[\s,]+", text) if w.strip()]


def _place_keywords(business: Business) -> list[str]:
    """동네 + 업종 search phrases for the blog, from the shop's area and industry."""
    with translation.override("ko"):
        label = str(industry_for(business.industry).label).split("·")[0]
    words = business.area.split()
    phrases = [f"{words[-1]} {label}" if words else label]
    if len(words) > 1:
        phrases.append(f"{words[-2]} {label}")
    phrases += [f"{words[-1]} {business.name}" if words else business.name, f"{label} 추천"]
    return normalize_tags(phrases, 4)


def _attributes(business: Business, post: Post) -> dict[str, Any]:
    """The creative choices the post embodies, read from its text where it says them."""
    channel, text, image = post.channel, post.text, post.image_name is not None
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    emoji = sum(1 for ch in text if unicodedata.category(ch) == "So")
    short, long_ = LENGTHS[Channel(channel)]
    if channel == Channel.THREADS:
        format_, template = ("image", "gradient_headline") if image else ("text", "text_only")
    else:
        format_, template = "image", "gradient_headline" if image else "photo_band"
    return {
        "hook_style": "question" if first.endswith("?") else "number" if first[:1].isdigit() else "story",
        "tone": business.tone if business.tone in TONES else "friendly",
        "length_bucket": "short" if len(text) < short else "long" if len(text) >= long_ else "medium",
        "emoji_density": "none" if not emoji else "low" if emoji <= 2 else "medium" if emoji <= 5 else "high",
        "hashtag_count": 0,  # counted by the channel's rule when the copy is checked
        "call_to_action": "visit",
        "format": format_,
        "template": template,
        "offer_type": "none",
    }  # fmt: skip
