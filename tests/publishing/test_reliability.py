"""The reliability proofs: real worker processes, the real broker (Redis in CI), the
real publishers and the Instagram simulator over HTTP, with faults switched on.

The test process plays beat: it runs the dispatcher and the reaper itself, so time
moves only when a test says so.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from content.models import Asset, ContentPiece, RenderStatus
from publishing import services
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.tasks import publish_publication
from sandbox.files import FileServer
from sandbox.meta import FakeInstagram
from tests.factories import ChannelAccountFactory, ContentPieceFactory
from tests.worker import celery_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
State = Publication.State
TERMINAL = (State.PUBLISHED, State.FAILED, State.NEEDS_ACTION, State.CANCELED)


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1080, 1350), (190, 120, 70)).save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


@pytest.fixture
def instagram() -> Iterator[FakeInstagram]:
    with FakeInstagram() as fake:
        fake.faults.timeout_s = 4.0
        fake.faults.retry_after_s = 1.0
        yield fake


@pytest.fixture
def media() -> Iterator[FileServer]:
    with FileServer(settings.MEDIA_ROOT) as server:
        yield server


@pytest.fixture
def worker_env(instagram, media) -> dict[str, str]:
    """What the worker needs: the simulator, the media, short timeouts and backoff."""
    return {
        "SANDBOX_INSTAGRAM_URL": instagram.url,
        "PUBLIC_BASE_URL": media.url,
        "HTTP_READ_TIMEOUT_S": "2",
        "PUBLISH_BACKOFF_BASE_S": "1",
        "PUBLISH_BACKOFF_MAX_S": "2",
        "PUBLISH_BREAKER_FAILURES": "50",
    }


def _worker(env: dict[str, str], concurrency: int = 1):
    return celery_worker(
        redis_url=settings.REDIS_URL or None,
        queues="publish",
        pool="threads",
        concurrency=concurrency,
        env=env,
    )


def _image_post(account: ChannelAccount, n: int = 0) -> Publication:
    piece = ContentPieceFactory(
        business=account.business,
        channel="instagram",
        format="image",
        status=ContentPiece.Status.APPROVED,
        render_status=RenderStatus.DONE,
        body=f"오늘의 빵 #{n} 갓 구운 소금빵이 나왔어요",
    )
    asset = Asset(business=account.business, piece=piece, kind=Asset.Kind.IMAGE, role="feed")
    data = _jpeg()
    asset.mime_type, asset.size_bytes, asset.width, asset.height = (
        "image/jpeg",
        len(data),
        1080,
        1350,
    )
    asset.file.save(f"{account.business_id}/feed-{piece.pk}.jpg", ContentFile(data))
    now = timezone.now()
    return Publication.objects.create(
        piece=piece, channel_account=account, scheduled_at=now, next_attempt_at=now
    )


@pytest.fixture
def account(alice, instagram) -> ChannelAccount:
    user_id = instagram.user_id_for("alice.bakery")
    return ChannelAccountFactory(
        business=alice.business,
        platform="instagram",
        mode=ChannelAccount.Mode.SANDBOX,
        external_id=user_id,
        display_name="alice.bakery",
        access_token=instagram.token_for(user_id),
    )


def _state(publication: Publication) -> str:
    publication.refresh_from_db()
    return publication.state


def _drive(*publications: Publication, worker, timeout_s: float = 60) -> None:
    """Play beat: dispatch and reap until every publication has come to rest."""

    def settled() -> bool:
        # Time passes: backoff is pinned by the unit tests, here it only makes us wait.
        Publication.objects.filter(
            pk__in=[p.pk for p in publications], state=State.RETRY_WAIT
        ).update(next_attempt_at=timezone.now())
        services.dispatch_due()
        services.reap_stuck()
        return all(_state(p) in TERMINAL for p in publications)

    assert wait_until(settled, timeout_s=timeout_s, interval_s=0.3), (
        [(p.state, p.next_attempt_at, p.last_error, p.last_error_detail) for p in publications],
        worker.log(),
    )


def test_a_worker_killed_mid_publish_is_completed_by_the_reaper_with_one_post(
    account, instagram, worker_env, settings
):
    publication = _image_post(account)
    # The publish call is held (then carried out) long enough to kill the worker inside it.
    instagram.faults.add("timeout", operation="publish", timeout_s=6.0)
    with _worker(worker_env) as doomed:
        services.dispatch_due()
        assert wait_until(
            lambda: instagram.requests_to(r".*/media_publish", method="POST"), timeout_s=30
        ), doomed.log()
        doomed.process.kill()  # SIGKILL: no cleanup, no acknowledgement
        doomed.process.wait()
    assert _state(publication) == State.PUBLISHING
    assert wait_until(lambda: len(instagram.posts()) == 1, timeout_s=15)  # it went live anyway

    later = timezone.now() + dt.timedelta(seconds=settings.PUBLISH_STUCK_AFTER_S + 1)
    assert services.reap_stuck(later) == 1
    with _worker(worker_env) as rescuer:
        assert wait_until(lambda: _state(publication) in TERMINAL, timeout_s=30), rescuer.log()

    assert publication.state == State.PUBLISHED
    assert publication.external_id == instagram.posts()[0].id
    assert len(instagram.posts()) == 1
    outcomes = set(publication.attempts.values_list("outcome", flat=True))
    assert PublishAttempt.Outcome.INTERRUPTED in outcomes


def test_the_same_publish_task_delivered_twice_at_once_makes_one_post(
    account, instagram, worker_env
):
    publication = _image_post(account)
    token, ids = services.claim_due()
    assert ids == [publication.pk]
    with _worker(worker_env, concurrency=2) as worker:
        publish_publication.delay(publication.pk, str(token))
        publish_publication.delay(publication.pk, str(token))
        assert wait_until(lambda: _state(publication) in TERMINAL, timeout_s=30), worker.log()

    assert publication.state == State.PUBLISHED
    assert len(instagram.posts()) == 1
    assert publication.attempts.filter(action__icontains="publish").count() == 1


def test_two_dispatchers_at_once_dispatch_each_due_publication_once(alice, instagram):
    accounts = [
        ChannelAccountFactory(
            business=alice.business,
            platform="instagram",
            external_id=instagram.user_id_for(f"shop{n}"),
        )
        for n in range(5)
    ]
    due = [_image_post(accounts[n % 5], n) for n in range(40)]
    claimed: list[list[int]] = []
    barrier = threading.Barrier(2)

    def dispatcher() -> None:
        from django.db import connection

        barrier.wait()
        claimed.append(services.claim_due(limit=40)[1])
        connection.close()

    threads = [threading.Thread(target=dispatcher) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    first, second = claimed
    assert not set(first) & set(second)
    assert sorted(first + second) == sorted(p.pk for p in due)


def test_5xx_429_and_timeouts_end_in_one_post_with_every_attempt_recorded(
    account, instagram, worker_env
):
    publication = _image_post(account)
    instagram.faults.add("server_error", operation="create")
    instagram.faults.add("rate_limited", operation="status")
    instagram.faults.add("timeout", operation="publish", timeout_s=3.0)
    with _worker(worker_env) as worker:
        _drive(publication, worker=worker)

    assert publication.state == State.PUBLISHED
    assert len(instagram.posts()) == 1
    attempts = list(publication.attempts.order_by("number"))
    assert [a.number for a in attempts] == list(range(1, len(attempts) + 1))
    transient = [a for a in attempts if a.outcome == PublishAttempt.Outcome.TRANSIENT]
    assert len(transient) >= 3, [(a.action, a.outcome, a.error) for a in attempts]
    assert all(a.finished_at is not None for a in attempts)


def test_a_permanent_error_fails_with_the_reason_and_is_not_retried(account, instagram, worker_env):
    publication = _image_post(account)
    instagram.faults.add("media_unfetchable", operation="create")
    with _worker(worker_env) as worker:
        _drive(publication, worker=worker)
        calls = len(instagram.requests)
        services.dispatch_due(timezone.now() + dt.timedelta(hours=2))

    assert publication.state == State.FAILED
    assert publication.error_kind == "permanent"
    assert publication.last_error
    assert instagram.posts() == []
    assert len(instagram.requests) == calls  # nothing more was sent


def test_a_revoked_token_needs_reauth_and_is_not_retried(account, instagram, worker_env):
    publication = _image_post(account)
    instagram.revoke(account.access_token)
    with _worker(worker_env) as worker:
        _drive(publication, worker=worker)

    assert publication.state == State.FAILED
    assert publication.error_kind == "auth"
    account.refresh_from_db()
    assert account.state == ChannelAccount.State.NEEDS_REAUTH
    assert account.state_reason
    assert publication.attempt_count == 1  # one run, no retry
    assert publication.attempts.filter(outcome=PublishAttempt.Outcome.AUTH).count() == 1


def test_a_post_that_went_live_but_whose_answer_was_lost_is_published(
    account, instagram, worker_env
):
    publication = _image_post(account)
    instagram.faults.add("lost_response", operation="publish")
    with _worker(worker_env) as worker:
        _drive(publication, worker=worker)

    assert publication.state == State.PUBLISHED
    assert len(instagram.posts()) == 1
    assert publication.external_id == instagram.posts()[0].id
    assert publication.attempts.filter(outcome=PublishAttempt.Outcome.TRANSIENT).exists()


def test_claim_tokens_are_unique_per_dispatch(account):
    _image_post(account)
    first, _ = services.claim_due()
    second, _ = services.claim_due()
    assert isinstance(first, uuid.UUID) and first != second
