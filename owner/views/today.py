"""오늘 뭐 올리지?: one photo and one line become a single post, outside any campaign."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from content.channels import Channel
from content.media_inputs import check_member, photos_add
from marketing.selectors import businesses_for_user, signed_in_user
from owner import services


@login_required
def today(request: HttpRequest, pk: int) -> HttpResponse:
    business = get_object_or_404(businesses_for_user(request.user), pk=pk)
    values = {"line": "", "channel": Channel.INSTAGRAM.value, "photo": ""}
    errors: list[str] = []
    if request.method == "POST":
        user = signed_in_user(request.user)
        check_member(user, business)
        values = {key: request.POST.get(key, default) for key, default in values.items()}
        photo = None
        uploads = request.FILES.getlist("upload")
        if uploads:
            added = photos_add(business=business, uploads=uploads[:1], actor=user)
            errors += added.refused
            photo = added.added[0] if added.added else None
        elif values["photo"].isdigit():
            photo = business.photos.filter(pk=int(values["photo"])).first()
        if not errors:
            try:
                piece = services.quick_post(
                    business, line=values["line"], photo=photo, channel=values["channel"], user=user
                )
            except ValueError as exc:
                errors.append(str(exc))
            else:
                messages.success(
                    request,
                    _("글을 쓰고 이미지를 만들고 있어요. 다 되면 여기서 보고 승인해 주세요."),
                )
                return redirect("owner:piece_review", pk=piece.pk)
    context = {
        "business": business,
        "values": values,
        "errors": errors,
        "channels": Channel.choices,
        "photos": business.photos.order_by("-created_at")[:24],
    }
    return render(request, "owner/today.html", context, status=400 if errors else 200)
