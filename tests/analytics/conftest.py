"""Fixtures of the collection tests: Django's time and the simulators' clock move
together from T0, a sandbox Threads account on its simulator, and the sent tasks
captured instead of queued (``tests/analytics/collecting.py`` has the helpers)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import time_machine

from core import queue
from publishing.models import ChannelAccount
from sandbox.meta import FakeInstagram, FakeThreads
from sandbox.platform import ManualClock
from sandbox.youtube import FakeYouTube
from tests.analytics.collecting import T0
from tests.factories import ChannelAccountFactory
from tests.publishing.meta_fixtures import sandbox_simulator


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(T0)


@pytest.fixture
def when(clock: ManualClock) -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller


@pytest.fixture
def threads(settings, clock: ManualClock) -> Iterator[FakeThreads]:
    with sandbox_simulator(FakeThreads, settings, clock) as fake:
        yield fake


@pytest.fixture
def instagram(settings, clock: ManualClock) -> Iterator[FakeInstagram]:
    with sandbox_simulator(FakeInstagram, settings, clock) as fake:
        yield fake


@pytest.fixture
def youtube(settings, clock: ManualClock) -> Iterator[FakeYouTube]:
    with FakeYouTube(clock=clock, processing_s=0) as fake:
        settings.SANDBOX_YOUTUBE_URL = fake.url
        # API accounts talk to the same simulator (the project-wide unit count).
        settings.YOUTUBE_API_URL = f"{fake.url}/youtube/v3"
        settings.YOUTUBE_UPLOAD_URL = f"{fake.url}/upload/youtube/v3"
        settings.YOUTUBE_ANALYTICS_URL = f"{fake.url}/v2"
        yield fake


@pytest.fixture
def sent(monkeypatch) -> list[tuple[str, tuple]]:
    calls: list[tuple[str, tuple]] = []
    monkeypatch.setattr(
        queue, "send", lambda name, *args, countdown=None: calls.append((name, args))
    )
    return calls


@pytest.fixture
def account(alice, threads) -> ChannelAccount:
    user_id = threads.user_id_for("alice.bakery")
    return ChannelAccountFactory(
        business=alice.business,
        platform="threads",
        mode=ChannelAccount.Mode.SANDBOX,
        external_id=user_id,
        display_name="alice.bakery",
        access_token=threads.token_for(user_id),
    )
