"""One error format for the whole API.

{"error": {"code": "validation_error", "message": "...", "fields": {"name": ["..."]}}}

``ERROR_SCHEMA`` is the same shape as the OpenAPI schema documents it for every error
status (core.api.schema); a test holds the two together.
"""

from __future__ import annotations

import math
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {
                    "type": "string",
                    "description": "A stable word for programs: validation_error, "
                    "not_authenticated, authentication_failed, permission_denied, "
                    "not_found, conflict, idempotency_key_reused, throttled…",
                },
                "message": {"type": "string", "description": "What happened, for a person."},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "validation_error only: the reasons, per field.",
                },
            },
        }
    },
}


def error_body(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def _message(exc: exceptions.APIException) -> str:
    # DRF's own wording where it reads stiffly in Korean, or names a model in English.
    if isinstance(exc, exceptions.NotAuthenticated):
        return _("로그인하거나 API 토큰을 보내 주세요 (Authorization: Token …).")
    if isinstance(exc, exceptions.Throttled):
        return _("요청이 너무 많습니다. %(seconds)d초 뒤에 다시 시도해 주세요.") % {
            "seconds": _retry_after(exc)
        }
    return str(exc.detail)


def _retry_after(exc: exceptions.Throttled) -> int:
    return max(1, math.ceil(getattr(exc, "wait", None) or 1))


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()  # get_object_or_404's text names the model in English
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body("validation_error", _("입력값을 확인해 주세요."), fields=fields)
        return response
    assert isinstance(exc, exceptions.APIException)  # DRF answers nothing else
    if isinstance(exc, exceptions.Throttled):
        response["Retry-After"] = str(_retry_after(exc))
    code = getattr(exc.detail, "code", None) or exc.default_code
    response.data = error_body(str(code), _message(exc))
    return response


def api_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 404 for a path no route matches: JSON under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        return JsonResponse(error_body("not_found", _("찾을 수 없습니다.")), status=404)
    from django.views.defaults import page_not_found

    return page_not_found(request, exception or Http404())


def api_bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Django's 400 (a request it cannot even read: a broken multipart body, too many
    fields): JSON under /api/, the page elsewhere."""
    if request.path.startswith("/api/"):
        message = _("요청을 읽을 수 없습니다. 형식을 확인해 주세요.")
        return JsonResponse(error_body("bad_request", message), status=400)
    from django.views.defaults import bad_request

    return bad_request(request, exception or Exception())


class Conflict(exceptions.APIException):
    """409: the request is valid, but the thing is in a state that refuses it (a published
    post cannot change); the message says why in plain words."""

    status_code = 409
    default_code = "conflict"
    default_detail = "지금 상태에서는 할 수 없는 요청입니다."
