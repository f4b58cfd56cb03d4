"""Numbers the owner enters for a platform with no statistics API (Naver Blog).

Such a post gets an ``owner`` Collection when it is published (``services.
start_collections``): no API is ever called for it. On the post's page the owner
enters 조회수, 공감 and 댓글 as Naver's blog statistics show them; each entry is a
``MetricSnapshot`` with source ``owner`` at that moment. The numbers are running
totals, so an entry may not be smaller than the one before. Three days after
publishing, a post with no entry yet is worth a reminder: once, by e-mail to the
business's owners and managers (the periodic ``remind-owner-metrics`` task).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from analytics import transitions
from analytics.models import Collection, MetricSnapshot
from marketing.models import Business
from publishing import notify
from publishing.models import Publication
from publishing.publishers import PUBLISHERS

logger = logging.getLogger(__name__)
State = Collection.State
FIELDS = ("views", "likes", "comments")  # 조회수, 공감, 댓글
REMIND_AFTER = dt.timedelta(days=3)
REMINDER = gettext_lazy("네이버 블로그 글의 조회수를 입력해 주세요")
BATCH = 200


class OwnerMetricsError(Exception):
    """The entry was refused; ``message`` tells the owner why, ``field`` which number."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class OwnerNumbers:
    views: int
    likes: int
    comments: int


def owner_entered(publication: Publication) -> bool:
    """Whether the owner enters this post's numbers: its platform has no statistics API."""
    publisher = PUBLISHERS.get(publication.piece.channel)
    return publisher is not None and not publisher.collects


def latest_owner_snapshot(publication: Publication) -> MetricSnapshot | None:
    return (
        MetricSnapshot.objects.filter(publication=publication, source=MetricSnapshot.Source.OWNER)
        .order_by("-collected_at", "-pk")
        .first()
    )


def needs_reminder(publication: Publication, now: dt.datetime | None = None) -> bool:
    """A published owner-entered post three days old or more with no entry yet."""
    now = now or timezone.now()
    return (
        owner_entered(publication)
        and publication.state == Publication.State.PUBLISHED
        and publication.published_at is not None
        and now - publication.published_at >= REMIND_AFTER
        and latest_owner_snapshot(publication) is None
    )


def shrunk(previous: MetricSnapshot | None, numbers: OwnerNumbers) -> dict[str, str]:
    """The fields smaller than the previous entry, each with the owner's reason."""
    if previous is None:
        return {}
    labels = {"views": _("조회수"), "likes": _("공감"), "comments": _("댓글")}
    refused = {}
    for name in FIELDS:
        before = getattr(previous, name)
        if before is not None and getattr(numbers, name) < before:
            refused[name] = _(
                "%(label)s 숫자는 지난번에 입력한 %(before)s보다 작을 수 없어요. 네이버 블로그 "
                "통계에 나오는 누적 숫자를 입력해 주세요."
            ) % {"label": labels[name], "before": f"{before:,}"}
    return refused


def record_owner_metrics(
    publication: Publication, numbers: OwnerNumbers, *, now: dt.datetime | None = None
) -> MetricSnapshot:
    """Store the owner's numbers for a published owner-entered post as a snapshot at now
    (its reminder is no longer due). Raises OwnerMetricsError when the post takes no
    owner numbers or a number is smaller than the previous entry."""
    now = now or timezone.now()
    if not owner_entered(publication):
        raise OwnerMetricsError(_("이 채널의 성과는 자동으로 모아요. 직접 입력하지 않아도 돼요."))
    if publication.state != Publication.State.PUBLISHED or publication.published_at is None:
        raise OwnerMetricsError(_("게시 완료된 글만 성과를 입력할 수 있어요."))
    with transaction.atomic():
        # One entry at a time per post: the row lock orders them, so none can shrink.
        Collection.objects.get_or_create(
            publication=publication, defaults={"state": State.OWNER, "next_collect_at": None}
        )
        Collection.objects.select_for_update().get(publication=publication)
        refused = shrunk(latest_owner_snapshot(publication), numbers)
        if refused:
            name, message = next(iter(refused.items()))
            raise OwnerMetricsError(message, field=name)
        snapshot = MetricSnapshot.objects.create(
            publication=publication,
            collected_at=now,
            source=MetricSnapshot.Source.OWNER,
            views=numbers.views,
            likes=numbers.likes,
            comments=numbers.comments,
        )
        transitions.owner_entered(publication.pk, now=now)
    return snapshot


def send_owner_reminders(now: dt.datetime | None = None) -> int:
    """E-mail each business whose owner-entered posts are three days old with no entry
    yet, once per post: the reminder is claimed (remembered) before the e-mail goes.
    Safe to run from several schedulers at once. Returns how many posts were due."""
    now = now or timezone.now()
    due = (
        Collection.objects.filter(
            state=State.OWNER, reminded_at__isnull=True, next_collect_at__lte=now
        )
        .exclude(publication__metric_snapshots__source=MetricSnapshot.Source.OWNER)
        .values_list("pk", flat=True)[:BATCH]
    )
    token = uuid.uuid4()
    if not transitions.claim_reminders(list(due), token, now=now):
        return 0
    claimed = Collection.objects.filter(claim_token=token).select_related(
        "publication__piece__business"
    )
    by_business: dict[Business, list[Publication]] = defaultdict(list)
    for collection in claimed:
        by_business[collection.publication.piece.business].append(collection.publication)
    for business, publications in by_business.items():
        _remind(business, publications)
    transitions.release_reminders(token)
    return sum(len(p) for p in by_business.values())


def _remind(business: Business, publications: list[Publication]) -> None:
    lines = [
        f"- {p.piece.title or _('네이버 블로그 글')}: "
        f"{notify.absolute(reverse('publications:detail', args=[p.pk]))}"
        for p in sorted(publications, key=lambda p: p.published_at or p.scheduled_at)
    ]
    body = _(
        "%(business)s의 네이버 블로그 글이 올라간 지 3일이 지났어요. 네이버 블로그 앱의 "
        "통계에서 글의 조회수·공감·댓글을 확인해 아래 글 화면에 입력해 주세요. 어떤 글이 "
        "잘 되는지 보고 다음 글에 반영할게요.\n\n%(posts)s"
    ) % {"business": business.name, "posts": "\n".join(lines)}
    notify.notify_owner(business, str(REMINDER), body)
