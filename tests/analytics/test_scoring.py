"""The score per post: a channel's outcome at a fixed age, projected while the post is
young, against the account's running baseline."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from analytics import scoring
from analytics.scoring import Curve, Reading

T0 = dt.datetime(2027, 1, 4, 10, tzinfo=dt.UTC)


def test_each_channel_weighs_its_own_numbers():
    numbers = {"views": 1000, "reach": 800, "likes": 10, "comments": 2, "saves": 3, "shares": 1}
    assert scoring.outcome("instagram", numbers) == 800 + 5 * (10 + 2 + 3 + 1)
    assert scoring.outcome("threads", {"views": 500, "comments": 4}) == 500 + 40
    assert scoring.outcome("youtube_shorts", {"views": 300, "likes": None}) == 300


def test_a_matured_post_is_read_at_seven_days_and_weighs_fully():
    readings = [Reading(24, 500), Reading(150, 900), Reading(200, 1000)]
    projection = scoring.project(readings, Curve())
    assert projection is not None
    assert projection.weight == 1
    assert projection.value == pytest.approx(900 + (18 / 50) * 100)


def test_a_young_post_is_projected_from_the_curve_and_weighs_less():
    curve = Curve()
    projection = scoring.project([Reading(12, 400)], curve)
    assert projection is not None
    assert projection.value == pytest.approx(400 / curve.share(12))
    assert projection.weight == pytest.approx(curve.share(12))
    assert projection.weight < 1


def test_a_post_younger_than_six_hours_is_not_scored_yet():
    assert scoring.project([Reading(3, 100)], Curve()) is None
    assert scoring.project([], Curve()) is None


def test_the_accounts_own_curve_replaces_the_generic_one_once_enough_posts_matured():
    # This account's posts have 80% of their week after 4 hours (fast), far above generic.
    posts = [[Reading(4, 80 * k), Reading(8, 90 * k), Reading(170, 100 * k)] for k in (1, 2, 3)]
    curve = scoring.fit_curve(posts)
    assert curve.own_points >= 2
    assert curve.share(4) == pytest.approx(0.8, abs=0.01)
    assert Curve().share(4) < 0.5
    assert scoring.fit_curve(posts[:2]).share(4) == pytest.approx(Curve().share(4))


def test_follower_growth_does_not_look_like_a_better_post_but_a_better_post_does():
    # Followers double over 80 posts; every post is alike except post 40, twice as good.
    values = [1000 * 2 ** (i / 80) * (2 if i == 40 else 1) for i in range(80)]
    scores = scoring.scores(values)
    window = scoring.BASELINE_WINDOW
    ordinary = [
        s for i, s in enumerate(scores) if abs(i - 40) > window and window <= i < 80 - window
    ]
    assert ordinary
    assert max(abs(s) for s in ordinary) < 0.05  # vs log 2 = 0.69 for the good post
    assert scores[40] == pytest.approx(math.log(2), abs=0.1)


def test_what_the_choices_explain_stays_out_of_the_baseline():
    # The account moved to a better choice (+0.5) half way: with the choice's effect
    # known, the later posts still score above the earlier ones' level.
    values = [math.expm1(5 + (0.5 if i >= 20 else 0)) for i in range(40)]
    plain = scoring.scores(values)
    explained = scoring.scores(values, [0.5 if i >= 20 else 0 for i in range(40)])
    assert plain[35] == pytest.approx(0, abs=0.01)  # a running mean alone hides it
    assert explained[35] == pytest.approx(0.5, abs=0.01)


def test_readings_are_ages_in_hours_with_the_channel_outcome():
    snapshots = [
        (T0 + dt.timedelta(hours=30), {"views": 50, "comments": 1}),
        (T0 + dt.timedelta(hours=2), {"views": 10, "comments": 0}),
        (T0 - dt.timedelta(hours=1), {"views": 0}),
    ]
    assert scoring.readings_of(T0, snapshots, "threads") == [Reading(2, 10), Reading(30, 60)]
