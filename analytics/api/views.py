"""The metrics and learning API, read-only.

GET /api/v1/pieces/<pk>/metrics/             each publication's latest numbers and history
GET /api/v1/publications/<pk>/metrics/       one publication's numbers, every reading
GET /api/v1/businesses/<pk>/learned/         what has been learned, per channel
                                             (``?channel=instagram,threads`` to narrow)
POST /api/v1/pieces/<pk>/feedback/           👍/👎 and a comment: 201, or 200 when the
                                             caller's earlier feedback was updated

Another organization's piece, publication or business is a 404.
"""

from __future__ import annotations

from dataclasses import asdict

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from analytics.api.serializers import (
    BusinessLearnedOutput,
    FeedbackOutput,
    PieceMetricsOutput,
    PublicationMetricsOutput,
)
from analytics.feedback import COMMENT_MAX, feedback_record
from analytics.models import Feedback, MetricSnapshot
from analytics.selectors import LEARNED_TIMES_AFTER, enabled, learned_for
from content.channels import Channel
from content.models import ContentPiece
from marketing.selectors import businesses_for_user, scope_for_user, signed_in_user
from publishing.models import Publication


def snapshot_history() -> Prefetch:
    return Prefetch(
        "metric_snapshots", queryset=MetricSnapshot.objects.order_by("collected_at", "pk")
    )


def _publications() -> QuerySet[Publication]:
    return (
        Publication.objects.select_related("piece", "collection")
        .prefetch_related(snapshot_history())
        .order_by("scheduled_at", "pk")
    )


class PieceMetricsApi(APIView):
    """The piece's publications, each with its latest numbers and every reading, and why
    the piece was written and timed as it was."""

    @extend_schema(responses=PieceMetricsOutput)
    def get(self, request: Request, pk: int) -> Response:
        pieces = scope_for_user(ContentPiece.objects.all(), request.user).prefetch_related(
            Prefetch("publications", queryset=_publications())
        )
        piece = get_object_or_404(pieces, pk=pk)
        return Response(PieceMetricsOutput(piece).data)


class PublicationMetricsApi(APIView):
    @extend_schema(responses=PublicationMetricsOutput)
    def get(self, request: Request, pk: int) -> Response:
        publication = get_object_or_404(scope_for_user(_publications(), request.user), pk=pk)
        return Response(PublicationMetricsOutput(publication).data)


_ONE_CHANNEL = "|".join(Channel.values)
CHANNEL_LIST = f"^({_ONE_CHANNEL})(,({_ONE_CHANNEL}))*$"


def _channels(request: Request) -> list[str]:
    asked = [
        name.strip()
        for value in request.query_params.getlist("channel")
        for name in value.split(",")
        if name.strip()
    ]
    unknown = [name for name in asked if name not in Channel.values]
    if unknown:
        raise ValidationError(
            {
                "channel": [
                    f"알 수 없는 채널입니다: {', '.join(unknown)} "
                    f"(가능한 채널: {', '.join(Channel.values)})"
                ]
            }
        )
    return [channel for channel in Channel.values if channel in asked] or list(Channel.values)


class BusinessLearnedApi(APIView):
    """What the business's own posts have shown on each channel: how many measured posts
    it rests on, the findings in the owner's words, each dimension's best value, and
    whether the posting times follow the shop's numbers yet."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "channel",
                OpenApiTypes.STR,
                description="Only these channels, comma-separated (all four by default).",
                pattern=CHANNEL_LIST,
            )
        ],
        responses=BusinessLearnedOutput,
    )
    def get(self, request: Request, pk: int) -> Response:
        business = get_object_or_404(businesses_for_user(request.user), pk=pk)
        channels = _channels(request)
        learned = [
            {**asdict(item), "learned_times_after": LEARNED_TIMES_AFTER}
            for item in learned_for(business_id=business.pk, channels=channels)
        ]
        body = {"business": business.pk, "learning_enabled": enabled(), "channels": learned}
        return Response(BusinessLearnedOutput(body).data)


class PieceFeedbackApi(APIView):
    """The caller's 👍/👎 on a piece, with an optional comment. One per person and piece:
    posting again updates it (200 instead of 201). A 👎 or a comment judged negative
    raises one operator alert."""

    class Input(serializers.Serializer):
        rating = serializers.ChoiceField(choices=Feedback.Rating.choices)
        comment = serializers.CharField(max_length=COMMENT_MAX, required=False, allow_blank=True)

    @extend_schema(request=Input, responses={201: FeedbackOutput, 200: FeedbackOutput})
    def post(self, request: Request, pk: int) -> Response:
        pieces = scope_for_user(ContentPiece.objects.select_related("business"), request.user)
        piece = get_object_or_404(pieces, pk=pk)
        data = self.Input(data=request.data)
        data.is_valid(raise_exception=True)
        feedback, created = feedback_record(
            author=signed_in_user(request.user),
            piece=piece,
            rating=data.validated_data["rating"],
            comment=data.validated_data.get("comment", ""),
        )
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(FeedbackOutput(feedback).data, status=code)
