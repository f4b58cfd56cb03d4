"""A POST under /api/v1/ with an Idempotency-Key: the same key and body from the same user
get the first answer again and nothing is created twice; another body with that key is a
422; a duplicate that arrives while the first still runs is a 409."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from campaigns.models import Campaign
from core.models import IdempotencyKey
from core.services import idempotency_keys_purge
from marketing.models import Business
from tests.conftest import Tenant

KEY = "3f1c7a52-5d0e-4a7b-9a55-0c9f2b1e8d41"


def _client(tenant: Tenant) -> APIClient:
    token, _ = Token.objects.get_or_create(user=tenant.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def _brief(tenant: Tenant, **changes: object) -> dict:
    start = timezone.localdate() + dt.timedelta(days=1)
    return {
        "business": tenant.business.pk,
        "goal": "new_menu",
        "starts_on": start.isoformat(),
        "ends_on": (start + dt.timedelta(days=6)).isoformat(),
        "channels": ["threads"],
        **changes,
    }


def _post(client: APIClient, body: dict, key: str = KEY, path: str = "/api/v1/campaigns/"):
    return client.post(path, body, format="json", HTTP_IDEMPOTENCY_KEY=key)


def test_a_retried_campaign_create_answers_the_first_answer_and_creates_once(alice: Tenant):
    client = _client(alice)

    first = _post(client, _brief(alice))
    again = _post(client, _brief(alice))

    assert first.status_code == again.status_code == 202
    assert again.json() == first.json()
    assert again["Location"] == first["Location"]
    assert again["Idempotent-Replayed"] == "true"
    assert Campaign.objects.count() == 1


def test_the_same_body_spelled_differently_is_the_same_request(alice: Tenant):
    client = _client(alice)
    brief = _brief(alice)
    reordered = json.dumps(dict(reversed(list(brief.items()))), indent=2)

    _post(client, brief)
    again = client.post(
        "/api/v1/campaigns/", reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY
    )

    assert again.status_code == 202
    assert Campaign.objects.count() == 1


def test_the_same_key_with_another_body_is_refused_with_the_reason(alice: Tenant):
    client = _client(alice)

    _post(client, _brief(alice))
    refused = _post(client, _brief(alice, offer="다른 요청"))

    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "idempotency_key_reused"
    assert "다른 요청" in refused.json()["error"]["message"]
    assert Campaign.objects.count() == 1


def test_the_same_key_on_another_path_is_another_request(alice: Tenant):
    client = _client(alice)

    _post(client, _brief(alice))
    refused = _post(client, {"rating": "up"}, path=f"/api/v1/pieces/{12345}/feedback/")

    assert refused.status_code == 422


def test_keys_belong_to_their_user(alice: Tenant, bob: Tenant):
    _post(_client(alice), _brief(alice))
    bobs = _post(_client(bob), _brief(bob))

    assert bobs.status_code == 202
    assert Campaign.objects.count() == 2


def test_a_duplicate_arriving_while_the_first_runs_is_a_409_and_does_not_run(alice: Tenant):
    client = _client(alice)
    # What the first request's claim looks like while it runs: the row, no answer yet.
    first = _post(client, _brief(alice), key="probe")
    claim = IdempotencyKey.objects.get(key="probe")
    IdempotencyKey.objects.create(
        user=alice.user,
        key=KEY,
        fingerprint=claim.fingerprint,
        expires_at=timezone.now() + dt.timedelta(days=1),
    )

    duplicate = _post(client, _brief(alice))

    assert first.status_code == 202
    assert duplicate.status_code == 409
    assert duplicate["Retry-After"] == "1"
    assert duplicate.json()["error"]["code"] == "idempotency_key_in_use"
    assert Campaign.objects.count() == 1


def test_a_claim_abandoned_by_a_dead_request_frees_the_key(alice: Tenant):
    client = _client(alice)
    _post(client, _brief(alice), key="probe")
    stale = IdempotencyKey.objects.get(key="probe")
    IdempotencyKey.objects.filter(pk=stale.pk).update(
        status=None, created_at=timezone.now() - dt.timedelta(hours=1)
    )

    retried = _post(client, _brief(alice), key="probe")

    assert retried.status_code == 202
    assert Campaign.objects.count() == 2


def test_an_error_keeps_nothing_so_the_fixed_retry_runs(alice: Tenant):
    client = _client(alice)

    refused = _post(
        client, {"name": "", "industry": "cafe", "area": "x"}, path="/api/v1/businesses/"
    )
    after_fix = _post(
        client, {"name": "새 가게", "industry": "cafe", "area": "x"}, path="/api/v1/businesses/"
    )

    assert refused.status_code == 400
    assert after_fix.status_code == 201
    assert not IdempotencyKey.objects.filter(status=400).exists()


def test_a_key_expires_after_a_day(alice: Tenant):
    client = _client(alice)
    body = {"name": "새 가게", "industry": "cafe", "area": "x"}
    _post(client, body, path="/api/v1/businesses/")
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    again = _post(client, body, path="/api/v1/businesses/")

    assert again.status_code == 201
    assert Business.objects.filter(name="새 가게").count() == 2


def test_expired_keys_are_purged(alice: Tenant):
    _post(_client(alice), _brief(alice))
    IdempotencyKey.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))

    assert idempotency_keys_purge() == 1
    assert not IdempotencyKey.objects.exists()


@pytest.mark.parametrize("key", ["", "with space", "한글", "x" * 256])
def test_an_unusable_key_is_a_400(alice: Tenant, key: str):
    response = _post(_client(alice), _brief(alice), key=key)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    assert not Campaign.objects.exists()


def test_a_key_without_credentials_is_still_a_401(db):
    response = _post(APIClient(), {"name": "x"}, path="/api/v1/businesses/")

    assert response.status_code == 401
    assert not IdempotencyKey.objects.exists()


def test_a_session_caller_has_keys_too(alice: Tenant):
    client = APIClient()
    client.force_login(alice.user)

    _post(client, _brief(alice))
    _post(client, _brief(alice))

    assert Campaign.objects.count() == 1


def test_posts_without_a_key_run_every_time(alice: Tenant):
    client = _client(alice)

    client.post("/api/v1/campaigns/", _brief(alice), format="json")
    client.post("/api/v1/campaigns/", _brief(alice), format="json")

    assert Campaign.objects.count() == 2
    assert not IdempotencyKey.objects.exists()
