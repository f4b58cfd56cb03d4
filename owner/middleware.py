"""Client viewers are read only: whatever a page would do, a change from someone who only
views shops as a client is refused here, before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from marketing.models import Membership, User

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


def client_only(user: object) -> bool:
    """Whether the person is a client viewer somewhere and a member nowhere."""
    if not isinstance(user, User) or user.is_superuser:
        return False
    client = Q(role=Membership.Role.CLIENT)
    found = Membership.objects.filter(user=user).aggregate(
        clients=Count("pk", filter=client), members=Count("pk", filter=~client)
    )
    return bool(found["clients"]) and not found["members"]


class ClientViewerReadOnly:
    """403 on any change under the app and the API from a client viewer. The client's
    approval-link pages stay open: the signed link, not the account, is their key."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        unsafe = request.method not in SAFE_METHODS
        if unsafe and self._guarded(request.path_info) and client_only(request.user):
            raise PermissionDenied
        return self.get_response(request)

    @staticmethod
    def _guarded(path: str) -> bool:
        link_pages = reverse("owner:client_review", args=["token"]).removesuffix("token/")
        app = reverse("marketing:dashboard")
        return (path.startswith(app) or path.startswith("/api/")) and not path.startswith(
            link_pages
        )
