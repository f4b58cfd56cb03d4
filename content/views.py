"""The owner's photo library: upload several photos at once, see what the analysis saw,
delete one. Every upload is checked and cleaned (``marketing.services.photo_add``) and
analysed in the background (``content.media_inputs.photo_analysis_request``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.media_inputs import check_member, photos_add
from marketing.models import Business, Photo
from marketing.selectors import businesses_for_user, signed_in_user
from marketing.services import selling_point_add


def _business(request: HttpRequest, pk: int) -> Business:
    return get_object_or_404(businesses_for_user(request.user), pk=pk)


def _photo_to_change(request: HttpRequest, pk: int) -> Photo:
    """A photo of one of the user's shops (404 otherwise), which the user may change."""
    photo = get_object_or_404(
        Photo.objects.select_related("business").filter(
            business__in=businesses_for_user(request.user)
        ),
        pk=pk,
    )
    check_member(signed_in_user(request.user), photo.business)
    return photo


@login_required
def photo_library(request: HttpRequest, pk: int) -> HttpResponse:
    business = _business(request, pk)
    if request.method == "POST":
        return _upload(request, business)
    photos = business.photos.select_related("analysis").order_by("-created_at")
    return render(request, "content/photo_library.html", {"business": business, "photos": photos})


def _upload(request: HttpRequest, business: Business) -> HttpResponse:
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, _("올릴 사진을 골라 주세요."))
    result = photos_add(business=business, uploads=files, actor=signed_in_user(request.user))
    for reason in result.refused:
        messages.error(request, reason)
    if result.added:
        messages.success(
            request,
            _("사진 %(count)s장을 올렸어요. 사진 속 메뉴와 강점을 살펴보고 있어요.")
            % {"count": len(result.added)},
        )
    return redirect("content:photo_library", business.pk)


@login_required
@require_POST
def photo_delete(request: HttpRequest, pk: int) -> HttpResponse:
    photo = _photo_to_change(request, pk)
    business = photo.business
    photo.delete()
    messages.success(request, _("사진을 지웠어요."))
    return redirect("content:photo_library", business.pk)


@login_required
@require_POST
def selling_point_accept(request: HttpRequest, pk: int) -> HttpResponse:
    """One tap on a strength the photo's analysis saw: it joins the shop's strengths,
    which every next post is written from."""
    photo = _photo_to_change(request, pk)
    business = photo.business
    point = request.POST.get("point", "")
    seen = getattr(getattr(photo, "analysis", None), "selling_points", None) or []
    if point not in seen:
        messages.error(request, _("이 사진의 분석에 없는 강점이에요."))
    elif selling_point_add(business=business, point=point):
        messages.success(request, _("가게 강점에 넣었어요: %(point)s") % {"point": point})
    else:
        messages.info(request, _("이미 가게 강점에 있거나 강점이 가득 찼어요."))
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("content:photo_library", business.pk)
