from collections import Counter
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketing import limits
from marketing.admin import BusinessAdmin
from marketing.limits import LimitReached
from marketing.models import Business, User
from marketing.selectors import signed_in_user
from marketing.tenant_admin import TenantAdmin, TenantInline, add_admin_action
from publishing import lifecycle, services, shop_actions
from publishing.accounts import RefreshOutcome, TokenRefreshError, refresh_account
from publishing.models import ChannelAccount, Publication, PublishAttempt


class ChannelAccountForm(forms.ModelForm):
    """An account added here, or made to count, takes one of the plan's channels."""

    class Meta:
        model = ChannelAccount
        fields = ["business", "platform", "mode"]  # ChannelAccountAdmin names the rest

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        business = cleaned.get("business") or (
            self.instance.business if self.instance.business_id else None
        )
        mode = cleaned.get("mode") or self.instance.mode
        counts = mode != ChannelAccount.Mode.ASSISTED
        if business is not None and counts and self.instance.state != ChannelAccount.State.DISABLED:
            refusal = limits.channel_refusal(business, account_id=self.instance.pk)
            if refusal:
                raise forms.ValidationError(refusal)
        return cleaned


@admin.register(ChannelAccount)
class ChannelAccountAdmin(TenantAdmin):
    form = ChannelAccountForm
    list_display = [
        "__str__",
        "business",
        "platform",
        "mode",
        "state",
        "state_reason",
        "token_expires_at",
        "updated_at",
    ]
    list_filter = ["platform", "mode", "state"]
    search_fields = ["display_name", "external_id", "business__name"]
    list_select_related = ["business"]
    # Secrets are never shown or edited here: owners connect on the channels page.
    exclude = ["access_token", "refresh_token", "api_password"]
    # State moves go through publishing.account_transitions (connect, refresh, disconnect).
    readonly_fields = [
        "state",
        "state_reason",
        "state_changed_at",
        "token_expires_at",
        "token_refreshed_at",
        "scopes",
        "connected_by",
    ]
    actions = ["refresh_tokens"]

    @admin.action(description=_("토큰 지금 갱신"), permissions=["change"])
    def refresh_tokens(self, request: HttpRequest, queryset: QuerySet[ChannelAccount]) -> None:
        outcomes: Counter[str] = Counter()
        for account in queryset.select_related("business"):
            try:
                outcomes[refresh_account(account)] += 1
            except TokenRefreshError as error:
                outcomes["failed"] += 1
                self.message_user(request, f"{account}: {error.message}", messages.WARNING)
        self.message_user(
            request,
            gettext(
                "갱신 %(refreshed)s개, 건너뜀 %(skipped)s개(갱신할 토큰이 없거나 24시간이 안 됨), "
                "재연결 필요 %(reauth)s개, 실패 %(failed)s개"
            )
            % {
                "refreshed": outcomes[RefreshOutcome.REFRESHED],
                "skipped": outcomes[RefreshOutcome.NOT_DUE],
                "reauth": outcomes[RefreshOutcome.NEEDS_REAUTH],
                "failed": outcomes["failed"],
            },
        )


