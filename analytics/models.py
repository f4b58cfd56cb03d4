from __future__ import annotations

import datetime as dt
import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class MetricSnapshot(models.Model):
    """A publication's counters as read at one moment."""

    class Source(models.TextChoices):
        API = "api", _("플랫폼 API")
        SANDBOX = "sandbox", _("샌드박스")
        OWNER = "owner", _("사장님 입력")

    tenant_path: ClassVar[str] = "publication__piece__business__organization"

    publication = models.ForeignKey(
        "publishing.Publication",
        verbose_name=_("게시 예약"),
        on_delete=models.CASCADE,
        related_name="metric_snapshots",
    )
    collected_at = models.DateTimeField(_("수집 시각"))
    source = models.CharField(_("출처"), max_length=10, choices=Source.choices, default=Source.API)
    views = models.PositiveIntegerField(_("조회"), null=True, blank=True)
    reach = models.PositiveIntegerField(_("도달"), null=True, blank=True)
    likes = models.PositiveIntegerField(_("좋아요"), null=True, blank=True)
    comments = models.PositiveIntegerField(_("댓글"), null=True, blank=True)
    saves = models.PositiveIntegerField(_("저장"), null=True, blank=True)
    shares = models.PositiveIntegerField(_("공유"), null=True, blank=True)
    reposts = models.PositiveIntegerField(_("리포스트"), null=True, blank=True)
    quotes = models.PositiveIntegerField(_("인용"), null=True, blank=True)
    # How long a video is watched (YouTube Analytics): total minutes, and per view.
    watch_minutes = models.PositiveIntegerField(_("시청 시간(분)"), null=True, blank=True)
    avg_view_seconds = models.PositiveIntegerField(_("평균 시청 시간(초)"), null=True, blank=True)
    avg_view_percentage = models.FloatField(_("평균 시청 비율"), null=True, blank=True)
    raw = models.JSONField(_("원본 응답"), default=dict, blank=True)

    class Meta:
        verbose_name = _("성과 스냅샷")
        verbose_name_plural = _("성과 스냅샷")
        ordering = ["-collected_at"]
        indexes = [models.Index(fields=["publication", "collected_at"])]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.collected_at:%Y-%m-%d %H:%M}"


class Collection(models.Model):
    """How a published publication's numbers are gathered. A platform with an API is read
    on the ladder (hourly for a day, every 6 hours to day 7, daily to day 30), waiting
    (paused) while its account needs reconnecting; Naver Blog's numbers come from the
    owner, who is reminded once after three days. ``reason`` says why it is paused,
    stopped or has no numbers yet. Every change is one function in
    ``analytics.transitions``."""

    class State(models.TextChoices):
        COLLECTING = "collecting", _("수집 중")
        PAUSED = "paused", _("재연결 대기")
        OWNER = "owner", _("사장님 입력")
        DONE = "done", _("수집 완료")
        STOPPED = "stopped", _("수집 중단")

    tenant_path: ClassVar[str] = "publication__piece__business__organization"

    publication = models.OneToOneField(
        "publishing.Publication",
        verbose_name=_("게시 예약"),
        on_delete=models.CASCADE,
        related_name="collection",
    )
    state = models.CharField(
        _("상태"), max_length=20, choices=State.choices, default=State.COLLECTING
    )
    next_collect_at = models.DateTimeField(_("다음 수집"), null=True, blank=True)
    # Set while one task collects; the claim lasts until next_collect_at (the lease).
    claim_token = models.UUIDField(_("처리 토큰"), null=True, blank=True)
    failures = models.PositiveSmallIntegerField(_("연속 실패"), default=0)
    last_collected_at = models.DateTimeField(_("마지막 수집"), null=True, blank=True)
    reason = models.TextField(_("사유"), blank=True)
    # Owner-entered numbers (Naver Blog): next_collect_at is when to remind, once.
    reminded_at = models.DateTimeField(_("입력 알림 보낸 시각"), null=True, blank=True)

    class Meta:
        verbose_name = _("성과 수집")
        verbose_name_plural = _("성과 수집")
        indexes = [models.Index(fields=["state", "next_collect_at"], name="collection_due_idx")]

    def __str__(self) -> str:
        return f"{self.publication_id} {self.state}"


class AccountReading(models.Model):
    """An account's followers (YouTube: subscribers) as read at one moment, about once a
    day (analytics.services.read_followers): the results' "팔로워 증가" is the difference
    between two readings."""

    tenant_path: ClassVar[str] = "account__business__organization"

    account = models.ForeignKey(
        "publishing.ChannelAccount",
        verbose_name=_("채널 계정"),
        on_delete=models.CASCADE,
        related_name="readings",
    )
    collected_at = models.DateTimeField(_("수집 시각"))
    followers = models.PositiveIntegerField(_("팔로워"))

    class Meta:
        verbose_name = _("계정 팔로워 기록")
        verbose_name_plural = _("계정 팔로워 기록")
        ordering = ["-collected_at"]
        indexes = [models.Index(fields=["account", "collected_at"])]

    def __str__(self) -> str:
        return f"{self.account_id} {self.followers} @ {self.collected_at:%Y-%m-%d %H:%M}"


