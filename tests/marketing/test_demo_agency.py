"""`make run`'s demo agency: a manager with three client shops on the workspace, client
approval on, and a client viewer of the first shop; seeding twice changes nothing."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from marketing.demo import AGENCY_SHOPS, DEMO_PASSWORD, demo_agency_seed
from marketing.models import Business, Membership, Organization, User

pytestmark = pytest.mark.django_db


def _seed(settings):
    return demo_agency_seed(
        manager_email=settings.DEMO_AGENCY_EMAIL, client_email=settings.DEMO_CLIENT_EMAIL
    )


def test_the_demo_agency_has_three_client_shops_on_the_business_plan(settings):
    agency = _seed(settings)

    organization = agency.organization
    assert organization.kind == Organization.Kind.AGENCY
    assert organization.approval_mode == Organization.Approval.CLIENT
    assert organization.plan is not None and organization.plan.code == "business"
    assert [b.name for b in agency.businesses] == [shop["name"] for shop in AGENCY_SHOPS]
    assert Membership.objects.get(user=agency.manager).role == Membership.Role.MANAGER
    client = Membership.objects.get(user=agency.client)
    assert (client.role, client.business_id) == ("client", agency.businesses[0].pk)


def test_seeding_the_demo_agency_twice_changes_nothing(settings):
    _seed(settings)
    counts = (User.objects.count(), Business.objects.count(), Membership.objects.count())

    _seed(settings)

    assert (User.objects.count(), Business.objects.count(), Membership.objects.count()) == counts


def test_the_demo_manager_sees_the_workspace_and_the_client_only_their_shop(client, settings):
    agency = _seed(settings)

    assert client.login(email=settings.DEMO_AGENCY_EMAIL, password=DEMO_PASSWORD)
    html = client.get(reverse("owner:workspace")).content.decode()
    assert all(shop["name"] in html for shop in AGENCY_SHOPS)

    client.logout()
    assert client.login(email=settings.DEMO_CLIENT_EMAIL, password=DEMO_PASSWORD)
    first, second, _third = agency.businesses
    assert client.get(reverse("analytics:results", args=[first.pk])).status_code == 200
    assert client.get(reverse("analytics:results", args=[second.pk])).status_code == 404


def test_seed_demo_names_the_agency_and_client_logins(settings):
    settings.DEBUG = True
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert settings.DEMO_AGENCY_EMAIL in out.getvalue()
    assert settings.DEMO_CLIENT_EMAIL in out.getvalue()
