from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("성과 분석")

    def ready(self) -> None:
        # publishing sits below analytics: its publication page gets the owner's numbers here.
        from analytics.views import owner_metrics_section
        from publishing.views.sections import add_publication_section

        add_publication_section(owner_metrics_section)
