"""The publishing API, read-only.

GET /api/v1/publications/                ?business=<id>&piece=<id>, paginated
GET /api/v1/publications/<pk>/           one publication with every attempt
GET /api/v1/channel-accounts/            ?business=<id>, paginated (never a token)
GET /api/v1/channel-accounts/<pk>/

Another organization's publication or account is a 404; filtering by another
organization's business or piece finds nothing.
"""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, serializers

from marketing.selectors import scope_for_user
from publishing.api.serializers import (
    ChannelAccountOutput,
    PublicationDetailOutput,
    PublicationOutput,
)
from publishing.models import ChannelAccount, Publication

# The largest id a database column holds: a bigger number is a 400, not a crash.
MAX_ID = 2**63 - 1


def _id_filter(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_ID, help_text=help_text
    )


class PublicationFilter(serializers.Serializer):
    business = _id_filter("Only this business's publications.")
    piece = _id_filter("Only this piece's publications.")


class AccountFilter(serializers.Serializer):
    business = _id_filter("Only this business's accounts.")


def _filters(view: generics.GenericAPIView, filters: type[serializers.Serializer]) -> dict:
    given = filters(data=view.request.query_params)
    given.is_valid(raise_exception=True)
    return dict(given.validated_data)


@extend_schema_view(get=extend_schema(parameters=[PublicationFilter]))
class PublicationListApi(generics.ListAPIView):
    """The caller's publications, oldest scheduled first."""

    serializer_class = PublicationOutput

    def get_queryset(self) -> QuerySet[Publication]:
        publications = scope_for_user(Publication.objects.all(), self.request.user)
        wanted = _filters(self, PublicationFilter)
        if "business" in wanted:
            publications = publications.filter(piece__business_id=wanted["business"])
        if "piece" in wanted:
            publications = publications.filter(piece_id=wanted["piece"])
        return publications.select_related("piece").order_by("scheduled_at", "pk")


class PublicationDetailApi(generics.RetrieveAPIView):
    serializer_class = PublicationDetailOutput

    def get_queryset(self) -> QuerySet[Publication]:
        publications = Publication.objects.select_related("piece").prefetch_related("attempts")
        return scope_for_user(publications, self.request.user)


@extend_schema_view(get=extend_schema(parameters=[AccountFilter]))
class ChannelAccountListApi(generics.ListAPIView):
    """The caller's channel accounts: platform, mode and state, never a token."""

    serializer_class = ChannelAccountOutput

    def get_queryset(self) -> QuerySet[ChannelAccount]:
        accounts = scope_for_user(ChannelAccount.objects.all(), self.request.user)
        wanted = _filters(self, AccountFilter)
        if "business" in wanted:
            accounts = accounts.filter(business_id=wanted["business"])
        return accounts.order_by("business_id", "platform", "pk")


class ChannelAccountDetailApi(generics.RetrieveAPIView):
    serializer_class = ChannelAccountOutput

    def get_queryset(self) -> QuerySet[ChannelAccount]:
        return scope_for_user(ChannelAccount.objects.all(), self.request.user)
