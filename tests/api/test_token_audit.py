"""A token's use goes into the activity log of each of its user's organizations, at most
once a day (a cache look-up decides, so a busy token costs nothing more)."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from marketing.models import AuditEvent, Membership
from tests.conftest import Tenant
from tests.factories import MembershipFactory, OrganizationFactory

MORNING = dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC)


def _token_client(tenant: Tenant) -> tuple[APIClient, Token]:
    token, _ = Token.objects.get_or_create(user=tenant.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client, token


def _uses() -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=AuditEvent.Action.TOKEN_USED))


def test_the_first_use_of_a_token_in_a_day_is_logged_once(alice: Tenant):
    client, token = _token_client(alice)

    with time_machine.travel(MORNING, tick=False):
        for _ in range(3):
            assert client.get("/api/v1/businesses/").status_code == 200

    [event] = _uses()
    assert event.organization == alice.organization
    assert event.actor == alice.user
    assert "alice@example.com" in event.summary
    assert token.key not in str(event.detail) + event.summary


def test_the_next_day_logs_again(alice: Tenant):
    client, _ = _token_client(alice)

    with time_machine.travel(MORNING, tick=False):
        client.get("/api/v1/businesses/")
    with time_machine.travel(MORNING + dt.timedelta(days=1), tick=False):
        client.get("/api/v1/businesses/")

    assert len(_uses()) == 2


def test_every_organization_of_the_user_hears_of_it(alice: Tenant):
    other = OrganizationFactory(name="두 번째 조직")
    MembershipFactory(organization=other, user=alice.user, role=Membership.Role.STAFF)
    client, _ = _token_client(alice)

    client.get("/api/v1/businesses/")

    assert {event.organization for event in _uses()} == {alice.organization, other}


def test_each_users_token_is_logged_on_its_own(alice: Tenant, bob: Tenant):
    _token_client(alice)[0].get("/api/v1/businesses/")
    _token_client(bob)[0].get("/api/v1/businesses/")

    assert {event.actor for event in _uses()} == {alice.user, bob.user}


def test_a_session_or_a_refused_token_logs_nothing(alice: Tenant):
    alice.client().get("/api/v1/businesses/")
    stranger = APIClient()
    stranger.credentials(HTTP_AUTHORIZATION="Token 0123456789012345678901234567890123456789")
    stranger.get("/api/v1/businesses/")

    assert _uses() == []


def test_a_logged_day_costs_no_query_for_the_log(alice: Tenant):
    client, _ = _token_client(alice)
    client.get("/api/v1/businesses/")

    with CaptureQueriesContext(connection) as queries:
        client.get("/api/v1/businesses/")

    assert not [q["sql"] for q in queries if "auditevent" in q["sql"].lower()]
