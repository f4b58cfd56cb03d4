"""The owner's numbers for a Naver Blog post: a section on the publication page
(registered with publishing from AnalyticsConfig.ready()) and the page its form posts
to, which shows the form again with the reasons when an entry is refused. Any member
of the business's organization may enter them, as any member may confirm the post's
address; another organization's post is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from analytics.forms import OwnerMetricsForm
from analytics.models import MetricSnapshot
from analytics.owner_metrics import (
    OwnerMetricsError,
    latest_owner_snapshot,
    needs_reminder,
    owner_entered,
    record_owner_metrics,
)
from analytics.result_charts import dashboard_charts
from analytics.results import (
    PERIODS,
    SURE_AFTER,
    channels_posted,
    results_for,
    usage_for,
)
from analytics.selectors import LEARNED_TIMES_AFTER, enabled, learned_for
from content.channels import Channel
from content.models import Asset
from marketing.selectors import businesses_for_user, is_client_viewer, scope_for_user
from publishing.models import Publication


def owner_metrics_section(request: HttpRequest, publication: Publication) -> str:
    """The form on a published Naver post's page ("" on any other page)."""
    if not owner_entered(publication) or publication.state != Publication.State.PUBLISHED:
        return ""
    return render_to_string(
        "analytics/_owner_metrics.html",
        _context(publication, OwnerMetricsForm(previous=latest_owner_snapshot(publication))),
        request=request,
    )


@login_required
def owner_metrics(request: HttpRequest, pk: int) -> HttpResponse:
    publications = scope_for_user(
        Publication.objects.select_related("piece__business", "channel_account"), request.user
    )
    publication = get_object_or_404(publications, pk=pk)
    if not owner_entered(publication):
        raise Http404
    previous = latest_owner_snapshot(publication)
    form = OwnerMetricsForm(request.POST or None, previous=previous)
    if request.method == "POST" and form.is_valid():
        try:
            record_owner_metrics(publication, form.numbers(form.cleaned_data))
        except OwnerMetricsError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, _("성과를 기록했어요. 다음 글을 만들 때 참고할게요."))
            return redirect("publications:detail", pk=pk)
    return render(request, "analytics/owner_metrics.html", _context(publication, form))


def _context(publication: Publication, form: OwnerMetricsForm) -> dict[str, object]:
    return {
        "publication": publication,
        "business": publication.piece.business,
        "piece": publication.piece,
        "form": form,
        "previous": form.previous,
        "remind": needs_reminder(publication, timezone.now()),
        "published": publication.state == Publication.State.PUBLISHED,
    }


# --- The results dashboard ------------------------------------------------------------------


@login_required
def business_results(request: HttpRequest, pk: int) -> HttpResponse:
    """What the shop's posts did: headline numbers against the period before, each channel
    over time, the best and the weakest posts (analytics.results), what the loop learned
    with its evidence, and this month's use against the plan."""
    business = get_object_or_404(
        businesses_for_user(request.user, include_client=True).select_related("organization__plan"),
        pk=pk,
    )
    campaigns = list(business.campaigns.order_by("-starts_on")[:30])
    raw_campaign = request.GET.get("campaign", "")
    campaign_id = int(raw_campaign) if raw_campaign.isdigit() else None
    if campaign_id not in {c.pk for c in campaigns}:
        campaign_id = None
    results = results_for(business, period=request.GET.get("period", ""), campaign_id=campaign_id)
    labels = {str(value): str(label) for value, label in Channel.choices}
    # Drawing is the slow part: the charts are kept until a new reading arrives (or the
    # day, the period, the campaign or the language changes).
    newest = MetricSnapshot.objects.filter(publication__piece__business=business).aggregate(
        newest=Max("pk")
    )["newest"]
    key = ":".join(
        str(part)
        for part in (
            "results-charts", business.pk, results.period, campaign_id, newest,
            results.end, get_language(),
        )
    )  # fmt: skip
    drawn = cache.get(key)
    if drawn is None:
        drawn = dashboard_charts(results, labels)
        cache.set(key, drawn, CHART_CACHE_S)
    thumbnails = _thumbnails([p.piece_id for p in (*results.best, *results.worst)])
    context = {
        "business": business,
        "results": results,
        "headlines": [(h, results.words(h)) for h in results.headlines],
        "charts": drawn,
        "periods": [(key, label) for key, (_days, label) in PERIODS.items()],
        "campaigns": campaigns,
        "campaign_id": campaign_id,
        "labels": labels,
        "best": [(post, thumbnails.get(post.piece_id, "")) for post in results.best],
        "worst": [(post, thumbnails.get(post.piece_id, "")) for post in results.worst],
        "learned": [
            (str(Channel(item.channel).label), item, max(0, LEARNED_TIMES_AFTER - item.evidence))
            for item in learned_for(business_id=business.pk, channels=channels_posted(business))
        ],
        "learning_on": enabled(),
        "usage": usage_for(business),
        "sure_after": SURE_AFTER,
        # A client viewer reads the results of their shop, not the agency's plan.
        "read_only": is_client_viewer(request.user, business),
    }
    return render(request, "analytics/results.html", context)


CHART_CACHE_S = 24 * 3600
PICTURES = (Asset.Kind.THUMBNAIL, Asset.Kind.COVER, Asset.Kind.IMAGE)


def _thumbnails(piece_ids: list[int]) -> dict[int, str]:
    """The URL of each piece's first picture: one query (none without pieces)."""
    found: dict[int, str] = {}
    assets = Asset.objects.filter(piece_id__in=piece_ids, kind__in=PICTURES)
    for asset in sorted(assets, key=lambda a: (PICTURES.index(a.kind), a.position)):
        if asset.piece_id is not None:
            found.setdefault(asset.piece_id, asset.file.url)
    return found