def report_path(report: WeeklyReport, filename: str) -> str:
    """An unguessable folder: media may be served without a login (SERVE_MEDIA, a public
    bucket), and the pages hand the PDF out only after their own access check."""
    return f"reports/{uuid.uuid4().hex}/{filename}"


class WeeklyReport(models.Model):
    """One business's report for one ISO week (``2026-W49``, Monday to Sunday in the
    business's zone): made and e-mailed once, on the Monday after, 09:00 local. The row
    is the once-only guard: (business, week) is unique, the send task claims it with a
    conditional UPDATE of ``claimed_at`` and sets ``sent_at`` only while it still holds
    that claim (analytics.reports)."""

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="weekly_reports",
    )
    week = models.CharField(_("주"), max_length=8)  # ISO week, 2026-W49
    starts_on = models.DateField(_("시작일"))
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)
    # Set by the task that sends it (a conditional UPDATE), so two runs never both send.
    claimed_at = models.DateTimeField(_("보내기 시작한 시각"), null=True, blank=True)
    sent_at = models.DateTimeField(_("보낸 시각"), null=True, blank=True)
    sent_to = models.JSONField(_("받는 사람"), default=list, blank=True)
    summary = models.JSONField(_("요약"), default=dict, blank=True)
    html = models.TextField(_("리포트 HTML"), blank=True)
    pdf = models.FileField(_("PDF"), upload_to=report_path, blank=True)

    class Meta:
        verbose_name = _("주간 리포트")
        verbose_name_plural = _("주간 리포트")
        ordering = ["-starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["business", "week"], name="one_report_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.business_id} {self.week}"

    @property
    def ends_on(self) -> dt.date:  # Sunday
        return self.starts_on + dt.timedelta(days=6)


class Feedback(models.Model):
    """What a member of the shop thought of one piece or one weekly report: 👍 or 👎, an
    optional comment, the comment's sentiment and how it was judged, and the operator
    alert a negative one raises. One per author and target: a second vote updates the
    first. The alert is sent at most once per feedback; every move of ``alert_state`` is
    one function in ``analytics.feedback``."""

    class Rating(models.TextChoices):
        UP = "up", _("👍 좋아요")
        DOWN = "down", _("👎 별로예요")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("긍정")
        NEUTRAL = "neutral", _("중립")
        NEGATIVE = "negative", _("부정")

    class JudgedBy(models.TextChoices):
        GEMINI = "gemini", _("Gemini")
        OFFLINE = "offline", _("오프라인 규칙")

    class AlertState(models.TextChoices):
        NONE = "none", _("알림 없음")
        PENDING = "pending", _("보낼 차례")
        SENDING = "sending", _("보내는 중")
        SENT = "sent", _("보냄")
        FAILED = "failed", _("보내지 못함")
        OFF = "off", _("알림 꺼짐")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    piece = models.ForeignKey(
        "content.ContentPiece",
        verbose_name=_("게시물"),
        on_delete=models.CASCADE,
        related_name="feedback",
        null=True,
        blank=True,
    )
    report = models.ForeignKey(
        WeeklyReport,
        verbose_name=_("주간 리포트"),
        on_delete=models.CASCADE,
        related_name="feedback",
        null=True,
        blank=True,
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("남긴 사람"),
        on_delete=models.SET_NULL,
        related_name="feedback",
        null=True,
        blank=True,
    )
    rating = models.CharField(_("평가"), max_length=4, choices=Rating.choices)
    comment = models.TextField(_("의견"), max_length=1000, blank=True)
    sentiment = models.CharField(
        _("감정"), max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL
    )
    judged_by = models.CharField(
        _("감정 판정"), max_length=10, choices=JudgedBy.choices, default=JudgedBy.OFFLINE
    )
    sentiment_reason = models.CharField(_("판정 이유"), max_length=200, blank=True)
    alert_state = models.CharField(
        _("운영 알림"), max_length=10, choices=AlertState.choices, default=AlertState.NONE
    )
    alert_attempts = models.PositiveSmallIntegerField(_("알림 시도 횟수"), default=0)
    alerted_at = models.DateTimeField(_("알림 보낸 시각"), null=True, blank=True)
    alert_error = models.TextField(_("알림 오류"), blank=True)
    created_at = models.DateTimeField(_("남긴 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("고친 시각"), auto_now=True)

    class Meta:
        verbose_name = _("사장님 의견")
        verbose_name_plural = _("사장님 의견")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(piece__isnull=False, report__isnull=True)
                    | models.Q(piece__isnull=True, report__isnull=False)
                ),
                name="feedback_on_one_target",
            ),
            models.UniqueConstraint(
                fields=["author", "piece"],
                condition=models.Q(piece__isnull=False),
                name="one_feedback_per_author_piece",
            ),
            models.UniqueConstraint(
                fields=["author", "report"],
                condition=models.Q(report__isnull=False),
                name="one_feedback_per_author_report",
            ),
        ]

    def __str__(self) -> str:
        target = f"piece {self.piece_id}" if self.piece_id else f"report {self.report_id}"
        return f"{self.business_id} {target} {self.rating}"

    @property
    def negative(self) -> bool:
        """Whether it raises an operator alert: a 👎, or a comment judged negative."""
        return self.rating == self.Rating.DOWN or self.sentiment == self.Sentiment.NEGATIVE
