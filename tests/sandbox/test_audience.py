"""The sandbox audience model: engagement from what a platform can see of a post."""

from __future__ import annotations

import datetime as dt
import json
import statistics
from dataclasses import replace
from pathlib import Path

import pytest

from sandbox.audience import DEFAULT_PATH, AudienceModel
from sandbox.media import MediaStats
from sandbox.platform import SandboxPost

SEOUL_8PM = dt.datetime(2026, 3, 6, 11, 0, tzinfo=dt.UTC)  # a Friday, 20:00 in Seoul


def post(**changes: object) -> SandboxPost:
    base = SandboxPost(
        id="17900000000000001",
        platform="instagram",
        user_id="17841400000000001",
        username="yeonnam_cafe",
        media_type="IMAGE",
        published_at=SEOUL_8PM,
        text="봄 신메뉴 딸기 라떼 나왔어요 #연남동카페 #라떼",
        media=(
            MediaStats("u", "image/jpeg", 1000, 1080, 1350, brightness=0.55, colourfulness=0.3),
        ),
    )
    return replace(base, **changes)


@pytest.fixture
def model() -> AudienceModel:
    return AudienceModel.load(seed=0)


def test_the_default_file_covers_every_platform(model: AudienceModel):
    assert set(model.platforms) == {"instagram", "threads", "youtube", "naver_blog"}
    assert model.spec("instagram").metric_names == (
        "views", "reach", "likes", "comments", "saved", "shares", "total_interactions",
    )  # fmt: skip
    assert model.spec("threads").metric_names == (
        "views",
        "likes",
        "replies",
        "reposts",
        "quotes",
        "shares",
    )


def test_numbers_are_zero_until_the_post_is_visible_then_grow(model: AudienceModel):
    seen = [
        model.metrics("instagram", post(), SEOUL_8PM + dt.timedelta(hours=hours))["views"]
        for hours in (0, 1, 6, 24, 24 * 7, 24 * 60)
    ]

    assert seen[0] == 0
    assert seen == sorted(seen)
    assert seen[1] < seen[3] < seen[-1]


def test_half_of_the_final_numbers_arrive_at_the_half_life(model: AudienceModel):
    half_life = model.spec("instagram").half_life_hours

    assert model.accumulated("instagram", half_life) == pytest.approx(0.5)
    assert model.accumulated("instagram", 0) == 0.0
    assert model.accumulated("instagram", 10_000) > 0.99


def test_numbers_are_deterministic_per_seed_and_post(model: AudienceModel):
    later = SEOUL_8PM + dt.timedelta(days=3)

    again = AudienceModel.load(seed=0).metrics("instagram", post(), later)
    other_seed = AudienceModel.load(seed=1).metrics("instagram", post(), later)
    other_post = model.metrics("instagram", post(id="17900000000000002"), later)

    assert model.metrics("instagram", post(), later) == again
    assert again != other_seed
    assert again != other_post


def test_reach_never_exceeds_views_and_interactions_add_up(model: AudienceModel):
    for n in range(50):
        numbers = model.metrics("instagram", post(id=str(n)), SEOUL_8PM + dt.timedelta(days=5))
        assert numbers["reach"] <= numbers["views"]
        assert numbers["total_interactions"] == sum(
            numbers[name] for name in ("likes", "comments", "saved", "shares")
        )


def test_features_are_what_the_platform_can_see(model: AudienceModel):
    features = model.features(
        "instagram",
        post(
            text="이번 주말 뭐 하세요? 🍓\n딸기 라떼 " + "#태그 " * 7,
            media=(MediaStats("u", "image/jpeg", 1, 1, 1, brightness=0.1, colourfulness=0.8),),
        ),
    )

    assert features["first_line_question"] == "true"
    assert features["first_line_emoji"] == "true"
    assert features["hashtag_count"] == "some"
    assert features["caption_length"] == "short"
    assert (features["brightness"], features["colourfulness"]) == ("dark", "vivid")
    assert (features["weekday"], features["hour"]) == ("fri", "20")


def test_an_image_that_did_not_decode_is_unknown_not_dark(model: AudienceModel):
    features = model.features("instagram", post(media=(MediaStats("u", "image/jpeg", 10),)))

    assert features["brightness"] == features["colourfulness"] == "unknown"


