"""End to end through a real broker and a real worker process."""

from __future__ import annotations

import os

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from kombu import Connection

from config.broker import EMBEDDED_BROKER_URL
from core.models import TaskProbe, WorkerHeartbeat
from core.tasks import run_task_probe
from tests.worker import celery_worker, wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

REDIS_URL = os.environ.get("REDIS_URL", "")


def _ran(probe: TaskProbe) -> bool:
    probe.refresh_from_db()
    return probe.ran_in_pid is not None


def test_a_probe_sent_from_the_admin_runs_in_the_worker_not_in_the_web_process(superuser):
    client = Client()
    client.force_login(superuser)

    with celery_worker(redis_url=settings.REDIS_URL or None) as worker:
        response = client.post(reverse("admin:core_taskprobe_add"))
        probe = TaskProbe.objects.get()
        assert wait_until(lambda: _ran(probe)), worker.log()

    assert response.status_code == 302
    assert probe.sent_from_pid == os.getpid()
    assert probe.ran_in_pid == worker.pid
    assert probe.ran_in_pid != os.getpid()


def _send_probe_through(broker_url: str, transport_options: dict) -> TaskProbe:
    probe = TaskProbe.objects.create(sent_from_pid=os.getpid())
    with Connection(broker_url, transport_options=transport_options) as conn:
        run_task_probe.apply_async(args=[str(probe.pk)], connection=conn, queue="default")
    return probe


def test_a_task_travels_through_the_embedded_broker_to_a_worker_process():
    from config.broker import filesystem_transport_options

    options = filesystem_transport_options(settings.TEST_RUN_DIR / "broker")
    with celery_worker(redis_url=None) as worker:
        probe = _send_probe_through(EMBEDDED_BROKER_URL, options)
        assert wait_until(lambda: _ran(probe)), worker.log()

    assert probe.ran_in_pid == worker.pid


def test_a_worker_announces_itself_and_its_queues_for_healthz():
    with celery_worker(redis_url=settings.REDIS_URL or None, queues="default,publish") as worker:
        assert wait_until(lambda: WorkerHeartbeat.objects.filter(pid=worker.pid).exists())

        heartbeat = WorkerHeartbeat.objects.get(pid=worker.pid)

    assert heartbeat.queues == ["default", "publish"]
    assert not WorkerHeartbeat.objects.filter(pid=worker.pid).exists()  # gone once it stopped


@pytest.mark.skipif(not REDIS_URL, reason="REDIS_URL is not set: no Redis to test against")
def test_a_task_travels_through_redis_to_a_worker_process():
    with celery_worker(redis_url=REDIS_URL) as worker:
        # The run's own key prefix (config/settings/test.py), as the worker uses it.
        probe = _send_probe_through(REDIS_URL, settings.CELERY_BROKER_TRANSPORT_OPTIONS)
        assert wait_until(lambda: _ran(probe)), worker.log()

    assert probe.ran_in_pid == worker.pid
