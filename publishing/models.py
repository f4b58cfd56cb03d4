from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from content.channels import Channel
from core.models import TimeStampedModel
from publishing.crypto import EncryptedTextField


class ChannelAccount(TimeStampedModel):
    """A business's account on one platform, with its tokens encrypted at rest.

    ``api`` accounts talk to the platform, ``sandbox`` accounts to the local
    simulators (same code, other base URLs), ``assisted`` accounts (Naver Blog) are
    published by the owner with Gagecast's help.
    """

    class Mode(models.TextChoices):
        API = "api", _("API 연결")
        SANDBOX = "sandbox", _("샌드박스")
        ASSISTED = "assisted", _("직접 게시 도우미")

    class State(models.TextChoices):
        ACTIVE = "active", _("정상")
        NEEDS_REAUTH = "needs_reauth", _("재연결 필요")
        DISABLED = "disabled", _("사용 중지")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="channel_accounts",
    )
    platform = models.CharField(_("플랫폼"), max_length=20, choices=Channel.choices)
    mode = models.CharField(
        _("연결 방식"), max_length=10, choices=Mode.choices, default=Mode.ASSISTED
    )
    display_name = models.CharField(_("계정 이름"), max_length=120, blank=True)
    external_id = models.CharField(_("플랫폼 계정 ID"), max_length=120, blank=True)
    state = models.CharField(
        _("상태"), max_length=20, choices=State.choices, default=State.ACTIVE, db_index=True
    )
    state_reason = models.TextField(_("상태 사유"), blank=True)
    state_changed_at = models.DateTimeField(_("상태 변경 시각"), null=True, blank=True)
    access_token = EncryptedTextField(_("액세스 토큰"), blank=True)
    refresh_token = EncryptedTextField(_("리프레시 토큰"), blank=True)
    token_expires_at = models.DateTimeField(_("토큰 만료"), null=True, blank=True)
    token_refreshed_at = models.DateTimeField(_("토큰 갱신 시각"), null=True, blank=True)
    scopes = models.CharField(_("권한"), max_length=500, blank=True)
    # Naver Blog's opt-in XML-RPC connection: the blog's API password (not the login one).
    api_password = EncryptedTextField(_("API 비밀번호"), blank=True)
    # Metric names the platform refused for this account: the collector stops asking.
    refused_metrics = models.JSONField(_("거절된 지표"), default=list, blank=True)
    connected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("연결한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("채널 계정")
        verbose_name_plural = _("채널 계정")
        ordering = ["business", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["business", "platform", "mode", "external_id"],
                name="channel_account_unique_external",
            )
        ]

    def __str__(self) -> str:
        label = self.display_name or self.get_mode_display()
        return f"{self.get_platform_display()} · {label}"

    @property
    def usable(self) -> bool:
        return self.state == self.State.ACTIVE


class PublicationQuerySet(models.QuerySet["Publication"]):
    def live(self) -> PublicationQuerySet:
        """Publications still on the schedule or out: not canceled, not skipped."""
        return self.exclude(state__in=(Publication.State.CANCELED, Publication.State.SKIPPED))


