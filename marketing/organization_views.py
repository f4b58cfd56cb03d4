"""An organization's own pages: its plan with what is used of each limit (every member),
and its activity log (owners; operators read it in the admin).

Which organization: ``?org=<id>``, else the first the person may open the page for.
Another organization's id is a 404; one where the person's role is too low, a 403.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from marketing.audit import audit
from marketing.limits import usage_for
from marketing.models import AuditEvent, Business, Membership, Organization, Plan
from marketing.selectors import organizations_for_user, signed_in_user

AUDIT_PAGE_SIZE = 50


def _organization(request: HttpRequest, *, min_role: str) -> Organization:
    """The organization the page is about, where the person holds ``min_role``."""
    allowed = organizations_for_user(request.user, min_role=min_role).select_related("plan")
    wanted = request.GET.get("org", "")
    if wanted:
        if not wanted.isdigit():
            raise Http404
        found = allowed.filter(pk=int(wanted)).first()
        member = organizations_for_user(request.user).filter(pk=int(wanted)).exists()
    else:
        found = allowed.order_by("name", "pk").first()
        member = organizations_for_user(request.user).exists()
    if found is not None:
        return found
    if member:
        raise PermissionDenied(_("조직의 소유자만 볼 수 있어요."))
    raise Http404


def _choices(request: HttpRequest, *, min_role: str) -> list[Organization]:
    """The other organizations the person could switch the page to."""
    return list(organizations_for_user(request.user, min_role=min_role).order_by("name", "pk"))


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    """The plan and its limits, each with what is used: pieces this month, shops, seats,
    and connected channels per shop."""
    organization = _organization(request, min_role=Membership.Role.STAFF)
    context = {
        "organization": organization,
        "organizations": _choices(request, min_role=Membership.Role.STAFF),
        "usage": usage_for(organization),
        "plans": Plan.objects.order_by("price_krw", "pk"),
        "approval_modes": Organization.Approval.choices,
        "is_owner": organizations_for_user(request.user, min_role=Membership.Role.OWNER)
        .filter(pk=organization.pk)
        .exists(),
    }
    return render(request, "marketing/plan.html", context)


@dataclass(frozen=True)
class AuditRow:
    event: AuditEvent
    at: str  # on the shop's clock, or the organization's (settings.TIME_ZONE)
    who: str


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    """Who did what, newest first, by shop and by action, fifty to a page."""
    organization = _organization(request, min_role=Membership.Role.OWNER)
    shops = Business.objects.filter(organization=organization).order_by("name", "pk")
    events = AuditEvent.objects.filter(organization=organization).select_related(
        "actor", "business"
    )
    shop, action = request.GET.get("business", ""), request.GET.get("action", "")
    if shop.isdigit():
        events = events.filter(business_id=int(shop))
    if action in AuditEvent.Action.values:
        events = events.filter(action=action)
    page = Paginator(events.order_by("-created_at", "-pk"), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = {key: value for key, value in request.GET.items() if key != "page" and value}
    context = {
        "organization": organization,
        "organizations": _choices(request, min_role=Membership.Role.OWNER),
        "shops": shops,
        "actions": AuditEvent.Action.choices,
        "chosen": {"business": shop, "action": action},
        "page": page,
        "rows": [_row(event) for event in page],
        "query": urlencode(kept),
        "zone": settings.TIME_ZONE,
    }
    return render(request, "marketing/audit.html", context)


def _row(event: AuditEvent) -> AuditRow:
    zone = event.business.time_zone if event.business else settings.TIME_ZONE
    return AuditRow(
        event=event,
        at=_local(event.created_at, zone),
        who=str(event.actor or event.actor_name or _("시스템")),
    )


def _local(moment: dt.datetime, zone: str) -> str:
    return f"{timezone.localtime(moment, ZoneInfo(zone)):%Y-%m-%d %H:%M}"


@login_required
@require_POST
def approval_mode(request: HttpRequest) -> HttpResponse:
    """The owner chooses the organization's approval flow (content.approvals)."""
    organization = _organization(request, min_role=Membership.Role.OWNER)
    mode = request.POST.get("approval_mode", "")
    if mode not in Organization.Approval.values:
        messages.error(request, _("승인 절차를 골라 주세요."))
    elif mode != organization.approval_mode:
        before = organization.get_approval_mode_display()
        Organization.objects.filter(pk=organization.pk).update(approval_mode=mode)
        organization.approval_mode = mode
        after = organization.get_approval_mode_display()
        audit(
            organization.pk,
            AuditEvent.Action.SETTINGS_CHANGED,
            _("승인 절차를 바꿨어요: %(before)s → %(after)s") % {"before": before, "after": after},
            actor=signed_in_user(request.user),
            setting="approval_mode",
        )
        messages.success(request, _("승인 절차를 바꿨어요: %(after)s") % {"after": after})
    return redirect(f"{reverse('marketing:plan')}?{urlencode({'org': organization.pk})}")
