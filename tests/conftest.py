"""Shared fixtures. Three tenants, as in every test that touches data:

- alice owns an organization with a business (and is agency staff in the admin);
- bob owns a different organization: he must never see or change alice's things;
- charlie is a staff member in alice's organization: he sees them, but may not delete.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from django.test import Client
from rest_framework.test import APIClient

from marketing.models import Business, Membership, Organization, User
from tests.factories import BusinessFactory, MembershipFactory, OrganizationFactory, UserFactory


@dataclass
class Tenant:
    user: User
    organization: Organization
    business: Business

    def client(self) -> Client:
        client = Client()
        client.force_login(self.user)
        return client

    def api(self) -> APIClient:
        client = APIClient()
        client.force_authenticate(self.user)
        return client


def _tenant(email: str, org_name: str, business_name: str) -> Tenant:
    user = UserFactory(email=email, is_staff=True)
    organization = OrganizationFactory(name=org_name)
    MembershipFactory(organization=organization, user=user, role=Membership.Role.OWNER)
    business = BusinessFactory(organization=organization, name=business_name)
    return Tenant(user, organization, business)


@pytest.fixture
def alice(db) -> Tenant:
    return _tenant("alice@example.com", "Alice Agency", "앨리스 베이커리")


@pytest.fixture
def bob(db) -> Tenant:
    return _tenant("bob@example.com", "Bob Shop", "밥 분식")


@pytest.fixture
def charlie(alice: Tenant) -> Tenant:
    user = UserFactory(email="charlie@example.com", is_staff=True)
    MembershipFactory(organization=alice.organization, user=user, role=Membership.Role.STAFF)
    return Tenant(user, alice.organization, alice.business)


@pytest.fixture
def superuser(db) -> User:
    return User.objects.create_superuser("root@example.com", "password")


@pytest.fixture(scope="session", autouse=True)
def _test_run_folder():
    """This run's own folder (database, queue, media), shared with the worker processes
    the tests start (they inherit the run id) and removed when the run ends."""
    import shutil

    from django.conf import settings

    os.environ["GAGECAST_TEST_RUN"] = settings.TEST_RUN
    settings.TEST_RUN_DIR.mkdir(parents=True, exist_ok=True)
    yield
    shutil.rmtree(settings.TEST_RUN_DIR, ignore_errors=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """A request in English leaves English active on this thread: every test starts in Korean."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
