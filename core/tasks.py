from celery import shared_task

from core import services


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_task_probe(probe_id: str) -> None:
    services.task_probe_answer(probe_id=probe_id)


@shared_task
def purge_task_probes() -> None:
    services.task_probes_purge()


@shared_task
def purge_idempotency_keys() -> None:
    services.idempotency_keys_purge()
