"""Missing or bad credentials are a 401 that says how to authenticate; a refused action is
a 403; every error has the one shape {"error": {"code", "message"}} in Korean."""

from __future__ import annotations

from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from core.api.errors import ERROR_SCHEMA
from tests.conftest import Tenant


def _assert_error_shape(body: dict) -> None:
    assert set(body) == {"error"}
    assert set(ERROR_SCHEMA["properties"]["error"]["required"]) <= set(body["error"])
    assert set(body["error"]) <= set(ERROR_SCHEMA["properties"]["error"]["properties"])


def test_a_call_without_credentials_is_a_401_naming_the_token_scheme(db):
    response = APIClient().get("/api/v1/businesses/")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "not_authenticated"
    assert "API 토큰" in response.json()["error"]["message"]
    _assert_error_shape(response.json())


def test_a_wrong_token_is_a_401_too(db):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000")

    response = client.post("/api/v1/campaigns/", {}, format="json")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert response.json()["error"]["code"] == "authentication_failed"


def test_a_session_post_without_its_csrf_token_is_a_403(alice: Tenant):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(alice.user)

    response = client.post("/api/v1/campaigns/", {}, format="json")

    assert response.status_code == 403
    _assert_error_shape(response.json())


def test_an_action_the_role_may_not_take_is_a_403(charlie: Tenant):
    token = Token.objects.create(user=charlie.user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")

    response = client.delete(f"/api/v1/businesses/{charlie.business.pk}/")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_another_organizations_row_is_a_404_that_names_no_model(alice: Tenant, bob: Tenant):
    response = bob.api().get(f"/api/v1/businesses/{alice.business.pk}/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "찾을 수 없습니다."}}


def test_a_path_no_route_matches_under_the_api_is_a_json_404(alice: Tenant):
    response = alice.api().get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    _assert_error_shape(response.json())


def test_a_path_no_route_matches_elsewhere_is_still_the_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_the_api_speaks_json_only(alice: Tenant):
    response = alice.api().get("/api/v1/businesses/", HTTP_ACCEPT="text/html")

    assert response.status_code == 406
    _assert_error_shape(response.json())


def test_options_answers_without_guessing_at_a_serializer(alice: Tenant):
    response = alice.api().options("/api/v1/campaigns/")

    assert response.status_code == 200
    assert response.json()["parses"] == ["application/json"]


def test_a_body_django_cannot_read_is_a_json_400(alice: Tenant):
    client = APIClient()
    client.force_authenticate(alice.user)
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nx\r\n--b--\r\n"  # a part with no name

    response = client.post(
        f"/api/v1/businesses/{alice.business.pk}/voice-memos/",
        body,
        content_type="multipart/form-data; boundary=b",
    )

    assert response.status_code == 400
    _assert_error_shape(response.json())
