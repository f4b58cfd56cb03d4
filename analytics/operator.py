"""What the operator reads at 3 a.m. on the superuser page (``/app/operator/``): the work
waiting in each queue and the workers serving it, how publishing went per platform, how
far metric collection lags, what the writer's LLM calls cost per local day, and what
failed and needs a person.

Every figure is counted in the database (``Count`` / ``Sum`` / ``Min`` with filters,
``TruncDate`` in ``TIME_ZONE``), so the page runs the same queries however many rows
there are: one per section, two per attention list (its first rows and its count).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import models
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from analytics.models import Collection
from content.channels import Channel
from content.models import ContentPiece, RenderStatus
from core.health import live_workers
from core.queue_depths import queue_depths
from marketing.models import UsageRecord
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.transitions import DUE

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DAY, WEEK = dt.timedelta(hours=24), dt.timedelta(days=7)
# The dispatchers run every minute (publishing) and every 5 minutes (collection): work
# still due a quarter of an hour later means beat, a dispatcher or a worker is stuck.
LATE_AFTER = dt.timedelta(minutes=15)
USAGE_DAYS = 14
LIST_LIMIT = 20  # rows shown per attention list; the count covers them all
ATTENTION_STATES = (Publication.State.FAILED, Publication.State.NEEDS_ACTION)
FAILED_CALLS = (
    PublishAttempt.Outcome.TRANSIENT,
    PublishAttempt.Outcome.PERMANENT,
    PublishAttempt.Outcome.AUTH,
    PublishAttempt.Outcome.INTERRUPTED,
)
# Outcome → (the state a publication ends in, the time it got there).
OUTCOMES = {
    "published": (Publication.State.PUBLISHED, "published_at"),
    "failed": (Publication.State.FAILED, "state_changed_at"),
    "needs_action": (Publication.State.NEEDS_ACTION, "state_changed_at"),
}

# Rows never moved (no state_changed_at) go last on every database.
NEWEST_CHANGE = F("state_changed_at").desc(nulls_last=True)

Row = TypeVar("Row", bound=models.Model)


@dataclass(frozen=True)
class Window:
    """A count over the last 24 hours and over the last 7 days."""

    day: int = 0
    week: int = 0


@dataclass(frozen=True)
class QueueRow:
    name: str
    waiting: int | None  # None when the broker could not be read
    workers: list[str]
    declared: bool  # in CELERY_TASK_QUEUES; other queues are ones a worker named


@dataclass(frozen=True)
class PlatformOutcomes:
    platform: str
    label: StrOrPromise
    published: Window = Window()
    failed: Window = Window()
    needs_action: Window = Window()
    calls: Window = Window()  # platform calls (publishing and collecting) started
    failed_calls: Window = Window()
    failed_now: int = 0
    needs_action_now: int = 0
    overdue: int = 0  # scheduled or waiting to retry, due for longer than LATE_AFTER


@dataclass(frozen=True)
class CollectionLag:
    collecting: int
    due: int  # collecting, and next_collect_at has passed
    late: int  # due for longer than LATE_AFTER
    worst: dt.timedelta | None  # now − the oldest next_collect_at that has passed
    paused: int  # waiting for their account to be reconnected

    @property
    def worst_minutes(self) -> int | None:
        return None if self.worst is None else int(self.worst.total_seconds() // 60)


@dataclass(frozen=True)
class Usage:
    llm_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: Decimal = Decimal(0)
    pieces: int = 0

    def __add__(self, other: Usage) -> Usage:
        return Usage(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


@dataclass(frozen=True)
class UsageDay:
    day: dt.date
    usage: Usage


@dataclass(frozen=True)
class Listed(Generic[Row]):
    rows: list[Row]
    count: int

    @property
    def more(self) -> int:
        return self.count - len(self.rows)


@dataclass(frozen=True)
class Attention:
    publications: Listed[Publication]
    accounts: Listed[ChannelAccount]
    pieces: Listed[ContentPiece]


@dataclass(frozen=True)
class OperatorReport:
    now: dt.datetime
    queues: list[QueueRow]
    broker_error: str
    platforms: list[PlatformOutcomes]
    lag: CollectionLag
    usage_days: list[UsageDay]  # newest first, a row for every day
    attention: Attention

    @property
    def waiting_total(self) -> int | None:
        """Messages waiting in every queue; None when the broker could not be read."""
        return None if self.broker_error else sum(row.waiting or 0 for row in self.queues)

    @property
    def unserved_queues(self) -> list[str]:
        return [row.name for row in self.queues if row.declared and not row.workers]

    @property
    def attention_total(self) -> int:
        listed = (self.attention.publications, self.attention.accounts, self.attention.pieces)
        return sum(each.count for each in listed)

    @property
    def usage_total(self) -> Usage:
        return sum((day.usage for day in self.usage_days), Usage())


def operator_report(now: dt.datetime | None = None) -> OperatorReport:
    """Everything the operator page shows, as of ``now``."""
    now = now or timezone.now()
    queues, broker_error = queue_rows()
    return OperatorReport(
        now=now,
        queues=queues,
        broker_error=broker_error,
        platforms=publish_outcomes(now),
        lag=collection_lag(now),
        usage_days=usage_by_day(now),
        attention=needs_attention(),
    )


def queue_rows() -> tuple[list[QueueRow], str]:
    """Each declared queue (then any other a live worker serves) with its waiting messages
    and live workers, and the broker's error when it could not be read."""
    workers = live_workers()
    declared = {queue.name for queue in settings.CELERY_TASK_QUEUES}
    depths = queue_depths(list(workers))
    rows = [
        QueueRow(name, depths.waiting.get(name), sorted(hosts), name in declared)
        for name, hosts in workers.items()
    ]
    return rows, depths.error


