"""What needs the owner now, each with the one screen that fixes it: a Naver Blog post
to paste, an account to reconnect, a post that failed, a week waiting for review.

The same things are emailed as they happen (publishing.notify); this is the list and the
badge that stay until they are dealt with. A fixed number of queries per page, whatever
the number of shops.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from content.models import ContentPiece
from marketing.models import User
from marketing.selectors import businesses_for_user
from publishing.models import ChannelAccount, Publication

LIMIT = 50


@dataclass(frozen=True)
class Notice:
    kind: str  # "paste" | "reconnect" | "failed" | "review"
    text: str
    business: str
    url: str


def _publications(user: User) -> list[Publication]:
    waiting = Q(state=Publication.State.NEEDS_ACTION) | Q(state=Publication.State.FAILED)
    return list(
        Publication.objects.filter(waiting, piece__business__in=businesses_for_user(user))
        .select_related("piece__business")
        .order_by("scheduled_at")[:LIMIT]
    )


def _accounts(user: User) -> list[ChannelAccount]:
    return list(
        ChannelAccount.objects.filter(
            state=ChannelAccount.State.NEEDS_REAUTH, business__in=businesses_for_user(user)
        ).select_related("business")[:LIMIT]
    )


def _reviews(user: User) -> list[Campaign]:
    ready = Count("pieces", filter=Q(pieces__status=ContentPiece.Status.READY))
    return list(
        Campaign.objects.filter(business__in=businesses_for_user(user))
        .annotate(ready=ready)
        .filter(ready__gt=0)
        .select_related("business")
        .order_by("starts_on")[:LIMIT]
    )


def _single_posts(user: User) -> list[ContentPiece]:
    """오늘 뭐 올리지? posts written and waiting for review (they have no campaign)."""
    return list(
        ContentPiece.objects.filter(
            business__in=businesses_for_user(user),
            campaign__isnull=True,
            status=ContentPiece.Status.READY,
        ).select_related("business")[:LIMIT]
    )


def needs_you(user: User) -> list[Notice]:
    notices = []
    for account in _accounts(user):
        notices.append(
            Notice(
                "reconnect",
                _("%(platform)s 계정 연결이 끊겼어요. 다시 연결해 주세요.")
                % {"platform": account.get_platform_display()},
                account.business.name,
                reverse("publishing:channels", args=[account.business_id]),
            )
        )
    for publication in _publications(user):
        business = publication.piece.business.name
        if publication.state == Publication.State.NEEDS_ACTION:
            notices.append(
                Notice(
                    "paste",
                    _("네이버 블로그에 올릴 글이 준비됐어요. 복사해서 붙여 넣어 주세요."),
                    business,
                    reverse("publications:assisted", args=[publication.pk]),
                )
            )
        else:
            notices.append(
                Notice(
                    "failed",
                    _("게시하지 못한 글이 있어요: %(title)s") % {"title": publication.piece.title},
                    business,
                    reverse("publications:detail", args=[publication.pk]),
                )
            )
    for piece in _single_posts(user):
        notices.append(
            Notice(
                "review",
                _("검토를 기다리는 글이 있어요: %(title)s") % {"title": piece.title},
                piece.business.name,
                reverse("owner:piece_review", args=[piece.pk]),
            )
        )
    for campaign in _reviews(user):
        notices.append(
            Notice(
                "review",
                _("검토를 기다리는 글이 %(count)s개 있어요.") % {"count": campaign.ready},  # type: ignore[attr-defined]
                campaign.business.name,
                reverse("campaigns:detail", args=[campaign.pk]),
            )
        )
    return notices


def count_for(user: User) -> int:
    """The badge: how many things wait for this person (four counting queries)."""
    businesses = businesses_for_user(user)
    waiting = Q(state=Publication.State.NEEDS_ACTION) | Q(state=Publication.State.FAILED)
    return (
        Publication.objects.filter(waiting, piece__business__in=businesses).count()
        + ChannelAccount.objects.filter(
            state=ChannelAccount.State.NEEDS_REAUTH, business__in=businesses
        ).count()
        + Campaign.objects.filter(business__in=businesses, pieces__status=ContentPiece.Status.READY)
        .distinct()
        .count()
        + ContentPiece.objects.filter(
            business__in=businesses, campaign__isnull=True, status=ContentPiece.Status.READY
        ).count()
    )
