from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from content import services
from content.api.serializers import PieceOutput
from content.models import ContentPiece
from marketing.selectors import scope_for_user


def _piece(request: Request, pk: int) -> ContentPiece:
    pieces = scope_for_user(ContentPiece.objects.select_related("business"), request.user)
    return get_object_or_404(pieces, pk=pk)


class PieceDetailApi(APIView):
    @extend_schema(responses=PieceOutput)
    def get(self, request: Request, pk: int) -> Response:
        return Response(PieceOutput(_piece(request, pk), context={"request": request}).data)


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
            )
        except ValueError as exc:
            raise ValidationError({"field": [str(exc)]}) from exc
        body = PieceOutput(piece, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)


class PieceRetryApi(APIView):
    @extend_schema(request=None, responses={202: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        if piece.status != ContentPiece.Status.FAILED:
            raise ValidationError({"status": ["실패한 게시물만 다시 시도할 수 있습니다."]})
        piece = services.piece_retry(piece=piece)
        body = PieceOutput(piece, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
