"""What every channel spec shares: the creative attributes, the video script, the
text helpers that measure and trim copy, and the spec itself with its limits and the
checks and repairs common to all channels."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar, get_args

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

HOOK_STYLES: tuple[str, ...] = get_args(HookStyle)
TONES: tuple[str, ...] = get_args(Tone)
LENGTH_BUCKETS: tuple[str, ...] = get_args(LengthBucket)
EMOJI_DENSITIES: tuple[str, ...] = get_args(EmojiDensity)
CALLS_TO_ACTION: tuple[str, ...] = get_args(CallToAction)
FORMATS: tuple[str, ...] = get_args(Format)
OFFER_TYPES: tuple[str, ...] = get_args(OfferType)
TEMPLATES: tuple[str, ...] = get_args(Template)


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


# --- Measuring and trimming text ------------------------------------------------------

# Emoji pictographs: pictographs, emoticons, transport, symbols & pictographs ext. and the
# regional indicators of flags; misc symbols and dingbats; arrows and stars (⭐).
PICTOGRAPHS = "\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff"
# Symbols a voice would read out by name: the pictographs, with the variation selector and
# zero-width joiner inside emoji sequences.
_SPOKEN_SYMBOLS = re.compile(f"[{PICTOGRAPHS}\ufe0f\u200d]")


def without_emoji(text: str) -> str:
    """``text`` with its emoji taken out (a voice would read them out by name)."""
    return re.sub(r"\s{2,}", " ", _SPOKEN_SYMBOLS.sub("", text)).strip()


def utf8_bytes(text: str) -> int:
    return len(text.encode("utf-8"))


def trim_to_sentences(text: str, fits: Callable[[str], bool]) -> str:
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


def hashtags_in(text: str) -> int:
    """How many #words ``text`` carries (the count a text-only channel attributes)."""
    return len(re.findall(r"#\w+", text))


# --- The spec ---------------------------------------------------------------------------

DraftT = TypeVar("DraftT", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """One way a draft breaks its channel's rules, in words an owner understands."""

    field: str
    message: str


@dataclass(frozen=True)
class ChannelSpec(ABC, Generic[DraftT]):
    """One channel's draft model, the platform's limits, and the checks and repairs run
    before a draft is saved (each channel's module fills them in)."""

    channel: Channel
    draft_model: type[DraftT]
    label: str
    formats: tuple[str, ...]
    long_copy: bool  # routed to the stronger model
    limits: dict[str, int] = field(default_factory=dict)

    @abstractmethod
    def check(self, draft: DraftT) -> list[Problem]:
        """What breaks the channel's rules in ``draft`` (empty when it fits)."""

    @abstractmethod
    def repair(self, draft: DraftT) -> DraftT:
        """A deterministic repair that keeps sentences whole; returns a new draft."""

    @abstractmethod
    def title_and_body(self, draft: DraftT) -> tuple[str, str]:
        """What lists and reviews show for a draft: a title line and the main text."""

    @abstractmethod
    def hashtag_count(self, draft: DraftT) -> int:
        """The tags the draft carries, as its ``hashtag_count`` attribute must say."""


# --- Checks and repairs every channel shares ---------------------------------------------

SCENE_CAPTION_CHARS = 24  # on-screen captions must stay readable and clear of overlays


def common_problems(spec: ChannelSpec[Any], draft: BaseModel) -> list[Problem]:
    """The format the channel takes, and readable on-screen captions in a video script."""
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


def repair_script(data: dict[str, Any]) -> None:
    """Shorten on-screen captions in place, keeping whole words."""
    script = data.get("video_script")
    for scene in script["scenes"] if script else []:
        caption = scene["caption"]
        fitted = trim_to_sentences(caption, lambda t: len(t) <= SCENE_CAPTION_CHARS)
        scene["caption"] = fitted or caption[: SCENE_CAPTION_CHARS - 1] + "…"


def with_attributes(draft: BaseModel, **changes: object) -> dict[str, Any]:
    """The draft as data, with some of its attributes changed."""
    data = draft.model_dump()
    data["attributes"].update(changes)
    return data
