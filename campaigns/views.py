"""The owner's campaign pages: brief in, pieces out, each with its status and reason; and
what the learning loop has learned for a business, channel by channel ("배운 점")."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from analytics.selectors import LEARNED_TIMES_AFTER, enabled, learned_for
from campaigns.forms import CampaignBriefForm
from campaigns.models import Campaign
from campaigns.services import campaign_create, campaign_retry_failed
from content.channels import Channel
from content.models import ContentPiece, RenderStatus
from content.revisions import PieceLocked
from content.services import piece_regenerate, piece_retry
from core.forms import add_errors
from core.htmx import HtmxRequest
from marketing.models import Business
from marketing.selectors import businesses_for_user, scope_for_user, signed_in_user

QUICK_INSTRUCTIONS = ["더 짧게", "더 길게", "이모지 빼고", "가격 강조"]


def _campaign(request: HttpRequest, pk: int) -> Campaign:
    campaigns = scope_for_user(
        Campaign.objects.select_related("business__organization"), request.user
    )
    return get_object_or_404(campaigns, pk=pk)


@login_required
def campaign_new(request: HttpRequest, business_pk: int) -> HttpResponse:
    business = get_object_or_404(businesses_for_user(request.user), pk=business_pk)
    form = CampaignBriefForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(
                business=business, actor=signed_in_user(request.user), **form.cleaned_data
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(
                request, _("게시물을 쓰기 시작했어요. 이 화면에서 하나씩 완성되는 걸 볼 수 있어요.")
            )
            return redirect("campaigns:detail", pk=campaign.pk)
    return render(request, "campaigns/campaign_new.html", {"form": form, "business": business})


@login_required
def campaign_detail(request: HtmxRequest, pk: int) -> HttpResponse:
    campaign = _campaign(request, pk)
    pieces = list(
        campaign.pieces.order_by("planned_for", "pk").prefetch_related(
            "assets", "publications__channel_account"
        )
    )
    rendering = any(
        p.render_status in (RenderStatus.QUEUED, RenderStatus.RENDERING) for p in pieces
    )
    context = {
        "campaign": campaign,
        "business": campaign.business,
        "pieces": pieces,
        "quick_instructions": QUICK_INSTRUCTIONS,
        "generating": campaign.status == Campaign.Status.GENERATING or rendering,
        "schedulable": any(p.status == ContentPiece.Status.READY for p in pieces),
        "flow": campaign.business.organization.approval_mode,
    }
    if not request.htmx:
        context["links"] = campaign.client_links.order_by("-created_at")[:10]
        context["campaign_notes"] = campaign.review_notes.filter(piece__isnull=True).select_related(
            "author"
        )
    template = "campaigns/_pieces.html" if request.htmx else "campaigns/campaign_detail.html"
    return render(request, template, context)


@login_required
@require_POST
def campaign_retry(request: HttpRequest, pk: int) -> HttpResponse:
    count = campaign_retry_failed(campaign=_campaign(request, pk))
    messages.info(request, _("%(count)s개 게시물을 다시 만들고 있어요.") % {"count": count})
    return redirect("campaigns:detail", pk=pk)


def _piece(request: HttpRequest, pk: int) -> ContentPiece:
    pieces = scope_for_user(ContentPiece.objects.select_related("campaign"), request.user)
    return get_object_or_404(pieces, pk=pk)


@login_required
@require_POST
def piece_rewrite(request: HttpRequest, pk: int) -> HttpResponse:
    piece = _piece(request, pk)
    instruction = request.POST.get("instruction", "").strip()[:300]
    if piece.status == ContentPiece.Status.FAILED and not instruction:
        piece_retry(piece=piece)
    else:
        try:
            piece_regenerate(
                piece=piece, instruction=instruction, actor=signed_in_user(request.user)
            )
        except PieceLocked as exc:
            messages.error(request, exc.message)
            return redirect("campaigns:detail", pk=piece.campaign_id)
    messages.info(request, _("다시 쓰고 있어요. 잠시 후 이 화면에 나타나요."))
    return redirect("campaigns:detail", pk=piece.campaign_id)


# --- What has been learned ---------------------------------------------------------------


def channels_used(business: Business) -> list[str]:
    """The channels the business writes for (its pieces and campaigns), in menu order."""
    pieces = ContentPiece.objects.filter(business=business).order_by()  # unordered: distinct
    used = set(pieces.values_list("channel", flat=True).distinct())
    for channels in Campaign.objects.filter(business=business).values_list("channels", flat=True):
        used.update(channels or [])
    return [channel for channel in Channel.values if channel in used]


@login_required
def business_learned(request: HtmxRequest, business_pk: int) -> HttpResponse:
    """The "배운 점" card: per channel, what the shop's own posts showed and whether its
    posting times are learned yet. The business page loads it as a fragment."""
    business = get_object_or_404(businesses_for_user(request.user), pk=business_pk)
    cards = [
        {
            "learned": learned,
            "label": Channel(learned.channel).label,
            "remaining": max(0, LEARNED_TIMES_AFTER - learned.evidence),
        }
        for learned in learned_for(business_id=business.pk, channels=channels_used(business))
    ]
    context = {
        "business": business,
        "cards": cards,
        "learning_on": enabled(),
        "times_after": LEARNED_TIMES_AFTER,
    }
    template = "campaigns/_learned.html" if request.htmx else "campaigns/learned.html"
    return render(request, template, context)
