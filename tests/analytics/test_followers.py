"""Followers where the platform reports them: read about once a day from Instagram and
YouTube over real HTTP (the simulators), and "팔로워 증가" on the results page as the
difference between readings, against the period before."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine

from analytics import services
from analytics.models import AccountReading
from analytics.results import results_for
from publishing.models import ChannelAccount
from sandbox.platform import ManualClock
from tests.analytics.collecting import T0
from tests.factories import ChannelAccountFactory, measured_post

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


def test_instagram_and_youtube_followers_are_read_about_once_a_day(
    alice, instagram, youtube, threads, when: time_machine.Coordinates, clock: ManualClock
):
    ig_user = instagram.user_id_for("alice.bakery")
    ig = ChannelAccountFactory(
        business=alice.business, platform="instagram", mode=ChannelAccount.Mode.SANDBOX,
        external_id=ig_user, access_token=instagram.token_for(ig_user),
    )  # fmt: skip
    channel = youtube.channel_id_for("alice_bakery")
    yt = ChannelAccountFactory(
        business=alice.business, platform="youtube_shorts", mode=ChannelAccount.Mode.SANDBOX,
        external_id=channel, access_token=youtube.token_for(channel, expires_in=60 * 86400),
    )  # fmt: skip
    th_user = threads.user_id_for("alice.bakery")
    ChannelAccountFactory(
        business=alice.business, platform="threads", mode=ChannelAccount.Mode.SANDBOX,
        external_id=th_user, access_token=threads.token_for(th_user),
    )  # fmt: skip

    assert services.read_followers() == 2  # Threads reports no per-account followers to us
    assert services.read_followers() == 0  # not again within the day

    later = T0 + dt.timedelta(days=30)
    when.move_to(later)
    clock.set(later)
    assert services.read_followers() == 2

    ig_counts = list(
        AccountReading.objects.filter(account=ig)
        .order_by("collected_at")
        .values_list("followers", flat=True)
    )
    assert ig_counts == [
        instagram.audience.followers("instagram", ig_user, T0),
        instagram.audience.followers("instagram", ig_user, later),
    ]
    assert ig_counts[1] > ig_counts[0]  # the simulated audience grows
    assert AccountReading.objects.filter(account=yt).count() == 2


def test_a_revoked_token_marks_the_account_and_reads_nothing(alice, instagram):
    user_id = instagram.user_id_for("alice.bakery")
    account = ChannelAccountFactory(
        business=alice.business, platform="instagram", mode=ChannelAccount.Mode.SANDBOX,
        external_id=user_id, access_token="not-a-token",
    )  # fmt: skip

    assert services.read_followers() == 0

    account.refresh_from_db()
    assert account.state == ChannelAccount.State.NEEDS_REAUTH
    assert not AccountReading.objects.exists()


NOW = dt.datetime(2027, 4, 20, 12, tzinfo=SEOUL)


def _reading(account: ChannelAccount, days_ago: float, followers: int) -> None:
    AccountReading.objects.create(
        account=account, collected_at=NOW - dt.timedelta(days=days_ago), followers=followers
    )


def test_followers_gained_is_the_difference_between_readings_against_the_period_before(alice):
    account = ChannelAccountFactory(business=alice.business, platform="instagram")
    for days_ago, followers in ((20, 1000), (14, 1030), (7, 1060), (6, 1070), (1, 1120)):
        _reading(account, days_ago, followers)

    results = results_for(alice.business, period="week", now=NOW)

    followers = next(h for h in results.headlines if h.key == "followers")
    # This week (04-14 to 04-20): the last reading (1,120) minus the last one before it
    # began (1,060, on 04-13); the week before: 1,060 minus 1,030 (04-06).
    assert followers.label == "팔로워 증가"
    assert (followers.value, followers.previous) == (1120 - 1060, 1060 - 1030)
    assert results.words(followers) == "지난주보다 100% ↑"


def test_no_readings_no_followers_headline_and_none_for_a_campaign(alice):
    measured_post(alice.business, published_at=NOW - dt.timedelta(days=2), reach=100)
    assert "followers" not in {h.key for h in results_for(alice.business, now=NOW).headlines}

    account = ChannelAccountFactory(business=alice.business, platform="instagram")
    _reading(account, 3, 500)
    assert "followers" in {h.key for h in results_for(alice.business, now=NOW).headlines}
    assert "followers" not in {
        h.key for h in results_for(alice.business, now=NOW, campaign_id=1).headlines
    }
