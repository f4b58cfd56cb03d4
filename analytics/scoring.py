"""A score per post that compares like with like (docs/analytics.md, "The score").

1. **Outcome.** Each channel has one primary outcome, a weighted sum of the numbers its
   platform reports (``OUTCOMES``): Instagram reach and interactions, Threads views
   and replies, YouTube views and engagement, Naver Blog views, 공감 and comments.
2. **At a fixed age.** Posts are compared at ``FIXED_AGE`` (7 days). A younger post's
   outcome is projected from the account's own accumulation curve (the share of the
   7-day number a post has after ``h`` hours, learned from its matured posts; a
   generic curve until there are enough), and it weighs less in learning the younger
   it is.
3. **Against the running baseline.** The score is ``log(outcome)`` minus the mean log
   outcome of the account's neighbouring posts on the channel (``BASELINE_WINDOW``
   either side, by publishing time). Follower growth and a lucky week move the
   baseline too, so they do not look like a good hook.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

FIXED_AGE_H = 168.0
MIN_AGE_H = 6.0  # younger than this a projection is mostly guesswork: not used yet
BASELINE_WINDOW = 14
CURVE_AGES_H = (1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, FIXED_AGE_H)
MIN_CURVE_POSTS = 3  # matured posts needed before a curve point is the account's own

# Weights of each reported number in the channel's primary outcome (our metric names).
OUTCOMES: dict[str, dict[str, float]] = {
    "instagram": {"reach": 1.0, "likes": 5.0, "comments": 5.0, "saves": 5.0, "shares": 5.0},
    "threads": {"views": 1.0, "comments": 10.0, "reposts": 5.0, "quotes": 5.0},
    "youtube_shorts": {"views": 1.0, "likes": 5.0, "comments": 5.0, "shares": 5.0},
    "naver_blog": {"views": 1.0, "likes": 10.0, "comments": 10.0},
}
# How the owner reads the outcome, in a sentence: "…이 평소보다 {word}이 34% 높았어요".
OUTCOME_WORDS: dict[str, str] = {
    "instagram": "도달과 반응",
    "threads": "조회와 답글",
    "youtube_shorts": "조회와 반응",
    "naver_blog": "조회와 공감",
}


def outcome(channel: str, numbers: Mapping[str, int | float | None]) -> float:
    """The channel's primary outcome from one snapshot's numbers (missing ones count 0)."""
    return sum(w * float(numbers.get(name) or 0) for name, w in OUTCOMES[channel].items())


def generic_share(hours: float) -> float:
    """Share of the 7-day outcome after ``hours`` for a typical post (a Hill curve with a
    12-hour half-life), used until an account has its own curve."""
    if hours <= 0:
        return 0.0

    def hill(h: float) -> float:
        return h / (h + 12.0)

    return min(1.0, hill(hours) / hill(FIXED_AGE_H))


@dataclass(frozen=True)
class Curve:
    """Share of the 7-day outcome a post has at each age in ``CURVE_AGES_H``; between
    them, linear in log-age."""

    shares: tuple[float, ...] = field(
        default_factory=lambda: tuple(generic_share(h) for h in CURVE_AGES_H)
    )
    own_points: int = 0  # how many of the points came from the account's own posts

    def share(self, hours: float) -> float:
        if hours >= FIXED_AGE_H:
            return 1.0
        if hours <= CURVE_AGES_H[0]:
            return max(1e-3, self.shares[0] * hours / CURVE_AGES_H[0])
        i = bisect.bisect_right(CURVE_AGES_H, hours)
        h0, h1 = CURVE_AGES_H[i - 1], CURVE_AGES_H[i]
        s0, s1 = self.shares[i - 1], self.shares[i]
        t = math.log(hours / h0) / math.log(h1 / h0)
        return max(1e-3, s0 + t * (s1 - s0))


@dataclass(frozen=True)
class Reading:
    age_h: float
    value: float


def value_at(readings: Sequence[Reading], hours: float) -> float | None:
    """The outcome at ``hours`` interpolated between readings (sorted by age), or None
    when no reading is that old."""
    if not readings or readings[-1].age_h < hours:
        return None
    before = [r for r in readings if r.age_h <= hours]
    after = next(r for r in readings if r.age_h >= hours)
    if not before:
        return after.value * hours / after.age_h if after.age_h else after.value
    low = before[-1]
    if after.age_h == low.age_h:
        return low.value
    t = (hours - low.age_h) / (after.age_h - low.age_h)
    return low.value + t * (after.value - low.value)


def fit_curve(posts: Sequence[Sequence[Reading]]) -> Curve:
    """The account's accumulation curve from its matured posts (those read at 7 days or
    later): at each age, the median share of the 7-day outcome; the generic curve where
    fewer than ``MIN_CURVE_POSTS`` posts say."""
    generic = Curve()
    shares = list(generic.shares)
    own = 0
    for i, age in enumerate(CURVE_AGES_H[:-1]):
        ratios = []
        for readings in posts:
            final = value_at(readings, FIXED_AGE_H)
            early = [r for r in readings if abs(math.log(max(r.age_h, 0.1) / age)) < 0.35]
            if final and early:
                ratios.append(min(1.0, early[0].value / final))
        if len(ratios) >= MIN_CURVE_POSTS:
            shares[i] = max(1e-3, statistics.median(ratios))
            own += 1
    for i in range(1, len(shares)):  # a share never falls with age
        shares[i] = max(shares[i], shares[i - 1])
    return Curve(tuple(shares), own)


@dataclass(frozen=True)
class Projection:
    value: float  # the outcome at FIXED_AGE (measured, or projected)
    weight: float  # 1 for a matured post, the curve's share for a younger one


def project(readings: Sequence[Reading], curve: Curve) -> Projection | None:
    """The post's 7-day outcome, or None when it is too young to say."""
    if not readings or readings[-1].age_h < MIN_AGE_H:
        return None
    at_fixed = value_at(readings, FIXED_AGE_H)
    if at_fixed is not None:
        return Projection(at_fixed, 1.0)
    latest = readings[-1]
    share = curve.share(latest.age_h)
    return Projection(latest.value / share, share)


def running_mean(values: Sequence[float]) -> list[float]:
    """Each value's centred running mean over ``BASELINE_WINDOW`` neighbours either side."""
    out = []
    for i in range(len(values)):
        window = values[max(0, i - BASELINE_WINDOW) : i + BASELINE_WINDOW + 1]
        out.append(sum(window) / len(window))
    return out


def scores(values: Sequence[float], effects: Sequence[float] | None = None) -> list[float]:
    """Each post's log outcome minus the account's running baseline (posts in publishing
    order). ``effects`` are what the post's own choices are thought to add (log units):
    the baseline is the running level of the rest, so that when the account moves to
    better choices the baseline does not rise with them and hide the lesson."""
    logs = [math.log1p(max(v, 0.0)) for v in values]
    rest = [value - e for value, e in zip(logs, effects or [0.0] * len(logs), strict=True)]
    return [value - level for value, level in zip(logs, running_mean(rest), strict=True)]


def readings_of(
    published_at: dt.datetime,
    snapshots: Sequence[tuple[dt.datetime, Mapping[str, int | float | None]]],
    channel: str,
) -> list[Reading]:
    """A publication's snapshots as (age, outcome) readings sorted by age."""
    readings = [
        Reading((at - published_at).total_seconds() / 3600.0, outcome(channel, numbers))
        for at, numbers in snapshots
        if at > published_at
    ]
    return sorted(readings, key=lambda r: r.age_h)
