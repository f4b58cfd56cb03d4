"""What the owner's posts did, the way a shop owner reads it: a few headline numbers
against the period before ("지난 4주보다 도달 18% ↑"), each channel over time, and the
posts that did best and worst.

A post's numbers are its latest reading (``MetricSnapshot``): what the platform said
last. "본 사람" is reach where the platform reports it (Instagram) and views elsewhere;
"반응" adds up likes, comments, saves, shares, reposts and quotes. One query reads every
post of both periods with its latest reading, whatever their number.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.db.models import F, OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import decisions
from analytics.models import AccountReading, MetricSnapshot
from content.channels import Channel
from marketing.models import Business, UsageRecord
from marketing.quota import month_start
from publishing.models import Publication

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

PERIODS: dict[str, tuple[int, StrOrPromise]] = {
    "week": (7, gettext_lazy("이번 주")),
    "4weeks": (28, gettext_lazy("4주")),
    "3months": (91, gettext_lazy("3개월")),
}
PREVIOUS_WORDS = {
    "week": gettext_lazy("지난주보다"),
    "4weeks": gettext_lazy("지난 4주보다"),
    "3months": gettext_lazy("지난 3개월보다"),
}
ATTRIBUTES = ("format", "hook_style", "length_bucket")  # shown beside the best and worst
INTERACTIONS = ("likes", "comments", "saves", "shares", "reposts", "quotes")
NUMBERS = ("reach", "views", *INTERACTIONS)
TOP = 3
# The heatmap's hours, in bands of three from 6:00 (a night's posts join the last band).
BANDS = (6, 9, 12, 15, 18, 21)
SURE_AFTER = 3  # posts in a cell before its mean is shown as more than a hint
WEEKDAY_NAMES = ("월", "화", "수", "목", "금", "토", "일")


@dataclass(frozen=True)
class PostResult:
    publication_id: int
    piece_id: int
    channel: str
    title: str
    published_at: dt.datetime
    seen: int
    interactions: int
    attributes: tuple[str, ...] = ()  # the owner's words for its format, hook and length

    @property
    def channel_label(self) -> str:
        return str(Channel(self.channel).label)


@dataclass(frozen=True)
class Headline:
    key: str  # "posts" | "seen" | "interactions"
    label: str
    value: int
    previous: int

    @property
    def change(self) -> int | None:
        """Percent change against the period before; None when there was nothing then."""
        if not self.previous:
            return None
        return round((self.value - self.previous) * 100 / self.previous)


@dataclass
class Results:
    period: str
    start: dt.date  # local, inclusive
    end: dt.date  # local, exclusive
    headlines: list[Headline]
    buckets: list[dt.date]  # the first day of each point on the time axis
    series: dict[str, list[int]]  # channel -> "본 사람" per bucket
    best: list[PostResult] = field(default_factory=list)
    worst: list[PostResult] = field(default_factory=list)
    measured: int = 0  # posts of this period with numbers
    # weekday (0 = Monday) x band -> (mean 본 사람, posts); absent when no post
    heat: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    seen_by_channel: dict[str, int] = field(default_factory=dict)  # this period
    seen_before: dict[str, int] = field(default_factory=dict)  # the period before

    def words(self, headline: Headline) -> str:
        """ "지난 4주보다 도달 18% ↑", or what there is to say without a comparison."""
        change = headline.change
        if change is None:
            return _("비교할 이전 기간 결과가 아직 없어요")
        if change == 0:
            return _("%(than)s 비슷해요") % {"than": PREVIOUS_WORDS[self.period]}
        arrow = "↑" if change > 0 else "↓"
        return f"{PREVIOUS_WORDS[self.period]} {abs(change)}% {arrow}"


def _latest(name: str) -> Subquery:
    newest = MetricSnapshot.objects.filter(publication=OuterRef("pk")).order_by("-collected_at")
    return Subquery(newest.values(name)[:1])


def _posts(
    business: Business, since: dt.datetime, until: dt.datetime, campaign_id: int | None
) -> QuerySet[Publication, dict[str, Any]]:
    published = Publication.objects.filter(
        piece__business=business,
        state=Publication.State.PUBLISHED,
        published_at__gte=since,
        published_at__lt=until,
    )
    if campaign_id:
        published = published.filter(piece__campaign_id=campaign_id)
    return published.annotate(
        channel=F("piece__channel"),
        title=F("piece__title"),
        **{f"attr_{name}": F(f"piece__{name}") for name in ATTRIBUTES},
        **{f"latest_{name}": _latest(name) for name in NUMBERS},
    ).values(
        "pk",
        "piece_id",
        "channel",
        "title",
        "published_at",
        *(f"attr_{n}" for n in ATTRIBUTES),
        *(f"latest_{n}" for n in NUMBERS),
    )


def _result(row: dict) -> PostResult | None:
    numbers = {name: row[f"latest_{name}"] for name in NUMBERS}
    if all(value is None for value in numbers.values()):
        return None  # not read yet
    seen = numbers["reach"] if numbers["reach"] is not None else numbers["views"]
    return PostResult(
        publication_id=row["pk"],
        piece_id=row["piece_id"],
        channel=row["channel"],
        title=row["title"],
        published_at=row["published_at"],
        seen=int(seen or 0),
        interactions=sum(int(numbers[name] or 0) for name in INTERACTIONS),
        attributes=tuple(
            decisions.label(name, row[f"attr_{name}"]) for name in ATTRIBUTES if row[f"attr_{name}"]
        ),
    )


def results_for(
    business: Business,
    *,
    period: str = "4weeks",
    campaign_id: int | None = None,
    now: dt.datetime | None = None,
) -> Results:
    period = period if period in PERIODS else "4weeks"
    days = PERIODS[period][0]
    zone = ZoneInfo(business.time_zone)
    today = timezone.localtime(now or timezone.now(), zone).date()
    end = today + dt.timedelta(days=1)
    start = end - dt.timedelta(days=days)
    before = start - dt.timedelta(days=days)

    def moment(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), tzinfo=zone)

    current: list[PostResult] = []
    previous: list[PostResult] = []
    posts_now = posts_then = 0
    for row in _posts(business, moment(before), moment(end), campaign_id):
        local = timezone.localtime(row["published_at"], zone).date()
        is_now = local >= start
        posts_now, posts_then = posts_now + is_now, posts_then + (not is_now)
        result = _result(row)
        if result is not None:
            (current if is_now else previous).append(result)

    step = 1 if period == "week" else 7
    buckets = [start + dt.timedelta(days=offset) for offset in range(0, days, step)]
    series: dict[str, list[int]] = defaultdict(lambda: [0] * len(buckets))
    for post in current:
        local = timezone.localtime(post.published_at, zone).date()
        series[post.channel][(local - start).days // step] += post.seen
    cells: dict[tuple[int, int], list[int]] = defaultdict(list)
    for post in current:
        local_time = timezone.localtime(post.published_at, zone)
        cells[(local_time.weekday(), band_of(local_time.hour))].append(post.seen)
    heat = {cell: (round(sum(v) / len(v)), len(v)) for cell, v in cells.items()}
    ranked = sorted(current, key=lambda p: p.seen + 5 * p.interactions, reverse=True)
    headlines = [
        Headline("posts", _("올린 게시물"), posts_now, posts_then),
        Headline("seen", _("본 사람"), sum(p.seen for p in current), sum(p.seen for p in previous)),
        Headline(
            "interactions",
            _("반응"),
            sum(p.interactions for p in current),
            sum(p.interactions for p in previous),
        ),
    ]
    if not campaign_id:  # followers belong to the account, not to a campaign's posts
        gained = _followers_gained(business, moment(before), moment(start), moment(end))
        if gained is not None:
            headlines.append(Headline("followers", _("팔로워 증가"), *gained))
    ordered = {c: series[c] for c in Channel.values if c in series}
    seen_now: dict[str, int] = defaultdict(int)
    seen_then: dict[str, int] = defaultdict(int)
    for posts, totals in ((current, seen_now), (previous, seen_then)):
        for post in posts:
            totals[post.channel] += post.seen
    return Results(
        period=period,
        start=start,
        end=end,
        headlines=headlines,
        buckets=buckets,
        series=ordered,
        best=ranked[:TOP],
        worst=ranked[-TOP:][::-1] if len(ranked) > TOP else [],
        measured=len(current),
        heat=heat,
        seen_by_channel=dict(seen_now),
        seen_before=dict(seen_then),
    )


def _followers_gained(
    business: Business, before: dt.datetime, start: dt.datetime, end: dt.datetime
) -> tuple[int, int] | None:
    """Followers gained in [start, end) and in [before, start), summed over the shop's
    accounts whose platform reports followers (AccountReading, about daily): per account
    the last reading by a period's end minus the last one by its start (or its first
    reading in the period). None when no account has a reading yet. One query."""
    readings: dict[int, list[tuple[dt.datetime, int]]] = defaultdict(list)
    for account_id, at, followers in (
        AccountReading.objects.filter(
            account__business=business,
            collected_at__gte=before - dt.timedelta(days=8),
            collected_at__lt=end,
        )
        .order_by("collected_at")
        .values_list("account_id", "collected_at", "followers")
    ):
        readings[account_id].append((at, followers))
    if not readings:
        return None

    def gained(since: dt.datetime, until: dt.datetime) -> int:
        total = 0
        for rows in readings.values():
            earlier = [n for at, n in rows if at < since]
            within = [n for at, n in rows if since <= at < until]
            if within:  # nothing read in the period: nothing known about it
                total += within[-1] - (earlier[-1] if earlier else within[0])
        return total

    return gained(start, end), gained(before, start)


def band_of(hour: int) -> int:
    """The heatmap band of a local hour: 6–8 is band 0 … 21–23 band 5; before 6 counts
    with the night before (band 5)."""
    if hour < BANDS[0]:
        return len(BANDS) - 1
    return max(i for i, start in enumerate(BANDS) if hour >= start)


def band_label(band: int) -> str:
    start = BANDS[band]
    return f"{start}–{start + 3}시"


@dataclass(frozen=True)
class Usage:
    """This month's use against the plan: pieces (the organization's, as the plan counts
    them) and the AI calls behind this shop's posts with their estimated cost."""

    pieces: int
    quota: int | None  # None: unlimited
    llm_calls: int
    llm_cost_usd: Decimal

    @property
    def share(self) -> int | None:
        return round(self.pieces * 100 / self.quota) if self.quota else None


def usage_for(business: Business, *, now: dt.datetime | None = None) -> Usage:
    """One query over this month's usage records (the month of the product's zone, as the
    quota counts it)."""
    piece, call = UsageRecord.Kind.PIECE, UsageRecord.Kind.LLM_CALL
    totals = UsageRecord.objects.filter(
        organization_id=business.organization_id, created_at__gte=month_start(now)
    ).aggregate(
        pieces=Sum("quantity", filter=Q(kind=piece)),
        calls=Sum("quantity", filter=Q(kind=call, business=business)),
        cost=Sum("cost_usd", filter=Q(kind=call, business=business)),
    )
    plan = business.organization.plan
    return Usage(
        pieces=totals["pieces"] or 0,
        quota=plan.monthly_piece_quota if plan else None,
        llm_calls=totals["calls"] or 0,
        llm_cost_usd=totals["cost"] or Decimal(0),
    )


def channels_posted(business: Business) -> list[str]:
    """The channels the shop has published on, in menu order (for the 배운 점 cards)."""
    used = set(
        Publication.objects.filter(piece__business=business, published_at__isnull=False)
        .values_list("piece__channel", flat=True)
        .distinct()
    )
    return [channel for channel in Channel.values if channel in used]
