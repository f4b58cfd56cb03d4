"""What the collection tests share: the start time, moving both clocks, a thread
published on the simulator, one dispatcher round with its collect tasks."""

from __future__ import annotations

import datetime as dt

import time_machine

from analytics import services
from analytics.models import Collection
from publishing.models import ChannelAccount, Publication
from publishing.publishers import publisher_for
from sandbox.meta import FakeThreads
from sandbox.platform import ManualClock
from tests.factories import ContentPieceFactory
from tests.publishing.meta_fixtures import Ledger, graph_job

T0 = dt.datetime(2026, 12, 1, 0, 0, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


def move_to(when: time_machine.Coordinates, clock: ManualClock, at: dt.datetime) -> None:
    when.move_to(at)
    clock.set(at)


def thread_post(threads: FakeThreads, account: ChannelAccount, **changes) -> Publication:
    """A text thread live on the simulator, recorded as published now."""
    job = graph_job(
        threads, Ledger(), format="text", text="갓 구운 소금빵", username="alice.bakery"
    )
    result = publisher_for("threads").publish(job)
    piece = ContentPieceFactory(
        business=account.business, channel="threads", format="text", body="갓 구운 소금빵"
    )
    fields = {
        "state": Publication.State.PUBLISHED,
        "external_id": result.external_id,
        "published_at": T0,
        **changes,
    }
    return Publication.objects.create(
        piece=piece, channel_account=account, scheduled_at=T0, **fields
    )


def dispatch_and_collect(sent: list) -> list[str | None]:
    sent.clear()
    services.dispatch_due_collections()
    return [services.collect_claimed(*args) for _, args in sent]


def collection_of(publication: Publication) -> Collection:
    return Collection.objects.get(publication=publication)
