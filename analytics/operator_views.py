"""The operator page: superusers only. Anyone else signed in gets a plain 404 (the page
does not exist for them); an anonymous visitor is sent to the login page first."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from analytics.operator import LATE_AFTER, operator_report
from core.health import HEARTBEAT_STALE_AFTER


@never_cache
@require_GET
@login_required
def operator(request: HttpRequest) -> HttpResponse:
    if not request.user.is_superuser:
        raise Http404
    return render(
        request,
        "analytics/operator.html",
        {
            "report": operator_report(),
            "late_minutes": int(LATE_AFTER.total_seconds() // 60),
            "stale_minutes": int(HEARTBEAT_STALE_AFTER.total_seconds() // 60),
            "time_zone": settings.TIME_ZONE,
        },
    )