def publish_outcomes(now: dt.datetime) -> list[PlatformOutcomes]:
    """Per platform: publications that went out, failed or were handed to the owner in the
    last 24 h / 7 days, the platform calls made and failed, and what waits on someone now."""
    late = now - LATE_AFTER
    counts: dict[str, Any] = {
        "failed_now": Count("pk", filter=Q(state=Publication.State.FAILED)),
        "needs_action_now": Count("pk", filter=Q(state=Publication.State.NEEDS_ACTION)),
        "overdue": Count("pk", filter=Q(state__in=DUE, next_attempt_at__lte=late)),
    }
    recent = Q()
    for name, (state, when) in OUTCOMES.items():
        counts |= _windowed(name, when, now, Q(state=state))
        recent |= Q(**{f"{when}__gte": now - WEEK})
    publications = (
        Publication.objects.filter(
            recent | Q(state__in=ATTENTION_STATES) | Q(state__in=DUE, next_attempt_at__lte=late)
        )
        .order_by()
        .values("piece__channel")
        .annotate(**counts)
    )
    attempts = (
        PublishAttempt.objects.filter(started_at__gte=now - WEEK)
        .order_by()
        .values("publication__piece__channel")
        .annotate(
            **_windowed("calls", "started_at", now, Q()),
            **_windowed("failed_calls", "started_at", now, Q(outcome__in=FAILED_CALLS)),
        )
    )
    by_platform: dict[str, dict[str, Any]] = {channel: {} for channel in Channel.values}
    for row in publications:
        by_platform[row.pop("piece__channel")].update(row)
    for row in attempts:
        by_platform[row.pop("publication__piece__channel")].update(row)
    return [
        PlatformOutcomes(platform, Channel(platform).label, **_windows(found))
        for platform, found in by_platform.items()
    ]


