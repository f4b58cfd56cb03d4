"""Campaigns: a brief lays out calendar slots, and each slot becomes a piece that
is written by its own task on the generation queue, so channels are written
concurrently and one failure never holds up the rest."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterable
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.selectors import posting_slots
from campaigns.models import Campaign
from content.channels import POSTING_HOURS, Channel
from content.models import ContentPiece
from core import queue
from marketing.models import Business, Membership, User
from marketing.selectors import has_role

DEFAULT_POSTS_PER_WEEK: dict[str, int] = {
    Channel.INSTAGRAM: 3,
    Channel.NAVER_BLOG: 1,
    Channel.YOUTUBE_SHORTS: 1,
    Channel.THREADS: 3,
}
MAX_DAYS = 92
MAX_POSTS_PER_WEEK = 14
EARLIEST_LEAD = dt.timedelta(minutes=30)


def _weeks(days: list[dt.date]) -> Iterable[list[dt.date]]:
    for start in range(0, len(days), 7):
        yield days[start : start + 7]


# Given a channel, a week's days still open and the default local times for it, the
# times to use instead, each with the decision behind it (analytics.selectors.posting_slots).
Chooser = Callable[[str, list[dt.date], list[dt.datetime]], list[tuple[dt.datetime, dict]]]


def campaign_layout(
    *,
    starts_on: dt.date,
    ends_on: dt.date,
    channels: list[str],
    posts_per_week: dict[str, int],
    zone: ZoneInfo,
    now: dt.datetime,
    choose: Chooser | None = None,
) -> list[tuple[str, dt.datetime, dict]]:
    """(channel, UTC time, decision) for every post of the period, spread over each week.

    By default channels are offset from each other so they do not all post on the same
    day, at the channel's usual hours; ``choose`` (the learning loop) may move each
    week's posts to other days and hours. Times already past (or too close) are left out.
    """
    days = [starts_on + dt.timedelta(days=n) for n in range((ends_on - starts_on).days + 1)]
    slots: list[tuple[str, dt.datetime, dict]] = []
    for offset, channel in enumerate(channels):
        per_week = posts_per_week.get(channel, DEFAULT_POSTS_PER_WEEK[channel])
        hours = POSTING_HOURS[channel]
        for week in _weeks(days):
            count = min(len(week), max(1, round(per_week * len(week) / 7))) if per_week else 0
            defaults = [
                dt.datetime.combine(
                    week[(int((k + 0.5) * len(week) / count) + offset) % len(week)],
                    dt.time(hours[k % len(hours)]),
                    zone,
                )
                for k in range(count)
            ]
            open_days = [day for day in week if day >= now.astimezone(zone).date()]
            chosen = (
                choose(channel, open_days, defaults)
                if choose and defaults
                else [(when, {}) for when in defaults]
            )
            for local, decision in chosen:
                if local - now >= EARLIEST_LEAD:
                    slots.append((channel, local.astimezone(dt.UTC), decision))
    return sorted(slots, key=lambda slot: slot[1])


def campaign_slots(**kwargs: Any) -> list[tuple[str, dt.datetime]]:
    """(channel, UTC time) of ``campaign_layout`` with the default layout."""
    return [(channel, when) for channel, when, _ in campaign_layout(**kwargs)]


def _validate_brief(
    *, starts_on: dt.date, ends_on: dt.date, channels: list[str], posts_per_week: dict[str, int]
) -> None:
    errors: dict[str, list[str]] = {}
    if ends_on < starts_on:
        errors["ends_on"] = [_("종료일은 시작일보다 빠를 수 없습니다.")]
    elif (ends_on - starts_on).days + 1 > MAX_DAYS:
        errors["ends_on"] = [_("캠페인 기간은 최대 %(days)s일입니다.") % {"days": MAX_DAYS}]
    unknown = [c for c in channels if c not in Channel.values]
    if not channels or unknown:
        errors["channels"] = [
            _("채널을 하나 이상 골라 주세요: %(choices)s") % {"choices": ", ".join(Channel.values)}
        ]
    bad_counts = [
        c for c, n in posts_per_week.items()
        if c not in Channel.values or not isinstance(n, int) or not 0 <= n <= MAX_POSTS_PER_WEEK
    ]  # fmt: skip
    if bad_counts:
        errors["posts_per_week"] = [
            _("채널별 주당 게시 수는 0–%(max)s 사이의 정수여야 합니다.")
            % {"max": MAX_POSTS_PER_WEEK}
        ]
    if errors:
        raise ValidationError(errors)


def campaign_plan(
    *,
    business: Business,
    starts_on: dt.date,
    ends_on: dt.date,
    channels: list[str],
    posts_per_week: dict[str, int],
) -> list[tuple[str, dt.datetime, dict]]:
    """Check a brief and lay out its slots, at the times the learning loop picks for
    this business. Raises ValidationError per field."""
    _validate_brief(
        starts_on=starts_on, ends_on=ends_on, channels=channels, posts_per_week=posts_per_week
    )

    def choose(
        channel: str, days: list[dt.date], defaults: list[dt.datetime]
    ) -> list[tuple[dt.datetime, dict]]:
        return posting_slots(business_id=business.pk, channel=channel, defaults=defaults, days=days)

    slots = campaign_layout(
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        posts_per_week=posts_per_week,
        zone=ZoneInfo(business.time_zone),
        now=timezone.now(),
        choose=choose,
    )
    if not slots:
        raise ValidationError(
            {"starts_on": [_("남은 기간에 게시할 시간이 없습니다. 날짜를 확인해 주세요.")]}
        )
    return slots


def campaign_create(
    *,
    business: Business,
    actor: User | None,
    goal: str,
    starts_on: dt.date,
    ends_on: dt.date,
    channels: list[str],
    posts_per_week: dict[str, int] | None = None,
    offer: str = "",
    name: str = "",
) -> Campaign:
    """Create a campaign, lay out its pieces and queue one generation task each.

    Raises ValidationError (per field) for a bad brief and PermissionDenied when the
    actor is not a member of the business's organization.
    """
    if actor is not None and not has_role(actor, business, Membership.Role.STAFF):
        raise PermissionDenied(_("이 사업장의 캠페인을 만들 권한이 없습니다."))
    posts_per_week = posts_per_week or {}
    slots = campaign_plan(
        business=business,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        posts_per_week=posts_per_week,
    )
    goal_label = dict(Campaign.Goal.choices).get(goal, goal)
    with transaction.atomic():
        campaign = Campaign(
            business=business,
            name=name or f"{goal_label} · {starts_on:%m/%d}–{ends_on:%m/%d}",
            goal=goal,
            starts_on=starts_on,
            ends_on=ends_on,
            channels=channels,
            posts_per_week={c: posts_per_week.get(c, DEFAULT_POSTS_PER_WEEK[c]) for c in channels},
            offer=offer,
            status=Campaign.Status.GENERATING,
            created_by=actor,
        )
        campaign.full_clean()
        campaign.save()
        seeds = random.SystemRandom()
        pieces = ContentPiece.objects.bulk_create(
            ContentPiece(
                business=business,
                campaign=campaign,
                channel=channel,
                planned_for=when,
                seed=seeds.randrange(1, 2**31 - 1),
                learning={"slot": decision} if decision else {},
            )
            for channel, when, decision in slots
        )
        _enqueue([piece.pk for piece in pieces])
    return campaign


def next_week(business: Business, now: dt.datetime | None = None) -> tuple[dt.date, dt.date]:
    """Next Monday to Sunday on the shop's own calendar."""
    today = timezone.localtime(now or timezone.now(), ZoneInfo(business.time_zone)).date()
    monday = today + dt.timedelta(days=7 - today.weekday())
    return monday, monday + dt.timedelta(days=6)


