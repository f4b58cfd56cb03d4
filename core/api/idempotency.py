"""``Idempotency-Key`` on every POST under /api/v1/: a retried request is answered, not run.

The same user sending the same key with the same request (method, path and body) gets
the first answer again, status and body, and nothing is created twice; the same key with
another request is refused with 422. The key is claimed before the request runs, under a
unique constraint, so of two concurrent duplicates one runs and the other hears 409.

Only successful answers (2xx) are kept: after an error nothing was done, so a retry with
the same key runs afresh. Keys expire after ``API_IDEMPOTENCY_TTL_S`` (a day).

A middleware rather than a view mixin, so every POST route, including ones added later,
has it without opting in; it authenticates the caller with DRF's own authenticators.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import APIException
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.settings import api_settings

from core.api.errors import error_body
from core.models import IdempotencyKey

HEADER = "Idempotency-Key"
API_PREFIX = "/api/v1/"
# Visible ASCII, no spaces: what fits in a header everywhere (a UUID is the usual choice).
# The schema allows the spaces and tabs around a header's value that HTTP strips on the way.
KEY_PATTERN = r"^[ \t]*[!-~]{1,255}[ \t]*$"
_KEY = re.compile(r"^[!-~]{1,255}$")
# A claim this old with no answer belongs to a request that died: the key is free again.
ABANDONED_AFTER = dt.timedelta(minutes=10)
KEPT_HEADERS = ("Location",)


def applies_to(request: HttpRequest) -> bool:
    return request.method == "POST" and request.path.startswith(API_PREFIX)


class IdempotencyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or not applies_to(request):
            return self.get_response(request)
        try:
            # First: the body is buffered before anything reads the stream.
            fingerprint = request_fingerprint(request)
        except RequestDataTooBig:
            message = _("요청이 너무 커서 Idempotency-Key와 함께 보낼 수 없습니다.")
            return JsonResponse(error_body("invalid_idempotency_key", message), status=400)
        user_id = _api_user_id(request)
        if user_id is None:
            return self.get_response(request)  # the view answers 401 or 403
        if not _KEY.match(key):
            message = _("Idempotency-Key는 공백 없는 영문·숫자·기호 1~255자여야 합니다.")
            return JsonResponse(error_body("invalid_idempotency_key", message), status=400)
        claim = _claim(user_id, key, fingerprint)
        if isinstance(claim, HttpResponse):
            return claim
        try:
            response = self.get_response(request)
        except BaseException:
            claim.delete()
            raise
        _keep_or_release(claim, response)
        return response


def _api_user_id(request: HttpRequest) -> int | None:
    """The caller as the API will see them (token or session, CSRF checked as DRF does),
    without setting ``request.user``."""
    wrapped = Request(
        request,
        parsers=[JSONParser(), FormParser(), MultiPartParser()],  # the CSRF check reads POST
        authenticators=[auth() for auth in _authentication_classes()],
    )
    for authenticator in wrapped.authenticators or ():  # a test's forced user replaces them
        try:
            found = authenticator.authenticate(wrapped)
        except APIException:
            return None
        if found is not None:
            return getattr(found[0], "pk", None)
    return None


def _authentication_classes() -> list[type[BaseAuthentication]]:
    return list(api_settings.DEFAULT_AUTHENTICATION_CLASSES)  # type: ignore[arg-type]


def request_fingerprint(request: HttpRequest) -> str:
    """sha256 of method, path with query and body. JSON is compared by value (key order and
    spacing aside) and a multipart body without its random boundary, so a client's honest
    retry matches."""
    body: bytes = request.body
    content_type = request.content_type or ""
    if content_type == "application/json":
        # Not JSON after all: the raw bytes decide, and the view answers 400.
        with contextlib.suppress(ValueError):
            body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":")).encode()
    elif content_type == "multipart/form-data":
        boundary = (request.content_params or {}).get("boundary", "")
        if boundary:
            body = body.replace(boundary.encode("latin-1"), b"boundary")
    digest = hashlib.sha256()
    for part in (request.method or "", request.get_full_path(), content_type):
        digest.update(part.encode() + b"\0")
    digest.update(body)
    return digest.hexdigest()


def _claim(user_id: int, key: str, fingerprint: str) -> IdempotencyKey | HttpResponse:
    now = timezone.now()
    IdempotencyKey.objects.filter(user_id=user_id, key=key).filter(
        Q(expires_at__lte=now) | Q(status__isnull=True, created_at__lte=now - ABANDONED_AFTER)
    ).delete()
    try:
        with transaction.atomic():
            return IdempotencyKey.objects.create(
                user_id=user_id,
                key=key,
                fingerprint=fingerprint,
                expires_at=now + dt.timedelta(seconds=settings.API_IDEMPOTENCY_TTL_S),
            )
    except IntegrityError:
        pass  # the key is taken: by this very request before, or by another
    first = IdempotencyKey.objects.filter(user_id=user_id, key=key).first()
    if first is not None and first.fingerprint != fingerprint:
        message = _(
            "이 Idempotency-Key는 다른 요청에 이미 쓰였습니다. 새 요청에는 새 키를 보내 주세요."
        )
        return JsonResponse(error_body("idempotency_key_reused", message), status=422)
    if first is None or first.status is None:
        message = _("같은 Idempotency-Key의 요청을 처리하고 있습니다. 잠시 뒤에 다시 보내 주세요.")
        response = JsonResponse(error_body("idempotency_key_in_use", message), status=409)
        response["Retry-After"] = "1"
        return response
    return _replay(first)


def _replay(first: IdempotencyKey) -> HttpResponse:
    if first.body is None:
        response = HttpResponse(status=first.status)
    else:
        response = JsonResponse(first.body, status=first.status, safe=False)
    for name, value in first.headers.items():
        response[name] = value
    response["Idempotent-Replayed"] = "true"
    return response


def _keep_or_release(claim: IdempotencyKey, response: HttpResponseBase) -> None:
    body = _json_body(response)
    if not 200 <= response.status_code < 300 or body is _UNSTORABLE:
        claim.delete()  # nothing was done (or nothing we can say again): the key is free
        return
    headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
    IdempotencyKey.objects.filter(pk=claim.pk).update(
        status=response.status_code, body=body, headers=headers
    )


_UNSTORABLE = object()


def _json_body(response: HttpResponseBase) -> Any:
    if not isinstance(response, HttpResponse):
        return _UNSTORABLE  # a stream
    if not response.content:
        return None
    if not response.get("Content-Type", "").startswith("application/json"):
        return _UNSTORABLE
    try:
        return json.loads(response.content)
    except ValueError:
        return _UNSTORABLE
