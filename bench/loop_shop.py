"""One simulated shop for the loop benchmark (``bench/loop.py`` explains the benchmark):
its weekly campaigns through the real product on a moved clock, and the oracle's
expected outcomes for the same weeks. Runs inside a worker process (``bench.loop_worker``)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import time
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import SimpleNamespace
from typing import Protocol
from unittest import mock
from zoneinfo import ZoneInfo

import time_machine
from django.test import override_settings

from analytics import scoring, selectors
from analytics.space import preferred, space_for
from campaigns.services import campaign_create
from content.creative.services import piece_render
from content.providers.base import GenerationRequest, Guidance
from content.providers.offline import OfflineProvider
from content.services import generation_request, piece_generate
from content.specs import spec_for
from marketing.demo import SAMPLE_BUSINESS, SAMPLE_MENU
from marketing.models import Business, Organization
from marketing.services import products_replace
from publishing import services as publishing
from publishing.models import ChannelAccount, Publication
from sandbox.audience import AudienceModel
from sandbox.demo_history import collect_due, fresh_tokens, publish_due, simulators

CHANNELS = ("instagram", "threads", "youtube_shorts")
PLATFORM = {"instagram": "instagram", "threads": "threads", "youtube_shorts": "youtube"}
MEDIA_TYPES = {
    "instagram": {"image": "IMAGE", "carousel": "CAROUSEL_ALBUM", "video": "REELS"},
    "threads": {"text": "TEXT_POST", "image": "IMAGE", "carousel": "CAROUSEL_ALBUM"},
    "youtube_shorts": {"video": "VIDEO"},
}
OUR_NAMES = {"saved": "saves", "replies": "comments"}  # the collectors' renaming
WEEKS = int(os.environ.get("LOOP_WEEKS", "10"))  # fewer only while developing
POSTS_PER_WEEK = 5
LAST = 10  # posts per channel the figures compare
# The baseline learns nothing, so only its last weeks are simulated: the compared posts
# and a week before them, so the writer has recent posts to vary its openings from.
BASELINE_WEEKS = 3
GOALS = ("new_menu", "awareness", "bring_back_regulars", "event_sale")
ZONE = ZoneInfo("Asia/Seoul")
START = dt.datetime(2027, 1, 3, 12, 0, tzinfo=ZONE)  # a Sunday noon: campaigns start Monday


class Clock(Protocol):
    """time-machine's traveller: the moved clock of the simulated weeks."""

    def move_to(self, destination: dt.datetime) -> None: ...

    def shift(self, delta: float) -> None: ...


