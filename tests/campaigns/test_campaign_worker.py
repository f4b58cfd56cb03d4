"""A campaign end to end: the web enqueues, a real worker process writes every
channel at once through the real SDK against the Gemini simulator."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from campaigns.models import Campaign
from campaigns.services import campaign_create
from content.models import ContentPiece
from content.services import stored_draft
from content.specs import SPECS
from sandbox.gemini import FakeGemini, GeminiRequest, google_error
from sandbox.gemini_responder import respond
from tests.conftest import Tenant
from tests.worker import celery_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

CHANNELS = ["instagram", "naver_blog", "youtube_shorts", "threads"]
LATENCY_S = 2.0


def _one_post_per_channel(tenant: Tenant) -> Campaign:
    start = timezone.localdate() + dt.timedelta(days=1)
    return campaign_create(
        business=tenant.business,
        actor=tenant.user,
        goal="new_menu",
        starts_on=start,
        ends_on=start + dt.timedelta(days=6),
        channels=CHANNELS,
        posts_per_week=dict.fromkeys(CHANNELS, 1),
        offer="첫 주 10% 할인",
    )


def _settled(campaign: Campaign) -> bool:
    campaign.refresh_from_db()
    return campaign.status != Campaign.Status.GENERATING


@pytest.fixture
def gemini(settings):
    with FakeGemini(responder=respond, delay_s=LATENCY_S) as fake:
        settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL = "test-key", fake.url
        yield fake


def _worker(fake: FakeGemini):
    return celery_worker(
        redis_url=settings.REDIS_URL or None,
        queues="generation,default",
        pool="threads",
        concurrency=4,
        env={"GEMINI_API_KEY": "test-key", "GEMINI_BASE_URL": fake.url},
    )


def test_a_four_channel_campaign_is_written_concurrently_by_a_worker(gemini, alice: Tenant):
    with _worker(gemini) as worker:
        campaign = _one_post_per_channel(alice)
        assert wait_until(lambda: _settled(campaign), timeout_s=90), worker.log()

    requests = gemini.requests_for()
    arrivals = sorted(r.received_at for r in gemini.requests)
    assert campaign.status == Campaign.Status.READY, campaign.status_reason
    assert len(requests) == 4
    # All four calls were in flight together: the last arrived before the first could end.
    assert arrivals[-1] - arrivals[0] < LATENCY_S
    for piece in campaign.pieces.all():
        assert SPECS[piece.channel].check(stored_draft(piece)) == []


def test_one_failing_channel_leaves_the_others_ready_and_says_why(gemini, alice: Tenant):
    def refuse_threads(request: GeminiRequest):
        if "image_headline" in (request.response_schema or {}).get("properties", {}):
            return google_error(400, "Request contains an invalid argument.")
        return respond(request)

    gemini.responder = refuse_threads
    with _worker(gemini) as worker:
        campaign = _one_post_per_channel(alice)
        assert wait_until(lambda: _settled(campaign), timeout_s=90), worker.log()

    statuses = dict(campaign.pieces.values_list("channel", "status"))
    failed = campaign.pieces.get(channel="threads")
    assert campaign.status == Campaign.Status.PARTIALLY_FAILED
    assert "1개 게시물" in campaign.status_reason
    assert statuses == {
        "instagram": "ready",
        "naver_blog": "ready",
        "youtube_shorts": "ready",
        "threads": "failed",
    }
    assert "Gemini가 요청을 거절했습니다" in failed.error


def test_a_transient_error_is_retried_by_the_task_until_the_piece_is_written(settings, alice):
    settings.GENERATION_MAX_RETRIES = 4
    with FakeGemini(responder=respond) as fake:
        settings.GEMINI_API_KEY, settings.GEMINI_BASE_URL = "test-key", fake.url
        fake.fail_next(503, "The model is overloaded.", times=1)
        with _worker(fake) as worker:
            start = timezone.localdate() + dt.timedelta(days=1)
            campaign = campaign_create(
                business=alice.business,
                actor=alice.user,
                goal="awareness",
                starts_on=start,
                ends_on=start,
                channels=["threads"],
            )
            assert wait_until(lambda: _settled(campaign), timeout_s=90), worker.log()

    piece = ContentPiece.objects.get(campaign=campaign)
    assert piece.status == ContentPiece.Status.READY
    assert len(fake.requests_for()) == 2  # one 503, then the retry
