"""Analytics tasks, on the analytics queue (they may lag; publishing never waits for
them): the collection dispatcher (every few minutes), one collect task per due post,
and the hourly reminder to enter a Naver Blog post's numbers."""

from __future__ import annotations

from celery import shared_task

from analytics import owner_metrics, services


@shared_task
def dispatch_due_collections() -> int:
    return services.dispatch_due_collections()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def collect_metrics(collection_id: int, claim_token: str) -> str | None:
    return services.collect_claimed(collection_id, claim_token)


@shared_task
def remind_owner_metrics() -> int:
    return owner_metrics.send_owner_reminders()
