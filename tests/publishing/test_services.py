"""Scheduling, claims, the run's state changes and the reaper, with a scripted publisher.

The platform publishers have their own tests against the simulators; here the
publisher is a script so each state change can be pinned down exactly.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import deque
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from content.models import ContentPiece, RenderStatus
from publishing import jobs, runner, services
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers.base import (
    ErrorKind,
    Pending,
    Published,
    Publisher,
    PublishError,
    PublishJob,
)
from tests.factories import (
    ChannelAccountFactory,
    ContentPieceFactory,
    PublicationFactory,
)

State = Publication.State
NOW = dt.datetime(2026, 11, 23, 1, 0, tzinfo=dt.UTC)


class ScriptedPublisher(Publisher):
    platform = "threads"
    formats = ("text",)

    def __init__(self, *answers: object) -> None:
        self.answers = deque(answers)
        self.jobs: list[PublishJob] = []

    def publish(self, job: PublishJob) -> Published | Pending:
        self.jobs.append(job)
        with job.call("threads_publish", text=job.text[:20]) as record:
            answer = self.answers.popleft()
            if isinstance(answer, Exception):
                raise answer
            record.status = 200
            return answer  # type: ignore[return-value]


@pytest.fixture
def scripted(monkeypatch):
    holder: dict[str, ScriptedPublisher] = {}

    def install(*answers: object) -> ScriptedPublisher:
        holder["publisher"] = ScriptedPublisher(*answers)
        monkeypatch.setattr(runner, "publisher_for", lambda platform: holder["publisher"])
        monkeypatch.setattr(jobs, "publisher_for", lambda platform: holder["publisher"])
        return holder["publisher"]

    return install


@pytest.fixture
def threads_post(alice):
    """A ready text post for Threads on alice's sandbox account, due now."""
    piece = ContentPieceFactory(
        business=alice.business,
        channel="threads",
        status=ContentPiece.Status.READY,
        render_status=RenderStatus.NONE,
        body="오늘 새로 나온 밤 라떼, 드셔 보셨어요?",
        format="text",
    )
    account = ChannelAccountFactory(business=alice.business, platform="threads")
    return PublicationFactory(piece=piece, channel_account=account, scheduled_at=NOW)


def claim_and_run(publication: Publication, now: dt.datetime = NOW) -> str | None:
    with time_machine.travel(now, tick=False):
        token, ids = services.claim_due(now)
        assert publication.pk in ids
        return services.publish_claimed(publication.pk, str(token))


# --- Scheduling ---------------------------------------------------------------------------


def test_scheduling_approves_the_piece_and_stores_utc(alice):
    piece = ContentPieceFactory(
        business=alice.business, channel="threads", status="ready", render_status="none"
    )
    ChannelAccountFactory(business=alice.business, platform="threads")
    seoul_evening = dt.datetime(2026, 11, 24, 19, 30, tzinfo=ZoneInfo("Asia/Seoul"))

    publication = services.schedule_piece(piece, seoul_evening)

    publication.refresh_from_db()
    assert publication.scheduled_at == dt.datetime(2026, 11, 24, 10, 30, tzinfo=dt.UTC)
    assert publication.next_attempt_at == publication.scheduled_at
    piece.refresh_from_db()
    assert piece.status == ContentPiece.Status.APPROVED


def test_a_piece_whose_media_failed_cannot_be_scheduled(alice):
    piece = ContentPieceFactory(
        business=alice.business,
        status="ready",
        render_status="failed",
        render_error="사진이 깨졌어요",
    )
    ChannelAccountFactory(business=alice.business, platform="instagram")
    with pytest.raises(services.SchedulingError, match="사진이 깨졌어요"):
        services.schedule_piece(piece, NOW)


def test_scheduling_without_an_account_says_to_connect_one(alice):
    piece = ContentPieceFactory(business=alice.business, status="ready", render_status="done")
    with pytest.raises(services.SchedulingError, match="연결"):
        services.schedule_piece(piece, NOW)


