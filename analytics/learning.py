"""What the platforms' numbers say about a shop on a channel: its measured posts with
their scores (``analytics.scoring``) and the pooled posterior over the creative and
timing choices (``analytics.model``). Reads only what the collectors stored."""

from __future__ import annotations

import datetime as dt
import math
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Count, Max

from analytics import scoring
from analytics.model import (
    Observation,
    Posterior,
    Stats,
    house_prior,
    pooled,
    posterior,
    stats_of,
)
from analytics.model import row as design_row
from analytics.models import Feedback, MetricSnapshot
from analytics.space import TIME, Space, describe, space_for
from marketing.industries import industry_for
from publishing.models import Publication

CHANNELS = ("instagram", "threads", "youtube_shorts", "naver_blog")
# What one channel's posts say about the shop's others: its customers' hours and days, and
# the openings, lengths and emoji they answer to (formats and hashtag counts differ by
# channel and stay each channel's own).
SHARED = (*TIME, "opening", "length_bucket", "emoji_density")
MIN_BACKFIT = 6  # posts before the baseline is refined by what the choices explain
BACKFIT_ROUNDS = 3
ATTRIBUTES = ("format", "hook_style", "length_bucket", "emoji_density", "hashtag_count")
SNAPSHOT_NUMBERS = (
    "views", "reach", "likes", "comments", "saves", "shares", "reposts", "quotes"
)  # fmt: skip
# The owner's 👎 on a piece is evidence against its choices: a measured post counts this
# much lower in the model (log units, about a clearly worse choice), and a disliked piece
# without numbers yet counts as a post that did this much worse, at DISLIKE_WEIGHT of a
# post. What the platforms measured (findings, the examples' order) stays as it was.
DISLIKE_PENALTY = 0.3
DISLIKE_WEIGHT = 0.5


@dataclass(frozen=True)
class Measured:
    """One published post with enough numbers to learn from."""

    publication_id: int
    piece_id: int
    published_at: dt.datetime
    values: dict[str, str]  # its value on each dimension of the channel's space
    outcome: float  # at the fixed age, measured or projected
    weight: float
    score: float
    text: str
    disliked: bool = False  # someone at the shop gave the piece a 👎
    # Every reading came from a simulator (a sandbox account, the demo's history): it
    # teaches its own shop, never the others (see _channel_data).
    simulated: bool = False

    @property
    def learned_score(self) -> float:
        """The score the model learns from: the measured one, lower after a 👎."""
        return self.score - DISLIKE_PENALTY if self.disliked else self.score


@dataclass
class Knowledge:
    """Everything learned for one business on one channel."""

    space: Space
    posterior: Posterior
    posts: list[Measured] = field(default_factory=list)  # this shop's, oldest first

    @property
    def evidence(self) -> int:
        return len(self.posts)

    def count(self, dim: str, value: str) -> int:
        return sum(1 for post in self.posts if post.values.get(dim) == value)


def _publications(channel: str) -> list[dict]:
    return list(
        Publication.objects.filter(
            piece__channel=channel,
            published_at__isnull=False,
            metric_snapshots__isnull=False,
        )
        .distinct()
        .values(
            "pk",
            "published_at",
            "piece_id",
            "piece__body",
            "piece__business_id",
            "piece__business__industry",
            "piece__business__time_zone",
            *(f"piece__{name}" for name in ATTRIBUTES),
        )
    )


def _snapshots(ids: list[int]) -> tuple[dict[int, list[tuple[dt.datetime, dict]]], set[int]]:
    """Each publication's readings, and the publications read only from a simulator."""
    found: dict[int, list[tuple[dt.datetime, dict]]] = defaultdict(list)
    real: set[int] = set()
    rows = MetricSnapshot.objects.filter(publication_id__in=ids).values_list(
        "publication_id", "collected_at", "source", *SNAPSHOT_NUMBERS
    )
    for pk, at, source, *numbers in rows.iterator(chunk_size=2000):
        found[pk].append((at, dict(zip(SNAPSHOT_NUMBERS, numbers, strict=True))))
        if source != MetricSnapshot.Source.SANDBOX:
            real.add(pk)
    return found, set(found) - real


