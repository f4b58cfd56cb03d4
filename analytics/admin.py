from django.contrib import admin
from django.http import HttpRequest

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
    """Where each post stands on the collection ladder, and why one stopped. Read-only:
    every move is analytics.transitions' (the dispatcher and the collect task)."""

    list_display = ["publication", "state", "next_collect_at", "last_collected_at", "failures"]
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
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
