"""Reachability checks for load balancers, operators and tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from config.celery_app import app as celery_app
from core.models import WorkerHeartbeat

HEARTBEAT_STALE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class Check:
    ok: bool
    detail: str


def check_database() -> Check:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means "not reachable"
        return Check(False, f"{type(exc).__name__}: {exc}")
    return Check(True, connection.vendor)


def check_broker() -> Check:
    transport = settings.CELERY_BROKER_URL.split("://", 1)[0]
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
            # A real round trip: declare the default queue through a channel.
            with conn.channel() as channel:
                channel.queue_declare(  # type: ignore[attr-defined]  # stubs type it as StdChannel
                    queue=settings.CELERY_TASK_DEFAULT_QUEUE, passive=False
                )
    except Exception as exc:  # kombu raises per-transport errors
        return Check(False, f"{transport}: {type(exc).__name__}: {exc}")
    return Check(True, transport)


def live_workers() -> dict[str, list[str]]:
    """The hostnames of the workers seen lately, per queue: every declared queue (with no
    hostname when nobody serves it), then any other queue a worker named. One query."""
    fresh_since = timezone.now() - HEARTBEAT_STALE_AFTER
    served: dict[str, list[str]] = {queue.name: [] for queue in settings.CELERY_TASK_QUEUES}
    for heartbeat in WorkerHeartbeat.objects.filter(seen_at__gte=fresh_since):
        for queue in heartbeat.queues:
            served.setdefault(queue, []).append(heartbeat.hostname)
    return served


def check_workers() -> Check:
    """Which queues have a worker that answered lately. Reported, not required for 200:
    a web node is healthy even while workers restart."""
    served = live_workers()
    idle = sorted(queue for queue, hosts in served.items() if not hosts)
    detail = "; ".join(
        f"{queue}: {', '.join(sorted(hosts)) or 'no live worker'}"
        for queue, hosts in served.items()
    )
    return Check(not idle, detail)
