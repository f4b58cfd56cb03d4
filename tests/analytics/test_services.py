"""Collecting on the ladder: the dispatcher, the collect task's service and what each
kind of platform error does, with the real Threads and Instagram collectors against
their simulators over HTTP. Django's time and the simulators' clock move together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from analytics import services
from analytics.models import Collection, MetricSnapshot
from publishing.models import ChannelAccount, Publication, PublishAttempt
from publishing.publishers import publisher_for
from tests.analytics.collecting import (
    HOUR,
    T0,
    collection_of,
    dispatch_and_collect,
    move_to,
    thread_post,
)
from tests.factories import ChannelAccountFactory, ContentPieceFactory
from tests.publishing.meta_fixtures import Ledger, MediaServer, graph_job

State = Collection.State


def test_a_published_post_is_collected_at_its_first_rung_as_a_sandbox_snapshot(
    account, threads, sent, when, clock
):
    publication = thread_post(threads, account)

    assert dispatch_and_collect(sent) == []
    assert collection_of(publication).next_collect_at == T0 + HOUR
    move_to(when, clock, T0 + HOUR)
    assert dispatch_and_collect(sent) == ["collected"]

    [snapshot] = MetricSnapshot.objects.filter(publication=publication)
    expected = threads.metrics(publication.external_id)
    assert sent[0][0] == "analytics.tasks.collect_metrics"
    assert snapshot.source == MetricSnapshot.Source.SANDBOX
    assert snapshot.collected_at == T0 + HOUR
    assert (snapshot.views, snapshot.comments, snapshot.reposts) == (
        expected["views"],
        expected["replies"],
        expected["reposts"],
    )
    assert snapshot.raw["data"][0]["name"] == "views"
    collection = collection_of(publication)
    assert (collection.next_collect_at, collection.claim_token) == (T0 + 2 * HOUR, None)
    attempt = PublishAttempt.objects.get(publication=publication)
    assert (attempt.action, attempt.outcome, attempt.response_status) == (
        "insights",
        PublishAttempt.Outcome.SUCCEEDED,
        200,
    )


def test_collecting_leaves_the_publication_untouched(account, threads, sent, when, clock):
    publication = thread_post(threads, account, state_changed_at=T0)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)

    dispatch_and_collect(sent)

    publication.refresh_from_db()
    assert (publication.state, publication.state_changed_at) == (Publication.State.PUBLISHED, T0)


def test_the_last_rung_ends_collecting(account, threads, sent, when, clock):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    Collection.objects.filter(publication=publication).update(next_collect_at=T0 + 30 * 24 * HOUR)
    move_to(when, clock, T0 + 30 * 24 * HOUR)

    assert dispatch_and_collect(sent) == ["done"]

    collection = collection_of(publication)
    assert (collection.state, collection.next_collect_at) == (State.DONE, None)


def test_a_post_older_than_the_ladder_is_read_once(account, threads, sent, when, clock):
    move_to(when, clock, T0 + 40 * 24 * HOUR)
    publication = thread_post(threads, account)

    assert dispatch_and_collect(sent) == ["done"]

    assert MetricSnapshot.objects.filter(publication=publication).count() == 1


def test_a_rate_limit_waits_for_a_backoff_but_no_later_than_the_next_rung(
    account, threads, sent, when, clock
):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    threads.faults.add("rate_limited", operation="insights", retry_after_s=120)

    assert dispatch_and_collect(sent) == ["waiting"]

    collection = collection_of(publication)
    assert collection.failures == 1
    assert T0 + HOUR + dt.timedelta(seconds=120) <= collection.next_collect_at <= T0 + 2 * HOUR
    assert not MetricSnapshot.objects.exists()
    attempt = PublishAttempt.objects.get(publication=publication)
    # Meta throttles with HTTP 400 and code 4 (not 429).
    assert (attempt.outcome, attempt.response_status) == (PublishAttempt.Outcome.TRANSIENT, 400)


def test_a_success_after_a_failure_resets_the_count(account, threads, sent, when, clock):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    threads.faults.add("server_error", operation="insights")
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + 2 * HOUR)

    assert dispatch_and_collect(sent) == ["collected"]

    assert collection_of(publication).failures == 0


def test_too_few_viewers_stores_nothing_and_reads_again_at_the_next_rung(
    account, threads, sent, when, clock
):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    threads.faults.add("insights_unavailable", operation="insights")

    assert dispatch_and_collect(sent) == ["no_numbers"]

    account.refresh_from_db()
    assert account.state == ChannelAccount.State.ACTIVE  # code 10 here is not the token
    assert not MetricSnapshot.objects.exists()
    collection = collection_of(publication)
    assert (collection.state, collection.next_collect_at) == (State.COLLECTING, T0 + 2 * HOUR)
    assert (collection.failures, collection.last_collected_at) == (0, None)
    assert collection.reason.startswith("스레드가 아직 이 게시물의 성과 숫자를")
    move_to(when, clock, T0 + 2 * HOUR)

    assert dispatch_and_collect(sent) == ["collected"]
    assert collection_of(publication).reason == ""


def test_no_numbers_at_the_last_rung_ends_collecting(account, threads, sent, when, clock):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    Collection.objects.filter(publication=publication).update(next_collect_at=T0 + 30 * 24 * HOUR)
    move_to(when, clock, T0 + 30 * 24 * HOUR)
    threads.faults.add("insights_unavailable", operation="insights")

    assert dispatch_and_collect(sent) == ["done"]

    collection = collection_of(publication)
    assert (collection.state, collection.next_collect_at) == (State.DONE, None)
    assert collection.reason  # why there are no numbers
    assert not MetricSnapshot.objects.exists()


def test_a_post_gone_from_the_platform_stops_only_that_post(account, threads, sent, when, clock):
    gone = thread_post(threads, account, external_id="17999999999999999")
    kept = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)

    assert sorted(dispatch_and_collect(sent), key=str) == ["collected", "stopped"]

    assert collection_of(gone).state == State.STOPPED
    assert collection_of(kept).state == State.COLLECTING


def test_a_post_whose_id_was_never_learned_is_not_collected(account, threads, sent, when, clock):
    publication = thread_post(threads, account, progress={"media_id_unknown": True})
    move_to(when, clock, T0 + HOUR)

    assert dispatch_and_collect(sent) == []

    assert collection_of(publication).state == State.STOPPED


def test_a_claim_held_by_another_task_changes_nothing(account, threads, sent, when, clock):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    sent.clear()
    services.dispatch_due_collections()
    [(_, (collection_id, token))] = sent

    assert services.dispatch_due_collections() == 0  # claimed: not due again within the lease
    assert services.collect_claimed(collection_id, "00000000-0000-0000-0000-000000000000") is None
    assert services.collect_claimed(collection_id, token) == "collected"
    assert services.collect_claimed(collection_id, token) is None
    assert MetricSnapshot.objects.filter(publication=publication).count() == 1


# --- Instagram: what the account refuses is remembered ---------------------------------------


@pytest.fixture
def media() -> Iterator[MediaServer]:
    with MediaServer() as server:
        yield server


def test_metrics_an_instagram_account_refuses_are_remembered_and_not_asked_again(
    alice, instagram, media, sent, when, clock
):
    user_id = instagram.user_id_for("alice.bakery")
    account = ChannelAccountFactory(
        business=alice.business,
        platform="instagram",
        external_id=user_id,
        access_token=instagram.token_for(user_id),
    )
    job = graph_job(
        instagram,
        Ledger(),
        format="reel",
        text="릴스",
        media=[media.media("video", "reel.mp4"), media.media("cover", "cover.jpg")],
        username="alice.bakery",
    )
    publisher_for("instagram").publish(job)
    clock.advance(61)
    result = publisher_for("instagram").publish(job)
    piece = ContentPieceFactory(business=alice.business, channel="instagram", format="video")
    Publication.objects.create(
        piece=piece,
        channel_account=account,
        scheduled_at=T0,
        state=Publication.State.PUBLISHED,
        external_id=result.external_id,
        published_at=T0,
    )
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)

    assert dispatch_and_collect(sent) == ["collected"]
    account.refresh_from_db()
    assert account.refused_metrics == ["ig_reels_avg_watch_time", "ig_reels_video_view_total_time"]
    asked = len(instagram.requests_to(r".*/insights"))
    move_to(when, clock, T0 + 2 * HOUR)

    assert dispatch_and_collect(sent) == ["collected"]
    assert len(instagram.requests_to(r".*/insights")) == asked + 1
    assert MetricSnapshot.objects.filter(saves__isnull=False).count() == 2
