"""Guidance the learning loop chooses is what the platform sees: the offline writer's
drafts as published, read by the sandbox audience's own feature extractor."""

from __future__ import annotations

import dataclasses
import re

import pytest
from pydantic import BaseModel

from content.providers.base import ProductInfo
from content.specs import HOOK_STYLES, SPECS, instagram_caption
from sandbox.audience import EMOJI, HASHTAG, AudienceModel
from tests.content.test_offline import (
    CHANNELS,
    GOALS,
    SHOPS,
    guided,
    has_emoji,
    request_for,
    texts_of,
    write,
)

PLATFORMS = {
    "instagram": "instagram",
    "threads": "threads",
    "youtube_shorts": "youtube",
    "naver_blog": "naver_blog",
}
AUDIENCE = AudienceModel.load()


@dataclasses.dataclass(frozen=True)
class Published:
    """A draft as the platform receives it (what ``AudienceModel.features`` reads)."""

    title: str
    text: str
    id: str = "post"
    user_id: str = "owner"
    media_type: str = "IMAGE"
    visible_at: None = None
    visibility: str = "public"
    media: tuple = ()
    image_count: int = 1


def published(draft: BaseModel, channel: str) -> Published:
    if channel == "instagram":
        return Published("", instagram_caption(draft))
    if channel == "threads":
        return Published("", draft.text)
    title, body = SPECS[channel].title_and_body(draft)
    return Published(title, body)


def seen(draft: BaseModel, channel: str) -> dict[str, str]:
    return AUDIENCE.features(PLATFORMS[channel], published(draft, channel))


def hashtags_seen(draft: BaseModel, channel: str) -> int:
    post = published(draft, channel)
    return len(HASHTAG.findall(f"{post.title} {post.text}"))


CASES = [(family, goal, seed) for family in SHOPS for goal in GOALS[:2] for seed in range(2)]


# --- Hashtag count --------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_guided_hashtag_count_is_written_exactly(channel):
    for target in (0, 1, 3, 7, 15, 30):
        for family, goal, seed in CASES[::3]:
            guidance = guided(hashtag_count=str(target))
            draft = write(request_for(channel, family, goal, seed, guidance=guidance))
            # YouTube keeps #Shorts in the description whatever the count, and counts it.
            expected = max(target, 1) if channel == "youtube_shorts" else target

            assert SPECS[channel].check(draft) == [], (target, family, seed)
            assert draft.attributes.hashtag_count == expected
            if channel == "instagram":
                assert len(draft.hashtags) == hashtags_seen(draft, channel) == expected
            elif channel == "naver_blog":
                assert len(draft.tags) == len(set(draft.tags)) == expected
            elif channel == "threads":
                assert hashtags_seen(draft, channel) == expected
            else:
                assert len(re.findall(r"#\w+", draft.description)) == expected
                assert "#Shorts" in draft.description.split()
                # The platform also reads the title's #Shorts.
                assert hashtags_seen(draft, channel) == expected + draft.title.count("#Shorts")


def test_hashtag_targets_zero_and_three_give_different_counts():
    for channel in ("instagram", "threads", "naver_blog"):
        none = write(request_for(channel, guidance=guided(hashtag_count="0")))
        three = write(request_for(channel, guidance=guided(hashtag_count="3")))

        assert (none.attributes.hashtag_count, three.attributes.hashtag_count) == (0, 3)


def test_without_guidance_the_hashtag_count_is_still_drawn_at_random():
    counts = {len(write(request_for("instagram", seed=seed)).hashtags) for seed in range(12)}

    assert len(counts) >= 3 and counts <= set(range(5, 16))


def test_the_owners_own_hash_signs_do_not_add_hashtags():
    products = (ProductInfo("#시그니처 라떼", 5800, "#고소한 #흑임자", True),)
    shop = {"products": products, "name": "#온다커피", "selling_points": ("#직접로스팅",)}
    for channel in ("threads", "youtube_shorts", "instagram"):
        for seed in range(4):
            guidance = guided(hashtag_count="2", length_bucket="long")
            draft = write(request_for(channel, seed=seed, shop=shop, guidance=guidance))

            assert hashtags_seen(draft, channel) - published(draft, channel).title.count("#") == 2


# --- Hook style -----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_only_the_question_hook_asks_in_the_first_line_the_platform_shows(channel):
    for hook in HOOK_STYLES:
        for family, goal, seed in CASES:
            draft = write(
                request_for(channel, family, goal, seed, guidance=guided(hook_style=hook))
            )

            assert seen(draft, channel)["first_line_question"] == (
                "true" if hook == "question" else "false"
            ), (hook, family, goal, seed, published(draft, channel).title)
            assert SPECS[channel].check(draft) == []


def test_a_question_hook_makes_the_shorts_title_a_natural_question():
    titles = set()
    for family, goal, seed in CASES:
        guidance = guided(hook_style="question")
        draft = write(request_for("youtube_shorts", family, goal, seed, guidance=guidance))
        titles.add(draft.title)

        assert len(draft.title) <= 100 and draft.title.endswith(" #Shorts")
        assert re.search(r"[가-힣]\?", draft.title)  # the question is asked in Korean
        assert "(이)" not in draft.title and "{" not in draft.title

    assert len(titles) >= 4


# --- Emoji density ----------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_the_emoji_density_decides_the_first_lines_emoji(channel):
    for density in ("none", "low", "medium", "high"):
        for family, goal, seed in CASES:
            request = request_for(
                channel, family, goal, seed, guidance=guided(emoji_density=density)
            )
            draft = write(request)
            everything = "\n".join(texts_of(draft))

            first_line_emoji = seen(draft, channel)["first_line_emoji"]
            assert first_line_emoji == ("true" if density in ("medium", "high") else "false"), (
                density,
                family,
                seed,
            )
            assert has_emoji(everything) == (density != "none")


@pytest.mark.parametrize("channel", ["youtube_shorts", "naver_blog"])
def test_a_title_takes_one_emoji_at_the_end_for_medium_and_high_density(channel):
    for density in ("medium", "high"):
        for family, goal, seed in CASES:
            request = request_for(
                channel, family, goal, seed, guidance=guided(emoji_density=density)
            )
            title = write(request).title

            assert len(EMOJI.findall(title)) == 1 and len(title) <= 100
            assert EMOJI.search(title.removesuffix(" #Shorts")[-1])


# --- Length --------------------------------------------------------------------------------------


@pytest.mark.parametrize("channel", CHANNELS)
def test_longer_length_buckets_write_clearly_more(channel):
    for family in SHOPS:
        for goal in GOALS:
            for seed in range(3):
                short, medium, long = (
                    len(
                        published(
                            write(request_for(channel, family, goal, seed, guidance=g)), channel
                        ).text.strip()
                    )
                    for g in (guided(length_bucket=b) for b in ("short", "medium", "long"))
                )

                assert medium >= 1.1 * short and long >= 1.1 * medium, (family, goal, seed)
