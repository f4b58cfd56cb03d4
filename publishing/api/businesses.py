"""A business's life on the API (publishing.lifecycle): delete archives a shop with
history, and erasing for good is its own confirmed step with a grace period.

DELETE /api/v1/businesses/<pk>/           history: archived -> 200 Held; none: deleted -> 204
POST   /api/v1/businesses/<pk>/pause/     managers -> 200 Held
POST   /api/v1/businesses/<pk>/resume/    managers -> 200 Released
POST   /api/v1/businesses/<pk>/archive/   managers -> 200 Held
POST   /api/v1/businesses/<pk>/restore/   managers -> 200 Released (finds archived shops)
POST   /api/v1/businesses/<pk>/erase/     owners, {"confirm": "<the shop's name>"} -> 202
DELETE /api/v1/businesses/<pk>/erase/     owners: call the erase off -> 200
GET    /api/v1/businesses/?archived=true  the archive

Delete answers 200 with the archived shop rather than 204, so a client sees that nothing
was deleted. Each step is idempotent: a shop already paused is paused again as nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import QuerySet
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from core.api.errors import Conflict
from marketing.api import views as marketing_views
from marketing.api.serializers import BusinessSerializer
from marketing.limits import LimitReached
from marketing.models import Business
from marketing.selectors import businesses_for_user, signed_in_user
from publishing import lifecycle

ERROR = {"$ref": "#/components/schemas/Error"}
MANAGERS = OpenApiResponse(ERROR, description="Not a manager or owner of the shop's organization.")
MANAGERS_OR_PLAN = OpenApiResponse(
    ERROR,
    description="Not a manager or owner; or the plan has no room for another shop "
    "(code plan_limit: archived shops do not count, a restored one does).",
)
OWNERS = OpenApiResponse(ERROR, description="Not an owner of the shop's organization.")
NOT_FOUND = OpenApiResponse(
    ERROR,
    description="No such shop among the caller's organizations (archived shops are "
    "found only by restore and erase, and by the list with archived=true).",
)


class HeldOutput(serializers.Serializer):
    business = BusinessSerializer(read_only=True)
    held = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Publications taken off the schedule; resuming (or restoring) schedules "
        "them again while their piece is approved and its planned time ahead.",
    )
    going_out = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="Publications a platform already holds: they finish.",
    )


class NotRescheduledOutput(serializers.Serializer):
    piece = serializers.IntegerField()
    reason = serializers.CharField()


class ReleasedOutput(serializers.Serializer):
    business = BusinessSerializer(read_only=True)
    rescheduled = serializers.ListField(
        child=serializers.IntegerField(), help_text="The new publications, at their planned time."
    )
    not_rescheduled = NotRescheduledOutput(many=True)


class EraseInput(serializers.Serializer):
    confirm = serializers.CharField(help_text="The shop's name, exactly as it is.")


class EraseOutput(serializers.Serializer):
    business = BusinessSerializer(read_only=True)
    erase_after = serializers.DateTimeField(
        allow_null=True, help_text="When it is erased for good; null: no erase planned."
    )


def _truthy(value: str | None) -> bool:
    """A boolean query parameter as the schema says it (true/false); anything else is a
    400 rather than a silent false."""
    if value is None:
        return False
    if value.lower() in ("true", "1"):
        return True
    if value.lower() in ("false", "0"):
        return False
    raise ValidationError({"archived": ["true 또는 false로 적어 주세요."]})


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter(
                "archived",
                OpenApiTypes.BOOL,
                description="true: the archived shops only (the archive) instead of the others.",
            )
        ]
    )
)
class BusinessViewSet(marketing_views.BusinessViewSet):
    """The caller's businesses, with their lifecycle. Another organization's is a 404."""

    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self) -> QuerySet[Business]:
        archived: bool | None = False
        if self.action in ("restore", "erase"):
            archived = None  # what they act on is usually archived
        elif self.action == "list" and _truthy(self.request.query_params.get("archived")):
            archived = True
        return businesses_for_user(self.request.user, archived=archived).prefetch_related(
            "products"
        )

    def _answer(self, output: type[serializers.Serializer], code: int, **data: Any) -> Response:
        return Response(output(data, context=self.get_serializer_context()).data, status=code)

    def _held(self, business: Business, held: lifecycle.Held) -> Response:
        return self._answer(
            HeldOutput, 200, business=business, held=held.held, going_out=held.going_out
        )

    def _released(self, business: Business, released: lifecycle.Released) -> Response:
        return self._answer(
            ReleasedOutput,
            200,
            business=business,
            rescheduled=[p.pk for p in released.rescheduled],
            not_rescheduled=[{"piece": p.pk, "reason": r} for p, r in released.not_rescheduled],
        )

    @extend_schema(
        responses={
            200: OpenApiResponse(HeldOutput, description="It has history: archived, kept."),
            204: OpenApiResponse(description="It had no campaign or piece: deleted."),
            403: MANAGERS,
            404: NOT_FOUND,
        }
    )
    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        business = self.get_object()
        with _refusals():
            held = lifecycle.business_delete(business, actor=signed_in_user(request.user))
        if held is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return self._held(business, held)

    @extend_schema(request=None, responses={200: HeldOutput, 403: MANAGERS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def pause(self, request: Request, pk: str | None = None) -> Response:
        business = self.get_object()
        with _refusals():
            held = lifecycle.business_pause(business, actor=signed_in_user(request.user))
        return self._held(business, held)

    @extend_schema(
        request=None,
        responses={200: ReleasedOutput, 403: MANAGERS, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["post"])
    def resume(self, request: Request, pk: str | None = None) -> Response:
        business = self.get_object()
        with _refusals():
            released = lifecycle.business_resume(business, actor=signed_in_user(request.user))
        return self._released(business, released)

    @extend_schema(request=None, responses={200: HeldOutput, 403: MANAGERS, 404: NOT_FOUND})
    @action(detail=True, methods=["post"])
    def archive(self, request: Request, pk: str | None = None) -> Response:
        business = self.get_object()
        with _refusals():
            held = lifecycle.business_archive(business, actor=signed_in_user(request.user))
        return self._held(business, held)

    @extend_schema(
        request=None, responses={200: ReleasedOutput, 403: MANAGERS_OR_PLAN, 404: NOT_FOUND}
    )
    @action(detail=True, methods=["post"])
    def restore(self, request: Request, pk: str | None = None) -> Response:
        business = self.get_object()
        with _refusals():
            released = lifecycle.business_restore(business, actor=signed_in_user(request.user))
        return self._released(business, released)

    @extend_schema(
        methods=["POST"],
        request=EraseInput,
        responses={
            202: OpenApiResponse(
                EraseOutput,
                description="Archived (if it was not) and erased for good at erase_after, "
                "unless called off before.",
            ),
            400: OpenApiResponse(ERROR, description="confirm is not the shop's name."),
            403: OWNERS,
            404: NOT_FOUND,
        },
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={
            200: OpenApiResponse(
                EraseOutput, description="The erase is called off; still archived."
            ),
            403: OWNERS,
            404: NOT_FOUND,
        },
    )
    @action(detail=True, methods=["post", "delete"])
    def erase(self, request: Request, pk: str | None = None) -> Response:
        business = self.get_object()
        actor = signed_in_user(request.user)
        if request.method == "DELETE":
            with _refusals():
                lifecycle.business_erase_cancel(business, actor=actor)
            return self._answer(EraseOutput, 200, business=business, erase_after=None)
        confirm = EraseInput(data=request.data)
        confirm.is_valid(raise_exception=True)
        with _refusals():
            try:
                when = lifecycle.business_erase_request(
                    business, actor=actor, confirm_name=confirm.validated_data["confirm"]
                )
            except lifecycle.LifecycleError as exc:
                raise ValidationError({"confirm": [exc.message]}) from exc
        return self._answer(EraseOutput, 202, business=business, erase_after=when)


@contextmanager
def _refusals() -> Iterator[None]:
    """The services' refusals as the API's answers: 403 for a role or the plan's limit
    (code plan_limit), 409 for a state."""
    try:
        yield
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except lifecycle.LifecycleError as exc:
        raise Conflict(exc.message) from exc
    except LimitReached as exc:
        raise PermissionDenied(exc.reason, code="plan_limit") from exc
