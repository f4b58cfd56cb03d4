"""Services for the system's own health: probes through the task queue."""

from __future__ import annotations

import datetime as dt
import os
import socket

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.utils import timezone

from core import queue
from core.models import IdempotencyKey, TaskProbe, WorkerHeartbeat


def task_probe_send(*, sent_by: AbstractBaseUser | AnonymousUser | None = None) -> TaskProbe:
    """Record a probe and enqueue it once the record is committed.

    The worker that runs it writes its own process id, so anyone can see the
    task ran in a worker and not in the web process.
    """
    probe = TaskProbe.objects.create(
        sent_from_pid=os.getpid(),
        sent_by_id=sent_by.pk if sent_by is not None and sent_by.is_authenticated else None,
    )
    queue.enqueue("core.tasks.run_task_probe", str(probe.pk))
    return probe


def task_probe_answer(*, probe_id: str) -> None:
    """Mark the probe as run by this process. Idempotent: a redelivery only refreshes it."""
    TaskProbe.objects.filter(pk=probe_id).update(
        ran_at=timezone.now(), ran_in_pid=os.getpid(), ran_on_host=socket.gethostname()
    )


def worker_heartbeat_record(*, hostname: str, queues: list[str]) -> None:
    WorkerHeartbeat.objects.update_or_create(
        hostname=hostname,
        defaults={"pid": os.getpid(), "queues": sorted(queues), "seen_at": timezone.now()},
    )


def task_probes_purge(*, older_than_days: int = 7) -> int:
    cutoff = timezone.now() - dt.timedelta(days=older_than_days)
    deleted, _ = TaskProbe.objects.filter(sent_at__lt=cutoff).delete()
    return deleted


def idempotency_keys_purge() -> int:
    """Delete the Idempotency-Key answers past their day; returns how many went."""
    deleted, _ = IdempotencyKey.objects.filter(expires_at__lte=timezone.now()).delete()
    return deleted
