"""A worker bootstep: every worker records a heartbeat with the queues it serves,
so /healthz can tell which queue has nobody working on it."""

from __future__ import annotations

import logging
from typing import Any

from celery import bootsteps

logger = logging.getLogger(__name__)


def _beat(hostname: str, queues: list[str]) -> None:
    from django.db import close_old_connections

    from core.services import worker_heartbeat_record

    try:
        close_old_connections()
        worker_heartbeat_record(hostname=hostname, queues=queues)
    except Exception:  # a missed heartbeat must never take the worker down
        logger.exception("could not record the worker heartbeat")


class HeartbeatStep(bootsteps.StartStopStep):
    requires = ("celery.worker.components:Timer",)

    def __init__(self, worker: Any, **kwargs: Any) -> None:
        super().__init__(worker, **kwargs)
        self.tref: Any = None

    def start(self, worker: Any) -> None:
        from django.conf import settings

        queues = sorted(worker.app.amqp.queues.consume_from or worker.app.amqp.queues)
        _beat(worker.hostname, queues)  # at once: /healthz sees a new worker immediately
        self.tref = worker.timer.call_repeatedly(
            settings.WORKER_HEARTBEAT_SECONDS, _beat, (worker.hostname, queues), priority=10
        )

    def stop(self, worker: Any) -> None:
        if self.tref is not None:
            self.tref.cancel()
        _forget(worker.hostname)  # a stopped worker is not a live one


def _forget(hostname: str) -> None:
    from core.models import WorkerHeartbeat

    try:
        WorkerHeartbeat.objects.filter(hostname=hostname).delete()
    except Exception:  # shutting down: never block the worker's exit
        logger.exception("could not remove the worker heartbeat")
