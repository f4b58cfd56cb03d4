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

from analytics import charts
from analytics.forms import OwnerMetricsForm
from analytics.models import MetricSnapshot
from analytics.owner_metrics import (
    OwnerMetricsError,
    latest_owner_snapshot,
    needs_reminder,
    owner_entered,
    record_owner_metrics,
)
from analytics.results import (
    BANDS,
    PERIODS,
    SURE_AFTER,
    WEEKDAY_NAMES,
    Results,
    band_label,
    results_for,
)
from content.channels import Channel
from marketing.selectors import businesses_for_user, scope_for_user
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
    over time, the best and the weakest posts (analytics.results)."""
    business = get_object_or_404(businesses_for_user(request.user), pk=pk)
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
        drawn = _results_charts(results, labels)
        cache.set(key, drawn, CHART_CACHE_S)
    context = {
        "business": business,
        "results": results,
        "headlines": [(h, results.words(h)) for h in results.headlines],
        "charts": drawn,
        "periods": [(key, label) for key, (_days, label) in PERIODS.items()],
        "campaigns": campaigns,
        "campaign_id": campaign_id,
        "labels": labels,
    }
    return render(request, "analytics/results.html", context)


CHART_CACHE_S = 24 * 3600


def _results_charts(results: Results, labels: dict[str, str]) -> list[charts.Chart]:
    step_words = _("일별") if results.period == "week" else _("주별")
    chart = None
    if results.measured:
        total = sum(sum(values) for values in results.series.values())
        top = max(results.series, key=lambda c: sum(results.series[c]))
        chart = charts.line_chart(
            title=_("채널별 본 사람 (%(step)s)") % {"step": step_words},
            summary=_(
                "%(month)s월 %(day)s일부터 본 사람은 모두 %(total)s명이고, "
                "%(channel)s에서 가장 많이 봤어요."
            )
            % {
                "month": results.start.month,
                "day": results.start.day,
                "total": f"{total:,}",
                "channel": labels[top],
            },
            x_labels=[f"{day.month}/{day.day}" for day in results.buckets],
            series=results.series,
            labels=labels,
        )
    heat = None
    if results.heat:
        sure = {cell: v for cell, v in results.heat.items() if v[1] >= SURE_AFTER}
        if sure:
            (weekday, band), (mean, count) = max(sure.items(), key=lambda item: item[1])
            summary = _(
                "%(weekday)s요일 %(band)s에 올린 글을 가장 많이 봤어요: 평균 %(mean)s명 "
                "(게시물 %(count)s개). 물음표는 게시물이 %(sure)s개보다 적어 아직 "
                "짐작인 칸이에요."
            ) % {
                "weekday": WEEKDAY_NAMES[weekday],
                "band": band_label(band),
                "mean": f"{mean:,}",
                "count": count,
                "sure": SURE_AFTER,
            }
        else:
            summary = _(
                "아직 요일·시간대마다 게시물이 %(sure)s개가 안 돼서, 칸마다 짐작(물음표)만 "
                "보여 드려요."
            ) % {"sure": SURE_AFTER}
        heat = charts.heatmap(
            title=_("요일·시간대별 본 사람 (게시물 1개 평균)"),
            summary=summary,
            rows=list(WEEKDAY_NAMES),
            columns=[band_label(b) for b in range(len(BANDS))],
            cells=results.heat,
            sure_after=SURE_AFTER,
        )
    return [c for c in (chart, heat) if c is not None]
