"""The OpenAPI schema says everything an operation can answer, and accepts what the server
accepts.

``AutoSchema`` names a view's nested ``Input`` serializer after its view and tells what a
text field refuses; ``document_errors`` (a drf-spectacular postprocessing hook) adds, to
every operation, each error status the shared machinery can answer, in the one error
shape of core.api.errors, and the ``Idempotency-Key`` header of every POST.
"""

from __future__ import annotations

from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular import openapi
from rest_framework import mixins, serializers

from core.api.errors import ERROR_SCHEMA
from core.api.idempotency import HEADER, KEY_PATTERN

# What Python's str.strip() removes (DRF trims text fields), spelled so both JSON Schema's
# and Python's regular expressions read it the same way.
_SPACE = (
    r"\t\n\u000b\u000c\r\u001c-\u001f \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
)
NOT_BLANK = rf"[^{_SPACE}]"


class AutoSchema(openapi.AutoSchema):
    def get_serializer_name(self, serializer: serializers.Serializer, direction: Any) -> str:
        name = super().get_serializer_name(serializer, direction)
        outer, dot, _inner = type(serializer).__qualname__.rpartition(".")
        if dot:  # ``CampaignListCreateApi.Input`` -> ``CampaignListCreateInput``
            return outer.removesuffix("Api").replace(".", "") + name
        return name

    def _get_request_for_media_type(self, serializer: Any, direction: Any = "request") -> Any:
        # drf-spectacular makes every PATCH body partial, as DRF's update mixin reads it; a
        # view of our own validates its Input whole, so its schema must require the same.
        if self.method == "PATCH" and not isinstance(self.view, mixins.UpdateModelMixin):
            self.method = "PUT"
            try:
                return super()._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        return super()._get_request_for_media_type(serializer, direction)

    def _map_serializer_field(
        self, field: serializers.Field, direction: Any, bypass_extensions: bool = False
    ) -> dict[str, Any]:
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if (
            direction == "request"
            and type(field) is serializers.CharField
            and field.trim_whitespace
            and not field.allow_blank
            and not any(isinstance(v, RegexValidator) for v in field.validators)
        ):
            # DRF trims first: only spaces is blank, and blank is refused.
            schema["pattern"] = NOT_BLANK
        return schema


# --- The error statuses ------------------------------------------------------------------

RESPONSES: dict[str, dict[str, Any]] = {
    "ValidationError": {
        "description": "Invalid input: the reasons per field in error.fields "
        "(code validation_error), or an unusable Idempotency-Key.",
    },
    "Unauthenticated": {
        "description": "No credentials, or a token that is not valid.",
        "headers": {
            "WWW-Authenticate": {
                "required": True,
                "schema": {"type": "string"},
                "description": "How to authenticate: Token.",
            }
        },
    },
    "Forbidden": {
        "description": "Signed in, but this role (or plan) may not do this; "
        "or a session without its CSRF token.",
    },
    "NotFound": {
        "description": "No such thing among the caller's organizations (another "
        "organization's id is answered the same way), or a page past the end.",
    },
    "NotAcceptable": {"description": "The Accept header asks for something other than JSON."},
    "Conflict": {
        "description": "The thing is in a state that refuses this (a published post cannot "
        "change), or a request with the same Idempotency-Key is still running.",
    },
    "UnsupportedMediaType": {"description": "The body is not in a format this operation reads."},
    "IdempotencyKeyReused": {
        "description": "This Idempotency-Key was already used with a different request.",
    },
    "Throttled": {
        "description": "Too many requests: wait the seconds in Retry-After.",
        "headers": {
            "Retry-After": {
                "required": True,
                "schema": {"type": "string", "pattern": "^[0-9]+$"},
                "description": "Seconds to wait before the next request.",
            }
        },
    },
}
for _response in RESPONSES.values():
    _response["content"] = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}

IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "pattern": KEY_PATTERN},
    "description": "Any unique string (a UUID): a retry with the same key and body gets the "
    "first answer again and creates nothing twice; kept for 24 hours.",
}
UNSAFE = {"post", "put", "patch", "delete"}


def _errors_for(method: str, operation: dict[str, Any]) -> dict[str, str]:
    parameters = operation.get("parameters", [])
    in_path = any(p.get("in") == "path" for p in parameters)
    queries = {p["name"] for p in parameters if p.get("in") == "query"}
    has_body = "requestBody" in operation
    signed_in = {} not in operation.get("security", [{}])

    wanted = {"406": "NotAcceptable", "429": "Throttled"}
    if has_body or method == "post" or queries - {"page"}:
        wanted["400"] = "ValidationError"
    if signed_in:
        wanted |= {"401": "Unauthenticated", "403": "Forbidden"}
    if in_path or "page" in queries:
        wanted["404"] = "NotFound"
    if method in UNSAFE:
        wanted["409"] = "Conflict"
    if has_body:
        wanted["415"] = "UnsupportedMediaType"
    if method == "post":
        wanted["422"] = "IdempotencyKeyReused"
    return wanted


def document_errors(result: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
    components = result.setdefault("components", {})
    components.setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    components.setdefault("responses", {}).update(RESPONSES)
    for path_item in result.get("paths", {}).values():
        for method, operation in path_item.items():
            for parameter in operation.get("parameters", []):
                _tighten(parameter)
            if method == "post":
                operation.setdefault("parameters", []).append(IDEMPOTENCY_PARAMETER)
            responses = operation.setdefault("responses", {})
            for code, name in _errors_for(method, operation).items():
                responses.setdefault(code, {"$ref": f"#/components/responses/{name}"})
    return result


def _tighten(parameter: dict[str, Any]) -> None:
    """Ids in paths are digits (Django's int converter); pages start at 1."""
    schema = parameter.get("schema", {})
    if schema.get("type") != "integer":
        return
    if parameter.get("in") == "path":
        schema.setdefault("minimum", 0)
    elif parameter.get("in") == "query" and parameter.get("name") == "page":
        schema.setdefault("minimum", 1)