@dataclass
class Run:
    """One simulated shop: each channel's posts as (week, expected outcome, features)."""

    posts: dict[str, list[tuple[int, float, dict]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    sandbox_posts: dict[str, list] = field(default_factory=lambda: defaultdict(list))
    requests: dict[str, GenerationRequest] = field(default_factory=dict)
    followers: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    user_ids: dict[str, str] = field(default_factory=dict)
    wall_s: float = 0.0


def expected_outcome(
    audience: AudienceModel, channel: str, features: dict, followers: float
) -> float:
    numbers = audience.expected(PLATFORM[channel], features, followers=followers)
    return scoring.outcome(channel, {OUR_NAMES.get(k, k): v for k, v in numbers.items()})


# --- One simulated shop ---------------------------------------------------------------------


def _business(name: str) -> Business:
    organization = Organization.objects.create(name=name, kind=Organization.Kind.SHOP)
    business = Business.objects.create(
        organization=organization, **{**SAMPLE_BUSINESS, "name": SAMPLE_BUSINESS["name"]}
    )
    products_replace(business=business, products=SAMPLE_MENU)
    return business


def _accounts(business: Business, fakes: dict) -> dict[str, ChannelAccount]:
    accounts = {}
    for channel, fake in fakes.items():
        if channel == "youtube_shorts":
            user_id = fake.channel_id_for(f"bench-{business.pk}")
        else:
            user_id = fake.user_id_for(f"bench-{business.pk}")
        accounts[channel] = ChannelAccount.objects.create(
            business=business,
            platform=channel,
            mode=ChannelAccount.Mode.SANDBOX,
            external_id=user_id,
            display_name=f"bench-{channel}",
        )
    return accounts


def _week(business: Business, week: int, traveller: Clock, run: Run) -> None:
    monday = (START + dt.timedelta(days=7 * week + 1)).date()
    campaign = campaign_create(
        business=business,
        actor=None,
        goal=GOALS[week % len(GOALS)],
        starts_on=monday,
        ends_on=monday + dt.timedelta(days=6),
        channels=list(CHANNELS),
        posts_per_week=dict.fromkeys(CHANNELS, POSTS_PER_WEEK),
    )
    for piece in campaign.pieces.order_by("planned_for"):
        piece_generate(piece_id=piece.pk)
        piece_render(piece_id=piece.pk)
        piece.refresh_from_db()
        run.requests.setdefault(piece.channel, generation_request(piece))
    publishing.schedule_campaign(campaign)
    due = Publication.objects.filter(piece__campaign=campaign).order_by("scheduled_at")
    end = START + dt.timedelta(days=7 * (week + 1))
    times = sorted({p.scheduled_at for p in due})
    day = START + dt.timedelta(days=7 * week)
    for when in times:
        while day + dt.timedelta(days=1) < when:  # a collection round each day
            day += dt.timedelta(days=1)
            traveller.move_to(day)
            collect_due()
        traveller.move_to(when + dt.timedelta(seconds=1))
        publish_due(traveller)
    traveller.move_to(end)
    collect_due()


def simulate(audience_path: Path | None, seed: int, *, learning: bool, keep: bool = False) -> Run:
    audience = AudienceModel.load(audience_path, seed=seed)
    run = Run()
    started = time.perf_counter()
    selectors.seed_decisions(seed * 7919 + 1)
    weeks = range(WEEKS) if learning else range(max(0, WEEKS - BASELINE_WEEKS), WEEKS)
    with (
        mock.patch("core.queue.send"),
        override_settings(LEARNING_ENABLED=learning),
        simulators(audience, seed) as fakes,
        time_machine.travel(START + dt.timedelta(days=7 * weeks[0]), tick=False) as traveller,
    ):
        business = _business(f"bench-loop-{seed}-{'loop' if learning else 'baseline'}")
        accounts = _accounts(business, fakes)
        for week in weeks:
            fresh_tokens(accounts, fakes, youtube_s=14 * 86_400)  # refreshed weekly
            _week(business, week, traveller, run)
        for channel in CHANNELS:
            account = accounts[channel]
            run.user_ids[channel] = account.external_id
            published = Publication.objects.filter(
                channel_account=account, state=Publication.State.PUBLISHED
            ).order_by("published_at")
            platform = PLATFORM[channel]
            for publication in published:
                post = fakes[channel].post(publication.external_id)
                features = audience.features(platform, post)
                followers = audience.followers(platform, post.user_id, post.visible_at)
                week = (post.visible_at - START).days // 7
                run.posts[channel].append(
                    (week, expected_outcome(audience, channel, features, followers), features)
                )
                run.sandbox_posts[channel].append(post)
                run.followers[channel].append(followers)
        if not keep:
            business.organization.delete()  # the next shop learns from nothing of this one
    run.wall_s = time.perf_counter() - started
    return run


# --- The oracle ------------------------------------------------------------------------------


def _creative_features(channel: str, run: Run, audience: AudienceModel) -> list[dict]:
    """The features of every creative combination, written by the offline writer for this
    shop, with the media measured on the loop's own posts of that media type."""
    space = space_for(channel)
    request = run.requests[channel]
    provider = OfflineProvider()
    dims = space.creative
    media_of: dict[str, list] = defaultdict(list)
    for post in run.sandbox_posts[channel]:
        media_of[post.media_type].append(post)
    out = []
    spec = spec_for(channel)
    for combo in itertools.product(*(space.arms[d] for d in dims)):
        chosen = dict(zip(dims, combo, strict=True))
        fmt = chosen.get("format", spec.formats[0])
        wanted = preferred(chosen, lambda values: values[0])
        draft = provider.write(replace(request, guidance=Guidance(preferred=wanted))).draft
        title, body = spec.title_and_body(draft)
        media_type = MEDIA_TYPES[channel].get(fmt, "IMAGE")
        like = media_of.get(media_type, [])
        post = SimpleNamespace(
            id="oracle",
            user_id="oracle",
            media_type=media_type,
            text=body,
            title=title if channel == "youtube_shorts" else "",
            visible_at=None,
            visibility="public",
            media=like[-1].media if like else [],
            image_count=like[-1].image_count if like else 0,
        )
        out.append(audience.features(PLATFORM[channel], post))
    return out


def oracle_outcomes(channel: str, run: Run, audience: AudienceModel) -> list[float]:
    """Per evaluated post, the oracle's expected outcome in the same week, on the same
    number of distinct days, with the followers of the loop's post."""
    creative = _creative_features(channel, run, audience)
    probe = run.posts[channel][-1][2]
    base = {k: probe[k] for k in ("weekday", "hour") if k in probe}
    best = max(creative, key=lambda f: expected_outcome(audience, channel, {**f, **base}, 1000))
    weekdays = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    slots = sorted(
        (
            expected_outcome(audience, channel, {**best, "weekday": w, "hour": str(h)}, 1000),
            w,
        )
        for w in weekdays
        for h in space_for(channel).hours
    )
    by_day: dict[str, float] = {}
    for value, w in slots:
        by_day[w] = max(by_day.get(w, 0.0), value)
    ranked = sorted(by_day.values(), reverse=True)
    posts = run.posts[channel]
    out = []
    for i in range(len(posts) - LAST, len(posts)):
        week = posts[i][0]
        rank = sum(1 for j in range(i) if posts[j][0] == week)
        out.append(ranked[min(rank, len(ranked) - 1)] * run.followers[channel][i] / 1000)
    return out
