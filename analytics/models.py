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
    raw = models.JSONField(_("원본 응답"), default=dict, blank=True)

    class Meta:
        verbose_name = _("성과 스냅샷")
        verbose_name_plural = _("성과 스냅샷")
        ordering = ["-collected_at"]
        indexes = [models.Index(fields=["publication", "collected_at"])]

    def __str__(self) -> str:
        return f"{self.publication_id} @ {self.collected_at:%Y-%m-%d %H:%M}"
