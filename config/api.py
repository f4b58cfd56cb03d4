"""The /api/v1/ router: each app's endpoints."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from analytics.api.views import (
    BusinessLearnedApi,
    PieceFeedbackApi,
    PieceMetricsApi,
    PublicationMetricsApi,
)
from campaigns.api.views import CampaignDetailApi, CampaignListCreateApi, CampaignRetryFailedApi
from content.api.approvals import (
    CampaignClientLinksApi,
    ClientLinkRevokeApi,
    PieceApproveApi,
    PieceRequestChangesApi,
    PieceReviewsApi,
    PieceSubmitApi,
)
from content.api.imports import ImportApi
from content.api.views import (
    PhotoAnalysisDetailApi,
    PhotoAnalyzeApi,
    PieceDetailApi,
    PieceRegenerateApi,
    PieceRestoreApi,
    PieceRetryApi,
    PieceRevisionsApi,
    VoiceMemoCreateApi,
    VoiceMemoDetailApi,
)
from publishing.api.businesses import BusinessViewSet  # with the lifecycle
from publishing.api.scheduling import (
    CampaignScheduleApi,
    PieceScheduleApi,
    PublicationCancelApi,
    PublicationRetryApi,
)
from publishing.api.views import (
    ChannelAccountDetailApi,
    ChannelAccountListApi,
    PublicationDetailApi,
    PublicationListApi,
)

router = DefaultRouter()
router.include_format_suffixes = False  # JSON only: no businesses.json URLs
router.register("businesses", BusinessViewSet, basename="business")

urlpatterns = [
    *router.urls,
    path("campaigns/", CampaignListCreateApi.as_view(), name="campaign-list"),
    path("campaigns/<int:pk>/", CampaignDetailApi.as_view(), name="campaign-detail"),
    path(
        "campaigns/<int:pk>/retry-failed/",
        CampaignRetryFailedApi.as_view(),
        name="campaign-retry-failed",
    ),
    path(
        "campaigns/<int:pk>/client-links/",
        CampaignClientLinksApi.as_view(),
        name="campaign-client-links",
    ),
    path("campaigns/<int:pk>/schedule/", CampaignScheduleApi.as_view(), name="campaign-schedule"),
    path("client-links/<int:pk>/revoke/", ClientLinkRevokeApi.as_view(), name="client-link-revoke"),
    path("imports/", ImportApi.as_view(), name="import"),
    path("pieces/<int:pk>/", PieceDetailApi.as_view(), name="piece-detail"),
    path("pieces/<int:pk>/submit/", PieceSubmitApi.as_view(), name="piece-submit"),
    path("pieces/<int:pk>/approve/", PieceApproveApi.as_view(), name="piece-approve"),
    path(
        "pieces/<int:pk>/request-changes/",
        PieceRequestChangesApi.as_view(),
        name="piece-request-changes",
    ),
    path("pieces/<int:pk>/reviews/", PieceReviewsApi.as_view(), name="piece-reviews"),
    path("pieces/<int:pk>/schedule/", PieceScheduleApi.as_view(), name="piece-schedule"),
    path(
        "publications/<int:pk>/cancel/", PublicationCancelApi.as_view(), name="publication-cancel"
    ),
    path("publications/<int:pk>/retry/", PublicationRetryApi.as_view(), name="publication-retry"),
    path("pieces/<int:pk>/regenerate/", PieceRegenerateApi.as_view(), name="piece-regenerate"),
    path("pieces/<int:pk>/revisions/", PieceRevisionsApi.as_view(), name="piece-revisions"),
    path(
        "pieces/<int:pk>/revisions/<int:number>/restore/",
        PieceRestoreApi.as_view(),
        name="piece-restore",
    ),
    path("pieces/<int:pk>/retry/", PieceRetryApi.as_view(), name="piece-retry"),
    path("pieces/<int:pk>/metrics/", PieceMetricsApi.as_view(), name="piece-metrics"),
    path("pieces/<int:pk>/feedback/", PieceFeedbackApi.as_view(), name="piece-feedback"),
    path("publications/", PublicationListApi.as_view(), name="publication-list"),
    path("publications/<int:pk>/", PublicationDetailApi.as_view(), name="publication-detail"),
    path("channel-accounts/", ChannelAccountListApi.as_view(), name="channel-account-list"),
    path(
        "channel-accounts/<int:pk>/",
        ChannelAccountDetailApi.as_view(),
        name="channel-account-detail",
    ),
    path(
        "publications/<int:pk>/metrics/",
        PublicationMetricsApi.as_view(),
        name="publication-metrics",
    ),
    path("businesses/<int:pk>/learned/", BusinessLearnedApi.as_view(), name="business-learned"),
    path(
        "businesses/<int:pk>/voice-memos/",
        VoiceMemoCreateApi.as_view(),
        name="business-voice-memo-create",
    ),
    path("voice-memos/<int:pk>/", VoiceMemoDetailApi.as_view(), name="voice-memo-detail"),
    path("photos/<int:pk>/analyze/", PhotoAnalyzeApi.as_view(), name="photo-analyze"),
    path("photos/<int:pk>/analysis/", PhotoAnalysisDetailApi.as_view(), name="photo-analysis"),
]
