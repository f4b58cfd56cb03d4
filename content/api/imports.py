"""POST /api/v1/imports/: shops or ready-made posts from a CSV or Excel file.

multipart/form-data: ``file``, ``kind`` (shops | posts), ``organization`` and for posts
``business`` (shops go into an organization; posts into a business, or into an
organization's shops by the file's '사업장' column), ``dry_run``, and for posts ``images``
(the files the rows name). A field for the other kind is ignored.

200: the dry run's report (nothing written). 201: the report of the import (written).
400: a row or the file is bad, nothing written: the report with each row's errors in
``report``; or the request itself is bad (``error.fields``). 404: an organization or
business that is not the caller's (staff and above).

Lives in content because the posts import is content's and content may use marketing's;
marketing may not use content (tests/test_layers.py).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content.imports import posts_import
from core.imports import MAX_FILE_BYTES, MAX_IMAGES, ImportReport, images_refusal
from core.uploads import InputRejected, check_image_size
from marketing.imports import shops_import
from marketing.models import Business, Organization
from marketing.selectors import businesses_for_user, organizations_for_user, signed_in_user

MAX_ID = 2**63 - 1


class ImportErrorOutput(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True, help_text="The spreadsheet's row; null: the file"
    )
    column = serializers.CharField(help_text="The column as the file names it; empty: the row")
    message = serializers.CharField()
    text = serializers.CharField(help_text="The whole sentence: \"3행 '업종': …\"")


class ImportRowOutput(serializers.Serializer):
    row = serializers.IntegerField()
    key = serializers.CharField()
    # The metaclass moves declared fields off the class, so these names are free at runtime.
    label = serializers.CharField(help_text="The shop's name or the post's title")  # type: ignore[assignment]
    action = serializers.ChoiceField(
        choices=["create", "update", "unchanged"], allow_null=True, help_text="null: a bad row"
    )
    changes = serializers.ListField(child=serializers.CharField(), help_text="Columns changed")
    errors = ImportErrorOutput(many=True)  # type: ignore[assignment]


class ImportReportOutput(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["shops", "posts"])
    file_name = serializers.CharField()
    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField(help_text="Whether the rows were written")
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    invalid = serializers.IntegerField(help_text="Rows with errors")
    errors = ImportErrorOutput(many=True, help_text="Every error: the file's, then the rows'")  # type: ignore[assignment]
    rows = ImportRowOutput(many=True)


class ImportProblemOutput(serializers.Serializer):
    code = serializers.CharField(help_text="import_rejected, or validation_error")
    message = serializers.CharField()
    fields = serializers.DictField(required=False, help_text="validation_error: per field")  # type: ignore[assignment]


class ImportRejectedOutput(serializers.Serializer):
    error = ImportProblemOutput()
    report = ImportReportOutput(required=False, help_text="import_rejected: what was wrong")


class ImportApi(APIView):
    """Check a file (``dry_run``) or import it: all rows, or nothing when any is bad."""

    parser_classes = [MultiPartParser, FormParser]

    class Input(serializers.Serializer):
        # An empty file is read like any other (and reported as empty), not refused here.
        file = serializers.FileField(
            allow_empty_file=True, help_text="CSV (UTF-8 or CP949) or .xlsx"
        )
        kind = serializers.ChoiceField(choices=["shops", "posts"])
        organization = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_ID,
            help_text="shops: the organization (may be left out by a member of only one); "
            "posts: the organization whose shops the '사업장' column names",
        )
        business = serializers.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_ID,
            help_text="posts: the shop every row goes to (within ``organization`` if given)",
        )
        dry_run = serializers.BooleanField(required=False, default=False)
        images = serializers.ListField(
            child=serializers.FileField(allow_empty_file=True),  # checked where a row names it
            required=False,
            max_length=MAX_IMAGES,
            help_text="posts: image files named in the '이미지' column",
        )

    @extend_schema(
        request={"multipart/form-data": Input},
        responses={
            200: OpenApiResponse(ImportReportOutput, description="Dry run: nothing written"),
            201: OpenApiResponse(ImportReportOutput, description="Imported"),
            400: OpenApiResponse(
                ImportRejectedOutput, description="Bad rows or file (nothing written), or input"
            ),
            404: OpenApiResponse(
                ImportRejectedOutput, description="Not one of the caller's organizations"
            ),
        },
    )
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        given = data.validated_data
        upload: UploadedFile = given["file"]
        if upload.size is not None and upload.size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // 1024**2
            raise ValidationError(
                {"file": [_("파일이 너무 커요 (최대 %(limit)s MB).") % {"limit": limit}]}
            )
        try:
            report = self._run(request, given, upload)
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = ImportReportOutput(report.as_dict()).data
        if not report.ok:
            message = _("%(count)s개의 문제가 있어 아무것도 가져오지 않았어요.") % {
                "count": len(report.errors)
            }
            rejected = {"error": {"code": "import_rejected", "message": message}, "report": body}
            return Response(rejected, status=status.HTTP_400_BAD_REQUEST)
        code = status.HTTP_200_OK if report.dry_run else status.HTTP_201_CREATED
        return Response(body, status=code)

    def _run(self, request: Request, given: dict, upload: UploadedFile) -> ImportReport:
        actor = signed_in_user(request.user)
        common = {
            "data": upload.read(),
            "file_name": upload.name or "",
            "actor": actor,
            "dry_run": given["dry_run"],
        }
        if given["kind"] == "shops":  # ``business`` and ``images`` are for posts only
            organization = self._organization(request, given)
            return shops_import(organization=organization, **common)
        business = self._business(request, given)
        uploads = given.get("images", [])
        refusal = images_refusal([image.size or 0 for image in uploads])
        if refusal:
            raise ValidationError({"images": [refusal]})
        images = {}
        for image in uploads:
            try:
                check_image_size(image.size or 0)  # before reading a huge upload
            except InputRejected as exc:
                raise ValidationError({"images": [f"{image.name}: {exc.message}"]}) from exc
            images[image.name or ""] = image.read()
        if business is not None:
            return posts_import(business=business, images=images, **common)
        return posts_import(
            organization=self._organization(request, given), images=images, **common
        )

    def _organization(self, request: Request, given: dict) -> Organization:
        organizations = organizations_for_user(request.user)
        if "organization" in given:
            return get_object_or_404(organizations, pk=given["organization"])
        only = list(organizations[:2])
        if len(only) != 1:
            raise ValidationError({"organization": [_("가져올 조직을 정해 주세요.")]})
        return only[0]

    def _business(self, request: Request, given: dict) -> Business | None:
        """The business posts go to; an organization given beside it must be its own."""
        if "business" not in given:
            return None
        businesses = businesses_for_user(request.user)
        if "organization" in given:
            businesses = businesses.filter(organization_id=given["organization"])
        return get_object_or_404(businesses, pk=given["business"])
