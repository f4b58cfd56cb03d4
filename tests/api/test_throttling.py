"""Too many requests from one user (or one address, signed out) are a 429 with the seconds
to wait in Retry-After; the rates come from the environment."""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from config.env import ConfigurationError, env_rate
from tests.conftest import Tenant


def _token_client(tenant: Tenant) -> APIClient:
    token, _ = Token.objects.get_or_create(user=tenant.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def test_a_user_over_the_rate_gets_429_with_retry_after(alice: Tenant, settings):
    settings.API_THROTTLE_RATE = "3/minute"
    client = _token_client(alice)

    statuses = [client.get("/api/v1/businesses/").status_code for _ in range(4)]
    refused = client.get("/api/v1/businesses/")

    assert statuses == [200, 200, 200, 429]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["error"]["code"] == "throttled"
    assert "초 뒤에 다시" in refused.json()["error"]["message"]


def test_each_user_has_a_rate_of_their_own(alice: Tenant, bob: Tenant, settings):
    settings.API_THROTTLE_RATE = "2/minute"
    alices = _token_client(alice)
    for _ in range(3):
        alices.get("/api/v1/businesses/")

    assert alices.get("/api/v1/businesses/").status_code == 429
    assert _token_client(bob).get("/api/v1/businesses/").status_code == 200


def test_signed_out_callers_share_the_stricter_anonymous_rate(db, settings):
    settings.API_ANON_THROTTLE_RATE = "2/minute"
    client = APIClient()

    statuses = [client.get("/api/v1/schema/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]


@pytest.mark.parametrize(
    ("raw", "rate"),
    [("1200/hour", "1200/hour"), ("30/min", "30/minute"), ("5/s", "5/second"), ("9/d", "9/day")],
)
def test_a_rate_is_read_from_the_environment(monkeypatch, raw: str, rate: str):
    monkeypatch.setenv("API_THROTTLE_RATE", raw)

    assert env_rate("API_THROTTLE_RATE", "1/hour") == rate


@pytest.mark.parametrize("raw", ["many", "0/hour", "10/fortnight", "10"])
def test_an_unusable_rate_stops_start_up_naming_the_variable(monkeypatch, raw: str):
    monkeypatch.setenv("API_THROTTLE_RATE", raw)

    with pytest.raises(ConfigurationError, match="API_THROTTLE_RATE"):
        env_rate("API_THROTTLE_RATE", "1/hour")
