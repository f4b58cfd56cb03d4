from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from campaigns.models import Campaign
from campaigns.services import (
    campaign_create,
    campaign_next_week,
    campaign_plan,
    campaign_retry_failed,
)
from content.channels import Channel
from content.models import ContentPiece
from marketing.admin import BusinessAdmin
from marketing.models import Business
from marketing.selectors import signed_in_user
from marketing.tenant_admin import TenantAdmin, TenantInline, add_admin_action


class PieceInline(TenantInline):
    model = ContentPiece
    readonly_fields = ("channel", "planned_for", "status", "title", "provider", "error")
    fields = readonly_fields
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Campaign | None = None) -> bool:
        return False


class CampaignForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(
        label=_("채널"), choices=Channel.choices, widget=forms.CheckboxSelectMultiple
    )
    posts_per_week = forms.JSONField(
        label=_("주당 게시 수"),
        required=False,
        help_text=_('비워 두면 채널별 기본값. 예: {"instagram": 3, "threads": 5}'),
    )

    class Meta:
        model = Campaign
        fields = [
            "business",
            "name",
            "goal",
            "starts_on",
            "ends_on",
            "channels",
            "posts_per_week",
            "offer",
        ]

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if self.instance.pk is None and not self.errors:
            try:
                campaign_plan(
                    business=cleaned["business"],
                    starts_on=cleaned["starts_on"],
                    ends_on=cleaned["ends_on"],
                    channels=cleaned["channels"],
                    posts_per_week=cleaned.get("posts_per_week") or {},
                )
            except ValidationError as exc:
                for field, errors in exc.message_dict.items():
                    self.add_error(field if field in self.fields else None, errors)
        return cleaned


@admin.register(Campaign)
class CampaignAdmin(TenantAdmin):
    form = CampaignForm
    list_display = [
        "name",
        "business",
        "goal",
        "starts_on",
        "ends_on",
        "status_badge",
        "piece_count",
    ]
    list_filter = ["status", "goal", "business__organization"]
    search_fields = ["name", "business__name", "offer"]
    date_hierarchy = "starts_on"
    list_select_related = ["business"]
    inlines = [PieceInline]
    actions = ["retry_failed_pieces"]
    readonly_fields = ["status", "status_reason", "created_by"]
    fields = [
        "business",
        "name",
        "goal",
        ("starts_on", "ends_on"),
        "channels",
        "posts_per_week",
        "offer",
        "status",
        "status_reason",
        "created_by",
    ]

    @admin.display(description=_("상태"), ordering="status")
    def status_badge(self, campaign: Campaign) -> str:
        return format_html(
            '<span title="{}">{}</span>', campaign.status_reason, campaign.get_status_display()
        )

    @admin.display(description=_("게시물 수"))
    def piece_count(self, campaign: Campaign) -> int:
        return campaign.pieces.count()

    def save_model(
        self, request: HttpRequest, obj: Campaign, form: forms.ModelForm, change: bool
    ) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new campaign from the admin is generated like one from the app or the API.
        created = campaign_create(
            business=obj.business,
            actor=signed_in_user(request.user),
            goal=obj.goal,
            starts_on=obj.starts_on,
            ends_on=obj.ends_on,
            channels=list(obj.channels),
            posts_per_week=dict(obj.posts_per_week or {}),
            offer=obj.offer,
            name=obj.name,
        )
        obj.pk = created.pk

    @admin.action(description=_("실패한 게시물 다시 시도"))
    def retry_failed_pieces(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        count = sum(campaign_retry_failed(campaign=campaign) for campaign in queryset)
        self.message_user(request, _("%(count)s개 게시물을 다시 생성합니다.") % {"count": count})


@admin.action(description=_("다음 주 캠페인 만들기"))
def generate_week_campaign(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Business]
) -> None:
    """The agency staffer's bulk action: next week's campaign for each selected shop,
    generated in the background (the workspace's 다음 주 만들기 does the same)."""
    created, refused = 0, []
    actor = signed_in_user(request.user)
    for business in queryset:
        try:
            campaign_next_week(business, actor=actor)
            created += 1
        except (ValidationError, PermissionDenied) as exc:
            reasons = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            refused.append(f"{business.name}: {'; '.join(reasons)}")
    modeladmin.message_user(
        request, _("%(count)s개 사업장의 캠페인을 만들기 시작했습니다.") % {"count": created}
    )
    for line in refused:
        modeladmin.message_user(request, line, level="error")


# marketing sits below campaigns, so the shop admin gets its campaign action from here.
add_admin_action(BusinessAdmin, generate_week_campaign)
