"""Instagram: a feed post, carousel or Reel, and the platform's caption rules."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from content.channels import Channel
from content.specs.base import (
    ChannelSpec,
    CreativeAttributes,
    Problem,
    VideoScript,
    common_problems,
    normalize_hashtags,
    repair_script,
    trim_to_sentences,
    with_attributes,
)


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


def instagram_caption(draft: InstagramDraft) -> str:
    """The caption as published: text, a blank line, then the hashtags."""
    tags = " ".join(draft.hashtags)
    return f"{draft.caption.strip()}\n\n{tags}".strip()


class InstagramSpec(ChannelSpec[InstagramDraft]):
    def check(self, draft: InstagramDraft) -> list[Problem]:
        limits = self.limits
        problems = common_problems(self, draft)
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
        if draft.attributes.hashtag_count != self.hashtag_count(draft):
            problems.append(
                Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다.")
            )
        return problems

    def repair(self, draft: InstagramDraft) -> InstagramDraft:
        limits = self.limits
        hashtags = normalize_hashtags(draft.hashtags, limits["hashtags"])
        tag_room = len(" ".join(hashtags)) + 2
        caption = trim_to_sentences(
            draft.caption, lambda t: len(t) + tag_room <= limits["caption_chars"]
        )
        headline = trim_to_sentences(draft.headline, lambda t: len(t) <= limits["headline_chars"])
        alt_text = trim_to_sentences(draft.alt_text, lambda t: len(t) <= limits["alt_text_chars"])
        data = with_attributes(draft, hashtag_count=len(hashtags))
        data.update(
            caption=caption,
            hashtags=hashtags,
            headline=headline or draft.headline[: limits["headline_chars"]],
            alt_text=alt_text or draft.headline,
            carousel_pages=data["carousel_pages"][: limits["carousel_max"]],
        )
        repair_script(data)
        return InstagramDraft.model_validate(data)

    def hashtag_count(self, draft: InstagramDraft) -> int:
        return len(draft.hashtags)

    def title_and_body(self, draft: InstagramDraft) -> tuple[str, str]:
        return draft.headline, instagram_caption(draft)


SPEC = InstagramSpec(
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
)
