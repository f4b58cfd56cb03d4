from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import TimeStampedModel


class Campaign(TimeStampedModel):
    """A brief (goal, period, channels, cadence, offer) and the calendar it lays out."""

    class Goal(models.TextChoices):
        NEW_MENU = "new_menu", _("신메뉴·신상품 알리기")
        EVENT_SALE = "event_sale", _("이벤트·할인")
        BRING_BACK_REGULARS = "bring_back_regulars", _("단골 다시 부르기")
        AWARENESS = "awareness", _("가게 알리기")

    class Status(models.TextChoices):
        DRAFT = "draft", _("초안")
        GENERATING = "generating", _("생성 중")
        READY = "ready", _("준비 완료")
        PARTIALLY_FAILED = "partially_failed", _("일부 실패")
        FAILED = "failed", _("실패")
        ARCHIVED = "archived", _("보관됨")

    tenant_path: ClassVar[str] = "business__organization"

    business = models.ForeignKey(
        "marketing.Business",
        verbose_name=_("사업장"),
        on_delete=models.CASCADE,
        related_name="campaigns",
    )
    name = models.CharField(_("이름"), max_length=120)
    goal = models.CharField(_("목표"), max_length=30, choices=Goal.choices, default=Goal.AWARENESS)
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    channels = models.JSONField(_("채널"), default=list)
    posts_per_week = models.JSONField(_("주당 게시 수"), default=dict, blank=True)
    offer = models.CharField(_("혜택"), max_length=200, blank=True)
    status = models.CharField(
        _("상태"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    status_reason = models.TextField(_("상태 사유"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("만든 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )

    class Meta:
        verbose_name = _("캠페인")
        verbose_name_plural = _("캠페인")
        ordering = ["-starts_on", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="campaign_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.name
