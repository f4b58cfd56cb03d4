"""The approval flow and client links on the API (content.approvals, content.client_links).

POST /api/v1/pieces/<pk>/submit/            send for review (to the client, in the client
                                            flow, when a manager sends)
POST /api/v1/pieces/<pk>/approve/           a manager approves
POST /api/v1/pieces/<pk>/request-changes/   a manager asks for changes (comment required)
GET  /api/v1/pieces/<pk>/reviews/           every step and comment, oldest first
POST /api/v1/pieces/<pk>/reviews/           a comment on the piece
GET  /api/v1/campaigns/<pk>/client-links/   the campaign's client links
POST /api/v1/campaigns/<pk>/client-links/   a new link (days, 1–90) -> 201 with its URL
POST /api/v1/client-links/<pk>/revoke/      close a link at once

Each step answers the piece with its ``review_state``; a step the piece's state does not
allow (or one made on a revision that is no longer the newest: pass ``base``) is a 409
with the reason; a role that may not take it is a 403.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns.models import Campaign
from content import approvals, client_links
from content.api.serializers import PieceOutput
from content.models import ClientLink, ContentPiece, ReviewNote
from core.api.errors import Conflict
from marketing.models import Membership
from marketing.selectors import has_role, scope_for_user, signed_in_user


def _piece(request: Request, pk: int) -> ContentPiece:
    pieces = scope_for_user(
        ContentPiece.objects.select_related("business__organization", "campaign"), request.user
    )
    return get_object_or_404(pieces, pk=pk)


def _refused(exc: approvals.ApprovalRefused | client_links.LinkRefused) -> Exception:
    if exc.forbidden:
        return PermissionDenied(exc.message)
    return Conflict(exc.message)


class StepInput(serializers.Serializer):
    comment = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")
    base = serializers.IntegerField(
        required=False, min_value=1, help_text="The revision number the reviewer looked at"
    )


class ChangesInput(StepInput):
    comment = serializers.CharField(max_length=1000)


class ReviewNoteOutput(serializers.ModelSerializer):
    author: serializers.SlugRelatedField = serializers.SlugRelatedField(
        slug_field="email", read_only=True
    )

    class Meta:
        model = ReviewNote
        fields = ["id", "piece", "campaign", "revision", "action", "comment", "author",
                  "author_name", "link", "created_at"]  # fmt: skip


class CommentInput(serializers.Serializer):
    comment = serializers.CharField(max_length=1000)


class _StepApi(APIView):
    step = ""
    input_class: type[StepInput] = StepInput

    def post(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        data = self.input_class(data=request.data)
        data.is_valid(raise_exception=True)
        actor = signed_in_user(request.user)
        values = data.validated_data
        try:
            if self.step == "submit":
                approvals.submit(
                    piece, actor=actor, comment=values["comment"], seen=values.get("base")
                )
            elif self.step == "approve":
                approvals.approve(
                    piece, actor=actor, comment=values["comment"], seen=values.get("base")
                )
            else:
                approvals.request_changes(
                    piece, actor=actor, comment=values["comment"], seen=values.get("base")
                )
        except approvals.ApprovalRefused as exc:
            raise _refused(exc) from exc
        piece.refresh_from_db()
        return Response(PieceOutput(piece, context={"request": request}).data)


class PieceSubmitApi(_StepApi):
    """Send the piece's newest revision for review."""

    step = "submit"

    @extend_schema(request=StepInput, responses={200: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class PieceApproveApi(_StepApi):
    """A manager approves the newest revision (in the client flow: on to the client)."""

    step = "approve"

    @extend_schema(request=StepInput, responses={200: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class PieceRequestChangesApi(_StepApi):
    """A manager asks for changes, saying what."""

    step = "changes"
    input_class = ChangesInput

    @extend_schema(request=ChangesInput, responses={200: PieceOutput})
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class PieceReviewsApi(generics.GenericAPIView):
    """Every step of the piece's approval and every comment, oldest first; POST adds a
    comment."""

    @extend_schema(responses=ReviewNoteOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        notes = piece.review_notes.select_related("author").order_by("created_at", "pk")
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(ReviewNoteOutput(page, many=True).data)

    @extend_schema(request=CommentInput, responses={201: ReviewNoteOutput})
    def post(self, request: Request, pk: int) -> Response:
        piece = _piece(request, pk)
        data = CommentInput(data=request.data)
        data.is_valid(raise_exception=True)
        if not has_role(request.user, piece, Membership.Role.STAFF):
            raise PermissionDenied("이 사업장의 구성원만 의견을 남길 수 있어요.")
        try:
            note = approvals.comment(
                business=piece.business,
                piece=piece,
                text=data.validated_data["comment"],
                author=signed_in_user(request.user),
            )
        except approvals.ApprovalRefused as exc:
            raise _refused(exc) from exc
        return Response(ReviewNoteOutput(note).data, status=status.HTTP_201_CREATED)


class ClientLinkOutput(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    pieces = serializers.PrimaryKeyRelatedField(many=True, read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = ClientLink
        fields = ["id", "business", "campaign", "pieces", "label", "url", "expires_at",
                  "revoked_at", "last_opened_at", "created_at"]  # fmt: skip

    def get_url(self, link: ClientLink) -> str:
        path = reverse("owner:client_review", args=[client_links.token_for(link)])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ClientLinkInput(serializers.Serializer):
    days = serializers.IntegerField(
        min_value=1, max_value=client_links.MAX_DAYS, default=client_links.DEFAULT_DAYS
    )
    label = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")  # type: ignore[assignment]  # a field named like Field.label


class CampaignClientLinksApi(generics.GenericAPIView):
    """The campaign's client approval links; POST makes one (managers and owners)."""

    def _campaign(self, request: Request, pk: int) -> Campaign:
        campaigns = scope_for_user(Campaign.objects.select_related("business"), request.user)
        return get_object_or_404(campaigns, pk=pk)

    @extend_schema(responses=ClientLinkOutput(many=True))
    def get(self, request: Request, pk: int) -> Response:
        links = self._campaign(request, pk).client_links.prefetch_related("pieces")
        page = self.paginate_queryset(links.order_by("-created_at", "-pk"))
        body = ClientLinkOutput(page, many=True, context={"request": request}).data
        return self.get_paginated_response(body)

    @extend_schema(request=ClientLinkInput, responses={201: ClientLinkOutput})
    def post(self, request: Request, pk: int) -> Response:
        campaign = self._campaign(request, pk)
        data = ClientLinkInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            link = client_links.create_link(
                business=campaign.business,
                campaign=campaign,
                actor=signed_in_user(request.user),
                days=data.validated_data["days"],
                label=data.validated_data["label"],
            )
        except client_links.LinkRefused as exc:
            raise _refused(exc) from exc
        body = ClientLinkOutput(link, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class ClientLinkRevokeApi(APIView):
    """Close a link at once: its address stops working."""

    @extend_schema(request=None, responses={200: ClientLinkOutput})
    def post(self, request: Request, pk: int) -> Response:
        links = scope_for_user(ClientLink.objects.select_related("business"), request.user)
        link = get_object_or_404(links, pk=pk)
        try:
            client_links.revoke(link, actor=signed_in_user(request.user))
        except client_links.LinkRefused as exc:
            raise _refused(exc) from exc
        link.refresh_from_db()
        return Response(ClientLinkOutput(link, context={"request": request}).data)