def campaign_next_week(business: Business, *, actor: User | None) -> Campaign:
    """Next week's campaign for the shop (Monday to Sunday), on the channels of its latest
    campaign (all four for a first one), generated in the background. Idempotent: a shop
    that already has a campaign starting next Monday gets none.

    Raises ValidationError with the reason (one already made, an archived shop, a bad
    brief) and PermissionDenied when the actor is not a member of the shop's organization.
    """
    starts_on, ends_on = next_week(business)
    if business.archived_at is not None:
        raise ValidationError(_("보관함에 있는 사업장이에요. 보관을 풀고 만들어 주세요."))
    existing = business.campaigns.filter(starts_on=starts_on).first()
    if existing is not None:
        raise ValidationError(_("다음 주 캠페인이 이미 있어요: %(name)s") % {"name": existing.name})
    latest = business.campaigns.order_by("-starts_on", "-pk").first()
    channels = [c for c in (latest.channels if latest else []) if c in Channel.values]
    return campaign_create(
        business=business,
        actor=actor,
        goal=Campaign.Goal.AWARENESS,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels or list(Channel.values),
        posts_per_week=dict(latest.posts_per_week or {}) if channels and latest else None,
    )


def _enqueue(piece_ids: list[int]) -> None:
    def send_all() -> None:
        for pk in piece_ids:
            queue.send("content.tasks.generate_piece", pk)

    transaction.on_commit(send_all)  # one callback sends the whole campaign once committed


def campaign_refresh_status(*, campaign_id: int) -> Campaign:
    """Derive the campaign's status from its pieces: ready only when all pieces are."""
    campaign = Campaign.objects.get(pk=campaign_id)
    statuses = list(campaign.pieces.values_list("status", flat=True))
    busy = {ContentPiece.Status.QUEUED, ContentPiece.Status.GENERATING}
    failed = statuses.count(ContentPiece.Status.FAILED)
    if any(status in busy for status in statuses):
        status, reason = Campaign.Status.GENERATING, ""
    elif statuses and failed == len(statuses):
        status, reason = Campaign.Status.FAILED, _("모든 게시물 생성에 실패했습니다.")
    elif failed:
        status = Campaign.Status.PARTIALLY_FAILED
        reason = _(
            "%(failed)s개 게시물을 만들지 못했습니다. 사유를 확인하고 다시 시도해 주세요."
        ) % {"failed": failed}
    else:
        status, reason = Campaign.Status.READY, ""
    if (campaign.status, campaign.status_reason) != (status, reason):
        Campaign.objects.filter(pk=campaign.pk).update(status=status, status_reason=reason)
        campaign.status, campaign.status_reason = status, reason
    return campaign


def campaign_retry_failed(*, campaign: Campaign) -> int:
    """Queue every failed piece again; returns how many."""
    from content.services import piece_retry

    failed = list(campaign.pieces.filter(status=ContentPiece.Status.FAILED))
    for piece in failed:
        piece_retry(piece=piece)
    if failed:
        Campaign.objects.filter(pk=campaign.pk).update(
            status=Campaign.Status.GENERATING, status_reason=""
        )
    return len(failed)
