"""Scheduling on the API: what the owner does from the review screen and the schedule.

POST /api/v1/pieces/<pk>/schedule/           schedule (or move) a piece -> 200 its publication
POST /api/v1/campaigns/<pk>/schedule/        schedule every approved piece of a campaign
POST /api/v1/publications/<pk>/cancel/       take a post off the schedule
POST /api/v1/publications/<pk>/retry/        try a failed post again now

Only the approved revision is scheduled when the organization uses an approval flow
(without one, scheduling is the approval); what cannot be scheduled is a 409 with the
reason. Managers and owners schedule and cancel (403 for staff), as on the pages.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Campaign
from content.models import ContentPiece
from core.api.errors import Conflict
from marketing.models import Membership
from marketing.selectors import has_role, scope_for_user, signed_in_user
from publishing import services
from publishing.api.serializers import PublicationOutput
from publishing.models import Publication
from publishing.services import SchedulingError

SOON = dt.timedelta(minutes=5)


class ScheduleInput(serializers.Serializer):
    at = serializers.DateTimeField(
        required=False, help_text="When to post (ISO 8601 with a zone); default: its planned time"
    )
    base = serializers.IntegerField(
        required=False, min_value=1, help_text="The revision number the approver looked at"
    )


class SkippedOutput(serializers.Serializer):
    piece = serializers.IntegerField()
    reason = serializers.CharField()


class CampaignScheduleOutput(serializers.Serializer):
    scheduled = PublicationOutput(many=True)
    skipped = SkippedOutput(many=True)


def _manager(request: Request, instance: object) -> None:
    if not has_role(request.user, instance, Membership.Role.MANAGER):  # type: ignore[arg-type]
        raise PermissionDenied("예약은 매니저 이상만 할 수 있어요.")


class PieceScheduleApi(APIView):
    """Schedule a piece at ``at`` (or its planned time; soon, when that has passed)."""

    @extend_schema(request=ScheduleInput, responses={200: PublicationOutput})
    def post(self, request: Request, pk: int) -> Response:
        pieces = scope_for_user(
            ContentPiece.objects.select_related("business__organization"), request.user
        )
        piece = get_object_or_404(pieces, pk=pk)
        _manager(request, piece)
        data = ScheduleInput(data=request.data)
        data.is_valid(raise_exception=True)
        now = timezone.now()
        at = data.validated_data.get("at")
        if at is not None and at <= now:
            raise ValidationError({"at": ["지난 시각으로는 예약할 수 없어요."]})
        planned = (
            piece.planned_for if piece.planned_for and piece.planned_for > now + SOON else None
        )
        try:
            publication = services.schedule_piece(
                piece,
                at or planned or now + SOON,
                user=signed_in_user(request.user),
                seen_revision=data.validated_data.get("base"),
            )
        except SchedulingError as exc:
            raise Conflict(exc.message) from exc
        return Response(PublicationOutput(publication).data)


class CampaignScheduleApi(APIView):
    """Schedule every ready piece of a campaign that may go; the others are listed with
    the reason (not approved yet, still rendering…)."""

    @extend_schema(request=None, responses={200: CampaignScheduleOutput})
    def post(self, request: Request, pk: int) -> Response:
        campaigns = scope_for_user(Campaign.objects.select_related("business"), request.user)
        campaign = get_object_or_404(campaigns, pk=pk)
        _manager(request, campaign)
        result = services.schedule_campaign(campaign, user=signed_in_user(request.user))
        body = {
            "scheduled": PublicationOutput(result.scheduled, many=True).data,
            "skipped": [{"piece": piece.pk, "reason": reason} for piece, reason in result.skipped],
        }
        return Response(body)


def _publication(request: Request, pk: int) -> Publication:
    publications = scope_for_user(
        Publication.objects.select_related("piece__business", "channel_account"), request.user
    )
    return get_object_or_404(publications, pk=pk)


class PublicationCancelApi(APIView):
    """Take a post that has not gone out off the schedule (409 when it is going out)."""

    @extend_schema(request=None, responses={200: PublicationOutput})
    def post(self, request: Request, pk: int) -> Response:
        publication = _publication(request, pk)
        _manager(request, publication)
        try:
            services.cancel(publication, actor=request.user)
        except SchedulingError as exc:
            raise Conflict(exc.message) from exc
        publication.refresh_from_db()
        return Response(PublicationOutput(publication).data)


class PublicationRetryApi(APIView):
    """Try a failed post again now, with a fresh attempt budget."""

    @extend_schema(request=None, responses={200: PublicationOutput})
    def post(self, request: Request, pk: int) -> Response:
        publication = _publication(request, pk)
        _manager(request, publication)
        try:
            services.retry(publication)
        except SchedulingError as exc:
            raise Conflict(exc.message) from exc
        publication.refresh_from_db()
        return Response(PublicationOutput(publication).data)
