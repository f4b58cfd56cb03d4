"""Start a real `celery worker` process for the duration of a block.

Used by commands that must run tasks when no worker is up (make_campaign), by
the benchmarks and by the integration tests: the same tasks, the same broker,
a separate process, never tasks run inline.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone

REPO = Path(settings.BASE_DIR)
READY_TIMEOUT_S = 60


def database_url_for_current_connection() -> str:
    """The URL of the database this process is using (so the worker uses the same)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class WorkerProcess:
    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process = process
        self.pid = process.pid
        self.output: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.output.append(line)
            if " ready." in line:
                self.ready.set()

    def log(self, lines: int = 60) -> str:
        return "".join(self.output[-lines:])


def live_worker_serves(queue: str) -> bool:
    """Whether a worker that serves ``queue`` has sent a heartbeat within two beats."""
    from core.models import WorkerHeartbeat

    within = timedelta(seconds=2 * settings.WORKER_HEARTBEAT_SECONDS + 5)
    recent = WorkerHeartbeat.objects.filter(seen_at__gte=timezone.now() - within)
    return any(queue in heartbeat.queues for heartbeat in recent)


@contextmanager
def celery_worker(
    *,
    queues: str = "default",
    pool: str = "solo",
    concurrency: int = 1,
    env: dict[str, str] | None = None,
    settings_module: str | None = None,
) -> Iterator[WorkerProcess]:
    """A worker subprocess on this process's database; ``env`` overrides (e.g. REDIS_URL)."""
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module or os.environ["DJANGO_SETTINGS_MODULE"],
        "DATABASE_URL": database_url_for_current_connection(),
        "GAGECAST_VAR_DIR": str(settings.VAR_DIR),
        "PYTHONUNBUFFERED": "1",
        **(env or {}),  # a None value removes the variable
    }
    environment = {key: value for key, value in environment.items() if value is not None}
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        f"--pool={pool}", f"--concurrency={concurrency}", "--loglevel=INFO",
        f"--queues={queues}", f"--hostname=run-{uuid.uuid4().hex[:8]}@%h",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        cwd=REPO,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    worker = WorkerProcess(process)
    try:
        if not worker.ready.wait(READY_TIMEOUT_S):
            raise RuntimeError(f"the Celery worker did not start:\n{worker.log()}")
        yield worker
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
