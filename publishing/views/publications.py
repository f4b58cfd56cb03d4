"""The owner's view of what goes out: schedule a campaign, each post's state and every
attempt, cancel / retry / reschedule, and the Naver Blog assisted-publishing page."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from campaigns.models import Campaign
from core.htmx import HtmxRequest
from marketing.models import Membership
from marketing.selectors import businesses_for_user, has_role, scope_for_user
from publishing import services
from publishing.models import Publication
from publishing.posts import post_for
from publishing.views.sections import publication_sections

MANAGER = Membership.Role.MANAGER
# What each platform call did, for the owner; the API's own name stays beside it.
ACTION_LABELS = {
    "read_quota": gettext_lazy("게시 한도 확인"),
    "create_container": gettext_lazy("게시물 준비"),
    "create_carousel_item": gettext_lazy("캐러셀 사진 준비"),
    "container_status": gettext_lazy("처리 상태 확인"),
    "media_publish": gettext_lazy("게시"),
    "threads_publish": gettext_lazy("게시"),
    "find_post": gettext_lazy("게시 여부 확인"),
    "read_permalink": gettext_lazy("게시물 주소 확인"),
    "upload_start": gettext_lazy("업로드 시작"),
    "upload_chunk": gettext_lazy("영상 업로드"),
    "upload_status": gettext_lazy("업로드 상태 확인"),
    "videos_list": gettext_lazy("영상 상태 확인"),
    "metaWeblog.newPost": gettext_lazy("블로그 글 올리기"),
    "metaWeblog.getRecentPosts": gettext_lazy("블로그 글 확인"),
}


def _publication(request: HttpRequest, pk: int) -> Publication:
    publications = scope_for_user(
        Publication.objects.select_related("piece__business", "piece__campaign", "channel_account"),
        request.user,
    )
    return get_object_or_404(publications, pk=pk)


def _require_manager(request: HttpRequest, instance: Model) -> None:
    if not has_role(request.user, instance, MANAGER):
        raise PermissionDenied(_("매니저 이상만 게시 예약을 바꿀 수 있어요."))


@login_required
@require_POST
def campaign_schedule(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(
        scope_for_user(Campaign.objects.select_related("business"), request.user), pk=pk
    )
    _require_manager(request, campaign)
    result = services.schedule_campaign(campaign, user=request.user)
    if result.scheduled:
        messages.success(
            request,
            _("%(count)s개 게시물을 예약했어요. 시간이 되면 자동으로 올라가요.")
            % {"count": len(result.scheduled)},
        )
    for piece, reason in result.skipped:
        messages.warning(
            request,
            _("%(channel)s '%(title)s': %(reason)s")
            % {"channel": piece.get_channel_display(), "title": piece.title, "reason": reason},
        )
    if not result.scheduled and not result.skipped:
        messages.info(request, _("예약할 수 있는 게시물이 없어요. 글이 완성되면 다시 눌러 주세요."))
    return redirect("campaigns:detail", pk=pk)


@login_required
def business_publications(request: HtmxRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(businesses_for_user(request.user), pk=pk)
    publications = (
        Publication.objects.filter(piece__business=business)
        .select_related("piece", "channel_account")
        .order_by("-scheduled_at")[:200]
    )
    context = {"business": business, "publications": publications, "now": timezone.now()}
    template = (
        "publishing/_publication_rows.html" if request.htmx else "publishing/publications.html"
    )
    return render(request, template, context)


@login_required
def publication_detail(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    business = publication.piece.business
    local = timezone.localtime(publication.scheduled_at, ZoneInfo(business.time_zone))
    context = {
        "publication": publication,
        "business": business,
        "piece": publication.piece,
        "attempts": [
            (attempt, ACTION_LABELS.get(attempt.action, ""))
            for attempt in publication.attempts.order_by("-number")[:100]
        ],
        "can_manage": has_role(request.user, publication, MANAGER),
        "sections": publication_sections(request, publication),
        "local_value": local.strftime("%Y-%m-%dT%H:%M"),
        "in_flight": publication.state
        in (Publication.State.CLAIMED, Publication.State.PUBLISHING, Publication.State.PROCESSING),
        "actionable": publication.state
        not in (
            Publication.State.PUBLISHING,
            Publication.State.PUBLISHED,
            Publication.State.SKIPPED,
            Publication.State.CANCELED,
        ),
    }
    return render(request, "publishing/publication_detail.html", context)


def _act(
    request: HttpRequest, pk: int, action: Callable[[Publication], None], done: str
) -> HttpResponse:
    publication = _publication(request, pk)
    _require_manager(request, publication)
    try:
        action(publication)
    except services.SchedulingError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return redirect("publications:detail", pk=pk)


@login_required
@require_POST
def publication_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda p: services.cancel(p, actor=request.user), _("예약을 취소했어요.")
    )


@login_required
@require_POST
def publication_retry(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, services.retry, _("다시 올리는 중이에요. 1분 안에 시작해요."))


@login_required
@require_POST
def publication_reschedule(request: HttpRequest, pk: int) -> HttpResponse:
    publication = _publication(request, pk)
    zone = ZoneInfo(publication.piece.business.time_zone)
    try:
        naive = dt.datetime.strptime(request.POST.get("scheduled_at", ""), "%Y-%m-%dT%H:%M")
    except ValueError:
        messages.error(request, _("날짜와 시간을 다시 골라 주세요."))
        return redirect("publications:detail", pk=pk)
    # The owner picks wall-clock time in the shop's zone; fold=0 picks the first of a
    # repeated hour and a skipped hour moves forward, as a phone's clock would.
    at = naive.replace(tzinfo=zone)

    def move(p: Publication) -> None:
        services.schedule_piece(p.piece, at, account=p.channel_account, user=request.user)

    return _act(request, pk, move, _("예약 시간을 바꿨어요."))


@login_required
@require_POST
def publication_publish_now(request: HttpRequest, pk: int) -> HttpResponse:
    """Move a waiting post to now and hand it to the dispatcher at once."""

    def now(p: Publication) -> None:
        services.schedule_piece(
            p.piece, timezone.now(), account=p.channel_account, user=request.user
        )
        services.dispatch_due()

    return _act(request, pk, now, _("지금 올리는 중이에요. 몇 초 뒤 이 화면에서 결과가 보여요."))


@login_required
def publication_assisted(request: HttpRequest, pk: int) -> HttpResponse:
    """Naver Blog, filled in by hand: every part in the SmartEditor's order, one tap to copy."""
    publication = _publication(request, pk)
    if publication.piece.channel != "naver_blog":
        raise Http404
    if request.method == "POST":
        try:
            if request.POST.get("skip"):
                services.skip(publication)
                messages.info(request, _("이번 글은 건너뛰었어요."))
            else:
                services.confirm_published(publication, request.POST.get("url", ""))
                messages.success(request, _("게시 완료로 기록했어요. 반응도 함께 지켜볼게요."))
            return redirect("publications:detail", pk=pk)
        except services.SchedulingError as exc:
            messages.error(request, exc.message)
    post = post_for(publication.piece)
    numbers = iter(range(1, len(post.blocks) + 1))
    context = {
        "publication": publication,
        "business": publication.piece.business,
        "post": post,
        "blocks": [(b, next(numbers) if b.kind == "image" else None) for b in post.blocks],
        "tags_text": " ".join(f"#{t}" for t in post.tags),
    }
    return render(request, "publishing/assisted.html", context)


@login_required
def publication_images(request: HttpRequest, pk: int) -> FileResponse:
    """Every image of the post, numbered in order, as one zip to save to the phone."""
    publication = _publication(request, pk)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for n, (_kind, asset) in enumerate(post_for(publication.piece).assets, start=1):
            with asset.file.open("rb") as handle:
                suffix = asset.file.name.rsplit(".", 1)[-1]
                archive.writestr(f"{n:02d}.{suffix}", handle.read())
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=f"gagecast-{publication.pk}.zip")
