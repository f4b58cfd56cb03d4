from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path
from django.utils.translation import gettext_lazy as _
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core.views import healthz
from marketing.views import home

admin.site.site_header = _("Gagecast 관리")
admin.site.site_title = _("Gagecast 관리")
admin.site.index_title = _("대행사·운영 관리")

# JSON under /api/ for a path no route matches and a request Django cannot read; the usual
# pages elsewhere.
handler400 = "core.api.errors.api_bad_request"
handler404 = "core.api.errors.api_not_found"

urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("app/", include("marketing.urls")),
    path("app/", include("campaigns.urls")),
    path("app/", include("publishing.urls")),
    path("app/", include("analytics.urls")),
    path("app/", include("content.urls")),
    path("app/", include("owner.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

if settings.SERVE_MEDIA:
    # Media on the local disk, served by Django so platforms can fetch them at
    # PUBLIC_BASE_URL/media/…; with S3 storage (or a web server in front) this is off.
    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
