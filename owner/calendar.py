"""The calendar's data: every piece of a business across channels placed on the shop's
local days for a week or a month, with the times the learning loop found best.

A fixed number of queries whatever the number of pieces: one for the pieces (with their
live publication prefetched), one for what was learned.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Prefetch
from django.utils import timezone

from analytics.selectors import learned_for
from content.channels import Channel
from content.models import ContentPiece
from marketing.models import Business
from publishing.models import Publication

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")


@dataclass(frozen=True)
class Hint:
    channel: str
    label: str  # "인스타그램"
    weekday: int
    hour: int

    @property
    def text(self) -> str:
        return f"{self.label} · {WEEKDAYS[self.weekday]}요일 {self.hour}시"


@dataclass(frozen=True)
class Entry:
    piece: ContentPiece
    at: dt.datetime  # in the shop's zone
    state: str  # the publication's state once scheduled, else the piece's status
    state_label: str


@dataclass
class Day:
    date: dt.date
    in_month: bool = True
    entries: list[Entry] = field(default_factory=list)
    hints: list[Hint] = field(default_factory=list)

    @property
    def weekday_label(self) -> str:
        return WEEKDAYS[self.date.weekday()]


@dataclass(frozen=True)
class Period:
    view: str  # "week" | "month"
    start: dt.date
    end: dt.date  # exclusive
    previous: dt.date
    next: dt.date
    title: str


def period_for(view: str, anchor: dt.date) -> Period:
    if view == "month":
        first = anchor.replace(day=1)
        start = first - dt.timedelta(days=first.weekday())
        days_in = pycalendar.monthrange(first.year, first.month)[1]
        last = first + dt.timedelta(days=days_in)
        end = last + dt.timedelta(days=(7 - last.weekday()) % 7)
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return Period("month", start, end, previous, last, f"{first.year}년 {first.month}월")
    start = anchor - dt.timedelta(days=anchor.weekday())
    end = start + dt.timedelta(days=7)
    last_day = end - dt.timedelta(days=1)
    title = f"{start.month}월 {start.day}일 – {last_day.month}월 {last_day.day}일"
    return Period("week", start, end, start - dt.timedelta(days=7), end, title)


def hints_for(business: Business, channels: list[str]) -> list[Hint]:
    """Each channel's best weekday and hour once the loop has enough of the shop's own
    posts to use learned times (none before: the calendar says nothing it doesn't know)."""
    labels = dict(Channel.choices)
    return [
        Hint(
            learned.channel,
            str(labels[learned.channel]),
            int(learned.best["weekday"]),
            int(learned.best["hour"]),
        )
        for learned in learned_for(business_id=business.pk, channels=channels)
        if learned.uses_learned_times and {"weekday", "hour"} <= set(learned.best)
    ]


def next_planned(business: Business, period: Period) -> dt.date | None:
    """The local day of the shop's first post after ``period`` (an empty week after a
    weekend sign-up points there), or None."""
    zone = ZoneInfo(business.time_zone)
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=zone)
    first = (
        ContentPiece.objects.filter(business=business, planned_for__gte=end)
        .exclude(status__in=(ContentPiece.Status.ARCHIVED, ContentPiece.Status.FAILED))
        .order_by("planned_for")
        .values_list("planned_for", flat=True)
        .first()
    )
    return timezone.localtime(first, zone).date() if first else None


def days_for(business: Business, period: Period, hints: list[Hint]) -> list[Day]:
    zone = ZoneInfo(business.time_zone)
    start = dt.datetime.combine(period.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(period.end, dt.time(), tzinfo=zone)
    publications = Publication.objects.exclude(state=Publication.State.CANCELED)
    pieces = (
        ContentPiece.objects.filter(business=business, planned_for__gte=start, planned_for__lt=end)
        .exclude(status=ContentPiece.Status.ARCHIVED)
        .select_related("campaign")
        .prefetch_related(
            Prefetch(
                "publications", queryset=publications.order_by("-scheduled_at"), to_attr="live"
            )
        )
        .order_by("planned_for", "pk")
    )
    by_day: dict[dt.date, list[Entry]] = defaultdict(list)
    for piece in pieces:
        assert piece.planned_for is not None
        at = timezone.localtime(piece.planned_for, zone)
        live: list[Publication] = getattr(piece, "live", [])
        if live:
            entry = Entry(piece, at, live[0].state, live[0].get_state_display())
        else:
            entry = Entry(piece, at, piece.status, piece.get_status_display())
        by_day[at.date()].append(entry)
    month = (period.start + dt.timedelta(days=10)).month
    days = []
    day = period.start
    while day < period.end:
        days.append(
            Day(
                date=day,
                in_month=period.view == "week" or day.month == month,
                entries=by_day.get(day, []),
                hints=[h for h in hints if h.weekday == day.weekday()],
            )
        )
        day += dt.timedelta(days=1)
    return days
