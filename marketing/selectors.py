"""Reads about who may see what. Every view, API endpoint, admin page and task
scopes its querysets through ``scope_for_user`` so one organization never sees
another's data.

Each tenant-owned model declares ``tenant_path``: the lookup from the model to
its Organization ("" for Organization itself).

A client viewer (role CLIENT) is a member who sees one shop of an agency, read only.
Every scope leaves client memberships out unless it asks for ``min_role=CLIENT``, which
adds the client's own shop (and that shop's rows) and nothing else of the organization.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q

from marketing.models import Business, Membership, Organization, User

M = TypeVar("M", bound=models.Model)

# Keyed by the roles' stored strings, which is what memberships read back from the database.
ROLE_RANK: dict[str, int] = {
    Membership.Role.CLIENT: 0,  # below every member: holds no member's right anywhere
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
    """The organizations where the user is a member (staff or above) holding ``min_role``;
    a client membership never counts: it opens one shop, not the organization."""
    if not user.is_authenticated:
        return []
    floor = max(ROLE_RANK[min_role], ROLE_RANK[Membership.Role.STAFF])
    roles = [role for role, rank in ROLE_RANK.items() if rank >= floor]
    return list(
        Membership.objects.filter(user=user, role__in=roles).values_list(
            "organization_id", flat=True
        )
    )


def client_business_ids(user: User) -> models.QuerySet[Membership, Any]:
    """The shops the user views as a client (a subquery; archived shops are closed)."""
    return Membership.objects.filter(
        user=user, role=Membership.Role.CLIENT, business__archived_at__isnull=True
    ).values("business_id")


def business_path_of(model: type[models.Model]) -> str | None:
    """The lookup from ``model`` to its Business ("pk" for Business itself), or None for
    rows that belong to the organization rather than to one shop."""
    if model is Business:
        return "pk"
    path = tenant_path_of(model)
    suffix = "business__organization"
    if path == suffix or path.endswith(f"__{suffix}"):
        return path.removesuffix("__organization")
    return None


def scope_for_user(
    queryset: models.QuerySet[M], user: AnyUser, *, min_role: str = Membership.Role.STAFF
) -> models.QuerySet[M]:
    """The part of ``queryset`` the user may see: their organizations' rows only.

    Superusers see everything; anonymous users see nothing. ``min_role=CLIENT`` is the
    read path that also opens a client viewer's own shop: its rows, never the rest of
    the agency's, and nothing that belongs to the organization as a whole.
    """
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    path = tenant_path_of(queryset.model)
    lookup = "pk__in" if path == "" else f"{path}__in"
    members = Q(**{lookup: organization_ids_for(user, min_role=min_role)})
    business_path = business_path_of(queryset.model)
    if min_role != Membership.Role.CLIENT or business_path is None:
        return queryset.filter(members)
    viewed = client_business_ids(signed_in_user(user))
    return queryset.filter(members | Q(**{f"{business_path}__in": viewed}))


def organizations_for_user(
    user: AnyUser, *, min_role: str = Membership.Role.STAFF
) -> models.QuerySet[Organization]:
    if min_role == Membership.Role.CLIENT:
        raise ValueError("A client viewer sees one shop, not its organization.")
    return scope_for_user(Organization.objects.all(), user, min_role=min_role)


def businesses_for_user(
    user: AnyUser, *, include_client: bool = False, archived: bool | None = False
) -> models.QuerySet[Business]:
    """The shops the user works on; ``include_client`` adds the shops they only view as a
    client (for read-only pages: never where anything is changed). Archived shops are
    hidden: ``archived=True`` gives only them (the archive list), None both."""
    min_role = Membership.Role.CLIENT if include_client else Membership.Role.STAFF
    businesses = scope_for_user(
        Business.objects.select_related("organization"), user, min_role=min_role
    )
    if archived is None:
        return businesses
    return businesses.filter(archived_at__isnull=not archived)


def is_client_viewer(user: AnyUser, instance: models.Model) -> bool:
    """Whether the user sees ``instance`` only as a client viewer (read only)."""
    if not user.is_authenticated or user.is_superuser:
        return False
    return role_for(user, organization_id_of(instance)) == Membership.Role.CLIENT


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
    """Whether the user holds at least ``min_role`` in the organization owning ``instance``.

    A client viewer holds no role here: what they may read is ``scope_for_user(...,
    min_role=CLIENT)``, which knows their one shop.
    """
    if min_role == Membership.Role.CLIENT:
        raise ValueError("Ask scope_for_user(..., min_role=CLIENT) what a client may read.")
    if user.is_authenticated and user.is_superuser:
        return True
    role = role_for(user, organization_id_of(instance))
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[min_role]
