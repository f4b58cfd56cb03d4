"""A busy shop for the page checks: a business topped up to any number of pieces, each
with its campaign, media, publication and metric snapshots, written with bulk_create so
500 take about a second; and the owner's list pages of that business.

``bench/pages.py`` measures these pages at 10 and 500 pieces, and
``tests/test_page_queries.py`` holds them to the same number of queries at 8 and 40,
on the same data, so the benchmark and the test cannot drift apart.

Piece ``i`` lands on a day spread by the golden ratio over 12 weeks back and one ahead
(so every prefix of the pieces covers the whole span), at a shop hour. Past pieces are
published with readings at 1 hour, 1 day and 7 days (none later than now), except
every 13th, which failed; future ones are scheduled, or waiting for review; every 20th
is a single post outside any campaign. Campaigns are one per week.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from analytics.models import MetricSnapshot
from campaigns.models import Campaign
from content.channels import Channel
from content.models import Asset, ContentPiece
from marketing.models import Business
from publishing.models import ChannelAccount, Publication

WEEKS_BACK = 12
DAYS = 7 * (WEEKS_BACK + 1)  # the span ends six days after today
GOLDEN = (math.sqrt(5) - 1) / 2
READINGS_H = (1, 24, 168)
CHANNELS = list(Channel.values)
MODES = {"naver_blog": ChannelAccount.Mode.ASSISTED}
State = Publication.State
Status = ContentPiece.Status


@dataclass(frozen=True)
class Slot:
    """Where piece ``index`` goes: its channel, local time and campaign week."""

    index: int
    channel: str
    at: dt.datetime
    week: int  # 0 = the span's first week

    @property
    def single(self) -> bool:
        return self.index % 20 == 19


def _first_day(business: Business, now: dt.datetime) -> dt.date:
    today = timezone.localtime(now, ZoneInfo(business.time_zone)).date()
    return today - dt.timedelta(days=7 * WEEKS_BACK)


def _slot(business: Business, index: int, first_day: dt.date) -> Slot:
    # The last day first (piece 0 is six days ahead), and any prefix covers the span.
    day = DAYS - 1 - int((index * GOLDEN) % 1 * DAYS)
    hour, minute = 8 + (index * 5) % 14, (index * 17) % 60
    local = dt.datetime.combine(
        first_day + dt.timedelta(days=day), dt.time(hour, minute), ZoneInfo(business.time_zone)
    )
    return Slot(index, CHANNELS[index % len(CHANNELS)], local, day // 7)


def _accounts(business: Business) -> dict[str, ChannelAccount]:
    accounts = {a.platform: a for a in ChannelAccount.objects.filter(business=business)}
    missing = [
        ChannelAccount(
            business=business,
            platform=channel,
            mode=MODES.get(channel, ChannelAccount.Mode.SANDBOX),
            display_name=f"{business.name} {channel}",
            external_id=f"busy-{business.pk}-{channel}",
        )
        for channel in CHANNELS
        if channel not in accounts
    ]
    for account in ChannelAccount.objects.bulk_create(missing):
        accounts[account.platform] = account
    return accounts


def _campaigns(business: Business, slots: list[Slot], first_day: dt.date) -> dict[int, Campaign]:
    starts = {first_day + dt.timedelta(days=7 * s.week): s.week for s in slots}
    found = {
        starts[c.starts_on]: c
        for c in Campaign.objects.filter(business=business, starts_on__in=starts)
    }
    missing = [
        Campaign(
            business=business,
            name=f"{week + 1}주차 캠페인",
            goal=Campaign.Goal.NEW_MENU,
            starts_on=start,
            ends_on=start + dt.timedelta(days=6),
            channels=CHANNELS,
            posts_per_week=dict.fromkeys(CHANNELS, 3),
            status=Campaign.Status.READY,
        )
        for start, week in starts.items()
        if week not in found
    ]
    for campaign in Campaign.objects.bulk_create(missing):
        found[starts[campaign.starts_on]] = campaign
    return found


def _status(slot: Slot, now: dt.datetime) -> str:
    if slot.at <= now:
        return Status.APPROVED if slot.index % 13 == 6 else Status.PUBLISHED
    return Status.READY if slot.index % 3 == 1 else Status.APPROVED


def _piece(business: Business, slot: Slot, campaign: Campaign | None, status: str) -> ContentPiece:
    explored = slot.index % 2 == 0
    return ContentPiece(
        business=business,
        campaign=campaign,
        channel=slot.channel,
        status=status,
        title=f"바쁜 가게 글 {slot.index}",
        body=f"오늘의 소금빵 이야기 {slot.index}번째 🥐 #연남동 #소금빵",
        fields={"caption": f"오늘의 소금빵 이야기 {slot.index}"},
        planned_for=slot.at,
        format="image",
        provider="offline",
        learning={
            "note": "이번 글은 새로운 시도예요" if explored else "반응이 좋았던 방식이에요",
            "explored": explored,
            "summary": "질문으로 시작한 글이 반응이 좋았어요.",
            "slot": {"source": "learned", "explored": False},
        },
    )


def _assets(business: Business, piece: ContentPiece) -> list[Asset]:
    kinds = {
        "instagram": (Asset.Kind.IMAGE, Asset.Kind.IMAGE),
        "youtube_shorts": (Asset.Kind.VIDEO, Asset.Kind.THUMBNAIL),
    }.get(piece.channel, (Asset.Kind.IMAGE,))
    assets = []
    for position, kind in enumerate(kinds):
        asset = Asset(business=business, piece=piece, kind=kind, position=position)
        asset.file.name = f"busy/{piece.pk}-{position}.{'mp4' if kind == 'video' else 'jpg'}"
        assets.append(asset)
    return assets


def _publications(
    piece: ContentPiece, slot: Slot, account: ChannelAccount, now: dt.datetime
) -> list[Publication]:
    at = slot.at.astimezone(dt.UTC)
    if piece.status == Status.READY:
        return []
    if at > now:
        scheduled = Publication(piece=piece, channel_account=account, scheduled_at=at)
        scheduled.next_attempt_at = at
        if slot.index % 4 == 0:  # moved once: the first booking was canceled
            earlier = at - dt.timedelta(days=1)
            canceled = Publication(
                piece=piece, channel_account=account, scheduled_at=earlier, state=State.CANCELED
            )
            return [canceled, scheduled]
        return [scheduled]
    if piece.status != Status.PUBLISHED:
        return [
            Publication(
                piece=piece,
                channel_account=account,
                scheduled_at=at,
                state=State.FAILED,
                attempt_count=3,
                last_error="인스타그램이 잠시 응답하지 않아 올리지 못했어요.",
            )
        ]
    return [
        Publication(
            piece=piece,
            channel_account=account,
            scheduled_at=at,
            state=State.PUBLISHED,
            published_at=at,
            external_id=f"busy-{piece.pk}",
            permalink=f"https://example.com/p/{piece.pk}",
        )
    ]


def _snapshots(publication: Publication, index: int, now: dt.datetime) -> Iterable[MetricSnapshot]:
    assert publication.published_at is not None
    seen = 200 + (index * 37) % 900
    for hours in READINGS_H:
        share = hours / (hours + 12)
        yield MetricSnapshot(
            publication=publication,
            collected_at=min(publication.published_at + dt.timedelta(hours=hours), now),
            source=MetricSnapshot.Source.SANDBOX,
            views=round(seen * share * 1.3),
            reach=round(seen * share),
            likes=round(seen * share * 0.06),
            comments=round(seen * share * 0.01),
        )


@transaction.atomic
def fill(business: Business, *, pieces: int, now: dt.datetime | None = None) -> int:
    """Top ``business`` up to ``pieces`` pieces (none are removed); returns how many were
    added. The same count always gives the same pieces, times relative to ``now``."""
    now = now or timezone.now()
    have = ContentPiece.objects.filter(business=business).count()
    first_day = _first_day(business, now)
    slots = [_slot(business, index, first_day) for index in range(have, pieces)]
    if not slots:
        return 0
    accounts = _accounts(business)
    campaigns = _campaigns(business, slots, first_day)
    made = ContentPiece.objects.bulk_create(
        _piece(business, s, None if s.single else campaigns[s.week], _status(s, now)) for s in slots
    )
    Asset.objects.bulk_create(asset for piece in made for asset in _assets(business, piece))
    publications = Publication.objects.bulk_create(
        publication
        for piece, slot in zip(made, slots, strict=True)
        for publication in _publications(piece, slot, accounts[slot.channel], now)
    )
    index_of = {piece.pk: slot.index for piece, slot in zip(made, slots, strict=True)}
    MetricSnapshot.objects.bulk_create(
        snapshot
        for publication in publications
        if publication.state == State.PUBLISHED
        for snapshot in _snapshots(publication, index_of[publication.piece_id], now)
    )
    return len(made)


# --- The pages -------------------------------------------------------------------------------


PAGES = (
    "business",  # its latest campaigns
    "learned",  # the business page's 배운 점 card
    "calendar_week",
    "calendar_month",
    "campaign",  # its pieces with their media and publications
    "publications",  # the schedule
    "notices",  # the needs-you list: failed posts, pieces waiting for review
    "results",  # the dashboard, 4 weeks
    "results_week",
    "results_3months",
)


def owner_pages(business: Business) -> dict[str, str]:
    """Every page of the business that lists its pieces or publications, by its name in
    ``PAGES``. The calendar and the campaign page are those of the first piece, which
    every fill has."""
    first = ContentPiece.objects.filter(business=business).order_by("pk").first()
    assert first is not None and first.planned_for is not None and first.campaign_id, first
    day = timezone.localtime(first.planned_for, ZoneInfo(business.time_zone)).date()
    calendar = f"{reverse('owner:calendar', args=[business.pk])}?date={day:%Y-%m-%d}"
    results = reverse("analytics:results", args=[business.pk])
    urls = (
        reverse("marketing:business_detail", args=[business.pk]),
        reverse("campaigns:learned", args=[business.pk]),
        calendar,
        f"{calendar}&view=month",
        reverse("campaigns:detail", args=[first.campaign_id]),
        reverse("publications:business", args=[business.pk]),
        reverse("owner:notices"),
        results,
        f"{results}?period=week",
        f"{results}?period=3months",
    )
    return dict(zip(PAGES, urls, strict=True))


def page_queries(client: Client, url: str) -> list[str]:
    """The SQL a rendering of ``url`` runs (the page must answer 200): rendered once
    first, for what only a first request loads, then again with the cache cleared, so
    the charts are drawn afresh."""
    for _ in range(2):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    return [query["sql"] for query in captured.captured_queries]
