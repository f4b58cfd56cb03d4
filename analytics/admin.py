from django.contrib import admin
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from analytics.models import Collection, Feedback, MetricSnapshot, WeeklyReport
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


@admin.register(Feedback)
class FeedbackAdmin(TenantAdmin):
    """The owners' 👍/👎 and comments, how each was judged and whether the operator alert
    went out. Read-only: the owner writes feedback, analytics.feedback moves the alert."""

    list_display = [
        "created_at",
        "business",
        "target",
        "rating",
        "short_comment",
        "sentiment",
        "judged_by",
        "alert_state",
        "alert_attempts",
    ]
    list_filter = ["rating", "sentiment", "judged_by", "alert_state"]
    search_fields = ["comment", "business__name", "piece__title", "report__week", "author__email"]
    date_hierarchy = "created_at"
    list_select_related = ["business", "piece", "report"]
    readonly_fields = (
        "business",
        "piece",
        "report",
        "author",
        "rating",
        "comment",
        "sentiment",
        "judged_by",
        "sentiment_reason",
        "alert_state",
        "alert_attempts",
        "alerted_at",
        "alert_error",
        "created_at",
        "updated_at",
    )

    @admin.display(description=_("대상"))
    def target(self, feedback: Feedback) -> str:
        if feedback.piece is not None:
            return f"{feedback.piece.get_channel_display()} · {feedback.piece}"
        return str(
            _("주간 리포트 %(week)s") % {"week": feedback.report.week if feedback.report else ""}
        )

    @admin.display(description=_("의견"))
    def short_comment(self, feedback: Feedback) -> str:
        return Truncator(feedback.comment).chars(60)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(WeeklyReport)
class WeeklyReportAdmin(TenantAdmin):
    """The Monday reports: which were sent, when and to whom. Read-only: a report is made
    and sent once by analytics.reports."""

    list_display = ["business", "week", "sent_at", "claimed_at", "created_at"]
    list_filter = ["week"]
    search_fields = ["business__name"]
    date_hierarchy = "starts_on"
    list_select_related = ["business"]
    readonly_fields = [
        "business", "week", "starts_on", "created_at", "claimed_at", "sent_at", "sent_to",
        "summary", "pdf",
    ]  # fmt: skip
    exclude = ["html"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
