"""The calendar: a week or a month of every piece across channels, coloured by state, with
the learned best times as hints; a post moved to another day or time in the shop's zone."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.channels import Channel
from content.models import ContentPiece
from marketing.models import Membership
from marketing.selectors import (
    businesses_for_user,
    has_role,
    is_client_viewer,
    scope_for_user,
    signed_in_user,
)
from owner import calendar, services
from publishing.services import SchedulingError


def _anchor(raw: str | None, today: dt.date) -> dt.date:
    """The day asked for, or today for anything unreadable or beyond the years a shop
    plans in (a month view of year 9999 would run off the calendar)."""
    try:
        day = dt.date.fromisoformat(raw) if raw else today
    except ValueError:
        return today
    return day if 2000 <= day.year <= 2100 else today


@login_required
def business_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(businesses_for_user(request.user, include_client=True), pk=pk)
    today = timezone.localtime(timezone.now(), ZoneInfo(business.time_zone)).date()
    view = "month" if request.GET.get("view") == "month" else "week"
    period = calendar.period_for(view, _anchor(request.GET.get("date"), today))
    hints = calendar.hints_for(business, list(Channel.values))
    days = calendar.days_for(business, period, hints)
    context = {
        "business": business,
        "period": period,
        "days": days,
        "weeks": [days[i : i + 7] for i in range(0, len(days), 7)],
        "weekdays": calendar.WEEKDAYS,
        "hints": hints,
        "today": today,
        "can_move": has_role(request.user, business, Membership.Role.MANAGER),
        "read_only": is_client_viewer(request.user, business),
        "empty": not any(day.entries for day in days),
    }
    upcoming = calendar.next_planned(business, period) if context["empty"] else None
    if upcoming:
        context["upcoming"] = upcoming
        weekday = calendar.WEEKDAYS[upcoming.weekday()]
        context["upcoming_label"] = f"{upcoming.month}/{upcoming.day} ({weekday})"
    return render(request, "owner/calendar.html", context)


@login_required
@require_POST
def piece_move(request: HttpRequest, pk: int) -> HttpResponse:
    pieces = scope_for_user(ContentPiece.objects.select_related("business"), request.user)
    piece = get_object_or_404(pieces, pk=pk)
    if not has_role(request.user, piece, Membership.Role.MANAGER):
        raise PermissionDenied(_("매니저 이상만 게시 일정을 바꿀 수 있어요."))
    back = request.POST.get("back", "")
    safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
    target = back if back and safe else None
    try:
        day = dt.date.fromisoformat(request.POST.get("day", ""))
        raw_time = request.POST.get("time", "")
        time = dt.time.fromisoformat(raw_time) if raw_time else None
    except ValueError:
        messages.error(request, _("날짜와 시간을 다시 골라 주세요."))
    else:
        try:
            at = services.move(piece, day=day, time=time, user=signed_in_user(request.user))
        except SchedulingError as exc:
            messages.error(request, exc.message)
        else:
            local = timezone.localtime(at, ZoneInfo(piece.business.time_zone))
            when = date_format(local, "n월 j일 (D) H:i")
            messages.success(request, _("일정을 옮겼어요: %(when)s") % {"when": when})
    default = reverse("owner:calendar", args=[piece.business_id])
    return redirect(target or default)
