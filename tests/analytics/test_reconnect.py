"""An account that needs reconnecting pauses its collections; the owner's reconnect
(the real OAuth flow against the Threads simulator) resumes them on the ladder; a post
whose ladder ended meanwhile stops."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from analytics import services
from analytics.models import Collection, MetricSnapshot
from publishing import account_transitions
from publishing.models import ChannelAccount, PublishAttempt
from tests.analytics.collecting import (
    DAY,
    HOUR,
    T0,
    collection_of,
    dispatch_and_collect,
    move_to,
    thread_post,
)
from tests.publishing.test_accounts import connect

State = Collection.State
RECONNECTED_AT = T0 + 3 * HOUR + dt.timedelta(minutes=20)


@pytest.fixture
def revoked(account, threads, sent, when, clock):
    """Two posts; the token is revoked before the first one's first rung."""
    first, second = thread_post(threads, account), thread_post(threads, account)
    dispatch_and_collect(sent)
    Collection.objects.filter(publication=second).update(next_collect_at=T0 + 5 * HOUR)
    threads.revoke(account.access_token)
    move_to(when, clock, T0 + HOUR)
    return first, second


def test_a_revoked_token_flags_the_account_once_and_pauses_its_collections(
    account, threads, sent, when, clock, revoked
):
    first, second = revoked

    assert dispatch_and_collect(sent) == ["paused"]

    account.refresh_from_db()
    assert account.state == ChannelAccount.State.NEEDS_REAUTH  # as publishing flags it
    [email] = mail.outbox
    assert "다시 연결" in email.subject
    for publication in (first, second):
        collection = collection_of(publication)
        assert (collection.state, collection.next_collect_at) == (State.PAUSED, None)
        assert "다시 연결하면 이어서 수집해요" in collection.reason
        assert "Error validating access token" in collection.reason  # Meta's words too
    assert PublishAttempt.objects.get(publication=first).outcome == PublishAttempt.Outcome.AUTH
    threads.clear_requests()
    move_to(when, clock, T0 + 6 * HOUR)

    assert dispatch_and_collect(sent) == []
    assert threads.requests_to(r".*/insights") == []
    assert len(mail.outbox) == 1


def test_an_account_publishing_flagged_pauses_its_collections_without_a_request(
    account, threads, sent, when, clock
):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    account_transitions.mark_needs_reauth(account, "게시 중 토큰이 거절됐어요")
    threads.clear_requests()
    move_to(when, clock, T0 + HOUR)

    assert dispatch_and_collect(sent) == []

    assert threads.requests_to(r".*/insights") == []
    collection = collection_of(publication)
    assert collection.state == State.PAUSED
    assert "게시 중 토큰이 거절됐어요" in collection.reason


def test_an_account_flagged_after_the_claim_pauses_without_a_request(
    account, threads, sent, when, clock
):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    move_to(when, clock, T0 + HOUR)
    sent.clear()
    services.dispatch_due_collections()
    ChannelAccount.objects.filter(pk=account.pk).update(state=ChannelAccount.State.NEEDS_REAUTH)
    threads.clear_requests()

    assert [services.collect_claimed(*args) for _, args in sent] == ["paused"]

    assert threads.requests_to(r".*/insights") == []
    collection = collection_of(publication)
    assert (collection.state, collection.claim_token) == (State.PAUSED, None)


def test_reconnecting_resumes_collecting_on_the_ladder(
    alice, account, threads, sent, when, clock, revoked
):
    first, second = revoked
    dispatch_and_collect(sent)
    move_to(when, clock, RECONNECTED_AT)

    again, _ = connect(alice.client(), alice.business.pk, "threads", username="alice.bakery")

    assert (again.pk, again.state) == (account.pk, ChannelAccount.State.ACTIVE)
    assert sorted(dispatch_and_collect(sent), key=str) == ["collected", "collected"]
    for publication in (first, second):
        collection = collection_of(publication)
        assert collection.state == State.COLLECTING
        assert collection.reason == ""
        assert collection.next_collect_at == T0 + 4 * HOUR  # the ladder's next rung
        [snapshot] = MetricSnapshot.objects.filter(publication=publication)
        assert snapshot.collected_at == RECONNECTED_AT


def test_a_post_whose_ladder_ended_while_paused_stops_even_after_a_reconnect(
    alice, account, threads, sent, when, clock, revoked
):
    first, second = revoked
    dispatch_and_collect(sent)
    young = thread_post(threads, account, published_at=T0 + 20 * DAY)
    Collection.objects.create(publication=young, state=State.PAUSED)
    move_to(when, clock, T0 + 30 * DAY + HOUR)
    connect(alice.client(), alice.business.pk, "threads", username="alice.bakery")

    assert dispatch_and_collect(sent) == ["collected"]  # the young one only

    for publication in (first, second):
        collection = collection_of(publication)
        assert collection.state == State.STOPPED
        assert "수집 기간(30일)이 끝나" in collection.reason
    assert collection_of(young).state == State.COLLECTING


def test_a_post_whose_account_is_gone_stops(account, threads, sent, when, clock):
    publication = thread_post(threads, account)
    dispatch_and_collect(sent)
    account.delete()
    move_to(when, clock, T0 + HOUR)

    assert dispatch_and_collect(sent) == []

    assert collection_of(publication).state == State.STOPPED
