"""Channel specs in one place: what each channel's piece contains, the platform's
limits, the creative attributes, and the checks and repairs run before saving.

The Pydantic models double as the Gemini response schemas, so what the model is
asked for and what is validated are the same thing. Platform limits are enforced
here, not trusted to the model.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, Field

from content.channels import Channel

# --- Creative attributes: what the learning loop attributes results to -------------

HookStyle = Literal[
    "question", "number", "benefit", "story", "urgency", "curiosity", "social_proof"
]
Tone = Literal["friendly", "playful", "calm", "professional", "premium"]
LengthBucket = Literal["short", "medium", "long"]
EmojiDensity = Literal["none", "low", "medium", "high"]
CallToAction = Literal[
    "visit", "order", "reserve", "call", "dm", "comment", "save", "share", "link"
]
Format = Literal["image", "carousel", "video", "text"]
OfferType = Literal["none", "discount", "gift", "bundle", "limited", "new_item", "event"]
# Image and video templates of the creative studio (issue 4 renders them).
Template = Literal[
    "photo_band",
    "gradient_headline",
    "brand_card",
    "menu_card",
    "offer_badge",
    "review_quote",
    "carousel",
    "slideshow",
    "text_only",
]

HOOK_STYLES: tuple[str, ...] = HookStyle.__args__  # type: ignore[attr-defined]
TONES: tuple[str, ...] = Tone.__args__  # type: ignore[attr-defined]
LENGTH_BUCKETS: tuple[str, ...] = LengthBucket.__args__  # type: ignore[attr-defined]
EMOJI_DENSITIES: tuple[str, ...] = EmojiDensity.__args__  # type: ignore[attr-defined]
CALLS_TO_ACTION: tuple[str, ...] = CallToAction.__args__  # type: ignore[attr-defined]
FORMATS: tuple[str, ...] = Format.__args__  # type: ignore[attr-defined]
OFFER_TYPES: tuple[str, ...] = OfferType.__args__  # type: ignore[attr-defined]
TEMPLATES: tuple[str, ...] = Template.__args__  # type: ignore[attr-defined]


class CreativeAttributes(BaseModel):
    hook_style: HookStyle = Field(description="How the first line grabs attention")
    tone: Tone
    length_bucket: LengthBucket
    emoji_density: EmojiDensity
    hashtag_count: int = Field(ge=0, le=30)
    call_to_action: CallToAction
    format: Format
    template: Template
    offer_type: OfferType


# --- Video script (Shorts and Reels) ------------------------------------------------


class Scene(BaseModel):
    caption: str = Field(description="On-screen Korean caption, at most 24 characters")
    narration: str = Field(description="One spoken Korean sentence for this scene")
    duration_s: float = Field(ge=1.5, le=10, description="Seconds on screen")


class VideoScript(BaseModel):
    scenes: list[Scene] = Field(min_length=3, max_length=10)


# --- Per-channel drafts (also the Gemini response schemas) --------------------------


class CarouselPage(BaseModel):
    title: str
    body: str


class InstagramDraft(BaseModel):
    """An Instagram feed post, carousel or Reel."""

    headline: str = Field(description="Short headline drawn on the image")
    subline: str = Field(description="One supporting line drawn under the headline")
    caption: str = Field(description="The post caption without hashtags")
    hashtags: list[str] = Field(description="Hashtags without spaces, each starting with #")
    alt_text: str = Field(description="Describes the image for screen readers")
    carousel_pages: list[CarouselPage] = Field(
        default_factory=list, description="2–10 pages when format is carousel, else empty"
    )
    video_script: VideoScript | None = Field(default=None, description="When format is video")
    attributes: CreativeAttributes


class BlogSection(BaseModel):
    heading: str
    body: str


class BlogImageSlot(BaseModel):
    caption: str = Field(description="Caption under the image in the post")
    suggestion: str = Field(description="Which photo to put here")


class NaverBlogDraft(BaseModel):
    """A long-form local-SEO Naver Blog article."""

    title: str
    intro: str
    sections: list[BlogSection] = Field(min_length=3, max_length=8)
    image_slots: list[BlogImageSlot] = Field(min_length=1, max_length=10)
    closing: str
    tags: list[str] = Field(description="Blog tags without #")
    place_keywords: list[str] = Field(description="Neighbourhood + industry search phrases")
    attributes: CreativeAttributes


class YouTubeShortsDraft(BaseModel):
    """A YouTube Short: metadata and the video script."""

    title: str
    description: str
    tags: list[str]
    thumbnail_text: str = Field(description="Short text for the cover image")
    video_script: VideoScript
    attributes: CreativeAttributes


class ThreadsDraft(BaseModel):
    """A short conversational Threads post."""

    text: str
    image_headline: str = Field(default="", description="Headline for an optional image")
    attributes: CreativeAttributes


Draft = InstagramDraft | NaverBlogDraft | YouTubeShortsDraft | ThreadsDraft


# --- Measuring text the way each platform does --------------------------------------

_EMOJI = re.compile(
    "["
    "\U0001f000-\U0001faff"  # pictographs, emoticons, transport, symbols & pictographs ext.
    "\u2600-\u27bf"  # misc symbols and dingbats
    "\u2b00-\u2bff"  # arrows and stars (⭐)
    "\ufe0f\u200d"  # variation selector and zero-width joiner inside emoji sequences
    "\U0001f1e6-\U0001f1ff"  # regional indicators (flags)
    "]"
)


def threads_length(text: str) -> int:
    """Threads' count: characters, except that an emoji counts as its UTF-8 byte length."""
    return sum(len(ch.encode("utf-8")) if _EMOJI.match(ch) else 1 for ch in text)


