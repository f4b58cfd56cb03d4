"""The calendar: a week or a month of every channel's pieces in the shop's zone; moving a
post keeps the shop's local time across daylight saving and refuses the past."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from content.models import ContentPiece
from owner import services
from publishing.models import Publication
from publishing.services import SchedulingError
from tests.conftest import Tenant
from tests.factories import ContentPieceFactory, PublicationFactory, measured_post

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
SEOUL = ZoneInfo("Asia/Seoul")


def _planned(tenant: Tenant, at: dt.datetime, channel: str = "instagram", **extra) -> ContentPiece:
    return ContentPieceFactory(
        business=tenant.business, channel=channel, status="ready", planned_for=at, **extra
    )


def test_the_week_shows_every_channel_on_the_shops_local_day(alice: Tenant):
    # 23:30 UTC on Monday is Tuesday 08:30 in Seoul.
    monday = dt.datetime(2027, 3, 8, 23, 30, tzinfo=dt.UTC)
    _planned(alice, monday, "threads", title="스레드 글")
    _planned(alice, monday + dt.timedelta(days=1), "instagram", title="인스타 글")

    html = alice.client().get(f"/app/businesses/{alice.business.pk}/calendar/?date=2027-03-09")
    text = html.content.decode()

    assert html.status_code == 200
    tuesday = text.index("3/9 <span>(화)")
    wednesday = text.index("3/10 <span>(수)")
    assert tuesday < text.index("스레드 글") < wednesday < text.index("인스타 글")
    assert "08:30" in text


def test_the_month_shows_a_dot_per_post_coloured_by_state(alice: Tenant):
    at = dt.datetime(2027, 3, 15, 10, tzinfo=SEOUL)
    piece = _planned(alice, at)
    PublicationFactory(piece=piece, scheduled_at=at, state=Publication.State.PUBLISHED)
    _planned(alice, at + dt.timedelta(days=2))

    text = (
        alice.client()
        .get(f"/app/businesses/{alice.business.pk}/calendar/?view=month&date=2027-03-01")
        .content.decode()
    )

    assert "2027년 3월" in text
    assert text.count("dot state-published") == 1 and text.count("dot state-ready") == 1


def test_the_calendar_runs_the_same_queries_for_few_and_many_posts(alice: Tenant):
    url = f"/app/businesses/{alice.business.pk}/calendar/?view=month&date=2027-03-01"
    client = alice.client()
    start = dt.datetime(2027, 3, 2, 9, tzinfo=SEOUL)
    _planned(alice, start)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(30):
        piece = _planned(alice, start + dt.timedelta(hours=13 * n))
        PublicationFactory(piece=piece, scheduled_at=piece.planned_for)
    with CaptureQueriesContext(connection) as many:
        client.get(url)

    assert len(many) == len(few)


def test_moving_across_a_daylight_saving_change_keeps_the_local_time(alice: Tenant):
    alice.business.time_zone = "America/New_York"
    alice.business.save()
    # Friday 19:00 EST; DST starts on Sunday 2027-03-14; moved to Monday, it stays 19:00.
    before = dt.datetime(2027, 3, 12, 19, tzinfo=NEW_YORK)
    piece = _planned(alice, before)
    publication = PublicationFactory(piece=piece, scheduled_at=before, next_attempt_at=before)
    from tests.factories import ChannelAccountFactory

    account = ChannelAccountFactory(business=alice.business, platform="instagram")
    Publication.objects.filter(pk=publication.pk).update(channel_account=account)

    at = services.move(piece, day=dt.date(2027, 3, 15), now=dt.datetime(2027, 3, 1, tzinfo=dt.UTC))

    publication.refresh_from_db()
    local = publication.scheduled_at.astimezone(NEW_YORK)
    assert (local.date(), local.hour, local.minute) == (dt.date(2027, 3, 15), 19, 0)
    assert publication.scheduled_at - before == dt.timedelta(days=3) - dt.timedelta(hours=1)
    assert at == publication.scheduled_at


def test_a_time_the_clock_skips_moves_forward_like_a_phone(alice: Tenant):
    alice.business.time_zone = "America/New_York"
    alice.business.save()
    piece = _planned(alice, dt.datetime(2027, 3, 12, 19, tzinfo=NEW_YORK))

    at = services.move(
        piece,
        day=dt.date(2027, 3, 14),
        time=dt.time(2, 30),
        now=dt.datetime(2027, 3, 1, tzinfo=dt.UTC),
    )

    assert at.astimezone(NEW_YORK).hour == 3  # 02:30 does not exist that night


def test_moving_refuses_the_past_and_a_published_piece(alice: Tenant):
    piece = _planned(alice, timezone.now() + dt.timedelta(days=1))
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    with pytest.raises(SchedulingError, match="지난 시간"):
        services.move(piece, day=yesterday)
    ContentPiece.objects.filter(pk=piece.pk).update(status=ContentPiece.Status.PUBLISHED)
    piece.refresh_from_db()
    with pytest.raises(SchedulingError, match="이미 게시된"):
        services.move(piece, day=timezone.localdate() + dt.timedelta(days=3))


def test_the_move_form_says_what_happened(alice: Tenant):
    piece = _planned(alice, timezone.now() + dt.timedelta(days=1))
    day = (timezone.localtime(timezone.now(), SEOUL) + dt.timedelta(days=3)).date()
    client = alice.client()

    moved = client.post(
        f"/app/pieces/{piece.pk}/move/", {"day": day.isoformat(), "time": "18:30"}, follow=True
    )
    past = client.post(f"/app/pieces/{piece.pk}/move/", {"day": "2020-01-01"}, follow=True)
    garbage = client.post(f"/app/pieces/{piece.pk}/move/", {"day": "어제"}, follow=True)

    piece.refresh_from_db()
    local = piece.planned_for.astimezone(SEOUL)
    assert (local.date(), local.hour, local.minute) == (day, 18, 30)
    assert "일정을 옮겼어요" in moved.content.decode()
    assert "지난 시간으로는 옮길 수 없어요" in past.content.decode()
    assert "날짜와 시간을 다시 골라 주세요" in garbage.content.decode()


def test_learned_best_times_show_as_hints_once_there_is_enough_evidence(alice: Tenant, settings):
    url = f"/app/businesses/{alice.business.pk}/calendar/"
    client = alice.client()
    assert "반응이 쌓이면" in client.get(url).content.decode()

    start = timezone.now() - dt.timedelta(days=60)
    for n in range(24):
        published = (start + dt.timedelta(days=2 * n)).replace(hour=10, minute=0)  # 19:00 KST
        measured_post(alice.business, published_at=published, reach=900 if n % 2 else 300)

    text = client.get(url).content.decode()
    assert "반응이 좋았던 시간" in text and "인스타그램 · " in text


def test_another_organization_cannot_see_the_calendar_or_move(alice: Tenant, bob: Tenant):
    piece = _planned(alice, timezone.now() + dt.timedelta(days=1))
    client = bob.client()

    assert client.get(f"/app/businesses/{alice.business.pk}/calendar/").status_code == 404
    assert client.post(f"/app/pieces/{piece.pk}/move/", {"day": "2030-01-01"}).status_code == 404


@pytest.mark.parametrize("date", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_a_date_off_the_calendar_shows_today(alice: Tenant, date: str):
    for view in ("week", "month"):
        url = f"/app/businesses/{alice.business.pk}/calendar/?view={view}&date={date}"
        assert alice.client().get(url).status_code == 200


def test_an_empty_week_points_to_the_next_post(alice: Tenant):
    """Signed up on a Saturday, the first week starts on Monday: this week says when."""
    _planned(alice, dt.datetime(2027, 3, 15, 11, tzinfo=SEOUL), title="첫 글")
    url = f"/app/businesses/{alice.business.pk}/calendar/"

    empty = alice.client().get(f"{url}?date=2027-03-13").content.decode()
    nothing = alice.client().get(f"{url}?date=2027-03-22").content.decode()

    assert "다음 게시물은 3/15 (월)에 있어요" in empty
    assert "?view=week&date=2027-03-15" in empty
    assert "이 기간에 올릴 게시물이 없어요" in nothing and "다음 게시물" not in nothing
