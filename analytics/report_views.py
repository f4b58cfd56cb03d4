"""The weekly reports' pages: the past reports of a business with the e-mail switch, one
report as it was sent, and its PDF. Any member of the organization may read them; the
owner and managers decide whether the e-mail goes out."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.models import WeeklyReport
from analytics.reports import SEND_HOUR
from marketing.models import Business, Membership
from marketing.selectors import businesses_for_user, has_role


def _business(request: HttpRequest, pk: int) -> Business:
    return get_object_or_404(businesses_for_user(request.user), pk=pk)


@login_required
def reports(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    context = {
        "business": business,
        "reports": business.weekly_reports.filter(sent_at__isnull=False).defer("html"),
        "can_switch": has_role(request.user, business, Membership.Role.MANAGER),
        "send_hour": SEND_HOUR,
    }
    return render(request, "analytics/reports.html", context)


@login_required
def report(request: HttpRequest, pk: int, week: str) -> HttpResponse:
    business = _business(request, pk)
    row = get_object_or_404(WeeklyReport, business=business, week=week, sent_at__isnull=False)
    return render(request, "analytics/report.html", {"business": business, "report": row})


@login_required
def report_pdf(request: HttpRequest, pk: int, week: str) -> FileResponse:
    business = _business(request, pk)
    row = get_object_or_404(WeeklyReport, business=business, week=week, sent_at__isnull=False)
    if not row.pdf:
        raise Http404
    return FileResponse(
        row.pdf.open("rb"), filename=f"gagecast-{row.week}.pdf", content_type="application/pdf"
    )


@login_required
@require_POST
def report_switch(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    if not has_role(request.user, business, Membership.Role.MANAGER):
        messages.error(request, _("주간 리포트 메일은 사장님이나 매니저만 켜고 끌 수 있어요."))
        return redirect("analytics:reports", pk=pk)
    wanted = request.POST.get("weekly_report") == "on"
    Business.objects.filter(pk=business.pk).update(weekly_report=wanted)
    messages.success(
        request,
        _("주간 리포트 메일을 켰어요. 매주 월요일 오전 9시에 보내 드려요.")
        if wanted
        else _("주간 리포트 메일을 껐어요. 리포트는 이 화면에서 계속 볼 수 있어요."),
    )
    return redirect("analytics:reports", pk=pk)
