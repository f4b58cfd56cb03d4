"""Admin actions content/ adds to other apps' admin pages.

Attached from ContentConfig.ready() so marketing/admin.py stays marketing's own.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.media_inputs import photo_analysis_request
from marketing.models import Photo
from marketing.selectors import signed_in_user
from marketing.tenant_admin import add_admin_action


@admin.action(description=gettext_lazy("사진 분석 (Gemini)"), permissions=["change"])
def analyze_photos(
    modeladmin: admin.ModelAdmin, request: HttpRequest, queryset: QuerySet[Photo]
) -> None:
    """Queue an analysis of each selected photo (after the commit)."""
    photos = list(queryset.select_related("business__organization"))
    for photo in photos:
        photo_analysis_request(photo=photo, actor=signed_in_user(request.user))
    modeladmin.message_user(request, _("%(count)s장의 사진을 분석합니다.") % {"count": len(photos)})


def attach() -> None:
    """Add the actions to their admin pages; safe to call more than once."""
    from marketing.admin import PhotoAdmin

    add_admin_action(PhotoAdmin, analyze_photos)
