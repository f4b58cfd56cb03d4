"""The content API: pieces, and the owner's raw material read by the writer.

GET  /api/v1/pieces/<pk>/                   the piece, its fields and attributes
PATCH /api/v1/pieces/<pk>/                  its text changed by hand (a new revision)
GET  /api/v1/pieces/<pk>/revisions/         every version, newest first
POST /api/v1/pieces/<pk>/revisions/<n>/restore/  version n back as the newest
POST /api/v1/pieces/<pk>/regenerate/        -> 202, rewritten following an instruction
POST /api/v1/pieces/<pk>/retry/             -> 202, a failed piece generated again
POST /api/v1/businesses/<pk>/voice-memos/   multipart ``audio`` -> 202 + status_url
GET  /api/v1/voice-memos/<pk>/              queued | done (transcript, facts) | failed
POST /api/v1/photos/<pk>/analyze/           -> 202, the analysis as it stands + status_url
GET  /api/v1/photos/<pk>/analysis/          pending | done | failed, with the description

A published piece refuses every change with a 409 and the reason. A file we cannot
use is a 400 with the reason in ``fields.audio``; another
organization's piece, business, memo or photo is a 404.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import editing, media_inputs, services
from content.api.serializers import (
    PhotoAnalysisOutput,
    PieceOutput,
    RevisionOutput,
    VoiceMemoOutput,
)
from content.editing import EditRejected
from content.models import ContentPiece, PhotoAnalysis, VoiceMemo
from content.revisions import STALE_REASON, PieceLocked
from core.api.errors import Conflict
from core.uploads import InputRejected, check_audio_size
from marketing.models import Photo
from marketing.selectors import businesses_for_user, scope_for_user, signed_in_user


def _piece(request: Request, pk: int) -> ContentPiece:
    pieces = scope_for_user(ContentPiece.objects.select_related("business"), request.user)
    return get_object_or_404(pieces, pk=pk)


class PieceDetailApi(APIView):
    """Read a piece, or change its text by hand: ``{"fields": {"caption": "…",
    "sections.1.body": "…", "hashtags": "#a #b"}}`` (paths as ``revisions`` lists them).
    The change is a new revision; a scheduled piece is unscheduled and back in review; a
    published one is a 409."""

    class Input(serializers.Serializer):
        # The metaclass moves declared fields off the class, so this name is free at runtime.
        fields = serializers.DictField(child=serializers.CharField(allow_blank=True))  # type: ignore[assignment]
        base = serializers.IntegerField(
            required=False, min_value=0, help_text="The revision number the change was made from"
        )

    @extend_schema(responses=PieceOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PieceOutput(_piece(request, pk), context={"request": request}).data)

    @extend_schema(request=Input, responses={200: PieceOutput})
    def patch(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data["fields"]
        known = {item.path for item in editing.edit_fields(piece)}
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValidationError({"fields": [f"이 글에 없는 항목입니다: {', '.join(unknown)}"]})
        try:
            editing.edit(
                piece,
                values,
                author=signed_in_user(request.user),
                base=data.validated_data.get("base"),
            )
        except EditRejected as exc:
            if STALE_REASON in exc.errors:  # someone changed it since: a conflict, not a typo
                raise Conflict(STALE_REASON) from exc
            errors = {item.path: [item.error] for item in exc.fields if item.error}
            general = {"fields": exc.errors} if exc.errors else {}
            raise ValidationError({**errors, **general}) from exc
        except PieceLocked as exc:
            raise Conflict(exc.message) from exc
        piece.refresh_from_db()
        return Response(PieceOutput(piece, context={"request": request}).data)


class PieceRevisionsApi(generics.GenericAPIView):
    """Every version of a piece's text, newest first, a page at a time."""

    @extend_schema(responses=RevisionOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        revisions = self.paginate_queryset(_piece(request, pk).revisions.all())
        return self.get_paginated_response(RevisionOutput(revisions, many=True).data)


class PieceRestoreApi(APIView):
    """Bring back version ``number`` as the newest; 409 when the piece is published."""

    @extend_schema(request=None, responses={200: PieceOutput})
    def post(self, request: Request, pk: int, number: int) -> Response:
        piece = _piece(request, pk)
        revision = get_object_or_404(piece.revisions, number=number)
        try:
            editing.restore(piece, revision, author=signed_in_user(request.user))
        except PieceLocked as exc:
            raise Conflict(exc.message) from exc
        piece.refresh_from_db()
        return Response(PieceOutput(piece, context={"request": request}).data)


class PieceRegenerateApi(APIView):
    """Rewrite a piece, or one field of it, following an instruction ("더 짧게")."""

    class Input(serializers.Serializer):
        instruction = serializers.CharField(max_length=300, required=False, allow_blank=True)
        field = serializers.CharField(max_length=40, required=False, allow_blank=True)

    @extend_schema(request=Input, responses={202: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            piece = services.piece_regenerate(
                piece=piece,
                instruction=data.validated_data.get("instruction", ""),
                only_field=data.validated_data.get("field", ""),
                actor=signed_in_user(request.user),
            )
        except ValueError as exc:
            raise ValidationError({"field": [str(exc)]}) from exc
        except PieceLocked as exc:
            raise Conflict(exc.message) from exc
        body = PieceOutput(piece, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class PieceRetryApi(APIView):
    @extend_schema(request=None, responses={202: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        if piece.status != ContentPiece.Status.FAILED:
            raise Conflict("실패한 게시물만 다시 시도할 수 있습니다.")
        piece = services.piece_retry(piece=piece)
        body = PieceOutput(piece, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


# --- Voice memos and photo analyses -------------------------------------------------------


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
