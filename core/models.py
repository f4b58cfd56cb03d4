"""Shared plumbing: the base model and the records that show the worker is alive."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)
    updated_at = models.DateTimeField(_("고친 시각"), auto_now=True)

    class Meta:
        abstract = True


class WorkerHeartbeat(models.Model):
    """The last sign of life from each worker, with the queues it serves."""

    hostname = models.CharField(_("워커"), max_length=200, unique=True)
    pid = models.PositiveIntegerField(_("프로세스 ID"))
    queues = models.JSONField(_("처리 큐"), default=list)
    seen_at = models.DateTimeField(_("마지막 응답"))

    class Meta:
        verbose_name = _("워커 상태")
        verbose_name_plural = _("워커 상태")

    def __str__(self) -> str:
        return self.hostname


class TaskProbe(models.Model):
    """A test task sent from the web and answered by a worker: proves the queue works end to end."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    sent_at = models.DateTimeField(_("보낸 시각"), auto_now_add=True)
    sent_from_pid = models.PositiveIntegerField(_("보낸 프로세스 ID"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("보낸 사람"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
    )
    ran_at = models.DateTimeField(_("실행 시각"), null=True, blank=True)
    ran_in_pid = models.PositiveIntegerField(_("실행 프로세스 ID"), null=True, blank=True)
    ran_on_host = models.CharField(_("실행 워커"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("작업 큐 점검")
        verbose_name_plural = _("작업 큐 점검")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sent_at:%Y-%m-%d %H:%M:%S} ({self.pk})"

    @property
    def latency_ms(self) -> int | None:
        if self.ran_at is None:
            return None
        return int((self.ran_at - self.sent_at).total_seconds() * 1000)


class IdempotencyKey(models.Model):
    """The first answer to a POST sent with an ``Idempotency-Key`` header, kept for a day.

    The row is claimed before the request runs (the unique constraint lets one of two
    concurrent duplicates in); ``status`` stays empty until the answer is stored.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("사용자"), on_delete=models.CASCADE
    )
    key = models.CharField(_("키"), max_length=255)
    fingerprint = models.CharField(_("요청 지문"), max_length=64)  # sha256 of method, path, body
    status = models.PositiveSmallIntegerField(_("응답 코드"), null=True, blank=True)
    body = models.JSONField(_("응답 본문"), null=True, blank=True)
    headers = models.JSONField(_("응답 헤더"), default=dict, blank=True)
    created_at = models.DateTimeField(_("만든 시각"), auto_now_add=True)
    expires_at = models.DateTimeField(_("만료 시각"), db_index=True)

    class Meta:
        verbose_name = _("멱등 키")
        verbose_name_plural = _("멱등 키")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_once_per_user")
        ]

    def __str__(self) -> str:
        return self.key
