"""Each move of a Collection is a conditional UPDATE: it refuses what it must not leave."""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.utils import timezone

from analytics import transitions
from analytics.models import Collection
from publishing.models import Publication
from tests.factories import ChannelAccountFactory, ContentPieceFactory

State = Collection.State
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)


@pytest.fixture
def collection(alice) -> Collection:
    account = ChannelAccountFactory(business=alice.business, platform="threads")
    piece = ContentPieceFactory(business=alice.business, channel="threads")
    publication = Publication.objects.create(
        piece=piece,
        channel_account=account,
        scheduled_at=timezone.now(),
        state=Publication.State.PUBLISHED,
        external_id="1",
        published_at=NOW,
    )
    return Collection.objects.create(publication=publication, next_collect_at=NOW)


def claimed(collection: Collection) -> str:
    token = uuid.uuid4()
    assert transitions.claim(
        [collection.pk], token, now=NOW, lease_until=NOW + dt.timedelta(minutes=10)
    )
    return str(token)


def test_a_collection_not_yet_due_is_not_claimed(collection):
    later = NOW + dt.timedelta(hours=1)
    Collection.objects.filter(pk=collection.pk).update(next_collect_at=later)

    assert transitions.claim([collection.pk], uuid.uuid4(), now=NOW, lease_until=later) == 0


def test_a_claimed_collection_is_not_claimed_again_within_its_lease(collection):
    claimed(collection)

    assert transitions.claim([collection.pk], uuid.uuid4(), now=NOW, lease_until=NOW) == 0


def test_moves_need_the_claims_token(collection):
    claimed(collection)
    other = str(uuid.uuid4())

    assert not transitions.collected(collection.pk, other, now=NOW, next_at=None)
    assert not transitions.wait(collection.pk, other, until=NOW, failed=True)
    assert not transitions.stop(collection.pk, other, reason="x")
    assert Collection.objects.get(pk=collection.pk).state == State.COLLECTING


@pytest.mark.parametrize("state", [State.DONE, State.STOPPED])
def test_a_finished_collection_is_never_claimed_or_moved(collection, state):
    token = claimed(collection)
    Collection.objects.filter(pk=collection.pk).update(state=state, next_collect_at=NOW)

    assert transitions.claim([collection.pk], uuid.uuid4(), now=NOW, lease_until=NOW) == 0
    assert not transitions.collected(collection.pk, token, now=NOW, next_at=NOW)
    assert transitions.pause_account(collection.publication.channel_account_id, reason="x") == 0
    assert transitions.resume_reconnected(now=NOW) == 0
    assert transitions.expire_paused(published_before=NOW, reason="x") == 0


def test_a_wait_without_failure_keeps_the_count(collection):
    token = claimed(collection)

    assert transitions.wait(collection.pk, token, until=NOW, failed=False)
    assert Collection.objects.get(pk=collection.pk).failures == 0
