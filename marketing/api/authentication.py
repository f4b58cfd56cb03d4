"""API tokens, with their use in each organization's activity log at most once a day."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.request import Request

from marketing.audit import Action, audit
from marketing.models import Membership, User

# The cache entry outlives the day it names, so the day's first use is the only one logged.
_SEEN_FOR_S = 26 * 3600


class AuditedTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``; the first use of a token each day (in the server's
    time zone) is written to the audit log of every organization its user belongs to.

    One cache look-up per request; the log is written only on the day's first use."""

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        found = super().authenticate(request)
        if found is not None:
            user, token = found
            token_used(user=user, token_key=token.key)
        return found


def token_used(*, user: User, token_key: str) -> bool:
    """Record the token's use once a day; True when this call wrote the log."""
    day = timezone.localdate().isoformat()
    # A hash, never the token itself, in the cache's keys.
    fingerprint = hashlib.sha256(token_key.encode()).hexdigest()[:16]
    if not cache.add(f"api-token-used:{fingerprint}:{day}", 1, _SEEN_FOR_S):
        return False
    organization_ids = Membership.objects.filter(user=user).values_list(
        "organization_id", flat=True
    )
    summary = _("%(email)s님의 API 토큰으로 접속했습니다.") % {"email": user.email}
    for organization_id in sorted(set(organization_ids)):
        audit(organization_id, Action.TOKEN_USED, summary, actor=user, token=fingerprint[:8])
    return True