def test_the_effects_in_the_file_move_the_expected_numbers(model: AudienceModel):
    base = model.features("instagram", post())
    reel = {**base, "media_type": "REELS"}
    at_4am = {**base, "hour": "4"}

    expected = model.expected("instagram", base, followers=1000)

    assert model.expected("instagram", reel, followers=1000)["views"] > expected["views"]
    assert model.expected("instagram", at_4am, followers=1000)["views"] < expected["views"]
    assert expected["views"] == pytest.approx(1000 * 0.35 * model.multiplier("instagram", base))


def test_a_question_earns_more_comments_per_view(model: AudienceModel):
    plain = model.features("instagram", post())
    asking = {**plain, "first_line_question": "true"}

    plain_rate = model.expected("instagram", plain, followers=1000)
    asking_rate = model.expected("instagram", asking, followers=1000)

    assert (
        asking_rate["comments"] / asking_rate["views"]
        > plain_rate["comments"] / plain_rate["views"]
    )


def test_the_noise_averages_out_to_the_expected_numbers(model: AudienceModel):
    at = SEOUL_8PM + dt.timedelta(days=365)
    sample = [post(id=str(n), user_id="same-account") for n in range(400)]
    followers = model.followers("instagram", "same-account", SEOUL_8PM)
    expected = model.expected(
        "instagram", model.features("instagram", sample[0]), followers=followers
    )

    mean_views = statistics.mean(model.metrics("instagram", p, at)["views"] for p in sample)

    assert mean_views == pytest.approx(
        expected["views"] * model.accumulated("instagram", 365 * 24), rel=0.1
    )


def test_followers_grow_every_day(model: AudienceModel):
    today = model.followers("instagram", "acct", SEOUL_8PM)
    in_a_month = model.followers("instagram", "acct", SEOUL_8PM + dt.timedelta(days=30))

    assert in_a_month - today == pytest.approx(30 * 3.0, abs=1)


def test_private_or_draft_posts_earn_nothing(model: AudienceModel):
    later = SEOUL_8PM + dt.timedelta(days=3)
    video = post(platform="youtube", media_type="VIDEO", title="라떼 #Shorts", visibility="private")
    draft = post(platform="naver_blog", media_type="BLOG", title="초안", visibility="draft")

    assert model.metrics("youtube", video, later)["views"] == 0
    assert model.metrics("naver_blog", draft, later)["views"] == 0
    assert model.metrics("youtube", replace(video, visibility="public"), later)["views"] > 0


def test_a_scheduled_post_counts_from_when_it_becomes_visible(model: AudienceModel):
    publish_at = SEOUL_8PM + dt.timedelta(days=2)
    scheduled = post(platform="youtube", media_type="VIDEO", title="예약", visible_from=publish_at)

    assert model.metrics("youtube", scheduled, publish_at - dt.timedelta(minutes=1))["views"] == 0
    assert model.metrics("youtube", scheduled, publish_at + dt.timedelta(days=1))["views"] > 0


def test_a_custom_file_replaces_the_default(tmp_path: Path):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    data["platforms"]["instagram"]["views_per_follower"] = 0.0
    path = tmp_path / "silent.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    silent = AudienceModel.load(path)

    assert silent.metrics("instagram", post(), SEOUL_8PM + dt.timedelta(days=9))["views"] == 0


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (lambda data: data["platforms"]["threads"].pop("followers"), "threads"),
        (lambda data: data["platforms"]["youtube"]["effects"].update(hour=[1.0] * 23), "youtube"),
        (lambda data: data.pop("platforms"), "platforms"),
    ],
)
def test_a_malformed_file_names_what_is_wrong(tmp_path: Path, break_it, message):
    data = json.loads(DEFAULT_PATH.read_text(encoding="utf-8"))
    break_it(data)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(data), encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        AudienceModel.load(path)


def test_an_unknown_platform_is_refused(model: AudienceModel):
    with pytest.raises(ValueError, match="tiktok"):
        model.metrics("tiktok", post(), SEOUL_8PM)
