from collections import Counter
from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from marketing.tenant_admin import TenantAdmin, TenantInline
from publishing import services
from publishing.accounts import RefreshOutcome, TokenRefreshError, refresh_account
from publishing.models import ChannelAccount, Publication, PublishAttempt


@admin.register(ChannelAccount)
class ChannelAccountAdmin(TenantAdmin):
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
        self._each(request, queryset, services.cancel, gettext("%(count)s건을 취소했습니다."))

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