def _measured(
    channel: str, rows: list[dict], snapshots: dict, disliked: set[int], simulated: set[int]
) -> list[Measured]:
    """One business's measured posts on the channel, oldest first, with their scores."""
    space = space_for(channel)
    readings = {
        row["pk"]: scoring.readings_of(row["published_at"], snapshots.get(row["pk"], []), channel)
        for row in rows
    }
    curve = scoring.fit_curve(list(readings.values()))
    kept = []
    for row in sorted(rows, key=lambda r: r["published_at"]):
        projection = scoring.project(readings[row["pk"]], curve)
        if projection is None:
            continue
        zone = ZoneInfo(row["piece__business__time_zone"] or "Asia/Seoul")
        attributes = {name: row[f"piece__{name}"] for name in ATTRIBUTES}
        kept.append(
            (row, projection, describe(space, attributes, row["published_at"].astimezone(zone)))
        )
    scores = _backfitted_scores(space, kept)
    return [
        Measured(
            publication_id=row["pk"],
            piece_id=row["piece_id"],
            published_at=row["published_at"],
            values=values,
            outcome=projection.value,
            weight=projection.weight,
            score=score,
            text=row["piece__body"] or "",
            disliked=row["piece_id"] in disliked,
            simulated=row["pk"] in simulated,
        )
        for (row, projection, values), score in zip(kept, scores, strict=True)
    ]


def _backfitted_scores(space: Space, kept: list) -> list[float]:
    """Scores against a baseline of what the account's choices do not explain: fit the
    effects on the scores, take the running level of the rest, score again (a few
    rounds of backfitting from the plain running baseline)."""
    values = [projection.value for _, projection, _ in kept]
    scores = scoring.scores(values)
    if len(kept) < MIN_BACKFIT:
        return scores
    names = space.features()
    index = {name: i for i, name in enumerate(names)}
    mean, sd = house_prior(space)
    for _ in range(BACKFIT_ROUNDS):
        observations = [
            Observation(values_, score, projection.weight)
            for (_, projection, values_), score in zip(kept, scores, strict=True)
        ]
        fitted = posterior(space, stats_of(space, observations), mean, sd)
        effects = fitted.mean.copy()
        effects[index["intercept"]] = 0.0
        scores = scoring.scores(
            values, [float(design_row(space, values_, index) @ effects) for _, _, values_ in kept]
        )
    return scores


def _disliked(channel: str) -> list[dict]:
    """The channel's pieces someone gave a 👎, each once, with their choices."""
    return list(
        Feedback.objects.filter(piece__channel=channel, rating=Feedback.Rating.DOWN)
        .values(
            "piece_id",
            "piece__business_id",
            "piece__business__industry",
            *(f"piece__{name}" for name in ATTRIBUTES),
        )
        .order_by()
        .distinct()
    )


def _unmeasured_dislikes(space: Space, rows: list[dict]) -> dict[int, list[Observation]]:
    """Disliked pieces without numbers (drafts, posts too young), per business: their
    creative choices as a half-weight post that did worse than usual."""
    found: dict[int, list[Observation]] = defaultdict(list)
    anytime = dt.datetime(2000, 1, 1)  # not learned from: only the creative choices count
    for row in rows:
        attributes = {name: row[f"piece__{name}"] for name in ATTRIBUTES}
        if not attributes["hook_style"]:
            continue  # never written: no choices to count against
        values = describe(space, attributes, anytime)
        creative = {dim: values[dim] for dim in space.creative}
        found[row["piece__business_id"]].append(
            Observation(creative, -DISLIKE_PENALTY, DISLIKE_WEIGHT)
        )
    return found


@dataclass
class _ChannelData:
    by_business: dict[int, list[Measured]]
    family: dict[int, str]
    stats: dict[int, Stats]  # each shop's own evidence
    lent: dict[int, Stats]  # what each shop adds to the others' (no simulated readings)
    total: Stats
    family_total: dict[str, Stats]


_cache: dict[str, tuple[tuple, _ChannelData]] = {}
_lock = threading.Lock()
_UNREAD = (None, 0, None)  # the version of a channel with no snapshot yet


def _versions() -> dict[str, tuple]:
    """Each channel's version (newest snapshot, snapshots, newest publishing time; then
    the owners' feedback on its pieces: last change, how many), in two queries: the
    cached data of a channel holds until its version changes."""
    rows = (
        MetricSnapshot.objects.order_by()
        .values("publication__piece__channel")
        .annotate(last=Max("pk"), n=Count("pk"), moved=Max("publication__published_at"))
    )
    versions: dict[str, tuple] = {
        row["publication__piece__channel"]: (row["last"], row["n"], row["moved"]) for row in rows
    }
    feedback = (
        Feedback.objects.filter(piece__isnull=False)
        .order_by()
        .values("piece__channel")
        .annotate(changed=Max("updated_at"), n=Count("pk"))
    )
    for row in feedback:
        channel = row["piece__channel"]
        versions[channel] = (*versions.get(channel, _UNREAD), row["changed"], row["n"])
    return versions


