"""A shop's life after set-up: paused, archived (hidden, publishing stopped, data kept),
erased for good after a grace period, or deleted at once when nothing was ever made for
it.

    active ─pause→ paused ─resume→ active
    active | paused ─archive→ archived ─restore→ active | paused
    archived ─erase_request (typed name)→ archived, erase_after set ─erase_cancel→ archived
    archived, erase_after passed ─erase_due (beat)→ gone (audit entry kept)

Pausing and archiving cancel the shop's publications that have not gone out (never one
a platform already holds: those finish) and remember them in the audit entry; resuming
and restoring schedule again those whose piece is still approved and whose planned time
is still ahead, and say why each other one was not. Every step is an AuditEvent.
Managers pause, resume, archive and restore; owners erase. ``actor`` None is the system.
Each move of the business is a conditional UPDATE, so of two clicks one wins; a step the
shop has already taken is done again as nothing (idempotent, no audit entry).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import ContentPiece
from marketing import limits
from marketing.audit import Action, audit
from marketing.erasure import business_erase, has_history
from marketing.models import AuditEvent, Business, Membership, User
from marketing.selectors import has_role
from publishing import services, transitions
from publishing.models import Publication

logger = logging.getLogger(__name__)
State = Publication.State
# Waiting for their time or a retry: these are held. A platform that already holds the
# upload or container (``container_id``/``progress``) is going out: it is left to finish.
HOLDABLE = (State.SCHEDULED, State.RETRY_WAIT, State.CLAIMED)
IN_FLIGHT = (State.PUBLISHING, State.PROCESSING)
ACTIVE = Q(paused_at__isnull=True, archived_at__isnull=True)


class LifecycleError(Exception):
    """The plain reason a step cannot be taken now (already archived, wrong name…)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Held:
    """What pausing or archiving did to the shop's schedule."""

    held: list[int] = field(default_factory=list)  # canceled publications, remembered
    going_out: list[int] = field(default_factory=list)  # already on the platform's side


@dataclass
class Released:
    """What resuming or restoring scheduled again, and what it could not (with why)."""

    rescheduled: list[Publication] = field(default_factory=list)
    not_rescheduled: list[tuple[ContentPiece, str]] = field(default_factory=list)


# --- Pause and resume ----------------------------------------------------------------------


def business_pause(business: Business, *, actor: User | None) -> Held:
    """Stop publishing for the shop until it is resumed (nothing to do when it is already
    paused or archived). Raises PermissionDenied (not a manager)."""
    _require(actor, business, Membership.Role.MANAGER)
    with transaction.atomic():
        if not _move(business, ACTIVE, paused_at=timezone.now()):
            return Held()
        return _stop(
            business, actor, Action.PAUSED, _("%(name)s: 게시 일시 중지 (예약 %(count)s개 멈춤)")
        )


def business_resume(business: Business, *, actor: User | None) -> Released:
    """Publish again: the held posts still approved and still ahead are scheduled at their
    planned time (nothing to do when it is not paused). Raises PermissionDenied,
    LifecycleError (archived: it is restored first)."""
    _require(actor, business, Membership.Role.MANAGER)
    paused = Q(paused_at__isnull=False, archived_at__isnull=True)
    with transaction.atomic():
        if not _move(business, paused, paused_at=None):
            business.refresh_from_db(fields=["paused_at", "archived_at"])
            if business.archived_at is not None:
                raise LifecycleError(_("보관한 사업장이에요. 보관함에서 먼저 꺼내 주세요."))
            return Released()
        released = _release(business, actor)
        _audit_released(business, Action.RESUMED, _("게시 다시 시작"), released, actor)
    return released


# --- Archive and restore -------------------------------------------------------------------


def business_archive(business: Business, *, actor: User | None) -> Held:
    """Hide the shop and stop its publishing; every row is kept, and it can be restored
    (nothing to do when it is already archived). Raises PermissionDenied."""
    _require(actor, business, Membership.Role.MANAGER)
    with transaction.atomic():
        return _archive(business, actor)


def _archive(business: Business, actor: User | None, now: dt.datetime | None = None) -> Held:
    if not _move(business, Q(archived_at__isnull=True), archived_at=now or timezone.now()):
        return Held()
    return _stop(
        business, actor, Action.ARCHIVED, _("%(name)s: 보관함으로 옮김 (예약 %(count)s개 멈춤)")
    )


