"""Threads: a short conversational post, and Threads' way of counting its length.

``threads_length`` is the one count the product uses: the spec checks and repairs
drafts with it, the Threads publisher checks a post with it before sending, and the
Threads simulator refuses what it refuses.
"""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from content.channels import Channel
from content.specs.base import (
    ChannelSpec,
    CreativeAttributes,
    Problem,
    common_problems,
    hashtags_in,
    trim_to_sentences,
    with_attributes,
)

# Unicode's Extended_Pictographic code points (emoji-data.txt, Unicode 14; the property
# already covers the blocks kept for future emoji), and the emoji components outside
# ASCII: zero-width joiner, combining keycap, emoji presentation selector, regional
# indicators (flags), skin tones, hair styles and tag characters (subdivision flags).
_PICTOGRAPHIC = (
    (0x00A9, 0x00A9), (0x00AE, 0x00AE), (0x203C, 0x203C), (0x2049, 0x2049),
    (0x2122, 0x2122), (0x2139, 0x2139), (0x2194, 0x2199), (0x21A9, 0x21AA),
    (0x231A, 0x231B), (0x2328, 0x2328), (0x2388, 0x2388), (0x23CF, 0x23CF),
    (0x23E9, 0x23F3), (0x23F8, 0x23FA), (0x24C2, 0x24C2), (0x25AA, 0x25AB),
    (0x25B6, 0x25B6), (0x25C0, 0x25C0), (0x25FB, 0x25FE), (0x2600, 0x2605),
    (0x2607, 0x2612), (0x2614, 0x2685), (0x2690, 0x2705), (0x2708, 0x2712),
    (0x2714, 0x2714), (0x2716, 0x2716), (0x271D, 0x271D), (0x2721, 0x2721),
    (0x2728, 0x2728), (0x2733, 0x2734), (0x2744, 0x2744), (0x2747, 0x2747),
    (0x274C, 0x274C), (0x274E, 0x274E), (0x2753, 0x2755), (0x2757, 0x2757),
    (0x2763, 0x2767), (0x2795, 0x2797), (0x27A1, 0x27A1), (0x27B0, 0x27B0),
    (0x27BF, 0x27BF), (0x2934, 0x2935), (0x2B05, 0x2B07), (0x2B1B, 0x2B1C),
    (0x2B50, 0x2B50), (0x2B55, 0x2B55), (0x3030, 0x3030), (0x303D, 0x303D),
    (0x3297, 0x3297), (0x3299, 0x3299), (0x1F000, 0x1F0FF), (0x1F10D, 0x1F10F),
    (0x1F12F, 0x1F12F), (0x1F16C, 0x1F171), (0x1F17E, 0x1F17F), (0x1F18E, 0x1F18E),
    (0x1F191, 0x1F19A), (0x1F1AD, 0x1F1E5), (0x1F201, 0x1F20F), (0x1F21A, 0x1F21A),
    (0x1F22F, 0x1F22F), (0x1F232, 0x1F23A), (0x1F23C, 0x1F23F), (0x1F249, 0x1F3FA),
    (0x1F400, 0x1F53D), (0x1F546, 0x1F64F), (0x1F680, 0x1F6FF), (0x1F774, 0x1F77F),
    (0x1F7D5, 0x1F7FF), (0x1F80C, 0x1F80F), (0x1F848, 0x1F84F), (0x1F85A, 0x1F85F),
    (0x1F888, 0x1F88F), (0x1F8AE, 0x1F8FF), (0x1F90C, 0x1F93A), (0x1F93C, 0x1F945),
    (0x1F947, 0x1FAFF), (0x1FC00, 0x1FFFD),
)  # fmt: skip
_COMPONENTS = (
    (0x200D, 0x200D), (0x20E3, 0x20E3), (0xFE0F, 0xFE0F), (0x1F1E6, 0x1F1FF),
    (0x1F3FB, 0x1F3FF), (0x1F9B0, 0x1F9B3), (0xE0020, 0xE007F),
)  # fmt: skip
_EMOJI_PART = re.compile(
    "[" + "".join(f"\\U{low:08x}-\\U{high:08x}" for low, high in _PICTOGRAPHIC + _COMPONENTS) + "]"
)


def threads_length(text: str) -> int:
    """Threads' count of ``text``: a character counts one, except that every part of an
    emoji (the pictograph, and the joiners, selectors and modifiers of its sequence)
    counts its UTF-8 bytes, so "😀" is 4 and "❤️" is 3 + 3."""
    return sum(len(ch.encode("utf-8")) if _EMOJI_PART.match(ch) else 1 for ch in text)


class ThreadsDraft(BaseModel):
    """A short conversational Threads post."""

    text: str
    image_headline: str = Field(default="", description="Headline for an optional image")
    attributes: CreativeAttributes


class ThreadsSpec(ChannelSpec[ThreadsDraft]):
    def check(self, draft: ThreadsDraft) -> list[Problem]:
        problems = common_problems(self, draft)
        if not draft.text.strip():
            problems.append(Problem("text", "본문이 비어 있습니다."))
        if threads_length(draft.text) > self.limits["text_units"]:
            problems.append(
                Problem("text", "스레드 글은 500자(이모지는 바이트 수로 계산)를 넘을 수 없습니다.")
            )
        if draft.attributes.format == "image" and not draft.image_headline.strip():
            problems.append(Problem("image_headline", "이미지 형식에는 이미지 제목이 필요합니다."))
        if draft.attributes.hashtag_count != self.hashtag_count(draft):
            problems.append(
                Problem("attributes.hashtag_count", "해시태그 수 속성이 실제와 다릅니다.")
            )
        return problems

    def repair(self, draft: ThreadsDraft) -> ThreadsDraft:
        units = self.limits["text_units"]
        text = trim_to_sentences(draft.text, lambda t: threads_length(t) <= units)
        data = with_attributes(draft, hashtag_count=hashtags_in(text))
        data.update(text=text)
        if draft.attributes.format == "image" and not draft.image_headline.strip():
            data["attributes"]["format"] = "text"
        return ThreadsDraft.model_validate(data)

    def hashtag_count(self, draft: ThreadsDraft) -> int:
        return hashtags_in(draft.text)

    def title_and_body(self, draft: ThreadsDraft) -> tuple[str, str]:
        text = draft.text
        first_line = text.strip().splitlines()[0] if text.strip() else ""
        return trim_to_sentences(first_line, lambda t: len(t) <= 80) or first_line[:80], text


SPEC = ThreadsSpec(
    Channel.THREADS,
    ThreadsDraft,
    "스레드",
    formats=("text", "image"),
    long_copy=False,
    limits={"text_units": 500},  # characters, emoji counted as their UTF-8 bytes
)
