"""The organization's activity log: one call for every recorded action (approvals,
scheduling, archive and erase, token use, role changes). Owners read it on the audit
page, operators in the admin."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from marketing.models import AuditEvent, Business, Membership, User

Action = AuditEvent.Action


def audit(
    organization_id: int,
    action: str,
    summary: str,
    *,
    actor: User | None = None,
    actor_name: str = "",
    business: Business | None = None,
    **detail: Any,
) -> AuditEvent:
    """Record that ``actor`` (or a client named ``actor_name``) did ``action``; the summary
    is what a person reads in the log, the detail keeps ids for the record."""
    return AuditEvent.objects.create(
        organization_id=organization_id,
        business=business,
        actor=actor if isinstance(actor, User) else None,
        actor_name=actor_name[:120],
        action=action,
        summary=summary[:300],
        detail=detail,
    )


def audit_role_change(
    membership: Membership,
    *,
    old_role: str | None,
    new_role: str | None,
    actor: User | None,
) -> AuditEvent | None:
    """Record a role given (``old_role`` None), changed, or taken away (``new_role``
    None); nothing when it did not change."""
    if old_role == new_role:
        return None
    person = str(membership.user)
    if old_role is None:
        summary = _("%(person)s: %(role)s(으)로 추가") % {
            "person": person,
            "role": _role_label(new_role),
        }
    elif new_role is None:
        summary = _("%(person)s: 멤버에서 뺌 (%(role)s)") % {
            "person": person,
            "role": _role_label(old_role),
        }
    else:
        summary = _("%(person)s: 역할 %(old)s → %(new)s") % {
            "person": person,
            "old": _role_label(old_role),
            "new": _role_label(new_role),
        }
    return audit(
        membership.organization_id,
        Action.ROLE_CHANGED,
        summary,
        actor=actor,
        business=membership.business,
        user=membership.user_id,
        old_role=old_role,
        new_role=new_role,
    )


def _role_label(role: str | None) -> str:
    return str(Membership.Role(role).label) if role in Membership.Role.values else str(role)
