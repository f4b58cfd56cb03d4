"""The model: cold start from the house prior, borrowing from other shops and the
industry, shrinking toward the shop's own posts; and decisions with exploration."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from analytics import decisions
from analytics.learning import Knowledge, Measured
from analytics.model import HOUSE_BONUS, Observation, Stats, pooled, stats_of
from analytics.space import band, describe, space_for

SEOUL = ZoneInfo("Asia/Seoul")
SPACE = space_for("instagram")
NEUTRAL = {
    "format": "image",
    "opening": "statement",
    "length_bucket": "medium",
    "emoji_density": "low",
    "hashtag_count": "3",
    "weekday": "2",
    "hour": "15",
}


def observations(
    n: int, effect: float, *, seed: int = 0, tried: tuple[str, ...] = (), **values: str
) -> list[Observation]:
    """``n`` posts, half with ``values`` (scoring ``effect`` higher), half neutral; the
    neutral half rotates the dimension through ``tried`` when given."""
    rng = np.random.default_rng(seed)
    (dim,) = values
    out = []
    for i in range(n):
        treated = i % 2 == 0
        score = (effect if treated else 0.0) + rng.normal(0, 0.1)
        other = {dim: tried[(i // 2) % len(tried)]} if tried else {}
        out.append(Observation({**NEUTRAL, **(values if treated else other)}, score, 1.0))
    return out


def effect(stats_levels: list[Stats], dim: str, value: str, other: str) -> float:
    post = pooled(SPACE, stats_levels)
    return float(post.value(post.mean, dim, value) - post.value(post.mean, dim, other))


def empty() -> Stats:
    return Stats.empty(len(SPACE.features()))


def test_with_no_posts_anywhere_the_house_prior_favours_only_the_default_hours():
    post = pooled(SPACE, [empty(), empty(), empty()])
    assert post.effect("hour=19") == pytest.approx(HOUSE_BONUS)  # a default is its own arm
    assert post.effect("hour=12") == pytest.approx(HOUSE_BONUS)
    assert post.effect("hour=18") == 0
    assert post.effect("hour=8") == 0
    assert post.effect("opening=question") == 0


def test_a_post_at_a_default_hour_is_learned_at_that_hour_not_the_nearest_grid_hour():
    at = dt.datetime(2027, 3, 3, 19, 0, tzinfo=SEOUL)
    assert describe(SPACE, {}, at)["hour"] == "19"  # Instagram's default evening hour
    assert describe(space_for("threads"), {}, at)["hour"] in ("18", "20")  # not a Threads arm
    assert describe(space_for("threads"), {}, at.replace(hour=21))["hour"] == "21"
    assert band(19) == band(20) == "evening"
    assert band(21) == band(23) == "night"


def test_a_new_shop_borrows_from_its_industry_more_than_from_all_shops():
    industry = stats_of(SPACE, observations(60, 0.4, opening="question"))
    everyone = stats_of(SPACE, observations(60, -0.2, opening="question", seed=1))
    borrowed = effect([everyone, industry, empty()], "opening", "question", "statement")
    assert borrowed > 0.15  # the industry's lesson wins over everyone else's


def test_the_shops_own_posts_take_over_as_they_come_in():
    industry = stats_of(SPACE, observations(60, 0.4, opening="question"))
    few = stats_of(SPACE, observations(4, -0.4, opening="question", seed=2))
    many = stats_of(SPACE, observations(60, -0.4, opening="question", seed=3))
    start = effect([empty(), industry, empty()], "opening", "question", "statement")
    after_few = effect([empty(), industry, few], "opening", "question", "statement")
    after_many = effect([empty(), industry, many], "opening", "question", "statement")
    assert start > after_few > after_many
    assert after_many < -0.2  # close to the shop's own -0.4


def test_uncertainty_shrinks_with_evidence():
    few = pooled(SPACE, [empty(), empty(), stats_of(SPACE, observations(4, 0.3, format="video"))])
    many = pooled(SPACE, [empty(), empty(), stats_of(SPACE, observations(80, 0.3, format="video"))])
    names = SPACE.features()
    contrast = np.zeros(len(names))  # video versus image: what a choice between them needs
    contrast[names.index("format=video")], contrast[names.index("format=image")] = 1, -1
    assert contrast @ many.cov @ contrast < (contrast @ few.cov @ contrast) / 3


# --- Decisions ------------------------------------------------------------------------------


def knowledge_with(effect_: float, n: int, tried: tuple[str, ...] = (), **values: str) -> Knowledge:
    obs = observations(n, effect_, tried=tried, **values)
    start = dt.datetime(2027, 1, 4, tzinfo=dt.UTC)
    posts = [
        Measured(i, i, start + dt.timedelta(days=i), o.values, 1000.0, 1.0, o.score, f"글 {i}")
        for i, o in enumerate(obs)
    ]
    posterior = pooled(SPACE, [empty(), empty(), stats_of(SPACE, obs)])
    return Knowledge(SPACE, posterior, posts)


def test_a_strong_lesson_is_followed_and_said_in_korean_with_its_evidence():
    known = knowledge_with(0.35, 30, opening="question")
    rng = np.random.default_rng(0)
    picks = [decisions.choose_creative(known, rng) for _ in range(60)]
    share = sum(p["attributes"]["opening"] == "question" for p in picks) / len(picks)
    assert share > 0.8
    learned = next(p for p in picks if p["attributes"]["opening"] == "question")
    assert learned["probabilities"]["opening"]["question"] > 0.8
    summary = decisions.summary(known, learned["attributes"])
    assert summary.startswith("질문으로 시작한 글이 평소보다 도달과 반응이 ")
    assert summary.endswith("% 높았어요 · 게시물 30개 기준")


def test_every_value_keeps_a_minimum_chance_and_probabilities_add_up():
    known = knowledge_with(0.5, 40, opening="question")
    choice = decisions.choose_creative(known, np.random.default_rng(1))
    for dim, probabilities in choice["probabilities"].items():
        assert sum(probabilities.values()) == pytest.approx(1, abs=0.01)
        floor = decisions.MIN_EXPLORATION / len(SPACE.creative) / len(SPACE.arms[dim])
        assert min(probabilities.values()) >= floor - 1e-4


def test_without_evidence_every_choice_is_a_new_try():
    known = Knowledge(SPACE, pooled(SPACE, [empty(), empty(), empty()]), [])
    choice = decisions.choose_creative(known, np.random.default_rng(2))
    assert choice["note"] == decisions.NOTE_EXPLORED
    assert decisions.summary(known, choice["attributes"]).startswith("아직 성과가 모인")


def test_posting_times_stay_at_the_defaults_until_ten_posts_then_follow_the_evidence():
    days = [dt.date(2027, 1, 4) + dt.timedelta(days=n) for n in range(7)]
    defaults = [dt.datetime.combine(days[n], dt.time(12), SEOUL) for n in (0, 2, 4)]
    rng = np.random.default_rng(3)
    few = knowledge_with(0.5, 8, hour="8")
    early = [decisions.choose_slots(few, defaults, days, rng) for _ in range(40)]
    kept = sum(when in defaults for slots in early for when, _ in slots)
    assert kept / (40 * 3) > 0.6
    many = knowledge_with(0.6, 40, hour="8")  # eight in the morning did well
    late = [decisions.choose_slots(many, defaults, days, rng) for _ in range(20)]
    morning = sum(when.hour in (8, 10) for slots in late for when, _ in slots)
    assert morning / (20 * 3) > 0.6  # the band shares what one hour taught
    for slots in late:
        assert len({when.date() for when, _ in slots}) == 3  # distinct days


def test_labels_always_take_the_particle_i():
    for dim, values in SPACE.arms.items():
        for value in values:
            assert decisions.label(dim, value)[-1] in "글물"
