"""A shop's settings at the foot of its page: pause and resume publishing, archive it
(hidden, publishing stopped, everything kept), and erase it for good after a grace period
(the typed name, cancelable); and the archive, where archived shops are found and
restored. The rules and the audit entries are publishing.lifecycle's."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketing.limits import LimitReached
from marketing.models import Business, Membership
from marketing.selectors import ROLE_RANK, businesses_for_user, signed_in_user
from publishing import lifecycle

Role = Membership.Role


def _business(request: HttpRequest, pk: int, *, archived: bool | None = False) -> Business:
    return get_object_or_404(businesses_for_user(request.user, archived=archived), pk=pk)


def _step(request: HttpRequest, step: Callable[[], str | None]) -> bool:
    """Run a lifecycle step, telling the owner what happened or why not; whether it ran."""
    try:
        done = step()
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    except LimitReached as exc:
        messages.error(request, exc.reason)
    except lifecycle.LifecycleError as exc:
        messages.error(request, exc.message)
    else:
        if done:
            messages.success(request, done)
        return True
    return False


def _released(released: lifecycle.Released, done: str) -> str:
    parts = [done]
    if released.rescheduled:
        parts.append(
            _("멈춰 두었던 글 %(count)s개를 예약 시각에 맞춰 다시 예약했어요.")
            % {"count": len(released.rescheduled)}
        )
    for piece, reason in released.not_rescheduled:
        parts.append(f"{piece.get_channel_display()} · {piece.title or f'#{piece.pk}'}: {reason}")
    return " ".join(parts)


@login_required
@require_POST
def business_pause(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    actor = signed_in_user(request.user)

    def pause() -> str:
        held = lifecycle.business_pause(business, actor=actor)
        return _("게시를 멈췄어요. 예약 %(count)s개를 멈춰 두었다가 다시 시작하면 올려요.") % {
            "count": len(held.held)
        }

    _step(request, pause)
    return redirect("marketing:business_detail", pk=business.pk)


@login_required
@require_POST
def business_resume(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    actor = signed_in_user(request.user)

    def resume() -> str:
        released = lifecycle.business_resume(business, actor=actor)
        return _released(released, _("게시를 다시 시작했어요."))

    _step(request, resume)
    return redirect("marketing:business_detail", pk=business.pk)


@login_required
@require_POST
def business_archive(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    actor = signed_in_user(request.user)

    def archive() -> str:
        lifecycle.business_archive(business, actor=actor)
        return _("%(name)s을(를) 보관함으로 옮겼어요. 언제든 여기서 다시 꺼낼 수 있어요.") % {
            "name": business.name
        }

    if _step(request, archive):
        return redirect("owner:archive")
    return redirect("marketing:business_detail", pk=business.pk)


@login_required
@require_POST
def business_restore(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk, archived=True)
    actor = signed_in_user(request.user)

    def restore() -> str:
        released = lifecycle.business_restore(business, actor=actor)
        return _released(released, _("보관함에서 꺼냈어요."))

    if _step(request, restore):
        return redirect("marketing:business_detail", pk=business.pk)
    return redirect("owner:archive")


@login_required
@require_POST
def business_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """The typed name, then the shop waits in the archive until its erase date."""
    business = _business(request, pk, archived=None)
    actor = signed_in_user(request.user)
    was_archived = business.archived_at is not None

    def erase() -> str:
        when = lifecycle.business_erase_request(
            business, actor=actor, confirm_name=request.POST.get("confirm", "")
        )
        return _(
            "%(name)s을(를) %(date)s에 완전히 지워요. 그 전까지는 보관함에서 취소할 수 있어요."
        ) % {"name": business.name, "date": _local(when, business)}

    if _step(request, erase) or was_archived:
        return redirect("owner:archive")
    return redirect("marketing:business_detail", pk=business.pk)


@login_required
@require_POST
def business_erase_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk, archived=True)
    actor = signed_in_user(request.user)

    def call_off() -> str:
        lifecycle.business_erase_cancel(business, actor=actor)
        return _("%(name)s의 완전 삭제를 취소했어요. 보관함에 그대로 있어요.") % {
            "name": business.name
        }

    _step(request, call_off)
    return redirect("owner:archive")


@dataclass(frozen=True)
class ArchivedShop:
    business: Business
    archived_on: str
    erase_on: str  # "" when no erase is planned
    can_restore: bool
    can_erase: bool


@login_required
def archive(request: HttpRequest) -> HttpResponse:
    """The archived shops the person works on, each with what they may do to it."""
    user = signed_in_user(request.user)
    roles = dict(Membership.objects.filter(user=user).values_list("organization_id", "role"))
    shops = []
    for business in businesses_for_user(user, archived=True).order_by("-archived_at", "pk"):
        role = Role.OWNER if user.is_superuser else roles.get(business.organization_id)
        rank = ROLE_RANK.get(role or "", 0)
        assert business.archived_at is not None  # the archive lists archived shops
        shops.append(
            ArchivedShop(
                business=business,
                archived_on=_local(business.archived_at, business),
                erase_on=_local(business.erase_after, business) if business.erase_after else "",
                can_restore=rank >= ROLE_RANK[Role.MANAGER],
                can_erase=rank >= ROLE_RANK[Role.OWNER],
            )
        )
    context = {"shops": shops, "grace_days": settings.BUSINESS_ERASE_GRACE_DAYS}
    return render(request, "owner/archive.html", context)


def _local(moment: dt.datetime, business: Business) -> str:
    """A moment on the shop's own clock, as the owner reads it."""
    local = timezone.localtime(moment, ZoneInfo(business.time_zone))
    return f"{local:%Y-%m-%d %H:%M}"
