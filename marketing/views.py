"""The owner's pages. Every lookup goes through the tenancy selectors."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_errors
from marketing import services
from marketing.forms import BusinessForm
from marketing.market import market_context_for
from marketing.models import Business, Membership
from marketing.quota import pieces_used_this_month
from marketing.selectors import (
    businesses_for_user,
    has_role,
    organizations_for_user,
    signed_in_user,
)

OWNER = Membership.Role.OWNER


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("marketing:dashboard")
    return render(request, "marketing/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    businesses = businesses_for_user(request.user).order_by("organization__name", "name")
    archived = businesses_for_user(request.user, archived=True).count()
    if not businesses.exists() and not archived:
        # A client viewer opens their shop's results; a new owner goes into the wizard.
        viewed = businesses_for_user(request.user, include_client=True).order_by("pk").first()
        if viewed is not None:
            return redirect("analytics:results", pk=viewed.pk)
        return redirect("owner:start")
    unfinished = [b for b in businesses if b.setup_step != Business.SetupStep.DONE]
    context = {
        "businesses": businesses,
        "unfinished": unfinished,
        "archived_count": archived,
        "owns_organization": organizations_for_user(request.user, min_role=OWNER).exists(),
    }
    return render(request, "marketing/dashboard.html", context)


@login_required
def business_detail(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(
        businesses_for_user(request.user).select_related("organization__plan"), pk=pk
    )
    organization = business.organization
    context = {
        "business": business,
        "products": business.products.filter(is_active=True),
        "campaigns": business.campaigns.order_by("-starts_on", "-created_at")[:10],
        "market": market_context_for(business, fetch=False),  # stored only: no network here
        # The shop's settings at the foot of the page: pause, archive (managers), erase (owners).
        "can_manage": has_role(request.user, business, Membership.Role.MANAGER),
        "can_erase": has_role(request.user, business, Membership.Role.OWNER),
        "grace_days": settings.BUSINESS_ERASE_GRACE_DAYS,
        "usage": {
            "used": pieces_used_this_month(organization),
            "quota": organization.plan.monthly_piece_quota if organization.plan else None,
            "plan": organization.plan.name if organization.plan else "",
        },
    }
    return render(request, "marketing/business_detail.html", context)


@login_required
def business_create(request: HttpRequest) -> HttpResponse:
    form = BusinessForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "organization"}
        try:
            business = services.business_create(
                organization=form.cleaned_data["organization"],
                actor=signed_in_user(request.user),
                **fields,
            )
        except ValidationError as exc:  # the plan's limit among them (LimitReached)
            add_errors(form, exc)
        else:
            messages.success(request, _("사업장을 추가했습니다."))
            return redirect("marketing:business_detail", pk=business.pk)
    return render(request, "marketing/business_form.html", {"form": form, "creating": True})


@login_required
def business_edit(request: HttpRequest, pk: int) -> HttpResponse:
    # Every member of the organization may edit its businesses; others get a 404.
    business = get_object_or_404(businesses_for_user(request.user), pk=pk)
    form = BusinessForm(
        request.POST or None, request.FILES or None, instance=business, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("저장했습니다."))
        return redirect("marketing:business_detail", pk=business.pk)
    return render(
        request,
        "marketing/business_form.html",
        {"form": form, "business": business, "creating": False},
    )


@login_required
@require_POST
def market_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    """Look at the neighbourhood again, in the background (SEMAS can be slow)."""
    business = get_object_or_404(businesses_for_user(request.user), pk=pk)
    services.market_context_refresh(business=business)
    messages.info(request, _("주변 상권을 살펴보고 있어요. 잠시 후 새로 고쳐 보세요."))
    return redirect("marketing:business_detail", pk=business.pk)
