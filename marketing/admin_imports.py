"""The admin's import page, reached from a changelist (사업장, and 콘텐츠 for posts):
upload a file, see the dry run's table (each row: created, updated or unchanged, and
its errors), then confirm.

Between the preview and the confirmation the upload waits in the cache (shared by every
web process: Redis, or the files of the embedded mode) under a random token, for the
person who uploaded it and for an hour; the confirmation runs the import for real, which
checks every row again.
"""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.imports import (
    CREATE,
    MAX_FILE_BYTES,
    UNCHANGED,
    UPDATE,
    ImportReport,
    images_refusal,
)
from marketing.imports import shops_import
from marketing.models import Organization
from marketing.selectors import organizations_for_user, signed_in_user

PREVIEW_SECONDS = 3600
ACTIONS = {
    CREATE: gettext_lazy("새로 만듦"),
    UPDATE: gettext_lazy("바뀜"),
    UNCHANGED: gettext_lazy("그대로"),
}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented way)."""

    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


class ImportForm(forms.Form):
    target = forms.ChoiceField(label=gettext_lazy("가져올 곳"))
    file = forms.FileField(label=gettext_lazy("파일 (CSV 또는 엑셀 .xlsx)"))
    images = MultipleFileField(
        label=gettext_lazy("이미지 파일"),
        required=False,
        help_text=gettext_lazy(
            "'이미지' 열에 파일 이름을 적은 경우, 그 파일들을 함께 골라 주세요."
        ),
    )

    def __init__(
        self, *args: Any, targets: list[tuple[str, Any]], images: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)  # declared above
        field.choices = targets
        if not images:
            del self.fields["images"]

    def clean_images(self) -> list[UploadedFile]:
        images: list[UploadedFile] = self.cleaned_data.get("images") or []
        refusal = images_refusal([image.size or 0 for image in images])
        if refusal:
            raise forms.ValidationError(refusal)
        return images

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("파일이 너무 커요 (최대 %(limit)s MB).") % {"limit": MAX_FILE_BYTES // 1024**2}
            )
        return upload


class ImportAdmin(admin.ModelAdmin):
    """An import page beside the changelist; subclasses say what is imported, into what."""

    change_list_template = "admin/imports/change_list.html"
    import_title: ClassVar[Any] = ""
    import_images: ClassVar[bool] = False  # whether image files go with the table

    def import_targets(self, request: HttpRequest) -> list[tuple[str, Any]]:
        """The choices of where to import (value "organization:<id>" or "business:<id>")."""
        raise NotImplementedError

    def import_run(
        self,
        request: HttpRequest,
        *,
        target: str,
        data: bytes,
        file_name: str,
        images: dict[str, bytes],
        dry_run: bool,
    ) -> ImportReport:
        """Run the import (raises PermissionDenied for a target the user may not use)."""
        raise NotImplementedError

    def get_urls(self) -> list[URLPattern]:
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        view = self.admin_site.admin_view(self.import_view)
        return [path("import/", view, name=name), *super().get_urls()]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        targets = self.import_targets(request)
        form = ImportForm(targets=targets, images=self.import_images)
        report, token = None, ""
        if request.method == "POST" and request.POST.get("token"):
            staged = cache.get(_staged_key(request.POST["token"]))
            if not staged or staged["user"] != request.user.pk:
                self.message_user(
                    request, _("미리 보기가 지났어요. 파일을 다시 올려 주세요."), messages.ERROR
                )
                return redirect(request.path)
            cache.delete(_staged_key(request.POST["token"]))
            report = self.import_run(request, dry_run=False, **staged["run"])
            if report.imported:
                self.message_user(
                    request,
                    _("가져왔어요: %(summary)s") % {"summary": report.summary()},
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
                )
        elif request.method == "POST":
            form = ImportForm(
                request.POST, request.FILES, targets=targets, images=self.import_images
            )
            if form.is_valid():
                upload = form.cleaned_data["file"]
                run = {
                    "target": form.cleaned_data["target"],
                    "data": upload.read(),
                    "file_name": upload.name or "",
                    "images": {f.name: f.read() for f in form.cleaned_data.get("images", [])},
                }
                report = self.import_run(request, dry_run=True, **run)
                if report.ok:
                    token = secrets.token_urlsafe(24)
                    staged = {"user": request.user.pk, "run": run}
                    cache.set(_staged_key(token), staged, PREVIEW_SECONDS)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "form": form,
            "report": report,
            "rows": _rows(report) if report else [],
            "token": token,
        }
        return TemplateResponse(request, "admin/imports/import.html", context)


def _staged_key(token: str) -> str:
    return f"admin-import:{token}"


def _rows(report: ImportReport) -> list[dict[str, Any]]:
    return [
        {
            "row": row.row,
            "key": row.key,
            "label": row.label,
            "action": "" if row.errors else ACTIONS.get(row.action, ""),
            "changes": ", ".join(row.changes),
            "errors": [str(e) for e in row.errors],
        }
        for row in report.rows
    ]


def target_object(
    value: str, *, organizations: Any = None, businesses: Any = None
) -> tuple[str, Any]:
    """("organization" | "business", the object) for a target choice, looked up among the
    querysets given (the user's own); raises PermissionDenied otherwise."""
    kind, _colon, pk = value.partition(":")
    scoped = {"organization": organizations, "business": businesses}.get(kind)
    found = scoped.filter(pk=pk).first() if scoped is not None and pk.isdigit() else None
    if found is None:
        raise PermissionDenied
    return kind, found


class ShopImportAdmin(ImportAdmin):
    """사업장 → 가져오기: shops and their menus into one of the user's organizations."""

    import_title = gettext_lazy("사업장 가져오기 (CSV·엑셀)")

    def import_targets(self, request: HttpRequest) -> list[tuple[str, Any]]:
        return [(f"organization:{o.pk}", o.name) for o in organizations_for_user(request.user)]

    def import_run(
        self,
        request: HttpRequest,
        *,
        target: str,
        data: bytes,
        file_name: str,
        images: dict[str, bytes],
        dry_run: bool,
    ) -> ImportReport:
        _kind, organization = target_object(
            target, organizations=organizations_for_user(request.user)
        )
        assert isinstance(organization, Organization)
        return shops_import(
            organization=organization,
            data=data,
            file_name=file_name,
            actor=signed_in_user(request.user),
            dry_run=dry_run,
        )
