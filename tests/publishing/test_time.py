"""Time: picked in the shop's zone, stored in UTC, right across a daylight-saving change
and whatever the server process's own TZ says."""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Iterator

import pytest
from django.urls import reverse

from marketing.models import Business
from publishing import services
from publishing.models import Publication
from tests.factories import ChannelAccountFactory, ContentPieceFactory, PublicationFactory


@pytest.fixture(params=["UTC", "Asia/Seoul", "America/New_York"])
def process_tz(request) -> Iterator[str]:
    """The server's own clock zone (a container's TZ), which must change nothing."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = request.param
    time.tzset()
    yield request.param
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def _post_in(alice, zone: str) -> Publication:
    Business.objects.filter(pk=alice.business.pk).update(time_zone=zone)
    alice.business.refresh_from_db()
    return PublicationFactory(
        piece=ContentPieceFactory(
            business=alice.business, channel="threads", status="approved", render_status="none"
        ),
        channel_account=ChannelAccountFactory(business=alice.business, platform="threads"),
    )


def _reschedule(alice, publication: Publication, local: str) -> dt.datetime:
    alice.client().post(
        reverse("publications:reschedule", args=[publication.pk]), {"scheduled_at": local}
    )
    publication.refresh_from_db()
    return publication.scheduled_at


@pytest.mark.parametrize(
    ("local", "utc"),
    [
        ("2026-03-07T09:00", dt.datetime(2026, 3, 7, 14, 0, tzinfo=dt.UTC)),  # EST, UTC-5
        ("2026-03-09T09:00", dt.datetime(2026, 3, 9, 13, 0, tzinfo=dt.UTC)),  # EDT, UTC-4
        ("2026-10-31T09:00", dt.datetime(2026, 10, 31, 13, 0, tzinfo=dt.UTC)),  # EDT
        ("2026-11-02T09:00", dt.datetime(2026, 11, 2, 14, 0, tzinfo=dt.UTC)),  # EST again
    ],
)
def test_nine_in_the_morning_stays_nine_in_the_morning_across_daylight_saving(
    alice, process_tz, local, utc
):
    publication = _post_in(alice, "America/New_York")
    assert _reschedule(alice, publication, local) == utc


def test_a_repeated_hour_takes_its_first_occurrence_and_a_skipped_one_still_lands(alice):
    publication = _post_in(alice, "America/New_York")
    # 01:30 happens twice on 1 November 2026: the first one is still daylight time.
    assert _reschedule(alice, publication, "2026-11-01T01:30") == dt.datetime(
        2026, 11, 1, 5, 30, tzinfo=dt.UTC
    )
    # 02:30 does not exist on 8 March 2026: it lands one hour later on the clock.
    assert _reschedule(alice, publication, "2026-03-08T02:30") == dt.datetime(
        2026, 3, 8, 7, 30, tzinfo=dt.UTC
    )


def test_the_post_page_shows_the_shops_time_whatever_the_server_zone(alice, process_tz):
    publication = _post_in(alice, "Asia/Seoul")
    Publication.objects.filter(pk=publication.pk).update(
        scheduled_at=dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
    )
    page = alice.client().get(reverse("publications:detail", args=[publication.pk]))
    assert "19:30" in page.content.decode()


def test_the_dispatcher_compares_instants_not_wall_clocks(alice, process_tz):
    publication = _post_in(alice, "America/New_York")
    at = _reschedule(alice, publication, "2026-11-01T01:30")
    _, early = services.claim_due(at - dt.timedelta(seconds=1))
    _, due = services.claim_due(at)
    assert (early, due) == ([], [publication.pk])