def test_naver_blog_is_scheduled_as_assisted_publishing_by_default(alice):
    piece = ContentPieceFactory(
        business=alice.business, channel="naver_blog", status="ready", render_status="done"
    )
    publication = services.schedule_piece(piece, NOW)
    assert publication.channel_account.mode == ChannelAccount.Mode.ASSISTED


def test_rescheduling_moves_the_same_publication(threads_post):
    later = NOW + dt.timedelta(hours=3)
    moved = services.schedule_piece(threads_post.piece, later, account=threads_post.channel_account)
    assert moved.pk == threads_post.pk
    assert moved.scheduled_at == later
    assert Publication.objects.count() == 1


# --- Claims --------------------------------------------------------------------------------


def test_only_due_publications_are_claimed(threads_post):
    future = PublicationFactory(
        piece=ContentPieceFactory(business=threads_post.piece.business),
        scheduled_at=NOW + dt.timedelta(minutes=5),
    )
    _, ids = services.claim_due(NOW)
    assert ids == [threads_post.pk]
    future.refresh_from_db()
    assert future.state == State.SCHEDULED


def test_a_claimed_publication_is_not_claimed_again(threads_post):
    _, first = services.claim_due(NOW)
    _, second = services.claim_due(NOW)
    assert first == [threads_post.pk]
    assert second == []


def test_a_second_delivery_of_the_same_task_does_nothing(threads_post, scripted):
    publisher = scripted(Published("t-1"))
    token, _ = services.claim_due(NOW)
    assert services.publish_claimed(threads_post.pk, str(token)) == State.PUBLISHED
    assert services.publish_claimed(threads_post.pk, str(token)) is None
    assert len(publisher.jobs) == 1


# --- Runs ----------------------------------------------------------------------------------


def test_a_published_answer_is_recorded_with_its_attempt(threads_post, scripted):
    scripted(Published("t-1", "https://www.threads.net/@shop/post/t-1"))
    assert claim_and_run(threads_post) == State.PUBLISHED
    threads_post.refresh_from_db()
    assert threads_post.external_id == "t-1"
    assert threads_post.published_at is not None
    attempt = threads_post.attempts.get()
    assert attempt.outcome == PublishAttempt.Outcome.SUCCEEDED
    assert attempt.action == "threads_publish"
    assert attempt.response_status == 200
    assert attempt.finished_at is not None


def test_a_transient_error_waits_at_least_as_long_as_the_platform_asked(threads_post, scripted):
    scripted(PublishError("잠시 후", kind=ErrorKind.TRANSIENT, status=429, retry_after_s=900))
    assert claim_and_run(threads_post) == State.RETRY_WAIT
    threads_post.refresh_from_db()
    assert threads_post.next_attempt_at >= NOW + dt.timedelta(seconds=900)
    assert threads_post.attempts.get().outcome == PublishAttempt.Outcome.TRANSIENT


def test_transient_errors_stop_after_the_attempt_budget_with_the_reason(
    threads_post, scripted, settings
):
    settings.PUBLISH_MAX_ATTEMPTS = 2
    scripted(*[PublishError("서버 오류", kind=ErrorKind.TRANSIENT, status=503)] * 2)
    assert claim_and_run(threads_post) == State.RETRY_WAIT
    threads_post.refresh_from_db()
    assert claim_and_run(threads_post, threads_post.next_attempt_at) == State.FAILED
    threads_post.refresh_from_db()
    assert "2번 시도" in threads_post.last_error and "서버 오류" in threads_post.last_error


def test_a_permanent_error_fails_at_once_and_tells_the_owner(threads_post, scripted):
    scripted(PublishError("사진 비율이 맞지 않아요", kind=ErrorKind.PERMANENT, detail="2207009"))
    assert claim_and_run(threads_post) == State.FAILED
    threads_post.refresh_from_db()
    assert threads_post.last_error == "사진 비율이 맞지 않아요"
    assert threads_post.last_error_detail == "2207009"
    assert threads_post.next_attempt_at is None
    assert [m.to for m in mail.outbox] == [["alice@example.com"]]


