from typing import Any

from celery import shared_task
from celery.signals import worker_ready

from core import services


@shared_task(acks_late=True)
def run_task_probe(probe_id: str) -> None:
    services.task_probe_answer(probe_id=probe_id)


@shared_task(bind=True)
def record_heartbeat(self) -> None:
    services.worker_heartbeat_record(hostname=self.request.hostname or "unknown")


@shared_task
def purge_task_probes() -> None:
    services.task_probes_purge()


@worker_ready.connect
def announce_worker(sender: Any = None, **kwargs: Any) -> None:
    # /healthz shows a worker at once instead of after the first beat tick.
    services.worker_heartbeat_record(hostname=getattr(sender, "hostname", None) or "unknown")
