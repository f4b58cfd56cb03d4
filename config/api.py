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
from marketing.api.views import BusinessViewSet

router = DefaultRouter()
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
    path("pieces/<int:pk>/", PieceDetailApi.as_view(), name="piece-detail"),
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
