"""A fast stand-in for the loop benchmark, for tuning the learner (not a figure of
``make bench``): the same scores, model and decisions (``analytics``) on the audience
model directly, without the pipeline. One shop's three channels move week by week in
lockstep, so the shop's other channels inform each other as in the product; each post's
creative features are what the offline writer wrote for that choice (measured once,
through the real pipeline, in a two-week shop), its media as our renderer makes them.

    .venv/bin/python -m bench.loop_fast [AUDIENCE_FILE|all] [SEEDS]

prints each audience's share of the oracle and its ratio to a stand-in baseline (the
default slots, the writer's choices at random). It tracks the real benchmark within a
few hundredths on the same files and takes seconds per shop, so ideas can be compared
over many seeds before the real run confirms them. ``FAST_SET="decisions.TEMPER=0.05"``
tries other constants of ``analytics``; ``FAST_PARTS=1`` also prints, per channel and
dimension, how close the last posts' choices came to the best value;
``LOOP_WEEKS`` sets the weeks.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import random
import statistics
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import numpy as np

if TYPE_CHECKING:  # Django is set up first (``_setup``): these are imported inside functions
    from analytics.learning import Knowledge
    from sandbox.audience import AudienceModel

Table = dict[str, dict[tuple, dict[str, str]]]  # channel -> creative decision -> features

AUDIENCES = Path(__file__).parent / "audiences"
WEEKS = int(os.environ.get("LOOP_WEEKS", "10"))
POSTS_PER_WEEK = 5
LAST = 10


@dataclass
class Post:
    at: dt.datetime
    values: dict[str, Any]  # the attributes as a piece records them
    features: dict[str, str]
    expected: float
    final: float  # the noisy 7-day outcome the platform reports
    combo: tuple = ()  # the creative decision, in the space's order


@dataclass
class Shop:
    posts: dict[str, list[Post]] = field(default_factory=lambda: defaultdict(list))


def _setup() -> None:
    var = Path(os.environ.get("GAGECAST_VAR_DIR", "var")) / "bench" / f"fast-{os.getpid()}"
    from bench import loop_worker

    loop_worker.start(str(var))


def creative_table(audience_path: Path | None, seed: int) -> Table:
    """Per channel, the audience's features of each creative combination as the offline
    writer writes it and our renderer draws it."""
    from analytics.space import space_for
    from bench import loop_shop
    from sandbox.audience import AudienceModel

    loop_shop.WEEKS = 2  # one shop, long enough to have rendered every media type
    run = loop_shop.simulate(audience_path, seed, learning=False)
    audience = AudienceModel.load(audience_path, seed=seed)
    table: Table = {}
    for channel in loop_shop.CHANNELS:
        space = space_for(channel)
        combos = list(itertools.product(*(space.arms[d] for d in space.creative)))
        features = loop_shop._creative_features(channel, run, audience)
        table[channel] = dict(zip(combos, features, strict=True))
        # a media type the short run did not render: the renderer's usual look for it
        for found in table[channel].values():
            if found["brightness"] == "unknown" and found["media_type"] == "REELS":
                found.update(brightness="dark", colourfulness="muted")
    return table


def _noisy(
    audience: AudienceModel,
    platform: str,
    channel: str,
    features: dict[str, str],
    followers: float,
    rng: random.Random,
) -> float:
    """A 7-day outcome as the platform would report it, with the audience's noise."""
    from analytics import scoring
    from bench.loop_shop import OUR_NAMES

    spec = audience.spec(platform)
    final = audience.expected(platform, features, followers=followers)
    views = final["views"] * math.exp(rng.gauss(-(spec.sigma**2) / 2, spec.sigma))
    values = {"views": views}
    for metric in spec.metrics:
        noise = math.exp(rng.gauss(-(spec.metric_sigma**2) / 2, spec.metric_sigma))
        values[metric] = views * (final[metric] / final["views"] if final["views"] else 0) * noise
    values = audience._finish(spec, values)
    return scoring.outcome(channel, {OUR_NAMES.get(k, k): v for k, v in values.items()})


