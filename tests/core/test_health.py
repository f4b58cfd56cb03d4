from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from config.celery_app import app as celery_app
from core.models import WorkerHeartbeat


@pytest.mark.django_db
def test_healthz_reports_the_database_and_the_broker(client):
    response = client.get("/healthz")

    body = response.json()
    assert response.status_code == 200
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["broker"]["ok"]


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_cannot_be_reached(client, monkeypatch):
    # Port 9 on loopback: nothing listens there, so the connection is refused at once.
    monkeypatch.setattr(celery_app.conf, "broker_url", "redis://127.0.0.1:9/0")

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["broker"]["ok"] is False


@pytest.mark.django_db
def test_healthz_names_the_queues_that_no_live_worker_serves(client):
    now = timezone.now()
    WorkerHeartbeat.objects.create(
        hostname="generation@a", pid=1, queues=["default", "generation"], seen_at=now
    )
    WorkerHeartbeat.objects.create(
        hostname="publish@b", pid=2, queues=["publish"], seen_at=now - dt.timedelta(minutes=10)
    )

    body = client.get("/healthz").json()

    assert body["workers"]["ok"] is False
    assert "generation: generation@a" in body["workers"]["detail"]
    assert "publish: no live worker" in body["workers"]["detail"]


@pytest.mark.django_db
def test_healthz_is_happy_when_every_queue_has_a_live_worker(client):
    WorkerHeartbeat.objects.create(
        hostname="all@a",
        pid=1,
        queues=["default", "generation", "render", "publish", "analytics"],
        seen_at=timezone.now(),
    )

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=1)):
        body = client.get("/healthz").json()

    assert body["workers"]["ok"] is True
