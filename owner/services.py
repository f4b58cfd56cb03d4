"""What the owner does from the review screen and the calendar that spans apps: approve a
piece (it is scheduled at its planned time), move a post to another day or time in the
shop's own zone, and "오늘 뭐 올리지?": one post from one photo and one line."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from content.channels import POSTING_HOURS, Channel
from content.models import ContentPiece
from core import queue
from marketing.models import Business, Photo, User
from publishing.models import Publication
from publishing.services import SchedulingError, schedule_piece

# A planned time already past (or none) becomes this far from now when approved.
SOON = dt.timedelta(minutes=5)


def approve(
    piece: ContentPiece, *, user: User | None = None, seen_revision: int | None = None
) -> Publication:
    """Approve the revision the owner looked at (``seen_revision``; refused when the copy
    changed since): it goes out at its planned time (soon, when that has passed).
    Raises SchedulingError with the reason."""
    now = timezone.now()
    at = piece.planned_for if piece.planned_for and piece.planned_for > now + SOON else None
    return schedule_piece(piece, at or now + SOON, user=user, seen_revision=seen_revision)


def local_moment(day: dt.date, time: dt.time, zone: str) -> dt.datetime:
    """``day`` at ``time`` on the shop's wall clock, as an aware datetime. A time that a
    daylight-saving change skips moves forward, and a repeated one takes its first
    occurrence, as a phone's clock would."""
    tz = ZoneInfo(zone)
    moment = dt.datetime.combine(day, time, tzinfo=tz)
    # Round-trip through UTC to normalise a skipped wall time (02:30 on a spring-forward day).
    return moment.astimezone(dt.UTC).astimezone(tz)


def move(
    piece: ContentPiece,
    *,
    day: dt.date,
    time: dt.time | None = None,
    user: User | None = None,
    now: dt.datetime | None = None,
) -> dt.datetime:
    """Move a piece to ``day`` (keeping its local time of day unless ``time`` is given),
    in the shop's zone. A scheduled piece is rescheduled; one still in review only gets
    its planned time. Refuses the past and a piece already out. Returns the new time."""
    zone = piece.business.time_zone
    if time is None:
        current = piece.planned_for or timezone.now()
        time = timezone.localtime(current, ZoneInfo(zone)).time().replace(second=0, microsecond=0)
    at = local_moment(day, time, zone)
    if at <= (now or timezone.now()):
        raise SchedulingError("지난 시간으로는 옮길 수 없어요. 앞으로의 날짜와 시간을 골라 주세요.")
    if piece.status == ContentPiece.Status.PUBLISHED:
        raise SchedulingError("이미 게시된 글은 옮길 수 없어요.")
    live = Publication.objects.live().filter(piece=piece).first()
    if live is not None:
        schedule_piece(piece, at, account=live.channel_account, user=user)
    else:
        ContentPiece.objects.filter(pk=piece.pk).update(planned_for=at)
    piece.planned_for = at
    return at


NOTE_MAX = 200


def next_posting_time(
    business: Business, channel: str, now: dt.datetime | None = None
) -> dt.datetime:
    """Today's next usual posting hour for the channel in the shop's zone, or in half an
    hour when today's have passed (time enough to write, render and look at it)."""
    now = now or timezone.now()
    zone = ZoneInfo(business.time_zone)
    today = timezone.localtime(now, zone).date()
    soon = now + dt.timedelta(minutes=30)
    for hour in POSTING_HOURS.get(channel, (12,)):
        at = local_moment(today, dt.time(hour), business.time_zone)
        if at >= soon:
            return at
    return soon.replace(second=0, microsecond=0)


def quick_post(
    business: Business, *, line: str, photo: Photo | None, channel: str, user: User | None = None
) -> ContentPiece:
    """A single post outside any campaign, written from the owner's line (and led by the
    photo), planned for today's next good time. It is written and rendered in the
    background like any piece, then reviewed and approved like any piece."""
    line = " ".join(line.split())
    if not line:
        raise ValueError("올리고 싶은 내용을 한 줄 적어 주세요.")
    if len(line) > NOTE_MAX:
        raise ValueError(f"한 줄은 {NOTE_MAX}자까지 적을 수 있어요.")
    if channel not in Channel.values:
        raise ValueError("올릴 채널을 골라 주세요.")
    if photo is not None and photo.business_id != business.pk:
        raise ValueError("이 가게의 사진이 아닙니다.")
    with transaction.atomic():
        piece = ContentPiece.objects.create(
            business=business,
            channel=channel,
            note=line,
            photo=photo,
            planned_for=next_posting_time(business, channel),
            seed=int(timezone.now().timestamp()) % 100_000,
        )
        queue.enqueue("content.tasks.generate_piece", piece.pk, "", "")
    return piece
