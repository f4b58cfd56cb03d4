"""The one seam through which services send work to Celery.

Tasks sit on top: a tasks module imports services, and nothing imports a tasks
module. A service names the task it wants run (its registered name, for example
``"content.tasks.generate_piece"``) and this module sends it by that name, after the
current transaction commits so a worker never looks for a row that is not there yet.
``tests/core/test_queue.py`` checks that every name sent anywhere is a registered task.
"""

from __future__ import annotations

from typing import Any

from celery import current_app
from django.db import transaction


def send(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Send the task now, routed by its name (``CELERY_TASK_ROUTES``)."""
    current_app.send_task(task_name, args=list(args), countdown=countdown)


def enqueue(task_name: str, *args: Any, countdown: float | None = None) -> None:
    """Send the task once the current transaction commits (at once outside one)."""
    transaction.on_commit(lambda: send(task_name, *args, countdown=countdown))