class Publication(TimeStampedModel):
    """One piece going out on one account at one time; the unit the scheduler claims."""

    class State(models.TextChoices):
        SCHEDULED = "scheduled", _("예약됨")
        CLAIMED = "claimed", _("처리 시작")
        PUBLISHING = "publishing", _("게시 중")
        PROCESSING = "processing", _("플랫폼 처리 중")
        RETRY_WAIT = "retry_wait", _("재시도 대기")
        PUBLISHED = "published", _("게시 완료")
        FAILED = "failed", _("실패")
        NEEDS_ACTION = "needs_action", _("직접 게시 필요")
        SKIPPED = "skipped", _("건너뜀")
        CANCELED = "canceled", _("취소됨")

    tenant_path: ClassVar[str] = "piece__business__organization"
    objects = PublicationQuerySet.as_manager()

    piece = models.ForeignKey(
        "content.ContentPiece",
        verbose_name=_("콘텐츠"),
        on_delete=models.CASCADE,
        related_name="publications",
    )
    channel_account = models.ForeignKey(
        ChannelAccount,
        verbose_name=_("채널 계정"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="publications",
    )
    scheduled_at = models.DateTimeField(_("예약 시각"))
    state = models.CharField(
        _("상태"), max_length=20, choices=State.choices, default=State.SCHEDULED
    )
    state_changed_at = models.DateTimeField(_("상태 변경 시각"), null=True, blank=True)
    attempt_count = models.PositiveSmallIntegerField(_("시도 횟수"), default=0)
    # When the dispatcher should next look at it: the scheduled time, then each retry.
    next_attempt_at = models.DateTimeField(_("다음 시도"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("처리 시작 시각"), null=True, blank=True)
    claim_token = models.UUIDField(_("처리 토큰"), null=True, blank=True, db_index=True)
    # Saved before the call that publishes: the retry path asks the platform about it.
    container_id = models.CharField(_("컨테이너/업로드 ID"), max_length=500, blank=True)
    progress = models.JSONField(_("플랫폼 진행 상태"), default=dict, blank=True)
    external_id = models.CharField(_("게시물 ID"), max_length=120, blank=True)
    permalink = models.URLField(_("게시물 주소"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("게시 시각"), null=True, blank=True)
    error_kind = models.CharField(_("오류 종류"), max_length=20, blank=True)
    last_error = models.TextField(_("마지막 오류"), blank=True)  # the owner's words
    last_error_detail = models.TextField(_("플랫폼 오류 원문"), blank=True)
    reminded_at = models.DateTimeField(_("알림 보낸 시각"), null=True, blank=True)
    scheduled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("예약한 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("게시 예약")
        verbose_name_plural = _("게시 예약")
        ordering = ["scheduled_at"]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="publication_due_idx")]
        constraints = [
            # A piece goes out once per account; a canceled one may be scheduled again.
            models.UniqueConstraint(
                fields=["piece", "channel_account"],
                condition=~models.Q(state="canceled"),
                name="publication_once_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"{self.piece} @ {self.scheduled_at:%Y-%m-%d %H:%M}"


class PublishAttempt(models.Model):
    """Every call to a platform, recorded before the call and completed after it."""

    class Outcome(models.TextChoices):
        PENDING = "pending", _("진행 중")
        SUCCEEDED = "succeeded", _("성공")
        TRANSIENT = "transient", _("일시 오류")
        PERMANENT = "permanent", _("영구 오류")
        AUTH = "auth", _("인증 오류")
        INTERRUPTED = "interrupted", _("중단됨")

    tenant_path: ClassVar[str] = "publication__piece__business__organization"

    publication = models.ForeignKey(
        Publication, verbose_name=_("게시 예약"), on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveSmallIntegerField(_("회차"))
    action = models.CharField(_("작업"), max_length=40, blank=True)
    started_at = models.DateTimeField(_("시작"), auto_now_add=True)
    finished_at = models.DateTimeField(_("종료"), null=True, blank=True)
    outcome = models.CharField(
        _("결과"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING
    )
    request_summary = models.JSONField(_("요청 요약"), default=dict, blank=True)
    response_status = models.PositiveSmallIntegerField(_("응답 코드"), null=True, blank=True)
    error = models.TextField(_("오류"), blank=True)
    duration_ms = models.PositiveIntegerField(_("소요(ms)"), null=True, blank=True)

    class Meta:
        verbose_name = _("게시 시도")
        verbose_name_plural = _("게시 시도")
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="attempt_unique_number")
        ]
        # Counting a day's unit-costing calls (jobs.check_collect_units).
        indexes = [models.Index(fields=["action", "started_at"], name="attempt_action_time_idx")]

    def __str__(self) -> str:
        return f"#{self.number} {self.get_outcome_display()}"
