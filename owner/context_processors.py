"""The needs-you badge in every page's top bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketing.models import User
from owner.notices import count_for


def needs_you(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    # Counted only when a template shows the badge.
    return {"needs_you_count": SimpleLazyObject(lambda: count_for(user))}