def _stop(business: Business, actor: User | None, action: str, summary: str) -> Held:
    """Hold the shop's posts and record why (``summary`` names the shop and the count)."""
    held = _hold(business)
    audit(
        business.organization_id,
        action,
        summary % {"name": business.name, "count": len(held.held)},
        actor=actor,
        business=business,
        held=held.held,
        going_out=held.going_out,
    )
    return held


def business_restore(business: Business, *, actor: User | None) -> Released:
    """Bring an archived shop back (a pending erase is called off). Unless it was also
    paused, its held posts are scheduled again as on resuming (nothing to do when it is
    not archived). Raises PermissionDenied, LimitReached (the plan has no room for
    another shop: archived ones do not count)."""
    _require(actor, business, Membership.Role.MANAGER)
    archived = Q(archived_at__isnull=False)
    with transaction.atomic():
        organization = limits.locked_organization(business.organization_id)
        if Business.objects.filter(archived, pk=business.pk).exists():
            limits.check_business_room(organization)
        if not _move(business, archived, archived_at=None, erase_after=None):
            return Released()
        business.refresh_from_db(fields=["paused_at"])
        released = Released() if business.paused_at else _release(business, actor)
        _audit_released(business, Action.RESTORED, _("보관함에서 꺼냄"), released, actor)
    return released


# --- Delete and erase ---------------------------------------------------------------------


def business_delete(business: Business, *, actor: User | None) -> Held | None:
    """What "delete" means: a shop with history (a campaign or a piece) is archived and
    the Held is returned; one without is erased at once (None). Raises PermissionDenied
    (not a manager)."""
    _require(actor, business, Membership.Role.MANAGER)
    with transaction.atomic():
        locked = Business.objects.select_for_update().get(pk=business.pk)
        if has_history(locked):
            return _archive(business, actor)
        business_erase(locked, actor=actor, why=_("기록이 없어 바로 삭제"))
    return None


def business_erase_request(
    business: Business, *, actor: User | None, confirm_name: str
) -> dt.datetime:
    """Erase the shop for good after BUSINESS_ERASE_GRACE_DAYS, archiving it now if it is
    not yet. ``confirm_name`` must be the shop's name as it is. Returns when it will be
    erased (the date already set, when it was requested before). Raises PermissionDenied
    (not an owner), LifecycleError (the name does not match)."""
    _require(actor, business, Membership.Role.OWNER)
    if confirm_name.strip() != business.name.strip():
        raise LifecycleError(
            _("사업장 이름이 맞지 않아요. ‘%(name)s’을(를) 그대로 입력해 주세요.")
            % {"name": business.name}
        )
    now = timezone.now()
    erase_after = now + dt.timedelta(days=settings.BUSINESS_ERASE_GRACE_DAYS)
    with transaction.atomic():
        if business.archived_at is None:
            _archive(business, actor, now)
        if not _move(business, Q(erase_after__isnull=True), erase_after=erase_after):
            business.refresh_from_db(fields=["erase_after"])
            return business.erase_after or erase_after
        audit(
            business.organization_id,
            Action.ERASE_REQUESTED,
            _("%(name)s: %(days)s일 뒤 완전 삭제 예약")
            % {"name": business.name, "days": settings.BUSINESS_ERASE_GRACE_DAYS},
            actor=actor,
            business=business,
            erase_after=erase_after.isoformat(),
        )
    return erase_after


def business_erase_cancel(business: Business, *, actor: User | None) -> None:
    """Call off a requested erase; the shop stays archived (nothing to do when no erase
    was requested). Raises PermissionDenied (not an owner)."""
    _require(actor, business, Membership.Role.OWNER)
    with transaction.atomic():
        if not _move(business, Q(erase_after__isnull=False), erase_after=None):
            return
        audit(
            business.organization_id,
            Action.ERASE_CANCELED,
            _("%(name)s: 완전 삭제 취소") % {"name": business.name},
            actor=actor,
            business=business,
        )


def erase_due(now: dt.datetime | None = None) -> int:
    """The beat task: erase every archived shop whose grace period is over. A shop with a
    post still going out waits for the next run. Returns how many were erased."""
    now = now or timezone.now()
    due = Q(archived_at__isnull=False, erase_after__lte=now)
    erased = 0
    for business_id in Business.objects.filter(due).values_list("pk", flat=True):
        with transaction.atomic():
            # Again under the row lock: an erase canceled meanwhile keeps the shop.
            business = Business.objects.select_for_update().filter(due, pk=business_id).first()
            if business is None:
                continue
            if Publication.objects.filter(piece__business=business, state__in=IN_FLIGHT).exists():
                logger.info("business %s has a post going out: erased on a later run", business_id)
                continue
            business_erase(business, actor=None, why=_("삭제 예약 기간이 지남"))
        erased += 1
    return erased