def without_emoji(text: str) -> str:
    """``text`` with its emoji taken out (a voice would read them out by name)."""
    return re.sub(r"\s{2,}", " ", _EMOJI.sub("", text)).strip()


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def trim_to_sentences(text: str, fits) -> str:  # type: ignore[no-untyped-def]
    """The longest prefix of whole sentences for which ``fits(prefix)`` holds.

    Falls back to whole words, then characters, only when not even one sentence fits.
    """
    text = text.strip()
    if fits(text):
        return text
    pieces = [p for p in re.split(r"(?<=[.!?…~])\s+|\n+", text) if p.strip()]
    kept = ""
    for piece in pieces:
        candidate = f"{kept} {piece}".strip() if kept else piece.strip()
        if not fits(candidate):
            break
        kept = candidate
    if kept:
        return kept
    words = text.split()
    for end in range(len(words), 0, -1):
        candidate = " ".join(words[:end]).rstrip(",") + "…"
        if fits(candidate):
            return candidate
    return ""


def normalize_hashtags(tags: list[str], limit: int) -> list[str]:
    """#-prefixed, no spaces or punctuation inside, no duplicates, at most ``limit``."""
    seen: list[str] = []
    for tag in tags:
        word = re.sub(r"[^\w가-힣]", "", tag.strip().lstrip("#"))
        if word and f"#{word}" not in seen:
            seen.append(f"#{word}")
    return seen[:limit]


def normalize_tags(tags: list[str], limit: int) -> list[str]:
    """Plain tags (no #), trimmed, no duplicates, at most ``limit``."""
    seen: list[str] = []
    for tag in tags:
        word = tag.strip().lstrip("#").strip()
        if word and word not in seen:
            seen.append(word)
    return seen[:limit]


# --- Specs ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One way a draft breaks its channel's rules, in words an owner understands."""

    field: str
    message: str


@dataclass(frozen=True)
class ChannelSpec:
    channel: Channel
    draft_model: type[BaseModel]
    label: str
    formats: tuple[str, ...]
    long_copy: bool  # routed to the stronger model
    limits: dict[str, int] = field(default_factory=dict)

    def check(self, draft: BaseModel) -> list[Problem]:
        return CHECKS[self.channel](self, draft)

    def repair(self, draft: BaseModel) -> BaseModel:
        """A deterministic repair that keeps sentences whole; returns a new draft."""
        return REPAIRS[self.channel](self, draft)