def test_pending_leaves_it_processing_until_the_poll(threads_post, scripted):
    scripted(Pending(poll_after_s=20), Published("t-9"))
    assert claim_and_run(threads_post) == State.PROCESSING
    threads_post.refresh_from_db()
    assert services.poll_processing(threads_post.pk, str(uuid.uuid4())) is None
    assert services.poll_processing(threads_post.pk, str(threads_post.claim_token)) == (
        State.PUBLISHED
    )


def test_the_saved_container_reaches_the_next_attempt(threads_post, monkeypatch):
    class SavesThenFails(ScriptedPublisher):
        def publish(self, job: PublishJob) -> Published | Pending:
            self.jobs.append(job)
            if not job.container_id:
                job.save(container_id="c-1", created_at="x")
                raise PublishError("시간 초과", kind=ErrorKind.TRANSIENT, outcome_unknown=True)
            return Published("t-1")

    publisher = SavesThenFails()
    for module in (runner, jobs):
        monkeypatch.setattr(module, "publisher_for", lambda platform: publisher)
    claim_and_run(threads_post)
    threads_post.refresh_from_db()
    assert threads_post.container_id == "c-1"
    claim_and_run(threads_post, threads_post.next_attempt_at)
    assert publisher.jobs[1].container_id == "c-1"
    assert publisher.jobs[1].progress == {"created_at": "x"}


def test_an_assisted_account_waits_for_the_owner_and_sends_the_reminder(alice):
    piece = ContentPieceFactory(
        business=alice.business, channel="naver_blog", status="approved", render_status="done"
    )
    publication = services.schedule_piece(piece, NOW)
    assert claim_and_run(publication) == State.NEEDS_ACTION
    (message,) = mail.outbox
    assert f"/app/publications/{publication.pk}/assisted/" in message.body


def test_the_owner_confirms_a_naver_post_by_its_address(alice):
    publication = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="naver_blog"),
        state=State.NEEDS_ACTION,
    )
    with pytest.raises(services.SchedulingError, match="네이버 블로그 글 주소"):
        services.confirm_published(publication, "https://example.com/1")
    services.confirm_published(publication, "https://blog.naver.com/alicebakery/223456789012")
    publication.refresh_from_db()
    assert publication.state == State.PUBLISHED
    assert publication.external_id == "223456789012"


def test_threads_waits_for_its_24_hour_window_when_the_count_is_used(
    threads_post, scripted, settings
):
    settings.THREADS_POSTS_PER_24H = 2
    for hours_ago in (23, 2):
        PublicationFactory(
            piece=ContentPieceFactory(business=threads_post.piece.business, channel="threads"),
            channel_account=threads_post.channel_account,
            state=State.PUBLISHED,
            published_at=NOW - dt.timedelta(hours=hours_ago),
        )
    publisher = scripted(Published("never"))
    assert claim_and_run(threads_post) == State.RETRY_WAIT
    threads_post.refresh_from_db()
    assert threads_post.next_attempt_at == NOW + dt.timedelta(hours=1)  # oldest + 24 h
    assert publisher.jobs == []
    assert "24시간에 2개" in threads_post.last_error


def test_an_unusable_account_fails_the_post_without_calling(threads_post, scripted):
    ChannelAccount.objects.filter(pk=threads_post.channel_account_id).update(
        state=ChannelAccount.State.NEEDS_REAUTH, state_reason="토큰 만료"
    )
    publisher = scripted()
    assert claim_and_run(threads_post) == State.FAILED
    threads_post.refresh_from_db()
    assert threads_post.error_kind == "auth"
    assert publisher.jobs == []


# --- Owner actions ------------------------------------------------------------------------


def test_cancel_stops_a_claimed_publication_before_its_task_runs(threads_post, scripted):
    publisher = scripted(Published("never"))
    token, _ = services.claim_due(NOW)
    services.cancel(threads_post)
    assert services.publish_claimed(threads_post.pk, str(token)) is None
    assert publisher.jobs == []


