"""Each platform's collector (``Publisher.collect``) against its simulator over HTTP:
what it asks for, what it returns in our words, and how it fails."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from publishing.publishers import publisher_for
from publishing.publishers.base import ErrorKind, Metrics, Published, PublishError, PublishJob
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.platform import ManualClock
from sandbox.youtube import FakeYouTube
from tests.publishing.meta_fixtures import Ledger, MediaServer, graph_job, sandbox_simulator
from tests.publishing.test_youtube_publisher import short_job

HOUR = 3600


@pytest.fixture
def instagram(settings, clock: ManualClock) -> Iterator[FakeInstagram]:
    with sandbox_simulator(FakeInstagram, settings, clock) as fake:
        yield fake


@pytest.fixture
def threads(settings, clock: ManualClock) -> Iterator[FakeThreads]:
    with sandbox_simulator(FakeThreads, settings, clock) as fake:
        yield fake


@pytest.fixture
def youtube(settings, clock: ManualClock) -> Iterator[FakeYouTube]:
    with FakeYouTube(clock=clock, processing_s=0) as fake:
        settings.SANDBOX_YOUTUBE_URL = fake.url
        yield fake


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "short.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096))
    return path


def published(platform: str, job: PublishJob, clock: ManualClock) -> str:
    """Publish ``job`` and let the audience see it for a day; the post's id."""
    publisher = publisher_for(platform)
    result = publisher.publish(job)
    for _ in range(3):  # a video is processed within a minute of the simulators' clock
        if isinstance(result, Published):
            break
        clock.advance(61)
        result = publisher.publish(job)
    assert isinstance(result, Published), result
    clock.advance(24 * HOUR)
    return result.external_id


def with_fresh_token(job: PublishJob, youtube: FakeYouTube) -> PublishJob:
    """Google's access tokens last an hour: the service refreshes them before collecting."""
    token = youtube.token_for(job.credentials.user_id)
    return replace(job, credentials=replace(job.credentials, access_token=token))


def collect(platform: str, job: PublishJob, post_id: str, **kwargs) -> Metrics:
    return publisher_for(platform).collect(job, post_id, **kwargs)


def collect_error(platform: str, job: PublishJob, post_id: str) -> PublishError:
    with pytest.raises(PublishError) as caught:
        collect(platform, job, post_id)
    return caught.value


def insight_requests(fake) -> list[str]:
    return [r.param("metric", "") for r in fake.requests_to(r".*/insights", method="GET")]


# --- Instagram -------------------------------------------------------------------------------


def image_job(instagram: FakeInstagram, ledger: Ledger, media: MediaServer) -> PublishJob:
    return graph_job(
        instagram,
        ledger,
        format="image",
        text="밤 라떼",
        media=[media.media("image", "feed-1.jpg")],
    )


def test_instagram_reads_every_insight_in_one_request_in_our_words(instagram, ledger, media, clock):
    job = image_job(instagram, ledger, media)
    post_id = published("instagram", job, clock)

    metrics = collect("instagram", job, post_id)

    expected = instagram.metrics(post_id)
    assert insight_requests(instagram) == [
        "views,reach,likes,comments,saved,shares,total_interactions"
    ]
    assert metrics.values["views"] == expected["views"] > 0
    assert metrics.values["saves"] == expected["saved"]
    assert metrics.values["total_interactions"] == expected["total_interactions"]
    assert metrics.refused == frozenset()
    assert metrics.raw["data"][0]["name"] == "views"
    assert ledger.last("insights").status == 200