SPECS: dict[str, ChannelSpec] = {
    Channel.INSTAGRAM: ChannelSpec(
        Channel.INSTAGRAM,
        InstagramDraft,
        "인스타그램",
        formats=("image", "carousel", "video"),
        long_copy=True,
        limits={
            "caption_chars": 2200,  # including the hashtags appended to it
            "hashtags": 30,
            "mentions": 20,
            "headline_chars": 28,
            "alt_text_chars": 1000,
            "carousel_min": 2,
            "carousel_max": 10,
        },
    ),
    Channel.NAVER_BLOG: ChannelSpec(
        Channel.NAVER_BLOG,
        NaverBlogDraft,
        "네이버 블로그",
        formats=("image",),
        long_copy=True,
        limits={"title_chars": 100, "tags": 30, "place_keywords_min": 2, "place_keywords_max": 10},
    ),
    Channel.YOUTUBE_SHORTS: ChannelSpec(
        Channel.YOUTUBE_SHORTS,
        YouTubeShortsDraft,
        "유튜브 쇼츠",
        formats=("video",),
        long_copy=True,
        limits={
            "title_chars": 100,
            "description_bytes": 5000,
            "tags_chars": 500,
            "video_min_s": 15,
            "video_max_s": 60,
        },
    ),
    Channel.THREADS: ChannelSpec(
        Channel.THREADS,
        ThreadsDraft,
        "스레드",
        formats=("text", "image"),
        long_copy=False,
        limits={"text_units": 500},
    ),
}


def spec_for(channel: str) -> ChannelSpec:
    return SPECS[Channel(channel)]


# --- Checks ---------------------------------------------------------------------------


def instagram_caption(draft: InstagramDraft) -> str:
    """The caption as published: text, a blank line, then the hashtags."""
    tags = " ".join(draft.hashtags)
    return f"{draft.caption.strip()}\n\n{tags}".strip()


def _script_seconds(script: VideoScript | None) -> float:
    return sum(scene.duration_s for scene in script.scenes) if script else 0.0


SCENE_CAPTION_CHARS = 24  # on-screen captions must stay readable and clear of overlays


def _common(spec: ChannelSpec, draft: BaseModel) -> list[Problem]:
    attributes: CreativeAttributes = draft.attributes  # type: ignore[attr-defined]
    problems = []
    if attributes.format not in spec.formats:
        problems.append(Problem("attributes.format", f"{spec.label}에 맞지 않는 형식입니다."))
    script: VideoScript | None = getattr(draft, "video_script", None)
    if script and any(
        len(s.caption) > SCENE_CAPTION_CHARS or not s.caption.strip() for s in script.scenes
    ):
        problems.append(Problem("video_script", "영상 자막은 장면마다 1–24자여야 합니다."))
    return problems


def _repair_script(data: dict) -> None:
    """Shorten on-screen captions in place, keeping whole words."""
    script = data.get("video_script")
    for scene in script["scenes"] if script else []:
        caption = scene["caption"]
        fitted = trim_to_sentences(caption, lambda t: len(t) <= SCENE_CAPTION_CHARS)
        scene["caption"] = fitted or caption[: SCENE_CAPTION_CHARS - 1] + "…"


