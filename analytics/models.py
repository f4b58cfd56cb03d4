from __future__ import annotations

from typing import ClassVar

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
