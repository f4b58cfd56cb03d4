from django.contrib import admin

from analytics.models import MetricSnapshot
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
    ]
    list_filter = ["source"]
    date_hierarchy = "collected_at"
    list_select_related = ["publication__piece"]
