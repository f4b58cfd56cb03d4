"""The needs-you badge and the workspace link in every page's top bar."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from marketing.models import User
from owner.notices import count_for
from owner.workspace import shows_workspace


def needs_you(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if not isinstance(user, User):
        return {}
    # Counted only when a template shows the badge (and the workspace link).
    return {
        "needs_you_count": SimpleLazyObject(lambda: count_for(user)),
        "shows_workspace": SimpleLazyObject(lambda: shows_workspace(user)),
    }