def _knowledge(shop: Shop, channel: str, now: dt.datetime) -> Knowledge:
    """``analytics.learning.knowledge`` on the simulated posts (no other shops)."""
    from analytics import learning, scoring
    from analytics.model import Observation, Stats, pooled, stats_of
    from analytics.space import describe, space_for

    def measured(name: str) -> list[learning.Measured]:
        space = space_for(name)
        kept = []
        for post in shop.posts[name]:
            age = (now - post.at).total_seconds() / 3600
            if age < scoring.MIN_AGE_H:
                continue
            share = scoring.generic_share(age)
            kept.append(
                (None, scoring.Projection(post.final, share), describe(space, post.values, post.at))
            )
        scores = learning._backfitted_scores(space, kept)
        return [
            learning.Measured(0, 0, now, values, proj.value, proj.weight, score, "")
            for (_, proj, values), score in zip(kept, scores, strict=True)
        ]

    space = space_for(channel)
    own = measured(channel)
    size = len(space.features())
    sister = stats_of(
        space,
        (
            Observation(
                {d: p.values[d] for d in learning.SHARED if d in p.values}, p.score, p.weight
            )
            for other in shop.posts
            if other != channel
            for p in measured(other)
        ),
    )
    own_stats = stats_of(space, (Observation(p.values, p.score, p.weight) for p in own))
    empty = Stats.empty(size)
    return learning.Knowledge(space, pooled(space, [empty, empty, sister, own_stats]), own)


def simulate(
    audience_path: Path | None, seed: int, table: Table, *, learning: bool
) -> dict[str, Any]:
    from analytics import decisions
    from analytics.space import CREATIVE, space_for
    from bench.loop_shop import CHANNELS, PLATFORM, START, expected_outcome
    from campaigns.services import campaign_layout
    from sandbox.audience import AudienceModel

    audience = AudienceModel.load(audience_path, seed=seed)
    zone = ZoneInfo("Asia/Seoul")
    rng = np.random.default_rng(seed * 7919 + 1)
    noise = random.Random(f"fast:{seed}:{learning}")
    shop = Shop()
    user = {c: f"fast-{seed}-{c}" for c in CHANNELS}
    for week in range(WEEKS):
        now = START + dt.timedelta(days=7 * week)
        monday = (now + dt.timedelta(days=1)).date()
        known = {c: _knowledge(shop, c, now) for c in CHANNELS} if learning else {}

        def choose(
            channel: str,
            days: list[dt.date],
            defaults: list[dt.datetime],
            known: dict[str, Knowledge] = known,
        ) -> list[tuple[dt.datetime, dict]]:
            return decisions.choose_slots(known[channel], defaults, days, rng)

        slots = campaign_layout(
            starts_on=monday,
            ends_on=monday + dt.timedelta(days=6),
            channels=list(CHANNELS),
            posts_per_week=dict.fromkeys(CHANNELS, POSTS_PER_WEEK),
            zone=zone,
            now=now,
            choose=choose if learning else None,
        )
        for channel, when, _ in slots:
            space = space_for(channel)
            if learning:
                chosen = decisions.choose_creative(known[channel], rng)["attributes"]
            else:
                chosen = {d: noise.choice(space.arms[d]) for d in space.creative}
            combo = tuple(chosen[d] for d in space.creative)
            local = when.astimezone(zone)
            features = {
                **table[channel][combo],
                "weekday": ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()],
                "hour": str(local.hour),
            }
            platform = PLATFORM[channel]
            followers = audience.followers(platform, user[channel], when)
            values = {d: v for d, v in chosen.items() if d in CREATIVE}
            attributes = {
                "format": values.get("format"),
                "hook_style": "question" if values.get("opening") == "question" else "story",
                "length_bucket": values.get("length_bucket"),
                "emoji_density": values.get("emoji_density"),
                "hashtag_count": int(values.get("hashtag_count", 0)),
            }
            shop.posts[channel].append(
                Post(
                    local,
                    attributes,
                    features,
                    expected_outcome(audience, channel, features, followers),
                    _noisy(audience, platform, channel, features, followers, noise),
                    combo,
                )
            )
    return {"shop": shop, "audience": audience}


