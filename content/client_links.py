"""Client approval links: a signed, expiring, revocable address a client opens without
an account to approve pieces or ask for changes (content.approvals does the steps).

The address carries the link's key signed with the site's secret (``django.core.signing``),
so a guessed or altered address is refused before the database is asked; the row says
whether the link still holds (its expiry, whether it was revoked). A link covers a whole
campaign (pieces added later included) or a batch of pieces sent together.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core import signing
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from campaigns.models import Campaign
from content.models import ClientLink, ContentPiece
from marketing.audit import Action, audit
from marketing.models import Business, Membership, User
from marketing.selectors import has_role

SALT = "gagecast.client-link"
DEFAULT_DAYS = 14
MAX_DAYS = 90
# A client sees what was written; pieces still being written or failed are not shown.
SHOWN = (ContentPiece.Status.READY, ContentPiece.Status.APPROVED, ContentPiece.Status.PUBLISHED)


class LinkRefused(Exception):
    """The plain reason a link cannot be made or opened; ``forbidden`` when the person's
    role may not make or close links."""

    def __init__(self, message: str, *, forbidden: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.forbidden = forbidden


def token_for(link: ClientLink) -> str:
    return signing.dumps(link.key.hex, salt=SALT, compress=False)


@transaction.atomic
def create_link(
    *,
    business: Business,
    actor: User | None,
    pieces: list[ContentPiece] | QuerySet[ContentPiece] | None = None,
    campaign: Campaign | None = None,
    days: int = DEFAULT_DAYS,
    label: str = "",
) -> ClientLink:
    """A link for ``campaign`` or for the batch ``pieces`` of ``business``, valid for
    ``days``. Raises LinkRefused (not a manager, pieces of another shop, nothing to show)."""
    if actor is not None and not has_role(actor, business, Membership.Role.MANAGER):
        raise LinkRefused(_("매니저 이상만 고객 승인 링크를 만들 수 있어요."), forbidden=True)
    if not 1 <= days <= MAX_DAYS:
        raise LinkRefused(_("링크는 1일에서 %(max)s일까지 열어 둘 수 있어요.") % {"max": MAX_DAYS})
    if campaign is not None and campaign.business_id != business.pk:
        raise LinkRefused(_("이 사업장의 캠페인이 아니에요."))
    batch = list(pieces or [])
    if any(piece.business_id != business.pk for piece in batch):
        raise LinkRefused(_("다른 사업장의 글은 이 링크에 넣을 수 없어요."))
    if campaign is None and not batch:
        raise LinkRefused(_("고객에게 보여 줄 글이 없어요."))
    link = ClientLink.objects.create(
        business=business,
        campaign=campaign,
        key=uuid.uuid4(),
        label=label.strip()[:120] or (campaign.name if campaign else business.name),
        expires_at=timezone.now() + dt.timedelta(days=days),
        created_by=actor,
    )
    if batch:
        link.pieces.set(batch)
    audit(
        business.organization_id,
        Action.CLIENT_LINK,
        _("고객 승인 링크를 만들었어요: %(label)s (%(days)s일)")
        % {"label": link.label, "days": days},
        actor=actor,
        business=business,
        link=link.pk,
    )
    return link


def open_link(token: str, *, now: dt.datetime | None = None) -> ClientLink:
    """The link behind ``token``, if it still holds. Raises LinkRefused with the reason."""
    try:
        key = uuid.UUID(hex=signing.loads(token, salt=SALT))
    except (signing.BadSignature, ValueError, TypeError):
        raise LinkRefused(_("올바른 링크가 아니에요. 받은 주소를 그대로 열어 주세요.")) from None
    link = (
        ClientLink.objects.select_related("business__organization", "campaign")
        .filter(key=key)
        .first()
    )
    if link is None or link.business.archived_at is not None:
        raise LinkRefused(_("더 이상 쓸 수 없는 링크예요. 담당자에게 새 링크를 요청해 주세요."))
    if link.revoked_at is not None:
        raise LinkRefused(_("담당자가 이 링크를 닫았어요. 새 링크를 요청해 주세요."))
    if link.expires_at <= (now or timezone.now()):
        raise LinkRefused(_("링크의 사용 기간이 지났어요. 담당자에게 새 링크를 요청해 주세요."))
    return link


def pieces_of(link: ClientLink) -> QuerySet[ContentPiece]:
    """What the client sees: the campaign's written pieces, or the batch's."""
    pieces = (
        ContentPiece.objects.filter(campaign=link.campaign)
        if link.campaign_id
        else link.pieces.all()
    )
    return (
        pieces.filter(status__in=SHOWN)
        .select_related("business", "campaign", "photo")
        .order_by("planned_for", "pk")
    )


def piece_of(link: ClientLink, piece_id: int) -> ContentPiece:
    piece = pieces_of(link).filter(pk=piece_id).first()
    if piece is None:
        raise LinkRefused(_("이 링크에 없는 글이에요."))
    return piece


def mark_opened(link: ClientLink) -> None:
    ClientLink.objects.filter(pk=link.pk).update(last_opened_at=timezone.now())


def revoke(link: ClientLink, *, actor: User | None) -> bool:
    """Close the link at once; False when it was already closed."""
    if actor is not None and not has_role(actor, link.business, Membership.Role.MANAGER):
        raise LinkRefused(_("매니저 이상만 링크를 닫을 수 있어요."), forbidden=True)
    closed = (
        ClientLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        == 1
    )
    if closed:
        audit(
            link.business.organization_id,
            Action.CLIENT_LINK,
            _("고객 승인 링크를 닫았어요: %(label)s") % {"label": link.label},
            actor=actor,
            business=link.business,
            link=link.pk,
        )
    return closed
