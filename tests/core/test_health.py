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
def test_healthz_shows_a_worker_that_stopped_answering(client):
    WorkerHeartbeat.objects.create(hostname="worker@a", pid=1, seen_at=timezone.now())

    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10)):
        body = client.get("/healthz").json()

    assert body["worker"]["ok"] is False
    assert "worker@a" in body["worker"]["detail"]
