"""The owner's photo library: upload several photos at once, see what the analysis saw,
delete one. Every upload is checked and cleaned (``marketing.services.photo_add``) and
analysed in the background (``content.media_inputs.photo_analysis_request``)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from content.media_inputs import check_member, photo_analysis_request
from core.uploads import InputRejected, check_image_size
from marketing.models import Business, Photo
from marketing.selectors import businesses_for_user, signed_in_user
from marketing.services import photo_add, selling_point_add

MAX_PER_UPLOAD = 20  # photos in one go from the phone's gallery


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
    user = signed_in_user(request.user)
    check_member(user, business)
    files = request.FILES.getlist("photos")
    if not files:
        messages.error(request, _("올릴 사진을 골라 주세요."))
    if len(files) > MAX_PER_UPLOAD:
        messages.error(
            request, _("한 번에 %(count)s장까지 올릴 수 있어요.") % {"count": MAX_PER_UPLOAD}
        )
        files = []
    added = 0
    for upload in files:
        try:
            check_image_size(upload.size or 0)  # before a huge file is read
            photo = photo_add(business=business, data=upload.read(), name=upload.name or "")
        except InputRejected as exc:
            messages.error(request, f"{upload.name}: {exc.message}")
            continue
        photo_analysis_request(photo=photo, actor=user)
        added += 1
    if added:
        messages.success(
            request,
            _("사진 %(count)s장을 올렸어요. 사진 속 메뉴와 강점을 살펴보고 있어요.")
            % {"count": added},
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
        messages.success(request, _("가게 강점에 '%(point)s'을(를) 넣었어요.") % {"point": point})
    else:
        messages.info(request, _("이미 가게 강점에 있거나 강점이 가득 찼어요."))
    return redirect("content:photo_library", business.pk)
