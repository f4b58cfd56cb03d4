"""Collecting shares the platform's publishing breaker: its transient failures count
towards opening it, and while it is open collecting waits (it is not a failure) and
publishing on that platform waits too."""

from __future__ import annotations

import datetime as dt

import pytest

from analytics import services
from analytics.models import Collection
from content.models import ContentPiece
from publishing import services as publishing_services
from publishing.models import Publication
from publishing.runner import platform_breaker
from tests.analytics.collecting import (
    DAY,
    HOUR,
    T0,
    collection_of,
    dispatch_and_collect,
    move_to,
    thread_post,
)
from tests.factories import ContentPieceFactory

State = Collection.State
MINUTE = dt.timedelta(minutes=1)


@pytest.fixture
def breaker(settings):
    settings.PUBLISH_BREAKER_FAILURES = 3
    settings.PUBLISH_BREAKER_RESET_S = 600
    return platform_breaker("threads", sandbox=True)


def test_collection_errors_open_the_platforms_publishing_breaker(
    alice, account, threads, sent, when, clock, breaker
):
    for _ in range(3):
        thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    threads.faults.add("server_error", times=3, operation="insights")

    assert dispatch_and_collect(sent) == ["waiting"] * 3

    assert breaker.retry_after_s() == pytest.approx(600, abs=1)
    # A Threads post due now waits for the breaker instead of calling the platform.
    piece = ContentPieceFactory(
        business=alice.business,
        channel="threads",
        format="text",
        body="오늘의 빵",
        status=ContentPiece.Status.READY,
    )
    publication = Publication.objects.create(
        piece=piece, channel_account=account, scheduled_at=T0 + HOUR, next_attempt_at=T0 + HOUR
    )
    threads.clear_requests()
    token, ids = publishing_services.claim_due()
    assert ids == [publication.pk]

    assert publishing_services.publish_claimed(publication.pk, str(token)) == "retry_wait"
    assert threads.requests_to(r".*/threads(_publish)?$", method="POST") == []
    publication.refresh_from_db()
    assert publication.last_error.startswith("플랫폼이 불안정해서 잠시 쉬었다가")


def test_an_open_breaker_makes_collecting_wait_without_counting_a_failure(
    account, threads, sent, when, clock, breaker
):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    for _ in range(3):  # publishing's failures on the platform
        breaker.record_failure()
    threads.clear_requests()

    assert dispatch_and_collect(sent) == ["waiting"]

    assert threads.requests_to(r".*/insights") == []
    collection = collection_of(publication)
    assert collection.failures == 0
    assert collection.next_collect_at == T0 + HOUR + dt.timedelta(seconds=600)
    assert collection.reason == "플랫폼이 불안정해 잠시 쉬었다가 다시 읽어요."


def test_an_open_breaker_never_ends_a_post_past_its_ladder(
    account, threads, sent, when, clock, breaker
):
    move_to(when, clock, T0 + 40 * DAY)
    publication = thread_post(threads, account, published_at=T0)

    for round in range(services.GIVE_UP_AFTER + 1):
        move_to(when, clock, T0 + 40 * DAY + round * HOUR)
        for _ in range(3):  # open for the next 10 minutes
            breaker.record_failure()
        assert dispatch_and_collect(sent) == ["waiting"]

    assert collection_of(publication).state == State.COLLECTING
    move_to(when, clock, T0 + 40 * DAY + services.GIVE_UP_AFTER * HOUR + 11 * MINUTE)
    assert dispatch_and_collect(sent) == ["done"]


def test_no_numbers_do_not_count_towards_the_breaker(account, threads, sent, when, clock, breaker):
    for _ in range(3):
        thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    threads.faults.add("insights_unavailable", times=3, operation="insights")

    assert dispatch_and_collect(sent) == ["no_numbers"] * 3

    assert breaker.retry_after_s() == 0