def collection_lag(now: dt.datetime) -> CollectionLag:
    """How far the collection ladder is behind: collections due and not yet read."""
    collecting = Q(state=Collection.State.COLLECTING)
    due = collecting & Q(next_collect_at__lte=now)
    found = Collection.objects.aggregate(
        collecting=Count("pk", filter=collecting),
        due=Count("pk", filter=due),
        late=Count("pk", filter=collecting & Q(next_collect_at__lte=now - LATE_AFTER)),
        oldest=Min("next_collect_at", filter=due),
        paused=Count("pk", filter=Q(state=Collection.State.PAUSED)),
    )
    oldest = found.pop("oldest")
    return CollectionLag(**found, worst=now - oldest if oldest else None)


def usage_by_day(now: dt.datetime) -> list[UsageDay]:
    """LLM calls, tokens, cost and pieces metered on each of the last ``USAGE_DAYS`` days
    in ``TIME_ZONE`` (today included), newest first; a day with nothing is zeros."""
    zone = ZoneInfo(settings.TIME_ZONE)
    today = timezone.localdate(now, zone)
    start = dt.datetime.combine(today - dt.timedelta(days=USAGE_DAYS - 1), dt.time.min, zone)
    rows = (
        UsageRecord.objects.filter(created_at__gte=start)
        .order_by()
        .values(day=TruncDate("created_at", tzinfo=zone))
        .annotate(
            llm_calls=Sum("quantity", filter=Q(kind=UsageRecord.Kind.LLM_CALL)),
            input_tokens=Sum("input_tokens"),
            output_tokens=Sum("output_tokens"),
            cost_usd=Sum("cost_usd"),
            pieces=Sum("quantity", filter=Q(kind=UsageRecord.Kind.PIECE)),
        )
    )
    by_day = {row["day"]: _usage(row) for row in rows}
    days = (today - dt.timedelta(days=n) for n in range(USAGE_DAYS))
    return [UsageDay(day, by_day.get(day, Usage())) for day in days]


def needs_attention() -> Attention:
    """What needs a person, newest first: publications failed or waiting for the owner,
    accounts to reconnect, pieces whose writing or rendering failed."""
    return Attention(
        publications=_listed(
            Publication.objects.filter(state__in=ATTENTION_STATES)
            .select_related("piece__business")
            .order_by(NEWEST_CHANGE, "-pk")
        ),
        accounts=_listed(
            ChannelAccount.objects.filter(state=ChannelAccount.State.NEEDS_REAUTH)
            .select_related("business")
            .order_by(NEWEST_CHANGE, "-pk")
        ),
        pieces=_listed(
            ContentPiece.objects.filter(
                Q(status=ContentPiece.Status.FAILED) | Q(render_status=RenderStatus.FAILED)
            )
            .select_related("business")
            .order_by("-updated_at", "-pk")
        ),
    )


def _windowed(name: str, when: str, now: dt.datetime, match: Q) -> dict[str, Count]:
    """``<name>_day`` and ``<name>_week``: rows matching ``match`` whose ``when`` falls in
    the last 24 hours / 7 days."""
    return {
        f"{name}_{span}": Count("pk", filter=match & Q(**{f"{when}__gte": now - length}))
        for span, length in (("day", DAY), ("week", WEEK))
    }


def _windows(found: dict[str, Any]) -> dict[str, Any]:
    """``<name>_day`` / ``<name>_week`` pairs folded into ``Window``s; other counts kept."""
    folded: dict[str, Any] = {}
    for key, value in found.items():
        name, _, span = key.rpartition("_")
        if span in ("day", "week"):
            folded[name] = replace(folded.get(name, Window()), **{span: value})
        else:
            folded[key] = value
    return folded


def _usage(row: dict[str, Any]) -> Usage:
    # Sum() over no matching rows is NULL.
    return Usage(
        llm_calls=row["llm_calls"] or 0,
        input_tokens=row["input_tokens"] or 0,
        output_tokens=row["output_tokens"] or 0,
        cost_usd=row["cost_usd"] or Decimal(0),
        pieces=row["pieces"] or 0,
    )


def _listed(queryset: models.QuerySet[Row]) -> Listed[Row]:
    # Always counted, even when the first rows are all there: the same queries every time.
    return Listed(list(queryset[:LIST_LIMIT]), queryset.count())
