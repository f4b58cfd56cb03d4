"""Reads about who may see what. Every view, API endpoint, admin page and task
scopes its querysets through ``scope_for_user`` so one organization never sees
another's data.

Each tenant-owned model declares ``tenant_path``: the lookup from the model to
its Organization ("" for Organization itself).
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models

from marketing.models import Business, Membership, Organization, User

M = TypeVar("M", bound=models.Model)

# Keyed by the roles' stored strings, which is what memberships read back from the database.
ROLE_RANK: dict[str, int] = {
    Membership.Role.STAFF: 1,
    Membership.Role.MANAGER: 2,
    Membership.Role.OWNER: 3,
}

AnyUser = User | AnonymousUser


def signed_in_user(user: AnyUser) -> User:
    """``request.user`` behind login_required, IsAuthenticated or the admin site.

    Raises PermissionDenied for an anonymous user, whom those guards never let through.
    """
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def tenant_path_of(model: type[models.Model]) -> str:
    try:
        return model.tenant_path  # type: ignore[attr-defined]
    except AttributeError:
        raise TypeError(f"{model.__name__} is not tenant-owned (it has no tenant_path)") from None


def is_tenant_owned(model: type[models.Model]) -> bool:
    return hasattr(model, "tenant_path")


def organization_ids_for(user: AnyUser, *, min_role: str = Membership.Role.STAFF) -> list[int]:
    if not user.is_authenticated:
        return []
    roles = [role for role, rank in ROLE_RANK.items() if rank >= ROLE_RANK[min_role]]
    return list(
        Membership.objects.filter(user=user, role__in=roles).values_list(
            "organization_id", flat=True
        )
    )


def scope_for_user(
    queryset: models.QuerySet[M], user: AnyUser, *, min_role: str = Membership.Role.STAFF
) -> models.QuerySet[M]:
    """The part of ``queryset`` the user may see: their organizations' rows only.

    Superusers see everything; anonymous users see nothing.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    path = tenant_path_of(queryset.model)
    lookup = "pk__in" if path == "" else f"{path}__in"
    return queryset.filter(**{lookup: organization_ids_for(user, min_role=min_role)})


def organizations_for_user(
    user: AnyUser, *, min_role: str = Membership.Role.STAFF
) -> models.QuerySet[Organization]:
    return scope_for_user(Organization.objects.all(), user, min_role=min_role)


def businesses_for_user(user: AnyUser) -> models.QuerySet[Business]:
    return scope_for_user(Business.objects.select_related("organization"), user)


def organization_id_of(instance: models.Model) -> int | None:
    """Follow the model's tenant_path from an instance to its organization's id."""
    path = tenant_path_of(type(instance))
    if path == "":
        return instance.pk
    target: Any = instance
    *parents, last = path.split("__")
    for part in parents:
        target = getattr(target, part, None)
        if target is None:
            return None
    return getattr(target, f"{last}_id", None)


def role_for(user: AnyUser, organization_id: int | None) -> str | None:
    if not user.is_authenticated or organization_id is None:
        return None
    return (
        Membership.objects.filter(user=user, organization_id=organization_id)
        .values_list("role", flat=True)
        .first()
    )


def has_role(user: AnyUser, instance: models.Model, min_role: str) -> bool:
    """Whether the user holds at least ``min_role`` in the organization owning ``instance``."""
    if user.is_authenticated and user.is_superuser:
        return True
    role = role_for(user, organization_id_of(instance))
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[min_role]
