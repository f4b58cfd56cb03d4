"""The Threads publisher against FakeThreads, over real HTTP on 127.0.0.1.

The container flow is the one Instagram uses (``meta.ContainerPublisher``); these
tests pin what is Threads' own: its edges, the 500-character rule with emoji counted
as bytes, ``error_message`` on a failed container, and the 250-post quota.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from content.specs import threads_length
from publishing.publishers import publisher_for
from publishing.publishers.base import ErrorKind, Pending, Published, Quota
from sandbox.meta import FakeThreads
from sandbox.platform import ManualClock
from tests.publishing.meta_fixtures import (
    Ledger,
    MediaServer,
    graph_job,
    graph_requests,
    next_attempt,
    publish_error,
    sandbox_simulator,
)

TEXT = "오늘 새로 나온 밤 라떼, 드셔 보셨어요? 저녁 8시까지 한 잔 더 드려요 🌰"


@pytest.fixture
def threads(settings, clock: ManualClock) -> Iterator[FakeThreads]:
    with sandbox_simulator(FakeThreads, settings, clock) as fake:
        yield fake


@pytest.fixture
def publisher():
    return publisher_for("threads")


def text_job(threads: FakeThreads, ledger: Ledger, text: str = TEXT):
    return graph_job(threads, ledger, format="text", text=text)


def video_job(threads: FakeThreads, ledger: Ledger, media: MediaServer, name: str = "reel.mp4"):
    return graph_job(threads, ledger, format="video", text=TEXT, media=[media.media("video", name)])


def test_it_publishes_a_text_thread(publisher, threads, ledger):
    result = publisher.publish(text_job(threads, ledger))

    [post] = threads.posts()
    assert result == Published(external_id=post.id, permalink=post.permalink)
    assert post.text == TEXT
    assert post.media_type == "TEXT_POST"
    assert graph_requests(threads) == [
        "POST threads",
        "GET {id}",
        "POST threads_publish",
        "GET {id}",
    ]
    assert ledger.actions() == [
        "create_container",
        "container_status",
        "threads_publish",
        "read_permalink",
    ]
    assert ledger.last("create_container").summary["media_type"] == "TEXT"
    assert ledger.last("threads_publish").committed[1]["publish_sent"] is True  # type: ignore[index]


def test_it_publishes_an_image_with_alt_text_that_threads_fetches_itself(
    publisher, threads, ledger, media
):
    job = graph_job(
        threads,
        ledger,
        format="image",
        text=TEXT,
        media=[media.media("image", "feed-1.jpg")],
        alt_text="밤 라떼 한 잔",
    )

    result = publisher.publish(job)

    [post] = threads.posts()
    assert result.external_id == post.id
    assert post.media_type == "IMAGE"
    assert post.extra["alt_text"] == "밤 라떼 한 잔"
    assert len(media.requests_to(r"/media/feed-1\.jpg")) == 1


def test_a_video_still_processing_is_pending_until_threads_finishes_it(
    publisher, threads, ledger, media, clock, settings
):
    job = video_job(threads, ledger, media)

    first = publisher.publish(job)

    assert isinstance(first, Pending)
    assert first.poll_after_s == settings.PUBLISH_POLL_S
    assert first.note.startswith("스레드가")
    clock.advance(61)
    result = publisher.publish(next_attempt(job, ledger))
    [post] = threads.posts()
    assert result.external_id == post.id
    assert post.media_type == "VIDEO"
    assert graph_requests(threads).count("POST threads") == 1


def test_a_video_threads_cannot_download_fails_with_what_to_fix(
    publisher, threads, ledger, media, clock
):
    job = video_job(threads, ledger, media, name="gone.mp4")
    assert isinstance(publisher.publish(job), Pending)
    clock.advance(61)

    error = publish_error(publisher, next_attempt(job, ledger))

    assert error.kind is ErrorKind.PERMANENT
    assert error.message.startswith("미디어 주소를 스레드가 가져오지 못했습니다")
    assert "FAILED_DOWNLOADING_VIDEO" in error.detail
    assert threads.posts() == []


def test_an_unknown_container_error_is_retried_with_a_new_container(publisher, threads, ledger):
    threads.faults.add("container_error", operation="create")  # error_message UNKNOWN
    job = text_job(threads, ledger)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert ledger.committed[0] == ""
    assert publisher.publish(next_attempt(job, ledger)).external_id == threads.posts()[0].id
    assert graph_requests(threads).count("POST threads") == 2


def test_a_dropped_answer_to_threads_publish_is_found_and_never_published_again(
    publisher, threads, ledger
):
    threads.faults.add("lost_response", operation="publish", drop=True)
    job = text_job(threads, ledger)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert error.outcome_unknown
    result = publisher.publish(next_attempt(job, ledger))
    [post] = threads.posts()
    assert result == Published(external_id=post.id, permalink=post.permalink)
    assert graph_requests(threads).count("POST threads_publish") == 1


def test_500_characters_go_out_but_emoji_count_as_their_bytes(publisher, threads, ledger):
    assert threads_length("가" * 500) == 500
    assert threads_length("☕" * 167) == 501

    publisher.publish(text_job(threads, ledger, text="가" * 500))
    error = publish_error(publisher, text_job(threads, Ledger(), text="☕" * 167))

    assert error.kind is ErrorKind.PERMANENT
    assert "500자" in error.message
    assert len(threads.posts()) == 1
    assert graph_requests(threads).count("POST threads") == 1  # the long one never left


def test_a_revoked_token_needs_the_owner_to_reconnect(publisher, threads, ledger):
    job = text_job(threads, ledger)
    threads.revoke(job.credentials.access_token)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.AUTH
    assert error.message.startswith("스레드 연결이 만료되었거나")


def test_a_rate_limit_is_transient_with_metas_wait(publisher, threads, ledger):
    threads.faults.add("rate_limited", operation="create", code=17, retry_after_s=120)

    error = publish_error(publisher, text_job(threads, ledger))

    assert error.kind is ErrorKind.TRANSIENT
    assert error.code == "17"
    assert error.retry_after_s == 120


def test_a_failed_permalink_read_never_fails_a_live_thread(publisher, threads, ledger):
    threads.faults.add("server_error", operation="read")

    result = publisher.publish(text_job(threads, ledger))

    assert result == Published(external_id=threads.posts()[0].id, permalink="")


def test_live_quota_reads_threads_own_count_and_limit(publisher, threads, ledger):
    job = text_job(threads, ledger)
    publisher.publish(job)

    assert publisher.live_quota(job) == Quota(used=1, limit=250)
