"""Collecting YouTube Shorts on the ladder with the real collector against FakeYouTube over
HTTP: statistics and watch time in one snapshot, the fallback (remembered) for accounts
connected without the Analytics scope, and the Data API units collecting may spend
without starving uploads. Django's time and the simulator's clock move together."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
import time_machine

from analytics import services
from analytics.models import Collection, MetricSnapshot
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers import publisher_for
from publishing.publishers.base import Credentials
from publishing.publishers.youtube_analytics import EARLIEST, REPORT_METRICS
from sandbox.google_api import DEFAULT_SCOPES, READ_SCOPE, UPLOAD_SCOPE
from sandbox.platform import ManualClock
from sandbox.youtube import FakeYouTube
from tests.factories import ChannelAccountFactory, ContentPieceFactory
from tests.publishing.meta_fixtures import Ledger
from tests.publishing.test_youtube_publisher import short_job

T0 = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)  # 16:00 on Nov 30 in Los Angeles
PACIFIC_MIDNIGHT = dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
MONTH_S = 30 * 86_400


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def when(clock: ManualClock) -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


def move_to(when: time_machine.Coordinates, clock: ManualClock, at: dt.datetime) -> None:
    when.move_to(at)
    clock.set(at)


@pytest.fixture
def video(tmp_path: Path) -> Path:
    header = struct.pack(">I4sB3xIIII", 108, b"mvhd", 0, 0, 0, 600, 600 * 20) + bytes(80)
    path = tmp_path / "short.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + header + bytes(4096))
    return path


def youtube_account(
    alice, youtube: FakeYouTube, name: str = "yeonnam_cafe", **fields
) -> ChannelAccount:
    channel_id = youtube.channel_id_for(name)
    scopes = fields.pop("scopes", DEFAULT_SCOPES)
    token = youtube.token_for(channel_id, expires_in=MONTH_S, scopes=scopes)
    return ChannelAccountFactory(
        business=alice.business,
        platform="youtube_shorts",
        external_id=channel_id,
        display_name=name,
        access_token=token,
        **fields,
    )


def short(youtube: FakeYouTube, account: ChannelAccount, video: Path) -> Publication:
    """A Short live on the simulator for ``account``, recorded as published now."""
    channel_id = account.external_id
    credentials = Credentials(access_token=youtube.token_for(channel_id), user_id=channel_id)
    job = short_job(youtube, Ledger(), video, credentials=credentials)
    result = publisher_for("youtube_shorts").publish(job)
    piece = ContentPieceFactory(business=account.business, channel="youtube_shorts", format="short")
    return Publication.objects.create(
        piece=piece,
        channel_account=account,
        scheduled_at=T0,
        state=Publication.State.PUBLISHED,
        external_id=result.external_id,
        published_at=dt.datetime.now(dt.UTC),
    )


def dispatch_and_collect(sent: list) -> list[str | None]:
    sent.clear()
    services.dispatch_due_collections()
    return [services.collect_claimed(*args) for _, args in sent]


def statistics_reads(youtube: FakeYouTube) -> int:
    return len(youtube.requests_to(r"/youtube/v3/videos", method="GET"))


# --- What a snapshot holds ------------------------------------------------------------------


def test_a_short_is_collected_with_its_watch_time(alice, youtube, video, sent, when, clock):
    account = youtube_account(alice, youtube)
    publication = short(youtube, account, video)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + 5 * HOUR)

    assert dispatch_and_collect(sent) == ["collected"]

    [snapshot] = MetricSnapshot.objects.filter(publication=publication)
    video_id = publication.external_id
    expected = youtube.metrics(video_id)
    today = dt.date(2026, 11, 30)  # in Los Angeles, YouTube Analytics' day
    row = youtube.analytics.rows(account.external_id, [video_id], EARLIEST, today)[video_id]
    assert (snapshot.views, snapshot.likes, snapshot.comments, snapshot.shares) == (
        expected["views"],
        expected["likes"],
        expected["comments"],
        expected["shares"],
    )
    assert snapshot.views > 0
    assert snapshot.watch_minutes == row["estimatedMinutesWatched"]
    assert snapshot.avg_view_seconds == row["averageViewDuration"]
    assert snapshot.avg_view_percentage == row["averageViewPercentage"]
    assert snapshot.raw["analytics"][0]["columnHeaders"][0]["name"] == "video"
    actions = PublishAttempt.objects.filter(publication=publication).values_list(
        "action", "outcome"
    )
    assert list(actions) == [("reports_query", "succeeded"), ("videos_list", "succeeded")]


def test_an_account_connected_without_the_analytics_scope_keeps_its_statistics(
    alice, youtube, video, sent, when, clock
):
    account = youtube_account(alice, youtube, scopes=(UPLOAD_SCOPE, READ_SCOPE))
    publication = short(youtube, account, video)
    dispatch_and_collect(sent)

    for hour in (1, 2):
        move_to(when, clock, T0 + hour * HOUR)
        assert dispatch_and_collect(sent) == ["collected"]

    account.refresh_from_db()
    assert account.state == ChannelAccount.State.ACTIVE
    assert set(account.refused_metrics) == set(REPORT_METRICS)
    assert len(youtube.requests_to(r"/v2/reports")) == 1  # remembered after the first 403
    first, second = MetricSnapshot.objects.filter(publication=publication).order_by("collected_at")
    assert 0 < first.views <= second.views
    assert (second.watch_minutes, second.avg_view_percentage) == (None, None)
    refused = PublishAttempt.objects.get(publication=publication, action="reports_query")
    assert (refused.outcome, refused.response_status) == ("auth", 403)
    assert Collection.objects.get(publication=publication).state == Collection.State.COLLECTING


# --- Data API units ---------------------------------------------------------------------------


@pytest.fixture
def two_reads_a_day(settings) -> None:
    """Units for the day's uploads, the reserve and two reads (one unit each)."""
    settings.YOUTUBE_UPLOADS_PER_DAY = 6
    settings.YOUTUBE_UPLOAD_UNITS = 1600
    settings.YOUTUBE_UNITS_RESERVE = 100
    settings.YOUTUBE_UNITS_PER_DAY = 6 * 1600 + 100 + 2