class PublishAttemptInline(TenantInline):
    model = PublishAttempt
    readonly_fields = (
        "number",
        "action",
        "started_at",
        "finished_at",
        "outcome",
        "response_status",
        "error",
        "duration_ms",
    )
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
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
    list_filter = ["state", "channel_account__platform", "channel_account__mode"]
    search_fields = ["external_id", "piece__title", "last_error"]
    date_hierarchy = "scheduled_at"
    list_select_related = ["piece", "channel_account"]
    inlines = [PublishAttemptInline]
    readonly_fields = [
        "state",
        "attempt_count",
        "next_attempt_at",
        "claimed_at",
        "claim_token",
        "container_id",
        "progress",
        "external_id",
        "permalink",
        "published_at",
        "error_kind",
        "last_error",
        "last_error_detail",
        "reminded_at",
        "state_changed_at",
    ]
    actions = ["retry_now", "cancel_selected"]

    @admin.action(description=_("실패한 게시 지금 다시 시도"))
    def retry_now(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        self._each(request, queryset, services.retry, gettext("%(count)s건을 다시 시도합니다."))

    @admin.action(description=_("선택한 예약 취소"))
    def cancel_selected(self, request: HttpRequest, queryset: QuerySet[Publication]) -> None:
        self._each(
            request,
            queryset,
            lambda publication: services.cancel(publication, actor=request.user),
            gettext("%(count)s건을 취소했습니다."),
        )

    def _each(
        self,
        request: HttpRequest,
        queryset: QuerySet[Publication],
        action: Callable[[Publication], None],
        done: str,
    ) -> None:
        count = 0
        for publication in queryset:
            if not self.has_change_permission(request, publication):
                continue
            try:
                action(publication)
                count += 1
            except services.SchedulingError as exc:
                self.message_user(request, f"{publication}: {exc.message}", messages.WARNING)
        self.message_user(request, done % {"count": count}, messages.SUCCESS)


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


# --- The shop list's bulk actions: the workspace's own (publishing.shop_actions) -----------------


def _shop_action(action: str) -> Callable[[admin.ModelAdmin, HttpRequest, QuerySet], None]:
    """An admin action doing ``action`` to the selected shops, one message per shop."""

    def run(modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet) -> None:
        actor = signed_in_user(request.user)
        shops = queryset.select_related("organization").order_by("name", "pk")
        for result in shop_actions.run(action, shops, actor=actor):
            lines = [f"{result.business.name}: {result.summary}", *result.details]
            if result.link is not None:
                link = request.build_absolute_uri(result.link_path)
                lines.append(gettext("고객 승인 링크: %(url)s") % {"url": link})
            level = messages.SUCCESS if result.ok else messages.WARNING
            modeladmin.message_user(request, " · ".join(line for line in lines if line), level)

    run.__name__ = f"shops_{action}"
    label = shop_actions.Action(action).label
    return admin.action(description=label)(run)


# marketing sits below publishing: the shop admin gets these actions from here.
for _action in (
    shop_actions.Action.SUBMIT,
    shop_actions.Action.SCHEDULE,
    shop_actions.Action.PAUSE,
    shop_actions.Action.RESUME,
):
    add_admin_action(BusinessAdmin, _shop_action(_action))


# --- A shop's archive and erase (publishing.lifecycle) ----------------------------------------


def _lifecycle_each(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Business],
    step: Callable[[Business, User], str],
) -> None:
    """``step`` on each selected shop, one message each: its summary, or why not."""
    actor = signed_in_user(request.user)
    for business in queryset.select_related("organization__plan").order_by("name", "pk"):
        try:
            done = step(business, actor)
        except PermissionDenied as exc:
            modeladmin.message_user(request, f"{business.name}: {exc}", messages.WARNING)
        except LimitReached as exc:
            modeladmin.message_user(request, f"{business.name}: {exc.reason}", messages.WARNING)
        except lifecycle.LifecycleError as exc:
            modeladmin.message_user(request, f"{business.name}: {exc.message}", messages.WARNING)
        else:
            modeladmin.message_user(request, f"{business.name}: {done}", messages.SUCCESS)


def _archived(business: Business, actor: User) -> str:
    held = lifecycle.business_archive(business, actor=actor)
    return gettext("보관했어요. 예약 %(count)s개를 멈췄어요.") % {"count": len(held.held)}


def _restored(business: Business, actor: User) -> str:
    released = lifecycle.business_restore(business, actor=actor)
    return released_summary(released)


def released_summary(released: lifecycle.Released) -> str:
    done = gettext("되살렸어요. 다시 예약 %(count)s개.") % {"count": len(released.rescheduled)}
    missed = [
        f"{piece.get_channel_display()} #{piece.pk}: {why}"
        for piece, why in released.not_rescheduled
    ]
    return " · ".join([done, *missed])


@admin.action(description=_("보관하기 (숨기고 게시 멈춤, 데이터 보존)"), permissions=["change"])
def archive_businesses(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Business]
) -> None:
    _lifecycle_each(modeladmin, request, queryset, _archived)


@admin.action(description=_("보관함에서 꺼내기"), permissions=["change"])
def restore_businesses(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Business]
) -> None:
    _lifecycle_each(modeladmin, request, queryset, _restored)


@admin.action(description=_("완전 삭제 예약 (이름 확인)"), permissions=["change"])
def request_erase(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Business]
) -> TemplateResponse | None:
    """Asks for each shop's name on a page of its own; erased for good after the grace
    period (owners only)."""
    businesses = list(queryset.select_related("organization").order_by("name", "pk"))
    if request.POST.get("confirmed"):

        def erase(business: Business, actor: User) -> str:
            typed = request.POST.get(f"confirm-{business.pk}", "")
            when = lifecycle.business_erase_request(business, actor=actor, confirm_name=typed)
            local = timezone.localtime(when, ZoneInfo(business.time_zone))
            return gettext("%(date)s에 완전히 지워요.") % {"date": f"{local:%Y-%m-%d %H:%M}"}

        _lifecycle_each(modeladmin, request, queryset, erase)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": gettext("완전 삭제 예약"),
        "businesses": businesses,
        "grace_days": settings.BUSINESS_ERASE_GRACE_DAYS,
        "opts": modeladmin.model._meta,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/publishing/business_erase.html", context)


@admin.action(description=_("완전 삭제 예약 취소"), permissions=["change"])
def cancel_erase(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Business]
) -> None:
    def call_off(business: Business, actor: User) -> str:
        lifecycle.business_erase_cancel(business, actor=actor)
        return gettext("완전 삭제를 취소했어요. 보관함에 그대로 있어요.")

    _lifecycle_each(modeladmin, request, queryset, call_off)


for _lifecycle_action in (archive_businesses, restore_businesses, request_erase, cancel_erase):
    add_admin_action(BusinessAdmin, _lifecycle_action)
