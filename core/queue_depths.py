"""How many messages wait in each Celery queue, read from the broker the settings name.

kombu does the counting, so each transport's own layout is honoured: Redis keeps a queue
as a list named after it plus one list per priority step (behind the key prefix, when
there is one), and the embedded filesystem transport keeps one file per message, named
after its queue. A message a worker has taken but not yet acknowledged is not waiting,
so it is not counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from kombu import Connection

from config.celery_app import app as celery_app

CONNECT_TIMEOUT_S = 2  # a page that reads the broker must not hang while it is down


@dataclass(frozen=True)
class QueueDepths:
    """Messages waiting per queue name; empty with ``error`` set when the broker could
    not be read."""

    waiting: dict[str, int] = field(default_factory=dict)
    error: str = ""


def queue_depths(names: Sequence[str], *, broker: Connection | None = None) -> QueueDepths:
    """Count the messages waiting in each of ``names`` on ``broker`` (by default the Celery
    app's; a given connection is closed afterwards). Never raises: a broker that cannot be
    reached gives ``error``. Declaring a queue creates nothing on either transport; it is
    kombu's portable way to ask for its size."""
    connection = broker if broker is not None else celery_app.connection_for_read()
    try:
        with connection:
            connection.ensure_connection(max_retries=1, timeout=CONNECT_TIMEOUT_S)
            with connection.channel() as channel:
                waiting = {
                    name: channel.queue_declare(queue=name).message_count  # type: ignore[attr-defined]  # stubs type it as StdChannel
                    for name in names
                }
    except Exception as exc:  # kombu raises per-transport errors
        return QueueDepths(error=f"{connection.transport_cls}: {type(exc).__name__}: {exc}")
    return QueueDepths(waiting)
