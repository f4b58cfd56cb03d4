from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from content.models import Asset, ContentPiece
from marketing.tenant_admin import TenantAdmin, TenantInline


class AssetInline(TenantInline):
    model = Asset
    fields = ["kind", "file", "width", "height", "duration_s", "position"]


@admin.register(ContentPiece)
class ContentPieceAdmin(TenantAdmin):
    list_display = [
        "__str__",
        "business",
        "channel",
        "status",
        "planned_for",
        "provider",
        "hook_style",
    ]
    list_filter = ["channel", "status", "provider", "hook_style", "business__organization"]
    search_fields = ["title", "body", "business__name"]
    list_select_related = ["business"]
    inlines = [AssetInline]
    fieldsets = (
        (None, {"fields": ("business", "campaign", "channel", "status", "planned_for", "error")}),
        (_("내용"), {"fields": ("title", "body", "fields")}),
        (
            _("크리에이티브 속성"),
            {
                "fields": (
                    ("hook_style", "tone", "length_bucket"),
                    ("emoji_density", "hashtag_count", "call_to_action"),
                    ("format", "template", "offer_type"),
                )
            },
        ),
        (_("작성 정보"), {"fields": ("provider", "model_name", "prompt_version")}),
    )


@admin.register(Asset)
class AssetAdmin(TenantAdmin):
    list_display = ["__str__", "business", "piece", "kind", "width", "height", "size_bytes"]
    list_filter = ["kind"]
    search_fields = ["file", "checksum", "business__name"]
    list_select_related = ["business", "piece"]
