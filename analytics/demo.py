"""A demo shop's past: two months of published posts with their numbers, so that
`make run` shows the learning loop at work (the "배운 점" card, guided pieces, learned
posting times) without waiting days for real posts to gather numbers.

The posts are written by the offline writer with varied attributes and times; their
numbers follow a small, documented demo taste (below) with noise, read at 1 hour, 1 day
and 7 days like the ladder would. They are marked as sandbox numbers. Nothing here runs
outside the demo command (`manage.py seed_demo_history`, DEBUG only).
"""

from __future__ import annotations

import datetime as dt
import math
import random
from dataclasses import replace
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from analytics.models import MetricSnapshot
from analytics.space import HOURS, preferred, space_for
from content.models import ContentPiece
from content.providers.base import Guidance
from content.providers.offline import OfflineProvider
from content.services import generation_request
from content.specs import spec_for
from marketing.models import Business
from publishing.models import Publication

CHANNELS = ("instagram", "threads", "youtube_shorts")
BASE_REACH = {"instagram": 600, "threads": 350, "youtube_shorts": 900}
# The demo audience: what a Korean neighbourhood café's followers might like.
TASTE = {
    ("opening", "question"): 1.35,
    ("format", "carousel"): 1.25,
    ("format", "video"): 1.4,
    ("hashtag_count", "3"): 1.1,
    ("hashtag_count", "8"): 1.1,
    ("hashtag_count", "10"): 1.05,
}
EVENING = (18, 20)
WEEKEND = (5, 6)
AGES_H = (1, 24, 168)
DAYS = 60


def _factor(values: dict[str, str], local: dt.datetime) -> float:
    factor = math.prod(TASTE.get((dim, value), 1.0) for dim, value in values.items())
    factor *= 1.3 if local.hour in EVENING else 1.0
    return factor * (1.15 if local.weekday() in WEEKEND else 1.0)


def _numbers(channel: str, outcome: float, share: float) -> dict[str, int]:
    seen = outcome * share
    if channel == "instagram":
        return {
            "views": round(seen * 1.3),
            "reach": round(seen),
            "likes": round(seen * 0.06),
            "comments": round(seen * 0.008),
            "saves": round(seen * 0.01),
            "shares": round(seen * 0.004),
        }
    if channel == "threads":
        return {"views": round(seen), "likes": round(seen * 0.04), "comments": round(seen * 0.012)}
    return {"views": round(seen), "likes": round(seen * 0.035), "comments": round(seen * 0.003)}


def demo_history(business: Business, *, posts_per_channel: int = 30, seed: int = 7) -> int:
    """Create the history once; returns how many posts were made (0 when it exists)."""
    if Publication.objects.filter(
        piece__business=business, metric_snapshots__isnull=False
    ).exists():
        return 0
    rng = random.Random(seed)
    zone = ZoneInfo(business.time_zone)
    now = timezone.now()
    made = 0
    with transaction.atomic():
        for channel in CHANNELS:
            space = space_for(channel)
            for n in range(posts_per_channel):
                day = (
                    now - dt.timedelta(days=DAYS * (posts_per_channel - n) / posts_per_channel)
                ).astimezone(zone)
                local = day.replace(hour=rng.choice(HOURS), minute=0, second=0, microsecond=0)
                chosen = {dim: rng.choice(space.arms[dim]) for dim in space.creative}
                piece = ContentPiece.objects.create(
                    business=business,
                    channel=channel,
                    status=ContentPiece.Status.APPROVED,
                    planned_for=local,
                    seed=rng.randrange(1, 2**31 - 1),
                )
                request = replace(
                    generation_request(piece),
                    guidance=Guidance(preferred=preferred(chosen, rng.choice)),
                )
                draft = OfflineProvider().write(request).draft
                title, body = spec_for(channel).title_and_body(draft)
                attributes = draft.attributes  # type: ignore[attr-defined]
                ContentPiece.objects.filter(pk=piece.pk).update(
                    title=title[:200],
                    body=body,
                    fields=draft.model_dump(exclude={"attributes"}),
                    provider="offline",
                    **{name: getattr(attributes, name) for name in type(attributes).model_fields},
                )
                published_at = local.astimezone(dt.UTC)
                publication = Publication.objects.create(
                    piece=piece,
                    channel_account=None,  # past posts: no account to read, nothing to collect
                    scheduled_at=published_at,
                    state=Publication.State.PUBLISHED,
                    published_at=published_at,
                    external_id=f"demo-{channel}-{n}",
                )
                outcome = (
                    BASE_REACH[channel] * _factor(chosen, local) * math.exp(rng.gauss(-0.03, 0.25))
                )
                MetricSnapshot.objects.bulk_create(
                    MetricSnapshot(
                        publication=publication,
                        collected_at=published_at + dt.timedelta(hours=age),
                        source=MetricSnapshot.Source.SANDBOX,
                        **_numbers(channel, outcome, age / (age + 12) / (168 / 180)),
                    )
                    for age in AGES_H
                    if published_at + dt.timedelta(hours=age) <= now
                )
                made += 1
    return made
