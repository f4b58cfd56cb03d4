"""Fixtures of the publishing tests: the Instagram and Threads publisher tests share
a media server, the simulators' clock and the ledger that stands in for the service
(see tests/publishing/meta_fixtures.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox.platform import ManualClock
from tests.publishing.meta_fixtures import Ledger, MediaServer


@pytest.fixture
def media() -> Iterator[MediaServer]:
    with MediaServer() as server:
        yield server


@pytest.fixture
def clock() -> ManualClock:
    """The simulator's clock: tests move it instead of sleeping."""
    return ManualClock()


@pytest.fixture
def ledger() -> Ledger:
    return Ledger()