# --- Holding and releasing the schedule -------------------------------------------------------


def _hold(business: Business) -> Held:
    held = Held()
    live = Publication.objects.filter(
        piece__business=business, state__in=(*HOLDABLE, *IN_FLIGHT)
    ).order_by("scheduled_at", "pk")
    for publication in live.only("pk", "state", "container_id", "progress"):
        started = publication.container_id or publication.progress
        if publication.state in IN_FLIGHT or started or not transitions.cancel(publication.pk):
            held.going_out.append(publication.pk)
        else:
            held.held.append(publication.pk)
    return held


def _held_since_release(business: Business) -> list[int]:
    """The publications held by every pause and archive since the schedule was last
    released, newest first."""
    held: list[int] = []
    steps = AuditEvent.objects.filter(
        business=business,
        action__in=(Action.PAUSED, Action.ARCHIVED, Action.RESUMED, Action.RESTORED),
    ).order_by("-created_at", "-pk")
    for step in steps.only("action", "detail"):
        if step.detail.get("released"):
            break
        held += [int(pk) for pk in step.detail.get("held", [])]
    return held


def _release(business: Business, actor: User | None) -> Released:
    released = Released()
    now = timezone.now()
    held = (
        Publication.objects.filter(pk__in=_held_since_release(business), state=State.CANCELED)
        .select_related("piece__business__organization", "channel_account")
        .order_by("scheduled_at", "pk")
    )
    for publication in held:
        piece = publication.piece
        if piece.publications.live().exists():
            continue  # scheduled again meanwhile, by hand
        reason = _not_again(piece, now)
        if reason is None:
            account = publication.channel_account
            try:
                released.rescheduled.append(
                    services.schedule_piece(
                        piece,
                        piece.planned_for,  # type: ignore[arg-type]  # checked by _not_again
                        account=account if account is not None and account.usable else None,
                        user=actor,
                    )
                )
                continue
            except services.SchedulingError as exc:
                reason = exc.message
        released.not_rescheduled.append((piece, reason))
    return released


def _not_again(piece: ContentPiece, now: dt.datetime) -> str | None:
    if piece.status == ContentPiece.Status.PUBLISHED:
        return _("이미 게시된 글이에요.")
    if piece.status != ContentPiece.Status.APPROVED:
        return _("멈춘 동안 글이 바뀌었어요. 검토한 뒤 다시 예약해 주세요.")
    if piece.planned_for is None or piece.planned_for <= now:
        return _("예약 시각이 지났어요. 새 시각을 골라 다시 예약해 주세요.")
    return None


def _audit_released(
    business: Business, action: str, step: str, released: Released, actor: User | None
) -> None:
    business.refresh_from_db(fields=["paused_at", "archived_at"])
    audit(
        business.organization_id,
        action,
        _("%(name)s: %(step)s (다시 예약 %(done)s개, 못 함 %(failed)s개)")
        % {
            "name": business.name,
            "step": step,
            "done": len(released.rescheduled),
            "failed": len(released.not_rescheduled),
        },
        actor=actor,
        business=business,
        # Released: later resumes start from here; a restore of a paused shop is not.
        released=business.paused_at is None and business.archived_at is None,
        rescheduled=[p.pk for p in released.rescheduled],
        not_rescheduled=[{"piece": p.pk, "reason": r} for p, r in released.not_rescheduled],
    )


# --- Helpers --------------------------------------------------------------------------------


def _require(actor: User | None, business: Business, role: str) -> None:
    if actor is None or has_role(actor, business, role):
        return
    if role == Membership.Role.OWNER:
        raise PermissionDenied(_("사업장 완전 삭제는 소유자만 할 수 있어요."))
    raise PermissionDenied(_("매니저 이상만 사업장을 멈추거나 보관할 수 있어요."))


def _move(business: Business, allowed: Q, **changes: Any) -> bool:
    """The one conditional UPDATE of a business's lifecycle fields; the instance follows."""
    changes["updated_at"] = timezone.now()
    moved = bool(Business.objects.filter(allowed, pk=business.pk).update(**changes))
    if moved:
        for name, value in changes.items():
            setattr(business, name, value)
    return moved