def test_collecting_stops_where_the_days_uploads_need_the_units_and_resumes_at_pacific_midnight(
    alice, youtube, video, sent, when, clock, two_reads_a_day
):
    publication = short(youtube, youtube_account(alice, youtube), video)
    dispatch_and_collect(sent)
    for hour in (1, 2):
        move_to(when, clock, T0 + hour * HOUR)
        assert dispatch_and_collect(sent) == ["collected"]
    move_to(when, clock, T0 + 3 * HOUR)
    youtube.clear_requests()

    assert dispatch_and_collect(sent) == ["waiting"]

    assert statistics_reads(youtube) == 0 and youtube.requests_to(r"/v2/reports") == []
    collection = Collection.objects.get(publication=publication)
    assert T0 + 3 * HOUR < collection.next_collect_at <= T0 + 4 * HOUR  # the next rung
    assert MetricSnapshot.objects.filter(publication=publication).count() == 2
    move_to(when, clock, PACIFIC_MIDNIGHT)
    assert dispatch_and_collect(sent) == ["collected"]
    assert statistics_reads(youtube) == 1


def test_units_are_counted_for_the_project_across_its_api_accounts(
    alice, youtube, video, sent, when, clock, two_reads_a_day
):
    api = ChannelAccount.Mode.API
    first = short(youtube, youtube_account(alice, youtube, "cafe_one", mode=api), video)
    second = short(youtube, youtube_account(alice, youtube, "cafe_two", mode=api), video)
    sandbox = short(youtube, youtube_account(alice, youtube, "cafe_sandbox"), video)
    for number in (1, 2):  # two reads for the first account earlier today
        PublishAttempt.objects.create(publication=first, number=number, action="videos_list")
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)

    outcomes = dispatch_and_collect(sent)

    # Those two reads leave the project's API accounts none today (their two uploads and
    # the four still allowed keep the rest); the sandbox account counts its own.
    assert sorted(outcomes) == ["collected", "waiting", "waiting"]
    assert MetricSnapshot.objects.filter(publication=sandbox).count() == 1
    assert not MetricSnapshot.objects.filter(publication__in=[first, second]).exists()


def test_with_uploads_on_a_budget_of_their_own_collecting_has_the_units(
    alice, youtube, video, sent, when, clock, settings
):
    settings.YOUTUBE_UPLOAD_UNITS = 0  # today's quota page: videos.insert counted apart
    settings.YOUTUBE_UNITS_RESERVE = 0
    settings.YOUTUBE_UNITS_PER_DAY = 2
    publication = short(youtube, youtube_account(alice, youtube), video)
    PublishAttempt.objects.create(publication=publication, number=1, action="videos_list")
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)

    assert dispatch_and_collect(sent) == ["collected"]  # one unit used, one left
    move_to(when, clock, T0 + 2 * HOUR)
    assert dispatch_and_collect(sent) == ["waiting"]
