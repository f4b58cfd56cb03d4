from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from campaigns.models import Campaign
from campaigns.services import (
    campaign_create,
    campaign_refresh_status,
    campaign_retry_failed,
    campaign_slots,
)
from content.models import ContentPiece
from tests.conftest import Tenant

SEOUL = ZoneInfo("Asia/Seoul")
MONDAY = dt.date(2026, 11, 23)


def _slots(channels, per_week=None, *, days=7, zone=SEOUL, now=None):
    return campaign_slots(
        starts_on=MONDAY,
        ends_on=MONDAY + dt.timedelta(days=days - 1),
        channels=channels,
        posts_per_week=per_week or {},
        zone=zone,
        now=now or dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
    )


def test_a_week_gets_the_default_cadence_per_channel():
    slots = _slots(["instagram", "naver_blog", "youtube_shorts", "threads"])

    counts = {c: sum(1 for channel, _ in slots if channel == c) for c in dict(slots)}
    assert counts == {"instagram": 3, "naver_blog": 1, "youtube_shorts": 1, "threads": 3}


def test_posts_of_one_channel_fall_on_different_days_at_local_posting_hours():
    slots = _slots(["instagram"], {"instagram": 3})

    local = [when.astimezone(SEOUL) for _, when in slots]
    assert len({moment.date() for moment in local}) == 3
    assert {moment.hour for moment in local} <= {12, 19}
    assert all(when.tzinfo == dt.UTC for _, when in slots)


def test_channels_are_spread_so_they_do_not_all_post_the_same_day():
    slots = _slots(["naver_blog", "youtube_shorts"])

    days = {when.astimezone(SEOUL).date() for _, when in slots}
    assert len(days) == 2


def test_slots_already_past_are_left_out():
    now = dt.datetime.combine(MONDAY + dt.timedelta(days=3), dt.time(12), SEOUL)

    slots = _slots(["threads"], {"threads": 7}, now=now)

    assert all(when > now for _, when in slots)
    assert len(slots) == 4  # Thursday evening (21:00 is still ahead), Friday to Sunday


def test_slot_times_follow_the_shops_zone_across_a_daylight_saving_change():
    new_york = ZoneInfo("America/New_York")  # DST ended on 2026-11-01
    slots = campaign_slots(
        starts_on=dt.date(2026, 10, 29),
        ends_on=dt.date(2026, 11, 4),
        channels=["threads"],
        posts_per_week={"threads": 7},
        zone=new_york,
        now=dt.datetime(2026, 10, 1, tzinfo=dt.UTC),
    )

    local_hours = {when.astimezone(new_york).hour for _, when in slots}
    utc_hours = {when.hour for _, when in slots}
    assert local_hours == {8, 21}
    assert len(utc_hours) == 4  # the same local hours are different UTC hours after the change


@pytest.mark.django_db
@time_machine.travel(dt.datetime(2026, 11, 22, 3, 0, tzinfo=dt.UTC), tick=False)
def test_creating_a_campaign_queues_one_piece_per_slot(
    alice: Tenant, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        campaign = campaign_create(
            business=alice.business,
            actor=alice.user,
            goal="event_sale",
            starts_on=MONDAY,
            ends_on=MONDAY + dt.timedelta(days=6),
            channels=["instagram", "threads"],
            offer="2+1",
        )

    pieces = list(campaign.pieces.all())
    assert campaign.status == Campaign.Status.GENERATING
    assert len(pieces) == 6
    assert {p.status for p in pieces} == {ContentPiece.Status.QUEUED}
    assert len({p.seed for p in pieces}) == 6
    assert len(callbacks) == 1  # the tasks are sent once the rows are committed


@pytest.mark.django_db
def test_a_bad_brief_names_every_bad_field(alice: Tenant):
    with pytest.raises(ValidationError) as raised:
        campaign_create(
            business=alice.business,
            actor=alice.user,
            goal="awareness",
            starts_on=MONDAY,
            ends_on=MONDAY - dt.timedelta(days=1),
            channels=["myspace"],
            posts_per_week={"instagram": 99},
        )

    assert set(raised.value.message_dict) == {"ends_on", "channels", "posts_per_week"}


@pytest.mark.django_db
def test_bob_cannot_create_a_campaign_for_alices_business(alice: Tenant, bob: Tenant):
    with pytest.raises(PermissionDenied):
        campaign_create(
            business=alice.business,
            actor=bob.user,
            goal="awareness",
            starts_on=MONDAY,
            ends_on=MONDAY,
            channels=["threads"],
        )


def _campaign_with(tenant: Tenant, *statuses: str) -> Campaign:
    campaign = Campaign.objects.create(
        business=tenant.business, name="c", starts_on=MONDAY, ends_on=MONDAY, channels=["threads"]
    )
    for status in statuses:
        ContentPiece.objects.create(
            business=tenant.business, campaign=campaign, channel="threads", status=status
        )
    return campaign


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("statuses", "expected"),
    [
        (("ready", "ready"), Campaign.Status.READY),
        (("ready", "generating"), Campaign.Status.GENERATING),
        (("ready", "failed"), Campaign.Status.PARTIALLY_FAILED),
        (("failed", "failed"), Campaign.Status.FAILED),
    ],
)
def test_a_campaign_is_ready_only_when_every_piece_is(alice: Tenant, statuses, expected):
    campaign = _campaign_with(alice, *statuses)

    assert campaign_refresh_status(campaign_id=campaign.pk).status == expected


@pytest.mark.django_db
def test_a_partly_failed_campaign_says_how_many_failed_and_retries_only_those(alice: Tenant):
    campaign = _campaign_with(alice, "ready", "failed", "failed")

    refreshed = campaign_refresh_status(campaign_id=campaign.pk)
    retried = campaign_retry_failed(campaign=campaign)

    assert "2개 게시물" in refreshed.status_reason
    assert retried == 2
    assert sorted(campaign.pieces.values_list("status", flat=True)) == ["queued", "queued", "ready"]


@pytest.mark.django_db
def test_a_campaign_rolls_up_when_content_says_one_of_its_pieces_settled(alice: Tenant):
    from content.signals import piece_settled

    campaign = _campaign_with(alice, "ready", "failed")

    piece_settled.send(sender=ContentPiece, piece_id=0, campaign_id=campaign.pk)

    campaign.refresh_from_db()
    assert campaign.status == Campaign.Status.PARTIALLY_FAILED
