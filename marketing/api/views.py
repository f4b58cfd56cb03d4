from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Model, QuerySet
from rest_framework import permissions, serializers, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.views import APIView

from marketing.api.serializers import BusinessSerializer
from marketing.limits import LimitReached
from marketing.models import Business, Membership
from marketing.selectors import businesses_for_user, has_role, signed_in_user
from marketing.services import business_create


class RoleForWrite(permissions.BasePermission):
    """Members read; staff and up change; managers and up delete."""

    def has_object_permission(self, request: Request, view: APIView, obj: Model) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return True
        needed = Membership.Role.MANAGER if request.method == "DELETE" else Membership.Role.STAFF
        return has_role(request.user, obj, needed)


class BusinessViewSet(viewsets.ModelViewSet):
    """The caller's businesses (archived ones are hidden). Another organization's business
    is a 404."""

    serializer_class = BusinessSerializer
    permission_classes = [permissions.IsAuthenticated, RoleForWrite]
    queryset = Business.objects.none()  # for the schema; real rows come from get_queryset
    # No DELETE here: a shop with history is archived, never cascaded away; the router
    # serves publishing.api.businesses' subclass, which knows the lifecycle.
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Business]:
        return businesses_for_user(self.request.user).prefetch_related("products")

    def perform_create(self, serializer: serializers.BaseSerializer[Any]) -> None:
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        try:
            serializer.instance = business_create(
                organization=organization, actor=signed_in_user(self.request.user), **data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except LimitReached as exc:
            raise PermissionDenied(exc.reason, code="plan_limit") from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
