from __future__ import annotations

import re

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.conftest import Tenant
from tests.factories import MembershipFactory, OrganizationFactory

BUSINESS = {
    "name": "온기 베이커리",
    "industry": "bakery",
    "area": "서울 마포구 망원동",
    "selling_points": ["천연발효종"],
    "brand_primary_color": "#112233",
}


def test_alice_creates_a_business_in_her_only_organization_without_naming_it(alice: Tenant):
    response = alice.api().post("/api/v1/businesses/", BUSINESS, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["organization"] == alice.organization.pk
    assert response.json()["industry_family"] == "food_drink"


def test_a_member_of_two_organizations_must_say_which_one(alice: Tenant):
    MembershipFactory(organization=OrganizationFactory(), user=alice.user)

    response = alice.api().post("/api/v1/businesses/", BUSINESS, format="json")

    assert response.status_code == 400
    assert "organization" in response.json()["error"]["fields"]


def test_validation_errors_come_back_per_field_in_one_format(alice: Tenant):
    response = alice.api().post(
        "/api/v1/businesses/",
        {**BUSINESS, "industry": "spaceport", "brand_primary_color": "blue", "name": ""},
        format="json",
    )

    error = response.json()["error"]
    assert response.status_code == 400
    assert error["code"] == "validation_error"
    assert set(error["fields"]) == {"industry", "brand_primary_color", "name"}
    assert error["message"]


def test_a_bad_time_zone_is_refused_in_korean(alice: Tenant):
    response = alice.api().patch(
        f"/api/v1/businesses/{alice.business.pk}/", {"time_zone": "Seoul"}, format="json"
    )

    assert response.status_code == 400
    assert "시간대" in response.json()["error"]["fields"]["time_zone"][0]


def test_alice_reads_updates_and_deletes_her_business(alice: Tenant):
    api = alice.api()
    url = f"/api/v1/businesses/{alice.business.pk}/"

    assert api.get(url).json()["name"] == "앨리스 베이커리"
    assert api.patch(url, {"tone": "calm"}, format="json").json()["tone"] == "calm"
    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404


def test_token_authentication_works(alice: Tenant):
    token = Token.objects.create(user=alice.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.get("/api/v1/businesses/")

    assert response.status_code == 200
    assert response.json()["count"] == 1


def test_an_unauthenticated_call_gets_the_error_format(db):
    response = APIClient().get("/api/v1/businesses/")

    assert response.status_code in (401, 403)
    assert response.json()["error"]["code"] == "not_authenticated"


@pytest.mark.django_db
def test_the_openapi_schema_and_docs_page_are_served(client):
    schema = client.get("/api/v1/schema/")
    docs = client.get("/api/v1/docs/")

    assert schema.status_code == 200
    assert b"/api/v1/businesses/" in schema.content
    assert docs.status_code == 200
    # Served from our own static files: no script or stylesheet from another host. (A
    # plain "cdn" substring check failed whenever the page's random CSRF token held it.)
    assert b"/static/" in docs.content
    assert not re.findall(rb'(?:src|href)=["\'](?:https?:)?//', docs.content)
