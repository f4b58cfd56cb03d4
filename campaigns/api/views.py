from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from campaigns import services
from campaigns.models import Campaign
from campaigns.services import MAX_POSTS_PER_WEEK
from content.api.serializers import PieceOutput
from content.channels import Channel
from marketing.models import Business
from marketing.selectors import businesses_for_user, scope_for_user, signed_in_user


class CampaignOutput(serializers.ModelSerializer):
    status_url = serializers.SerializerMethodField()
    pieces = PieceOutput(many=True, read_only=True)

    class Meta:
        model = Campaign
        fields = [
            "id",
            "business",
            "name",
            "goal",
            "starts_on",
            "ends_on",
            "channels",
            "posts_per_week",
            "offer",
            "status",
            "status_reason",
            "status_url",
            "pieces",
            "created_at",
        ]

    def get_status_url(self, campaign: Campaign) -> str:
        url = reverse("campaign-detail", args=[campaign.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            channel: {"type": "integer", "minimum": 0, "maximum": MAX_POSTS_PER_WEEK}
            for channel in Channel.values
        },
        "additionalProperties": False,
    }
)
class PostsPerWeekField(serializers.DictField):
    """Posts a week per channel, 0 to 14; the keys are channel names (the service checks)."""

    child = serializers.IntegerField(min_value=0, max_value=MAX_POSTS_PER_WEEK)


def _campaigns(request: Request) -> QuerySet[Campaign]:
    return scope_for_user(Campaign.objects.all(), request.user).prefetch_related("pieces")


class CampaignListCreateApi(generics.GenericAPIView):
    """Campaigns of the caller's businesses, a page at a time; POST a brief to generate one."""

    class Input(serializers.Serializer):
        business = serializers.PrimaryKeyRelatedField(queryset=Business.objects.none())
        goal = serializers.ChoiceField(choices=Campaign.Goal.choices)
        starts_on = serializers.DateField()
        ends_on = serializers.DateField()
        channels = serializers.ListField(
            child=serializers.ChoiceField(choices=Channel.choices), min_length=1
        )
        posts_per_week = PostsPerWeekField(required=False)
        offer = serializers.CharField(max_length=200, required=False, allow_blank=True)
        name = serializers.CharField(max_length=120, required=False, allow_blank=True)

    @extend_schema(responses=CampaignOutput(many=True))
    def get(self, request: Request) -> Response:
        campaigns = self.paginate_queryset(_campaigns(request).select_related("business"))
        body = CampaignOutput(campaigns, many=True, context={"request": request}).data
        return self.get_paginated_response(body)

    @extend_schema(request=Input, responses={202: CampaignOutput})
    def post(self, request: Request) -> Response:
        data = self.Input(data=request.data)
        business = data.fields["business"]
        assert isinstance(business, serializers.PrimaryKeyRelatedField)  # declared in Input
        business.queryset = businesses_for_user(request.user)
        data.is_valid(raise_exception=True)
        try:
            campaign = services.campaign_create(
                actor=signed_in_user(request.user), **data.validated_data
            )
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from exc
        except DjangoValidationError as exc:
            raise ValidationError(exc.message_dict) from exc
        body = CampaignOutput(campaign, context={"request": request}).data
        headers = {"Location": body["status_url"]}
        return Response(body, status=status.HTTP_202_ACCEPTED, headers=headers)


class CampaignDetailApi(APIView):
    @extend_schema(responses=CampaignOutput)
    def get(self, request: Request, pk: int) -> Response:
        campaign = get_object_or_404(_campaigns(request), pk=pk)
        return Response(CampaignOutput(campaign, context={"request": request}).data)


class CampaignRetryFailedApi(APIView):
    @extend_schema(request=None, responses={202: CampaignOutput})
    def post(self, request: Request, pk: int) -> Response:
        campaign = get_object_or_404(_campaigns(request), pk=pk)
        services.campaign_retry_failed(campaign=campaign)
        campaign.refresh_from_db()
        body = CampaignOutput(campaign, context={"request": request}).data
        return Response(body, status=status.HTTP_202_ACCEPTED)
