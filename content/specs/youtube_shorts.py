"""YouTube Shorts: the video's metadata and script, and YouTube's limits on them."""

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
    hashtags_in,
    normalize_tags,
    repair_script,
    trim_to_sentences,
    utf8_bytes,
    with_attributes,
)


class YouTubeShortsDraft(BaseModel):
    """A YouTube Short: metadata and the video script."""

    title: str
    description: str
    tags: list[str]
    thumbnail_text: str = Field(description="Short text for the cover image")
    video_script: VideoScript
    attributes: CreativeAttributes


def _script_seconds(script: VideoScript | None) -> float:
    return sum(scene.duration_s for scene in script.scenes) if script else 0.0


class YouTubeShortsSpec(ChannelSpec[YouTubeShortsDraft]):
    def check(self, draft: YouTubeShortsDraft) -> list[Problem]:
        limits = self.limits
        problems = common_problems(self, draft)
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
        if draft.attributes.hashtag_count != self.hashtag_count(draft):
            problems.append(
                Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다.")
            )
        return problems

    def repair(self, draft: YouTubeShortsDraft) -> YouTubeShortsDraft:
        limits = self.limits
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
        data = with_attributes(draft, hashtag_count=hashtags_in(description))
        data.update(title=title, description=description, tags=tags)
        repair_script(data)
        return YouTubeShortsDraft.model_validate(data)

    def hashtag_count(self, draft: YouTubeShortsDraft) -> int:
        return hashtags_in(draft.description)

    def title_and_body(self, draft: YouTubeShortsDraft) -> tuple[str, str]:
        return draft.title, draft.description


SPEC = YouTubeShortsSpec(
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
)