def test_a_reel_falls_back_to_one_metric_a_request_and_names_what_the_account_refused(
    instagram, ledger, media, clock
):
    job = graph_job(
        instagram,
        ledger,
        format="reel",
        text="릴스",
        media=[media.media("video", "reel.mp4"), media.media("cover", "cover.jpg")],
    )
    post_id = published("instagram", job, clock)

    metrics = collect("instagram", job, post_id)

    # The simulator serves no Reels watch-time metric: one invalid name fails the whole request.
    assert metrics.refused == {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
    assert metrics.values["views"] == instagram.metrics(post_id)["views"]
    assert len(insight_requests(instagram)) == 1 + 9


def test_refused_metrics_are_not_asked_for_again(instagram, ledger, media, clock):
    job = graph_job(
        instagram,
        ledger,
        format="reel",
        text="릴스",
        media=[media.media("video", "reel.mp4"), media.media("cover", "cover.jpg")],
    )
    post_id = published("instagram", job, clock)
    refused = frozenset({"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"})

    metrics = collect("instagram", job, post_id, refused=refused)

    assert insight_requests(instagram) == [
        "views,reach,likes,comments,saved,shares,total_interactions"
    ]
    assert metrics.refused == refused


def test_instagram_rate_limits_are_transient_with_metas_wait(instagram, ledger, media, clock):
    job = image_job(instagram, ledger, media)
    post_id = published("instagram", job, clock)
    instagram.faults.add("rate_limited", operation="insights", retry_after_s=600)

    error = collect_error("instagram", job, post_id)

    assert error.kind is ErrorKind.TRANSIENT
    assert error.retry_after_s == 600


def test_instagram_with_a_revoked_token_is_an_auth_error(instagram, ledger, media, clock):
    job = image_job(instagram, ledger, media)
    post_id = published("instagram", job, clock)
    instagram.revoke(job.credentials.access_token)

    error = collect_error("instagram", job, post_id)

    assert error.kind is ErrorKind.AUTH
    assert len(insight_requests(instagram)) == 1  # no fallback for what is not a metric


def test_not_enough_viewers_is_no_numbers_yet_not_a_revoked_token(instagram, ledger, media, clock):
    job = image_job(instagram, ledger, media)
    post_id = published("instagram", job, clock)
    instagram.faults.add("insights_unavailable", operation="insights")

    metrics = collect("instagram", job, post_id)

    assert metrics.values == {}
    assert metrics.refused == frozenset()  # asked for again next time
    assert metrics.unavailable.startswith("인스타그램이 아직 이 게시물의 성과 숫자를")
    assert "code 10" in metrics.unavailable  # Meta's words, for the operator
    assert len(insight_requests(instagram)) == 1  # no metric-by-metric fallback for code 10
    assert ledger.last("insights").status == 400


def test_numbers_withheld_metric_by_metric_still_leave_out_the_refused_ones(
    instagram, ledger, media, clock
):
    job = graph_job(
        instagram,
        ledger,
        format="reel",
        text="릴스",
        media=[media.media("video", "reel.mp4"), media.media("cover", "cover.jpg")],
    )
    post_id = published("instagram", job, clock)
    # The first request fails on the watch-time names (100); then each valid name gets 10.
    instagram.faults.add("insights_unavailable", times=7, operation="insights")

    metrics = collect("instagram", job, post_id)

    assert metrics.values == {}
    assert metrics.refused == {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
    assert metrics.unavailable
    assert instagram.faults.pending == 0


def test_a_post_instagram_no_longer_has_is_permanent(instagram, ledger, media, clock):
    job = image_job(instagram, ledger, media)

    error = collect_error("instagram", job, "17999999999999999")

    assert error.kind is ErrorKind.PERMANENT
    assert len(insight_requests(instagram)) == 1


# --- Threads -------------------------------------------------------------------------------


def test_threads_reads_its_insights_with_replies_as_comments(threads, ledger, clock):
    job = graph_job(threads, ledger, format="text", text="오늘의 빵이 나왔어요")
    post_id = published("threads", job, clock)

    metrics = collect("threads", job, post_id)

    expected = threads.metrics(post_id)
    assert insight_requests(threads) == ["views,likes,replies,reposts,quotes,shares"]
    assert metrics.values["comments"] == expected["replies"]
    assert metrics.values["reposts"] == expected["reposts"]
    assert metrics.values["views"] == expected["views"]


def test_threads_rate_limits_are_transient(threads, ledger, clock):
    job = graph_job(threads, ledger, format="text", text="오늘의 빵이 나왔어요")
    post_id = published("threads", job, clock)
    threads.faults.add("rate_limited", operation="insights")

    assert collect_error("threads", job, post_id).kind is ErrorKind.TRANSIENT


def test_threads_withholding_numbers_is_no_numbers_yet(threads, ledger, clock):
    job = graph_job(threads, ledger, format="text", text="오늘의 빵이 나왔어요")
    post_id = published("threads", job, clock)
    threads.faults.add("insights_unavailable", operation="insights")

    metrics = collect("threads", job, post_id)

    assert (metrics.values, metrics.refused) == ({}, frozenset())
    assert metrics.unavailable.startswith("스레드가 아직")
    assert collect("threads", job, post_id).values["views"] == threads.metrics(post_id)["views"]


def test_threads_with_a_revoked_token_is_an_auth_error(threads, ledger, clock):
    job = graph_job(threads, ledger, format="text", text="오늘의 빵이 나왔어요")
    post_id = published("threads", job, clock)
    threads.revoke(job.credentials.access_token)

    assert collect_error("threads", job, post_id).kind is ErrorKind.AUTH


# --- YouTube -------------------------------------------------------------------------------


def test_youtube_reads_a_videos_statistics_and_records_the_call(youtube, ledger, video, clock):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)

    metrics = collect("youtube_shorts", job, post_id)

    expected = youtube.metrics(post_id)
    assert metrics.values == {
        "views": expected["views"],
        "likes": expected["likes"],
        "comments": expected["comments"],
    }
    assert ledger.last("videos_list").summary == {"part": "statistics", "id": post_id}


def test_youtube_rate_limits_are_transient(youtube, ledger, video, clock):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)
    youtube.faults.add("rate_limited", operation="videos_list")

    assert collect_error("youtube_shorts", job, post_id).kind is ErrorKind.TRANSIENT


def test_youtube_with_a_revoked_token_is_an_auth_error(youtube, ledger, video, clock):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)
    youtube.revoke(job.credentials.access_token)

    assert collect_error("youtube_shorts", job, post_id).kind is ErrorKind.AUTH


def test_a_video_youtube_no_longer_shows_is_permanent(youtube, ledger, video):
    job = short_job(youtube, ledger, video)

    error = collect_error("youtube_shorts", job, "gone0000000")

    assert error.kind is ErrorKind.PERMANENT
    assert error.code == "videoNotFound"
