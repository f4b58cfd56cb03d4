"""The OpenAPI schema documents, for every operation, each status it can answer, with the
one error shape, and the Idempotency-Key header on every POST."""

from __future__ import annotations

from typing import Any

import pytest
from drf_spectacular.generators import SchemaGenerator

from core.api.errors import ERROR_SCHEMA
from core.api.idempotency import HEADER

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


def _operations(schema: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def _error_codes(operation: dict[str, Any]) -> set[str]:
    return {code for code in operation["responses"] if not code.startswith("2")}


def _is_error(schema: dict[str, Any], body: dict[str, Any]) -> bool:
    """The Error component, or one that carries the same ``error`` (and adds to it)."""
    if body == {"$ref": "#/components/schemas/Error"}:
        return True
    component = schema["components"]["schemas"].get(body.get("$ref", "").rsplit("/", 1)[-1], {})
    return "error" in component.get("properties", {})


def test_the_error_component_is_the_shape_the_handler_writes(schema):
    assert schema["components"]["schemas"]["Error"] == ERROR_SCHEMA


def test_every_error_response_is_the_error_component(schema):
    responses = schema["components"]["responses"]
    wrong = []
    for method, path, operation in _operations(schema):
        for code in _error_codes(operation):
            response = operation["responses"][code]
            if "$ref" in response:
                response = responses[response["$ref"].rsplit("/", 1)[-1]]
            body = response.get("content", {}).get("application/json", {}).get("schema", {})
            if not _is_error(schema, body):
                wrong.append(f"{method.upper()} {path} {code}")
    assert wrong == []


def test_every_operation_documents_auth_throttling_and_content_negotiation(schema):
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in _operations(schema)
        if not {"401", "403", "406", "429"} <= _error_codes(operation)
    ]
    assert missing == []


def test_an_id_in_the_path_documents_the_404(schema):
    missing = [
        f"{method.upper()} {path}"
        for method, path, operation in _operations(schema)
        if "{" in path and "404" not in operation["responses"]
    ]
    assert missing == []


def test_a_body_documents_its_400_and_415_and_every_change_its_409(schema):
    missing = []
    for method, path, operation in _operations(schema):
        needed = set()
        if "requestBody" in operation:
            needed |= {"400", "415"}
        if method != "get":
            needed.add("409")
        if not needed <= _error_codes(operation):
            missing.append(f"{method.upper()} {path}")
    assert missing == []


def test_every_post_takes_an_idempotency_key_and_documents_its_errors(schema):
    missing = []
    for method, path, operation in _operations(schema):
        if method != "post":
            continue
        headers = {p["name"] for p in operation.get("parameters", []) if p["in"] == "header"}
        if HEADER not in headers or not {"400", "409", "422"} <= _error_codes(operation):
            missing.append(path)
    assert missing == []


def test_the_401_names_its_header_and_the_429_its_wait(schema):
    responses = schema["components"]["responses"]

    assert responses["Unauthenticated"]["headers"]["WWW-Authenticate"]["required"] is True
    assert responses["Throttled"]["headers"]["Retry-After"]["required"] is True


def test_every_list_comes_a_page_at_a_time(schema):
    bare_lists = []
    for method, path, operation in _operations(schema):
        for code, response in operation["responses"].items():
            body = response.get("content", {}).get("application/json", {}).get("schema", {})
            if code.startswith("2") and body.get("type") == "array":
                bare_lists.append(f"{method.upper()} {path}")
    assert bare_lists == []


def test_nested_inputs_are_named_after_their_view(schema):
    names = set(schema["components"]["schemas"])

    assert "CampaignListCreateInputRequest" in names
    assert "PieceRegenerateInputRequest" in names
    assert "InputRequest" not in names


def test_the_new_read_only_endpoints_are_documented(schema):
    paths = schema["paths"]

    assert set(paths["/api/v1/publications/"]) == {"get"}
    assert set(paths["/api/v1/publications/{id}/"]) == {"get"}
    assert set(paths["/api/v1/channel-accounts/"]) == {"get"}
    assert set(paths["/api/v1/channel-accounts/{id}/"]) == {"get"}
    query = {p["name"] for p in paths["/api/v1/publications/"]["get"]["parameters"]}
    assert query == {"business", "piece", "page"}
