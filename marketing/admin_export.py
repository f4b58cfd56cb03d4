"""CSV export of any admin list: the selected rows with the columns the list shows.

An action on every changelist (``admin.site.add_action``), so it sees only what the page
does: the changelist's own queryset (TenantAdmin scopes it to the person's organizations)
filtered to the selected rows, and only for people who may view the list. UTF-8 with a
byte order mark, so Excel opens Korean as Korean.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.html import strip_tags
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

BOM = "\ufeff"
SKIPPED = {"action_checkbox"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("예") if value else gettext("아니요")
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    # Columns drawn as HTML (badges, links) keep their words only.
    return strip_tags(force_str(value)).strip()


def _value(name: Any, obj: models.Model, model_admin: admin.ModelAdmin) -> object:
    """A column's value: a field (choices shown by label), a method or a callable."""
    field, _attr, value = lookup_field(name, obj, model_admin)
    if field is not None and getattr(field, "flatchoices", None):
        return dict(field.flatchoices).get(value, value)
    if field is not None and field.is_relation and value is not None:
        return str(value)
    return value


@admin.action(description=_("CSV로 내보내기 (선택한 행)"), permissions=["view"])
def export_csv(
    model_admin: admin.ModelAdmin, request: HttpRequest, queryset: models.QuerySet
) -> HttpResponse:
    columns = [name for name in model_admin.get_list_display(request) if name not in SKIPPED]
    model = queryset.model
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    filename = f"{model._meta.app_label}-{model._meta.model_name}-{stamp}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(BOM)
    writer = csv.writer(response)
    writer.writerow([_cell(label_for_field(name, model, model_admin)) for name in columns])
    for obj in queryset.iterator(chunk_size=500):
        writer.writerow([_cell(_value(name, obj, model_admin)) for name in columns])
    return response
