from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from analytics.models import Collection, MetricSnapshot
from marketing.tenant_admin import TenantAdmin


@admin.register(MetricSnapshot)
class MetricSnapshotAdmin(TenantAdmin):
    list_display = [
        "publication",
        "collected_at",
        "source",
        "views",
        "reach",
        "likes",
        "comments",
        "saves",
        "shares",
        "watch_minutes",
        "avg_view_percentage",
    ]
    list_filter = ["source"]
    date_hierarchy = "collected_at"
    list_select_related = ["publication__piece"]


@admin.register(Collection)
class CollectionAdmin(TenantAdmin):
    """Where each post stands on the collection ladder, and why one waits for a reconnect,
    has no numbers yet or stopped; Naver posts wait for the owner's numbers. Read-only:
    every move is analytics.transitions' (the dispatcher, the collect task, the owner's
    form and the reminder)."""

    list_display = [
        "publication",
        "state",
        "next_collect_at",
        "last_collected_at",
        "failures",
        "short_reason",
    ]
    list_filter = ["state", "publication__channel_account__platform"]
    search_fields = ["publication__piece__title", "reason"]
    list_select_related = ["publication__piece"]
    readonly_fields = (
        "publication",
        "state",
        "next_collect_at",
        "claim_token",
        "failures",
        "last_collected_at",
        "reason",
        "reminded_at",
    )

    @admin.display(description=_("사유"))
    def short_reason(self, collection: Collection) -> str:
        return Truncator(collection.reason).chars(80)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
