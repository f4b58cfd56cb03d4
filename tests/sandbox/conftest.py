"""What the platform-simulator tests share: a second local server that hosts media
the way Gagecast's media URLs do, so the simulators really download it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.sandbox.media_host import MediaHost, media_host


@pytest.fixture
def media() -> Iterator[MediaHost]:
    with media_host() as host:
        yield host
