"""The needs-you list: everything waiting for the owner, each linking to its fix."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from marketing.selectors import signed_in_user
from owner.notices import needs_you


@login_required
def notices(request: HttpRequest) -> HttpResponse:
    items = needs_you(signed_in_user(request.user))
    return render(request, "owner/notices.html", {"notices": items})