def _check_instagram(spec: ChannelSpec, draft: InstagramDraft) -> list[Problem]:
    limits = spec.limits
    problems = _common(spec, draft)
    if not draft.caption.strip():
        problems.append(Problem("caption", "캡션이 비어 있습니다."))
    if len(instagram_caption(draft)) > limits["caption_chars"]:
        problems.append(Problem("caption", "캡션이 해시태그를 포함해 2,200자를 넘습니다."))
    if len(draft.hashtags) > limits["hashtags"]:
        problems.append(Problem("hashtags", "해시태그가 30개를 넘습니다."))
    if normalize_hashtags(draft.hashtags, limits["hashtags"]) != draft.hashtags:
        problems.append(Problem("hashtags", "해시태그 형식이 올바르지 않거나 중복됩니다."))
    if len(re.findall(r"@\w+", draft.caption)) > limits["mentions"]:
        problems.append(Problem("caption", "@언급이 20개를 넘습니다."))
    if not draft.headline.strip() or len(draft.headline) > limits["headline_chars"]:
        problems.append(Problem("headline", "이미지 제목은 1–28자여야 합니다."))
    if not draft.alt_text.strip() or len(draft.alt_text) > limits["alt_text_chars"]:
        problems.append(Problem("alt_text", "대체 텍스트는 1–1,000자여야 합니다."))
    fmt = draft.attributes.format
    pages = len(draft.carousel_pages)
    if fmt == "carousel" and not limits["carousel_min"] <= pages <= limits["carousel_max"]:
        problems.append(Problem("carousel_pages", "캐러셀은 2–10장이어야 합니다."))
    if fmt == "video" and draft.video_script is None:
        problems.append(Problem("video_script", "릴스에는 영상 대본이 필요합니다."))
    if draft.attributes.hashtag_count != len(draft.hashtags):
        problems.append(Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다."))
    return problems


def _check_naver(spec: ChannelSpec, draft: NaverBlogDraft) -> list[Problem]:
    limits = spec.limits
    problems = _common(spec, draft)
    if not draft.title.strip() or len(draft.title) > limits["title_chars"]:
        problems.append(Problem("title", "제목은 1–100자여야 합니다."))
    if any(not s.heading.strip() or not s.body.strip() for s in draft.sections):
        problems.append(Problem("sections", "비어 있는 문단이 있습니다."))
    if len(draft.tags) > limits["tags"] or normalize_tags(draft.tags, limits["tags"]) != draft.tags:
        problems.append(Problem("tags", "태그는 30개 이하, 중복 없이 #없이 적어야 합니다."))
    keywords = len(draft.place_keywords)
    if not limits["place_keywords_min"] <= keywords <= limits["place_keywords_max"]:
        problems.append(Problem("place_keywords", "지역 키워드는 2–10개여야 합니다."))
    if draft.attributes.hashtag_count != len(draft.tags):
        problems.append(Problem("attributes.hashtag_count", "태그 수 속성이 실제와 다릅니다."))
    return problems


def _check_youtube(spec: ChannelSpec, draft: YouTubeShortsDraft) -> list[Problem]:
    limits = spec.limits
    problems = _common(spec, draft)
    if not draft.title.strip() or len(draft.title) > limits["title_chars"]:
        problems.append(Problem("title", "제목은 1–100자여야 합니다."))
    if re.search(r"[<>]", draft.title):
        problems.append(Problem("title", "제목에 < 또는 > 를 쓸 수 없습니다."))
    if utf8_bytes(draft.description) > limits["description_bytes"]:
        problems.append(Problem("description", "설명이 5,000바이트를 넘습니다."))
    if "#shorts" not in f"{draft.title} {draft.description}".lower():
        problems.append(Problem("description", "제목이나 설명에 #Shorts가 있어야 합니다."))
    if sum(len(tag) for tag in draft.tags) > limits["tags_chars"]:
        problems.append(Problem("tags", "태그 전체 길이가 500자를 넘습니다."))
    seconds = _script_seconds(draft.video_script)
    if not limits["video_min_s"] <= seconds <= limits["video_max_s"]:
        problems.append(Problem("video_script", "쇼츠 영상은 15–60초여야 합니다."))
    if draft.attributes.hashtag_count != len(re.findall(r"#\w+", draft.description)):
        problems.append(Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다."))
    return problems


def _check_threads(spec: ChannelSpec, draft: ThreadsDraft) -> list[Problem]:
    problems = _common(spec, draft)
    if not draft.text.strip():
        problems.append(Problem("text", "본문이 비어 있습니다."))
    if threads_length(draft.text) > spec.limits["text_units"]:
        problems.append(
            Problem("text", "스레드 글은 500자(이모지는 바이트 수로 계산)를 넘을 수 없습니다.")
        )
    if draft.attributes.format == "image" and not draft.image_headline.strip():
        problems.append(Problem("image_headline", "이미지 형식에는 이미지 제목이 필요합니다."))
    if draft.attributes.hashtag_count != len(re.findall(r"#\w+", draft.text)):
        problems.append(Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다."))
    return problems


CHECKS = {
    Channel.INSTAGRAM: _check_instagram,
    Channel.NAVER_BLOG: _check_naver,
    Channel.YOUTUBE_SHORTS: _check_youtube,
    Channel.THREADS: _check_threads,
}


# --- Deterministic repairs ------------------------------------------------------------


def _with_attributes(draft: BaseModel, **changes: object) -> dict:
    data = draft.model_dump()
    data["attributes"].update(changes)
    return data


def _repair_instagram(spec: ChannelSpec, draft: InstagramDraft) -> InstagramDraft:
    limits = spec.limits
    hashtags = normalize_hashtags(draft.hashtags, limits["hashtags"])
    tag_room = len(" ".join(hashtags)) + 2
    caption = trim_to_sentences(
        draft.caption, lambda t: len(t) + tag_room <= limits["caption_chars"]
    )
    headline = trim_to_sentences(draft.headline, lambda t: len(t) <= limits["headline_chars"])
    alt_text = trim_to_sentences(draft.alt_text, lambda t: len(t) <= limits["alt_text_chars"])
    data = _with_attributes(draft, hashtag_count=len(hashtags))
    data.update(
        caption=caption,
        hashtags=hashtags,
        headline=headline or draft.headline[: limits["headline_chars"]],
        alt_text=alt_text or draft.headline,
        carousel_pages=data["carousel_pages"][: limits["carousel_max"]],
    )
    _repair_script(data)
    return InstagramDraft.model_validate(data)


def _repair_naver(spec: ChannelSpec, draft: NaverBlogDraft) -> NaverBlogDraft:
    limits = spec.limits
    tags = normalize_tags(draft.tags, limits["tags"])
    data = _with_attributes(draft, hashtag_count=len(tags))
    data.update(
        title=trim_to_sentences(draft.title, lambda t: len(t) <= limits["title_chars"]),
        tags=tags,
        place_keywords=normalize_tags(draft.place_keywords, limits["place_keywords_max"]),
        sections=[s for s in data["sections"] if s["heading"].strip() and s["body"].strip()],
    )
    return NaverBlogDraft.model_validate(data)


def _repair_youtube(spec: ChannelSpec, draft: YouTubeShortsDraft) -> YouTubeShortsDraft:
    limits = spec.limits
    title = re.sub(r"[<>]", "", draft.title)
    title = trim_to_sentences(title, lambda t: len(t) <= limits["title_chars"])
    description = draft.description
    if "#shorts" not in f"{title} {description}".lower():
        description = f"{description.rstrip()}\n\n#Shorts"
    description = trim_to_sentences(
        description, lambda t: utf8_bytes(t) <= limits["description_bytes"]
    )
    tags: list[str] = []
    for tag in normalize_tags(draft.tags, 500):
        if sum(len(t) for t in tags) + len(tag) > limits["tags_chars"]:
            break
        tags.append(tag)
    data = _with_attributes(draft, hashtag_count=len(re.findall(r"#\w+", description)))
    data.update(title=title, description=description, tags=tags)
    _repair_script(data)
    return YouTubeShortsDraft.model_validate(data)


def _repair_threads(spec: ChannelSpec, draft: ThreadsDraft) -> ThreadsDraft:
    text = trim_to_sentences(draft.text, lambda t: threads_length(t) <= spec.limits["text_units"])
    data = _with_attributes(draft, hashtag_count=len(re.findall(r"#\w+", text)))
    data.update(text=text)
    if draft.attributes.format == "image" and not draft.image_headline.strip():
        data["attributes"]["format"] = "text"
    return ThreadsDraft.model_validate(data)


REPAIRS = {
    Channel.INSTAGRAM: _repair_instagram,
    Channel.NAVER_BLOG: _repair_naver,
    Channel.YOUTUBE_SHORTS: _repair_youtube,
    Channel.THREADS: _repair_threads,
}


def title_and_body(draft: BaseModel) -> tuple[str, str]:
    """What lists and reviews show for a draft: a title line and the main text."""
    if isinstance(draft, InstagramDraft):
        return draft.headline, instagram_caption(draft)
    if isinstance(draft, NaverBlogDraft):
        sections = "\n\n".join(f"{s.heading}\n{s.body}" for s in draft.sections)
        return draft.title, f"{draft.intro}\n\n{sections}\n\n{draft.closing}".strip()
    if isinstance(draft, YouTubeShortsDraft):
        return draft.title, draft.description
    text = draft.text  # type: ignore[attr-defined]
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    return trim_to_sentences(first_line, lambda t: len(t) <= 80) or first_line[:80], text