def oracle(audience: AudienceModel, channel: str, table: Table, posts: list[Post]) -> list[float]:
    from analytics.space import space_for
    from bench.loop_shop import expected_outcome

    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    best_creative = max(
        table[channel].values(),
        key=lambda f: max(
            expected_outcome(audience, channel, {**f, "weekday": w, "hour": str(h)}, 1000)
            for w in weekdays
            for h in space_for(channel).hours
        ),
    )
    by_day = {
        w: max(
            expected_outcome(
                audience, channel, {**best_creative, "weekday": w, "hour": str(h)}, 1000
            )
            for h in space_for(channel).hours
        )
        for w in weekdays
    }
    ranked = sorted(by_day.values(), reverse=True)
    out = []
    for i in range(len(posts) - LAST, len(posts)):
        week = (posts[i].at - posts[0].at).days // 7
        rank = sum(1 for j in range(i) if (posts[j].at - posts[0].at).days // 7 == week)
        followers = posts[i].expected / expected_outcome(audience, channel, posts[i].features, 1000)
        out.append(ranked[min(rank, len(ranked) - 1)] * followers)
    return out


LOSS: dict = defaultdict(list)


def _creative_share(
    audience: AudienceModel, channel: str, table: Table, posts: list[Post]
) -> float:
    """How close the last posts' creative choices came to the best at their own slots."""
    from analytics.space import space_for
    from bench.loop_shop import expected_outcome

    space = space_for(channel)
    ratios = []
    for post in posts[-LAST:]:
        slot = {k: post.features[k] for k in ("weekday", "hour")}
        here = expected_outcome(audience, channel, post.features, 1000)
        for i, dim in enumerate(space.creative):
            others = [
                expected_outcome(
                    audience,
                    channel,
                    {**table[channel][(*post.combo[:i], v, *post.combo[i + 1 :])], **slot},
                    1000,
                )
                for v in space.arms[dim]
            ]
            LOSS[(channel, dim)].append(here / max(others))
        for dim, values in (
            ("weekday", ("mon", "tue", "wed", "thu", "fri", "sat", "sun")),
            ("hour", ("8", "10", "12", "15", "18", "20", "22")),
        ):
            others = [
                expected_outcome(audience, channel, {**post.features, dim: v}, 1000) for v in values
            ]
            LOSS[(channel, dim)].append(here / max(others))
        slot = {k: post.features[k] for k in ("weekday", "hour")}
        best = max(
            expected_outcome(audience, channel, {**f, **slot}, 1000)
            for f in table[channel].values()
        )
        ratios.append(expected_outcome(audience, channel, post.features, 1000) / best)
    return statistics.mean(ratios)


def _overrides() -> None:
    """``FAST_SET="decisions.TEMPER=0.05,model.POOL_SD=0.2"``: try other constants."""
    import importlib

    for item in filter(None, os.environ.get("FAST_SET", "").split(",")):
        name, value = item.split("=")
        module, constant, *key = name.split(".")
        target = importlib.import_module(f"analytics.{module}")
        if key:  # a dictionary's entry: model.PRIOR_SD.hour=0.1
            getattr(target, constant)[key[0]] = float(value)
        else:
            setattr(target, constant, float(value))


def main() -> None:
    _setup()
    _overrides()
    from bench.loop_shop import CHANNELS

    chosen = sys.argv[1] if len(sys.argv) > 1 else "all"
    seeds = int(sys.argv[2]) if len(sys.argv) > 2 else 6
    paths = sorted(AUDIENCES.glob("*.json")) if chosen == "all" else [Path(chosen)]
    shares_all, overs_all = [], []
    for path in paths:
        table = creative_table(path, 0)
        shares, overs, parts = [], [], defaultdict(list)
        for seed in range(seeds):
            loop = simulate(path, seed, table, learning=True)
            base = simulate(path, seed, table, learning=False)
            for channel in CHANNELS:
                posts = loop["shop"].posts[channel]
                last = sum(p.expected for p in posts[-LAST:])
                shares.append(last / sum(oracle(loop["audience"], channel, table, posts)))
                overs.append(last / sum(p.expected for p in base["shop"].posts[channel][-LAST:]))
                parts[channel].append(_creative_share(loop["audience"], channel, table, posts))
        if os.environ.get("FAST_PARTS"):
            print({c: round(statistics.mean(v), 3) for c, v in parts.items()})
            print({f"{c[:2]}.{d}": round(statistics.mean(v), 3) for (c, d), v in LOSS.items()})
            LOSS.clear()
        shares_all.append(statistics.mean(shares))
        overs_all.append(statistics.mean(overs))
        print(f"{path.stem:20s} share {shares_all[-1]:.3f} over {overs_all[-1]:.2f}", flush=True)
    print(
        f"{'mean':20s} share {statistics.mean(shares_all):.3f} over {statistics.mean(overs_all):.2f}"
    )


if __name__ == "__main__":
    main()
