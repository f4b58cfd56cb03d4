"""Naver Blog: a long-form local-SEO article, its tags and place keywords."""

from __future__ import annotations

from pydantic import BaseModel, Field

from content.channels import Channel
from content.specs.base import (
    ChannelSpec,
    CreativeAttributes,
    Problem,
    common_problems,
    normalize_tags,
    trim_to_sentences,
    with_attributes,
)


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


class NaverBlogSpec(ChannelSpec[NaverBlogDraft]):
    def check(self, draft: NaverBlogDraft) -> list[Problem]:
        limits = self.limits
        problems = common_problems(self, draft)
        if not draft.title.strip() or len(draft.title) > limits["title_chars"]:
            problems.append(Problem("title", "제목은 1–100자여야 합니다."))
        if any(not s.heading.strip() or not s.body.strip() for s in draft.sections):
            problems.append(Problem("sections", "비어 있는 문단이 있습니다."))
        tags = limits["tags"]
        if len(draft.tags) > tags or normalize_tags(draft.tags, tags) != draft.tags:
            problems.append(Problem("tags", "태그는 30개 이하, 중복 없이 #없이 적어야 합니다."))
        keywords = len(draft.place_keywords)
        if not limits["place_keywords_min"] <= keywords <= limits["place_keywords_max"]:
            problems.append(Problem("place_keywords", "지역 키워드는 2–10개여야 합니다."))
        if draft.attributes.hashtag_count != self.hashtag_count(draft):
            problems.append(Problem("attributes.hashtag_count", "태그 수 속성이 실제와 다릅니다."))
        return problems

    def repair(self, draft: NaverBlogDraft) -> NaverBlogDraft:
        limits = self.limits
        tags = normalize_tags(draft.tags, limits["tags"])
        data = with_attributes(draft, hashtag_count=len(tags))
        data.update(
            title=trim_to_sentences(draft.title, lambda t: len(t) <= limits["title_chars"]),
            tags=tags,
            place_keywords=normalize_tags(draft.place_keywords, limits["place_keywords_max"]),
            sections=[s for s in data["sections"] if s["heading"].strip() and s["body"].strip()],
        )
        return NaverBlogDraft.model_validate(data)

    def hashtag_count(self, draft: NaverBlogDraft) -> int:
        return len(draft.tags)

    def title_and_body(self, draft: NaverBlogDraft) -> tuple[str, str]:
        sections = "\n\n".join(f"{s.heading}\n{s.body}" for s in draft.sections)
        return draft.title, f"{draft.intro}\n\n{sections}\n\n{draft.closing}".strip()


SPEC = NaverBlogSpec(
    Channel.NAVER_BLOG,
    NaverBlogDraft,
    "네이버 블로그",
    formats=("image",),
    long_copy=True,
    limits={"title_chars": 100, "tags": 30, "place_keywords_min": 2, "place_keywords_max": 10},
)
