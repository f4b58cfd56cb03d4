"""Analytics tasks, on the analytics queue (they may lag; publishing never waits for
them): the collection dispatcher (every few minutes), one collect task per due post,
the hourly reminder to enter a Naver Blog post's numbers, and the owner's feedback:
Gemini's judgement of a comment and the operator alert of a negative one."""

from __future__ import annotations

from celery import Task, shared_task

from analytics import feedback, owner_metrics, reports, services
from core.backoff import backoff_s


@shared_task
def dispatch_due_collections() -> int:
    return services.dispatch_due_collections()


@shared_task(acks_late=True, reject_on_worker_lost=True)
def collect_metrics(collection_id: int, claim_token: str) -> str | None:
    return services.collect_claimed(collection_id, claim_token)


@shared_task
def remind_owner_metrics() -> int:
    return owner_metrics.send_owner_reminders()


@shared_task
def dispatch_weekly_reports() -> int:
    return reports.dispatch_due()


@shared_task(autoretry_for=(OSError,), retry_backoff=60, retry_backoff_max=1800, max_retries=5)
def send_weekly_report(report_id: int) -> bool:
    return reports.send(report_id)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def classify_feedback(feedback_id: int) -> None:
    feedback.feedback_classify(feedback_id=feedback_id)


# Redelivered when a worker is lost before the claim; after it, the claim stops a second post.
@shared_task(
    bind=True, acks_late=True, reject_on_worker_lost=True, max_retries=feedback.ALERT_MAX_RETRIES
)
def send_feedback_alert(self: Task, feedback_id: int) -> str:
    try:
        return feedback.feedback_alert_send(feedback_id=feedback_id)
    except feedback.AlertDeferred as exc:
        if self.request.retries < feedback.ALERT_MAX_RETRIES:
            wait = backoff_s(
                self.request.retries, base_s=30.0, cap_s=600.0, retry_after_s=exc.retry_after_s
            )
            raise self.retry(exc=exc, countdown=wait) from exc
        return feedback.feedback_alert_give_up(feedback_id=feedback_id, reason=exc.message)


@shared_task
def read_followers() -> int:
    return services.read_followers()
