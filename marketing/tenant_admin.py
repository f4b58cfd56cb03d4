"""The admin base for tenant-owned models: staff who are not superusers see and
change only their organizations' rows, with rights from their membership role."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404, HttpRequest

from marketing.models import Membership
from marketing.selectors import (
    ROLE_RANK,
    is_tenant_owned,
    organization_id_of,
    scope_for_user,
)


def _roles(request: HttpRequest) -> dict[int, str]:
    """The user's roles by organization id, read once per request."""
    cached = getattr(request, "_gagecast_roles", None)
    if cached is None:
        user_id = request.user.pk  # None for an anonymous user, who belongs nowhere
        cached = (
            {}
            if user_id is None
            else dict(
                Membership.objects.filter(user_id=user_id).values_list("organization_id", "role")
            )
        )
        request._gagecast_roles = cached  # type: ignore[attr-defined]
    return cached


def _holds(request: HttpRequest, min_role: str, obj: models.Model | None = None) -> bool:
    roles = _roles(request)
    if obj is None:
        return any(ROLE_RANK[role] >= ROLE_RANK[min_role] for role in roles.values())
    organization_id = organization_id_of(obj)
    role = None if organization_id is None else roles.get(organization_id)
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[min_role]


class TenantAdmin(admin.ModelAdmin):
    """ModelAdmin whose querysets, choices and permissions follow the user's memberships."""

    view_role: str = Membership.Role.STAFF  # OWNER: the audit log
    write_role: str = Membership.Role.STAFF
    delete_role: str = Membership.Role.MANAGER
    add_role: str | None = Membership.Role.STAFF  # None: only superusers add

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        return scope_for_user(super().get_queryset(request), request.user, min_role=self.view_role)

    def get_object(self, request: HttpRequest, object_id: str, from_field: Any = None) -> Any:
        # Someone else's object (or none at all) is a plain 404, never a hint that it exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if is_tenant_owned(related) and not request.user.is_superuser:
            kwargs["queryset"] = scope_for_user(
                related._default_manager.all(), request.user, min_role=self.write_role
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def _superuser(self, request: HttpRequest) -> bool:
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request: HttpRequest) -> bool:
        # A client viewer's membership opens nothing here (CLIENT ranks below STAFF).
        return self._superuser(request) or (
            request.user.is_staff and _holds(request, self.view_role)
        )

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._superuser(request):
            return True
        return request.user.is_staff and _holds(request, self.view_role, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if self._superuser(request):
            return True
        return (
            self.add_role is not None and request.user.is_staff and _holds(request, self.add_role)
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._superuser(request):
            return True
        return request.user.is_staff and _holds(request, self.write_role, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if self._superuser(request):
            return True
        return request.user.is_staff and _holds(request, self.delete_role, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        # Bulk delete only where the user holds the delete role, not merely the view role.
        super().delete_queryset(
            request, scope_for_user(queryset, request.user, min_role=self.delete_role)
        )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self._superuser(request) and not _holds(request, self.write_role, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)


class TenantInline(admin.TabularInline):
    """Inline rows follow the same rights as the parent page."""

    extra = 0

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        related = db_field.remote_field.model
        if is_tenant_owned(related) and not request.user.is_superuser:
            kwargs["queryset"] = scope_for_user(related._default_manager.all(), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or _holds(request, Membership.Role.STAFF, obj)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or _holds(request, Membership.Role.STAFF, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or _holds(request, Membership.Role.STAFF, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_superuser or _holds(request, Membership.Role.MANAGER, obj)


def add_admin_action(model_admin: type[admin.ModelAdmin], action: Callable[..., Any]) -> None:
    """Put an action from a later app (campaigns, content) on an earlier app's admin page,
    which may not import the later app. Safe to call more than once."""
    actions = list(model_admin.actions or ())
    if action not in actions:
        model_admin.actions = [*actions, action]
