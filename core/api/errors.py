"""One error format for the whole API.

{"error": {"code": "validation_error", "message": "...", "fields": {"name": ["..."]}}}
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        error = {
            "code": "validation_error",
            "message": _("입력값을 확인해 주세요."),
            "fields": fields,
        }
    else:
        detail = getattr(exc, "detail", None)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        error = {"code": str(code), "message": str(detail) if detail is not None else str(exc)}
    response.data = {"error": error}
    return response


class Conflict(exceptions.APIException):
    """409: the request is valid, but the thing is in a state that refuses it (a published
    post cannot change); the message says why in plain words."""

    status_code = 409
    default_code = "conflict"
    default_detail = "지금 상태에서는 할 수 없는 요청입니다."
