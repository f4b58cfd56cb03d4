"""Telling the shop's people what happened: email now, other notifiers later.

Every message goes to the owners and managers of the business's organization, in
plain Korean, with a link that opens the page where they can act.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail

from marketing.models import Business, Membership

logger = logging.getLogger(__name__)


def recipients_for(business: Business) -> list[str]:
    roles = (Membership.Role.OWNER, Membership.Role.MANAGER)
    return sorted(
        {
            email
            for email in Membership.objects.filter(
                organization_id=business.organization_id, role__in=roles, user__is_active=True
            ).values_list("user__email", flat=True)
            if email
        }
    )


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def notify_owner(business: Business, subject: str, body: str, *, link_path: str = "") -> int:
    """Email the business's owners and managers; returns how many were sent. Never raises:
    a mail server that is down must not fail the publication that triggered the message."""
    to = recipients_for(business)
    if not to:
        return 0
    text = f"{body}\n\n{absolute(link_path)}" if link_path else body
    try:
        return send_mail(f"[Gagecast] {subject}", text, None, to)
    except Exception:  # SMTP errors, refused connections…: logged, not raised
        logger.exception("notification to %s failed: %s", to, subject)
        return 0
