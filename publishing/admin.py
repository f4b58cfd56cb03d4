from django.contrib import admin

from marketing.tenant_admin import TenantAdmin, TenantInline
from publishing.models import ChannelAccount, Publication, PublishAttempt


@admin.register(ChannelAccount)
class ChannelAccountAdmin(TenantAdmin):
    list_display = ["__str__", "business", "platform", "mode", "state", "updated_at"]
    list_filter = ["platform", "mode", "state"]
    search_fields = ["display_name", "external_id", "business__name"]
    list_select_related = ["business"]


class PublishAttemptInline(TenantInline):
    model = PublishAttempt
    fields = [
        "number",
        "started_at",
        "finished_at",
        "outcome",
        "response_status",
        "error",
        "duration_ms",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Publication)
class PublicationAdmin(TenantAdmin):
    list_display = [
        "__str__",
        "channel_account",
        "scheduled_at",
        "state",
        "attempt_count",
        "published_at",
    ]
    list_filter = ["state", "channel_account__platform"]
    search_fields = ["external_id", "piece__title", "last_error"]
    date_hierarchy = "scheduled_at"
    list_select_related = ["piece", "channel_account"]
    inlines = [PublishAttemptInline]


@admin.register(PublishAttempt)
class PublishAttemptAdmin(TenantAdmin):
    add_role = None
    list_display = [
        "publication",
        "number",
        "outcome",
        "response_status",
        "started_at",
        "duration_ms",
    ]
    list_filter = ["outcome"]
    search_fields = ["error"]
    list_select_related = ["publication__piece"]
