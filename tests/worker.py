"""Real worker processes for the integration tests (see core.worker_process)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from core.worker_process import WorkerProcess
from core.worker_process import celery_worker as _celery_worker


@contextmanager
def celery_worker(
    *,
    redis_url: str | None,
    queues: str = "default",
    pool: str = "solo",
    concurrency: int = 1,
    env: dict[str, str] | None = None,
) -> Iterator[WorkerProcess]:
    """A worker on the test database and the chosen broker (None: the embedded one)."""
    env = {"REDIS_URL": redis_url or None, **(env or {})}
    with _celery_worker(
        queues=queues,
        pool=pool,
        concurrency=concurrency,
        env=env,  # type: ignore[arg-type]
        settings_module="config.settings.test",
    ) as worker:
        yield worker


def wait_until(predicate, *, timeout_s: float = 30.0, interval_s: float = 0.1) -> bool:
    """Poll a condition that another process makes true (a deadline, not a fixed sleep)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(interval_s)
    return bool(predicate())
