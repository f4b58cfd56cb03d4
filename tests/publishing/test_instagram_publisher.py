"""The Instagram publisher against FakeInstagram, over real HTTP on 127.0.0.1.

The simulator fetches every image and video from a local media server, processes
containers on a clock the tests move by hand, and answers errors in Graph's format.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
import time_machine
from django.utils import timezone

from publishing.publishers import publisher_for
from publishing.publishers.base import ErrorKind, Pending, Published, Quota
from sandbox.meta import FakeInstagram
from sandbox.platform import ManualClock
from sandbox.server import Reply
from tests.publishing.meta_fixtures import (
    Ledger,
    MediaServer,
    graph_job,
    graph_requests,
    next_attempt,
    publish_error,
    sandbox_simulator,
)

CAPTION = "연남동 골목의 따뜻한 밤 라떼 ☕ 오늘 저녁 8시까지! #연남동카페 #밤라떼"
FETCH_FIX = "미디어 주소를 인스타그램이 가져오지 못했습니다"


@pytest.fixture
def instagram(settings, clock: ManualClock) -> Iterator[FakeInstagram]:
    with sandbox_simulator(FakeInstagram, settings, clock) as fake:
        yield fake


@pytest.fixture
def publisher():
    return publisher_for("instagram")


def image_job(
    instagram: FakeInstagram, ledger: Ledger, media: MediaServer, name: str = "feed-1.jpg"
):
    return graph_job(
        instagram,
        ledger,
        format="image",
        text=CAPTION,
        media=[media.media("image", name)],
        alt_text="유리잔에 담긴 밤 라떼",
    )


def carousel_job(instagram: FakeInstagram, ledger: Ledger, media: MediaServer, count: int = 5):
    images = [media.media("image", f"feed-{n}.jpg") for n in range(1, count + 1)]
    return graph_job(instagram, ledger, format="carousel", text=CAPTION, media=images)


def reel_job(instagram: FakeInstagram, ledger: Ledger, media: MediaServer, video: str = "reel.mp4"):
    return graph_job(
        instagram,
        ledger,
        format="reel",
        text=CAPTION,
        media=[media.media("video", video), media.media("cover", "cover.jpg")],
    )


# --- The happy paths ---------------------------------------------------------------------


def test_it_publishes_an_image_with_its_caption_and_alt_text(publisher, instagram, ledger, media):
    result = publisher.publish(image_job(instagram, ledger, media))

    [post] = instagram.posts()
    assert result == Published(external_id=post.id, permalink=post.permalink)
    assert post.text == CAPTION
    assert post.media_type == "IMAGE"
    assert post.extra["alt_text"] == "유리잔에 담긴 밤 라떼"
    assert post.media_urls == (media.media("image", "feed-1.jpg").url,)
    assert len(media.requests_to(r"/media/feed-1\.jpg")) == 1  # Instagram fetched it itself
    assert graph_requests(instagram) == [
        "POST media",
        "GET {id}",
        "POST media_publish",
        "GET {id}",
    ]


def test_it_records_every_call_before_making_it_and_commits_the_container_first(
    publisher, instagram, ledger, media
):
    publisher.publish(image_job(instagram, ledger, media))

    assert ledger.actions() == [
        "create_container",
        "container_status",
        "media_publish",
        "read_permalink",
    ]
    assert [call.status for call in ledger.calls] == [200, 200, 200, 200]
    [post] = instagram.posts()
    container_id, progress = ledger.last("media_publish").committed  # type: ignore[misc]
    assert container_id == post.container_id
    assert progress["publish_sent"] is True
    assert ledger.last("media_publish").summary["creation_id"] == container_id
    assert ledger.committed[1]["media_id"] == post.id
    assert all("access_token" not in call.summary for call in ledger.calls)


def test_a_carousel_reuses_the_items_made_before_a_failure_midway(
    publisher, instagram, ledger, media
):
    job = carousel_job(instagram, ledger, media, count=5)
    ledger.before(
        "create_carousel_item", 3, lambda: instagram.faults.add("server_error", operation="create")
    )

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    saved_items = ledger.committed[1]["children"]
    assert len(saved_items) == 2
    result = publisher.publish(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert result.external_id == post.id
    assert post.media_type == "CAROUSEL_ALBUM"
    assert post.text == CAPTION
    assert post.extra["children"][:2] == [item["id"] for item in saved_items]
    assert list(post.media_urls) == [image.url for image in job.media]
    # 2 items, the failed third, items 3–5 again, then the carousel itself.
    assert graph_requests(instagram).count("POST media") == 7
    assert ledger.count("create_carousel_item") == 6


def test_a_reel_still_processing_is_pending_until_instagram_finishes_it(
    publisher, instagram, ledger, media, clock, settings
):
    job = reel_job(instagram, ledger, media)

    first = publisher.publish(job)

    assert isinstance(first, Pending)
    assert first.poll_after_s == settings.PUBLISH_POLL_S
    assert "영상" in first.note
    assert ledger.count("media_publish") == 0
    clock.advance(61)
    result = publisher.publish(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert result == Published(external_id=post.id, permalink=post.permalink)
    assert post.media_type == "REELS"
    assert post.extra["share_to_feed"] == "true"
    assert post.extra["cover_url"] == media.media("cover", "cover.jpg").url
    assert graph_requests(instagram).count("POST media") == 1  # the same container throughout


def test_an_image_still_processing_is_polled_sooner_than_a_video(
    publisher, instagram, ledger, media, settings
):
    instagram.image_processing_s = 10

    result = publisher.publish(image_job(instagram, ledger, media))

    assert isinstance(result, Pending)
    assert 0 < result.poll_after_s < settings.PUBLISH_POLL_S


# --- Containers that will never publish ----------------------------------------------------


def test_a_container_in_error_fails_for_good_with_what_the_subcode_means(
    publisher, instagram, ledger, media, clock
):
    job = reel_job(instagram, ledger, media, video="gone.mp4")
    assert isinstance(publisher.publish(job), Pending)  # Meta fetches videos while processing
    clock.advance(61)

    error = publish_error(publisher, next_attempt(job, ledger))

    assert error.kind is ErrorKind.PERMANENT
    assert error.message.startswith(FETCH_FIX)
    assert "2207052" in error.detail
    assert ledger.committed[0] == ""  # a retry after the fix starts with a new container
    assert instagram.posts() == []


def test_a_container_error_meta_says_to_recreate_is_retried_with_a_new_container(
    publisher, instagram, ledger, media
):
    instagram.faults.add("container_error", operation="create")  # 2207032: re-create media
    job = image_job(instagram, ledger, media)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert "2207032" in error.detail
    assert ledger.committed[0] == ""
    result = publisher.publish(next_attempt(job, ledger))
    [post] = instagram.posts()
    assert result.external_id == post.id
    assert graph_requests(instagram).count("POST media") == 2


def test_a_container_in_error_is_never_used_again_even_when_the_error_is_temporary(
    publisher, instagram, ledger, media
):
    failed = {"status_code": "ERROR", "status": "Error: Instagram server error (subcode 2207001)"}
    instagram.script(Reply(body=failed), path=r"/v21\.0/\d+")  # the first status read
    job = image_job(instagram, ledger, media)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert ledger.committed[0] == ""
    assert publisher.publish(next_attempt(job, ledger)).external_id == instagram.posts()[0].id
    assert graph_requests(instagram).count("POST media") == 2


def test_an_expired_container_is_replaced_by_a_new_one(publisher, instagram, ledger, media, clock):
    instagram.image_processing_s = 10
    job = image_job(instagram, ledger, media)
    assert isinstance(publisher.publish(job), Pending)
    first_container = ledger.committed[0]
    clock.advance(24 * 3600 + 1)

    assert isinstance(publisher.publish(next_attempt(job, ledger)), Pending)
    assert instagram.container_status(first_container) == "EXPIRED"
    second_container = ledger.committed[0]
    assert second_container not in ("", first_container)
    clock.advance(11)
    result = publisher.publish(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert result.external_id == post.id
    assert post.container_id == second_container


def test_a_video_still_processing_after_an_hour_fails_with_what_to_check(
    publisher, instagram, ledger, media
):
    job = reel_job(instagram, ledger, media)
    instagram.video_processing_s = 3 * 3600  # Instagram never finishes it
    assert isinstance(publisher.publish(job), Pending)

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=61)):
        error = publish_error(publisher, next_attempt(job, ledger))

    assert error.kind is ErrorKind.PERMANENT
    assert "한 시간이 넘도록" in error.message and "MP4" in error.message
    assert ledger.committed[0] == ""
    assert ledger.count("media_publish") == 0


# --- Errors ----------------------------------------------------------------------------------


def test_a_server_error_is_transient(publisher, instagram, ledger, media):
    instagram.faults.add("server_error", operation="create", status=503)

    error = publish_error(publisher, image_job(instagram, ledger, media))

    assert error.kind is ErrorKind.TRANSIENT
    assert error.status == 503
    assert error.retry_after_s is None  # the service's backoff decides
    assert not error.outcome_unknown  # nothing can go live from a container call
    assert "HTTP 503" in error.detail and "fbtrace_id" in error.detail
    assert ledger.committed == ("", {})


def test_a_429_waits_as_long_as_retry_after_asks(publisher, instagram, ledger, media):
    instagram.script(
        Reply(
            status=429,
            headers={"Retry-After": "120"},
            body={"error": {"message": "Too many calls", "type": "OAuthException", "code": 4}},
        ),
        path=r".*/media",
    )

    error = publish_error(publisher, image_job(instagram, ledger, media))

    assert error.kind is ErrorKind.TRANSIENT
    assert error.status == 429
    assert error.retry_after_s == 120


def test_a_rate_limit_waits_for_metas_estimate_of_when_access_returns(
    publisher, instagram, ledger, media
):
    instagram.faults.add("rate_limited", operation="create", retry_after_s=600)

    error = publish_error(publisher, image_job(instagram, ledger, media))

    assert error.kind is ErrorKind.TRANSIENT
    assert error.code == "4"
    assert error.retry_after_s == 600  # X-Business-Use-Case-Usage: 10 minutes


def test_a_timeout_is_transient(publisher, instagram, ledger, media, settings):
    settings.HTTP_READ_TIMEOUT_S = 0.2
    instagram.faults.add("timeout", operation="create", hold_s=0.6)

    error = publish_error(publisher, image_job(instagram, ledger, media))

    assert error.kind is ErrorKind.TRANSIENT
    assert "Timeout" in error.detail
    assert not error.outcome_unknown


def test_a_revoked_token_needs_the_owner_to_reconnect(publisher, instagram, ledger, media):
    job = image_job(instagram, ledger, media)
    instagram.revoke(job.credentials.access_token)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.AUTH
    assert error.code == "190/458"
    assert "다시 연결" in error.message
    assert instagram.posts() == []


def test_media_instagram_cannot_fetch_fails_with_what_to_fix(publisher, instagram, ledger, media):
    error = publish_error(publisher, image_job(instagram, ledger, media, name="missing.jpg"))

    assert error.kind is ErrorKind.PERMANENT
    assert error.message.startswith(FETCH_FIX)
    assert "PUBLIC_BASE_URL" in error.message
    assert error.code == "9004/2207052"
    assert ledger.committed == ("", {})


def test_an_image_outside_instagrams_aspect_ratios_is_refused_with_the_size_to_use(
    publisher, instagram, ledger, media
):
    error = publish_error(publisher, image_job(instagram, ledger, media, name="wide.jpg"))

    assert error.kind is ErrorKind.PERMANENT
    assert "비율" in error.message and "1080×1350" in error.message
    assert error.code == "36003/2207009"


def test_a_caption_over_instagrams_limits_is_refused_before_any_call(
    publisher, instagram, ledger, media
):
    job = image_job(instagram, ledger, media)
    job.text = "#라떼 " * 31

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.PERMANENT
    assert "해시태그는 30개까지" in error.message
    assert ledger.calls == []
    assert graph_requests(instagram) == []


def test_the_daily_publishing_limit_waits_as_a_quota(publisher, instagram, ledger, media):
    instagram.publish_limit = 1
    publisher.publish(image_job(instagram, ledger, media))
    second = image_job(instagram, Ledger(), media, name="feed-2.jpg")

    error = publish_error(publisher, second)

    assert error.kind is ErrorKind.TRANSIENT
    assert error.code == "quota"  # the service waits without using up attempts
    assert error.retry_after_s is not None and error.retry_after_s >= 3600
    assert "2207042" in error.detail
    assert len(instagram.posts()) == 1


# --- Exactly once ----------------------------------------------------------------------------


def test_a_lost_answer_to_media_publish_is_found_and_never_published_again(
    publisher, instagram, ledger, media
):
    instagram.faults.add("lost_response", operation="publish")  # it goes live; the answer is a 500
    job = image_job(instagram, ledger, media)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert error.outcome_unknown
    assert ledger.committed[1]["publish_sent"] is True
    retry = next_attempt(job, ledger)
    calls_before = len(ledger.calls)
    result = publisher.publish(retry)

    [post] = instagram.posts()
    assert result == Published(external_id=post.id, permalink=post.permalink)
    assert graph_requests(instagram).count("POST media_publish") == 1
    assert ledger.actions()[calls_before:] == ["container_status", "find_post"]


def test_a_dropped_connection_on_media_publish_is_an_unknown_outcome(
    publisher, instagram, ledger, media
):
    instagram.faults.add("lost_response", operation="publish", drop=True)
    job = image_job(instagram, ledger, media)

    error = publish_error(publisher, job)

    assert error.outcome_unknown
    assert publisher.publish(next_attempt(job, ledger)).external_id == instagram.posts()[0].id
    assert len(instagram.posts()) == 1


def test_a_publish_call_that_never_arrived_is_sent_again_for_the_same_container(
    publisher, instagram, ledger, media
):
    instagram.script(Reply(drop=True), path=r".*/media_publish")  # dropped before Meta saw it
    job = image_job(instagram, ledger, media)
    assert publish_error(publisher, job).outcome_unknown

    result = publisher.publish(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert result.external_id == post.id
    assert post.container_id == ledger.last("media_publish").summary["creation_id"]
    assert graph_requests(instagram).count("POST media") == 1
    assert ledger.actions()[-4:] == [
        "container_status",
        "find_post",
        "media_publish",
        "read_permalink",
    ]


def test_a_status_that_lags_behind_a_lost_publish_still_finds_the_post_first(
    publisher, instagram, ledger, media
):
    instagram.faults.add("lost_response", operation="publish")
    job = image_job(instagram, ledger, media)
    publish_error(publisher, job)
    container_id = ledger.committed[0]
    lagging = {"status_code": "FINISHED", "status": "Finished: ready", "id": container_id}
    instagram.script(Reply(body=lagging), path=rf".*/{container_id}")

    result = publisher.publish(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert result.external_id == post.id
    assert graph_requests(instagram).count("POST media_publish") == 1


def test_the_reaper_finds_the_post_of_a_lost_answer_without_publishing(
    publisher, instagram, ledger, media
):
    instagram.faults.add("lost_response", operation="publish")
    job = image_job(instagram, ledger, media)
    publish_error(publisher, job)

    found = publisher.find_published(next_attempt(job, ledger))

    [post] = instagram.posts()
    assert found == Published(external_id=post.id, permalink=post.permalink)
    assert graph_requests(instagram).count("POST media_publish") == 1


def test_the_reaper_finds_nothing_for_a_container_never_published(
    publisher, instagram, ledger, media
):
    instagram.image_processing_s = 10
    job = image_job(instagram, ledger, media)
    publisher.publish(job)

    assert publisher.find_published(next_attempt(job, ledger)) is None
    assert publisher.find_published(replace(job, container_id="", progress={})) is None


def test_a_published_container_whose_post_cannot_be_found_is_still_published_once(
    publisher, instagram, ledger, media
):
    instagram.faults.add("lost_response", operation="publish")
    job = image_job(instagram, ledger, media)
    publish_error(publisher, job)
    retry = next_attempt(job, ledger)
    retry.text = "사장님이 그사이 고친 캡션"  # no recent post has this text

    result = publisher.publish(retry)

    assert result.external_id == ledger.committed[0]  # the container: live, post not found
    assert "찾지 못했습니다" in result.note
    assert graph_requests(instagram).count("POST media_publish") == 1
    assert len(instagram.posts()) == 1


def test_a_failed_permalink_read_never_fails_a_live_post(publisher, instagram, ledger, media):
    instagram.faults.add("server_error", operation="read")

    result = publisher.publish(image_job(instagram, ledger, media))

    [post] = instagram.posts()
    assert result == Published(external_id=post.id, permalink="")
    assert ledger.last("read_permalink").status == 500


# --- Quota -----------------------------------------------------------------------------------


def test_live_quota_reads_instagrams_own_count_and_limit(publisher, instagram, ledger, media):
    job = image_job(instagram, ledger, media)
    assert publisher.live_quota(job) == Quota(used=0, limit=50)

    publisher.publish(job)

    assert publisher.live_quota(job) == Quota(used=1, limit=50)
    assert ledger.last("read_quota").summary["fields"] == "quota_usage,config"