def _channel_data(channel: str, version: tuple) -> _ChannelData:
    """Every business's measured posts and sufficient statistics on the channel, kept
    until a snapshot or a publication changes."""
    with _lock:
        cached = _cache.get(channel)
        if cached and cached[0] == version:
            return cached[1]
    space = space_for(channel)
    rows = _publications(channel)
    snapshots, simulated = _snapshots([row["pk"] for row in rows])
    grouped: dict[int, list[dict]] = defaultdict(list)
    family: dict[int, str] = {}
    for row in rows:
        grouped[row["piece__business_id"]].append(row)
        family[row["piece__business_id"]] = industry_for(row["piece__business__industry"]).family
    disliked = _disliked(channel)
    disliked_ids = {row["piece_id"] for row in disliked}
    by_business = {
        pk: _measured(channel, group, snapshots, disliked_ids, simulated)
        for pk, group in grouped.items()
    }
    measured_ids = {post.piece_id for posts in by_business.values() for post in posts}
    unmeasured = [row for row in disliked if row["piece_id"] not in measured_ids]
    for row in unmeasured:
        family[row["piece__business_id"]] = industry_for(row["piece__business__industry"]).family
    extra = _unmeasured_dislikes(space, unmeasured)
    size = len(space.features())

    def observed(pk: int, *, real_only: bool) -> Stats:
        return stats_of(
            space,
            [
                *(
                    Observation(p.values, p.learned_score, p.weight)
                    for p in by_business.get(pk, [])
                    if not (real_only and p.simulated)
                ),
                *extra.get(pk, []),
            ],
        )

    stats = {pk: observed(pk, real_only=False) for pk in {*by_business, *extra}}
    # What a shop lends the others: a simulator's audience is nobody's customers.
    lent = {
        pk: observed(pk, real_only=True)
        if any(p.simulated for p in by_business.get(pk, []))
        else item
        for pk, item in stats.items()
    }
    total = sum(lent.values(), Stats.empty(size))
    family_total: dict[str, Stats] = defaultdict(lambda: Stats.empty(size))
    for pk, item in lent.items():
        family_total[family[pk]] = family_total[family[pk]] + item
    data = _ChannelData(by_business, family, stats, lent, total, dict(family_total))
    with _lock:
        _cache[channel] = (version, data)
    return data


def knowledge(*, business_id: int, family: str, channel: str) -> Knowledge:
    """The shop's posterior: the house prior, then all other shops, then other shops of
    its industry family, then what its other channels saw of its customers (when they
    are around, and the openings, lengths and emoji they answer to), then its own posts
    on the channel (none of its posts counted twice)."""
    return knowledge_for(business_id=business_id, family=family, channels=[channel])[0]


def knowledge_for(*, business_id: int, family: str, channels: Sequence[str]) -> list[Knowledge]:
    """``knowledge`` on each of ``channels``, in order, from one look at the channels'
    versions (a page showing every channel asks the database once, not per channel)."""
    if not channels:
        return []
    versions = _versions()
    data = {c: _channel_data(c, versions.get(c, _UNREAD)) for c in {*channels, *CHANNELS}}
    return [_from(data, business_id, family, channel) for channel in channels]


def _from(data: dict[str, _ChannelData], business_id: int, family: str, channel: str) -> Knowledge:
    space = space_for(channel)
    own_data = data[channel]
    size = len(space.features())
    own = own_data.stats.get(business_id, Stats.empty(size))
    own_lent = own_data.lent.get(business_id, Stats.empty(size))
    same_family = own_data.family_total.get(family, Stats.empty(size)) - own_lent
    others = own_data.total - own_lent - same_family
    sister = stats_of(
        space,
        (
            Observation(
                {dim: post.values[dim] for dim in SHARED if dim in post.values},
                post.learned_score,
                post.weight,
            )
            for other in CHANNELS
            if other != channel
            for post in data[other].by_business.get(business_id, [])
        ),
    )
    return Knowledge(
        space,
        pooled(space, [others, same_family, sister, own]),
        list(own_data.by_business.get(business_id, [])),
    )


def lift(knowledge: Knowledge, dim: str, value: str) -> tuple[float, int] | None:
    """How much better (×) this shop's posts with ``value`` scored than its others on the
    dimension, and how many posts had it; None with fewer than three on either side."""
    inside = [p for p in knowledge.posts if p.values.get(dim) == value]
    outside = [p for p in knowledge.posts if p.values.get(dim) != value]
    if len(inside) < 3 or len(outside) < 3:
        return None
    mean_in = sum(p.score for p in inside) / len(inside)
    mean_out = sum(p.score for p in outside) / len(outside)
    return math.exp(mean_in - mean_out), len(inside)


def value_counts(knowledge: Knowledge) -> Counter[tuple[str, str]]:
    return Counter((dim, value) for post in knowledge.posts for dim, value in post.values.items())
