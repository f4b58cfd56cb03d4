"""The /api/v1/ router: each app registers its endpoints here."""

from rest_framework.routers import DefaultRouter

from marketing.api.views import BusinessViewSet

router = DefaultRouter()
router.register("businesses", BusinessViewSet, basename="business")

urlpatterns = router.urls