def test_a_publication_being_published_cannot_be_canceled(threads_post):
    Publication.objects.filter(pk=threads_post.pk).update(state=State.PUBLISHING)
    with pytest.raises(services.SchedulingError):
        services.cancel(threads_post)


def test_retry_gives_a_failed_publication_a_fresh_budget(threads_post):
    Publication.objects.filter(pk=threads_post.pk).update(state=State.FAILED, attempt_count=6)
    services.retry(threads_post, now=NOW)
    threads_post.refresh_from_db()
    assert (threads_post.state, threads_post.attempt_count) == (State.SCHEDULED, 0)
    assert threads_post.next_attempt_at == NOW


# --- The reaper ------------------------------------------------------------------------------


def test_the_reaper_takes_over_a_silent_run_and_closes_its_open_attempt(threads_post, settings):
    settings.PUBLISH_STUCK_AFTER_S = 600
    Publication.objects.filter(pk=threads_post.pk).update(
        state=State.PUBLISHING, state_changed_at=NOW - dt.timedelta(minutes=11)
    )
    open_attempt = PublishAttempt.objects.create(publication=threads_post, number=1, action="x")

    assert services.reap_stuck(NOW) == 1

    threads_post.refresh_from_db()
    assert threads_post.state == State.CLAIMED
    open_attempt.refresh_from_db()
    assert open_attempt.outcome == PublishAttempt.Outcome.INTERRUPTED
    assert services.reap_stuck(NOW) == 0  # taken over once


def test_the_reaper_leaves_a_run_that_is_still_talking(threads_post):
    Publication.objects.filter(pk=threads_post.pk).update(
        state=State.PUBLISHING, state_changed_at=NOW - dt.timedelta(minutes=1)
    )
    assert services.reap_stuck(NOW) == 0


def test_campaign_scheduling_lists_what_could_not_go(alice):
    from tests.factories import CampaignFactory

    campaign = CampaignFactory(business=alice.business)
    ContentPieceFactory(
        business=alice.business, campaign=campaign, channel="youtube_shorts",
        status="ready", render_status="done",
    )  # fmt: skip
    result = services.schedule_campaign(campaign, now=timezone.now())
    assert result.scheduled == []
    assert "유튜브 쇼츠 계정이 연결되어 있지 않습니다" in result.skipped[0][1]


def test_an_open_circuit_makes_posts_wait_without_calling_or_using_attempts(
    threads_post, scripted, settings
):
    settings.PUBLISH_BREAKER_FAILURES = 2
    failing = PublishError("서버 오류", kind=ErrorKind.TRANSIENT, status=503)
    publisher = scripted(failing, failing, Published("never"))
    assert claim_and_run(threads_post) == State.RETRY_WAIT
    threads_post.refresh_from_db()
    assert claim_and_run(threads_post, threads_post.next_attempt_at) == State.RETRY_WAIT
    threads_post.refresh_from_db()
    calls = len(publisher.jobs)

    assert claim_and_run(threads_post, threads_post.next_attempt_at) == State.RETRY_WAIT

    threads_post.refresh_from_db()
    assert len(publisher.jobs) == calls == 2  # the third run never reached the platform
    assert "잠시 쉬었다가" in threads_post.last_error


def test_the_admin_retries_and_cancels_in_bulk(alice, threads_post):
    failed = PublicationFactory(
        piece=ContentPieceFactory(business=alice.business, channel="threads"),
        channel_account=threads_post.channel_account,
        state=State.FAILED,
    )
    client = alice.client()
    url = "/admin/publishing/publication/"
    client.post(url, {"action": "retry_now", "_selected_action": [failed.pk]})
    client.post(url, {"action": "cancel_selected", "_selected_action": [threads_post.pk]})
    failed.refresh_from_db()
    threads_post.refresh_from_db()
    assert (failed.state, threads_post.state) == (State.SCHEDULED, State.CANCELED)
