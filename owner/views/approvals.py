"""The approval flow from the team's side: send a piece for review, approve it or ask
for changes with a comment, comment on a piece or a campaign, and make or close a
client's approval link (content.approvals, content.client_links)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from content import approvals, client_links
from content.models import ClientLink
from marketing.selectors import scope_for_user, signed_in_user
from owner.views.review import _base, _piece


def _done(request: HttpRequest, pk: int) -> HttpResponse:
    if request.POST.get("next") == "campaign":
        piece = _piece(request, pk)
        if piece.campaign_id:
            return redirect("campaigns:detail", pk=piece.campaign_id)
    return redirect("owner:piece_review", pk=pk)


def _step(request: HttpRequest, pk: int, step: str) -> HttpResponse:
    piece = _piece(request, pk)
    actor = signed_in_user(request.user)
    text = request.POST.get("comment", "")
    try:
        if step == "submit":
            note = approvals.submit(piece, actor=actor, comment=text, seen=_base(request))
        elif step == "approve":
            note = approvals.approve(piece, actor=actor, comment=text, seen=_base(request))
        else:
            note = approvals.request_changes(piece, actor=actor, comment=text, seen=_base(request))
    except approvals.ApprovalRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("%(step)s: 기록했어요.") % {"step": note.get_action_display()})
    return _done(request, pk)


@login_required
@require_POST
def piece_submit(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "submit")


@login_required
@require_POST
def piece_review_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@login_required
@require_POST
def piece_request_changes(request: HttpRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "changes")


@login_required
@require_POST
def piece_comment(request: HttpRequest, pk: int) -> HttpResponse:
    piece = _piece(request, pk)
    try:
        approvals.comment(
            business=piece.business,
            piece=piece,
            text=request.POST.get("comment", ""),
            author=signed_in_user(request.user),
        )
    except approvals.ApprovalRefused as exc:
        messages.error(request, exc.message)
    return _done(request, pk)


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaigns = scope_for_user(
        Campaign.objects.select_related("business__organization"), request.user
    )
    return get_object_or_404(campaigns, pk=pk)


@login_required
@require_POST
def campaign_comment(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        approvals.comment(
            business=campaign.business,
            campaign=campaign,
            text=request.POST.get("comment", ""),
            author=signed_in_user(request.user),
        )
    except approvals.ApprovalRefused as exc:
        messages.error(request, exc.message)
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def campaign_link_create(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    try:
        days = int(request.POST.get("days") or client_links.DEFAULT_DAYS)
    except ValueError:
        days = 0
    try:
        link = client_links.create_link(
            business=campaign.business,
            campaign=campaign,
            actor=signed_in_user(request.user),
            days=days,
        )
    except client_links.LinkRefused as exc:
        messages.error(request, exc.message)
    else:
        url = request.build_absolute_uri(
            reverse("owner:client_review", args=[client_links.token_for(link)])
        )
        messages.success(request, _("고객 승인 링크를 만들었어요: %(url)s") % {"url": url})
    return redirect("campaigns:detail", pk=pk)


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(
        scope_for_user(ClientLink.objects.select_related("business"), request.user), pk=pk
    )
    try:
        client_links.revoke(link, actor=signed_in_user(request.user))
    except client_links.LinkRefused as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("링크를 닫았어요. 이제 그 주소로는 열 수 없어요."))
    if link.campaign_id:
        return redirect("campaigns:detail", pk=link.campaign_id)
    return redirect("marketing:business_detail", pk=link.business_id)
