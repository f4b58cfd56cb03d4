"""Writes for organizations, memberships and businesses."""

from __future__ import annotations

import hashlib
from io import BytesIO
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image

from core import queue
from core.photos import PhotoRejected, strip_metadata_jpeg
from core.uploads import InputRejected, check_image
from marketing import limits
from marketing.audit import audit_role_change
from marketing.models import Business, Membership, Organization, Photo, Plan, Product, User
from marketing.selectors import ROLE_RANK, has_role, role_for

DEFAULT_PLAN_CODE = "starter"


def organization_create(
    *, name: str, owner: User, kind: str = Organization.Kind.SHOP
) -> Organization:
    """Create an organization on the default plan with ``owner`` as its owner."""
    with transaction.atomic():
        organization = Organization.objects.create(
            name=name, kind=kind, plan=Plan.objects.filter(code=DEFAULT_PLAN_CODE).first()
        )
        membership = Membership.objects.create(
            organization=organization, user=owner, role=Membership.Role.OWNER
        )
        audit_role_change(membership, old_role=None, new_role=membership.role, actor=owner)
    return organization


def organization_create_for_new_user(*, user: User) -> Organization:
    """Every person who signs up gets a shop of their own to start from. Idempotent."""
    existing = Organization.objects.filter(memberships__user=user).first()
    if existing is not None:
        return existing
    label = user.name or user.email.split("@", 1)[0]
    return organization_create(name=_("%(name)s님의 가게") % {"name": label}, owner=user)


def membership_change_refusal(
    *, organization: Organization, user: User, role: str, actor: User
) -> str | None:
    """Why ``actor`` may not give ``user`` this role here, or None when allowed.

    Owners and managers manage members; only owners grant or change ownership.
    """
    if actor.is_superuser:
        return None
    actor_role = role_for(actor, organization.pk)
    if actor_role is None or ROLE_RANK[actor_role] < ROLE_RANK[Membership.Role.MANAGER]:
        return _("멤버를 관리할 권한이 없습니다.")
    touches_owner = Membership.Role.OWNER in (role, role_for(user, organization.pk))
    if touches_owner and actor_role != Membership.Role.OWNER:
        return _("소유자 권한은 소유자만 주거나 바꿀 수 있습니다.")
    return None


def membership_add(*, organization: Organization, user: User, role: str, actor: User) -> Membership:
    """Add a member or change their role, recorded in the audit log. Raises
    PermissionDenied with the reason, LimitReached when the plan has no seat left (a
    client viewer takes none)."""
    refusal = membership_change_refusal(
        organization=organization, user=user, role=role, actor=actor
    )
    if refusal is not None:
        raise PermissionDenied(refusal)
    # Only a client viewer is tied to one shop; any other role sees the organization.
    shop = {} if role == Membership.Role.CLIENT else {"business": None}
    with transaction.atomic():
        locked = limits.locked_organization(organization.pk)
        if role != Membership.Role.CLIENT:
            limits.check_seat_room(locked, user=user)
        old_role = role_for(user, organization.pk)
        membership, _created = Membership.objects.update_or_create(
            organization=organization, user=user, defaults={"role": role, **shop}
        )
        audit_role_change(membership, old_role=old_role, new_role=role, actor=actor)
    return membership


def business_create(*, organization: Organization, actor: User, **fields: Any) -> Business:
    """Create a business in an organization the actor belongs to.

    Raises PermissionDenied when the actor is not a member of ``organization``,
    ValidationError for bad fields, and LimitReached (a ValidationError) when the plan
    has no room for another shop. Every way of adding a shop comes here.
    """
    if not has_role(actor, organization, Membership.Role.STAFF):  # a client viewer may not
        raise PermissionDenied(_("이 조직에 사업장을 추가할 권한이 없습니다."))
    business = Business(organization=organization, **fields)
    business.full_clean()
    with transaction.atomic():
        limits.check_business_room(limits.locked_organization(organization.pk))
        business.save()
    return business


def products_replace(*, business: Business, products: list[dict[str, Any]]) -> list[Product]:
    """Set a business's menu to exactly these items (by name), keeping photos of kept items."""
    with transaction.atomic():
        kept: list[Product] = []
        for order, item in enumerate(products):
            product, _created = Product.objects.update_or_create(
                business=business,
                name=item["name"],
                defaults={
                    "price": item.get("price"),
                    "description": item.get("description", ""),
                    "is_signature": item.get("is_signature", False),
                    "sort_order": order,
                    "is_active": True,
                },
            )
            kept.append(product)
        business.products.exclude(pk__in=[p.pk for p in kept]).delete()
    return kept


def market_context_refresh(*, business: Business) -> None:
    """Look at the business's neighbourhood again in the background (SEMAS can be slow).

    Sent once the current transaction commits; the task itself never raises on SEMAS.
    """
    queue.enqueue("marketing.tasks.refresh_market_context", business.pk)


def photo_cleaned(data: bytes, name: str) -> tuple[ContentFile, tuple[int, int]]:
    """An uploaded photo as we keep it: checked by what the bytes are (not by its name),
    turned upright, in sRGB, without EXIF, GPS or other metadata, as a JPEG; and its
    size. Raises InputRejected with the owner's reason."""
    check_image(data)
    try:
        cleaned = strip_metadata_jpeg(data)
    except PhotoRejected as exc:
        raise InputRejected(exc.message) from exc
    with Image.open(BytesIO(cleaned)) as image:
        size = image.size
    return ContentFile(cleaned, name=f"{PurePath(name).stem or 'photo'}.jpg"), size


def photo_add(*, business: Business, data: bytes, name: str, caption: str = "") -> Photo:
    """Add a photo to the business's library (``photo_cleaned``); raises InputRejected."""
    content, (width, height) = photo_cleaned(data, name)
    photo = Photo(
        business=business,
        caption=caption,
        width=width,
        height=height,
        source_sha256=hashlib.sha256(data).hexdigest(),
    )
    photo.image.save(content.name, content, save=False)
    photo.save()
    return photo


def photo_add_once(*, business: Business, data: bytes, name: str, caption: str = "") -> Photo:
    """The business's photo of exactly these bytes, added (``photo_add``) only when it has
    none yet: a file imported again keeps one copy. Raises InputRejected."""
    digest = hashlib.sha256(data).hexdigest()
    existing = business.photos.filter(source_sha256=digest).first()
    if existing is not None:
        return existing
    return photo_add(business=business, data=data, name=name, caption=caption)


MAX_SELLING_POINTS = 12


def selling_point_add(*, business: Business, point: str) -> bool:
    """Add one of the shop's strengths (e.g. accepted from a photo's analysis) unless it
    is already there; False when it was, or the list is full."""
    point = " ".join(point.split())[:200]
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        points = list(locked.selling_points or [])
        if not point or point in points or len(points) >= MAX_SELLING_POINTS:
            return False
        locked.selling_points = [*points, point]
        locked.save(update_fields=["selling_points", "updated_at"])
    business.selling_points = locked.selling_points
    return True
