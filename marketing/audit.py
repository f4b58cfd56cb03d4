"""The organization's activity log: one call for every recorded action (approvals,
scheduling, archive and erase, token use, role changes). Owners read it on the audit
page, operators in the admin."""

from __future__ import annotations

from typing import Any

from marketing.models import AuditEvent, Business, User

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
