"""The YouTube publisher against FakeYouTube, over real HTTP on 127.0.0.1.

Each "next attempt" is rebuilt from what the publisher committed (``next_attempt``),
as the service does after a worker dies or a retry comes due.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
import time_machine

from publishing.publishers import endpoints_for, publisher_for
from publishing.publishers.base import (
    Credentials,
    ErrorKind,
    Media,
    Pending,
    Published,
    PublishError,
    PublishJob,
)
from publishing.publishers.youtube import QUOTA_DAY, UPLOAD_QUANTUM, YouTubePublisher
from sandbox.platform import ManualClock
from sandbox.server import FakeServer, RecordedRequest, Reply
from sandbox.youtube import FakeYouTube, youtube_error
from tests.publishing.meta_fixtures import Ledger, next_attempt

TITLE = "연남동 밤 라떼 <신메뉴> 나왔어요"
DESCRIPTION = "고소한 밤 라떼, 오늘부터 저녁 8시까지 한 잔 더 드려요.\n#연남동카페 #밤라떼"
TAGS = ["#연남동카페", "밤라떼", "신메뉴 출시"]
SIZE = 3 * UPLOAD_QUANTUM + 12_345  # four chunks of 256 KiB, the last one short
UPLOAD = r"/upload/youtube/v3/videos"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def youtube(settings, clock: ManualClock) -> Iterator[FakeYouTube]:
    with FakeYouTube(clock=clock) as fake:
        settings.SANDBOX_YOUTUBE_URL = fake.url
        yield fake


@pytest.fixture
def video(tmp_path: Path) -> Path:
    path = tmp_path / "short.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + os.urandom(SIZE - 24))
    return path


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()


@pytest.fixture
def publisher() -> YouTubePublisher:
    return YouTubePublisher(chunk_size=UPLOAD_QUANTUM)


def short_job(youtube: FakeYouTube, ledger: Ledger, video: Path, **changes) -> PublishJob:
    channel_id = youtube.channel_id_for("yeonnam_cafe")
    job = PublishJob(
        publication_id=1,
        platform="youtube_shorts",
        format="short",
        text=DESCRIPTION,
        title=TITLE,
        tags=list(TAGS),
        endpoints=endpoints_for("youtube_shorts", sandbox=True),
        credentials=Credentials(access_token=youtube.token_for(channel_id), user_id=channel_id),
        media=[
            Media(
                kind="video",
                url=f"{youtube.url}/media/short.mp4",
                mime_type="video/mp4",
                size_bytes=video.stat().st_size,
                path=video,
            )
        ],
        saver=ledger.save,
        recorder=ledger.record,
    )
    return replace(job, **changes)


def chunk_ranges(youtube: FakeYouTube) -> list[tuple[int, int]]:
    """(first, last) byte of every chunk PUT the simulator received (not status queries)."""
    ranges = []
    for request in youtube.requests_to(UPLOAD, method="PUT"):
        match = re.fullmatch(r"bytes (\d+)-(\d+)/\d+", request.headers.get("content-range", ""))
        if match:
            ranges.append((int(match[1]), int(match[2])))
    return ranges


def bytes_sent(youtube: FakeYouTube) -> int:
    return sum(end - start + 1 for start, end in chunk_ranges(youtube))


def inserts(youtube: FakeYouTube) -> list[RecordedRequest]:
    return youtube.requests_to(UPLOAD, method="POST")


def publish_error(publisher: YouTubePublisher, job: PublishJob) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(job)
    return caught.value


# --- The whole upload -----------------------------------------------------------------------


def test_it_uploads_a_short_in_chunks_after_committing_the_session(
    publisher, youtube, ledger, video
):
    result = publisher.publish(short_job(youtube, ledger, video))

    [post] = youtube.posts()
    assert result == Published(
        external_id=post.id, permalink=f"https://youtube.com/shorts/{post.id}"
    )
    assert post.extra["size_bytes"] == SIZE
    assert post.extra["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()
    assert chunk_ranges(youtube) == [
        (0, UPLOAD_QUANTUM - 1),
        (UPLOAD_QUANTUM, 2 * UPLOAD_QUANTUM - 1),
        (2 * UPLOAD_QUANTUM, 3 * UPLOAD_QUANTUM - 1),
        (3 * UPLOAD_QUANTUM, SIZE - 1),
    ]
    # The session URL was committed before the first byte went out.
    first_chunk = next(call for call in ledger.calls if call.action == "upload_chunk")
    assert first_chunk.committed is not None
    assert "upload_id=" in first_chunk.committed[0]
    assert ledger.actions() == ["upload_start"] + ["upload_chunk"] * 4


def test_it_sends_the_video_resource_youtube_asks_for(publisher, youtube, ledger, video):
    publisher.publish(short_job(youtube, ledger, video))

    [insert] = inserts(youtube)
    assert insert.param("uploadType") == "resumable"
    assert insert.param("part") == "snippet,status"
    assert insert.headers["x-upload-content-length"] == str(SIZE)
    assert insert.headers["x-upload-content-type"] == "video/mp4"
    assert insert.json == {
        "snippet": {
            "title": "연남동 밤 라떼 신메뉴 나왔어요",
            "description": f"{DESCRIPTION}\n\n#Shorts",
            "tags": ["연남동카페", "밤라떼", "신메뉴 출시"],
            "categoryId": "22",
            "defaultLanguage": "ko",
        },
        "status": {"privacyStatus": "public", "selfDeclaredMadeForKids": False},
    }


def test_it_keeps_title_and_description_within_youtubes_limits(publisher, youtube, ledger, video):
    long_title = "<b>" + "가" * 120 + "</b>"
    long_description = "맛있는 밤 라떼 " * 800  # about 16,000 bytes

    publisher.publish(short_job(youtube, ledger, video, title=long_title, text=long_description))

    [post] = youtube.posts()
    assert post.title == "b" + "가" * 99
    assert len(post.text.encode()) <= 5000
    assert post.text.endswith("\n\n#Shorts")


def test_a_description_that_already_says_shorts_gets_no_second_tag(
    publisher, youtube, ledger, video
):
    publisher.publish(short_job(youtube, ledger, video, text="밤 라떼 #shorts"))

    assert youtube.posts()[0].text == "밤 라떼 #shorts"


def test_it_uploads_from_the_media_url_when_the_file_is_not_on_this_machine(
    publisher, youtube, ledger, video
):
    with FakeServer() as storage:
        storage.route("GET", r"/short.mp4", lambda request, match: Reply(body=video.read_bytes()))
        media = Media(
            kind="video", url=f"{storage.url}/short.mp4", mime_type="video/mp4", size_bytes=SIZE
        )
        publisher.publish(short_job(youtube, ledger, video, media=[media]))

    [post] = youtube.posts()
    assert post.extra["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()


# --- Interrupted uploads ---------------------------------------------------------------------


def test_an_interrupted_upload_resumes_from_the_range_youtube_reports(
    publisher, youtube, ledger, video
):
    # The third chunk meets a 500: YouTube keeps the first two.
    ledger.before(
        "upload_chunk", 3, lambda: youtube.faults.add("server_error", operation="upload_chunk")
    )
    job = short_job(youtube, ledger, video)

    error = publish_error(publisher, job)
    assert error.kind is ErrorKind.TRANSIENT
    assert not error.outcome_unknown
    assert bytes_sent(youtube) == 3 * UPLOAD_QUANTUM  # two kept, one refused
    youtube.clear_requests()

    result = publisher.publish(next_attempt(job, ledger))

    assert isinstance(result, Published)
    [status_query] = [
        r
        for r in youtube.requests_to(UPLOAD, method="PUT")
        if r.headers["content-range"] == f"bytes */{SIZE}"
    ]
    assert status_query.body == b""
    assert chunk_ranges(youtube) == [
        (2 * UPLOAD_QUANTUM, 3 * UPLOAD_QUANTUM - 1),
        (3 * UPLOAD_QUANTUM, SIZE - 1),
    ]
    assert inserts(youtube) == []  # the same session, not a new one
    [post] = youtube.posts()
    assert post.extra["sha256"] == hashlib.sha256(video.read_bytes()).hexdigest()


def test_a_dropped_connection_resends_only_what_youtube_did_not_keep(
    publisher, youtube, ledger, video
):
    # YouTube takes the second chunk, then the connection drops before the answer.
    ledger.before(
        "upload_chunk",
        2,
        lambda: youtube.faults.add("lost_response", operation="upload_chunk", drop=True),
    )
    job = short_job(youtube, ledger, video)

    assert publish_error(publisher, job).kind is ErrorKind.TRANSIENT
    youtube.clear_requests()
    publisher.publish(next_attempt(job, ledger))

    assert chunk_ranges(youtube) == [
        (2 * UPLOAD_QUANTUM, 3 * UPLOAD_QUANTUM - 1),
        (3 * UPLOAD_QUANTUM, SIZE - 1),
    ]
    assert bytes_sent(youtube) < SIZE
    assert len(youtube.posts()) == 1


def test_an_expired_session_starts_a_new_one(publisher, youtube, ledger, video):
    ledger.before(
        "upload_chunk", 2, lambda: youtube.faults.add("server_error", operation="upload_chunk")
    )
    job = short_job(youtube, ledger, video)
    publish_error(publisher, job)
    first_session = ledger.committed[0]
    youtube.expire_session(re.search(r"upload_id=([\w-]+)", first_session)[1])
    youtube.clear_requests()

    result = publisher.publish(next_attempt(job, ledger))

    assert isinstance(result, Published)
    assert len(inserts(youtube)) == 1
    assert ledger.committed[0] != first_session
    assert chunk_ranges(youtube)[0] == (0, UPLOAD_QUANTUM - 1)
    assert bytes_sent(youtube) == SIZE
    assert len(youtube.posts()) == 1


def test_a_session_that_expires_mid_upload_is_restarted_in_the_same_call(
    publisher, youtube, ledger, video
):
    youtube.faults.add("container_expired", operation="upload_chunk")

    result = publisher.publish(short_job(youtube, ledger, video))

    assert isinstance(result, Published)
    assert len(inserts(youtube)) == 2
    assert len(youtube.posts()) == 1


@pytest.mark.parametrize("drop", [False, True], ids=["answer-500", "connection-dropped"])
def test_a_lost_final_answer_is_found_by_the_status_query_not_uploaded_again(
    publisher, youtube, ledger, video, drop
):
    youtube.faults.add("lost_response", operation="upload_final", drop=drop)
    job = short_job(youtube, ledger, video)

    error = publish_error(publisher, job)
    assert error.kind is ErrorKind.TRANSIENT
    assert error.outcome_unknown
    [post] = youtube.posts()  # the video exists; only the answer was lost
    youtube.clear_requests()

    result = publisher.publish(next_attempt(job, ledger))

    assert result == Published(
        external_id=post.id, permalink=f"https://youtube.com/shorts/{post.id}"
    )
    assert chunk_ranges(youtube) == []
    assert inserts(youtube) == []
    assert len(youtube.posts()) == 1


def test_a_lost_final_answer_and_an_expired_session_are_found_in_the_uploads(
    publisher, youtube, ledger, video
):
    youtube.faults.add("lost_response", operation="upload_final")
    job = short_job(youtube, ledger, video)
    publish_error(publisher, job)
    [post] = youtube.posts()
    youtube.expire_session(post.container_id)

    result = publisher.publish(next_attempt(job, ledger))

    assert isinstance(result, Published)
    assert result.external_id == post.id
    assert len(youtube.posts()) == 1
    assert len(inserts(youtube)) == 1
    assert ledger.actions()[-4:] == [
        "upload_status",
        "channels_list",
        "playlistItems_list",
        "videos_list",
    ]


def test_find_published_answers_from_the_saved_session(publisher, youtube, ledger, video):
    youtube.faults.add("lost_response", operation="upload_final")
    job = short_job(youtube, ledger, video)
    assert publisher.find_published(job) is None  # nothing saved yet
    publish_error(publisher, job)

    found = publisher.find_published(next_attempt(job, ledger))

    assert found is not None
    assert found.external_id == youtube.posts()[0].id
    assert len(youtube.posts()) == 1


# --- Processing ------------------------------------------------------------------------------


def test_a_video_still_processing_is_pending_until_youtube_is_done(
    publisher, youtube, ledger, video, clock
):
    youtube.processing_s = 90
    job = short_job(youtube, ledger, video)

    first = publisher.publish(job)
    assert isinstance(first, Pending)
    assert "처리" in first.note
    assert isinstance(publisher.publish(next_attempt(job, ledger)), Pending)

    clock.advance(90)
    done = publisher.publish(next_attempt(job, ledger))

    [post] = youtube.posts()
    assert done == Published(external_id=post.id, permalink=f"https://youtube.com/shorts/{post.id}")
    assert len(inserts(youtube)) == 1
    assert ledger.count("videos_list") == 2


def test_a_video_youtube_could_not_process_fails_and_the_next_try_uploads_afresh(
    publisher, youtube, ledger, video
):
    youtube.faults.add("container_error", operation="upload_final")
    job = short_job(youtube, ledger, video)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.PERMANENT
    assert "코덱" in error.message
    assert ledger.committed[0] == ""  # the owner's retry starts a new upload
    assert isinstance(publisher.publish(next_attempt(job, ledger)), Published)
    assert len(inserts(youtube)) == 2


# --- Privacy and scheduling ------------------------------------------------------------------


def test_it_lets_youtube_publish_at_the_scheduled_time_as_a_private_video(
    publisher, youtube, ledger, video
):
    when = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(hours=5)
    job = short_job(
        youtube,
        ledger,
        video,
        scheduled_at=when,
        options={"let_youtube_publish": True, "privacy_status": "public"},
    )

    result = publisher.publish(job)

    status = inserts(youtube)[0].json["status"]
    assert status["privacyStatus"] == "private"
    assert status["publishAt"] == when.strftime("%Y-%m-%dT%H:%M:%SZ")
    seoul = when.astimezone(dt.timezone(dt.timedelta(hours=9)))
    assert f"{seoul:%H:%M}(한국 시간)에 공개합니다" in result.note


def test_publish_at_is_left_out_when_the_time_has_passed(publisher, youtube, ledger, video):
    job = short_job(
        youtube,
        ledger,
        video,
        scheduled_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1),
        options={"let_youtube_publish": True},
    )

    publisher.publish(job)

    assert inserts(youtube)[0].json["status"] == {
        "privacyStatus": "public",
        "selfDeclaredMadeForKids": False,
    }


def test_publish_at_is_not_sent_unless_asked(publisher, youtube, ledger, video):
    future = dt.datetime.now(dt.UTC) + dt.timedelta(days=1)
    publisher.publish(short_job(youtube, ledger, video, scheduled_at=future))

    assert "publishAt" not in inserts(youtube)[0].json["status"]


def test_a_video_locked_to_private_tells_the_owner_why(publisher, youtube, ledger, video):
    youtube.unverified_app = True

    result = publisher.publish(short_job(youtube, ledger, video))

    assert isinstance(result, Published)
    assert result.note.startswith("Google 심사를 받지 않은 앱으로 올린 영상은 비공개로 잠깁니다")


def test_a_private_video_asked_for_has_no_note(publisher, youtube, ledger, video):
    youtube.unverified_app = True
    job = short_job(youtube, ledger, video, options={"privacy_status": "private"})

    assert publisher.publish(job).note == ""


# --- Errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("frozen_at", "expected_s"),
    [
        # 01:30 PST on the day clocks spring forward: midnight is 21.5 real hours away.
        (dt.datetime(2026, 3, 8, 9, 30, tzinfo=dt.UTC), 21.5 * 3600),
        # 00:30 PDT on the day clocks fall back: midnight is 24.5 real hours away.
        (dt.datetime(2026, 11, 1, 7, 30, tzinfo=dt.UTC), 24.5 * 3600),
        # An ordinary winter afternoon in Seoul (22:00 PST the day before).
        (dt.datetime(2026, 1, 15, 6, 0, tzinfo=dt.UTC), 2 * 3600),
    ],
    ids=["spring-forward", "fall-back", "plain-day"],
)
def test_quota_exceeded_waits_until_midnight_pacific(
    publisher, youtube, ledger, video, frozen_at, expected_s
):
    youtube.faults.add("quota_exceeded")
    job = short_job(youtube, ledger, video)

    with time_machine.travel(frozen_at, tick=False):
        error = publish_error(publisher, job)

    assert error.kind is ErrorKind.TRANSIENT
    assert error.code == "quota"
    assert error.retry_after_s == expected_s
    resets = (frozen_at + dt.timedelta(seconds=expected_s)).astimezone(
        dt.timezone(dt.timedelta(hours=9))
    )
    assert f"{resets:%m월 %d일 %H시}(한국 시간)" in error.message
    assert "quotaExceeded" in error.detail
    assert youtube.posts() == []


def test_next_quota_day_is_a_pacific_midnight():
    resets = QUOTA_DAY.frees_at(dt.datetime(2026, 7, 1, 12, 0, tzinfo=dt.UTC))

    assert resets == dt.datetime(2026, 7, 2, 7, 0, tzinfo=dt.UTC)  # 00:00 PDT


def test_the_channels_daily_upload_limit_also_waits_for_the_quota_day(
    publisher, youtube, ledger, video
):
    youtube.channel_daily_upload_limit = 0

    error = publish_error(publisher, short_job(youtube, ledger, video))

    assert (error.kind, error.code, error.status) == (ErrorKind.TRANSIENT, "quota", 400)
    assert error.retry_after_s is not None and error.retry_after_s > 0


def test_a_revoked_token_is_an_auth_error(publisher, youtube, ledger, video):
    job = short_job(youtube, ledger, video)
    youtube.revoke(job.credentials.access_token)

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.AUTH
    assert (error.status, error.code) == (401, "authError")
    assert "다시 연결" in error.message
    assert youtube.posts() == []


def test_rate_limiting_honours_retry_after(publisher, youtube, ledger, video):
    youtube.faults.add("rate_limited", operation="upload_start", retry_after_s=42)

    error = publish_error(publisher, short_job(youtube, ledger, video))

    assert (error.kind, error.status, error.retry_after_s) == (ErrorKind.TRANSIENT, 429, 42)


def test_a_503_on_the_last_chunk_honours_retry_after_and_resumes(publisher, youtube, ledger, video):
    unavailable = youtube_error(
        503, "backendError", "The service is currently unavailable.", headers={"Retry-After": "120"}
    )
    ledger.before("upload_chunk", 4, lambda: youtube.script(unavailable, path=UPLOAD))
    job = short_job(youtube, ledger, video)

    error = publish_error(publisher, job)

    assert (error.kind, error.status, error.retry_after_s) == (ErrorKind.TRANSIENT, 503, 120)
    assert error.outcome_unknown  # the last chunk's answer never said whether it worked
    youtube.clear_requests()
    assert isinstance(publisher.publish(next_attempt(job, ledger)), Published)
    assert chunk_ranges(youtube) == [(3 * UPLOAD_QUANTUM, SIZE - 1)]


def test_retry_after_given_as_a_date_is_read_as_seconds(publisher, youtube, ledger, video):
    frozen_at = dt.datetime(2026, 5, 4, 3, 0, tzinfo=dt.UTC)
    busy = youtube_error(
        500,
        "backendError",
        "Backend Error",
        headers={"Retry-After": "Mon, 04 May 2026 03:05:00 GMT"},
    )
    youtube.script(busy, path=UPLOAD)

    with time_machine.travel(frozen_at, tick=False):
        error = publish_error(publisher, short_job(youtube, ledger, video))

    assert error.retry_after_s == 300


def test_invalid_metadata_is_permanent_with_a_korean_explanation(publisher, youtube, ledger, video):
    job = short_job(youtube, ledger, video, options={"category_id": "맛집"})

    error = publish_error(publisher, job)

    assert error.kind is ErrorKind.PERMANENT
    assert (error.status, error.code) == (400, "invalidCategoryId")
    assert error.message.startswith("영상 카테고리가 올바르지 않습니다.")
    assert youtube.posts() == []


def test_a_missing_video_file_is_permanent(publisher, youtube, ledger, video):
    error = publish_error(publisher, short_job(youtube, ledger, video, media=[]))

    assert error.kind is ErrorKind.PERMANENT
    assert youtube.requests == []


def test_chunk_sizes_must_be_multiples_of_256_kib():
    with pytest.raises(ValueError, match="multiples"):
        YouTubePublisher(chunk_size=UPLOAD_QUANTUM + 1)


def test_the_registry_builds_the_youtube_publisher():
    assert isinstance(publisher_for("youtube_shorts"), YouTubePublisher)


# --- Statistics ----------------------------------------------------------------------------------


def test_statistics_reads_50_ids_a_call_and_skips_unknown_videos(publisher, youtube, ledger, video):
    job = short_job(youtube, ledger, video)
    video_id = publisher.publish(job).external_id
    unknown = [f"unknown{n:04d}" for n in range(50)]

    numbers = publisher.statistics(
        endpoints=job.endpoints, credentials=job.credentials, video_ids=[video_id, *unknown]
    )

    assert list(numbers) == [video_id]
    expected = youtube.metrics(video_id)
    assert numbers[video_id].views == expected.get("views", 0)
    assert numbers[video_id].likes == expected.get("likes", 0)
    assert len(youtube.requests_to(r"/youtube/v3/videos", method="GET")) == 2
