"""The activity log in the admin, read only: operators (superusers) see every
organization's, staff who own an organization see its own, as owners do on /app/audit/.
Registered by marketing.admin."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from marketing.models import AuditEvent, Membership
from marketing.tenant_admin import TenantAdmin


class AuditEventAdmin(TenantAdmin):
    """The activity log, read only: operators see every organization's, staff who own an
    organization see its own (as on the owners' audit page)."""

    view_role = Membership.Role.OWNER
    add_role = None
    list_display = ["created_at", "organization", "business", "action", "who", "summary"]
    list_filter = [
        "action",
        ("organization", admin.RelatedOnlyFieldListFilter),
        ("business", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["summary", "actor__email", "actor_name", "business__name"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "business", "actor"]
    readonly_fields = [
        "created_at",
        "organization",
        "business",
        "actor",
        "actor_name",
        "action",
        "summary",
        "detail",
    ]

    @admin.display(description=_("한 사람"))
    def who(self, event: AuditEvent) -> str:
        return str(event.actor or event.actor_name or "-")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEvent | None = None) -> bool:
        return False
