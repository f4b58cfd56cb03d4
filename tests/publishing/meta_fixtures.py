"""What the Instagram and Threads publisher tests share.

- ``MediaServer`` (fixture ``media``): the shop's media on a local ``FakeServer``; the simulators fetch
  ``image_url``/``video_url`` from it over real HTTP, as Meta does.
- ``Ledger`` (fixture ``ledger``): stands in for the service's ``job.save`` and ``job.call``. It keeps
  every commit and every recorded call (with what had been committed when the call
  was recorded), and can act just before the n-th call of an action, so a test
  makes the platform fail exactly there.
- ``next_attempt``: the job the service builds for the next attempt, from what was
  committed only (the publisher's in-memory state is gone).
"""

from __future__ import annotations

import copy
import io
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

import pytest
from PIL import Image

from publishing.publishers import endpoints_for
from publishing.publishers.base import (
    CallRecord,
    Credentials,
    Media,
    Publisher,
    PublishError,
    PublishJob,
)
from sandbox.meta import GraphSimulator
from sandbox.platform import ManualClock
from sandbox.server import FakeServer, RecordedRequest, Reply

GraphSimulatorT = TypeVar("GraphSimulatorT", bound=GraphSimulator)
# Enough of an MP4 for the simulators, which sniff the type and count the bytes.
MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + bytes(4096)


def jpeg(width: int, height: int, colour: tuple[int, int, int] = (200, 120, 60)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "JPEG", quality=70)
    return buffer.getvalue()


class MediaServer(FakeServer):
    """``/media/<name>`` for the files in ``files``; any other name answers 404."""

    def __init__(self) -> None:
        super().__init__()
        self.files: dict[str, tuple[bytes, str]] = {
            "cover.jpg": (jpeg(216, 384, (30, 30, 30)), "image/jpeg"),
            "wide.jpg": (jpeg(300, 100), "image/jpeg"),  # 3:1, wider than Instagram takes
            "reel.mp4": (MP4, "video/mp4"),
        }
        for n in range(1, 11):
            self.files[f"feed-{n}.jpg"] = (jpeg(216, 270, (20 * n, 100, 150)), "image/jpeg")
        self.route("GET", r"/media/(?P<name>[\w.-]+)", self._file)

    def media(self, kind: str, name: str) -> Media:
        body, mime_type = self.files.get(name, (b"", "image/jpeg"))
        return Media(
            kind=kind, url=f"{self.url}/media/{name}", mime_type=mime_type, size_bytes=len(body)
        )

    def _file(self, request: RecordedRequest, match: Any) -> Reply:
        if match["name"] not in self.files:
            return Reply(status=404, body="not found")
        body, mime_type = self.files[match["name"]]
        return Reply(body=body, content_type=mime_type)


@dataclass
class Call:
    action: str
    summary: dict[str, Any]
    committed: tuple[str, dict[str, Any]] | None  # (container_id, progress) when recorded
    status: int | None = None
    raised: BaseException | None = None


@dataclass
class Ledger:
    saves: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    calls: list[Call] = field(default_factory=list)
    _before: dict[tuple[str, int], Callable[[], None]] = field(default_factory=dict)

    def save(self, container_id: str, progress: dict[str, Any]) -> None:
        self.saves.append((container_id, copy.deepcopy(progress)))

    @contextmanager
    def record(self, action: str, summary: dict[str, Any]) -> Iterator[CallRecord]:
        call = Call(action, dict(summary), self.saves[-1] if self.saves else None)
        self.calls.append(call)
        hook = self._before.pop((action, self.count(action)), None)
        if hook is not None:
            hook()
        record = CallRecord()
        try:
            yield record
        except BaseException as exc:
            call.raised = exc
            raise
        finally:
            call.status = record.status
            call.summary.update(record.summary)

    def before(self, action: str, nth: int, hook: Callable[[], None]) -> None:
        """Run ``hook`` just before the ``nth`` (1-based) call of ``action`` goes out."""
        self._before[(action, nth)] = hook

    def count(self, action: str) -> int:
        return sum(1 for call in self.calls if call.action == action)

    def actions(self) -> list[str]:
        return [call.action for call in self.calls]

    def last(self, action: str) -> Call:
        return next(call for call in reversed(self.calls) if call.action == action)

    @property
    def committed(self) -> tuple[str, dict[str, Any]]:
        return self.saves[-1] if self.saves else ("", {})


@contextmanager
def sandbox_simulator(
    simulator: type[GraphSimulatorT], settings: Any, clock: ManualClock
) -> Iterator[GraphSimulatorT]:
    """``simulator`` running on ``clock`` (videos take a minute to process), with the
    sandbox accounts' endpoints pointed at it."""
    with simulator(video_processing_s=60, clock=clock) as fake:
        setattr(settings, f"SANDBOX_{fake.platform.upper()}_URL", fake.url)
        yield fake


def publish_error(publisher: Publisher, job: PublishJob) -> PublishError:
    with pytest.raises(PublishError) as caught:
        publisher.publish(job)
    return caught.value


def graph_job(
    fake: GraphSimulator,
    ledger: Ledger,
    *,
    format: str,
    text: str,
    media: list[Media] | None = None,
    alt_text: str = "",
    username: str = "yeonnam_cafe",
) -> PublishJob:
    """A job for a sandbox account on ``fake`` (SANDBOX_*_URL must point at it)."""
    user_id = fake.user_id_for(username)
    return PublishJob(
        publication_id=1,
        platform=fake.platform,
        format=format,
        text=text,
        endpoints=endpoints_for(fake.platform, sandbox=True),
        credentials=Credentials(
            access_token=fake.token_for(user_id), user_id=user_id, username=username
        ),
        media=list(media or []),
        alt_text=alt_text,
        saver=ledger.save,
        recorder=ledger.record,
    )


def next_attempt(job: PublishJob, ledger: Ledger) -> PublishJob:
    """The job as the service rebuilds it for the next attempt: from the commits only."""
    container_id, progress = ledger.committed
    return replace(job, container_id=container_id, progress=copy.deepcopy(progress))


def graph_requests(fake: FakeServer) -> list[str]:
    """``"POST media"``-style names of the Graph calls the simulator received."""
    names = []
    for request in fake.requests:
        if request.path.startswith("/_sandbox"):
            continue
        edge = request.path.rstrip("/").rsplit("/", 1)[-1]
        names.append(f"{request.method} {edge if not edge.isdigit() else '{id}'}")
    return names
