"""Each platform's collector (``Publisher.collect``) against its simulator over HTTP:
what it asks for, what it returns in our words, and how it fails."""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from publishing.publishers import publisher_for
from publishing.publishers.base import ErrorKind, Metrics, Published, PublishError, PublishJob
from publishing.publishers.youtube_analytics import EARLIEST, REPORT_METRICS
from sandbox.google_api import READ_SCOPE, UPLOAD_SCOPE
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.platform import ManualClock
from sandbox.youtube import FakeYouTube, youtube_error
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
    # Two days back, so a day after publishing the simulator is still before the end of
    # the day the Analytics report is asked up to (today, in Django's time).
    clock.advance(-2 * 86_400)
    with FakeYouTube(clock=clock, processing_s=0) as fake:
        settings.SANDBOX_YOUTUBE_URL = fake.url
        yield fake


@pytest.fixture
def video(tmp_path: Path) -> Path:
    """A stand-in Short whose movie header says 15 seconds."""
    header = struct.pack(">I4sB3xIIII", 108, b"mvhd", 0, 0, 0, 1000, 15_000) + bytes(80)
    path = tmp_path / "short.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + header + bytes(4096))
    return path


def pacific_today() -> dt.date:
    return dt.datetime.now(ZoneInfo("America/Los_Angeles")).date()


def reports(youtube: FakeYouTube) -> list:
    return youtube.requests_to(r"/v2/reports", method="GET")


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


def reel_job(instagram: FakeInstagram, ledger: Ledger, media: MediaServer) -> PublishJob:
    return graph_job(
        instagram,
        ledger,
        format="reel",
        text="릴스",
        media=[media.media("video", "reel.mp4"), media.media("cover", "cover.jpg")],
    )


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
    job = reel_job(instagram, ledger, media)
    post_id = published("instagram", job, clock)

    metrics = collect("instagram", job, post_id)

    # The simulator serves no Reels watch-time metric: one invalid name fails the whole request.
    assert metrics.refused == {"ig_reels_avg_watch_time", "ig_reels_video_view_total_time"}
    assert metrics.values["views"] == instagram.metrics(post_id)["views"]
    assert len(insight_requests(instagram)) == 1 + 9


def test_refused_metrics_are_not_asked_for_again(instagram, ledger, media, clock):
    job = reel_job(instagram, ledger, media)
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
    job = reel_job(instagram, ledger, media)
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


def test_youtube_reads_statistics_and_the_watch_time_report_and_records_both(
    youtube, ledger, video, clock
):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)

    metrics = collect("youtube_shorts", job, post_id)

    expected = youtube.metrics(post_id)
    rows = youtube.analytics.rows(job.credentials.user_id, [post_id], EARLIEST, pacific_today())
    row = rows[post_id]
    watch = youtube.audience.watch("youtube", youtube.post(post_id), 15.0)
    assert row["views"] == expected["views"] > 0  # the report's views are the Data API's
    assert metrics.values == {
        "views": expected["views"],
        "likes": expected["likes"],
        "comments": expected["comments"],
        "shares": expected["shares"],
        "watch_minutes": row["estimatedMinutesWatched"],
        "avg_view_seconds": round(15.0 * watch.percentage / 100),
        "avg_view_percentage": watch.percentage,
    }
    assert metrics.refused == frozenset()
    assert ledger.actions()[-2:] == ["reports_query", "videos_list"]  # the free read first
    assert ledger.last("videos_list").summary == {"part": "statistics", "id": post_id}
    report = ledger.last("reports_query")
    assert (report.status, report.summary["filters"]) == (200, f"video=={post_id}")
    assert report.summary["metrics"] == ",".join(REPORT_METRICS)
    assert metrics.raw["items"][0]["id"] == post_id
    assert metrics.raw["analytics"][0]["kind"] == "youtubeAnalytics#resultTable"


def test_without_the_analytics_scope_youtube_falls_back_to_statistics_and_names_the_refusal(
    youtube, ledger, video, clock
):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    old_grant = youtube.token_for(job.credentials.user_id, scopes=(UPLOAD_SCOPE, READ_SCOPE))
    job = replace(job, credentials=replace(job.credentials, access_token=old_grant))

    metrics = collect("youtube_shorts", job, post_id)
    again = collect("youtube_shorts", job, post_id, refused=metrics.refused)

    expected = youtube.metrics(post_id)
    for answer in (metrics, again):
        assert answer.values == {key: expected[key] for key in ("views", "likes", "comments")}
        assert answer.refused == frozenset(REPORT_METRICS)
    assert ledger.last("reports_query").status == 403
    assert len(youtube.requests_to(r"/v2/reports")) == 1  # remembered: not asked again


def test_a_report_youtube_will_not_give_leaves_the_numbers_to_the_statistics(
    youtube, ledger, video, clock
):
    job = with_fresh_token(short_job(youtube, ledger, video), youtube)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)
    not_enabled = youtube_error(
        403,
        "accessNotConfigured",
        "YouTube Analytics API has not been used in project 1 before or it is disabled.",
        domain="usageLimits",
    )
    youtube.script(not_enabled, path=r"/v2/reports")

    metrics = collect("youtube_shorts", job, post_id)

    assert set(metrics.values) == {"views", "likes", "comments"}
    assert metrics.refused == frozenset()  # the project's setting, not the account's grant
    assert "analytics" not in metrics.raw


@pytest.mark.parametrize("fault", ["rate_limited", "server_error"])
def test_youtube_analytics_trouble_is_transient_and_spends_no_data_api_unit(
    youtube, ledger, video, clock, fault
):
    job = short_job(youtube, ledger, video)
    post_id = published("youtube_shorts", job, clock)
    job = with_fresh_token(job, youtube)
    youtube.faults.add(fault, operation="reports")
    before = ledger.count("videos_list")

    assert collect_error("youtube_shorts", job, post_id).kind is ErrorKind.TRANSIENT
    assert ledger.count("videos_list") == before


def test_youtube_reads_watch_time_200_videos_a_report(youtube, ledger, video, clock):
    job = short_job(youtube, ledger, video)
    mine = [
        published("youtube_shorts", replace(with_fresh_token(job, youtube), progress={}), clock)
        for _ in range(2)
    ]
    job = with_fresh_token(job, youtube)
    ids = [*mine, *(f"gone{n:07d}" for n in range(448))]  # 450: three reports

    report = publisher_for("youtube_shorts").watch_time(
        endpoints=job.endpoints, credentials=job.credentials, video_ids=ids
    )

    asked = [r.param("filters", "").removeprefix("video==").split(",") for r in reports(youtube)]
    assert [len(batch) for batch in asked] == [200, 200, 50]
    assert [video for batch in asked for video in batch] == ids
    assert {r.param("maxResults") for r in reports(youtube)} == {"200"}
    assert sorted(report.rows) == sorted(mine)
    for video_id in mine:
        assert report.rows[video_id]["views"] == youtube.metrics(video_id)["views"]


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
