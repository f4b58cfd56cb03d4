from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    verbose_name = _("콘텐츠")

    def ready(self) -> None:
        from content import admin_actions

        admin_actions.attach()
