"""콘텐츠 → 가져오기: ready-made posts into one shop, or into an organization's shops by
the file's '사업장' column (the page itself is marketing.admin_imports')."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content.imports import posts_import
from core.imports import ImportReport
from marketing.admin_imports import ImportAdmin, target_object
from marketing.selectors import businesses_for_user, organizations_for_user, signed_in_user


class PostImportAdmin(ImportAdmin):
    import_title = gettext_lazy("게시물 가져오기 (CSV·엑셀)")
    import_images = True

    def import_targets(self, request: HttpRequest) -> list[tuple[str, Any]]:
        organizations = [
            (
                f"organization:{o.pk}",
                _("%(name)s: 모든 사업장 ('사업장' 열로 나눠요)") % {"name": o.name},
            )
            for o in organizations_for_user(request.user)
        ]
        businesses = [(f"business:{b.pk}", str(b)) for b in businesses_for_user(request.user)]
        return [(_("사업장 하나"), businesses), (_("조직 전체"), organizations)]

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
        kind, found = target_object(
            target,
            organizations=organizations_for_user(request.user),
            businesses=businesses_for_user(request.user),
        )
        return posts_import(
            data=data,
            file_name=file_name,
            actor=signed_in_user(request.user),
            dry_run=dry_run,
            images=images,
            **{kind: found},
        )
