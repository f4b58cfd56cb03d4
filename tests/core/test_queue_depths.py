"""Queue depths read from the broker: the embedded filesystem transport (a file per
message), Redis (a list per queue and priority step, behind a key prefix) when REDIS_URL
is set, the broker the settings name, and a broker that cannot be read."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from kombu import Connection, Exchange, Producer, Queue

from config.broker import filesystem_folders_create, filesystem_transport_options
from config.celery_app import app as celery_app
from core.queue_depths import queue_depths


def _put(connection: Connection, queue_name: str, count: int, **publish: object) -> None:
    queue = Queue(queue_name, Exchange(queue_name), queue_name)
    producer = Producer(connection.channel())
    for number in range(count):
        producer.publish(
            {"n": number},
            exchange=queue.exchange,
            routing_key=queue_name,
            declare=[queue],
            **publish,
        )


@pytest.fixture
def filesystem_options(tmp_path: Path) -> dict[str, object]:
    options = filesystem_transport_options(tmp_path / "broker")
    filesystem_folders_create(options)
    return options


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    if not settings.REDIS_URL:
        pytest.skip("REDIS_URL is not set")
    import redis

    prefix = f"gagecast-test-depths-{uuid.uuid4().hex}:"
    yield prefix
    client = redis.Redis.from_url(settings.REDIS_URL)
    for key in client.scan_iter(f"{prefix}*"):
        client.delete(key)


def test_it_counts_the_files_of_each_queue_on_the_filesystem_broker(filesystem_options):
    with Connection("filesystem://", transport_options=filesystem_options) as connection:
        _put(connection, "generation", 3)
        _put(connection, "publish", 1)

    depths = queue_depths(
        ["generation", "publish", "render"],
        broker=Connection("filesystem://", transport_options=filesystem_options),
    )

    assert depths.waiting == {"generation": 3, "publish": 1, "render": 0}
    assert depths.error == ""
    assert len(list(Path(str(filesystem_options["data_folder_in"])).glob("*.msg"))) == 4


def test_it_counts_every_priority_list_of_a_queue_on_redis(redis_prefix):
    options = {"global_keyprefix": redis_prefix}
    with Connection(settings.REDIS_URL, transport_options=options) as connection:
        # Priorities 5 and 9 land in lists of their own ("publish\x06\x163", "…\x06\x169").
        for priority in (0, 5, 9):
            _put(connection, "publish", 1, priority=priority)
        _put(connection, "analytics", 2)

    depths = queue_depths(
        ["publish", "analytics", "render"],
        broker=Connection(settings.REDIS_URL, transport_options=options),
    )

    assert depths.waiting == {"publish": 3, "analytics": 2, "render": 0}


def test_a_task_sent_without_a_worker_raises_the_count_on_the_configured_broker():
    queue = f"depth-probe-{uuid.uuid4().hex[:8]}"
    before = queue_depths([queue]).waiting[queue]
    try:
        for _ in range(2):
            celery_app.send_task("core.tasks.purge_task_probes", queue=queue)

        after = queue_depths([queue])
    finally:
        with celery_app.connection_for_write() as connection:
            sent = Queue(queue, Exchange(queue), queue)(connection.default_channel)
            sent.declare()  # known to this channel, so deleting drops its binding too
            sent.purge()
            sent.delete()

    assert (before, after.waiting[queue]) == (0, 2)


def test_a_broker_that_cannot_be_reached_is_reported_not_raised():
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    depths = queue_depths(["default"], broker=Connection("redis://127.0.0.1:9/0"))

    assert depths.waiting == {}
    assert depths.error.startswith("redis: ")


def test_a_filesystem_broker_without_its_folder_is_reported_not_raised(tmp_path):
    options = filesystem_transport_options(tmp_path / "missing")

    depths = queue_depths(
        ["default"], broker=Connection("filesystem://", transport_options=options)
    )

    assert depths.waiting == {}
    assert "FileNotFoundError" in depths.error
