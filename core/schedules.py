"""The periodic tasks Gagecast needs, installed into django-celery-beat's tables.

They are created when missing and never overwritten, so what an operator edits
in the admin (interval, enabled) stays edited. Later issues add entries here.
"""

from __future__ import annotations

from dataclasses import dataclass

from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask


@dataclass(frozen=True)
class Every:
    seconds: int


@dataclass(frozen=True)
class Daily:
    hour: int
    minute: int


DEFAULT_PERIODIC_TASKS: dict[str, tuple[str, Every | Daily]] = {
    "purge-old-task-probes": ("core.tasks.purge_task_probes", Daily(hour=3, minute=17)),
    "purge-expired-idempotency-keys": (
        "core.tasks.purge_idempotency_keys",
        Daily(hour=3, minute=27),
    ),
    "dispatch-due-publications": ("publishing.tasks.dispatch_due_publications", Every(60)),
    "reap-stuck-publications": ("publishing.tasks.reap_stuck_publications", Every(120)),
    "refresh-channel-tokens": ("publishing.tasks.refresh_channel_tokens", Every(3600)),
    # Archived shops whose erase grace period is over (publishing.lifecycle.erase_due).
    "erase-due-businesses": ("publishing.tasks.erase_due_businesses", Every(3600)),
    # The ladder's finest rung is an hour: every 5 minutes keeps each read near its rung.
    "dispatch-due-collections": ("analytics.tasks.dispatch_due_collections", Every(300)),
    # Naver Blog posts three days old with no numbers yet: one e-mail to the owner each.
    "remind-owner-metrics": ("analytics.tasks.remind_owner_metrics", Every(3600)),
    # Monday 09:00 comes at a different moment in every zone: each run sends the reports
    # that came due on their businesses' own clocks (analytics.reports.due_week).
    "dispatch-weekly-reports": ("analytics.tasks.dispatch_weekly_reports", Every(600)),
    # Followers where the platform reports them (Instagram, YouTube): about once a day.
    "read-followers": ("analytics.tasks.read_followers", Every(3600)),
}


def periodic_tasks_install() -> list[str]:
    """Create the default periodic tasks that do not exist yet; returns the names created."""
    created = []
    for name, (task, when) in DEFAULT_PERIODIC_TASKS.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue
        if isinstance(when, Every):
            interval, _ = IntervalSchedule.objects.get_or_create(
                every=when.seconds, period=IntervalSchedule.SECONDS
            )
            PeriodicTask.objects.create(name=name, task=task, interval=interval)
        else:
            crontab, _ = CrontabSchedule.objects.get_or_create(
                minute=str(when.minute),
                hour=str(when.hour),
                day_of_week="*",
                day_of_month="*",
                month_of_year="*",
                timezone="UTC",
            )
            PeriodicTask.objects.create(name=name, task=task, crontab=crontab)
        created.append(name)
    return created
