"""What an agency does to many shops at once, shared by the workspace and the admin: next
week's campaign, sending for approval, scheduling, pausing and resuming.

Each shop is done on its own (one refusal stops no other) and answers with a plain Korean
summary, the pieces left out with their reasons, and, when pieces went to the client, the
client's approval link. Rights are checked per shop against the actor's role there:
staff may generate and send for review, managers and owners also schedule and pause.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from campaigns.services import campaign_next_week
from content import approvals, client_links
from content.models import ClientLink, ContentPiece, ReviewState
from marketing.models import Business, Membership, Organization, User
from marketing.selectors import ROLE_RANK
from publishing import lifecycle
from publishing.services import schedule_business

Role = Membership.Role
NAMES_SHOWN = 3  # pieces named per reason; the rest are counted


class Action(models.TextChoices):
    NEXT_WEEK = "next_week", gettext_lazy("다음 주 만들기")
    SUBMIT = "submit", gettext_lazy("승인 요청 보내기")
    SCHEDULE = "schedule", gettext_lazy("예약하기")
    PAUSE = "pause", gettext_lazy("일시 중지")
    RESUME = "resume", gettext_lazy("다시 시작")


# The least role each action needs in the shop's organization.
NEEDS: dict[str, str] = {
    Action.NEXT_WEEK: Role.STAFF,
    Action.SUBMIT: Role.STAFF,
    Action.SCHEDULE: Role.MANAGER,
    Action.PAUSE: Role.MANAGER,
    Action.RESUME: Role.MANAGER,
}


@dataclass
class ShopResult:
    business: Business
    ok: bool
    summary: str
    details: list[str] = field(default_factory=list)
    link: ClientLink | None = None

    @property
    def link_path(self) -> str:
        """Where the client approves (the page is the owner app's), "" without a link."""
        if self.link is None:
            return ""
        return reverse("owner:client_review", args=[client_links.token_for(self.link)])


def allowed(action: str, role: str | None) -> bool:
    return role is not None and ROLE_RANK[role] >= ROLE_RANK[NEEDS[action]]


def run(action: str, businesses: Iterable[Business], *, actor: User) -> list[ShopResult]:
    """Do ``action`` to each shop the actor may do it to; the others are refused in the
    result. Raises ValueError for an unknown action."""
    if action not in NEEDS:
        raise ValueError(f"unknown shop action {action!r}")
    roles = dict(Membership.objects.filter(user=actor).values_list("organization_id", "role"))
    results = []
    for business in businesses:
        role = Role.OWNER if actor.is_superuser else roles.get(business.organization_id)
        if not allowed(action, role):
            results.append(ShopResult(business, False, _refusal(action)))
            continue
        results.append(DOERS[action](business, actor))
    return results


def _refusal(action: str) -> str:
    if NEEDS[action] == Role.MANAGER:
        return _("매니저 이상만 할 수 있어요.")
    return _("이 사업장의 구성원만 할 수 있어요.")


def _label(piece: ContentPiece) -> str:
    return f"{piece.get_channel_display()} · {piece.title or f'#{piece.pk}'}"


def grouped(skipped: Iterable[tuple[ContentPiece, str]]) -> list[str]:
    """One line per reason, naming a few of the pieces it holds back."""
    by_reason: dict[str, list[ContentPiece]] = defaultdict(list)
    for piece, reason in skipped:
        by_reason[reason].append(piece)
    lines = []
    for reason, pieces in by_reason.items():
        names = ", ".join(_label(piece) for piece in pieces[:NAMES_SHOWN])
        more = len(pieces) - NAMES_SHOWN
        if more > 0:
            names = _("%(names)s 외 %(more)s개") % {"names": names, "more": more}
        lines.append(f"{reason} ({names})")
    return lines


# --- The actions ---------------------------------------------------------------------------


def next_week(business: Business, actor: User) -> ShopResult:
    try:
        campaign = campaign_next_week(business, actor=actor)
    except ValidationError as exc:
        return ShopResult(business, False, " ".join(exc.messages))
    except PermissionDenied as exc:
        return ShopResult(business, False, str(exc))
    return ShopResult(
        business,
        True,
        _("다음 주 캠페인을 쓰기 시작했어요: %(name)s") % {"name": campaign.name},
    )


def submit(business: Business, actor: User) -> ShopResult:
    """Send the shop's written pieces not yet approved (those still ahead, or without a
    date) for review; in the client mode, one approval link for what went to the client."""
    if business.organization.approval_mode == Organization.Approval.OFF:
        return ShopResult(
            business,
            False,
            _("이 조직은 승인 절차를 쓰지 않아요. 예약하면 그 버전이 승인돼요."),
        )
    ahead = Q(planned_for__isnull=True) | Q(planned_for__gt=timezone.now())
    pieces = (
        ContentPiece.objects.filter(
            ahead,
            business=business,
            status__in=approvals.REVIEWABLE,
            review_state__in=approvals.SUBMITTABLE,
        )
        .select_related("business__organization")
        .order_by("planned_for", "pk")
    )
    outcome = approvals.submit_many(pieces, actor=actor)
    details = grouped(outcome.skipped)
    if not outcome.done:
        if details:
            return ShopResult(business, False, _("보내지 못했어요."), details)
        return ShopResult(business, True, _("보낼 글이 없어요. 모두 승인됐거나 검토 중이에요."))
    to_client = [p for p in outcome.done if p.review_state == ReviewState.CLIENT_REVIEW]
    internal = len(outcome.done) - len(to_client)
    parts = []
    if internal:
        parts.append(_("%(count)s개 글을 내부 검토에 올렸어요.") % {"count": internal})
    link = None
    if to_client:
        parts.append(_("%(count)s개 글을 고객 확인으로 보냈어요.") % {"count": len(to_client)})
        try:
            link = client_links.create_link(
                business=business,
                actor=actor,
                pieces=to_client,
                label=_("%(shop)s 승인 요청") % {"shop": business.name},
            )
        except client_links.LinkRefused as exc:
            details.append(exc.message)
    return ShopResult(business, True, " ".join(parts), details, link)


def schedule(business: Business, actor: User) -> ShopResult:
    result = schedule_business(business, user=actor)
    details = grouped(result.skipped)
    if result.scheduled:
        summary = _("%(count)s개 글을 예약했어요.") % {"count": len(result.scheduled)}
    elif details:
        summary = _("예약한 글이 없어요.")
    else:
        summary = _("예약할 글이 없어요. 앞으로 올릴 글이 모두 예약돼 있어요.")
    return ShopResult(business, bool(result.scheduled) or not details, summary, details)


def pause(business: Business, actor: User) -> ShopResult:
    if business.paused_at is not None:
        return ShopResult(business, True, _("이미 일시 중지된 사업장이에요."))
    try:
        held = lifecycle.business_pause(business, actor=actor)
    except lifecycle.LifecycleError as exc:
        return ShopResult(business, False, exc.message)
    except PermissionDenied as exc:
        return ShopResult(business, False, str(exc))
    summary = _("일시 중지했어요. 예약 %(count)s개를 멈췄어요.") % {"count": len(held.held)}
    details = []
    if held.going_out:
        details.append(
            _("이미 플랫폼에 올라가는 중인 글 %(count)s개는 그대로 게시돼요.")
            % {"count": len(held.going_out)}
        )
    return ShopResult(business, True, summary, details)


def resume(business: Business, actor: User) -> ShopResult:
    if business.paused_at is None:
        return ShopResult(
            business, True, _("일시 중지된 사업장이 아니에요. 그대로 게시하고 있어요.")
        )
    try:
        released = lifecycle.business_resume(business, actor=actor)
    except lifecycle.LifecycleError as exc:
        return ShopResult(business, False, exc.message)
    except PermissionDenied as exc:
        return ShopResult(business, False, str(exc))
    summary = _("다시 시작했어요. 멈췄던 글 %(count)s개를 다시 예약했어요.") % {
        "count": len(released.rescheduled)
    }
    return ShopResult(business, True, summary, grouped(released.not_rescheduled))


DOERS: dict[str, Callable[[Business, User], ShopResult]] = {
    Action.NEXT_WEEK: next_week,
    Action.SUBMIT: submit,
    Action.SCHEDULE: schedule,
    Action.PAUSE: pause,
    Action.RESUME: resume,
}
