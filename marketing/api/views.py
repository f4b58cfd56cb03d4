from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError

from marketing.api.serializers import BusinessSerializer
from marketing.models import Business, Membership
from marketing.selectors import businesses_for_user, has_role
from marketing.services import business_create


class RoleForWrite(permissions.BasePermission):
    """Members read; staff and up change; managers and up delete."""

    def has_object_permission(self, request, view, obj) -> bool:  # type: ignore[no-untyped-def]
        if request.method in permissions.SAFE_METHODS:
            return True
        needed = Membership.Role.MANAGER if request.method == "DELETE" else Membership.Role.STAFF
        return has_role(request.user, obj, needed)


class BusinessViewSet(viewsets.ModelViewSet):
    """The caller's businesses. Another organization's business is a 404."""

    serializer_class = BusinessSerializer
    permission_classes = [permissions.IsAuthenticated, RoleForWrite]
    queryset = Business.objects.none()  # for the schema; real rows come from get_queryset

    def get_queryset(self):  # type: ignore[no-untyped-def]
        return businesses_for_user(self.request.user).prefetch_related("products")

    def perform_create(self, serializer: BusinessSerializer) -> None:
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        try:
            serializer.instance = business_create(
                organization=organization, actor=self.request.user, **data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
