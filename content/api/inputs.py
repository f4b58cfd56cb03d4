"""Voice memos and photo analyses: the owner's raw material, read by the writer.

POST /api/v1/businesses/<pk>/voice-memos/   multipart ``audio`` -> 202 + status_url
GET  /api/v1/voice-memos/<pk>/              queued | done (transcript, facts) | failed
POST /api/v1/photos/<pk>/analyze/           -> 202, the analysis as it stands + status_url
GET  /api/v1/photos/<pk>/analysis/          pending | done | failed, with the description

A file we cannot use is a 400 with the reason in ``fields.audio``; another
organization's business, memo or photo is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import media_inputs
from content.inputs import InputRejected, check_audio_size
from content.models import PhotoAnalysis, VoiceMemo
from marketing.models import Photo
from marketing.selectors import businesses_for_user, scope_for_user, signed_in_user


def _absolute(request: Request | None, url: str) -> str:
    return request.build_absolute_uri(url) if request else url


class VoiceMemoOutput(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = VoiceMemo
        fields = [
            "id",
            "business",
            "status",
            "status_url",
            "mime_type",
            "duration_s",
            "transcript",
            "facts",
            "error",
            "created_at",
            "updated_at",
        ]

    def get_status_url(self, memo: VoiceMemo) -> str:
        return _absolute(self.context.get("request"), reverse("voice-memo-detail", args=[memo.pk]))


class PhotoAnalysisOutput(serializers.ModelSerializer):
    """``pending`` until the first description (or failure) is stored."""

    status = serializers.SerializerMethodField()
    status_url = serializers.SerializerMethodField()

    class Meta:
        model = PhotoAnalysis
        fields = [
            "photo",
            "status",
            "status_url",
            "description",
            "selling_points",
            "suggested_captions",
            "error",
            "updated_at",
        ]

    def get_status(self, analysis: PhotoAnalysis) -> str:
        if analysis.error:
            return "failed"
        return "done" if analysis.description else "pending"

    def get_status_url(self, analysis: PhotoAnalysis) -> str:
        url = reverse("photo-analysis", args=[analysis.photo_id])
        return _absolute(self.context.get("request"), url)


def _analysis_of(photo: Photo) -> PhotoAnalysis:
    # Not analysed yet: an unsaved, empty analysis reads as "pending".
    return getattr(photo, "analysis", None) or PhotoAnalysis(photo=photo)


def _photo(request: Request, pk: int) -> Photo:
    photos = scope_for_user(
        Photo.objects.select_related("business__organization", "analysis"), request.user
    )
    return get_object_or_404(photos, pk=pk)


class VoiceMemoCreateApi(APIView):
    """Upload a voice memo (m4a, mp3 or wav, at most 2 minutes) for a business.

    The file is checked by its content; the transcript and facts follow at the
    status URL once the writer has read it.
    """

    parser_classes = [MultiPartParser, FormParser]

    @extend_schema_serializer(component_name="VoiceMemoUpload")
    class Input(serializers.Serializer):
        audio = serializers.FileField()

    @extend_schema(request={"multipart/form-data": Input}, responses={202: VoiceMemoOutput})
    def post(self, request: Request, pk: int) -> Response:
        business = get_object_or_404(businesses_for_user(request.user), pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["audio"]
        try:
            check_audio_size(upload.size)  # before reading a huge upload into memory
            memo = media_inputs.voice_memo_create(
                business=business,
                audio=upload.read(),
                filename=upload.name,
                actor=signed_in_user(request.user),
            )
        except InputRejected as exc:
            raise ValidationError({"audio": [exc.message]}) from exc
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = VoiceMemoOutput(memo, context={"request": request}).data
        headers = {"Location": body["status_url"]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


class VoiceMemoDetailApi(APIView):
    @extend_schema(responses=VoiceMemoOutput)
    def get(self, request: Request, pk: int) -> Response:
        memo = get_object_or_404(scope_for_user(VoiceMemo.objects.all(), request.user), pk=pk)
        return Response(VoiceMemoOutput(memo, context={"request": request}).data)


class PhotoAnalyzeApi(APIView):
    """Ask the writer to (re)describe a photo. Answers 202 with the analysis as it
    stands (an earlier description stays until replaced) and its status URL."""

    @extend_schema(request=None, responses={202: PhotoAnalysisOutput})
    def post(self, request: Request, pk: int) -> Response:
        photo = _photo(request, pk)
        try:
            analysis = media_inputs.photo_analysis_request(
                photo=photo, actor=signed_in_user(request.user)
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        body = PhotoAnalysisOutput(analysis, context={"request": request}).data
        headers = {"Location": body["status_url"]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


class PhotoAnalysisDetailApi(APIView):
    @extend_schema(responses=PhotoAnalysisOutput)
    def get(self, request: Request, pk: int) -> Response:
        analysis = _analysis_of(_photo(request, pk))
        return Response(PhotoAnalysisOutput(analysis, context={"request": request}).data)
